"""``GET /healthz``: what a monitor or a load balancer sees when everything works, and when the
database or Redis does not answer."""

import os

import pytest
import redis
import sqlalchemy as sa

from forum.extensions import db
from forum.ops import health

REDIS_URL = os.environ.get('FORUM_TEST_REDIS_URL') or 'redis://127.0.0.1:6379/15'
JOBS_OK = {'ok': True, 'backend': 'sqlite', 'queued': 0, 'worker_last_seen': 1.0, 'problem': None}


@pytest.fixture(autouse=True)
def jobs_ok(monkeypatch):
    """A job worker that reports well, so these tests look at the database and Redis."""
    monkeypatch.setattr(health, 'check_jobs', lambda app: JOBS_OK)


@pytest.fixture
def with_redis(app):
    """The app configured with the test Redis; fails (no skip) when Redis does not answer."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        pytest.fail(f'Redis is needed at {REDIS_URL} (set FORUM_TEST_REDIS_URL): {error}')
    app.config['REDIS_URL'] = REDIS_URL
    return app


def test_healthy_without_redis_says_redis_is_not_configured(client):
    response = client.get('/healthz')
    assert response.status_code == 200
    body = response.json
    assert (body['status'], body['database'], body['redis']) == ('ok', 'ok', 'not configured')
    assert body['version'] == health.package_version() != 'unknown'
    assert body['jobs'] == JOBS_OK


def test_healthy_with_redis_says_redis_is_ok(with_redis, client):
    response = client.get('/healthz')
    assert (response.status_code, response.json['redis']) == (200, 'ok')


def test_no_cookie_no_caching_and_no_sign_in_needed(client):
    response = client.get('/healthz?lang=en')  # ?lang= stores the language in the session
    assert response.status_code == 200
    assert 'Set-Cookie' not in response.headers
    assert response.headers['Cache-Control'] == 'no-store'


def test_redis_that_does_not_answer_makes_it_unhealthy(app, client):
    app.config['REDIS_URL'] = 'redis://127.0.0.1:1/0'  # nothing listens on port 1
    response = client.get('/healthz')
    assert response.status_code == 503
    assert response.json['status'] == 'unhealthy'
    assert response.json['redis'].startswith('error: ConnectionError')
    assert response.json['database'] == 'ok'


def test_database_that_does_not_answer_makes_it_unhealthy(app, client, tmp_path):
    with app.app_context():
        db.engine.dispose()
    broken = sa.create_engine(f'sqlite:///{tmp_path}/missing-dir/forum.db')
    app.extensions['sqlalchemy']._app_engines[app][None] = broken
    response = client.get('/healthz')
    assert response.status_code == 503
    assert response.json['status'] == 'unhealthy'
    assert response.json['database'].startswith('error: OperationalError')
    assert 'unable to open database file' in response.json['database']


def test_the_job_systems_own_report_is_shown(app, client, monkeypatch):
    monkeypatch.undo()  # the real forum.jobs.health
    with app.app_context():
        expected = health.check_jobs(app)
    response = client.get('/healthz')
    assert response.json['jobs'] == expected
    assert response.status_code == (200 if expected['ok'] else 503)


def test_jobs_that_report_a_problem_make_it_unhealthy(client, monkeypatch):
    report = {'ok': False, 'backend': 'sqlite', 'queued': 12, 'worker_last_seen': None}
    report['problem'] = 'no worker seen'
    monkeypatch.setattr(health, 'check_jobs', lambda app: report)
    response = client.get('/healthz')
    assert response.status_code == 503
    assert response.json['jobs'] == report


def test_a_database_that_hangs_fails_the_check_within_its_deadline(client, monkeypatch):
    import threading

    release = threading.Event()
    monkeypatch.setattr(health, 'CHECK_TIMEOUT_SECONDS', 0.2)
    monkeypatch.setattr(health, 'check_database', lambda engine: release.wait(10) and 'ok')
    try:
        response = client.get('/healthz')
    finally:
        release.set()
    assert response.status_code == 503
    assert response.json['database'] == 'error: TimeoutError no answer within 0.2 s'
