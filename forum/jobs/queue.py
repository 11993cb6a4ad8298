"""The task queue: Huey on a SQLite file beside the database by default, on Redis in production.

Huey was chosen because it is small, well kept and has both storages this project needs: its
SQLite storage needs no other server (the default set-up stays one command), and its Redis
storage is what several machines share. Huey carries only a job's id; the ``jobs`` table in the
forum's database says what the job is, how far it got and what it produced, so the pages and
the API read one place whatever the storage.
"""

import logging
from pathlib import Path

from flask import current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey

logger = logging.getLogger(__name__)

EXTENSION = 'forum.huey'
TASK_NAME = 'forum.run_job'
SWEEP_TASK_NAME = 'forum.sweep_jobs'


def make_huey(app) -> Huey:
    """The Huey instance of ``app``'s configuration, with the forum's tasks registered."""
    config = app.config
    name = config['JOBS_QUEUE_NAME']
    backend = jobs_backend(config)
    if backend == 'redis':
        huey = RedisHuey(name, url=config['REDIS_URL'], results=False)
    elif backend == 'memory':
        huey = MemoryHuey(name, results=False)
    else:
        path = Path(config['JOBS_SQLITE_PATH'] or default_queue_path(app))
        path.parent.mkdir(parents=True, exist_ok=True)
        huey = SqliteHuey(name, filename=str(path), results=False, timeout=10)
    _register_tasks(huey, app)
    return huey


def default_queue_path(app) -> Path:
    """Beside a SQLite database (``forum.db`` → ``forum-jobs.db``): the queue belongs to that
    database, and two forums on one machine never take each other's jobs. Otherwise
    ``instance/jobs.db``."""
    url = app.config['SQLALCHEMY_DATABASE_URI']
    prefix = 'sqlite:///'
    if url.startswith(prefix) and ':memory:' not in url and len(url) > len(prefix):
        database = Path(url[len(prefix) :])
        return database.with_name(f'{database.stem}-jobs.db')
    return Path(app.instance_path) / 'jobs.db'


def jobs_backend(config) -> str:
    """``redis`` when a Redis URL is configured, else ``sqlite`` (or what JOBS_BACKEND says)."""
    return config.get('JOBS_BACKEND') or ('redis' if config.get('REDIS_URL') else 'sqlite')


def _register_tasks(huey: Huey, app) -> None:
    from forum.jobs.runner import run_job
    from forum.jobs.sweep import sweep_jobs

    def run(job_id: int) -> None:
        run_job(app, job_id)

    def sweep() -> None:
        sweep_jobs(app)

    app.extensions['forum.huey.tasks'] = {
        'run': huey.task(name=TASK_NAME)(run),
        'sweep': huey.task(name=SWEEP_TASK_NAME)(sweep),
    }


def init_queue(app) -> None:
    """Create ``app``'s queue (lazily opened: nothing connects until a job is sent)."""
    app.extensions[EXTENSION] = make_huey(app)


def huey_of(app=None) -> Huey:
    """The Huey instance of ``app`` (the current one by default)."""
    app = app or current_app._get_current_object()
    return app.extensions[EXTENSION]


def send_job(job_id: int, app=None) -> None:
    """Hand a committed job to the workers."""
    app = app or current_app._get_current_object()
    huey_of(app).enqueue(app.extensions['forum.huey.tasks']['run'].s(job_id))


def send_sweep(app=None) -> None:
    """Ask a worker to clean up expired results and rescue stuck jobs."""
    app = app or current_app._get_current_object()
    huey_of(app).enqueue(app.extensions['forum.huey.tasks']['sweep'].s())
