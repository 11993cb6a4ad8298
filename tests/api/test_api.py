"""The JSON API: tokens, forums, venues, delegates, errors, the OpenAPI document."""

import pytest

from forum.auth.models import UserRole
from forum.extensions import db


@pytest.fixture
def forum_with_delegates(app, create_forum, create_delegate):
    forum = create_forum(unit_codes=['024', '00688', '026'])
    venue_by_code = {v.unit_code: v for v in forum.venues}
    create_delegate(forum, 'Nguyễn Thị Thảo', venue=venue_by_code['00688'], position='Chủ tịch')
    create_delegate(forum, 'Trần Văn Bình', venue=venue_by_code['024'])
    create_delegate(forum, 'Lê Thị Ánh', venue=venue_by_code['026'])
    create_delegate(forum, 'Vàng Mí Sử')
    return forum


def test_token_for_right_credentials(client, create_user):
    user = create_user(UserRole.MODERATOR)
    response = client.post(
        '/api/v1/auth/token', json={'email': user.email, 'password': 'correct horse 42'}
    )
    assert response.status_code == 200
    assert response.json['role'] == 'moderator'
    assert response.json['token']


def test_wrong_password_gets_401_in_the_error_format(client, create_user):
    user = create_user()
    response = client.post('/api/v1/auth/token', json={'email': user.email, 'password': 'nope'})
    assert response.status_code == 401
    assert response.json['error']['code'] == 'invalid_credentials'


def test_missing_fields_name_the_field(client):
    response = client.post('/api/v1/auth/token', json={'email': 'a@b.vn'})
    assert response.status_code == 422
    assert 'password' in response.json['error']['details']['json']


def test_malformed_json_is_400_not_500(client):
    response = client.post('/api/v1/auth/token', data='{"email": ', content_type='application/json')
    assert response.status_code == 400
    assert response.json['error']['code'] == 'bad_request'


def test_requests_without_credentials_are_refused(client, forum_with_delegates):
    response = client.get(f'/api/v1/forums/{forum_with_delegates.id}/delegates')
    assert response.status_code == 401
    assert 'Bearer' in response.json['error']['message']


def test_a_forged_token_is_refused(client):
    response = client.get('/api/v1/forums', headers={'Authorization': 'Bearer not-a-token'})
    assert response.status_code == 401


def test_raising_the_token_version_revokes_tokens(app, client, create_user, api_token):
    from forum.auth.models import User

    user = create_user()
    headers = api_token(user)
    assert client.get('/api/v1/forums', headers=headers).status_code == 200
    with app.app_context():
        db.session.get(User, user.id).token_version += 1
        db.session.commit()
    assert client.get('/api/v1/forums', headers=headers).status_code == 401


def test_forums_are_paginated(client, create_user, create_forum, api_token):
    for number in range(3):
        create_forum(title=f'Hội nghị số {number}')
    headers = api_token(create_user(UserRole.SECRETARY))
    body = client.get('/api/v1/forums?per_page=2&page=2', headers=headers).json
    assert (body['total'], body['page'], body['per_page'], len(body['items'])) == (3, 2, 2, 1)


def test_per_page_over_500_is_refused_with_details(client, create_user, api_token):
    headers = api_token(create_user())
    response = client.get('/api/v1/forums?per_page=501', headers=headers)
    assert response.status_code == 422
    assert 'per_page' in response.json['error']['details']['query']


def test_venues_list_hub_first_with_tiers(client, create_user, forum_with_delegates, api_token):
    headers = api_token(create_user())
    body = client.get(f'/api/v1/forums/{forum_with_delegates.id}/venues', headers=headers).json
    assert [v['tier'] for v in body['items']] == ['province', 'district', 'district', 'commune']
    hub, district = body['items'][0], body['items'][1]
    assert (hub['name'], hub['unit_code'], hub['parent_id']) == ('Tỉnh Hà Giang', '02', None)
    assert district['parent_id'] == hub['id']
    assert set(district) >= {'id', 'name', 'tier', 'unit_code', 'parent_id'}


def test_delegates_in_vietnamese_order(client, create_user, forum_with_delegates, api_token):
    headers = api_token(create_user())
    body = client.get(f'/api/v1/forums/{forum_with_delegates.id}/delegates', headers=headers).json
    names = [d['full_name'] for d in body['items']]
    assert names == ['Lê Thị Ánh', 'Trần Văn Bình', 'Vàng Mí Sử', 'Nguyễn Thị Thảo']


def test_delegate_search_works_without_accents(
    client, create_user, forum_with_delegates, api_token
):
    headers = api_token(create_user())
    url = f'/api/v1/forums/{forum_with_delegates.id}/delegates'
    body = client.get(url, query_string={'q': 'nguyen thi thao'}, headers=headers).json
    assert [d['full_name'] for d in body['items']] == ['Nguyễn Thị Thảo']
    assert body['items'][0]['tier'] == 'commune'
    assert client.get(url, query_string={'q': 'THẢO'}, headers=headers).json['total'] == 1
    assert client.get(url, query_string={'q': '100%_'}, headers=headers).json['total'] == 0


def test_delegates_filtered_by_venue(client, create_user, forum_with_delegates, api_token):
    headers = api_token(create_user())
    district = next(v for v in forum_with_delegates.venues if v.unit_code == '024')
    body = client.get(
        f'/api/v1/forums/{forum_with_delegates.id}/delegates?venue={district.id}', headers=headers
    ).json
    assert [d['full_name'] for d in body['items']] == ['Trần Văn Bình']


def test_codes_are_shown_to_organisers_only(client, create_user, forum_with_delegates, api_token):
    url = f'/api/v1/forums/{forum_with_delegates.id}/delegates'
    organiser_view = client.get(url, headers=api_token(create_user(UserRole.ORGANISER))).json
    moderator_view = client.get(url, headers=api_token(create_user(UserRole.MODERATOR))).json
    assert all(len(d['code']) >= 22 for d in organiser_view['items'])
    assert all('code' not in d and 'short_code' not in d for d in moderator_view['items'])


def test_unknown_forum_is_404(client, create_user, api_token):
    response = client.get('/api/v1/forums/424242/venues', headers=api_token(create_user()))
    assert response.status_code == 404
    assert response.json['error']['code'] == 'not_found'


def test_unknown_api_path_is_json_404(client):
    response = client.get('/api/v1/nothing-here')
    assert response.status_code == 404
    assert response.json['error']['code'] == 'not_found'


def test_openapi_document_is_generated_from_the_code(client):
    spec = client.get('/api/v1/openapi.json').json
    assert spec['openapi'].startswith('3.')
    assert {
        '/api/v1/auth/token',
        '/api/v1/forums',
        '/api/v1/forums/{forum_id}/venues',
        '/api/v1/forums/{forum_id}/delegates',
    } <= set(spec['paths'])
    delegate_params = {
        p['name'] for p in spec['paths']['/api/v1/forums/{forum_id}/delegates']['get']['parameters']
    }
    assert {'venue', 'q', 'page', 'per_page'} <= delegate_params
    assert 'bearerAuth' in spec['components']['securitySchemes']
