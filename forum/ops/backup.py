"""``forum backup --to FILE`` and ``forum restore FILE``: SQLite copies taken while serving.

The backup uses SQLite's online backup API: it copies the database a few pages at a time and
sleeps between steps, so the server keeps writing meanwhile. A write by another connection makes
SQLite start the copy again; after a few restarts the rest is copied in one step, which in WAL
mode is one read transaction: it sees one consistent state and does not block the writers. The
copy is checked (``PRAGMA integrity_check``), turned into a single self-contained file (no WAL)
and only then moved to its name, so a file with the backup's name is always a whole backup.

A restore replaces the database file, so the server and the job worker must be stopped first;
it refuses while any process holds the database open, and refuses a file that is not a database
of this application at a revision the code knows. The database it replaces is kept beside it as
``<name>.before-restore``.

PostgreSQL has its own tools: both commands print the ``pg_dump`` / ``pg_restore`` lines to use.
"""

import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import URL, make_url

from config import PROJECT_ROOT

SQLITE_HEADER = b'SQLite format 3\x00'
PAGES_PER_STEP = 1024  # 4 MB with SQLite's default page size
SLEEP_BETWEEN_STEPS = 0.01
MAX_RESTARTS = 3


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass
class DatabaseSummary:
    """What a database file holds, as printed after a backup or restore."""

    size: int
    tables: int
    delegates: int
    forums: int
    revision: str | None

    def describe(self) -> str:
        """One line for an operator."""
        return (
            f'{self.size / 1_000_000:.1f} MB, {self.tables} tables, {self.forums} forums, '
            f'{self.delegates} delegates, schema revision {self.revision or "none"}'
        )


class _TooManyRestarts(Exception):
    pass


def sqlite_path(database_url: str) -> Path | None:
    """The file of a SQLite URL; ``None`` for another database (or an in-memory one)."""
    url = make_url(database_url)
    if url.get_backend_name() != 'sqlite':
        return None
    if url.database in (None, '', ':memory:'):
        raise BackupError('The database is in memory: there is nothing to back up or restore.')
    return Path(url.database)


def backup_sqlite(
    source: Path, target: Path, *, pages: int = PAGES_PER_STEP, max_restarts: int = MAX_RESTARTS
) -> DatabaseSummary:
    """Copy the live database ``source`` to ``target`` consistently; the copy's summary."""
    if not source.exists():
        raise BackupError(f'There is no database at {source}.')
    if target.resolve() == source.resolve():
        raise BackupError('The backup must not overwrite the database itself.')
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f'.{target.name}.', dir=target.parent)
    os.close(handle)
    temporary = Path(temporary)
    try:
        _copy_online(source, temporary, pages=pages, max_restarts=max_restarts)
        summary = check_database_file(temporary)
        _fsync(temporary)
        os.replace(temporary, target)
        _fsync_directory(target.parent)
    finally:
        temporary.unlink(missing_ok=True)
    return summary


def _copy_online(source: Path, target: Path, *, pages: int, max_restarts: int) -> None:
    restarts = 0
    last_remaining = None

    def progress(_status, remaining, _total):
        nonlocal restarts, last_remaining
        if last_remaining is not None and remaining > last_remaining:
            restarts += 1  # another connection wrote: SQLite began the copy again
            if restarts > max_restarts:
                raise _TooManyRestarts
        last_remaining = remaining

    # A read-only connection: the backup can never change the live database.
    live = sqlite3.connect(f'file:{source}?mode=ro', uri=True, timeout=30)
    copy = sqlite3.connect(target)
    try:
        try:
            live.backup(copy, pages=pages, progress=progress, sleep=SLEEP_BETWEEN_STEPS)
        except _TooManyRestarts:
            live.backup(copy, pages=-1)  # one read transaction: consistent, writers go on
        copy.execute('PRAGMA journal_mode = DELETE')  # one self-contained file, no -wal
        copy.commit()
    finally:
        copy.close()
        live.close()


def check_database_file(path: Path) -> DatabaseSummary:
    """Check that ``path`` is a sound database of this application; what it holds."""
    with path.open('rb') as file:
        header = file.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise BackupError(f'{path} is not a SQLite database.')
    connection = sqlite3.connect(f'file:{path}?mode=ro', uri=True)
    try:
        try:
            problems = [row[0] for row in connection.execute('PRAGMA integrity_check')]
        except sqlite3.DatabaseError as error:
            raise BackupError(f'{path} is not a usable SQLite database: {error}') from error
        if problems != ['ok']:
            raise BackupError(f'{path} fails its integrity check: {"; ".join(problems[:5])}')
        tables = {
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        }
        if not {'alembic_version', 'forums', 'delegates'} <= tables:
            raise BackupError(f'{path} is not a database of this application (no forum tables).')
        revision = connection.execute('SELECT version_num FROM alembic_version').fetchone()
        return DatabaseSummary(
            size=path.stat().st_size,
            tables=len(tables),
            delegates=connection.execute('SELECT count(*) FROM delegates').fetchone()[0],
            forums=connection.execute('SELECT count(*) FROM forums').fetchone()[0],
            revision=revision[0] if revision else None,
        )
    finally:
        connection.close()


def known_revisions() -> tuple[set[str], set[str]]:
    """The migrations this code has, and its head revisions."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory(str(PROJECT_ROOT / 'migrations'))
    return {script.revision for script in scripts.walk_revisions()}, set(scripts.get_heads())


def processes_holding(path: Path) -> list[str]:
    """Other processes that have the database (or its WAL) open: ``pid (command)`` each."""
    watched = {str(path.resolve()), f'{path.resolve()}-wal'}
    holders = []
    for process in Path('/proc').glob('[0-9]*'):
        if process.name == str(os.getpid()):
            continue
        try:
            opened = {os.readlink(fd) for fd in (process / 'fd').iterdir()}
        except OSError:  # gone, or another user's process
            continue
        if opened & watched:
            command = (
                (process / 'cmdline').read_bytes().replace(b'\0', b' ').decode(errors='replace')
            )
            holders.append(f'{process.name} ({command.strip()[:80]})')
    return holders


def restore_sqlite(backup: Path, target: Path) -> DatabaseSummary:
    """Put ``backup`` in place of the database ``target`` (which no process may hold open)."""
    if not backup.is_file():
        raise BackupError(f'There is no file {backup}.')
    holders = processes_holding(target) if target.exists() else []
    if holders:
        raise BackupError(
            f'The database {target} is in use by {", ".join(holders)}. Stop the server and the '
            'job worker first (systemctl stop "forum-web@*" forum-jobs), then restore.'
        )
    check_database_file(backup)  # refuse early, before anything is written
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f'.{target.name}.restore.', dir=target.parent)
    os.close(handle)
    temporary = Path(temporary)
    try:
        _copy_online(backup, temporary, pages=-1, max_restarts=0)
        summary = check_database_file(temporary)
        _check_revision(summary.revision)
        if target.exists():
            _keep_previous(target)
        _fsync(temporary)
        # A WAL left beside the old file would be replayed into the new one: remove it first.
        for leftover in (f'{target}-wal', f'{target}-shm'):
            Path(leftover).unlink(missing_ok=True)
        os.replace(temporary, target)
        _fsync_directory(target.parent)
    finally:
        temporary.unlink(missing_ok=True)
    return summary


def _keep_previous(target: Path) -> None:
    """Keep the database about to be replaced as ``<name>.before-restore``."""
    kept = target.with_name(f'{target.name}.before-restore')
    try:
        _copy_online(target, kept, pages=-1, max_restarts=0)
    except sqlite3.DatabaseError:  # a damaged database (why one restores): keep its bytes
        shutil.copyfile(target, kept)


def _check_revision(revision: str | None) -> None:
    revisions, _heads = known_revisions()
    if revision not in revisions:
        raise BackupError(
            f'The backup is at schema revision {revision or "none"}, which this code does not '
            'know (a backup of a newer version?): update the code first.'
        )


def _fsync(path: Path) -> None:
    with path.open('rb+') as file:
        os.fsync(file.fileno())


def _fsync_directory(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def postgresql_commands(database_url: str, file: str) -> tuple[str, str]:
    """The ``pg_dump`` and ``pg_restore`` command lines for the configured database."""
    url = make_url(database_url)
    url = URL.create('postgresql', url.username, None, url.host, url.port, url.database, url.query)
    address = url.render_as_string(hide_password=False)  # there is none: it stays out of logs
    dump = f"pg_dump --format=custom --no-owner --file='{file}' '{address}'"
    restore = (
        f"pg_restore --clean --if-exists --no-owner --single-transaction --dbname='{address}' "
        f"'{file}'"
    )
    return dump, restore


def _postgresql_advice(database_url: str, file: str, *, restoring: bool) -> str:
    dump, restore = postgresql_commands(database_url, file)
    return (
        'The database is PostgreSQL: use its own tools (the password from ~/.pgpass or '
        'PGPASSWORD). '
        + (
            f'Stop the server, then restore with:\n  {restore}'
            if restoring
            else f'Back up with:\n  {dump}\nand restore such a file with:\n  {restore}'
        )
    )


@click.command('backup')
@click.option(
    '--to',
    'target',
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help='The backup file to write (replaced atomically if it exists).',
)
@with_appcontext
def backup_command(target):
    """Copy the SQLite database consistently while the server runs (online backup API)."""
    url = current_app.config['SQLALCHEMY_DATABASE_URI']
    try:
        source = sqlite_path(url)
        if source is None:
            raise BackupError(_postgresql_advice(url, str(target), restoring=False))
        summary = backup_sqlite(source, target)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f'Backed up {source} to {target}: {summary.describe()}; integrity check ok.')


@click.command('restore')
@click.argument('backup', type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(backup):
    """Replace the SQLite database with a backup; the server must be stopped."""
    url = current_app.config['SQLALCHEMY_DATABASE_URI']
    try:
        target = sqlite_path(url)
        if target is None:
            raise BackupError(_postgresql_advice(url, str(backup), restoring=True))
        summary = restore_sqlite(backup, target)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f'Restored {backup} into {target}: {summary.describe()}.')
    if target.with_name(f'{target.name}.before-restore').exists():
        click.echo(f'The database it replaced is kept as {target}.before-restore.')
    _revisions, heads = known_revisions()
    if summary.revision not in heads:
        click.echo('The backup is from an older version: run `forum db upgrade` before serving.')
    click.echo('Start the server again (systemctl start forum-web@8001 forum-jobs, or make run).')
