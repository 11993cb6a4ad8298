"""SQLite as the embedded default: WAL, foreign keys, a busy timeout, IMMEDIATE writes."""

import threading
import time

import pytest
from sqlalchemy import text

from config import TestConfig
from forum import create_app
from forum.database import use_read_only_transactions, use_write_transactions
from forum.extensions import db


@pytest.fixture
def sqlite_app(tmp_path):
    app = create_app(TestConfig, {'SQLALCHEMY_DATABASE_URI': f'sqlite:///{tmp_path / "f.db"}'})
    with app.app_context():
        with db.engine.begin() as connection:
            connection.exec_driver_sql('CREATE TABLE counter (n INTEGER)')
            connection.exec_driver_sql('INSERT INTO counter VALUES (0)')
    yield app
    with app.app_context():
        db.engine.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_app):
    with sqlite_app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql('PRAGMA journal_mode').scalar() == 'wal'
        assert connection.exec_driver_sql('PRAGMA foreign_keys').scalar() == 1
        assert connection.exec_driver_sql('PRAGMA busy_timeout').scalar() == 5000


def read_then_increment(app, errors, *, immediate: bool, pause: float):
    """Read the counter, pause (another writer comes in), then write what was read plus one."""
    with app.app_context():
        if immediate:
            use_write_transactions()
        else:
            use_read_only_transactions()
        try:
            value = db.session.execute(text('SELECT n FROM counter')).scalar()
            time.sleep(pause)
            db.session.execute(text('UPDATE counter SET n = :n'), {'n': value + 1})
            db.session.commit()
        except Exception as error:  # noqa: BLE001 - the test reports what went wrong
            errors.append(error)
            db.session.rollback()


def run_two_writers(app, *, immediate: bool):
    errors: list[Exception] = []
    first = threading.Thread(
        target=read_then_increment,
        args=(app, errors),
        kwargs={'immediate': immediate, 'pause': 0.3},
    )
    second = threading.Thread(
        target=read_then_increment, args=(app, errors), kwargs={'immediate': immediate, 'pause': 0}
    )
    first.start()
    time.sleep(0.1)
    second.start()
    first.join()
    second.join()
    with app.app_context():
        return db.session.execute(text('SELECT n FROM counter')).scalar(), errors


def test_concurrent_writers_queue_up_and_lose_no_update(sqlite_app):
    final, errors = run_two_writers(sqlite_app, immediate=True)
    assert errors == []
    assert final == 2


def test_deferred_writers_would_fail_with_database_locked(sqlite_app):
    """The control: what IMMEDIATE prevents (a lost update or 'database is locked')."""
    final, errors = run_two_writers(sqlite_app, immediate=False)
    assert errors or final != 2
    assert all('locked' in str(error) for error in errors)


def test_a_postgresql_connection_that_died_while_idle_is_replaced_before_use(monkeypatch):
    """The pool pings a connection that has been idle (not one in use a moment ago): a
    connection the server ended meanwhile is replaced, and the request never sees it."""
    import sqlalchemy as sa

    from forum import database
    from tests.conftest import POSTGRES_URL

    assert POSTGRES_URL, 'PostgreSQL is needed (set FORUM_TEST_DATABASE_URL; .ci/run does)'
    monkeypatch.setattr(database, 'PING_AFTER_IDLE_SECONDS', 0.3)
    engine = sa.create_engine(POSTGRES_URL, pool_size=1, max_overflow=0)
    database.ping_idle_connections(engine)
    pings = []
    real_ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, 'do_ping', lambda c: pings.append(1) or real_ping(c))
    backend_pid = 'SELECT pg_backend_pid()'
    try:
        with engine.connect() as connection:
            first = connection.exec_driver_sql(backend_pid).scalar()
        with engine.connect() as connection:  # at once: the same connection, no ping
            assert connection.exec_driver_sql(backend_pid).scalar() == first
        assert len(pings) == 1  # only the new connection's first checkout
        admin = sa.create_engine(POSTGRES_URL)
        with admin.connect() as other:
            other.exec_driver_sql(f'SELECT pg_terminate_backend({first})')
        admin.dispose()
        time.sleep(0.4)
        with engine.connect() as connection:  # idle: pinged, found dead, replaced
            assert connection.exec_driver_sql(backend_pid).scalar() != first
    finally:
        engine.dispose()
