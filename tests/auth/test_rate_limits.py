"""Guessing stops: failed sign-ins (per account and per address) and failed code look-ups (per
address) are counted and answered 429 with Retry-After; successes never count; the short code
opens only the door, never the delegate's page."""

import os
import uuid

import redis

from forum.auth.models import UserRole
from forum.extensions import limiter
from tests.conftest import DEFAULT_PASSWORD, csrf_token_from

REDIS_URL = os.environ.get('FORUM_TEST_REDIS_URL', 'redis://127.0.0.1:6379/15')


def sign_in_form(client, email, password):
    token = csrf_token_from(client.get('/login').get_data(as_text=True))
    return client.post('/login', data={'email': email, 'password': password, 'csrf_token': token})


def request_token(client, email, password, address='127.0.0.1'):
    return client.post(
        '/api/v1/auth/token',
        json={'email': email, 'password': password},
        environ_base={'REMOTE_ADDR': address},
    )


def test_ten_wrong_passwords_lock_the_account_even_for_the_right_one(client, create_user, app):
    user = create_user(UserRole.ORGANISER)
    for _ in range(10):
        assert sign_in_form(client, user.email, 'wrong password').status_code == 422
    refused = sign_in_form(client, user.email, DEFAULT_PASSWORD)
    assert refused.status_code == 429
    assert 0 < int(refused.headers['Retry-After']) <= 15 * 60
    assert 'Quá nhiều lần thử' in refused.get_data(as_text=True)
    # The API's token endpoint counts for the same account, from another address too.
    api = request_token(client, user.email, DEFAULT_PASSWORD, address='10.0.0.9')
    assert api.status_code == 429
    assert api.json['error']['code'] == 'too_many_requests'
    assert int(api.headers['Retry-After']) > 0
    # Another account is not locked by it.
    other = create_user(UserRole.MODERATOR)
    assert request_token(client, other.email, DEFAULT_PASSWORD).status_code == 200


def test_an_address_guessing_many_accounts_is_stopped(client, app, create_user):
    app.config['RATE_LIMITS'] = {**app.config['RATE_LIMITS'], 'sign-in-address': '5 per hour'}
    user = create_user(UserRole.ORGANISER)
    for number in range(5):
        assert request_token(client, f'guess{number}@example.vn', 'x').status_code == 401
    assert request_token(client, user.email, DEFAULT_PASSWORD).status_code == 429
    # From another address the right password works.
    assert request_token(client, user.email, DEFAULT_PASSWORD, '10.0.0.2').status_code == 200


def test_right_passwords_never_count(client, create_user):
    user = create_user(UserRole.OPERATOR)
    for _ in range(30):
        assert request_token(client, user.email, DEFAULT_PASSWORD).status_code == 200


def test_unknown_codes_are_counted_per_address_and_known_ones_are_not(
    client, app, create_forum, create_delegate
):
    forum = create_forum()
    delegate = create_delegate(forum)
    for _ in range(40):
        assert client.get(f'/i/{delegate.code}').status_code == 200
    for number in range(30):
        assert client.get(f'/i/not-a-code-{number}').status_code == 404
    refused = client.get(f'/i/{delegate.code}')
    assert refused.status_code == 429
    assert int(refused.headers['Retry-After']) > 0
    api = client.get(f'/api/v1/forums/{forum.id}/questions?code={delegate.code}')
    assert api.status_code == 429
    assert api.json['error']['code'] == 'too_many_requests'
    other_address = client.get(f'/i/{delegate.code}', environ_base={'REMOTE_ADDR': '10.1.1.1'})
    assert other_address.status_code == 200


def test_the_short_code_does_not_open_the_delegates_page(client, create_forum, create_delegate):
    delegate = create_delegate(create_forum())
    assert client.get(f'/i/{delegate.short_code}').status_code == 404
    assert client.get(f'/i/{delegate.short_code}/calendar.ics').status_code == 404
    assert client.get(f'/i/{delegate.code}').status_code == 200


def test_with_redis_the_counters_live_in_redis(empty_app, client, create_user, app):
    prefix = f'forum-limits-test-{uuid.uuid4().hex[:8]}'
    app.config.update(RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix)
    limiter.init_app(app)
    user = create_user(UserRole.ORGANISER)
    for _ in range(3):
        assert request_token(client, user.email, 'wrong').status_code == 401
    keys = redis.Redis.from_url(REDIS_URL).keys(f'*{prefix}*')
    assert keys, 'no counter was written to Redis'


def test_when_the_limits_store_is_gone_sign_in_still_works(client, app, create_user):
    app.config.update(RATELIMIT_STORAGE_URI='redis://127.0.0.1:1/0')  # nothing listens there
    limiter.init_app(app)
    user = create_user(UserRole.ORGANISER)
    assert request_token(client, user.email, 'wrong').status_code == 401
    assert request_token(client, user.email, DEFAULT_PASSWORD).status_code == 200
