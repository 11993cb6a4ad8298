"""Fixtures: an app on a fresh database per test (SQLite always, PostgreSQL when configured),
its clients, and factories for users, forums, bridge points and delegates."""

import os
import re
import uuid
from contextlib import contextmanager
from datetime import date, time

import pytest
import sqlalchemy as sa
from flask import has_app_context

from config import TestConfig
from forum import create_app
from forum.auth.models import UserRole
from forum.database import write_transactions
from forum.extensions import db
from forum.jobs.watch import stop_job_watcher
from forum.jobs.worker import Worker
from forum.live.coalesce import stop_coalescers
from forum.live.revocation import stop_revocation_watch

POSTGRES_URL = os.environ.get('FORUM_TEST_DATABASE_URL')
BACKENDS = ['sqlite'] + (['postgresql'] if POSTGRES_URL else [])
DEFAULT_PASSWORD = 'correct horse 42'


class FreshDatabase:
    """A database nobody else uses: a new SQLite file, or a new PostgreSQL schema."""

    def __init__(self, backend: str, tmp_path, url: str | None = None):
        self.backend = backend
        self.schema = None
        if backend == 'sqlite':
            self.url = f'sqlite:///{tmp_path / "forum.db"}'
            self.engine_options = {}
        else:
            self.url = url or POSTGRES_URL
            self.schema = f'test_{uuid.uuid4().hex[:12]}'
            admin = sa.create_engine(self.url)
            with admin.begin() as connection:
                connection.exec_driver_sql(f'CREATE SCHEMA {self.schema}')
            admin.dispose()
            self.engine_options = {'connect_args': {'options': f'-c search_path={self.schema}'}}

    def app_overrides(self) -> dict:
        return {
            'SQLALCHEMY_DATABASE_URI': self.url,
            'SQLALCHEMY_ENGINE_OPTIONS': self.engine_options,
        }

    def drop(self) -> None:
        if self.schema:
            admin = sa.create_engine(self.url)
            with admin.begin() as connection:
                connection.exec_driver_sql(f'DROP SCHEMA {self.schema} CASCADE')
            admin.dispose()


@pytest.fixture(params=BACKENDS)
def fresh_database(request, tmp_path):
    database = FreshDatabase(request.param, tmp_path)
    yield database
    database.drop()


@pytest.fixture
def empty_app(fresh_database, tmp_path):
    """The application on an empty database (no tables): for migration tests."""
    overrides = {
        **fresh_database.app_overrides(),
        'JOBS_SQLITE_PATH': str(tmp_path / 'jobs.db'),
    }
    app = create_app(TestConfig, overrides)
    yield app
    stop_coalescers(app)  # no live update of this test may reach the next one's clients
    stop_revocation_watch(app)
    stop_job_watcher(app)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(empty_app):
    """The application with its tables and Hà Giang's administrative units.

    No application context is held during the test: each request gets its own, as in
    production. Tests that call services directly use the ``app_ctx`` fixture.
    """
    from forum.tiers.services import load_administrative_units

    with empty_app.app_context():
        db.create_all()
        load_administrative_units()
        db.session.commit()
    return empty_app


@pytest.fixture
def job_worker(app):
    """The job worker (Huey's consumer, two threads) running the app's jobs during the test."""
    worker = Worker(app, 2).start_in_background()
    yield worker
    worker.stop()


@pytest.fixture
def app_ctx(app):
    """An application context around the whole test, for service-level tests."""
    with app.app_context():
        yield app


@contextmanager
def ensure_app_context(app):
    """Reuse the test's application context, or open one for the duration of a factory; its
    SQLite transactions begin IMMEDIATE, as a request's writes do (a page the test opened
    before may have left this thread's mode at DEFERRED)."""
    with write_transactions():
        if has_app_context():
            yield
        else:
            with app.app_context():
                yield


def _keep_loaded(obj, *relationships):
    """Refresh ``obj`` after commit so it can be read after its session is gone."""
    db.session.refresh(obj)
    for name in relationships:
        getattr(obj, name)
    return obj


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def create_user(app):
    """Factory: a staff account with a role (and bridge points for operators)."""
    from forum.auth.services import create_user as create

    counter = iter(range(1, 10_000))

    def factory(role=UserRole.ORGANISER, *, venues=(), email=None, password=DEFAULT_PASSWORD):
        email = email or f'{UserRole(role).value}{next(counter)}@example.vn'
        with ensure_app_context(app):
            venues = [db.session.merge(v, load=False) for v in venues]
            user = create(email, password, UserRole(role), venues=venues)
            db.session.commit()
            return _keep_loaded(user, 'venues')

    return factory


@pytest.fixture
def create_forum(app):
    """Factory: a forum of Hà Giang (province 02) with its hub, optionally with bridge points."""
    from forum.forums.models import AgendaKind, OfficialRole
    from forum.forums.services import AgendaItemData, ForumData, OfficialData
    from forum.forums.services import create_forum as create
    from forum.tiers.services import add_venues

    def factory(*, title='Tọa đàm thử nghiệm', tier_depth=3, unit_codes=(), **fields):
        data = ForumData(
            title=title,
            host_body='Ủy ban nhân dân tỉnh Hà Giang',
            province_code='02',
            held_on=date(2023, 5, 23),
            starts_at=time(8, 0),
            ends_at=time(11, 30),
            tier_depth=tier_depth,
            officials=[OfficialData(OfficialRole.CHAIR, 'Trần Đức Quý', 'Phó Chủ tịch UBND tỉnh')],
            agenda=[AgendaItemData('Khai mạc', AgendaKind.OPENING, time(8, 0))],
            **fields,
        )
        with ensure_app_context(app):
            forum = create(data)
            if unit_codes:
                add_venues(forum, unit_codes)
            db.session.commit()
            _keep_loaded(forum, 'venues', 'officials', 'agenda_items')
            for venue in forum.venues:
                db.session.refresh(venue)
            return forum

    return factory


@pytest.fixture
def create_delegate(app):
    """Factory: a delegate of a forum at a bridge point (the hub by default)."""
    from forum.delegates.models import Delegate

    def factory(forum, full_name='Nguyễn Thị Thảo', *, venue=None, **fields):
        venue = venue or next(v for v in forum.venues if v.is_hub)
        with ensure_app_context(app):
            delegate = Delegate(forum_id=forum.id, venue_id=venue.id, full_name=full_name, **fields)
            db.session.add(delegate)
            db.session.commit()
            return _keep_loaded(delegate, 'venue')

    return factory


def csrf_token_from(html: str) -> str:
    """The CSRF token of the first form in a page."""
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, 'the page has no CSRF token'
    return match.group(1)


@pytest.fixture
def sign_in(client):
    """Sign ``user`` in through the real sign-in form; returns the client."""

    def do_sign_in(user, password=DEFAULT_PASSWORD):
        token = csrf_token_from(client.get('/login').get_data(as_text=True))
        response = client.post(
            '/login', data={'email': user.email, 'password': password, 'csrf_token': token}
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return do_sign_in


@pytest.fixture
def post_form(client):
    """Submit a form as a browser would: fetch the page for its CSRF token, then post."""

    def do_post(url, data, *, form_page=None, follow_redirects=False):
        token = csrf_token_from(client.get(form_page or url).get_data(as_text=True))
        return client.post(
            url, data={**data, 'csrf_token': token}, follow_redirects=follow_redirects
        )

    do_post.client = client
    return do_post


@pytest.fixture
def api_token(client):
    """A bearer token for ``user`` obtained through ``POST /api/v1/auth/token``."""

    def issue(user, password=DEFAULT_PASSWORD):
        response = client.post(
            '/api/v1/auth/token', json={'email': user.email, 'password': password}
        )
        assert response.status_code == 200, response.json
        return {'Authorization': f'Bearer {response.json["token"]}'}

    return issue
