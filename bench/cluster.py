"""Benchmark: two app processes behind nginx cost no more CPU per check-in than one.

The target, on PostgreSQL with Redis (``FORUM_REDIS_URL``) and Debian's nginx running the
shipped site ``deploy/nginx/forum.conf``: the same burst of 2,000 check-ins from 50 concurrent
clients through nginx, in front of one ``forum serve --no-jobs`` process and then two, costs the
gunicorn workers (their CPU time from /proc, summed) at most 1.2 times as much per check-in with
two processes as with one. Check-ins per second are recorded for both.

    .venv/bin/python bench/cluster.py [--processes 1,2] [--rounds 2] [--checkins 2000]
                                      [--clients 50] [--pg-url URL] [--redis-url URL]
                                      [--server-log PATH]

Each configuration of each round gets a scratch PostgreSQL database (``CREATE DATABASE``,
dropped afterwards) prepared with the CLI (``forum db upgrade``, ``forum seed-demo --delegates
2100``), its processes on free ports sharing one secret key, Redis and
``FORUM_TRUSTED_PROXIES=1``, and nginx on a free port with the site rewritten for plain HTTP
and these upstreams as ``tests/ops/test_nginx_cluster.py`` does (its code, imported). The
check-ins go through nginx (``bench/checkin.py``'s load: distinct delegates at their own
bridge points, each with a nonce); the database is checked afterwards (each stored once) and
nginx's access log tells how the check-ins were spread over the processes. With ``--rounds
N`` the configurations take turns N times (the machine is shared: medians are reported). Every
step has a time limit; nginx and the servers are stopped (process groups) whatever happens.
"""

import argparse
import asyncio
import os
import secrets
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from checkin import (  # bench/checkin.py
    DEFAULT_PG_URL,
    Server,
    api_setup,
    cpu_seconds,
    fire,
    machine,
    percentile,
    postgresql_database,
    stored_checkins,
)

from tests.ops.test_nginx_cluster import Nginx  # the cluster test's nginx on a config of its own

FORUM_ID = 1
DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379/13'
PHASE_TIMEOUT = 120
TARGET_RATIO = 1.2


class AppProcess(Server):
    """``forum serve --no-jobs`` (no job is sent here; a worker would only take CPU)."""

    def command(self, *serve_args: str) -> list:
        return [*super().command(*serve_args), '--no-jobs']


def nginx_children(nginx: Nginx) -> list[int]:
    path = Path(f'/proc/{nginx.process.pid}/task/{nginx.process.pid}/children')
    return [int(pid) for pid in path.read_text().split()]


def spread(nginx: Nginx, ports: list[int]) -> dict[int, int]:
    """Check-ins per app process, from nginx's access log (``$upstream_addr``)."""
    time.sleep(0.5)  # nginx writes each line just after answering
    counts: Counter = Counter()
    for line in (nginx.workdir / 'forum.access.log').read_text().splitlines():
        if '"POST /api/v1/forums/' in line and '/checkins"' in line:
            for port in ports:
                if f'127.0.0.1:{port}' in line:
                    counts[port] += 1
    return {port: counts[port] for port in ports}


def run_configuration(processes: int, round_number: int, args) -> dict:
    print(f'\n== {processes} process{"es" if processes > 1 else ""} behind nginx '
          f'(round {round_number}) ==', flush=True)  # fmt: skip
    with postgresql_database(args.pg_url) as (database_url, workdir):
        key = secrets.token_hex(32)
        servers = []
        for number in range(processes):
            directory = workdir / f'app{number + 1}'
            directory.mkdir()
            server = AppProcess(database_url, directory)
            server.env.update(
                FORUM_SECRET_KEY=key, FORUM_REDIS_URL=args.redis_url, FORUM_TRUSTED_PROXIES='1'
            )
            servers.append(server)
        started = time.perf_counter()
        servers[0].cli('db', 'upgrade')
        servers[0].cli('seed-demo', '--delegates', str(args.delegates))
        nginx = Nginx(workdir, [server.port for server in servers])
        for server in servers:  # the address in QR codes and mails: nginx's
            server.env['FORUM_PUBLIC_URL'] = nginx.url
        print(
            f'  prepared in {time.perf_counter() - started:.1f} s; processes on '
            f'{", ".join(str(s.port) for s in servers)}, nginx on {nginx.port}'
        )
        try:
            for server in servers:
                server.start()
            nginx.start()
            token, delegates = asyncio.run(
                asyncio.wait_for(api_setup(nginx.url, FORUM_ID, args.checkins), PHASE_TIMEOUT)
            )
            workers = [server.worker_pid() for server in servers]
            proxies = nginx_children(nginx)
            before = [cpu_seconds(pid) for pid in workers], sum(map(cpu_seconds, proxies))
            load = asyncio.run(
                asyncio.wait_for(
                    fire(nginx.url, FORUM_ID, token, delegates, args.clients, 0), PHASE_TIMEOUT
                )
            )
            after = [cpu_seconds(pid) for pid in workers], sum(map(cpu_seconds, proxies))
            shares = spread(nginx, [server.port for server in servers])
            stored = stored_checkins(database_url, FORUM_ID, load.nonces)
        finally:
            nginx.stop()
            for server in servers:
                server.stop()
            if args.server_log:
                for number, server in enumerate(servers, 1):
                    Path(f'{args.server_log}.{processes}-{number}').write_text(
                        server.log_path.read_text()
                    )
    worker_cpu = [b - a for a, b in zip(before[0], after[0], strict=True)]
    count = len(load.latencies)
    latencies = sorted(load.latencies)
    p = {q: percentile(latencies, q) * 1000 for q in (50, 95, 99, 100)}
    result = {
        'processes': processes,
        'rate': count / load.seconds,
        'p': p,
        'cpu_ms': sum(worker_cpu) / count * 1000,
        'nginx_ms': (after[1] - before[1]) / count * 1000,
        'ok': (
            not load.errors
            and count == args.checkins
            and stored['rows'] == args.checkins
            and stored['missing'] == stored['duplicated_nonces'] == 0
            and stored['duplicated_delegates'] == 0
        ),
    }
    print(
        f'  {count} check-ins in {load.seconds:.2f} s: {result["rate"]:.0f} check-ins/s; '
        f'p50 {p[50]:.1f}, p95 {p[95]:.1f}, p99 {p[99]:.1f}, max {p[100]:.1f} ms; '
        f'statuses {dict(load.statuses)}'
    )
    print(
        f'  worker CPU {" + ".join(f"{c:.2f}" for c in worker_cpu)} s = '
        f'{result["cpu_ms"]:.2f} ms a check-in; nginx {result["nginx_ms"]:.2f} ms a check-in; '
        f'check-ins per process (nginx log) {list(shares.values())}'
    )
    print(
        f'  errors {len(load.errors)}' + (f' (first: {load.errors[:3]})' if load.errors else '')
        + f'; stored {stored["rows"]} (missing {stored["missing"]}, duplicated '
        f'{stored["duplicated_nonces"] + stored["duplicated_delegates"]})'
    )  # fmt: skip
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--processes', default='1,2', help='configurations, in turn')
    parser.add_argument('--rounds', type=int, default=2)
    parser.add_argument('--checkins', type=int, default=2000)
    parser.add_argument('--clients', type=int, default=50)
    parser.add_argument('--delegates', type=int, default=2100)
    parser.add_argument('--pg-url', default=DEFAULT_PG_URL)
    parser.add_argument('--redis-url', default=DEFAULT_REDIS_URL)
    parser.add_argument('--server-log', metavar='PATH', help="keep the servers' logs")
    args = parser.parse_args()
    counts = [int(n) for n in args.processes.split(',')]
    print(f'machine: {machine()}; load average {os.getloadavg()[0]:.2f} before the run')
    print(
        f'{args.checkins} check-ins from {args.clients} clients through nginx; PostgreSQL, '
        f'Redis at {args.redis_url}; {args.rounds} round(s) of {counts} processes'
    )
    results: dict[int, list[dict]] = {n: [] for n in counts}
    for round_number in range(1, args.rounds + 1):
        for n in counts:
            results[n].append(run_configuration(n, round_number, args))

    print('\nsummary (medians over the rounds):')
    median = {
        n: {key: statistics.median(r[key] for r in runs) for key in ('rate', 'cpu_ms', 'nginx_ms')}
        | {'p99': statistics.median(r['p'][99] for r in runs)}
        for n, runs in results.items()
    }
    for n, m in median.items():
        per_round = ', '.join(format(r['cpu_ms'], '.2f') for r in results[n])
        print(
            f'  {n} process{"es" if n > 1 else ""}: {m["rate"]:.0f} check-ins/s, worker CPU '
            f'{m["cpu_ms"]:.2f} ms a check-in (nginx {m["nginx_ms"]:.2f}), p99 {m["p99"]:.1f} ms'
            f'; per round: {per_round} ms'
        )
    checks = {
        'zero errors, each check-in stored once': all(
            r['ok'] for runs in results.values() for r in runs
        )
    }
    base = counts[0]
    for n in counts[1:]:
        ratio = median[n]['cpu_ms'] / median[base]['cpu_ms']
        print(
            f'  {n} / {base}: CPU per check-in {ratio:.2f}x, check-ins/s '
            f'{median[n]["rate"] / median[base]["rate"]:.2f}x'
        )
        checks[f'CPU per check-in with {n} within {TARGET_RATIO:g}x of {base}'] = (
            ratio <= TARGET_RATIO
        )
    for label, ok in checks.items():
        print(f'  {"PASS" if ok else "FAIL"}  {label}')
    return 0 if all(checks.values()) else 1


if __name__ == '__main__':
    sys.exit(main())
