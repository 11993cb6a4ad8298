"""Benchmark: a burst of 2,000 check-ins against the real server, with 500 boards watching.

The issue's targets, on SQLite (file, WAL) and on PostgreSQL alike: with 500 attendance-board
Socket.IO clients connected, 2,000 check-ins from 50 concurrent HTTP clients at 500 check-ins/s
or more, p99 latency at most 100 ms, zero errors, each check-in stored once.

    .venv/bin/python bench/checkin.py [--backends sqlite,postgresql] [--boards 500]
                                      [--checkins 2000] [--clients 50] [--rate R]
                                      [--pg-url URL] [--profile DIR] [--server-log PATH]

For each backend the script prepares a fresh database with the CLI (``forum db upgrade``,
``forum seed-demo --delegates 2100``) and a fresh ``FORUM_SECRET_KEY``, starts ``forum serve``
(gunicorn, one gevent worker) on a free port of 127.0.0.1, signs in as the demo organiser,
reads the delegates' codes through the API and then:

1. connects the boards (python-socketio AsyncClient, websocket transport, in a separate process
   so that their JSON parsing does not delay the load generator's clock) to ``/live`` with
   ``auth={forum_id, token}`` and checks that every one got its ``snapshot``;
2. sends the check-ins (distinct delegates, each at their own bridge point, each with its own
   nonce) from concurrent clients, each on its own keep-alive connection, timing every request:
   flat out by default (each client sends its next check-in as soon as it has its answer), or
   arriving at ``--rate`` per second (latency then counts from the arrival);
3. checks the database directly (every nonce stored, once; one active check-in per delegate) and
   ``GET …/attendance``, and that every board's last ``attendance`` event shows them all.

It also reports the CPU time the gunicorn worker spent per check-in (from /proc), which varies
less than the rates when other programs share the machine. ``--profile DIR`` samples the worker
with py-spy (``pip install py-spy``) during the burst.

PostgreSQL runs in a scratch database (``CREATE DATABASE bench_…``) dropped at the end; the
SQLite file lives in a temporary directory. Every step has a time limit; the servers are
stopped (their whole process group) whatever happens.
"""

import argparse
import asyncio
import multiprocessing
import os
import platform
import random
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from collections import Counter
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers import LiveServer, cpu_seconds  # noqa: E402  (the shared harness)

BIN = Path(sys.executable).parent
NAMESPACE = '/live'
ORGANISER = ('organiser@hagiang.example', 'hagiang2023')
DEFAULT_PG_URL = 'postgresql+psycopg://postgres@127.0.0.1:5432/test'
TARGET_RATE = 500.0
TARGET_P99_MS = 100.0
PHASE_TIMEOUT = 120


# The server -----------------------------------------------------------------------------------


def cpu_wait_seconds(pid: int) -> float:
    """Time a process spent runnable but waiting for a CPU (other programs ran), from /proc."""
    waited = 0
    for task in Path(f'/proc/{pid}/task').iterdir():
        with suppress(OSError):
            waited += int((task / 'schedstat').read_text().split()[1])
    return waited / 1e9


class Server(LiveServer):
    """``forum serve`` on ``database_url``, with a fresh secret key (``tests/servers.py``)."""

    def __init__(self, database_url: str, workdir: Path):
        super().__init__(workdir, database_url=database_url)


class BaselineServer(Server):
    """``bench/baseline_checkin_app.py`` under gunicorn, served as ``forum serve`` serves."""

    def __init__(self, database_url: str, workdir: Path):
        super().__init__(database_url, workdir)
        self.env['DATABASE_URL'] = database_url

    def command(self, *_serve_args: str) -> list:
        return [BIN / 'gunicorn', '--worker-class', 'gevent', '--workers', '1',
                '--worker-connections', '10000', '--bind', f'127.0.0.1:{self.port}',
                '--chdir', str(ROOT), 'bench.baseline_checkin_app:app']  # fmt: skip


@contextmanager
def sqlite_database():
    with tempfile.TemporaryDirectory(prefix='bench-checkin-') as tmp:
        yield f'sqlite:///{Path(tmp) / "forum.db"}', Path(tmp)


@contextmanager
def postgresql_database(admin_url: str):
    """A scratch database next to ``admin_url``'s, dropped afterwards."""
    import sqlalchemy as sa

    name = f'bench_checkin_{secrets.token_hex(4)}'
    admin = sa.create_engine(admin_url, isolation_level='AUTOCOMMIT')
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE {name}')
    url = sa.engine.make_url(admin_url).set(database=name)
    try:
        with tempfile.TemporaryDirectory(prefix='bench-checkin-') as tmp:
            yield url.render_as_string(hide_password=False), Path(tmp)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')
        admin.dispose()


# The boards (a separate process) --------------------------------------------------------------


@dataclass
class Board:
    snapshot: dict | None = None
    events: list = field(default_factory=list)  # (checked_in, version, delay in s)


async def _boards_main(conn, url: str, forum_id: int, token: str, count: int) -> None:
    import socketio

    boards = [Board() for _ in range(count)]
    clients = []
    failures = Counter()
    gate = asyncio.Semaphore(50)
    loop = asyncio.get_running_loop()

    async def connect(board: Board) -> None:
        client = socketio.AsyncClient(reconnection=False)
        got_snapshot = asyncio.Event()

        @client.on('snapshot', namespace=NAMESPACE)
        def on_snapshot(data):
            board.snapshot = data
            got_snapshot.set()

        @client.on('attendance', namespace=NAMESPACE)
        def on_attendance(data):
            board.events.append((data['checked_in'], data['version'], time.time() - data['ts']))

        clients.append(client)
        async with gate:
            try:
                await client.connect(
                    url,
                    transports=['websocket'],
                    namespaces=[NAMESPACE],
                    auth={'forum_id': forum_id, 'token': token},
                    wait_timeout=20,
                )
                await asyncio.wait_for(got_snapshot.wait(), 20)
            except Exception as error:  # counted and reported, the run goes on
                failures[type(error).__name__] += 1

    started = time.perf_counter()
    await asyncio.gather(*(connect(board) for board in boards))
    connected = sum(client.connected for client in clients)
    conn.send(
        {
            'connected': connected,
            'snapshots': sum(board.snapshot is not None for board in boards),
            'failures': dict(failures),
            'seconds': time.perf_counter() - started,
        }
    )
    expected = await loop.run_in_executor(None, conn.recv)  # the number of check-ins stored
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if all(b.events and b.events[-1][0] >= expected for b in boards if b.snapshot):
            break
        await asyncio.sleep(0.1)
    finals = Counter(b.events[-1][0] if b.events else None for b in boards)
    delays = [delay for board in boards for _n, _v, delay in board.events]
    in_order = all(
        all(a[1] < b[1] for a, b in zip(board.events, board.events[1:], strict=False))
        for board in boards
    )
    await asyncio.gather(*(c.disconnect() for c in clients if c.connected), return_exceptions=True)
    conn.send(
        {
            'events': [len(board.events) for board in boards],
            'finals': dict(finals),
            'delays': sorted(delays),
            'in_order': in_order,
        }
    )


def boards_process(conn, url: str, forum_id: int, token: str, count: int) -> None:
    # The boards stand for screens on other machines: here they share the server's CPUs, so
    # they give way to it (their receive delays are not what is measured).
    os.nice(10)
    try:
        asyncio.run(_boards_main(conn, url, forum_id, token, count))
    except Exception as error:
        conn.send({'error': repr(error)})


# The load -------------------------------------------------------------------------------------


async def api_setup(url: str, forum_id: int, checkins: int) -> tuple[str, list[dict]]:
    """Sign in as the organiser; pick ``checkins`` delegates with their codes and points."""
    import aiohttp

    async with aiohttp.ClientSession(url, timeout=aiohttp.ClientTimeout(total=60)) as session:
        email, password = ORGANISER
        credentials = {'email': email, 'password': password}
        async with session.post('/api/v1/auth/token', json=credentials) as r:
            r.raise_for_status()
            token = (await r.json())['token']
        headers = {'Authorization': f'Bearer {token}'}
        delegates, page = [], 1
        while True:
            async with session.get(
                f'/api/v1/forums/{forum_id}/delegates',
                params={'per_page': 500, 'page': page},
                headers=headers,
            ) as r:
                r.raise_for_status()
                body = await r.json()
            delegates += body['items']
            if len(delegates) >= body['total'] or not body['items']:
                break
            page += 1
        async with session.get(
            f'/api/v1/forums/{forum_id}/venues', params={'per_page': 500}, headers=headers
        ) as r:
            r.raise_for_status()
            venue_ids = {venue['id'] for venue in (await r.json())['items']}
    chosen = [d for d in delegates if d['venue_id'] in venue_ids and d.get('code')]
    if len(chosen) < checkins:
        raise RuntimeError(f'only {len(chosen)} delegates with codes, {checkins} needed')
    random.Random(4).shuffle(chosen)
    return token, chosen[:checkins]


def read_rows(database_url: str, sql: str, **params) -> list:
    """The rows of one query, on a connection of its own."""
    import sqlalchemy as sa

    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text(sql), params).all()
    finally:
        engine.dispose()


def database_delegates(database_url: str, forum_id: int, checkins: int) -> list[dict]:
    """``checkins`` delegates with their codes and points, read directly (the baseline has no
    API to list them), shuffled as ``api_setup`` shuffles."""
    rows = read_rows(
        database_url,
        'SELECT code, venue_id FROM delegates '
        'WHERE forum_id = :forum AND code IS NOT NULL ORDER BY id',
        forum=forum_id,
    )
    chosen = [{'code': code, 'venue_id': venue_id} for code, venue_id in rows]
    random.Random(4).shuffle(chosen)
    return chosen[:checkins]


@dataclass
class LoadResult:
    latencies: list[float]
    statuses: Counter
    errors: list[str]
    seconds: float
    nonces: list[str]


async def fire(url: str, forum_id: int, token: str, delegates: list[dict], clients: int,
               rate: float):  # fmt: skip
    """Every delegate checked in once, by ``clients`` workers on their own keep-alive sockets.

    ``rate`` 0: each worker sends its next check-in as soon as it has the answer to the last
    one (a closed loop: the server's top speed). ``rate`` R: the check-ins arrive at R per second
    and the next free worker sends each; its latency counts from when it arrived, so time spent
    waiting for a free worker counts too.
    """
    import aiohttp

    bodies = [
        {'code': d['code'], 'venue_id': d['venue_id'], 'nonce': secrets.token_hex(16)}
        for d in delegates
    ]
    pending = list(enumerate(bodies))[::-1]
    latencies, statuses, errors, timeline = [], Counter(), [], []
    headers = {'Authorization': f'Bearer {token}'}
    path = f'/api/v1/forums/{forum_id}/checkins'

    async def worker(index, session) -> None:
        while pending:
            number, body = pending.pop()
            if rate:
                arrives = started + number / rate
                await asyncio.sleep(arrives - time.perf_counter())
            sent = time.perf_counter()
            try:
                async with session.post(path, json=body, headers=headers) as response:
                    await response.read()
                    status = response.status
            except Exception as error:
                errors.append(f'{type(error).__name__}: {error}')
                continue
            latencies.append(time.perf_counter() - (arrives if rate else sent))
            timeline.append((sent - started, latencies[-1], index))
            statuses[status] += 1
            if not 200 <= status < 300:
                errors.append(f'HTTP {status} for {body["code"]}')

    timeout = aiohttp.ClientTimeout(total=30)
    sessions = [
        aiohttp.ClientSession(url, connector=aiohttp.TCPConnector(limit=1), timeout=timeout)
        for _ in range(clients)
    ]
    try:
        # Open the keep-alive connections first (one small request each, not timed).
        for session in sessions:
            async with session.get('/api/v1/forums', headers=headers) as response:
                response.raise_for_status()
        started = time.perf_counter()
        await asyncio.gather(*(worker(i, session) for i, session in enumerate(sessions)))
        seconds = time.perf_counter() - started
    finally:
        await asyncio.gather(*(session.close() for session in sessions))
    if os.environ.get('BENCH_TIMELINE'):  # (sent, latency, worker) of each, for a closer look
        import json

        Path(os.environ['BENCH_TIMELINE']).write_text(json.dumps(timeline))
    return LoadResult(latencies, statuses, errors, seconds, [body['nonce'] for body in bodies])


async def get_attendance(url: str, forum_id: int, token: str) -> dict:
    import aiohttp

    async with aiohttp.ClientSession(url, timeout=aiohttp.ClientTimeout(total=30)) as session:
        async with session.get(
            f'/api/v1/forums/{forum_id}/attendance', headers={'Authorization': f'Bearer {token}'}
        ) as response:
            response.raise_for_status()
            return await response.json()


def stored_checkins(database_url: str, forum_id: int, nonces: list[str]) -> dict:
    """What the database holds after the burst, read directly."""
    rows = read_rows(
        database_url,
        'SELECT delegate_id, nonce FROM checkins WHERE forum_id = :forum AND undone_at IS NULL',
        forum=forum_id,
    )
    by_nonce = Counter(nonce for _delegate, nonce in rows)
    by_delegate = Counter(delegate for delegate, _nonce in rows)
    return {
        'rows': len(rows),
        'missing': sum(1 for nonce in nonces if by_nonce[nonce] == 0),
        'duplicated_nonces': sum(1 for n in by_nonce.values() if n > 1),
        'duplicated_delegates': sum(1 for n in by_delegate.values() if n > 1),
    }


def start_profiler(pid: int, directory: str, name: str, rate: int = 500) -> subprocess.Popen:
    """py-spy (``pip install py-spy``) on a process, for ``--profile DIR``."""
    Path(directory).mkdir(parents=True, exist_ok=True)
    profiler = subprocess.Popen(
        [BIN / 'py-spy', 'record', '--pid', str(pid), '--format', 'raw', '--rate', str(rate),
         '--output', str(Path(directory) / f'{name}.txt'), '--nonblocking'],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(1)
    return profiler


def stop_profiler(profiler: subprocess.Popen) -> None:
    profiler.send_signal(signal.SIGINT)
    profiler.wait(timeout=60)


# One run --------------------------------------------------------------------------------------


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float('nan')
    index = min(len(sorted_values) - 1, max(0, round(q / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


def prepared_server(server_class, name: str, database_url: str, workdir: Path, args):
    """A server of ``server_class`` on a database prepared by the CLI: the demo forum."""
    print(f'\n== {name} ==', flush=True)
    server = server_class(database_url, workdir)
    started = time.perf_counter()
    server.cli('db', 'upgrade')
    print(f'  {server.cli("seed-demo", "--delegates", str(args.delegates)).splitlines()[0]}')
    print(f'  prepared in {time.perf_counter() - started:.1f} s; serving on {server.url}')
    return server


def run_baseline(name: str, database_url: str, workdir: Path, args) -> dict:
    """The same burst against ``bench/baseline_checkin_app.py`` on the same kind of database."""
    server = prepared_server(BaselineServer, name, database_url, workdir, args)
    forum_id = 1
    try:
        delegates = database_delegates(database_url, forum_id, args.checkins)
        server.start()
        cpu_before = server.cpu_seconds()
        load = asyncio.run(
            asyncio.wait_for(
                fire(server.url, forum_id, '', delegates, args.clients, args.rate),
                PHASE_TIMEOUT,
            )
        )
        cpu = server.cpu_seconds() - cpu_before
        stored = stored_checkins(database_url, forum_id, load.nonces)
    finally:
        server.stop()
    rate, p = report_load(load, args)
    print(f'  CPU of the worker: {cpu / len(load.latencies) * 1000:.2f} ms a check-in')
    checks = {
        'zero errors': not load.errors and len(load.latencies) == args.checkins,
        'each stored once': stored['rows'] == args.checkins and stored['missing'] == 0,
    }
    for label, ok in checks.items():
        print(f'  {"PASS" if ok else "FAIL"}  {label}')
    return {'name': name, 'rate': rate, 'p': p, 'checks': checks}


def report_load(load: LoadResult, args) -> tuple[float, dict]:
    """Print the burst's rate and latencies; return them."""
    latencies = sorted(load.latencies)
    rate = len(load.latencies) / load.seconds if load.seconds else 0.0
    p = {q: percentile(latencies, q) * 1000 for q in (50, 95, 99, 100)}
    print(
        f'  {len(latencies)} check-ins from {args.clients} clients in {load.seconds:.2f} s: '
        f'{rate:.0f} check-ins/s; statuses {dict(sorted(load.statuses.items()))}'
    )
    print(
        f'  latency ms{" (from arrival)" if args.rate else ""}: p50 {p[50]:.1f}, '
        f'p95 {p[95]:.1f}, p99 {p[99]:.1f}, max {p[100]:.1f}; '
        f'mean {statistics.fmean(latencies) * 1000:.1f}'
    )
    print(f'  errors: {len(load.errors)}' + (f' (first: {load.errors[:3]})' if load.errors else ''))
    return rate, p


def run_forum(name: str, database_url: str, workdir: Path, args, boards: int) -> dict:
    server = prepared_server(Server, name, database_url, workdir, args)
    forum_id = 1
    board_proc = None
    seen = {'events': [0], 'finals': {}, 'delays': [], 'in_order': True}
    ready = {'connected': 0, 'snapshots': 0}
    try:
        server.start()
        token, delegates = asyncio.run(
            asyncio.wait_for(api_setup(server.url, forum_id, args.checkins), PHASE_TIMEOUT)
        )
        if boards:
            parent, child = multiprocessing.get_context('spawn').Pipe()
            board_proc = multiprocessing.get_context('spawn').Process(
                target=boards_process,
                args=(child, server.url, forum_id, token, boards),
                daemon=True,
            )
            board_proc.start()
            if not parent.poll(PHASE_TIMEOUT):
                raise TimeoutError('the boards did not connect in time')
            ready = parent.recv()
            if 'error' in ready:
                raise RuntimeError(f'boards: {ready["error"]}')
            print(
                f'  boards: {ready["connected"]}/{boards} connected, '
                f'{ready["snapshots"]} snapshots in {ready["seconds"]:.1f} s'
                + (f', failures {ready["failures"]}' if ready['failures'] else '')
            )
        profiler = start_profiler(server.worker_pid(), args.profile, name) if args.profile else None
        boards_cpu = (lambda: cpu_seconds(board_proc.pid)) if board_proc else (lambda: 0.0)
        cpu_before = server.cpu_seconds(), time.process_time(), boards_cpu()
        waited_before = cpu_wait_seconds(server.worker_pid())
        load = asyncio.run(
            asyncio.wait_for(
                fire(server.url, forum_id, token, delegates, args.clients, args.rate),
                PHASE_TIMEOUT,
            )
        )
        cpu = (
            server.cpu_seconds() - cpu_before[0],
            time.process_time() - cpu_before[1],
            boards_cpu() - cpu_before[2],
        )
        waited = cpu_wait_seconds(server.worker_pid()) - waited_before
        if profiler is not None:
            stop_profiler(profiler)
        stored = stored_checkins(database_url, forum_id, load.nonces)
        attendance = asyncio.run(
            asyncio.wait_for(get_attendance(server.url, forum_id, token), PHASE_TIMEOUT)
        )
        if board_proc is not None:
            parent.send(stored['rows'])
            if not parent.poll(PHASE_TIMEOUT):
                raise TimeoutError('the boards did not report in time')
            seen = parent.recv()
            if 'error' in seen:
                raise RuntimeError(f'boards: {seen["error"]}')
    finally:
        if board_proc is not None:
            board_proc.join(timeout=10)
            if board_proc.is_alive():
                board_proc.kill()
        server.stop()
        if args.server_log:
            shutil.copy(server.log_path, f'{args.server_log}.{name}')

    rate, p = report_load(load, args)
    latencies = load.latencies
    events = sorted(seen['events'])
    delays = seen['delays']
    print(
        f'  CPU during the burst: server worker {cpu[0]:.2f} s '
        f'({cpu[0] / len(latencies) * 1000:.2f} ms a check-in, '
        f'{cpu[0] / load.seconds:.0%} of a core; it waited {waited:.2f} s for a CPU), '
        f'load generator {cpu[1]:.2f} s, boards {cpu[2]:.2f} s'
    )
    print(
        f'  stored: {stored["rows"]} active check-ins; missing nonces {stored["missing"]}, '
        f'duplicated nonces {stored["duplicated_nonces"]}, '
        f'delegates twice {stored["duplicated_delegates"]}; '
        f'GET attendance: checked_in {attendance["checked_in"]}'
    )
    if boards:
        print(
            f'  boards: attendance events per board min {events[0]}, '
            f'median {statistics.median(events):g}, max {events[-1]}; '
            f'last event shows {seen["finals"]} (checked_in: boards); versions increasing: '
            f'{seen["in_order"]}'
        )
    if delays:
        print(
            f'  fan-out delay (commit ts to board) ms: p50 {percentile(delays, 50) * 1000:.0f}, '
            f'p99 {percentile(delays, 99) * 1000:.0f}, max {delays[-1] * 1000:.0f}'
        )
    stored_once = (
        stored['rows'] == args.checkins
        and stored['missing'] == 0
        and stored['duplicated_nonces'] == 0
        and stored['duplicated_delegates'] == 0
        and attendance['checked_in'] == args.checkins
    )
    boards_ok = not boards or (
        ready['connected'] == boards
        and ready['snapshots'] == boards
        and seen['finals'] == {args.checkins: boards}
    )
    checks = {
        f'throughput >= {TARGET_RATE:.0f}/s': rate >= TARGET_RATE,
        f'p99 <= {TARGET_P99_MS:.0f} ms': p[99] <= TARGET_P99_MS,
        'zero errors': not load.errors and len(latencies) == args.checkins,
        'each stored once': stored_once,
        f'{boards} boards connected, last attendance shows all': boards_ok,
    }
    for label, ok in checks.items():
        print(f'  {"PASS" if ok else "FAIL"}  {label}')
    return {'name': name, 'rate': rate, 'p': p, 'checks': checks}


def machine() -> str:
    cpu = 'unknown CPU'
    with suppress(OSError), open('/proc/cpuinfo') as info:
        for line in info:
            if line.startswith('model name'):
                cpu = line.split(':', 1)[1].strip()
                break
    ram = ''
    with suppress(OSError), open('/proc/meminfo') as info:
        kib = int(next(line for line in info if line.startswith('MemTotal')).split()[1])
        ram = f', {kib / 1024**2:.0f} GiB RAM'
    return (
        f'{os.cpu_count()} CPUs ({cpu}){ram}; Python {platform.python_version()}; '
        f'sum(range(10**7)) in {python_yardstick_ms():.0f} ms'
    )


def python_yardstick_ms() -> float:
    """How fast this machine runs Python, to compare runs on different machines: the best of
    three ``sum(range(10**7))``, in ms (the same model name can hide very different speeds)."""
    return min(timeit.repeat('sum(range(10**7))', number=1, repeat=3)) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--backends', default='sqlite,postgresql')
    parser.add_argument('--boards', type=int, default=500)
    parser.add_argument('--checkins', type=int, default=2000)
    parser.add_argument('--clients', type=int, default=50)
    parser.add_argument(
        '--rate',
        type=float,
        default=0,
        help='check-ins arriving per second (default 0: every client sends flat out)',
    )
    parser.add_argument('--delegates', type=int, default=2100)
    parser.add_argument(
        '--rounds', type=int, default=2, help='runs of each configuration; the best one counts'
    )
    parser.add_argument('--pg-url', default=DEFAULT_PG_URL)
    parser.add_argument('--profile', metavar='DIR', help='py-spy the worker during the burst')
    parser.add_argument('--server-log', metavar='PATH', help="keep the server's log (PATH.backend)")
    args = parser.parse_args()
    print(f'machine: {machine()}; load average {os.getloadavg()[0]:.2f} before the run')
    print(
        f'{args.checkins} check-ins, {args.clients} clients, {args.boards} boards, '
        f'demo forum of {args.delegates} delegates; '
        + (f'check-ins arriving at {args.rate:g}/s' if args.rate else 'clients sending flat out')
    )
    results = []
    for backend in args.backends.split(','):
        if backend == 'sqlite':
            database = sqlite_database
        elif backend == 'postgresql':
            database = partial(postgresql_database, args.pg_url)
        else:
            parser.error(f'unknown backend {backend}')
        # Each on a fresh database prepared the same way: the baseline, the forum without boards
        # and the forum with them, one after the other, ``--rounds`` times over; each compares
        # by its best round (the machine's noise only ever slows a run down).
        rounds = []
        for number in range(1, args.rounds + 1):
            suffix = f' (round {number})' if args.rounds > 1 else ''
            runs = {}
            with database() as (url, workdir):
                runs['baseline'] = run_baseline(
                    f'{backend}: baseline app{suffix}', url, workdir, args
                )
            with database() as (url, workdir):
                runs['alone'] = run_forum(
                    f'{backend}: forum, no boards{suffix}', url, workdir, args, 0
                )
            with database() as (url, workdir):
                runs['boards'] = run_forum(
                    f'{backend}: forum, {args.boards} boards{suffix}',
                    url,
                    workdir,
                    args,
                    args.boards,
                )
            rounds.append(runs)
        runs = {
            key: max((r[key] for r in rounds), key=lambda run: run['rate']) for key in rounds[0]
        }
        for key in runs:  # a run's own checks (errors, stored once) count in every round
            runs[key] = {**runs[key], 'checks': {
                label: all(r[key]['checks'][label] for r in rounds) for label in runs[key]['checks']
            }}  # fmt: skip
        ratios = {
            'forum / baseline (no boards) >= 1.0': (
                runs['alone']['rate'] / runs['baseline']['rate'],
                1.0,
            ),
            f'forum with {args.boards} boards / without >= 0.9': (
                runs['boards']['rate'] / runs['alone']['rate'],
                0.9,
            ),
        }
        results.append((backend, runs, ratios))
    print('\nsummary:')
    failed = False
    for backend, runs, ratios in results:
        for run in runs.values():
            p = run['p']
            verdict = 'PASS' if all(run['checks'].values()) else 'FAIL'
            failed |= verdict == 'FAIL'
            print(
                f'  {verdict}  {run["name"]}: {run["rate"]:.0f} check-ins/s, '
                f'p50 {p[50]:.1f} ms, p95 {p[95]:.1f} ms, p99 {p[99]:.1f} ms, max {p[100]:.1f} ms'
            )
        for label, (ratio, target) in ratios.items():
            failed |= ratio < target
            print(f'  {"PASS" if ratio >= target else "FAIL"}  {backend}: {label}: {ratio:.2f}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
