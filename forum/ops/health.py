"""``GET /healthz``: whether this process can serve, for a load balancer or a monitor.

Each part (the database, Redis, the background jobs) is checked in a worker thread with a
deadline, so a database host that does not answer makes the check fail within seconds instead
of hanging the monitor. No session, no authentication, never cached.
"""

import importlib.metadata
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

import redis
from flask import Blueprint, current_app, jsonify, session
from sqlalchemy import text

from forum.database import read_transactions
from forum.extensions import db
from forum.jobs.health import jobs_health

bp = Blueprint('ops', __name__)

CHECK_TIMEOUT_SECONDS = 3.0
NOT_CONFIGURED = 'not configured'
_checks = ThreadPoolExecutor(max_workers=6, thread_name_prefix='healthz')


def package_version() -> str:
    """The installed version of the ``forum`` package."""
    try:
        return importlib.metadata.version('forum')
    except importlib.metadata.PackageNotFoundError:
        return 'unknown'


VERSION = package_version()


def describe(error: BaseException) -> str:
    """``error: <type> <first line of the message>``, short enough for a monitor's screen."""
    message = str(error).strip().splitlines()[0] if str(error).strip() else ''
    return f'error: {type(error).__name__} {message}'.strip()[:300]


def check_database(engine) -> str:
    """``ok`` when a ``SELECT 1`` answers (PostgreSQL: with a statement timeout)."""
    with read_transactions(), engine.connect() as connection:  # never queue behind writers
        if connection.dialect.name == 'postgresql':
            milliseconds = int(CHECK_TIMEOUT_SECONDS * 1000)
            connection.exec_driver_sql(f'SET LOCAL statement_timeout = {milliseconds}')
        connection.execute(text('SELECT 1')).scalar_one()
        connection.rollback()
    return 'ok'


def redis_client(app) -> redis.Redis | None:
    """One client per app for the check, with short timeouts; ``None`` without Redis."""
    url = app.config.get('REDIS_URL')
    if not url:
        return None
    client = app.extensions.get('ops_health_redis')
    if client is None:
        client = redis.Redis.from_url(
            url, socket_connect_timeout=CHECK_TIMEOUT_SECONDS, socket_timeout=CHECK_TIMEOUT_SECONDS
        )
        app.extensions['ops_health_redis'] = client
    return client


def check_redis(app) -> str:
    """``ok`` when Redis answers ``PING``; ``not configured`` without ``FORUM_REDIS_URL``."""
    client = redis_client(app)
    if client is None:
        return NOT_CONFIGURED
    client.ping()
    return 'ok'


def check_jobs(app) -> dict:
    """The job system's own report (``forum.jobs.health.jobs_health``)."""
    with app.app_context():
        return jobs_health(app)


def _collect(future, default):
    """The check's result, or ``default(error)`` when it failed or did not answer in time."""
    try:
        return future.result(timeout=CHECK_TIMEOUT_SECONDS + 1)
    except FutureTimeout:
        return default(TimeoutError(f'no answer within {CHECK_TIMEOUT_SECONDS:g} s'))
    except Exception as error:  # noqa: BLE001 — every failure is reported, none is raised
        return default(error)


def _jobs_failure(error: BaseException) -> dict:
    return {'ok': False, 'problem': describe(error)}


def health_report(app) -> dict:
    """What ``/healthz`` answers: each part's state and ``status`` ok or unhealthy."""
    # The three checks run at once, so the slowest one sets the time the answer takes.
    database = _checks.submit(check_database, db.engine)
    redis_state = _checks.submit(check_redis, app)
    jobs = _checks.submit(check_jobs, app)
    database = _collect(database, describe)
    redis_state = _collect(redis_state, describe)
    jobs = _collect(jobs, _jobs_failure)
    healthy = database == 'ok' and redis_state in ('ok', NOT_CONFIGURED) and bool(jobs.get('ok'))
    return {
        'status': 'ok' if healthy else 'unhealthy',
        'database': database,
        'redis': redis_state,
        'jobs': jobs,
        'version': VERSION,
    }


@bp.get('/healthz')
def healthz():
    """200 when every part works, else 503; the body says which part is wrong."""
    report = health_report(current_app._get_current_object())
    response = jsonify(report)
    response.status_code = 200 if report['status'] == 'ok' else 503
    response.headers['Cache-Control'] = 'no-store'
    return response


@bp.after_request
def _no_session(response):
    """A monitor polling every few seconds must not be handed a session cookie."""
    session.modified = False  # e.g. ?lang= would store the language and send a cookie
    return response
