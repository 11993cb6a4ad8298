"""SIGKILL in the middle of a burst of check-ins loses none that was answered with a 2xx.

The real server (gunicorn, gevent worker, SQLite in WAL with ``synchronous = NORMAL``) is killed,
master and worker at once, while several door clients are still scanning. After a restart on the
same database every acknowledged check-in is there, each delegate once, and the scans that were
cut off can be sent again with their nonces: each becomes exactly one check-in.
"""

import http.client
import json
import secrets
import threading
from collections import Counter

import pytest
import sqlalchemy as sa

from tests.servers import LiveServer, send

ORGANISER = ('organiser@hagiang.example', 'hagiang2023')  # the demo forum's organiser
DOORS = 6  # clients scanning at the same time
KILL_AFTER = 120  # acknowledged check-ins before the plug is pulled


class Door(threading.Thread):
    """One scanner at a door: sends its check-ins one after the other on a keep-alive socket."""

    def __init__(self, server, forum_id, token, scans, acknowledged, lock, enough):
        super().__init__(daemon=True)
        self.server, self.forum_id, self.token = server, forum_id, token
        self.scans = scans
        self.acknowledged, self.lock, self.enough = acknowledged, lock, enough
        self.unanswered = []  # sent, or about to be, when the server died: to send again
        self.refused = []  # answers other than 201 (there should be none)

    def run(self):
        connection = http.client.HTTPConnection('127.0.0.1', self.server.port, timeout=10)
        headers = {'Authorization': f'Bearer {self.token}', 'Content-Type': 'application/json'}
        path = f'/api/v1/forums/{self.forum_id}/checkins'
        for index, scan in enumerate(self.scans):
            try:
                connection.request('POST', path, json.dumps(scan), headers)
                response = connection.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException):
                self.unanswered = self.scans[index:]
                return
            if response.status != 201:
                self.refused.append((response.status, body))
                return
            with self.lock:
                self.acknowledged.append(scan)
                if len(self.acknowledged) >= KILL_AFTER:
                    self.enough.set()


def api(server, method, path, *, token=None, body=None):
    status, parsed, _headers = send(server, method, path, token=token, body=body)
    return status, parsed


def stored_checkins(server) -> list[tuple[int, str]]:
    """(delegate id, nonce) of the active check-ins, read from the SQLite file itself."""
    engine = sa.create_engine(f'sqlite:///{server.database_path}')
    try:
        with engine.connect() as connection:
            return list(
                connection.execute(
                    sa.text('SELECT delegate_id, nonce FROM checkins WHERE undone_at IS NULL')
                )
            )
    finally:
        engine.dispose()


@pytest.fixture
def server(tmp_path):
    server = LiveServer(tmp_path, secret_key=secrets.token_hex(16))
    server.cli('db', 'upgrade')
    server.cli('seed-demo', '--delegates', '400')
    yield server
    server.stop()


def test_sigkill_mid_burst_loses_no_acknowledged_checkin(server):
    server.start()
    status, body = api(
        server,
        'POST',
        '/api/v1/auth/token',
        body={'email': ORGANISER[0], 'password': ORGANISER[1]},
    )
    assert status == 200
    token = body['token']
    status, forums = api(server, 'GET', '/api/v1/forums', token=token)
    forum_id = forums['items'][0]['id']
    status, delegates = api(
        server, 'GET', f'/api/v1/forums/{forum_id}/delegates?per_page=500', token=token
    )
    scans = [
        {'code': d['code'], 'venue_id': d['venue_id'], 'nonce': secrets.token_hex(16)}
        for d in delegates['items']
    ]
    code_to_delegate = {d['code']: d['id'] for d in delegates['items']}

    acknowledged, lock, enough = [], threading.Lock(), threading.Event()
    doors = [
        Door(server, forum_id, token, scans[i::DOORS], acknowledged, lock, enough)
        for i in range(DOORS)
    ]
    for door in doors:
        door.start()
    assert enough.wait(timeout=60), 'the burst did not get going'
    server.kill()  # master and worker, mid-burst
    for door in doors:
        door.join(timeout=30)
        assert not door.is_alive()

    assert [refusal for door in doors for refusal in door.refused] == []
    with lock:
        answered = list(acknowledged)
    unanswered = [scan for door in doors for scan in door.unanswered]
    assert len(answered) >= KILL_AFTER
    assert unanswered, 'the server was killed after the burst, not in the middle of it'
    assert len(answered) + len(unanswered) == len(scans)

    # Every check-in answered with a 2xx survived, and nobody is in twice.
    stored = stored_checkins(server)
    stored_nonces = Counter(nonce for _delegate, nonce in stored)
    assert all(stored_nonces[scan['nonce']] == 1 for scan in answered)
    assert max(Counter(delegate for delegate, _nonce in stored).values()) == 1
    assert set(stored_nonces) <= {scan['nonce'] for scan in scans}

    # After a restart on the same database, the doors send what was cut off, with its nonce:
    # a scan that had landed is answered as the same check-in, the others are checked in.
    server.start()
    for scan in unanswered:
        status, body = api(
            server, 'POST', f'/api/v1/forums/{forum_id}/checkins', token=token, body=scan
        )
        assert status == 201, body
        assert body['delegate']['id'] == code_to_delegate[scan['code']]
    for scan in answered[:20]:  # an acknowledged scan sent again is still one check-in
        status, body = api(
            server, 'POST', f'/api/v1/forums/{forum_id}/checkins', token=token, body=scan
        )
        assert (status, body['status']) == (201, 'checked_in')

    stored = stored_checkins(server)
    assert sorted(nonce for _delegate, nonce in stored) == sorted(scan['nonce'] for scan in scans)
    assert len({delegate for delegate, _nonce in stored}) == len(scans)
    status, attendance = api(server, 'GET', f'/api/v1/forums/{forum_id}/attendance', token=token)
    assert attendance['checked_in'] == len(scans)
