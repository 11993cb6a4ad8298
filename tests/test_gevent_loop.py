"""Under gevent (as gunicorn's worker runs), a writer waiting for SQLite's lock, a writer of
another process holding it, and password hashing all leave the loop free: other greenlets go on.

Run in a child process patched by gevent, as the server is; the test reads what it measured.
"""

import json
import subprocess
import textwrap

from tests.servers import BIN

CHILD = textwrap.dedent(
    """
    from gevent import monkey

    monkey.patch_all()

    import json, subprocess, sys, time
    import gevent
    from sqlalchemy import text
    from config import Config
    from forum import create_app
    from forum.auth.hashing import hash_password, password_matches
    from forum.extensions import db

    path = sys.argv[1]
    app = create_app(Config, {'SQLALCHEMY_DATABASE_URI': f'sqlite:///{path}',
                              'SECRET_KEY': 'x', 'JOBS_BACKEND': 'memory'})
    with app.app_context():
        db.session.execute(text('CREATE TABLE t (x INTEGER)'))
        db.session.commit()

    gaps, waits, done = [], {}, []

    def ticker():
        last = time.monotonic()
        while not done:
            gevent.sleep(0.005)
            now = time.monotonic()
            gaps.append(now - last)
            last = now

    def slow_writer():  # holds the write lock across a cooperative wait
        with app.app_context():
            db.session.execute(text('INSERT INTO t VALUES (1)'))
            gevent.sleep(0.4)
            db.session.commit()

    def writer(name, value, delay):
        gevent.sleep(delay)
        with app.app_context():
            started = time.monotonic()
            db.session.execute(text(f'INSERT INTO t VALUES ({value})'))
            db.session.commit()
            waits[name] = time.monotonic() - started

    def hasher():
        started = time.monotonic()
        stored = hash_password('mật khẩu dài', 'scrypt')
        ok = all(password_matches(stored, 'mật khẩu dài') for _ in range(4))
        waits['hashing'] = time.monotonic() - started
        waits['hash_ok'] = ok

    tick = gevent.spawn(ticker)
    gevent.joinall([gevent.spawn(slow_writer), gevent.spawn(writer, 'same_process', 2, 0.05),
                    gevent.spawn(hasher)])
    # Another process (the job worker) takes the write lock for 0.5 s.
    other = subprocess.Popen(
        [sys.executable, '-c',
         'import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1], isolation_level=None); '
         'c.execute("BEGIN IMMEDIATE"); c.execute("INSERT INTO t VALUES (3)"); '
         'print("locked", flush=True); time.sleep(0.5); c.execute("COMMIT")', path],
        stdout=subprocess.PIPE, text=True)
    assert other.stdout.readline().strip() == 'locked'
    gevent.joinall([gevent.spawn(writer, 'other_process', 4, 0)])
    other.wait()
    done.append(True)
    tick.join()
    with app.app_context():
        rows = sorted(db.session.scalars(text('SELECT x FROM t')))
    print(json.dumps({'max_gap': max(gaps), 'rows': rows, **waits}))
    """
)


def test_waiting_writers_and_password_hashing_leave_the_loop_free(tmp_path):
    result = subprocess.run(
        [BIN / 'python', '-c', CHILD, str(tmp_path / 'forum.db')],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=str(BIN.parent.parent),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report['rows'] == [1, 2, 3, 4]  # every writer got its turn, none failed
    assert report['same_process'] >= 0.3  # it really waited for the slow writer
    assert report['other_process'] >= 0.3  # and for the other process's lock
    assert report['hash_ok'] is True
    # Meanwhile the loop kept turning: never a stall like SQLite's own wait (the whole lock
    # time) or a hash (about 100 ms) would cause.
    assert report['max_gap'] < 0.2, report
