"""Benchmark: an e-mail batch does not hurt the door.

The target, on SQLite: a burst of 2,000 check-ins (50 concurrent clients) with 500 invitation
pages opened (``GET /i/<code>``, which records the first opening: a write) has zero errors and
a p99 at most twice the same burst's without a batch, while a 2,000-message invitation batch is
being sent through a real SMTP server that takes 20 ms per message.

    .venv/bin/python bench/mail_burst.py [--checkins 2000] [--opens 500] [--messages 2000]
                                         [--clients 50] [--open-clients 10] [--smtp-delay 0.02]
                                         [--no-wait] [--server-log PATH]

Each burst gets a fresh database (``forum db upgrade``, ``forum seed-demo --delegates 2100``),
where ``--messages`` delegates are given an address (an SQL UPDATE before the server starts;
the others none), and a ``forum serve`` of its own (web worker, and the job worker beside it
on a queue file of its own), with ``FORUM_MAIL_SERVER``/``FORUM_MAIL_PORT`` pointing at an
aiosmtpd server in this process (a thread) whose handler sleeps ``--smtp-delay`` per message.
Burst A is the baseline: no batch. For burst B the demo organiser signs in on the pages and
starts the batch as a person would: ``POST /forums/1/invitations/mail`` (kind=invitation), then
the confirmation page's form; once the batch is sending, the same burst is fired, while
``GET /api/v1/jobs/<id>`` is sampled every 0.25 s. The check-ins and page opens are then counted
in the database (each check-in once, each opening recorded) and, unless ``--no-wait``, the batch
is waited for (every message at the SMTP server). Every step has a time limit; the servers and
the SMTP server are stopped whatever happens.
"""

import argparse
import asyncio
import os
import re
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager

from checkin import (  # bench/checkin.py
    ORGANISER,
    api_setup,
    fire,
    machine,
    percentile,
    sqlite_database,
    stored_checkins,
)
from loop_stall import JobServer, JobWatch  # bench/loop_stall.py

from tests.servers import (
    free_port,  # the shared harness (bench/checkin.py put the root on the path)
)

FORUM_ID = 1
PHASE_TIMEOUT = 120
BATCH_TIMEOUT = 400
SAMPLE_INTERVAL = 0.25
TARGET_RATIO = 2.0
STARTED_MESSAGES = 20  # the batch is "being sent" once this many are out


# The SMTP server ---------------------------------------------------------------------------------


class SlowHandler:
    """Accepts every message after ``delay`` seconds; counts them."""

    def __init__(self, delay: float):
        self.delay = delay
        self.received: list[float] = []  # perf_counter of each
        self.recipients: Counter = Counter()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        await asyncio.sleep(self.delay)
        self.received.append(time.perf_counter())
        self.recipients.update(envelope.rcpt_tos)
        return '250 OK'


@contextmanager
def smtp_server(delay: float):
    from aiosmtpd.controller import Controller

    handler = SlowHandler(delay)
    controller = Controller(handler, hostname='127.0.0.1', port=free_port(), ready_timeout=10)
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


# Preparing ---------------------------------------------------------------------------------------


def give_addresses(database_url: str, count: int) -> int:
    """The first ``count`` delegates get an address of their own; the others none."""
    import sqlalchemy as sa

    engine = sa.create_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("UPDATE delegates SET email = ''"))
            connection.execute(
                sa.text(
                    "UPDATE delegates SET email = 'daibieu' || id || '@bench.example' WHERE id IN "
                    '(SELECT id FROM delegates WHERE forum_id = :forum ORDER BY id LIMIT :n)'
                ),
                {'forum': FORUM_ID, 'n': count},
            )
            return connection.scalar(sa.text("SELECT count(*) FROM delegates WHERE email != ''"))
    finally:
        engine.dispose()


def opened_count(database_url: str, codes: list[str]) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            opened = set(
                connection.scalars(
                    sa.text('SELECT code FROM delegates WHERE invitation_opened_at IS NOT NULL')
                )
            )
    finally:
        engine.dispose()
    return sum(code in opened for code in codes)


def newest_mail_job(database_url: str) -> int | None:
    import sqlalchemy as sa

    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.scalar(
                sa.text("SELECT id FROM jobs WHERE kind = 'mail' ORDER BY id DESC LIMIT 1")
            )
    finally:
        engine.dispose()


def hidden_fields(html: str, action: str) -> dict[str, str]:
    form = html[html.index(action) :]
    form = form[: form.index('</form>')]
    return dict(re.findall(r'<input [^>]*?name="([^"]+)" type="hidden" value="([^"]*)"', form))


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    if not match:
        raise RuntimeError('the page has no CSRF token')
    return match.group(1)


async def start_batch_on_the_pages(url: str) -> int:
    """Sign in as the organiser, ask for the invitation batch, confirm it; the count asked."""
    import aiohttp

    jar = aiohttp.CookieJar(unsafe=True)  # cookies for 127.0.0.1
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(url, cookie_jar=jar, timeout=timeout) as session:
        async with session.get('/login') as r:
            token = csrf_token(await r.text())
        email, password = ORGANISER
        form = {'email': email, 'password': password, 'csrf_token': token}
        async with session.post('/login', data=form, allow_redirects=False) as r:
            if r.status != 302:
                raise RuntimeError(f'sign-in on the page: {r.status}')
        async with session.get(f'/forums/{FORUM_ID}/invitations') as r:
            token = csrf_token(await r.text())
        form = {'kind': 'invitation', 'csrf_token': token}
        async with session.post(f'/forums/{FORUM_ID}/invitations/mail', data=form) as r:
            page = await r.text()
            if r.status != 200:
                raise RuntimeError(f'asking for the batch: {r.status}')
        fields = hidden_fields(page, '/invitations/mail/confirm')
        confirm = f'/forums/{FORUM_ID}/invitations/mail/confirm'
        async with session.post(confirm, data=fields, allow_redirects=False) as r:
            if r.status != 302:
                raise RuntimeError(f'confirming the batch: {r.status} {(await r.text())[:300]}')
        return int(fields['expected'])


# The burst ---------------------------------------------------------------------------------------


async def open_pages(url: str, codes: list[str], clients: int) -> dict:
    """Each code's page opened once, by ``clients`` workers on their own keep-alive sockets."""
    import aiohttp

    pending = list(codes)[::-1]
    latencies, errors = [], []

    async def worker(session) -> None:
        while pending:
            code = pending.pop()
            sent = time.perf_counter()
            try:
                async with session.get(f'/i/{code}') as response:
                    await response.read()
                    status = response.status
            except Exception as error:
                errors.append(f'{type(error).__name__}: {error}')
                continue
            latencies.append(time.perf_counter() - sent)
            if status != 200:
                errors.append(f'HTTP {status} for /i/{code[:6]}…')

    timeout = aiohttp.ClientTimeout(total=30)
    sessions = [
        aiohttp.ClientSession(url, connector=aiohttp.TCPConnector(limit=1), timeout=timeout)
        for _ in range(clients)
    ]
    try:
        for session in sessions:  # open the connections first (not timed)
            async with session.get('/healthz') as response:
                await response.read()
        started = time.perf_counter()
        await asyncio.gather(*(worker(session) for session in sessions))
        seconds = time.perf_counter() - started
    finally:
        await asyncio.gather(*(session.close() for session in sessions))
    return {'latencies': sorted(latencies), 'errors': errors, 'seconds': seconds}


async def burst(url: str, token: str, delegates: list[dict], open_codes: list[str], args):
    checkins, opens = await asyncio.gather(
        fire(url, FORUM_ID, token, delegates, args.clients, 0),
        open_pages(url, open_codes, args.open_clients),
    )
    return checkins, opens


class Sampler(threading.Thread):
    """A job's progress every ``SAMPLE_INTERVAL`` while the burst runs."""

    def __init__(self, watch: JobWatch):
        super().__init__(daemon=True)
        self.watch = watch
        self.stopping = threading.Event()
        self.errors: list[str] = []

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                self.watch.poll()
            except Exception as error:
                self.errors.append(repr(error))
            self.stopping.wait(SAMPLE_INTERVAL)


def run_burst(name: str, with_batch: bool, smtp, args) -> dict:
    controller, handler = smtp
    print(f'\n== burst {name}: {"while a batch is sent" if with_batch else "no batch"} ==')
    with sqlite_database() as (database_url, workdir):
        server = JobServer(
            database_url,
            workdir,
            FORUM_MAIL_SERVER='127.0.0.1',
            FORUM_MAIL_PORT=str(controller.port),
            FORUM_MAIL_SENDER='ban-to-chuc@hagiang.example',
        )
        started = time.perf_counter()
        server.cli('db', 'upgrade')
        server.cli('seed-demo', '--delegates', str(args.delegates))
        addressed = give_addresses(database_url, args.messages)
        print(
            f'  prepared in {time.perf_counter() - started:.1f} s ({addressed} delegates with '
            f'an address); serving on {server.url}'
        )
        sampler = watch = None
        result: dict = {'name': name}
        try:
            server.start()
            token, delegates = asyncio.run(
                asyncio.wait_for(api_setup(server.url, FORUM_ID, args.checkins), PHASE_TIMEOUT)
            )
            open_codes = [d['code'] for d in delegates[::-1][: args.opens]]
            if with_batch:
                received_before = len(handler.received)
                asked = asyncio.run(
                    asyncio.wait_for(start_batch_on_the_pages(server.url), PHASE_TIMEOUT)
                )
                batch_started = time.perf_counter()
                job_id = newest_mail_job(database_url)
                watch = JobWatch(server.url, token, job_id)
                deadline = time.monotonic() + PHASE_TIMEOUT
                while watch.poll()['progress'] < STARTED_MESSAGES:
                    if time.monotonic() > deadline:
                        raise TimeoutError('the batch did not start sending')
                    time.sleep(SAMPLE_INTERVAL)
                print(
                    f'  batch of {asked} confirmed on the pages (job {job_id}); '
                    f'{watch.samples[-1][1]["progress"]} sent '
                    f'{time.perf_counter() - batch_started:.1f} s later: the burst starts'
                )
                del watch.samples[:-1]  # from the last one before the burst on
                sampler = Sampler(watch)
                sampler.start()
            burst_started = time.perf_counter()
            checkins, opens = asyncio.run(
                asyncio.wait_for(
                    burst(server.url, token, delegates, open_codes, args), PHASE_TIMEOUT
                )
            )
            burst_ended = time.perf_counter()
            if sampler is not None:
                sampler.stopping.set()
                sampler.join(10)
                result['samples'] = [
                    (t - burst_started, job['state'], job['progress'], job['total'])
                    for t, job in watch.samples
                ]
                result['sampler_errors'] = sampler.errors
                during = [t for t in handler.received[received_before:] if burst_started <= t]
                result['smtp_during'] = sum(t < burst_ended for t in during)
            result['stored'] = stored_checkins(database_url, FORUM_ID, checkins.nonces)
            result['opened'] = opened_count(database_url, open_codes)
            if with_batch and not args.no_wait:
                job = watch.wait(BATCH_TIMEOUT, interval=1.0)
                result['batch'] = {
                    'job': job,
                    'seconds': time.perf_counter() - batch_started,
                    'smtp': len(handler.received) - received_before,
                }
        finally:
            if sampler is not None:
                sampler.stopping.set()
            if watch is not None:
                watch.close()
            server.stop()
            if args.server_log:
                with open(f'{args.server_log}.{name}', 'w') as log:
                    log.write(server.log_path.read_text())
    result.update(checkins=checkins, opens=opens, seconds=burst_ended - burst_started, args=args)
    print_burst(result)
    return result


def figures(latencies: list[float]) -> dict:
    values = sorted(latencies)
    return {q: percentile(values, q) * 1000 for q in (50, 95, 99, 100)}


def print_burst(result: dict) -> None:
    args = result['args']
    checkins, opens = result['checkins'], result['opens']
    c, o = figures(checkins.latencies), figures(opens['latencies'])
    print(
        f'  {len(checkins.latencies)} check-ins in {checkins.seconds:.2f} s '
        f'({len(checkins.latencies) / checkins.seconds:.0f}/s): p50 {c[50]:.1f}, p95 {c[95]:.1f}, '
        f'p99 {c[99]:.1f}, max {c[100]:.1f} ms; statuses {dict(checkins.statuses)}'
    )
    print(
        f'  {len(opens["latencies"])} pages opened in {opens["seconds"]:.2f} s: p50 {o[50]:.1f}, '
        f'p95 {o[95]:.1f}, p99 {o[99]:.1f}, max {o[100]:.1f} ms'
    )
    errors = checkins.errors + opens['errors']
    print(f'  errors: {len(errors)}' + (f' (first: {errors[:3]})' if errors else ''))
    stored = result['stored']
    print(
        f'  stored: {stored["rows"]} active check-ins (missing {stored["missing"]}, duplicated '
        f'{stored["duplicated_nonces"] + stored["duplicated_delegates"]}); openings recorded '
        f'{result["opened"]}/{args.opens}'
    )
    if 'samples' in result:
        samples = result['samples']
        shown = samples[:: max(1, len(samples) // 10)] + samples[-1:]
        print(
            '  batch progress during the burst (s into it: sent/total): '
            + ', '.join(f'{t:.2f}: {p}/{n}' for t, _state, p, n in shown)
        )
        moved = samples[-1][2] - samples[0][2]
        print(
            f'  the batch moved {moved} messages during the burst ({result["seconds"]:.2f} s, '
            f'{moved / result["seconds"]:.1f}/s); the SMTP server took {result["smtp_during"]} '
            f'meanwhile; sampling errors {result["sampler_errors"] or 0}'
        )
    if 'batch' in result:
        batch = result['batch']
        job = batch['job']
        print(
            f'  batch: {job["state"]}, {job["progress"]}/{job["total"]} {job["unit"]} in '
            f'{batch["seconds"]:.1f} s from confirming ({job["total"] / batch["seconds"]:.1f}/s); '
            f'summary {job.get("summary")}; the SMTP server received {batch["smtp"]}'
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--checkins', type=int, default=2000)
    parser.add_argument('--opens', type=int, default=500)
    parser.add_argument('--messages', type=int, default=2000, help='delegates with an address')
    parser.add_argument('--clients', type=int, default=50)
    parser.add_argument('--open-clients', type=int, default=10)
    parser.add_argument('--smtp-delay', type=float, default=0.02, help='seconds per message')
    parser.add_argument('--delegates', type=int, default=2100)
    parser.add_argument('--no-wait', action='store_true', help='do not wait for the batch to end')
    parser.add_argument('--server-log', metavar='PATH', help="keep the servers' logs (PATH.A/B)")
    args = parser.parse_args()
    print(f'machine: {machine()}; load average {os.getloadavg()[0]:.2f} before the run')
    print(
        f'{args.checkins} check-ins ({args.clients} clients) and {args.opens} invitation pages '
        f'({args.open_clients} clients); batch of {args.messages} messages, SMTP '
        f'{args.smtp_delay * 1000:.0f} ms a message'
    )
    with smtp_server(args.smtp_delay) as smtp:
        a = run_burst('A', False, smtp, args)
        b = run_burst('B', True, smtp, args)

    print('\nsummary:')
    checks = {}
    for label, pick in (
        ('check-ins', lambda r: r['checkins'].latencies),
        ('pages opened', lambda r: r['opens']['latencies']),
    ):
        fa, fb = figures(pick(a)), figures(pick(b))
        ratio = fb[99] / fa[99]
        print(
            f'  {label}: A p50 {fa[50]:.1f} / p99 {fa[99]:.1f} ms; B p50 {fb[50]:.1f} / p99 '
            f'{fb[99]:.1f} ms; p99(B)/p99(A) = {ratio:.2f}; p50(B)/p50(A) = '
            f'{fb[50] / fa[50]:.2f}'
        )
        checks[f'{label}: p99(B) <= {TARGET_RATIO:g} x p99(A)'] = ratio <= TARGET_RATIO
    for result in (a, b):
        errors = result['checkins'].errors + result['opens']['errors']
        stored = result['stored']
        checks[f'burst {result["name"]}: zero errors, each check-in stored once, every opening'] = (
            not errors
            and stored['rows'] == args.checkins
            and stored['missing'] == stored['duplicated_nonces'] == 0
            and stored['duplicated_delegates'] == 0
            and result['opened'] == args.opens
        )
    samples = b.get('samples', [])
    checks['the batch moved during burst B'] = bool(samples) and samples[-1][2] > samples[0][2]
    if 'batch' in b:
        job = b['batch']['job']
        checks[f'the batch sent all {args.messages}'] = (
            job['state'] == 'done'
            and (job.get('summary') or {}).get('sent') == args.messages
            and b['batch']['smtp'] == args.messages
        )
    for label, ok in checks.items():
        print(f'  {"PASS" if ok else "FAIL"}  {label}')
    return 0 if all(checks.values()) else 1


if __name__ == '__main__':
    sys.exit(main())
