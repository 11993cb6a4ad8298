"""Engine settings per dialect: SQLite gets WAL, foreign keys, a busy timeout and IMMEDIATE writes.

A deferred SQLite transaction that reads and then writes fails at once with "database is locked"
when another connection wrote in between; the busy timeout cannot help it. So a transaction that
may write begins IMMEDIATE and takes the write lock up front, waiting its turn. Transactions of
safe requests (GET, HEAD, OPTIONS) begin DEFERRED so readers never queue behind writers.

Under gevent, SQLite's own wait for the lock (the busy timeout) sleeps the whole OS thread: one
greenlet waiting for the write lock would freeze every other greenlet of the process, including
the one that holds the lock, until the timeout. So in a gevent process the writers of the process
first queue on a gevent lock (``WriteGate``), and a writer of another process (the job worker)
is waited for with gevent sleeps between short tries, never with a long busy timeout.
"""

import contextvars
import logging
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from sqlalchemy import bindparam, event, exc, select
from sqlalchemy.engine import Engine

from forum.extensions import db

logger = logging.getLogger(__name__)

_begin_mode: contextvars.ContextVar[str] = contextvars.ContextVar(
    'sqlite_begin_mode', default='IMMEDIATE'
)


def use_read_only_transactions() -> None:
    """Let this context's SQLite transactions begin DEFERRED (called for safe HTTP methods)."""
    _begin_mode.set('DEFERRED')


def use_write_transactions() -> None:
    """Make this context's next SQLite transactions begin IMMEDIATE again."""
    _begin_mode.set('IMMEDIATE')


@contextmanager
def _transactions_beginning(mode: str) -> Iterator[None]:
    token = _begin_mode.set(mode)
    try:
        yield
    finally:
        _begin_mode.reset(token)


def ensure_writing() -> None:
    """Let the rest of this context write: a read transaction (a GET's, DEFERRED) is ended,
    having nothing to keep, and the next one begins IMMEDIATE. SQLite cannot turn a read
    transaction into a write one once another connection has written since it began."""
    if _begin_mode.get() == 'IMMEDIATE':
        return
    if db.session().in_transaction() and db.session.get_bind().dialect.name == 'sqlite':
        db.session.rollback()
    use_write_transactions()


def write_transactions():
    """Within the block, SQLite transactions begin IMMEDIATE (for a GET that must write)."""
    return _transactions_beginning('IMMEDIATE')


def read_transactions():
    """Within the block, SQLite transactions begin DEFERRED (reads that never queue)."""
    return _transactions_beginning('DEFERRED')


def running_under_gevent() -> bool:
    """Whether this process's threads are gevent's greenlets (gunicorn's gevent worker)."""
    try:
        from gevent import monkey
    except ImportError:  # pragma: no cover - gevent is a dependency
        return False
    return monkey.is_module_patched('threading')


# In a gevent process, how long SQLite itself may sleep the OS thread on a lock held by another
# process; beyond that the writer sleeps cooperatively between tries.
GEVENT_BUSY_TIMEOUT_MS = 20
HOLDS_GATE = 'forum_write_gate'


class WriteGate:
    """The process's SQLite writers, one at a time, waiting cooperatively for their turn."""

    def __init__(self, timeout_seconds: float):
        self.timeout = timeout_seconds
        self._lock = threading.Lock()  # gevent's lock once threading is patched

    def enter(self, info: dict) -> None:
        """Wait for this connection's turn to write (``info``: the connection's own dict)."""
        if info.get(HOLDS_GATE):
            return
        if not self._lock.acquire(timeout=self.timeout):
            raise sqlite3.OperationalError("database is locked (waited for this process's writers)")
        info[HOLDS_GATE] = True

    def leave(self, info: dict) -> None:
        """Let the next writer go, if this connection held the turn."""
        if info.pop(HOLDS_GATE, False):
            self._lock.release()


def _begin_immediate_cooperatively(dbapi_connection, deadline: float) -> None:
    """BEGIN IMMEDIATE, retried with gevent sleeps while another process writes."""
    import gevent

    delay = 0.001
    while True:
        try:
            dbapi_connection.execute('BEGIN IMMEDIATE')
            return
        except sqlite3.OperationalError as error:
            if 'locked' not in str(error) and 'busy' not in str(error):
                raise
            if time.monotonic() + delay > deadline:
                raise
        gevent.sleep(delay)
        delay = min(delay * 2, 0.05)


# A pooled connection returned less than this long ago is used without a ping (PostgreSQL).
PING_AFTER_IDLE_SECONDS = 1.0
_RETURNED_AT = 'forum_returned_at'


def ping_idle_connections(engine: Engine) -> None:
    """Ping a pooled connection before use when it has been idle (SQLAlchemy's
    ``pool_pre_ping`` pings every checkout: one more round trip per request).

    A server restart, a network cut or an idle timeout takes longer than a second, so a
    connection handed back less than ``PING_AFTER_IDLE_SECONDS`` ago is alive; one idle longer
    is pinged, and a dead one is replaced before the request sees it (the pool retries the
    checkout on ``DisconnectionError``).
    """

    @event.listens_for(engine.pool, 'checkin')
    def _note_return(_dbapi_connection, record):
        if record is not None:
            record.info[_RETURNED_AT] = time.monotonic()

    @event.listens_for(engine.pool, 'checkout')
    def _ping_if_idle(dbapi_connection, record, _proxy):
        returned = record.info.get(_RETURNED_AT)
        if returned is not None and time.monotonic() - returned < PING_AFTER_IDLE_SECONDS:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # noqa: BLE001 — any failure means the connection is gone
            raise exc.DisconnectionError(str(error)) from error
        if not alive:
            raise exc.DisconnectionError('the connection did not answer a ping')


def configure_engine(engine: Engine, busy_timeout_ms: int) -> None:
    """Install the per-connection settings the dialect needs."""
    if engine.dialect.name == 'postgresql':
        ping_idle_connections(engine)
    if engine.dialect.name != 'sqlite':
        return
    cooperative = running_under_gevent()
    gate = WriteGate(busy_timeout_ms / 1000) if cooperative else None
    connection_timeout_ms = GEVENT_BUSY_TIMEOUT_MS if cooperative else busy_timeout_ms

    @event.listens_for(engine, 'connect')
    def _on_connect(dbapi_connection, _record):
        # Take transaction control from pysqlite so BEGIN is ours to emit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f'PRAGMA busy_timeout = {int(connection_timeout_ms)}')
        cursor.execute('PRAGMA foreign_keys = ON')
        if engine.url.database not in (None, '', ':memory:'):
            cursor.execute('PRAGMA journal_mode = WAL')
            # In WAL mode NORMAL survives a killed process (the WAL is in the OS cache);
            # only a power cut can lose the last commits. FULL would fsync every commit.
            cursor.execute('PRAGMA synchronous = NORMAL')
        cursor.close()

    if gate is None:

        @event.listens_for(engine, 'begin')
        def _on_begin(connection):
            connection.exec_driver_sql(f'BEGIN {_begin_mode.get()}')

        return

    @event.listens_for(engine, 'begin')
    def _on_begin_cooperatively(connection):
        if _begin_mode.get() != 'IMMEDIATE':
            connection.exec_driver_sql('BEGIN DEFERRED')
            return
        info = connection.info
        gate.enter(info)
        try:
            deadline = time.monotonic() + busy_timeout_ms / 1000
            _begin_immediate_cooperatively(connection.connection.dbapi_connection, deadline)
        except BaseException:
            gate.leave(info)
            raise

    # The write lock is SQLite's until the transaction ends: the next writer may go then. (The
    # events come just before the COMMIT or ROLLBACK is sent; no other greenlet runs in between,
    # since neither yields to gevent.)
    @event.listens_for(engine, 'commit')
    def _on_commit(connection):
        gate.leave(connection.info)

    @event.listens_for(engine, 'rollback')
    def _on_rollback(connection):
        gate.leave(connection.info)

    # A connection returned, reset or closed without either (an error mid-way) lets go too.
    @event.listens_for(engine.pool, 'reset')
    def _on_reset(_dbapi_connection, record, _reset_state):
        gate.leave(record.info)

    @event.listens_for(engine.pool, 'checkin')
    def _on_checkin(_dbapi_connection, record):
        if record is not None:
            gate.leave(record.info)

    for name in ('close', 'invalidate', 'soft_invalidate'):
        event.listen(engine.pool, name, _pool_release(gate))


def _pool_release(gate: WriteGate):
    def release(_dbapi_connection, record, _exception=None):
        if record is not None:
            gate.leave(record.info)

    return release


SAFE_METHODS = frozenset({'GET', 'HEAD', 'OPTIONS'})


def install_request_hooks(app) -> None:
    """One transaction per request: safe methods read DEFERRED, the rest write IMMEDIATE.

    The request's boundary commits it once (``forum.unit_of_work``); anything left uncommitted
    (an error) is rolled back when Flask-SQLAlchemy removes the session at teardown.
    """
    from flask import request

    @app.before_request
    def _choose_begin_mode():
        if request.method in SAFE_METHODS:
            use_read_only_transactions()
        else:
            use_write_transactions()


@cache
def _by_id_statement(model):
    (primary_key,) = model.__mapper__.primary_key
    return select(model).where(primary_key == bindparam('id'))


def get_by_id(model, ident):
    """``db.session.get(model, ident)`` for the per-request lookups of hot paths.

    ``Session.get`` builds and hashes a new SELECT on every call when the row is not in the
    session yet; this one is built once per model (its cache key is kept with it), which halves
    the cost of the lookup. An object already in the session is returned as ``get`` would.
    """
    session = db.session
    if model.__mapper__.identity_key_from_primary_key((ident,)) in session.identity_map:
        return session.get(model, ident)
    return session.execute(_by_id_statement(model), {'id': ident}).scalar_one_or_none()
