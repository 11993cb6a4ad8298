"""Benchmark: the loop never stalls while heavy work runs as jobs beside 2,000 phones.

The target: with 2,000 delegates' phones connected to ``/live`` and a moderator changing a
question every second, a probe that sends a cheap request every 50 ms sees a worst latency,
while the heavy work runs, of at most 1/10 of the whole-forum invitation PDF job's own duration;
every phone gets every event. The heavy work, all at once: the invitation PDF of the whole forum
(2,100 pages) as a job, a 10,000-row delegate-list preview (``dry_run=1``) as a job, and 20
sign-ins (real scrypt: ``forum serve`` uses the production hash method).

    .venv/bin/python bench/loop_stall.py [--phones 2000] [--delegates 2100] [--rows 10000]
                                         [--sign-ins 20] [--quiet-seconds 10] [--procs 2]
                                         [--probe-path PATH] [--server-log PATH]

The script seeds a fresh SQLite database with the CLI (``forum db upgrade``, ``forum seed-demo``),
builds the XLSX list (``bench/import_delegates.py``'s generator, in an app context on that
database), starts ``forum serve`` (gunicorn's gevent worker and the job worker beside it, with
a job queue file of its own), connects the phones from separate load processes
(``bench/live.py``'s), then runs the probe (``GET /api/v1/forums/1/attendance`` with a token, on
one keep-alive connection, every 50 ms) and the moderator (``bench/live.py``'s question moves,
one a second) through a quiet phase (the baseline in the same run) and the heavy phase. The
jobs are submitted with ``Prefer: respond-async`` and polled every 100 ms; a job's own duration
is its ``created_at`` to ``finished_at``. For contrast, the old behaviour's cost, what a request
rendering the PDF inline would have frozen the loop for, is ``invitation_pdf`` timed directly
in the script's process after the server stopped. Every phase has a time limit; the server and
the load processes are stopped whatever happens.
"""

import argparse
import asyncio
import http.client
import json
import os
import sys
import threading
import time
import uuid
from datetime import datetime
from pathlib import Path

from checkin import Server, cpu_seconds, machine, percentile, sqlite_database  # bench/checkin.py
from live import Api, ForumChanges, Load, fan_out_figures, raise_fd_limit  # bench/live.py

FORUM_ID = 1
ORGANISER = ('organiser@hagiang.example', 'hagiang2023')
MODERATOR = ('moderator@hagiang.example', 'hagiang2023')
PROBE_INTERVAL = 0.05
POLL_INTERVAL = 0.1
CHANGE_INTERVAL = 1.0
SETTLE_SECONDS = 3.0
PHASE_TIMEOUT = 300
TARGET_SHARE = 0.1  # worst probe latency at most this share of the PDF job's own duration
PREFER_ASYNC = {'Prefer': 'respond-async'}
XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
STATIC_PATH = '/static/css/forum.css'  # served by the worker without touching the database


# The server: gunicorn's worker and the job worker, told apart ----------------------------------


class JobServer(Server):
    """``forum serve`` with its job worker, on a job queue file of its own."""

    def __init__(self, database_url: str, workdir: Path, **env: str):
        super().__init__(database_url, workdir)
        self.env.update({'FORUM_JOBS_DB': str(workdir / 'jobs.db'), **env})


def job_seconds(job: dict) -> float:
    """A job's own duration: ``created_at`` (submitted) to ``finished_at``."""
    created, finished = (datetime.fromisoformat(job[k]) for k in ('created_at', 'finished_at'))
    return (finished - created).total_seconds()


class JobWatch:
    """A job's state polled on a keep-alive connection: when it was last seen how far."""

    def __init__(self, url: str, token: str, job_id: int):
        host, port = url.removeprefix('http://').split(':')
        self.connection = http.client.HTTPConnection(host, int(port), timeout=30)
        self.headers = {'Authorization': f'Bearer {token}'}
        self.job_id = job_id
        self.samples: list[tuple[float, dict]] = []  # (perf_counter, job)

    def poll(self) -> dict:
        self.connection.request('GET', f'/api/v1/jobs/{self.job_id}', headers=self.headers)
        response = self.connection.getresponse()
        job = json.loads(response.read())
        if response.status != 200:
            raise RuntimeError(f'GET job {self.job_id}: {response.status} {job}')
        self.samples.append((time.perf_counter(), job))
        return job

    def wait(self, timeout: float, interval: float = POLL_INTERVAL, stop=None) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not (stop and stop.is_set()):
            job = self.poll()
            if job['state'] in ('done', 'failed'):
                return job
            time.sleep(interval)
        raise TimeoutError(f'job {self.job_id} not finished within {timeout:g} s')

    def close(self) -> None:
        self.connection.close()


# The probe and the moderator (threads of this process) -----------------------------------------


class Probe(threading.Thread):
    """A cheap request every ``interval`` on one keep-alive connection; (sent, latency, status)
    of each, ``sent`` on this process's perf_counter."""

    def __init__(self, url: str, path: str, token: str, interval: float = PROBE_INTERVAL):
        super().__init__(daemon=True)
        host, port = url.removeprefix('http://').split(':')
        self.address = host, int(port)
        self.path, self.interval = path, interval
        self.headers = {'Authorization': f'Bearer {token}'}
        self.samples: list[tuple[float, float, int]] = []
        self.errors: list[str] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        connection = http.client.HTTPConnection(*self.address, timeout=30)
        start = time.perf_counter()
        number = 0
        while not self.stopping.is_set():
            time.sleep(max(0.0, start + number * self.interval - time.perf_counter()))
            number += 1
            sent = time.perf_counter()
            try:
                connection.request('GET', self.path, headers=self.headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as error:
                self.errors.append(f'{type(error).__name__}: {error}')
                connection.close()
                connection = http.client.HTTPConnection(*self.address, timeout=30)
                continue
            self.samples.append((sent, time.perf_counter() - sent, response.status))
            if response.status != 200:
                self.errors.append(f'HTTP {response.status}')
            # Behind schedule (a slow answer): the next one goes now, not in a burst.
            number = max(number, int((time.perf_counter() - start) / self.interval))
        connection.close()

    def between(self, begin: float, end: float) -> list[float]:
        return sorted(latency for sent, latency, _s in self.samples if begin <= sent < end)


class Moderator(threading.Thread):
    """One question move (approved, current, answered) every ``interval`` seconds."""

    def __init__(self, url: str, token: str, senders: list[str], interval: float = CHANGE_INTERVAL):
        super().__init__(daemon=True)
        self.api = Api(url)
        self.changes = ForumChanges(self.api, token, senders)
        self.interval = interval
        self.made: list[tuple[float, float]] = []  # (sent, seconds the PATCH took)
        self.errors: list[str] = []
        self.stopping = threading.Event()

    def prepare(self, count: int) -> None:
        self.changes.prepare(count)

    def run(self) -> None:
        start = time.perf_counter()
        try:
            while not self.stopping.is_set() and self.changes.pending:
                time.sleep(max(0.0, start + len(self.made) * self.interval - time.perf_counter()))
                sent = time.perf_counter()
                try:
                    self.changes.change()
                except Exception as error:  # reported; the run goes on
                    self.errors.append(repr(error))
                self.made.append((sent, time.perf_counter() - sent))
        finally:
            self.api.close()


def sign_ins(url: str, count: int, timeout: float = 60) -> tuple[list[float], list[str]]:
    """``count`` sign-ins sent at the same moment, each on its own connection."""
    host, port = url.removeprefix('http://').split(':')
    body = json.dumps({'email': ORGANISER[0], 'password': ORGANISER[1]})
    barrier = threading.Barrier(count)
    took, errors = [], []

    def one() -> None:
        connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
        try:
            connection.connect()
            barrier.wait(timeout)
            sent = time.perf_counter()
            connection.request(
                'POST', '/api/v1/auth/token', body, {'Content-Type': 'application/json'}
            )
            response = connection.getresponse()
            response.read()
            took.append(time.perf_counter() - sent)
            if response.status != 200:
                errors.append(f'HTTP {response.status}')
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=one, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout + 5)
    return sorted(took), errors


# Preparing -------------------------------------------------------------------------------------


def script_app(database_url: str):
    """The app in this process, on the server's database (to build the list, time the PDF)."""
    import logging

    from config import Config
    from forum import create_app

    app = create_app(
        Config,
        {'SQLALCHEMY_DATABASE_URI': database_url, 'SECRET_KEY': 'bench', 'JOBS_BACKEND': 'memory'},
    )
    logging.getLogger().setLevel(logging.WARNING)
    return app


def build_import_list(app, rows: int) -> bytes:
    from import_delegates import build_list  # bench/import_delegates.py

    from forum.extensions import db
    from forum.forums.models import Forum

    with app.app_context():
        data = build_list(db.session.get(Forum, FORUM_ID), rows)
        db.session.remove()
    return data


def inline_pdf_seconds(app) -> tuple[float, int]:
    """What a request making the PDF itself would have held the loop for: ``invitation_pdf``
    of the whole forum, in this process."""
    from forum.extensions import db
    from forum.forums.models import Forum
    from forum.invitations.services import invitation_pdf

    with app.app_context():
        forum = db.session.get(Forum, FORUM_ID)
        started = time.perf_counter()
        pdf = invitation_pdf(forum, base_url='http://127.0.0.1:8000')
        seconds = time.perf_counter() - started
        db.session.remove()
    return seconds, len(pdf)


def submit(url: str, method: str, path: str, token: str, **kwargs) -> int:
    """Send a long request with ``Prefer: respond-async``; the job's id from its 202."""
    import aiohttp

    async def go():
        timeout = aiohttp.ClientTimeout(total=60)
        async with aiohttp.ClientSession(url, timeout=timeout) as session:
            headers = {'Authorization': f'Bearer {token}', **PREFER_ASYNC}
            async with session.request(method, path, headers=headers, **kwargs) as response:
                body = await response.json()
                if response.status != 202:
                    raise RuntimeError(f'{method} {path}: {response.status} {body}')
                return body['id']

    return asyncio.run(asyncio.wait_for(go(), 60))


def import_form(data: bytes):
    import aiohttp

    form = aiohttp.FormData()
    form.add_field('dry_run', '1')
    form.add_field('file', data, filename='danh-sach.xlsx', content_type=XLSX)
    return form


# The run ---------------------------------------------------------------------------------------


def ms(values: list[float]) -> str:
    if not values:
        return 'none'
    return (
        f'p50 {percentile(values, 50) * 1000:.1f}, p99 {percentile(values, 99) * 1000:.1f}, '
        f'max {values[-1] * 1000:.1f} ms ({len(values)} requests)'
    )


def heavy_phase(server: JobServer, token: str, data: bytes, args) -> dict:
    """Submit the PDF and the preview, 20 sign-ins a moment later; wait for all of them."""
    timings: dict = {}
    begin = time.perf_counter()
    pdf_id = submit(server.url, 'GET', f'/api/v1/forums/{FORUM_ID}/invitations.pdf', token)
    timings['pdf_submitted'] = time.perf_counter()
    import_id = submit(server.url, 'POST', f'/api/v1/forums/{FORUM_ID}/delegates/import', token,
                       data=import_form(data))  # fmt: skip
    watches = {'pdf': JobWatch(server.url, token, pdf_id),
               'preview': JobWatch(server.url, token, import_id)}  # fmt: skip
    finals: dict = {}
    failures: list[str] = []

    def wait(name: str) -> None:
        try:
            finals[name] = watches[name].wait(PHASE_TIMEOUT)
            timings[f'{name}_seen_done'] = watches[name].samples[-1][0]
        except Exception as error:
            failures.append(f'{name}: {error!r}')

    waiters = [threading.Thread(target=wait, args=(name,), daemon=True) for name in watches]
    for waiter in waiters:
        waiter.start()
    time.sleep(0.5)  # the jobs under way
    timings['sign_ins_sent'] = time.perf_counter()
    took, errors = sign_ins(server.url, args.sign_ins)
    timings['sign_ins_done'] = time.perf_counter()
    for waiter in waiters:
        waiter.join(PHASE_TIMEOUT + 10)
    end = time.perf_counter()
    pdf_bytes = 0
    if finals.get('pdf', {}).get('result'):  # the file the job made (after the phase)
        connection = watches['pdf'].connection
        connection.request('GET', finals['pdf']['result'], headers=watches['pdf'].headers)
        response = connection.getresponse()
        content = response.read()
        pdf_bytes = len(content) if content.startswith(b'%PDF') else 0
    for watch in watches.values():
        watch.close()
    if failures or set(finals) != set(watches):
        raise RuntimeError(f'jobs: {failures or finals}')
    return {
        'begin': begin, 'end': end, 'timings': timings, 'jobs': finals, 'sign_ins': took,
        'sign_in_errors': errors, 'pdf_bytes': pdf_bytes,
        'progress': {name: [(t - begin, j['progress'], j['total']) for t, j in w.samples]
                     for name, w in watches.items()},
    }  # fmt: skip


def run(args) -> dict:
    with sqlite_database() as (database_url, workdir):
        server = JobServer(database_url, workdir)
        started = time.perf_counter()
        server.cli('db', 'upgrade')
        print(f'  {server.cli("seed-demo", "--delegates", str(args.delegates)).splitlines()[0]}')
        app = script_app(database_url)
        data = build_import_list(app, args.rows)
        print(
            f'  prepared in {time.perf_counter() - started:.1f} s (the {args.rows}-row list: '
            f'{len(data) / 1024:.0f} KiB XLSX); serving on {server.url}'
        )
        load = probe = moderator = static = None
        try:
            server.start()
            api = Api(server.url)
            try:
                token = api.token(ORGANISER)
                codes = api.codes(token)
                moderator_token = api.token(MODERATOR)
            finally:
                api.close()
            if len(codes) < args.phones + 10:
                raise RuntimeError(f'only {len(codes)} codes for {args.phones} phones')
            web, jobs = server.worker_pid(), server.job_worker_pid()
            load = Load(args.procs, True, False)
            connected = load.connect('phones', server.url, codes[: args.phones])
            print(
                f'  phones: {connected["connected"]}/{args.phones} connected with their snapshot '
                f'in {connected["seconds"]:.1f} s'
                + (f'; failures {connected["failures"]}' if connected['failures'] else '')
            )
            moderator = Moderator(server.url, moderator_token, codes[args.phones :][::-1])
            moderator.prepare(int(args.quiet_seconds + PHASE_TIMEOUT / 2))
            load.collect()  # what came before (the questions' own events) does not count
            probe = Probe(server.url, args.probe_path, token)
            static = Probe(server.url, STATIC_PATH, token)  # the loop alone: no database
            cpu0 = cpu_seconds(web), cpu_seconds(jobs)
            probe.start()
            static.start()
            moderator.start()
            quiet_begin = time.perf_counter()
            time.sleep(args.quiet_seconds)
            cpu1 = cpu_seconds(web), cpu_seconds(jobs)
            heavy = heavy_phase(server, token, data, args)
            cpu2 = cpu_seconds(web), cpu_seconds(jobs)
            time.sleep(SETTLE_SECONDS)
            moderator.stopping.set()
            moderator.join(30)
            for thread in (probe, static):
                thread.stopping.set()
                thread.join(30)
            time.sleep(SETTLE_SECONDS)  # the last change's events
            collected = load.collect()['phones']
        finally:
            for thread in (probe, static, moderator):
                if thread is not None:
                    thread.stopping.set()
            if load is not None:
                load.stop()
            server.stop()
            if args.server_log:
                Path(args.server_log).write_text(server.log_path.read_text())
        inline = inline_pdf_seconds(app)
        with app.app_context():
            from forum.extensions import db

            db.engine.dispose()
    return {
        'connected': connected, 'collected': collected, 'probe': probe, 'static': static,
        'moderator': moderator,
        'quiet': (quiet_begin, quiet_begin + args.quiet_seconds), 'heavy': heavy,
        'cpu': {'quiet': [b - a for a, b in zip(cpu0, cpu1, strict=True)],
                'heavy': [b - a for a, b in zip(cpu1, cpu2, strict=True)]},
        'inline': inline,
    }  # fmt: skip


def report(result: dict, args) -> bool:
    probe, heavy = result['probe'], result['heavy']
    quiet = probe.between(*result['quiet'])
    loaded = probe.between(heavy['begin'], heavy['end'])
    pdf, preview = heavy['jobs']['pdf'], heavy['jobs']['preview']
    pdf_seconds = job_seconds(pdf)
    t = heavy['timings']
    print(
        f'  quiet ({args.quiet_seconds:g} s, phones and the moderator only): probe {ms(quiet)}; '
        f'CPU web worker {result["cpu"]["quiet"][0]:.2f} s, job worker '
        f'{result["cpu"]["quiet"][1]:.2f} s'
    )
    heavy_seconds = heavy['end'] - heavy['begin']
    print(
        f'  heavy ({heavy_seconds:.1f} s): probe {ms(loaded)}; CPU web worker '
        f'{result["cpu"]["heavy"][0]:.2f} s, job worker {result["cpu"]["heavy"][1]:.2f} s'
    )
    print(
        f'  PDF job: {pdf["state"]}, {pdf["progress"]}/{pdf["total"]} {pdf["unit"]}, '
        f'{heavy["pdf_bytes"] / 1e6:.1f} MB; own duration {pdf_seconds:.2f} s '
        f'(submit to seen done {t["pdf_seen_done"] - heavy["begin"]:.2f} s)'
    )
    print(
        f'  preview job: {preview["state"]}, {preview["progress"]}/{preview["total"]} '
        f'{preview["unit"]}, own duration {job_seconds(preview):.2f} s; summary '
        f'{json.dumps(preview.get("summary"), ensure_ascii=False)[:200]}'
    )
    polled = heavy['progress']['pdf']
    progress = [f'{s:.1f}s:{p}' for s, p, _total in polled[:: max(1, len(polled) // 8)]]
    print(f'  PDF progress as polled: {", ".join(progress)}')
    static = result['static']
    windows = {
        'jobs only (before the sign-ins, after the last answered)': [
            (heavy['begin'], t['sign_ins_sent']), (t['sign_ins_done'], heavy['end'])],
        'while the sign-ins were answered': [(t['sign_ins_sent'], t['sign_ins_done'])],
    }  # fmt: skip
    for label, spans in windows.items():
        lanes = {name: sorted(v for span in spans for v in lane.between(*span))
                 for name, lane in (('probe', probe), ('static file', static))}  # fmt: skip
        print(f'    {label}: ' + '; '.join(f'{n} {ms(v)}' for n, v in lanes.items()))
    print(
        f'  static-file probe (GET {STATIC_PATH}, no database): quiet '
        f'{ms(static.between(*result["quiet"]))}; heavy '
        f'{ms(static.between(heavy["begin"], heavy["end"]))}'
    )
    slowest = sorted(
        (latency, sent) for sent, latency, _s in probe.samples
        if heavy['begin'] <= sent < heavy['end']
    )[-5:]  # fmt: skip
    print(
        '  slowest probes (sent at s into the heavy phase: ms): '
        + ', '.join(f'{sent - heavy["begin"]:.2f}: {lat * 1000:.0f}' for lat, sent in slowest[::-1])
        + f'; sign-ins sent at {t["sign_ins_sent"] - heavy["begin"]:.2f} s'
    )
    signs = heavy['sign_ins']
    print(
        f'  {args.sign_ins} sign-ins at once (scrypt): {ms(signs)}; errors '
        f'{heavy["sign_in_errors"] or 0}; all answered '
        f'{t["sign_ins_done"] - t["sign_ins_sent"]:.2f} s after sending'
    )
    figures = fan_out_figures(result['collected'], args.phones)
    made = result['moderator'].made
    print(
        f'  moderator: {len(made)} changes (errors {result["moderator"].errors or 0}); phones: '
        f'{figures["events"]} events seen, {figures["complete"]}/{args.phones} got every one in '
        f'order; delivery p50 {figures["p"][50]:.0f}, p99 {figures["p"][99]:.0f}, max '
        f'{figures["p"][100]:.0f} ms; still connected {result["collected"]["connected"]}, '
        f'disconnects {result["collected"]["disconnects"]}'
    )
    print(f'  probe errors: {probe.errors[:3] or 0}; static-file probe: {static.errors[:3] or 0}')
    inline, size = result['inline']
    worst = loaded[-1] if loaded else float('inf')
    print(
        f"  worst probe latency during the heavy work {worst * 1000:.1f} ms; PDF job's own "
        f'duration {pdf_seconds * 1000:.0f} ms; ratio {worst / pdf_seconds:.3f} (target <= '
        f"{TARGET_SHARE:g}); against the quiet phase's worst {quiet[-1] * 1000:.1f} ms: "
        f'{worst / quiet[-1]:.1f}x'
    )
    print(
        f'  the old behaviour, for contrast: invitation_pdf of the whole forum in one process '
        f'{inline:.2f} s ({size / 1e6:.1f} MB), the loop frozen that long; worst probe / that = '
        f'{worst / inline:.3f}'
    )
    checks = {
        f"worst probe latency <= {TARGET_SHARE:g} x the PDF job's duration": (
            worst <= TARGET_SHARE * pdf_seconds
        ),
        'both jobs done': pdf['state'] == 'done' and preview['state'] == 'done',
        f'{args.sign_ins} sign-ins answered 200': (
            len(signs) == args.sign_ins and not heavy['sign_in_errors']
        ),
        f'{args.phones} phones connected, each got every event': (
            result['connected']['connected'] == args.phones
            and figures['complete'] == args.phones
            and figures['events'] == len(made)
        ),
        'no probe errors': not probe.errors,
    }
    for label, ok in checks.items():
        print(f'  {"PASS" if ok else "FAIL"}  {label}')
    return all(checks.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--phones', type=int, default=2000)
    parser.add_argument('--delegates', type=int, default=2100)
    parser.add_argument('--rows', type=int, default=10000, help='rows of the previewed list')
    parser.add_argument('--sign-ins', type=int, default=20)
    parser.add_argument('--quiet-seconds', type=float, default=10)
    parser.add_argument('--procs', type=int, default=2, help='load processes for the phones')
    parser.add_argument('--probe-path', default=f'/api/v1/forums/{FORUM_ID}/attendance')
    parser.add_argument('--server-log', metavar='PATH', help="keep the server's log")
    args = parser.parse_args()
    limit = raise_fd_limit(args.phones * 2 + 1000)
    print(f'machine: {machine()}; load average {os.getloadavg()[0]:.2f} before the run')
    print(
        f'{args.phones} phones, demo forum of {args.delegates} delegates, a change a second; '
        f'heavy: whole-forum PDF job, {args.rows}-row preview job, {args.sign_ins} sign-ins; '
        f'probe GET {args.probe_path} every {PROBE_INTERVAL * 1000:.0f} ms; open files {limit}; '
        f'run {uuid.uuid4().hex[:6]}'
    )
    result = run(args)
    return 0 if report(result, args) else 1


if __name__ == '__main__':
    sys.exit(main())
