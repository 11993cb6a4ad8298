"""The request log: one JSON line per request with the route (never the path, which can hold an
invitation code), and the request's id on the response."""

import json
import logging

import pytest

from forum.ops.request_log import REQUEST_LOGGER, JsonLineFormatter

CODE = 'Zq8xK2mP4vR7tY9wB3nC6d'


class Lines(logging.Handler):
    """Collects the formatted lines of the request logger."""

    def __init__(self):
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))

    def records(self):
        return [json.loads(line) for line in self.lines]


@pytest.fixture
def request_lines():
    handler = Lines()
    logger = logging.getLogger(REQUEST_LOGGER)
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def test_one_json_line_per_request_with_its_fields(client, request_lines):
    response = client.get('/login')
    (line,) = request_lines.records()
    assert line['request_id'] == response.headers['X-Request-ID']
    assert (line['method'], line['route'], line['endpoint'], line['status']) == (
        'GET',
        '/login',
        'auth.sign_in',
        200,
    )
    assert line['duration_ms'] >= 0 and line['pid'] > 0 and line['remote_addr'] == '127.0.0.1'
    assert line['ts'].endswith('+00:00')


def test_an_invitation_code_in_the_path_or_query_is_never_logged(client, request_lines):
    client.get(f'/i/{CODE}?code={CODE}&token=secret-token-value')
    client.post(f'/api/v1/forums/1/checkins?code={CODE}', json={'code': CODE, 'venue_id': 1})
    assert len(request_lines.lines) == 2
    for text in request_lines.lines:
        assert CODE not in text and 'secret-token-value' not in text
    routes = [line['route'] for line in request_lines.records()]
    assert routes == ['/i/<code>', '/api/v1/forums/<int:forum_id>/checkins']


def test_a_sane_incoming_request_id_is_kept(client, request_lines):
    response = client.get('/login', headers={'X-Request-ID': 'nginx-4f2a.9_b'})
    assert response.headers['X-Request-ID'] == 'nginx-4f2a.9_b'
    assert request_lines.records()[0]['request_id'] == 'nginx-4f2a.9_b'


@pytest.mark.parametrize('header', ['x' * 65, 'abc def', 'a"b', 'id;x=1', '../../etc', ''])
def test_an_odd_incoming_request_id_is_replaced_by_a_new_one(client, request_lines, header):
    response = client.get('/login', headers={'X-Request-ID': header} if header else {})
    new_id = response.headers['X-Request-ID']
    assert new_id != header and len(new_id) == 32 and int(new_id, 16) >= 0
    assert request_lines.records()[0]['request_id'] == new_id


def test_an_unknown_address_logs_no_route_and_not_its_path(client, request_lines):
    client.get(f'/no-such-page/{CODE}')
    (line,) = request_lines.records()
    assert (line['route'], line['status']) == (None, 404)
    assert CODE not in request_lines.lines[0]


def test_json_log_format_turns_other_log_lines_into_json():
    record = logging.LogRecord(
        'forum.checkin', logging.INFO, __file__, 1, 'Delegate %s in', (7,), None
    )
    line = json.loads(JsonLineFormatter().format(record))
    assert (line['level'], line['logger'], line['message']) == (
        'INFO',
        'forum.checkin',
        'Delegate 7 in',
    )


def test_forum_log_format_json_switches_the_root_handler(tmp_path):
    import subprocess
    import sys

    script = (
        'import logging; from config import TestConfig; from forum import create_app; '
        "create_app(TestConfig); logging.getLogger('forum.demo').warning('Hà Giang ready')"
    )
    from config import PROJECT_ROOT

    env = {
        'FORUM_LOG_FORMAT': 'json',
        'FORUM_JOBS_BACKEND': 'memory',
        'FORUM_SECRET_KEY': 'x',
        'PATH': '/usr/bin:/bin',
    }
    result = subprocess.run(
        [sys.executable, '-c', script],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert {'level': 'WARNING', 'logger': 'forum.demo', 'message': 'Hà Giang ready'}.items() <= (
        lines[-1].items()
    )


@pytest.mark.parametrize(('trusted', 'logged'), [(0, '127.0.0.1'), (1, '203.0.113.7')])
def test_the_client_address_behind_a_trusted_proxy(request_lines, trusted, logged):
    from config import TestConfig
    from forum import create_app

    app = create_app(TestConfig, {'TRUSTED_PROXIES': trusted, 'JOBS_BACKEND': 'memory'})
    app.test_client().get('/no-such-page', headers={'X-Forwarded-For': '203.0.113.7'})
    assert request_lines.records()[0]['remote_addr'] == logged
