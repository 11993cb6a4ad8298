"""Faults on the real server (gunicorn, one gevent worker): the server killed in the middle of
a moderator's work, the database gone for 10 s, Redis gone. Nothing answered with a 2xx is
lost, the forum says what is wrong while it is wrong, and it recovers by itself.

(SIGKILL in the middle of a check-in burst: ``tests/checkin/test_durability.py``.) There is no
skip: without PostgreSQL at ``FORUM_TEST_DATABASE_URL`` and Redis at ``FORUM_TEST_REDIS_URL``
the tests that need them fail, so CI cannot pass without them.
"""

import http.client
import os
import re
import secrets
import threading
import time
import uuid
from collections import Counter
from urllib.parse import urlsplit

import pytest
import redis
import requests
import socketio
import sqlalchemy as sa

from tests.cut_link import CutLink
from tests.servers import LiveServer
from tests.servers import send as api

POSTGRES_URL = os.environ.get('FORUM_TEST_DATABASE_URL')
REDIS_URL = os.environ.get('FORUM_TEST_REDIS_URL') or 'redis://127.0.0.1:6379/15'
ORGANISER = 'organiser@hagiang.example'
MODERATOR = 'moderator@hagiang.example'
PASSWORD = 'hagiang2023'  # the demo's
OUTAGE_SECONDS = 10


def token_of(server, email):
    status, body, _headers = api(
        server, 'POST', '/api/v1/auth/token', body={'email': email, 'password': PASSWORD}
    )
    assert status == 200, body
    return body['token']


def seeded(server, delegates: int) -> int:
    server.cli('db', 'upgrade')
    output = server.cli('seed-demo', '--delegates', str(delegates))
    return int(re.search(r'Demo forum (\d+)', output).group(1))


def delegates_of(server, forum_id, token) -> list[dict]:
    status, body, _headers = api(
        server, 'GET', f'/api/v1/forums/{forum_id}/delegates?per_page=500', token=token
    )
    assert status == 200, body
    return body['items']


def health(server) -> tuple[int, dict]:
    status, body, _headers = api(server, 'GET', '/healthz')
    return status, body


def wait_until(check, seconds, message):
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, message
        time.sleep(0.2)


# The server killed in the middle of a moderator's work -------------------------------------


class Moderator(threading.Thread):
    """A moderator approving items one after the other until the server dies."""

    def __init__(self, server, token, items, acknowledged, lock, enough, kill_after):
        super().__init__(daemon=True)
        self.server, self.token, self.items = server, token, items
        self.acknowledged, self.lock, self.enough = acknowledged, lock, enough
        self.kill_after = kill_after
        self.unanswered, self.refused = [], []

    def run(self):
        connection = http.client.HTTPConnection('127.0.0.1', self.server.port, timeout=10)
        headers = {'Authorization': f'Bearer {self.token}', 'Content-Type': 'application/json'}
        for index, item in enumerate(self.items):
            try:
                connection.request(
                    'PATCH', f'/api/v1/questions/{item}', '{"status": "approved"}', headers
                )
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                self.unanswered = self.items[index:]
                return
            if response.status != 200:
                self.refused.append(response.status)
                return
            with self.lock:
                self.acknowledged.append(item)
                if len(self.acknowledged) >= self.kill_after:
                    self.enough.set()


def stored_statuses(server) -> dict[int, str]:
    engine = sa.create_engine(f'sqlite:///{server.database_path}')
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql('PRAGMA integrity_check').scalar() == 'ok'
            return {
                id_: status
                for id_, status in connection.exec_driver_sql('SELECT id, status FROM questions')
            }
    finally:
        engine.dispose()


def test_sigkill_while_moderating_loses_no_acknowledged_action(tmp_path):
    server = LiveServer(tmp_path, secret_key=secrets.token_hex(16))
    forum_id = seeded(server, 300)
    server.start()
    try:
        organiser, moderator = token_of(server, ORGANISER), token_of(server, MODERATOR)
        items = []
        for delegate in delegates_of(server, forum_id, organiser)[:240]:
            status, body, _headers = api(
                server,
                'POST',
                f'/api/v1/forums/{forum_id}/questions',
                body={'text': f'Ý kiến của {delegate["full_name"]}', 'code': delegate['code']},
            )
            assert status == 201, body
            items.append(body['id'])

        acknowledged, lock, enough = [], threading.Lock(), threading.Event()
        moderators = [
            Moderator(server, moderator, items[i::3], acknowledged, lock, enough, kill_after=60)
            for i in range(3)
        ]
        for thread in moderators:
            thread.start()
        assert enough.wait(timeout=60), 'the moderators did not get going'
        server.kill()
        for thread in moderators:
            thread.join(timeout=30)
        assert [status for thread in moderators for status in thread.refused] == []
        unanswered = [item for thread in moderators for item in thread.unanswered]
        assert unanswered, 'the server was killed after the moderators finished'

        statuses = stored_statuses(server)  # and the file passes SQLite's integrity check
        with lock:
            assert all(statuses[item] == 'approved' for item in acknowledged)

        # The restart is clean: the queue is served, the cut-off approvals can be made again.
        server.start()
        assert health(server)[1]['database'] == 'ok'
        for item in unanswered:
            status, body, _headers = api(
                server,
                'PATCH',
                f'/api/v1/questions/{item}',
                token=moderator,
                body={'status': 'approved'},
            )
            assert status in (200, 409), body  # 409: it had landed before the kill
        status, queue, _headers = api(
            server, 'GET', f'/api/v1/forums/{forum_id}/questions', token=moderator
        )
        assert status == 200
        assert Counter(q['status'] for q in queue['items'] if q['id'] in set(items)) == {
            'approved': len(items)
        }
    finally:
        server.stop()


# The database gone for 10 s ----------------------------------------------------------------


class Scanner(threading.Thread):
    """A door's scanner as ``static/js/scanner.js`` behaves: a scan answered 5xx, or not at
    all, stays queued and is sent again (with its nonce) until it is answered."""

    def __init__(self, server, forum_id, token, scans):
        super().__init__(daemon=True)
        self.server, self.forum_id, self.token, self.scans = server, forum_id, token, scans
        self.acknowledged, self.answers = [], Counter()
        self.wrong = []  # answers a scanner would show as an error (there should be none)

    def run(self):
        path = f'/api/v1/forums/{self.forum_id}/checkins'
        for scan in self.scans:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    status, body, headers = api(
                        self.server, 'POST', path, token=self.token, body=scan, timeout=5
                    )
                except OSError:
                    self.answers['no answer'] += 1
                    time.sleep(0.3)
                    continue
                self.answers[status] += 1
                if status == 201:
                    self.acknowledged.append(scan['nonce'])
                    break
                if status == 503:
                    assert headers.get('Retry-After'), 'a 503 says when to try again'
                    time.sleep(0.3)
                    continue
                self.wrong.append((status, body))
                break
            time.sleep(0.02)


@pytest.fixture
def postgres_schema():
    assert POSTGRES_URL, 'PostgreSQL is needed (set FORUM_TEST_DATABASE_URL; .ci/run does)'
    schema = f'faults_{uuid.uuid4().hex[:10]}'
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA {schema}')
    yield schema
    with admin.begin() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA {schema} CASCADE')
    admin.dispose()


def stored_nonces(schema) -> Counter:
    engine = sa.create_engine(POSTGRES_URL)
    try:
        with engine.connect() as connection:
            rows = connection.exec_driver_sql(
                f'SELECT nonce FROM {schema}.checkins WHERE undone_at IS NULL'
            )
            return Counter(nonce for (nonce,) in rows)
    finally:
        engine.dispose()


def test_the_database_gone_for_ten_seconds(tmp_path, postgres_schema):
    database = urlsplit(POSTGRES_URL)
    link = CutLink(database.hostname, database.port or 5432)
    server = LiveServer(tmp_path, secret_key=secrets.token_hex(16))
    through_link = database._replace(netloc=f'{database.username}@127.0.0.1:{link.port}')
    server.env['FORUM_DATABASE_URL'] = (
        f'{through_link.geturl()}?options=-csearch_path%3D{postgres_schema}'
    )
    forum_id = seeded(server, 300)
    server.start()
    try:
        organiser = token_of(server, ORGANISER)
        browser = requests.Session()
        login = browser.get(server.url + '/login').text
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login).group(1)
        signed_in = browser.post(
            server.url + '/login',
            data={'email': ORGANISER, 'password': PASSWORD, 'csrf_token': csrf},
            allow_redirects=False,
        )
        assert signed_in.status_code == 302
        scans = [
            {'code': d['code'], 'venue_id': d['venue_id'], 'nonce': secrets.token_hex(16)}
            for d in delegates_of(server, forum_id, organiser)
        ]
        scanners = [Scanner(server, forum_id, organiser, scans[i::4]) for i in range(4)]
        for scanner in scanners:
            scanner.start()
        wait_until(
            lambda: sum(len(s.acknowledged) for s in scanners) >= 40, 60, 'no check-in went in'
        )

        link.cut()
        cut_at = time.monotonic()
        status, report = health(server)
        assert status == 503 and report['database'].startswith('error'), report
        page = browser.get(server.url + '/forums', allow_redirects=False)
        assert page.status_code == 503
        assert 'Tạm thời không kết nối được cơ sở dữ liệu' in page.text
        assert page.headers['Retry-After'] == '5'
        time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - cut_at)))
        during = sum(s.answers[503] for s in scanners)
        link.restore()

        for scanner in scanners:
            scanner.join(timeout=120)
            assert not scanner.is_alive()
        assert during > 0, 'the scanners were not refused while the database was gone'
        assert [w for s in scanners for w in s.wrong] == []
        acknowledged = [nonce for s in scanners for nonce in s.acknowledged]
        assert sorted(acknowledged) == sorted(scan['nonce'] for scan in scans)
        stored = stored_nonces(postgres_schema)
        assert all(stored[nonce] == 1 for nonce in acknowledged)
        assert sum(stored.values()) == len(scans)
        wait_until(lambda: health(server)[1]['database'] == 'ok', 15, 'the database is back')
        assert browser.get(server.url + '/forums').status_code == 200
    finally:
        server.stop()
        link.close()


# Redis gone --------------------------------------------------------------------------------


def test_redis_gone_a_single_process_keeps_serving_and_says_so(tmp_path):
    target = urlsplit(REDIS_URL)
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        pytest.fail(f'Redis is needed at {REDIS_URL} (set FORUM_TEST_REDIS_URL): {error}')
    link = CutLink(target.hostname, target.port or 6379)
    server = LiveServer(tmp_path, secret_key=secrets.token_hex(16))
    server.env['FORUM_REDIS_URL'] = f'redis://127.0.0.1:{link.port}{target.path or "/0"}'
    forum_id = seeded(server, 40)
    server.start()
    board = socketio.Client(reconnection=False)
    try:
        assert health(server)[1]['redis'] == 'ok'
        organiser = token_of(server, ORGANISER)
        delegates = delegates_of(server, forum_id, organiser)
        attendance = []
        board.on('attendance', attendance.append, namespace='/live')
        board.connect(
            server.url,
            namespaces=['/live'],
            transports=['websocket'],
            auth={'forum_id': forum_id, 'token': organiser},
            wait_timeout=15,
        )

        link.cut()
        status, report = health(server)
        assert status == 503, report
        assert report['redis'].startswith('error') and report['database'] == 'ok', report
        assert token_of(server, MODERATOR)  # signing in (its limits fall back to memory)
        for delegate in delegates[:5]:
            status, body, _headers = api(
                server,
                'POST',
                f'/api/v1/forums/{forum_id}/checkins',
                token=organiser,
                body={'code': delegate['code'], 'venue_id': delegate['venue_id']},
            )
            assert status == 201, body
        # this process's own screens still get the news
        wait_until(
            lambda: attendance and attendance[-1]['checked_in'] >= 5, 10, 'no attendance event'
        )
        assert board.connected

        link.restore()
        wait_until(lambda: health(server)[1]['redis'] == 'ok', 15, 'Redis is back in health')
    finally:
        board.disconnect()
        server.stop()
        link.close()
