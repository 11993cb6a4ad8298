"""Engine settings per dialect: SQLite gets WAL, foreign keys, a busy timeout and IMMEDIATE writes.

A deferred SQLite transaction that reads and then writes fails at once with "database is locked"
when another connection wrote in between; the busy timeout cannot help it. So a transaction that
may write begins IMMEDIATE and takes the write lock up front, waiting its turn. Transactions of
safe requests (GET, HEAD, OPTIONS) begin DEFERRED so readers never queue behind writers.
"""

import contextvars
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from sqlalchemy import bindparam, event, select
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
def write_transactions() -> Iterator[None]:
    """Within the block, SQLite transactions begin IMMEDIATE (for a GET that must write)."""
    token = _begin_mode.set('IMMEDIATE')
    try:
        yield
    finally:
        _begin_mode.reset(token)


def configure_engine(engine: Engine, busy_timeout_ms: int) -> None:
    """Install the per-connection settings the dialect needs."""
    if engine.dialect.name != 'sqlite':
        return

    @event.listens_for(engine, 'connect')
    def _on_connect(dbapi_connection, _record):
        # Take transaction control from pysqlite so BEGIN is ours to emit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f'PRAGMA busy_timeout = {int(busy_timeout_ms)}')
        cursor.execute('PRAGMA foreign_keys = ON')
        if engine.url.database not in (None, '', ':memory:'):
            cursor.execute('PRAGMA journal_mode = WAL')
            # In WAL mode NORMAL survives a killed process (the WAL is in the OS cache);
            # only a power cut can lose the last commits. FULL would fsync every commit.
            cursor.execute('PRAGMA synchronous = NORMAL')
        cursor.close()

    @event.listens_for(engine, 'begin')
    def _on_begin(connection):
        connection.exec_driver_sql(f'BEGIN {_begin_mode.get()}')


SAFE_METHODS = frozenset({'GET', 'HEAD', 'OPTIONS'})


def install_request_hooks(app) -> None:
    """One transaction per request: safe methods read DEFERRED, the rest write IMMEDIATE.

    Views commit once at the end of their work; anything left uncommitted (an error) is rolled
    back when Flask-SQLAlchemy removes the session at teardown.
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
