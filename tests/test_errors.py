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
