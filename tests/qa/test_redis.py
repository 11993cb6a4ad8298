"""Several server processes behind one Redis (``FORUM_REDIS_URL``): a moderator's action in one
process reaches a client connected to another, and an item sent through the second reaches the
staff of the first. Two real gunicorn servers share one SQLite file and one signing key.

There is no skip: without Redis at ``FORUM_TEST_REDIS_URL`` (default redis://127.0.0.1:6379/15)
this test fails, so CI cannot pass without it (.ci/run starts Redis).
"""

import os
import queue
import re

import pytest
import redis
import socketio

from tests.servers import LiveServer, call_api

REDIS_URL = os.environ.get('FORUM_TEST_REDIS_URL') or 'redis://127.0.0.1:6379/15'
SECRET_KEY = 'redis-test-secret'
DEMO_PASSWORD = 'hagiang2023'
WAIT_SECONDS = 15


def sign_in(server, email):
    return call_api(server, '/api/v1/auth/token', body={'email': email, 'password': DEMO_PASSWORD})[
        'token'
    ]


@pytest.fixture(scope='module')
def servers(tmp_path_factory):
    """Servers A and B: same database, same key, one Redis; the demo forum seeded."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        pytest.fail(f'Redis is needed at {REDIS_URL} (set FORUM_TEST_REDIS_URL): {error}')
    first = LiveServer(tmp_path_factory.mktemp('redis-a'), secret_key=SECRET_KEY)
    second = LiveServer(tmp_path_factory.mktemp('redis-b'), secret_key=SECRET_KEY)
    second.env['FORUM_DATABASE_URL'] = first.env['FORUM_DATABASE_URL']
    for server in (first, second):
        server.env['FORUM_REDIS_URL'] = REDIS_URL
    first.cli('db', 'upgrade')
    output = first.cli('seed-demo', '--delegates', '20')
    first.forum_id = int(re.search(r'Demo forum (\d+)', output).group(1))
    try:
        first.start()
        second.start()
        yield first, second
    finally:
        second.stop()
        first.stop()


class Listener:
    """A python-socketio client (websocket transport) on ``/live``, collecting events."""

    def __init__(self, server, auth):
        self.events: queue.Queue = queue.Queue()
        self.client = socketio.Client(reconnection=False)
        for name in ('snapshot', 'question'):
            self.client.on(
                name,
                lambda data, name=name: self.events.put((name, data)),
                namespace='/live',
            )
        self.client.connect(
            server.url,
            namespaces=['/live'],
            transports=['websocket'],
            auth=auth,
            wait_timeout=WAIT_SECONDS,
        )

    def wait_for(self, name, check=lambda data: True):
        while True:
            got, data = self.events.get(timeout=WAIT_SECONDS)
            if got == name and check(data):
                return data

    def close(self):
        self.client.disconnect()


def test_an_action_in_one_process_reaches_clients_of_another(servers):
    first, second = servers
    forum_id = first.forum_id
    moderator = sign_in(first, 'moderator@hagiang.example')
    organiser = sign_in(first, 'organiser@hagiang.example')
    delegate = call_api(first, f'/api/v1/forums/{forum_id}/delegates?per_page=1', token=organiser)[
        'items'
    ][0]

    audience_on_b = Listener(second, {'forum_id': forum_id, 'code': delegate['code']})
    staff_on_a = Listener(first, {'forum_id': forum_id, 'token': moderator})
    try:
        audience_on_b.wait_for('snapshot')
        staff_on_a.wait_for('snapshot')

        # Sent through B: the staff connected to A see it arrive.
        text = 'Đề nghị hỗ trợ kinh phí truyền thông cho các xã vùng cao'
        sent = call_api(
            second,
            f'/api/v1/forums/{forum_id}/questions',
            body={'text': text, 'code': delegate['code']},
        )
        pending = staff_on_a.wait_for('question', lambda q: q['id'] == sent['id'])
        assert (pending['status'], pending['text']) == ('pending', text)

        # Approved through A: the delegate connected to B sees it in the public queue.
        call_api(
            first,
            f'/api/v1/questions/{sent["id"]}',
            method='PATCH',
            token=moderator,
            body={'status': 'approved'},
        )
        approved = audience_on_b.wait_for(
            'question', lambda q: q['id'] == sent['id'] and not q.get('mine')
        )
        assert (approved['status'], approved['text']) == ('approved', text)
        assert isinstance(approved['version'], int) and isinstance(approved['ts'], float)
    finally:
        audience_on_b.close()
        staff_on_a.close()
