"""The deployment of docs/deploy.md, on one machine: Debian's nginx with ``deploy/nginx/forum.conf``
in front of two ``forum serve --no-jobs`` processes and a ``forum jobs worker``, on PostgreSQL and
Redis, prepared with the ``forum`` CLI.

Phones connected through nginx (websocket, and long-polling, which needs the sticky upstream) and
directly to each process all see what a moderator did through any process; check-ins sent twice
through nginx from several doors land once each; ``/healthz`` through nginx says all is well.

Nothing skips: without nginx (scripts/install-test-deps installs it), PostgreSQL at
``FORUM_TEST_DATABASE_URL`` or Redis at ``FORUM_TEST_REDIS_URL`` this test fails.
"""

import http.client
import json
import os
import pwd
import queue
import re
import secrets
import signal
import subprocess
import threading
import time
from collections import Counter
from contextlib import suppress
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
import sqlalchemy as sa

from config import PROJECT_ROOT
from tests.conftest import FreshDatabase
from tests.qa.test_redis import Listener, sign_in
from tests.servers import BIN, LiveServer, call_api, free_port, wait_for_port

NGINX = '/usr/sbin/nginx'
SITE = PROJECT_ROOT / 'deploy' / 'nginx' / 'forum.conf'
POSTGRES_URL = (
    os.environ.get('FORUM_TEST_DATABASE_URL') or 'postgresql+psycopg://postgres@127.0.0.1:5432/test'
)
REDIS_URL = os.environ.get('FORUM_TEST_REDIS_URL') or 'redis://127.0.0.1:6379/15'
SECRET_KEY = 'cluster-test-secret'
DELEGATES = 200
DOORS = 8
WAIT_SECONDS = 20


def site_for_test(site: str, *, port: int, app_ports: list[int], workdir: Path) -> str:
    """The shipped site on plain HTTP at ``port``, upstreams on ``app_ports``, logs in ``workdir``.

    Each change is asserted, so that a change of the shipped file that the test no longer
    follows fails here instead of testing something else.
    """

    def replace(pattern, replacement, text, *, flags=0):
        changed, count = re.subn(pattern, replacement, text, flags=flags)
        assert count, f'deploy/nginx/forum.conf has no {pattern!r}'
        return changed

    servers = ''.join(f'    server 127.0.0.1:{p};\n' for p in app_ports)
    site = replace(
        r'(upstream \w+ \{\n(?:(?!    server)[^\n]*\n)*)(    server [^\n]*\n)+',
        rf'\g<1>{servers}',
        site,
    )
    site = replace(r'server \{[^{}]*return 301 https://[^{}]*\}', '', site)  # the redirect
    site = replace(r'listen 443 ssl[^;]*;', f'listen 127.0.0.1:{port};', site)
    site = replace(r'\n\s*listen \[::\]:443[^;]*;', '', site)
    site = replace(r'\n\s*ssl_[a-z_]+ [^;]*;', '', site)
    site = replace(r'/var/log/nginx/', f'{workdir}/', site)
    return replace(r'/srv/forum/app/static/', f'{PROJECT_ROOT}/static/', site)


def nginx_config(site: str, workdir: Path) -> str:
    """A whole nginx.conf around a site, with its own pid file, logs and temp paths."""
    user = f'user {pwd.getpwuid(os.geteuid()).pw_name};' if os.geteuid() == 0 else ''
    temp_paths = ''.join(
        f'    {kind}_temp_path {workdir}/{kind};\n'
        for kind in ('client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi')
    )
    return f"""{user}
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log {workdir}/access.log;
{temp_paths}
{site}
}}
"""


class Nginx:
    """Debian's nginx in the foreground on a config of its own."""

    def __init__(self, workdir: Path, app_ports: list[int]):
        self.port = free_port()
        self.url = f'http://127.0.0.1:{self.port}'
        self.workdir = workdir
        site = site_for_test(SITE.read_text(), port=self.port, app_ports=app_ports, workdir=workdir)
        self.config = workdir / 'nginx.conf'
        self.config.write_text(nginx_config(site, workdir))
        self.process = None

    def start(self):
        check = subprocess.run(
            [NGINX, '-t', '-c', str(self.config)], capture_output=True, text=True
        )
        assert check.returncode == 0, check.stderr
        self.process = subprocess.Popen(
            [NGINX, '-c', str(self.config), '-g', 'daemon off;'], start_new_session=True
        )
        wait_for_port(self.port, self.process)

    def log_after(self, text: str, timeout: float = 5) -> str:
        """The access log once it holds ``text`` (nginx writes a line just after answering)."""
        deadline = time.monotonic() + timeout
        while True:
            log = (self.workdir / 'forum.access.log').read_text()
            if text in log or time.monotonic() > deadline:
                return log
            time.sleep(0.05)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)


class PollingPhone:
    """A phone on a weak network: Socket.IO over HTTP long-polling only, spoken by hand (engine.io
    protocol 4). Every poll of the session must reach the process that holds it."""

    def __init__(self, server, auth):
        self.host, self.port = '127.0.0.1', server.port
        self.events: queue.Queue = queue.Queue()
        self.failures: list[str] = []
        handshake = self._request('GET', '/socket.io/?EIO=4&transport=polling')
        assert handshake.startswith('0'), handshake
        self.sid = json.loads(handshake[1:])['sid']
        self._send('40/live,' + json.dumps(auth))
        self.closed = threading.Event()
        self.poller = threading.Thread(target=self._poll, daemon=True)
        self.poller.start()

    def _request(self, method, path, body=None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=WAIT_SECONDS + 40)
        try:
            connection.request(method, path, body, {'Content-Type': 'text/plain;charset=UTF-8'})
            response = connection.getresponse()
            text = response.read().decode()
            if response.status != 200:
                raise AssertionError(f'{method} {path}: {response.status} {text}')
            return text
        finally:
            connection.close()

    def _send(self, packet):
        self._request('POST', f'/socket.io/?EIO=4&transport=polling&sid={self.sid}', packet)

    def _poll(self):
        while not self.closed.is_set():
            try:
                payload = self._request(
                    'GET', f'/socket.io/?EIO=4&transport=polling&sid={self.sid}'
                )
            except Exception as error:  # noqa: BLE001 — a refused poll is what the test looks for
                if not self.closed.is_set():
                    self.failures.append(str(error))
                return
            for packet in payload.split('\x1e'):
                if packet == '2':
                    self._send('3')  # pong
                elif packet.startswith('42/live,'):
                    name, data = json.loads(packet[len('42/live,') :])
                    self.events.put((name, data))

    def wait_for(self, name, check=lambda data: True):
        while True:
            try:
                got, data = self.events.get(timeout=WAIT_SECONDS)
            except queue.Empty:
                raise AssertionError(f'no {name} event; polls refused: {self.failures}') from None
            if got == name and check(data):
                return data

    def close(self):
        """Leave the namespace and close the session: refused when it reaches another process."""
        self.closed.set()
        try:
            self._send('41/live,')
            self._send('1')
        except AssertionError as refused:
            self.failures.append(str(refused))
        self.poller.join(timeout=WAIT_SECONDS)


class JobWorker:
    """``forum jobs worker`` with the servers' environment."""

    def __init__(self, env, log_path):
        with log_path.open('a') as log:
            self.process = subprocess.Popen(
                [BIN / 'forum', 'jobs', 'worker'],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def stop(self):
        if self.process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)


def serve_arguments() -> list[str]:
    """``--no-jobs`` where ``forum serve`` has it (a worker of its own runs beside the servers)."""
    help_text = subprocess.run(
        [BIN / 'forum', 'serve', '--help'], capture_output=True, text=True, check=True
    ).stdout
    return ['--no-jobs'] if '--no-jobs' in help_text else []


@pytest.fixture(scope='module')
def cluster(tmp_path_factory):
    """nginx, processes A and B, a job worker; PostgreSQL (a fresh schema) and Redis."""
    assert Path(NGINX).exists(), f'{NGINX} is needed: scripts/install-test-deps installs it'
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        pytest.fail(f'Redis is needed at {REDIS_URL} (set FORUM_TEST_REDIS_URL): {error}')
    workdir = tmp_path_factory.mktemp('cluster')
    database = FreshDatabase('postgresql', workdir, url=POSTGRES_URL)
    separator = '&' if '?' in POSTGRES_URL else '?'
    database_url = f'{POSTGRES_URL}{separator}options={quote(f"-c search_path={database.schema}")}'
    first = LiveServer(workdir / 'a', secret_key=SECRET_KEY)
    second = LiveServer(workdir / 'b', secret_key=SECRET_KEY)
    for server in (first, second):
        server.log_path.parent.mkdir()
        server.env.update(
            FORUM_DATABASE_URL=database_url,
            FORUM_REDIS_URL=REDIS_URL,
            FORUM_TRUSTED_PROXIES='1',
            FORUM_DATABASE_POOL_SIZE='5',
        )
    first.cli('db', 'upgrade')
    seeded = first.cli('seed-demo', '--delegates', str(DELEGATES))
    forum_id = int(re.search(r'Demo forum (\d+)', seeded).group(1))
    first.cli(
        'users',
        'create',
        '--email',
        'dieuphoi@hagiang.example',
        '--password',
        'dieu-phoi-2023',
        '--role',
        'moderator',
    )
    nginx = Nginx(workdir, [first.port, second.port])
    worker = None
    try:
        arguments = serve_arguments()
        first.start(*arguments)
        second.start(*arguments)
        worker = JobWorker(first.env, workdir / 'jobs.log')
        nginx.start()
        yield {
            'a': first,
            'b': second,
            'nginx': nginx,
            'forum_id': forum_id,
            'database_url': database_url,
            'database': database,
        }
    finally:
        nginx.stop()
        if worker:
            worker.stop()
        second.stop()
        first.stop()
        database.drop()


def moderator_token(server):
    body = {'email': 'dieuphoi@hagiang.example', 'password': 'dieu-phoi-2023'}
    return call_api(server, '/api/v1/auth/token', body=body)['token']


def delegates_of(cluster):
    organiser = sign_in(cluster['a'], 'organiser@hagiang.example')
    path = f'/api/v1/forums/{cluster["forum_id"]}/delegates?per_page=500'
    return call_api(cluster['nginx'], path, token=organiser)['items'], organiser


def test_phones_on_every_path_see_a_moderators_action_through_any_process(cluster):
    first, second, nginx = cluster['a'], cluster['b'], cluster['nginx']
    forum_id = cluster['forum_id']
    delegates, _organiser = delegates_of(cluster)
    auth = [{'forum_id': forum_id, 'code': delegate['code']} for delegate in delegates[:4]]
    phones = {
        'through nginx (websocket)': Listener(nginx, auth[0]),
        'through nginx (long-polling)': PollingPhone(nginx, auth[1]),
        'on A': Listener(first, auth[2]),
        'on B': Listener(second, auth[3]),
    }
    try:
        for phone in phones.values():
            phone.wait_for('snapshot')
        paths = {'A': first, 'B': second, 'nginx': nginx}
        # (asked through, approved through): each process directly, and nginx, in turn.
        steps = [('B', 'A'), ('A', 'B'), ('nginx', 'nginx'), ('nginx', 'B'), ('A', 'nginx')]
        for step, (asked_through, approved_through) in enumerate(steps):
            author = delegates[10 + step]
            text = f'Câu hỏi số {step + 1}: kinh phí truyền thông ở xã vùng cao'
            asked = call_api(
                paths[asked_through],
                f'/api/v1/forums/{forum_id}/questions',
                body={'text': text, 'code': author['code']},
            )
            call_api(
                paths[approved_through],
                f'/api/v1/questions/{asked["id"]}',
                method='PATCH',
                token=moderator_token(paths[approved_through]),
                body={'status': 'approved'},
            )
            for name, phone in phones.items():
                seen = phone.wait_for(
                    'question',
                    lambda q, qid=asked['id']: q['id'] == qid and q['status'] == 'approved',
                )
                assert seen['text'] == text, (name, asked_through, approved_through)
    finally:
        for phone in phones.values():
            phone.close()
    assert phones['through nginx (long-polling)'].failures == []  # every poll was served
    # Both processes served requests through nginx (least_conn spreads them).
    log = nginx.log_after(f'127.0.0.1:{second.port}')
    assert {f'127.0.0.1:{first.port}', f'127.0.0.1:{second.port}'} <= set(log.split())


def test_checkins_sent_twice_through_nginx_from_several_doors_land_once_each(cluster):
    nginx, forum_id = cluster['nginx'], cluster['forum_id']
    delegates, organiser = delegates_of(cluster)
    assert len(delegates) == DELEGATES
    scans = [
        {'code': d['code'], 'venue_id': d['venue_id'], 'nonce': secrets.token_hex(16)}
        for d in delegates
    ]
    sends = scans + scans  # each scan twice, as a door's offline queue sends it again
    secrets.SystemRandom().shuffle(sends)
    answers, errors, lock = [], [], threading.Lock()

    def door(share):
        connection = http.client.HTTPConnection('127.0.0.1', nginx.port, timeout=30)
        headers = {'Authorization': f'Bearer {organiser}', 'Content-Type': 'application/json'}
        try:
            for scan in share:
                connection.request(
                    'POST', f'/api/v1/forums/{forum_id}/checkins', json.dumps(scan), headers
                )
                response = connection.getresponse()
                body = json.loads(response.read())
                with lock:
                    answers.append((scan['code'], response.status, body))
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connection.close()

    doors = [threading.Thread(target=door, args=(sends[i::DOORS],)) for i in range(DOORS)]
    for thread in doors:
        thread.start()
    for thread in doors:
        thread.join(timeout=120)

    assert errors == []
    assert len(answers) == 2 * DELEGATES
    assert Counter(status for _code, status, _body in answers) == {201: 2 * DELEGATES}
    checkin_ids = {}
    for code, _status, body in answers:
        checkin_ids.setdefault(code, set()).add(body['checkin']['id'])
    assert all(len(ids) == 1 for ids in checkin_ids.values())  # the repeat is the same check-in

    engine = sa.create_engine(
        POSTGRES_URL, connect_args=cluster['database'].engine_options['connect_args']
    )
    try:
        with engine.connect() as connection:
            rows, people = connection.execute(
                sa.text(
                    'SELECT count(*), count(DISTINCT delegate_id) FROM checkins '
                    'WHERE forum_id = :forum AND undone_at IS NULL'
                ),
                {'forum': forum_id},
            ).one()
    finally:
        engine.dispose()
    assert (rows, people) == (DELEGATES, DELEGATES)


def test_healthz_through_nginx_says_everything_works(cluster):
    deadline = time.monotonic() + WAIT_SECONDS  # the job worker's first heartbeat
    while True:
        connection = http.client.HTTPConnection('127.0.0.1', cluster['nginx'].port, timeout=10)
        connection.request('GET', '/healthz')
        response = connection.getresponse()
        body = json.loads(response.read())
        connection.close()
        if response.status == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert response.status == 200, body
    assert (body['status'], body['database'], body['redis']) == ('ok', 'ok', 'ok')
    assert body['jobs']['backend'] == 'redis'
    assert response.getheader('Cache-Control') == 'no-store'
    assert response.getheader('Set-Cookie') is None
    assert response.getheader('Strict-Transport-Security')  # nginx's header is on every answer
    assert re.fullmatch(r'[0-9a-f]{32}', response.getheader('X-Request-ID'))  # nginx's $request_id


def test_the_access_log_of_nginx_holds_no_invitation_code(cluster):
    nginx = cluster['nginx']
    delegates, _organiser = delegates_of(cluster)
    code = delegates[0]['code']
    connection = http.client.HTTPConnection('127.0.0.1', nginx.port, timeout=10)
    connection.request('GET', f'/i/{code}?code={code}')
    assert connection.getresponse().status == 200
    connection.close()
    log = nginx.log_after('"GET /i/-"')
    assert '"GET /i/-"' in log
    assert code not in log


def test_the_shipped_https_site_passes_nginx_syntax_check(tmp_path):
    assert Path(NGINX).exists(), f'{NGINX} is needed: scripts/install-test-deps installs it'
    subprocess.run(
        [
            'openssl',
            'req',
            '-x509',
            '-newkey',
            'rsa:2048',
            '-nodes',
            '-days',
            '1',
            '-subj',
            '/CN=forum.test',
            '-keyout',
            str(tmp_path / 'privkey.pem'),
            '-out',
            str(tmp_path / 'fullchain.pem'),
        ],
        check=True,
        capture_output=True,
    )
    site = SITE.read_text().replace('/etc/ssl/forum/', f'{tmp_path}/')
    site = site.replace('/var/log/nginx/', f'{tmp_path}/')
    config = tmp_path / 'nginx.conf'
    config.write_text(nginx_config(site, tmp_path))
    check = subprocess.run([NGINX, '-t', '-c', str(config)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    assert 'syntax is ok' in check.stderr
