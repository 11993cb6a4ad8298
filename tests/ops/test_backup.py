"""``forum backup`` and ``forum restore`` on SQLite: a backup taken while the database is being
written is whole and consistent, a restore brings the data back, and a file that is not a backup
of this application is refused with nothing changed. PostgreSQL gets the pg_dump lines."""

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from contextlib import closing

import pytest

from config import TestConfig
from forum import create_app
from forum.ops.backup import backup_sqlite
from tests.servers import LiveServer

DELEGATES = 30


@pytest.fixture(scope='module')
def seeded_database(tmp_path_factory):
    """A database made as an operator would: ``forum db upgrade`` and ``forum seed-demo``."""
    server = LiveServer(tmp_path_factory.mktemp('backup-seed'))
    server.cli('db', 'upgrade')
    server.cli('seed-demo', '--delegates', str(DELEGATES))
    return server.database_path


@pytest.fixture
def database(seeded_database, tmp_path):
    """A copy of the seeded database, in WAL mode as the server keeps it."""
    path = tmp_path / 'live' / 'forum.db'
    path.parent.mkdir()
    shutil.copyfile(seeded_database, path)
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute('PRAGMA journal_mode = WAL')
    return path


@pytest.fixture
def forum_cli(tmp_path):
    """Run a ``forum`` command against a database file; the result (exit code and output)."""

    def run(database_path, *args):
        overrides = {
            'SQLALCHEMY_DATABASE_URI': f'sqlite:///{database_path}',
            'JOBS_SQLITE_PATH': str(tmp_path / 'jobs.db'),
        }
        app = create_app(TestConfig, overrides)
        return app.test_cli_runner().invoke(args=list(args))

    return run


def count(path, table):
    connection = sqlite3.connect(path)
    try:
        return connection.execute(f'SELECT count(*) FROM {table}').fetchone()[0]
    finally:
        connection.close()


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Writer(threading.Thread):
    """Another connection that keeps committing: one ledger row and the total, together."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.connection = sqlite3.connect(
            path, timeout=10, isolation_level=None, check_same_thread=False
        )
        self.connection.executescript(
            'CREATE TABLE ledger (id INTEGER PRIMARY KEY, payload BLOB);'
            'CREATE TABLE ledger_total (total INTEGER);'
            'INSERT INTO ledger_total VALUES (0);'
            'CREATE TABLE padding (data BLOB);'
        )
        # About 4 MB, so that a copy in small steps takes many of them while the writer goes on.
        blobs = [(os.urandom(4000),) for _ in range(1000)]
        self.connection.executemany('INSERT INTO padding VALUES (?)', blobs)
        self.committed = 0
        self.errors: list[Exception] = []
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            try:
                self.connection.execute('BEGIN IMMEDIATE')
                self.connection.execute('INSERT INTO ledger (payload) VALUES (randomblob(200))')
                self.connection.execute('UPDATE ledger_total SET total = total + 1')
                self.connection.execute('COMMIT')
                self.committed += 1
            except sqlite3.Error as error:
                self.errors.append(error)
                return
        self.connection.close()

    def finish(self):
        self.stop.set()
        self.join(timeout=10)


def assert_consistent_copy(copy, *, at_least):
    """The copy is sound, holds the seeded data and one state of the ledger, not a torn one."""
    connection = sqlite3.connect(copy)
    try:
        assert connection.execute('PRAGMA integrity_check').fetchall() == [('ok',)]
        rows = connection.execute('SELECT count(*) FROM ledger').fetchone()[0]
        (total,) = connection.execute('SELECT total FROM ledger_total').fetchone()
        assert rows == total >= at_least
        assert connection.execute('SELECT count(*) FROM delegates').fetchone()[0] == DELEGATES
        assert connection.execute('PRAGMA journal_mode').fetchone()[0] == 'delete'
    finally:
        connection.close()


def test_a_backup_taken_while_another_connection_writes_is_whole_and_consistent(database, tmp_path):
    writer = Writer(database)
    writer.start()
    try:
        while writer.committed < 50:  # the writer is under way before the copy begins
            writer.join(0.01)
        committed_before = writer.committed
        # Small steps: the writer's commits restart the copy, which must still end consistent.
        backup_sqlite(database, tmp_path / 'steps.db', pages=16)
        committed_during = writer.committed - committed_before
    finally:
        writer.finish()
    assert writer.errors == []  # the writer was never refused ("database is locked")
    assert committed_during > 0  # it really wrote while the copy was taken
    assert_consistent_copy(tmp_path / 'steps.db', at_least=committed_before)


def test_forum_backup_prints_what_it_copied_while_the_database_is_written(
    database, tmp_path, forum_cli
):
    writer = Writer(database)
    writer.start()
    try:
        while writer.committed < 50:
            writer.join(0.01)
        committed_before = writer.committed
        result = forum_cli(database, 'backup', '--to', str(tmp_path / 'backups' / 'forum.db'))
    finally:
        writer.finish()
    assert result.exit_code == 0, result.output
    assert f'{DELEGATES} delegates' in result.output
    assert '1 forums' in result.output and 'integrity check ok' in result.output
    assert writer.errors == []
    assert_consistent_copy(tmp_path / 'backups' / 'forum.db', at_least=committed_before)
    assert [p.name for p in (tmp_path / 'backups').iterdir()] == ['forum.db']  # no temp file


def test_restore_brings_back_the_data_and_keeps_the_replaced_database(
    database, tmp_path, forum_cli
):
    backup = tmp_path / 'backup.db'
    assert forum_cli(database, 'backup', '--to', str(backup)).exit_code == 0
    with (
        closing(sqlite3.connect(database)) as connection,
        connection,
    ):  # after the backup, a mistake
        connection.execute('PRAGMA foreign_keys = OFF')
        connection.execute('DELETE FROM delegates')
    assert count(database, 'delegates') == 0

    result = forum_cli(database, 'restore', str(backup))

    assert result.exit_code == 0, result.output
    assert count(database, 'delegates') == DELEGATES
    assert f'{DELEGATES} delegates' in result.output and 'server' in result.output
    assert count(database.with_name('forum.db.before-restore'), 'delegates') == 0
    assert not database.with_name('forum.db-wal').exists()
    leftovers = {p.name for p in database.parent.iterdir()} - {
        'forum.db',
        'forum.db.before-restore',
    }
    assert leftovers == set()


@pytest.mark.parametrize(
    ('content', 'message'),
    [
        (b'name,position\nNguyen Van A,Chu tich\n', 'is not a SQLite database'),
        ('other-app', 'is not a database of this application'),
        ('unknown-revision', 'which this code does not know'),
    ],
)
def test_a_file_that_is_not_a_backup_of_this_app_is_refused_and_nothing_changes(
    database, tmp_path, forum_cli, content, message
):
    candidate = tmp_path / 'candidate.db'
    if content == 'other-app':
        with closing(sqlite3.connect(candidate)) as connection, connection:
            connection.execute('CREATE TABLE photos (id INTEGER PRIMARY KEY)')
    elif content == 'unknown-revision':
        shutil.copyfile(database, candidate)
        with closing(sqlite3.connect(candidate)) as connection, connection:
            connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    else:
        candidate.write_bytes(content)
    before = digest(database)
    files_before = sorted(p.name for p in database.parent.iterdir())

    result = forum_cli(database, 'restore', str(candidate))

    assert result.exit_code != 0
    assert message in result.output
    assert digest(database) == before
    assert sorted(p.name for p in database.parent.iterdir()) == files_before


def test_restore_is_refused_while_a_process_has_the_database_open(database, tmp_path, forum_cli):
    backup = tmp_path / 'backup.db'
    assert forum_cli(database, 'backup', '--to', str(backup)).exit_code == 0
    holder = subprocess.Popen(
        [
            sys.executable,
            '-c',
            'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); '
            "c.execute('SELECT count(*) FROM forums').fetchone(); print('open', flush=True); "
            'sys.stdin.read()',
            str(database),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == 'open\n'
        before = digest(database)
        result = forum_cli(database, 'restore', str(backup))
    finally:
        holder.communicate('', timeout=10)
    assert result.exit_code != 0
    assert f'in use by {holder.pid}' in result.output and 'Stop the server' in result.output
    assert digest(database) == before


def test_on_postgresql_both_commands_give_the_pg_dump_and_pg_restore_lines(tmp_path):
    url = 'postgresql+psycopg://forum:secret@db.hagiang.internal:5432/forum'
    app = create_app(TestConfig, {'SQLALCHEMY_DATABASE_URI': url, 'JOBS_BACKEND': 'memory'})
    runner = app.test_cli_runner()

    backup = runner.invoke(args=['backup', '--to', '/var/backups/forum.dump'])
    restore = runner.invoke(args=['restore', '/var/backups/forum.dump'])

    address = 'postgresql://forum@db.hagiang.internal:5432/forum'
    assert backup.exit_code != 0 and restore.exit_code != 0  # nothing was copied: cron notices
    assert f"pg_dump --format=custom --no-owner --file='/var/backups/forum.dump' '{address}'" in (
        backup.output
    )
    assert f"--dbname='{address}' '/var/backups/forum.dump'" in restore.output
    assert 'secret' not in backup.output + restore.output
