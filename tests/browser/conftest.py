"""A real server (gunicorn, gevent worker, SQLite in WAL) and Debian's chromium via Playwright.

There is no skip: without /usr/bin/chromium these tests fail, so CI cannot pass without them.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = '/usr/bin/chromium'
BIN = Path(sys.executable).parent
ORGANISER = ('organiser@browser.test', 'organiser-pass-1')
CHROMIUM_ARGS = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f'the server exited with {process.returncode}')
        with socket.socket() as probe:
            if probe.connect_ex(('127.0.0.1', port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f'nothing listens on port {port}')


class LiveServer:
    """``forum serve`` on a fresh SQLite database, with the CLI at hand to prepare data."""

    def __init__(self, workdir: Path):
        self.port = _free_port()
        self.url = f'http://127.0.0.1:{self.port}'
        self.env = {
            **os.environ,
            'FORUM_DATABASE_URL': f'sqlite:///{workdir / "forum.db"}',
            'FORUM_SECRET_KEY': 'browser-test-secret',
            'FORUM_PORT': str(self.port),
        }
        self.log = (workdir / 'server.log').open('w')
        self.process: subprocess.Popen | None = None

    def cli(self, *args: str) -> str:
        result = subprocess.run([BIN / 'forum', *args], env=self.env, capture_output=True,
                                text=True, check=True)  # fmt: skip
        return result.stdout

    def start(self) -> None:
        self.process = subprocess.Popen([BIN / 'forum', 'serve'], env=self.env,
                                        stdout=self.log, stderr=subprocess.STDOUT)  # fmt: skip
        _wait_for_port(self.port, self.process)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)
        self.log.close()


@pytest.fixture(scope='session')
def live_server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp('live'))
    server.cli('db', 'upgrade')
    server.cli('units', 'load')
    server.cli('users', 'create', '--email', ORGANISER[0], '--password', ORGANISER[1],
               '--role', 'organiser', '--name', 'Ban Tổ Chức')  # fmt: skip
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope='session')
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={'width': 1280, 'height': 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def sign_in_as_organiser(page):
    def do_sign_in():
        page.goto('/login')
        page.get_by_label('Email').fill(ORGANISER[0])
        page.get_by_label('Mật khẩu').fill(ORGANISER[1])
        page.get_by_role('button', name='Đăng nhập').click()
        page.wait_for_url('**/forums')
        return page

    return do_sign_in
