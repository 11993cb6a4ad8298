"""Configuration classes; every setting can come from a ``FORUM_*`` environment variable."""

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent
INSTANCE_PATH = PROJECT_ROOT / 'instance'
DEFAULT_DATABASE_URL = 'sqlite:///instance/forum.db'


def resolve_database_url(url: str) -> str:
    """Make a relative SQLite path absolute against the project root, as CONTRACT.md means it."""
    prefix = 'sqlite:///'
    if url.startswith(prefix) and not url.startswith(prefix + '/') and ':memory:' not in url:
        return prefix + str(PROJECT_ROOT / url[len(prefix) :])
    return url


def load_secret_key(instance_path: Path = INSTANCE_PATH) -> str:
    """Return ``FORUM_SECRET_KEY``, or a key generated once and kept in ``instance/``."""
    if key := os.environ.get('FORUM_SECRET_KEY'):
        return key
    key_file = instance_path / 'secret_key'
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def engine_options(database_url: str) -> dict:
    """Connection-pool settings for the database in use.

    SQLite is a local file: no connection goes stale, so no ping before every checkout (it
    was one more statement per request). On PostgreSQL the one gevent worker has many requests
    in flight, each holding a connection while it waits for the server; the pool keeps enough
    of them open that a burst of check-ins does not open and close connections all the time
    (connections beyond ``pool_size`` are closed when returned). A connection that has been
    idle a while is pinged before it is used (``forum.database.ping_idle_connections``), so that
    a restarted PostgreSQL costs no failed request; one in use a moment ago is not, which saves
    a round trip per request under load. ``FORUM_DATABASE_POOL_SIZE`` sets the pool
    (default 20): a process that takes bursts from many clients at once does best with one
    connection per client in flight (each waits its turn for the worker while it holds one),
    as long as every process's pool plus 10 fits in PostgreSQL's ``max_connections``.
    """
    if database_url.startswith('sqlite'):
        # A connection to a local file costs little; under gevent a request waiting for its turn
        # to write holds one, so the pool is large enough that readers never wait for one.
        return (
            {}
            if ':memory:' in database_url or database_url == 'sqlite://'
            else {
                'pool_size': 20,
                'max_overflow': 80,
            }
        )
    pool_size = int(os.environ.get('FORUM_DATABASE_POOL_SIZE', '20'))
    return {'pool_size': pool_size, 'max_overflow': 10}


class Config:
    """Production-like defaults: SQLite in WAL mode under ``instance/``, one process."""

    SQLALCHEMY_DATABASE_URI = resolve_database_url(
        os.environ.get('FORUM_DATABASE_URL', DEFAULT_DATABASE_URL)
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = engine_options(SQLALCHEMY_DATABASE_URI)
    SECRET_KEY: str | None = None  # filled by create_app through load_secret_key()
    REDIS_URL = os.environ.get('FORUM_REDIS_URL') or None
    # None: gevent in a gevent-patched process (gunicorn's worker), else Flask-SocketIO's choice
    # (forum.live.fanout.async_mode).
    SOCKETIO_ASYNC_MODE: str | None = None
    PORT = int(os.environ.get('FORUM_PORT', '8000'))
    # 'json': every log line is a JSON object (request logs always are; forum.ops.request_log).
    LOG_FORMAT = os.environ.get('FORUM_LOG_FORMAT', 'text')
    # Proxies in front (nginx on the same VM: 1) whose X-Forwarded-For/-Proto are believed.
    TRUSTED_PROXIES = int(os.environ.get('FORUM_TRUSTED_PROXIES', '0'))
    # The address delegates' phones open from the QR code and e-mails link to.
    PUBLIC_URL = os.environ.get('FORUM_PUBLIC_URL') or f'http://127.0.0.1:{PORT}'

    # Outgoing e-mail (invitations, reminders) over SMTP.
    MAIL_SERVER = os.environ.get('FORUM_MAIL_SERVER', '127.0.0.1')
    MAIL_PORT = int(os.environ.get('FORUM_MAIL_PORT', '25'))
    MAIL_USERNAME = os.environ.get('FORUM_MAIL_USERNAME') or None
    MAIL_PASSWORD = os.environ.get('FORUM_MAIL_PASSWORD') or None
    MAIL_USE_TLS = os.environ.get('FORUM_MAIL_USE_TLS', '') == '1'  # STARTTLS
    MAIL_USE_SSL = os.environ.get('FORUM_MAIL_USE_SSL', '') == '1'
    MAIL_DEFAULT_SENDER = os.environ.get('FORUM_MAIL_SENDER', 'ban-to-chuc@localhost')
    MAIL_TIMEOUT_SECONDS = 20

    # SQLite: how long a writer waits for another process's lock before giving up.
    SQLITE_BUSY_TIMEOUT_MS = 10_000

    BABEL_DEFAULT_LOCALE = 'vi'
    BABEL_DEFAULT_TIMEZONE = 'Asia/Ho_Chi_Minh'
    LANGUAGES = {'vi': 'Tiếng Việt', 'en': 'English'}

    # API tokens: signed, revocable through the user's token version.
    API_TOKEN_MAX_AGE_SECONDS = 12 * 3600
    API_MAX_PER_PAGE = 500

    # flask-smorest: the OpenAPI document is generated from the code.
    API_TITLE = 'Forum API'
    API_VERSION = 'v1'
    OPENAPI_VERSION = '3.0.3'
    OPENAPI_URL_PREFIX = '/api/v1'
    OPENAPI_JSON_PATH = 'openapi.json'

    # Failed attempts allowed before a 429 (forum.ratelimits; counters in Redis when REDIS_URL).
    RATE_LIMITS = {
        'sign-in-account': os.environ.get('FORUM_SIGN_IN_LIMIT_PER_ACCOUNT', '10 per 15 minutes'),
        'sign-in-address': os.environ.get('FORUM_SIGN_IN_LIMIT_PER_ADDRESS', '50 per 15 minutes'),
        'code-address': os.environ.get('FORUM_CODE_LOOKUP_LIMIT_PER_ADDRESS', '30 per minute'),
    }

    # The live queue: length and rate limits per delegate, the profanity list (None: built in).
    QUESTION_MAX_LENGTH = 1000
    QUESTION_RATE_LIMIT = 3
    QUESTION_RATE_WINDOW_SECONDS = 60
    PROFANITY_LIST_FILE = os.environ.get('FORUM_PROFANITY_LIST') or None

    # Uploads: delegate lists (CSV/XLSX) up to 5 MB, kept between preview and import.
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    DELEGATE_IMPORT_MAX_BYTES = 5 * 1024 * 1024

    WTF_CSRF_TIME_LIMIT = None  # a form left open through a long meeting still submits
    SESSION_COOKIE_SAMESITE = 'Lax'
    REMEMBER_COOKIE_SAMESITE = 'Lax'
    # Served over HTTPS (the public address says so): cookies go over HTTPS only.
    SESSION_COOKIE_SECURE = PUBLIC_URL.startswith('https://')
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_HTTPONLY = True

    # Background jobs (Huey): on Redis when REDIS_URL is set, else on a SQLite file beside the
    # database (instance/forum-jobs.db). Results are kept a day; a running job whose worker went
    # silent for JOB_STALE_SECONDS is run again (at most JOB_MAX_ATTEMPTS times in all).
    JOBS_BACKEND: str | None = os.environ.get('FORUM_JOBS_BACKEND') or None
    JOBS_SQLITE_PATH: str | None = os.environ.get('FORUM_JOBS_DB') or None
    JOBS_QUEUE_NAME = 'forum'
    JOBS_WORKERS = int(os.environ.get('FORUM_JOBS_WORKERS', '3'))
    JOBS_POLL_SECONDS = 0.5
    JOBS_SHUTDOWN_SECONDS = 15  # on SIGTERM, how long the jobs at hand may take to finish
    JOBS_NICE = int(os.environ.get('FORUM_JOBS_NICE', '10'))  # the worker's lower CPU priority
    JOB_RESULT_TTL_SECONDS = 24 * 3600
    JOB_STALE_SECONDS = int(os.environ.get('FORUM_JOB_STALE_SECONDS', '120'))
    JOB_MAX_ATTEMPTS = 2
    JOB_WATCH_SECONDS = 0.5
    # API calls that answer synchronously wait this long for their job, then answer 202.
    JOB_WAIT_SECONDS = 240  # under nginx's proxy_read_timeout (300 s in deploy/)
    # Reading an uploaded list runs in a child process held to this much memory and time, so no
    # file, however crafted, costs the worker more (see forum/delegates/limits.py for the caps
    # checked before). 0 lifts the limit.
    IMPORT_MEMORY_MB = int(os.environ.get('FORUM_IMPORT_MEMORY_MB', '512'))
    IMPORT_SECONDS = float(os.environ.get('FORUM_IMPORT_SECONDS', '60'))
    # Work this small is done in the request (one delegate's invitation, one commune's list).
    INLINE_PDF_MAX_PAGES = 20

    # A Socket.IO message (or long-polling body) above this closes the connection: clients send
    # only a connect payload and small requests; questions go through the API.
    SOCKETIO_MAX_MESSAGE_BYTES = 64 * 1024
    # How often each process re-checks the tokens and codes behind its live connections: a
    # signed-out, disabled or re-coded one is closed within this many seconds.
    LIVE_RECHECK_SECONDS = float(os.environ.get('FORUM_LIVE_RECHECK_SECONDS', '3'))

    # gunicorn: one gevent worker holds thousands of Socket.IO connections.
    GUNICORN_WORKER_CONNECTIONS = 10_000


class TestConfig(Config):
    """A throw-away database per test; CSRF stays on so forms are tested as users submit them."""

    TESTING = True
    SECRET_KEY = 'test-secret-key'
    SQLALCHEMY_DATABASE_URI = 'sqlite://'
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}  # in memory: Flask-SQLAlchemy's StaticPool, no pool sizes
    SQLITE_BUSY_TIMEOUT_MS = 5_000
    SOCKETIO_ASYNC_MODE = 'threading'  # no gevent hub runs in the test process
    PASSWORD_HASH_METHOD = 'pbkdf2:sha256:1000'  # scrypt's cost is for attackers, not tests
    JOBS_BACKEND = 'sqlite'  # a file of the test's own (JOBS_SQLITE_PATH), whatever the env says
    JOBS_POLL_SECONDS = 0.05
    JOB_WATCH_SECONDS = 0.1
    JOB_WAIT_SECONDS = 60
