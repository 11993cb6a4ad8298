"""Benchmark: crafted delegate lists cost the forum no more than an honest one.

Issue 11: a 112 KB XLSX with one row of a million cells took a worker to 1 GB and 11 s; a
workbook of a million shared strings, 9 s; a CSV of 2.5 million short lines, 7 s and +555 MB.
Any such file must get a 422 naming the limit within a second, the worker's memory unchanged.

Each crafted file of ``tests/delegates/crafted_files.py`` is posted to the real API
(``POST /api/v1/forums/{fid}/delegates/import?dry_run=1``) of an app on a SQLite file, with the
job worker running in this process (so this process's memory is the worker's). Printed per
file: the time to the answer and the answer, this process's resident memory after it and its
peak, and for reference what a plain openpyxl read-only read (or ``csv.reader``) of the same
file costs in a child process of its own (time, peak memory; killed at 30 s or 3 GB).

The yardstick, measured in the same run: the same request with an honest 2,000-row list.

    .venv/bin/python bench/upload_limits.py
"""

import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = 'mat-khau-bench-1'
REFERENCE_SECONDS = 30
REFERENCE_MEMORY = 3 * 1024**3

# How a naive reader reads the file: openpyxl read-only (as the forum did), or csv.reader.
REFERENCE_READER = """
import csv, io, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, ({memory}, {memory}))
data = sys.stdin.buffer.read()
start = time.perf_counter()
outcome = 'read'
try:
    if data.startswith(b'PK'):
        from openpyxl import load_workbook
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = sum(1 for _ in book.worksheets[0].iter_rows(max_col=64, values_only=True))
    else:
        rows = sum(1 for _ in csv.reader(io.StringIO(data.decode('utf-8'))))
except MemoryError:
    outcome = 'out of memory'
except Exception as error:
    outcome = type(error).__name__
status = open('/proc/self/status').read().split('VmHWM:')[1]
peak = int(status.split()[0]) / 1024  # ru_maxrss would count the parent's pages before exec
print(f'{{time.perf_counter() - start:.2f}} {{peak:.0f}} {{outcome}}')
"""


def memory_mb() -> tuple[float, float]:
    """This process's resident memory and its peak so far, in MB."""
    values = {}
    for line in Path('/proc/self/status').read_text().splitlines():
        key, _, rest = line.partition(':')
        if key in ('VmRSS', 'VmHWM'):
            values[key] = int(rest.split()[0]) / 1024
    return values['VmRSS'], values['VmHWM']


def reference_cost(data: bytes) -> str:
    """What reading the file naively costs, in a child of its own."""
    script = REFERENCE_READER.format(memory=REFERENCE_MEMORY)
    try:
        done = subprocess.run(
            [sys.executable, '-c', script],
            input=data,
            capture_output=True,
            timeout=REFERENCE_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f'> {REFERENCE_SECONDS} s (stopped)'
    seconds, peak, *outcome = done.stdout.decode().split()
    return f'{float(seconds):.2f} s, peak {peak} MB, {" ".join(outcome)}'


def crafted_cases():
    from tests.delegates import crafted_files as crafted

    return [
        ('one row of a million cells (xlsx)', crafted.a_million_cells_in_one_row, 'ds.xlsx'),
        ('3,000 cells in a row, lying dimension', crafted.a_wide_row_that_packs_like_data,
         'ds.xlsx'),
        ('a cell on row 1,000,000', crafted.a_cell_far_down, 'ds.xlsx'),
        ('a million strings, declared',
         lambda: crafted.many_shared_strings(10, declared=10**6), 'ds.xlsx'),
        ('a million identical strings, undeclared',
         lambda: crafted.many_shared_strings(10**6, distinct=False), 'ds.xlsx'),
        ('200,001 strings, undeclared', lambda: crafted.many_shared_strings(200_001), 'ds.xlsx'),
        ('an entity bomb', crafted.an_entity_bomb, 'ds.xlsx'),
        ('2.5 million short lines (csv)', crafted.millions_of_lines, 'ds.csv'),
        ('a 200 KB line (csv)', crafted.one_long_line, 'ds.csv'),
    ]  # fmt: skip


def post(client, forum_id, headers, data, filename):
    start = time.perf_counter()
    response = client.post(
        f'/api/v1/forums/{forum_id}/delegates/import?dry_run=1',
        data={'file': (io.BytesIO(data), filename)},
        headers=headers,
    )
    return time.perf_counter() - start, response


def main() -> None:
    import logging

    from bench.import_delegates import build_forum, build_list
    from config import TestConfig
    from forum import create_app
    from forum.auth.models import User, UserRole
    from forum.extensions import db
    from forum.jobs.worker import Worker

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            TestConfig,
            {
                'SQLALCHEMY_DATABASE_URI': f'sqlite:///{Path(tmp) / "bench.db"}',
                'JOBS_SQLITE_PATH': str(Path(tmp) / 'jobs.db'),
                'TESTING': False,
                'RATELIMIT_ENABLED': False,
            },
        )
        logging.getLogger().setLevel(logging.ERROR)
        with app.app_context():
            db.create_all()
            forum = build_forum()
            honest = build_list(forum, 2000)
            user = User(
                email='organiser@bench.test', full_name='Ban tổ chức', role=UserRole.ORGANISER
            )
            user.set_password(PASSWORD)
            db.session.add(user)
            db.session.commit()
            forum_id = forum.id
        worker = Worker(app, 2).start_in_background()
        try:
            client = app.test_client()
            token = client.post(
                '/api/v1/auth/token', json={'email': 'organiser@bench.test', 'password': PASSWORD}
            ).json['token']
            headers = {'Authorization': f'Bearer {token}'}
            # Built before anything is measured: building them costs this process memory.
            cases = [(label, build(), filename) for label, build, filename in crafted_cases()]
            post(client, forum_id, headers, honest, 'ds.xlsx')  # warm: the fork server starts
            yardstick = []
            for _ in range(3):
                seconds, response = post(client, forum_id, headers, honest, 'ds.xlsx')
                assert response.status_code == 200, response.json
                yardstick.append(seconds)
            baseline = statistics.median(yardstick)
            rss, peak = memory_mb()
            print(f'yardstick: an honest 2,000-row XLSX ({len(honest) // 1024} KB), dry run '
                  f'through the API: {baseline:.3f} s (median of 3)')  # fmt: skip
            print(
                f'this process (web + worker) after it: {rss:.0f} MB resident, peak {peak:.0f} MB\n'
            )
            worst = 0.0
            for label, data, filename in cases:
                seconds, response = post(client, forum_id, headers, data, filename)
                worst = max(worst, seconds)
                message = (response.json.get('errors') or [{}])[0].get('message', '')
                now_rss, now_peak = memory_mb()
                print(f'{label}: {len(data) // 1024} KB')
                print(f'  forum: {response.status_code} in {seconds:.3f} s '
                      f'({seconds / baseline:.2f}x the yardstick); resident {now_rss:.0f} MB, '
                      f'peak {now_peak:.0f} MB')  # fmt: skip
                print(f'  says: {message}')
                print(f'  a naive read: {reference_cost(data)}')
            rss_end, peak_end = memory_mb()
            print(
                json.dumps(
                    {
                        'yardstick_s': round(baseline, 3),
                        'slowest_refusal_s': round(worst, 3),
                        'slowest_refusal_x_yardstick': round(worst / baseline, 2),
                        'peak_mb_before': round(peak),
                        'peak_mb_after': round(peak_end),
                        'resident_mb_after': round(rss_end),
                    }
                )
            )
        finally:
            worker.stop()


if __name__ == '__main__':
    main()
