"""Benchmark: a moderator's change fanned out over Socket.IO to 2,000, then 5,000 delegates.

The issue's targets, with one gunicorn gevent worker on this machine and the load clients
(python-socketio AsyncClient, websocket transport) on the same machine:

- 2,000 delegates connected to ``/live``, zero connect failures, each with its ``snapshot``; a
  moderator's change reaches all of them with p99 at most 250 ms (latency = the client's clock
  when the ``question`` event is handled minus the event's ``ts``, the server's clock at commit;
  one machine, one clock);
- 5,000 connected clients hold, zero failures, with the worker's memory per connection;
- in the same run, the baseline anyone would write first (``bench/baseline_socketio_app.py``, a
  plain Flask-SocketIO app served the same way) emitting the same payloads to as many clients
  as often: ours must be clearly better: lower p50, p95 and p99, and at most half the worker's
  CPU per delivered event for the fan-out (the requests and engine.io's pings left out, each
  measured on its own: changes made before anyone connects, and a few seconds idle).

    .venv/bin/python bench/live.py [--clients 2000] [--hold-clients 5000] [--changes 24]
                                   [--interval 0.75] [--hold-seconds 45] [--procs 2]
                                   [--no-uvloop] [--deflate] [--skip-baseline] [--profile DIR]

The script prepares a fresh SQLite database with the CLI (``forum db upgrade``, ``forum seed-demo
--delegates N``), starts ``forum serve`` and the baseline (``gunicorn -k gevent -w 1
--worker-connections 10000``) on free ports of 127.0.0.1, signs in as the demo organiser to read
the delegates' codes and as the demo moderator, then:

1. connects ``--clients`` delegates to each server (``auth={forum_id, code}``, each code once)
   from ``--procs`` load processes and checks that each got its ``snapshot``;
2. has delegates send questions (POST, not timed), then the two servers take turns, one change
   every ``--interval`` seconds: the moderator's PATCH (approved, current, answered) on ours,
   ``POST /emit`` with the payload ours sent last on the baseline, ``--changes`` each. Taking
   turns, both see the same machine: this one has 2 cores, and whatever else runs on it slows
   both alike. Every audience ``question`` event is timed in every client;
3. disconnects the baseline's clients, stops it, connects more delegates to ours up to
   ``--hold-clients``, holds them ``--hold-seconds`` with a few changes on the way and checks
   that none dropped and all got every change; the worker's VmRSS before the first connection
   and with all of them connected gives the memory per connection.

The load processes run on uvloop (``--no-uvloop``: asyncio's loop) and freeze their objects
out of the garbage collector's way after connecting: on 2 shared cores their CPU time per
received event is part of every latency measured, for both servers. The file-descriptor limit
is raised for the servers and the clients; every phase has a time limit; servers and load
processes are stopped whatever happens.
"""

import argparse
import asyncio
import gc
import json
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from contextlib import suppress
from pathlib import Path

from checkin import (  # bench/checkin.py
    Server,
    cpu_seconds,
    cpu_wait_seconds,
    machine,
    percentile,
    start_profiler,
    stop_profiler,
)

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NAMESPACE = '/live'
FORUM_ID = 1
ORGANISER = ('organiser@hagiang.example', 'hagiang2023')
MODERATOR = ('moderator@hagiang.example', 'hagiang2023')
TARGET_P99_MS = 250.0
CONNECT_CONCURRENCY = 40  # connections being opened at once, per load process
PHASE_TIMEOUT = 300
SETTLE_SECONDS = 3.0  # after the last change, for the last events to arrive
# What the workers spend with nothing to send: engine.io pings every client every 25 s, so the
# idle window covers one whole round (the pings alone cost about as much as a few fan-outs).
IDLE_SECONDS = 26.0
WARM_UP_CHANGES, TIMED_REQUESTS = 3, 12  # changes with nobody connected: the requests alone
FAN_OUT_RATIO = 0.5  # "clearly better": our fan-out CPU per delivered event at most this share
QUESTION_TEXT = (
    'Đề nghị Ủy ban nhân dân tỉnh cho biết lộ trình nâng cấp tuyến đường liên xã từ trung tâm '
    'huyện đến các thôn vùng cao, kinh phí dự kiến và thời gian hoàn thành, để người dân yên tâm '
    'sản xuất và đưa nông sản ra chợ trong mùa mưa?'
)
RESPONSE_TEXT = (
    'Sở Giao thông vận tải tiếp thu; tuyến đường đã có trong kế hoạch đầu tư công trung hạn, '
    'dự kiến khởi công trong quý IV và hoàn thành trước mùa mưa năm sau.'
)


# Processes and limits -------------------------------------------------------------------------


def raise_fd_limit(wanted: int) -> int:
    """Raise this process's open-files limit (inherited by the servers and load processes)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= wanted:
        return soft
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(wanted, soft), max(wanted, hard)))
    except (ValueError, OSError):  # not root: as far as the hard limit allows
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def system_seconds(pid: int) -> float:
    """The kernel's share of a process's CPU time so far (sends, receives, wake-ups)."""
    fields = Path(f'/proc/{pid}/stat').read_text().rsplit(')', 1)[1].split()
    return int(fields[12]) / os.sysconf('SC_CLK_TCK')


def rss_mib(pid: int) -> float:
    """A process's resident memory (VmRSS) in MiB."""
    for line in Path(f'/proc/{pid}/status').read_text().splitlines():
        if line.startswith('VmRSS:'):
            return int(line.split()[1]) / 1024
    return float('nan')


class BaselineServer(Server):
    """``bench/baseline_socketio_app.py`` under gunicorn, one gevent worker (as ``forum serve``)."""

    def command(self, *serve_args: str) -> list:
        return [
            BIN / 'gunicorn', '-k', 'gevent', '-w', '1', '--worker-connections', '10000',
            '--bind', f'127.0.0.1:{self.port}', '--chdir', str(ROOT / 'bench'),
            'baseline_socketio_app:app',
        ]  # fmt: skip


# The load processes ---------------------------------------------------------------------------


async def _load_main(conn, deflate: bool) -> None:
    """Hold Socket.IO clients, each tagged with its server; obey the parent's commands."""
    import socketio

    loop = asyncio.get_running_loop()
    clients: dict[str, list] = defaultdict(list)  # tag -> clients
    records: dict[str, list[list]] = defaultdict(list)  # tag -> per client (version, latency)
    labels: dict[str, dict] = defaultdict(dict)  # tag -> version -> (question id, status)
    last: dict[str, dict] = {}  # tag -> the last audience event's payload
    disconnects: Counter = Counter()

    async def connect(tag, url, code, gate, failures) -> None:
        client = socketio.AsyncClient(
            reconnection=False,
            handle_sigint=False,
            websocket_extra_options={'compress': 15 if deflate else 0},
        )
        record: list = []
        got_snapshot = asyncio.Event()

        @client.on('snapshot', namespace=NAMESPACE)
        def on_snapshot(_data):
            got_snapshot.set()

        @client.on('question', namespace=NAMESPACE)
        def on_question(data):
            received = time.time()
            if data.get('mine'):  # the sender's own item: not the audience's stream
                return
            record.append((data['version'], received - data['ts']))
            if data['version'] not in labels[tag]:
                labels[tag][data['version']] = (data.get('id'), data.get('status'))
                last[tag] = data

        @client.on('disconnect', namespace=NAMESPACE)
        def on_disconnect(*_args):
            disconnects[tag] += 1

        async with gate:
            try:
                await client.connect(
                    url,
                    transports=['websocket'],
                    namespaces=[NAMESPACE],
                    auth={'forum_id': FORUM_ID, 'code': code},
                    wait_timeout=30,
                )
                await asyncio.wait_for(got_snapshot.wait(), 30)
            except Exception as error:  # counted and reported, the run goes on
                failures[type(error).__name__] += 1
                with suppress(Exception):
                    await client.disconnect()
                return
        clients[tag].append(client)
        records[tag].append(record)

    while True:
        command, argument = await loop.run_in_executor(None, conn.recv)
        if command == 'connect':
            tag, url, codes = argument
            failures: Counter = Counter()
            gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
            before = len(clients[tag])
            await asyncio.gather(*(connect(tag, url, code, gate, failures) for code in codes))
            # The clients' own objects (hundreds of thousands) out of the collector's way, so
            # that a full collection in a load process does not show up as fan-out latency.
            gc.collect()
            gc.freeze()
            conn.send({'connected': len(clients[tag]) - before, 'failures': dict(failures)})
        elif command == 'collect':
            conn.send(
                {
                    tag: {
                        'records': [list(r) for r in records[tag]],
                        'labels': dict(labels[tag]),
                        'connected': sum(c.connected for c in clients[tag]),
                        'disconnects': disconnects[tag],
                    }
                    for tag in list(clients)
                }
            )
            for per_tag in records.values():
                for record in per_tag:
                    record.clear()
            labels.clear()
        elif command == 'last':
            conn.send({'payload': last.get(argument)})
        elif command in ('drop', 'stop'):
            tags = [argument] if command == 'drop' else list(clients)
            for tag in tags:
                await asyncio.gather(
                    *(c.disconnect() for c in clients[tag] if c.connected), return_exceptions=True
                )
                clients.pop(tag, None)
                records.pop(tag, None)
                disconnects.pop(tag, None)
            conn.send({'dropped': tags})
            if command == 'stop':
                return


def load_process(conn, use_uvloop: bool, deflate: bool) -> None:
    try:
        if use_uvloop:
            import uvloop

            uvloop.run(_load_main(conn, deflate))
        else:
            asyncio.run(_load_main(conn, deflate))
    except Exception as error:
        conn.send({'error': repr(error)})


class Load:
    """``procs`` load processes, each holding a share of every server's clients."""

    def __init__(self, procs: int, use_uvloop: bool, deflate: bool):
        context = multiprocessing.get_context('spawn')
        self.pipes, self.processes = [], []
        for _ in range(procs):
            parent, child = context.Pipe()
            process = context.Process(
                target=load_process, args=(child, use_uvloop, deflate), daemon=True
            )
            process.start()
            self.pipes.append(parent)
            self.processes.append(process)

    def ask(self, commands: list, timeout: float = PHASE_TIMEOUT, pipes=None) -> list[dict]:
        pipes = pipes or self.pipes
        for pipe, command in zip(pipes, commands, strict=True):
            pipe.send(command)
        answers = []
        deadline = time.monotonic() + timeout
        for pipe in pipes:
            if not pipe.poll(max(0.0, deadline - time.monotonic())):
                raise TimeoutError(f'a load process did not answer {commands[0][0]!r} in time')
            answer = pipe.recv()
            if 'error' in answer:
                raise RuntimeError(f'load process: {answer["error"]}')
            answers.append(answer)
        return answers

    def connect(self, tag: str, url: str, codes: list[str]) -> dict:
        """Connect one client per code to ``url``, spread over the processes."""
        shares = [codes[i :: len(self.pipes)] for i in range(len(self.pipes))]
        started = time.perf_counter()
        answers = self.ask([('connect', (tag, url, share)) for share in shares])
        failures = Counter()
        for answer in answers:
            failures.update(answer['failures'])
        return {
            'connected': sum(a['connected'] for a in answers),
            'failures': dict(failures),
            'seconds': time.perf_counter() - started,
        }

    def collect(self) -> dict:
        """Per tag: every client's (version, latency) since the last collect, and the rest."""
        answers = self.ask([('collect', None)] * len(self.pipes))
        merged = {}
        for tag in {tag for answer in answers for tag in answer}:
            parts = [answer[tag] for answer in answers if tag in answer]
            labels = {}
            for part in parts:
                labels.update(part['labels'])
            merged[tag] = {
                'records': [r for part in parts for r in part['records']],
                'labels': labels,
                'connected': sum(part['connected'] for part in parts),
                'disconnects': sum(part['disconnects'] for part in parts),
            }
        return merged

    def last_payload(self, tag: str) -> dict | None:
        """The last audience event a client connected to ``tag`` received."""
        return self.ask([('last', tag)], pipes=self.pipes[:1])[0]['payload']

    def drop(self, tag: str) -> None:
        self.ask([('drop', tag)] * len(self.pipes))

    def cpu_seconds(self) -> float:
        return sum(cpu_seconds(p.pid) for p in self.processes)

    def run_delay(self) -> float:
        return sum(cpu_wait_seconds(p.pid) for p in self.processes)

    def stop(self) -> None:
        with suppress(Exception):
            self.ask([('stop', None)] * len(self.pipes), timeout=60)
        for process in self.processes:
            process.join(timeout=10)
            if process.is_alive():
                process.kill()


# The moderator --------------------------------------------------------------------------------


class Api:
    """The forum's JSON API through one aiohttp session (a loop of its own in this thread)."""

    def __init__(self, url: str):
        self.url = url
        self.loop = asyncio.new_event_loop()
        self.session = None

    def run(self, coroutine, timeout: float = PHASE_TIMEOUT):
        return self.loop.run_until_complete(asyncio.wait_for(coroutine, timeout))

    async def _request(self, method: str, path: str, token: str | None = None, **kwargs):
        import aiohttp

        if self.session is None:
            timeout = aiohttp.ClientTimeout(total=60)
            self.session = aiohttp.ClientSession(self.url, timeout=timeout)
        headers = {'Authorization': f'Bearer {token}'} if token else {}
        async with self.session.request(method, path, headers=headers, **kwargs) as response:
            body = await response.json()
            if response.status >= 400:
                raise RuntimeError(f'{method} {path}: {response.status} {body}')
            return body

    def request(self, method: str, path: str, token: str | None = None, **kwargs):
        return self.run(self._request(method, path, token, **kwargs))

    def token(self, account: tuple[str, str]) -> str:
        email, password = account
        body = self.request(
            'POST', '/api/v1/auth/token', json={'email': email, 'password': password}
        )
        return body['token']

    def codes(self, token: str) -> list[str]:
        codes, page = [], 1
        while True:
            body = self.request(
                'GET',
                f'/api/v1/forums/{FORUM_ID}/delegates',
                token,
                params={'per_page': 500, 'page': page},
            )
            codes += [d['code'] for d in body['items'] if d.get('code')]
            if page * 500 >= body['total'] or not body['items']:
                return codes
            page += 1

    def close(self) -> None:
        if self.session is not None:
            self.run(self.session.close())
        self.loop.close()


class ForumChanges:
    """Questions sent by delegates, then moved along by the moderator: one PATCH per change."""

    MOVES = ('approved', 'current', 'answered')

    def __init__(self, api: Api, token: str, senders: list[str]):
        self.api, self.token, self.senders = api, token, senders
        self.pending: list[tuple[int, str]] = []  # (question id, next status)

    def _new_question(self) -> int:
        code = self.senders.pop()
        body = self.api.request(
            'POST',
            f'/api/v1/forums/{FORUM_ID}/questions',
            json={'text': QUESTION_TEXT, 'kind': 'question', 'mode': 'written', 'code': code},
        )
        return body['id']

    def prepare(self, changes: int) -> None:
        """Send the questions the next ``changes`` changes move along (their events are not
        timed: a pending item goes to the staff and its sender only)."""
        while len(self.pending) < changes:
            question = self._new_question()
            self.pending += [(question, move) for move in self.MOVES]

    def change(self) -> None:
        question, status = self.pending.pop(0)
        body = {'status': status}
        if status == 'answered':
            body.update(response=RESPONSE_TEXT, answered_by='Giám đốc Sở Giao thông vận tải')
        self.api.request('PATCH', f'/api/v1/questions/{question}', self.token, json=body)


class BaselineChanges:
    """``POST /emit`` of the baseline app: each time the payload our server sent last."""

    def __init__(self, api: Api, load: Load):
        self.api, self.load = api, load

    def prepare(self, changes: int) -> None:
        pass

    def _payload(self) -> dict:
        payload = self.load.last_payload(OURS) or DEFAULT_PAYLOAD
        return {k: v for k, v in payload.items() if k not in ('version', 'ts')}

    def change(self) -> None:
        self.api.request('POST', '/emit', json=self._payload())


def run_changes(streams: dict, count: int, interval: float) -> dict[str, list[float]]:
    """``count`` changes on each stream, taking turns, one change every ``interval`` seconds;
    the request times of each stream."""
    for changes in streams.values():
        changes.prepare(count)
    time.sleep(1.0)
    took = {name: [] for name in streams}
    start = time.perf_counter()
    turns = [name for _ in range(count) for name in streams]
    for number, name in enumerate(turns):
        time.sleep(max(0.0, start + number * interval - time.perf_counter()))
        sent = time.perf_counter()
        streams[name].change()
        took[name].append(time.perf_counter() - sent)
    time.sleep(SETTLE_SECONDS)
    return took


# Figures --------------------------------------------------------------------------------------


def fan_out_figures(collected: dict, clients: int) -> dict:
    """Latencies over every (client, event) pair; who got every event, in order."""
    records = collected['records']
    versions = sorted({version for record in records for version, _ in record})
    expected = set(versions)
    latencies = sorted(latency for record in records for _, latency in record)
    per_event = defaultdict(list)
    for record in records:
        for version, latency in record:
            per_event[version].append(latency)
    complete = sum(
        1
        for record in records
        if {v for v, _ in record} == expected
        and all(a[0] < b[0] for a, b in zip(record, record[1:], strict=False))
    )
    contiguous = versions == list(range(versions[0], versions[-1] + 1)) if versions else False
    return {
        'events': len(versions),
        'pairs': len(latencies),
        'p': {q: percentile(latencies, q) * 1000 for q in (50, 95, 99, 100)},
        'per_event': {v: sorted(per_event[v]) for v in versions},
        'complete': complete,
        'clients': clients,
        'contiguous': contiguous,
    }


def print_fan_out(figures: dict, labels: dict) -> None:
    print('    per event (version, item, status: clients, p50 / p99 / max ms):')
    for version, values in figures['per_event'].items():
        item, status = labels.get(version, (None, None))
        print(
            f'      v{version:<4} #{item} {status or "":9} {len(values):5}  '
            f'{percentile(values, 50) * 1000:6.1f} / {percentile(values, 99) * 1000:6.1f} '
            f'/ {values[-1] * 1000:6.1f}'
        )
    p = figures['p']
    print(
        f'    overall ({figures["pairs"]} client-event pairs, {figures["events"]} events): '
        f'p50 {p[50]:.1f} ms, p95 {p[95]:.1f} ms, p99 {p[99]:.1f} ms, max {p[100]:.1f} ms'
    )
    print(
        f'    clients that got every event, in order: {figures["complete"]}/{figures["clients"]} '
        f'({figures["complete"] / max(1, figures["clients"]):.1%}); versions contiguous: '
        f'{figures["contiguous"]}'
    )


# The runs -------------------------------------------------------------------------------------

OURS, BASELINE = 'ours', 'baseline'


def request_costs(servers: dict, streams: dict) -> dict:
    """Worker CPU per change with nobody connected: the request without the fan-out (after a
    few to warm up)."""
    costs = {}
    for name, changes in streams.items():
        worker = servers[name].worker_pid()
        changes.prepare(WARM_UP_CHANGES + TIMED_REQUESTS)
        for _ in range(WARM_UP_CHANGES):
            changes.change()
        before = cpu_seconds(worker)
        for _ in range(TIMED_REQUESTS):
            changes.change()
            time.sleep(0.05)
        costs[name] = (cpu_seconds(worker) - before) / TIMED_REQUESTS
    return costs


def idle_costs(servers: dict) -> dict:
    """Worker CPU per second with the clients connected and nothing to send (engine.io's pings)."""
    workers = {name: server.worker_pid() for name, server in servers.items()}
    before = {name: cpu_seconds(pid) for name, pid in workers.items()}
    time.sleep(IDLE_SECONDS)
    return {name: (cpu_seconds(pid) - before[name]) / IDLE_SECONDS for name, pid in workers.items()}


def measure(servers: dict, load: Load, streams: dict, args) -> dict:
    """The timed changes, the servers taking turns, ``args.clients`` connected to each."""
    extra = {'request': args.request_costs, 'idle': idle_costs(servers)}
    print(
        '  besides the fan-out, worker CPU: '
        + '; '.join(
            f'{name} {extra["request"][name] * 1000:.1f} ms per change with nobody connected, '
            f'{extra["idle"][name] * 1000:.0f} ms per second idle (pings)'
            for name in streams
        )
    )
    load.collect()  # drop what came before
    profilers = []
    if args.profile:  # the workers, and the load processes
        for name, server in servers.items():
            profilers.append(start_profiler(server.worker_pid(), args.profile, name, rate=200))
        for number, process in enumerate(load.processes):
            profilers.append(start_profiler(process.pid, args.profile, f'load{number}', rate=200))
    workers = {name: server.worker_pid() for name, server in servers.items()}
    cpu_before = {name: cpu_seconds(pid) for name, pid in workers.items()}
    system_before = {name: system_seconds(pid) for name, pid in workers.items()}
    waited_before = {name: cpu_wait_seconds(pid) for name, pid in workers.items()}
    load_before = load.cpu_seconds(), load.run_delay()
    started = time.perf_counter()
    took = run_changes(streams, args.changes, args.interval)
    seconds = time.perf_counter() - started
    cpu = {name: cpu_seconds(pid) - cpu_before[name] for name, pid in workers.items()}
    system = {name: system_seconds(pid) - system_before[name] for name, pid in workers.items()}
    waited = {name: cpu_wait_seconds(pid) - waited_before[name] for name, pid in workers.items()}
    load_cpu = load.cpu_seconds() - load_before[0], load.run_delay() - load_before[1]
    for profiler in profilers:
        stop_profiler(profiler)
    collected = load.collect()
    print(f'\n  {args.changes} changes to each server, taking turns, one every {args.interval:g} s')
    results = {}
    for name in streams:
        figures = fan_out_figures(collected[name], args.clients)
        delivered = max(1, figures['pairs'])
        print(
            f'  {name}: request times median {statistics.median(took[name]) * 1000:.0f} ms, '
            f'max {max(took[name]) * 1000:.0f} ms'
        )
        print_fan_out(figures, collected[name]['labels'])
        fan_out = (
            cpu[name] - extra['idle'][name] * seconds - extra['request'][name] * len(took[name])
        )
        figures['fan_out_us'] = fan_out / delivered * 1e6
        print(
            f'    server worker: CPU {cpu[name]:.2f} s ({system[name]:.2f} s in the kernel), '
            f'waited for a CPU {waited[name]:.2f} s; less the requests and pings, the fan-out '
            f'took {fan_out:.2f} s: {figures["fan_out_us"]:.1f} µs per delivered event'
        )
        results[name] = figures
    delivered = max(1, sum(f['pairs'] for f in results.values()))
    print(
        f'  load processes: CPU {load_cpu[0]:.2f} s ({load_cpu[0] / delivered * 1e6:.0f} µs per '
        f'received event), waited for a CPU {load_cpu[1]:.2f} s; load average '
        f'{os.getloadavg()[0]:.2f} after'
    )
    return results


def connect_report(name: str, connected: dict, wanted: int, rss: tuple) -> None:
    per = (rss[1] - rss[0]) * 1024 / max(1, connected['connected'])
    print(
        f'  {name}: {connected["connected"]}/{wanted} connected with their snapshot in '
        f'{connected["seconds"]:.1f} s; failures {connected["failures"] or 0}; worker RSS '
        f'{rss[0]:.0f} MiB before, {rss[1]:.0f} MiB after ({per:.0f} KiB per connection)'
    )


def hold(args, server, load, changes, codes, rss_before) -> dict:
    """Connect up to ``--hold-clients``, hold them with a few changes, check none dropped."""
    more = load.connect(OURS, server.url, codes[args.clients : args.hold_clients])
    total = args.clients + more['connected']
    worker = server.worker_pid()
    rss_connected = rss_mib(worker)
    print(
        f'\n  hold: {more["connected"]} more connected to ours in {more["seconds"]:.1f} s '
        f'({total}/{args.hold_clients} in all); failures {more["failures"] or 0}; '
        f'worker RSS {rss_connected:.0f} MiB'
    )
    load.collect()
    count = args.hold_changes
    cpu_before = cpu_seconds(worker)
    run_changes({OURS: changes}, count, args.hold_seconds / count)
    cpu = cpu_seconds(worker) - cpu_before
    collected = load.collect()[OURS]
    rss_after = rss_mib(worker)
    figures = fan_out_figures(collected, args.hold_clients)
    per_connection = (rss_connected - rss_before) * 1024 / max(1, total)
    print(
        f'  held {args.hold_seconds:g} s with {count} changes: {collected["connected"]} still '
        f'connected, {collected["disconnects"]} disconnects; worker RSS {rss_after:.0f} MiB at '
        f'the end; worker CPU {cpu:.2f} s'
    )
    print_fan_out(figures, collected['labels'])
    print(
        f'  memory: {rss_before:.0f} MiB before connecting, {rss_connected:.0f} MiB with '
        f'{total} connected: {per_connection:.0f} KiB per connection'
    )
    return {
        'connected': total,
        'failures': more['failures'],
        'still': collected['connected'],
        'disconnects': collected['disconnects'],
        'figures': figures,
        'per_connection_kib': per_connection,
    }


def run(args, codes_needed: int) -> dict:
    with tempfile.TemporaryDirectory(prefix='bench-live-') as tmp:
        ours = Server(f'sqlite:///{Path(tmp) / "forum.db"}', Path(tmp))
        baseline = None if args.skip_baseline else BaselineServer('sqlite://', Path(tmp) / 'base')
        load = api = base_api = None
        try:
            started = time.perf_counter()
            ours.cli('db', 'upgrade')
            seeded = ours.cli('seed-demo', '--delegates', str(args.delegates))
            print(f'\n  {seeded.splitlines()[0]}')
            print(f'  prepared in {time.perf_counter() - started:.1f} s')
            ours.start()
            servers = {OURS: ours}
            if baseline is not None:
                baseline.log_path.parent.mkdir()
                baseline.start()
                servers[BASELINE] = baseline
            print('  ' + '; '.join(f'{name} on {s.url}' for name, s in servers.items()))
            api = Api(ours.url)
            codes = api.codes(api.token(ORGANISER))
            moderator = api.token(MODERATOR)
            if len(codes) < codes_needed:
                raise RuntimeError(f'only {len(codes)} codes, {codes_needed} needed')
            for server in servers.values():  # the worker has loaded the app once it answers
                with suppress(urllib.error.HTTPError):
                    urllib.request.urlopen(f'{server.url}/bench-warm-up', timeout=30).close()
            load = Load(args.procs, args.uvloop, args.deflate)
            streams = {OURS: ForumChanges(api, moderator, codes[args.hold_clients :][::-1])}
            if baseline is not None:
                base_api = Api(baseline.url)
                streams[BASELINE] = BaselineChanges(base_api, load)
            args.request_costs = request_costs(servers, streams)
            rss_before = {name: rss_mib(s.worker_pid()) for name, s in servers.items()}
            connected = {OURS: load.connect(OURS, ours.url, codes[: args.clients])}
            connect_report(OURS, connected[OURS], args.clients,
                           (rss_before[OURS], rss_mib(ours.worker_pid())))  # fmt: skip
            if baseline is not None:
                fake_codes = [f'BASE{i:06d}' for i in range(args.clients)]  # it takes any auth
                connected[BASELINE] = load.connect(BASELINE, baseline.url, fake_codes)
                connect_report(BASELINE, connected[BASELINE], args.clients,
                               (rss_before[BASELINE], rss_mib(baseline.worker_pid())))  # fmt: skip
            figures = measure(servers, load, streams, args)
            payload = load.last_payload(OURS) or {}
            print(
                f'  payload: {len(json.dumps(payload, ensure_ascii=False).encode())} bytes of '
                'JSON as UTF-8 (the last event; the baseline emitted the same dicts)'
            )
            result = {'connected': connected, 'figures': figures}
            if baseline is not None:
                load.drop(BASELINE)
                baseline.stop()
            if args.hold_clients > args.clients:
                result['hold'] = hold(args, ours, load, streams[OURS], codes, rss_before[OURS])
            return result
        finally:
            if load is not None:
                load.stop()
            for client in (api, base_api):
                if client is not None:
                    client.close()
            ours.stop()
            if baseline is not None:
                baseline.stop()
            if args.server_log:
                Path(args.server_log).write_text(ours.log_path.read_text())


DEFAULT_PAYLOAD = {  # should the baseline emit before any of ours arrived: an answered item
    'id': 1, 'visible': True, 'text': QUESTION_TEXT, 'kind': 'question', 'mode': 'written',
    'status': 'answered', 'position': 1,
    'venue': {'id': 12, 'name': 'Điểm cầu xã Minh Tân, huyện Vị Xuyên', 'tier': 'commune'},
    'author': None, 'votes': 0, 'answered_by': 'Giám đốc Sở Giao thông vận tải',
    'response': RESPONSE_TEXT, 'answered_at': '2023-05-23T03:12:45.123456+00:00',
    'created_at': '2023-05-23T03:10:02.654321+00:00',
}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--clients', type=int, default=2000)
    parser.add_argument('--hold-clients', type=int, default=5000)
    parser.add_argument('--hold-seconds', type=float, default=45)
    parser.add_argument('--hold-changes', type=int, default=4)
    parser.add_argument('--changes', type=int, default=24, help='changes to each server')
    parser.add_argument('--interval', type=float, default=0.75, help='seconds between changes')
    parser.add_argument('--procs', type=int, default=2, help='load processes')
    parser.add_argument('--delegates', type=int, default=5200)
    parser.add_argument(
        '--no-uvloop',
        dest='uvloop',
        action='store_false',
        help="the load processes on asyncio's own loop rather than uvloop",
    )
    parser.add_argument(
        '--deflate',
        action='store_true',
        help='the clients ask for permessage-deflate, as browsers do (python-socketio does not)',
    )
    parser.add_argument('--skip-baseline', action='store_true')
    parser.add_argument('--profile', metavar='DIR', help='py-spy the workers during the changes')
    parser.add_argument('--server-log', metavar='PATH', help="keep our server's log")
    args = parser.parse_args()
    args.hold_clients = max(args.hold_clients, args.clients)
    codes_needed = (
        args.hold_clients + args.changes + args.hold_changes + WARM_UP_CHANGES + TIMED_REQUESTS
    )
    if args.delegates < codes_needed:
        parser.error(f'--delegates must be at least {codes_needed}')
    limit = raise_fd_limit(args.hold_clients * 2 + args.clients * 2 + 1000)
    print(f'machine: {machine()}; load average {os.getloadavg()[0]:.2f} before the run')
    print(
        f'{args.clients} clients on each server ({args.procs} load processes, '
        f'{"uvloop" if args.uvloop else "asyncio"}'
        f'{", asking for permessage-deflate" if args.deflate else ""}), '
        f'{args.changes} changes each; then '
        f'{args.hold_clients} on ours held {args.hold_seconds:g} s; open-files limit {limit}'
    )
    result = run(args, codes_needed)

    print('\nsummary:')
    checks = {}
    ours = result['figures'][OURS]
    connected = result['connected'][OURS]
    p = ours['p']
    print(
        f'  ours at {args.clients}: p50 {p[50]:.1f} ms, p95 {p[95]:.1f} ms, '
        f'p99 {p[99]:.1f} ms, max {p[100]:.1f} ms'
    )
    checks[f'{args.clients} connected, zero failures, each with its snapshot'] = (
        connected['connected'] == args.clients and not connected['failures']
    )
    checks[f'p99 <= {TARGET_P99_MS:.0f} ms at {args.clients} clients'] = p[99] <= TARGET_P99_MS
    checks['every client got every event, in order'] = (
        ours['complete'] == args.clients and ours['contiguous']
    )
    if BASELINE in result['figures']:
        base = result['figures'][BASELINE]['p']
        print(
            f'  baseline at {args.clients}: p50 {base[50]:.1f} ms, p95 {base[95]:.1f} ms, '
            f'p99 {base[99]:.1f} ms, max {base[100]:.1f} ms'
        )
        ours_cpu = result['figures'][OURS]['fan_out_us']
        base_cpu = result['figures'][BASELINE]['fan_out_us']
        ratios = {q: p[q] / max(1e-9, base[q]) for q in (50, 95, 99)}
        print(
            f'  ours / baseline: p50 {ratios[50]:.2f}, p95 {ratios[95]:.2f}, '
            f'p99 {ratios[99]:.2f}; fan-out CPU per delivered event {ours_cpu:.1f} / '
            f'{base_cpu:.1f} µs = {ours_cpu / base_cpu:.2f}'
        )
        checks[
            'clearly better than the baseline (p50, p95, p99 lower; fan-out CPU per event '
            f'<= {FAN_OUT_RATIO:g} of its)'
        ] = all(r < 1 for r in ratios.values()) and ours_cpu <= FAN_OUT_RATIO * base_cpu
    if 'hold' in result:
        h = result['hold']
        print(
            f'  hold: {h["still"]}/{args.hold_clients} connected after {args.hold_seconds:g} s, '
            f'{h["figures"]["complete"]} got every event, p99 {h["figures"]["p"][99]:.1f} ms; '
            f'{h["per_connection_kib"]:.0f} KiB per connection'
        )
        checks[f'{args.hold_clients} held {args.hold_seconds:g} s, zero failures'] = (
            h['connected'] == args.hold_clients
            and not h['failures']
            and h['still'] == args.hold_clients
            and h['disconnects'] == 0
            and h['figures']['complete'] == args.hold_clients
        )
    for label, ok in checks.items():
        print(f'  {"PASS" if ok else "FAIL"}  {label}')
    return 0 if all(checks.values()) else 1


if __name__ == '__main__':
    sys.exit(main())
