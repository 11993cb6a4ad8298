"""Whatever a client sends, the forum answers 4xx in the documented shape, never 500: numbers
no column can hold, pages past any end, JSON nested without end or not JSON at all, text full
of controls, and a Socket.IO connect with an absurd forum id."""

import pytest

from forum.auth.models import UserRole
from forum.extensions import socketio

HUGE = 2**63  # one more than SQLite's INTEGER and PostgreSQL's BIGINT hold
VERY_HUGE = 10**20


@pytest.fixture
def organiser_api(create_user, api_token):
    organiser = create_user(UserRole.ORGANISER)
    return api_token(organiser)


@pytest.mark.parametrize('number', [HUGE, VERY_HUGE, 2**62, 2**31])
def test_an_id_beyond_any_row_in_a_path_finds_nothing(client, organiser_api, number):
    api = client.get(f'/api/v1/forums/{number}/delegates', headers=organiser_api)
    assert api.status_code == 404
    assert api.json['error']['code'] == 'not_found'
    assert client.get(f'/i/{number}').status_code == 404


@pytest.mark.parametrize('field', ['page', 'per_page', 'venue'])
def test_a_query_number_no_column_holds_is_refused_naming_the_field(
    client, create_forum, organiser_api, field
):
    forum = create_forum()
    response = client.get(
        f'/api/v1/forums/{forum.id}/delegates?{field}={VERY_HUGE}', headers=organiser_api
    )
    assert response.status_code == 422
    assert response.json['error']['code'] == 'validation_error'
    assert field in response.json['error']['details']


def test_a_page_far_past_the_end_is_empty_not_an_overflow(
    client, create_forum, create_delegate, organiser_api, sign_in, create_user
):
    forum = create_forum()
    create_delegate(forum)
    far = 2**31 - 1  # the largest page a column could count to; page × per_page is far more
    response = client.get(
        f'/api/v1/forums/{forum.id}/delegates?page={far}&per_page=500', headers=organiser_api
    )
    assert response.status_code == 200
    assert response.json['items'] == []
    assert response.json['total'] == 1
    sign_in(create_user(UserRole.ORGANISER))
    page = client.get(f'/forums/{forum.id}/delegates?page={far}')
    assert page.status_code == 200


def test_a_body_number_no_column_holds_is_refused_naming_where_it_is(
    client, create_forum, organiser_api
):
    forum = create_forum()
    response = client.post(
        f'/api/v1/forums/{forum.id}/checkins',
        json={'venue_id': VERY_HUGE, 'code': 'x' * 22},
        headers=organiser_api,
    )
    assert response.status_code == 422
    assert '$.venue_id' in response.json['error']['details']
    jobs = client.post(
        f'/api/v1/forums/{forum.id}/jobs',
        json={'kind': 'invitations_pdf', 'delegate_ids': [1, -HUGE]},
        headers=organiser_api,
    )
    assert jobs.status_code == 422
    assert '$.delegate_ids[1]' in jobs.json['error']['details']


@pytest.mark.parametrize('depth', [40, 100_000])
def test_json_nested_without_end_is_refused(client, create_forum, organiser_api, depth):
    forum = create_forum()
    body = '[' * depth + ']' * depth
    response = client.post(
        f'/api/v1/forums/{forum.id}/jobs',
        data=body,
        content_type='application/json',
        headers=organiser_api,
    )
    assert response.status_code == 400
    assert response.json['error']['code'] == 'bad_request'
    assert 'nested' in response.json['error']['message']


@pytest.mark.parametrize(
    'body',
    [b'{"email": "a@b.vn", "password": ', b'\xff\xfe{"email": 1}', b'{"email": "\\ud800"'],
)
def test_a_body_that_is_not_json_is_a_400(client, body):
    response = client.post('/api/v1/auth/token', data=body, content_type='application/json')
    assert response.status_code == 400
    assert response.json['error']['code'] == 'bad_request'


def test_a_lone_surrogate_and_controls_in_a_sign_in_are_cleaned_not_a_500(client, create_user):
    user = create_user(UserRole.ORGANISER)
    body = '{"email": "' + user.email + '\\ud800\\u0000", "password": "x\\udfff"}'
    response = client.post('/api/v1/auth/token', data=body, content_type='application/json')
    assert response.status_code == 401  # the e-mail matched once cleaned; the password did not


def test_a_socket_connect_with_an_absurd_forum_id_is_refused(app, create_forum):
    forum = create_forum()
    for forum_id in (VERY_HUGE, HUGE, -1, True, 1.5, str(forum.id), None):
        client = socketio.test_client(
            app, namespace='/live', auth={'forum_id': forum_id, 'code': 'nope\x00'}
        )
        assert not client.is_connected('/live')
    for auth in ('string', ['list'], {'forum_id': forum.id, 'code': '\x00' * 10_000}):
        client = socketio.test_client(app, namespace='/live', auth=auth)
        assert not client.is_connected('/live')
