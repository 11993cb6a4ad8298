"""Every kind of response carries the security headers; pages and the API are never cached,
static files are; cookies are Secure when the forum is served over HTTPS."""

import pytest

from config import TestConfig
from forum import create_app
from forum.auth.models import UserRole


@pytest.mark.parametrize(
    'path',
    ['/login', '/forums', '/api/v1/forums', '/api/v1/openapi.json', '/no-such-page', '/healthz'],
)
def test_every_response_has_the_headers(client, path):
    response = client.get(path)
    policy = response.headers['Content-Security-Policy']
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert 'unsafe-inline' not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers['X-Frame-Options'] == 'DENY'
    assert response.headers['X-Content-Type-Options'] == 'nosniff'
    assert response.headers['Referrer-Policy'] == 'same-origin'
    assert 'no-store' in response.headers['Cache-Control']


def test_a_page_embedding_a_staff_token_is_not_stored(client, sign_in, create_user, create_forum):
    forum = create_forum()
    sign_in(create_user(UserRole.MODERATOR))
    for path in (f'/forums/{forum.id}/moderation', f'/forums/{forum.id}/screen'):
        response = client.get(path)
        assert response.status_code == 200, path
        assert 'no-store' in response.headers['Cache-Control']


def test_static_files_may_be_cached(client):
    response = client.get('/static/css/forum.css')
    assert response.status_code == 200
    assert 'no-store' not in response.headers.get('Cache-Control', '')


def test_over_https_the_cookies_are_secure(fresh_database):
    class HttpsConfig(TestConfig):
        SESSION_COOKIE_SECURE = True
        REMEMBER_COOKIE_SECURE = True

    app = create_app(HttpsConfig, fresh_database.app_overrides())
    client = app.test_client()
    response = client.get('/login', base_url='https://forum.test')
    cookie = response.headers.get('Set-Cookie', '')
    assert 'Secure' in cookie and 'HttpOnly' in cookie
    assert response.headers['Strict-Transport-Security'].startswith('max-age=')
