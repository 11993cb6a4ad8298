"""A request the rules refuse (``DomainError``): its message and status reach the caller, as JSON
under /api/ and as the error page elsewhere, and nothing the request changed is kept."""

import pytest

from forum.database import get_by_id
from forum.errors import DomainError
from forum.extensions import db
from forum.forums.models import Forum


@pytest.fixture
def refusing_app(app, create_forum):
    """The app with a route that renames a forum and is then refused, under /api/ and not."""
    forum = create_forum(title='Tọa đàm trước khi đổi tên')

    def rename_then_refuse():
        get_by_id(Forum, forum.id).title = 'Tên không được giữ'
        db.session.flush()
        raise DomainError('closed', 'Hội nghị đã kết thúc.', status=409, details={'id': forum.id})

    app.add_url_rule('/api/v1/refused', 'api_refused', rename_then_refuse)
    app.add_url_rule('/refused', 'page_refused', rename_then_refuse)
    app.refused_forum_id = forum.id
    return app


def title_of(app) -> str:
    with app.app_context():
        return get_by_id(Forum, app.refused_forum_id).title


def test_the_api_answers_a_refusal_as_json_and_keeps_nothing(refusing_app):
    response = refusing_app.test_client().get('/api/v1/refused')
    assert response.status_code == 409
    assert response.get_json() == {
        'error': {
            'code': 'closed',
            'message': 'Hội nghị đã kết thúc.',
            'details': {'id': refusing_app.refused_forum_id},
        }
    }
    assert title_of(refusing_app) == 'Tọa đàm trước khi đổi tên'


def test_a_page_shows_the_refusal_and_keeps_nothing(refusing_app):
    response = refusing_app.test_client().get('/refused')
    assert response.status_code == 409
    assert 'Hội nghị đã kết thúc.' in response.get_data(as_text=True)
    assert title_of(refusing_app) == 'Tọa đàm trước khi đổi tên'


@pytest.fixture
def locked_out_app(tmp_path):
    """An app whose SQLite file another process holds the write lock of, past its wait (a
    database out of reach on PostgreSQL: ``tests/test_faults.py``)."""
    import sqlite3

    from config import TestConfig
    from forum import create_app
    from tests.conftest import FreshDatabase

    overrides = {
        **FreshDatabase('sqlite', tmp_path).app_overrides(),
        'JOBS_SQLITE_PATH': str(tmp_path / 'jobs.db'),
        'SQLITE_BUSY_TIMEOUT_MS': 200,
    }
    app = create_app(TestConfig, overrides)
    with app.app_context():
        db.create_all()
    other = sqlite3.connect(tmp_path / 'forum.db', isolation_level=None)
    other.execute('BEGIN EXCLUSIVE')  # e.g. a backup tool, or a second server on the file
    yield app
    other.execute('ROLLBACK')
    other.close()
    with app.app_context():
        db.engine.dispose()


def test_a_database_out_of_reach_is_a_503_that_says_when_to_try_again(locked_out_app):
    def write():
        db.session.add(Forum(title='x'))
        db.session.commit()

    locked_out_app.add_url_rule('/api/v1/write', 'api_write', write)
    locked_out_app.add_url_rule('/write', 'page_write', write)
    client = locked_out_app.test_client()
    response = client.get('/api/v1/write')
    assert (response.status_code, response.headers['Retry-After']) == (503, '5')
    assert response.get_json()['error']['code'] == 'database_unavailable'
    page = client.get('/write')
    assert page.status_code == 503
    assert 'Tạm thời không kết nối được cơ sở dữ liệu' in page.get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="10">' in page.get_data(as_text=True)


def test_a_query_that_is_wrong_stays_a_500(app):
    from sqlalchemy import text

    def broken():
        db.session.execute(text('SELECT * FROM no_such_table'))

    app.add_url_rule('/api/v1/broken', 'api_broken', broken)
    response = app.test_client().get('/api/v1/broken')
    assert response.status_code == 500
    assert response.get_json()['error']['code'] == 'internal_error'
