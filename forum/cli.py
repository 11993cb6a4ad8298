"""The ``forum`` command group: ``db``, ``units``, ``seed-demo``, ``users`` and ``serve``."""

import os
import shutil
import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from forum.auth.models import UserRole


def _create_app():
    from forum import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True)
def cli():
    """Manage the forum application (Flask CLI bound to the app factory)."""


def main() -> None:
    """Entry point of the ``forum`` console script."""
    cli.main()


@click.group('units')
def units_group():
    """Administrative units (provinces, districts, communes)."""


@units_group.command('load')
@click.option(
    '--file',
    'path',
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="A statistics-office CSV; Hà Giang's list by default.",
)
@with_appcontext
def load_units_command(path):
    """Load administrative units from the statistics office's CSV (idempotent)."""
    from pathlib import Path

    from forum.extensions import db
    from forum.tiers.services import load_administrative_units

    added = load_administrative_units(Path(path) if path else None)
    db.session.commit()
    click.echo(f'{added} units added.')


@click.group('users')
def users_group():
    """Staff accounts."""


@users_group.command('create')
@click.option('--email', required=True)
@click.option('--password', required=True)
@click.option('--role', required=True, type=click.Choice([r.value for r in UserRole]))
@click.option('--name', 'full_name', default='', help='Full name shown in the pages.')
@click.option(
    '--venue',
    'venue_ids',
    multiple=True,
    type=int,
    help='A bridge point an operator is responsible for (repeatable).',
)
@with_appcontext
def create_user_command(email, password, role, full_name, venue_ids):
    """Create a staff account; operators are given their bridge points with --venue."""
    from forum.auth.services import AccountError, create_user
    from forum.extensions import db
    from forum.tiers.models import Venue

    venues = []
    for venue_id in venue_ids:
        venue = db.session.get(Venue, venue_id)
        if venue is None:
            raise click.BadParameter(f'no bridge point with id {venue_id}', param_hint='--venue')
        venues.append(venue)
    if venues and role != UserRole.OPERATOR:
        raise click.BadParameter('only operators are scoped to bridge points', param_hint='--venue')
    try:
        user = create_user(email, password, UserRole(role), full_name=full_name, venues=venues)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f'User {user.email} ({user.role.value}) created with id {user.id}.')


@click.command('seed-demo')
@click.option('--delegates', 'delegate_count', default=2100, show_default=True, type=int)
@click.option(
    '--tiers', 'tier_depth', default='3', type=click.Choice(['3', '2']), show_default=True
)
@with_appcontext
def seed_demo_command(delegate_count, tier_depth):
    """Create the Hà Giang demo forum of 23 May 2023 (idempotent)."""
    from forum.demo.seed import seed_demo
    from forum.extensions import db

    if delegate_count < 0:
        raise click.BadParameter('must not be negative', param_hint='--delegates')
    report = seed_demo(delegate_count=delegate_count, tier_depth=int(tier_depth))
    db.session.commit()
    click.echo(report.summary())


@click.command('serve')
@click.option('--port', type=int, default=None, help='Default: FORUM_PORT or 8000.')
@click.option('--host', default='127.0.0.1', show_default=True)
@click.option(
    '--access-log',
    is_flag=True,
    help="Log every request to stdout (gunicorn's access log; off by default: it costs "
    'a few per cent of the worker under a burst, and the application logs what matters).',
)
@click.option(
    '--no-jobs',
    is_flag=True,
    help='Do not start a job worker beside the server (one runs elsewhere: forum jobs worker).',
)
@with_appcontext
def serve_command(port, host, access_log, no_jobs):
    """Serve with gunicorn and one gevent worker (Socket.IO needs a single worker per process);
    a job worker runs beside it unless --no-jobs."""
    from forum.gunicorn_config import JOB_WORKER_ENV

    port = port or current_app.config['PORT']
    os.environ[JOB_WORKER_ENV] = '0' if no_jobs else '1'
    gunicorn = shutil.which('gunicorn', path=os.path.dirname(sys.executable)) or 'gunicorn'
    args = [
        gunicorn,
        *gunicorn_arguments(host, port, access_log=access_log),
        'forum:create_app()',
    ]
    click.echo(f'Serving on http://{host}:{port}')
    os.execv(gunicorn, args)


def gunicorn_arguments(host: str, port: int, *, access_log: bool = False) -> list[str]:
    """The project's gunicorn settings: gevent, one worker, many connections, no timeout kills;
    the garbage collector's settings and fair turns (``forum.gunicorn_config``)."""
    from config import Config

    arguments = [
        '--config',
        'python:forum.gunicorn_config',
        '--worker-class',
        'gevent',
        '--workers',
        '1',
        '--worker-connections',
        str(Config.GUNICORN_WORKER_CONNECTIONS),
        '--bind',
        f'{host}:{port}',
        '--graceful-timeout',
        '10',
    ]
    if access_log:
        arguments += ['--access-logfile', '-']
    return arguments


@click.group('jobs')
def jobs_group():
    """Background jobs (PDFs, imports, exports, e-mail batches)."""


@jobs_group.command('worker')
@click.option(
    '--workers',
    type=int,
    default=None,
    help='Jobs run at once (threads); default FORUM_JOBS_WORKERS or 3.',
)
@with_appcontext
def jobs_worker_command(workers):
    """Run the job worker until stopped (SIGTERM lets the running jobs finish)."""
    from forum.jobs.worker import Worker

    app = current_app._get_current_object()
    count = workers or app.config['JOBS_WORKERS']
    from forum.jobs.queue import jobs_backend

    click.echo(f'Job worker: {count} at once, queue on {jobs_backend(app.config)}')
    Worker(app, count).run()


@jobs_group.command('sweep')
@with_appcontext
def jobs_sweep_command():
    """Remove expired results now and run again the jobs a dead worker left behind."""
    from forum.jobs.sweep import sweep_jobs

    click.echo(sweep_jobs(current_app._get_current_object()))


def register_commands(app) -> None:
    """Attach the project's commands to ``app.cli``."""
    app.cli.add_command(units_group)
    app.cli.add_command(users_group)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(serve_command)
    from forum.ops.backup import backup_command, restore_command

    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(jobs_group)
