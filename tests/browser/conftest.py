"""A real server (gunicorn, gevent worker, SQLite in WAL) and Debian's chromium via Playwright.

There is no skip: without /usr/bin/chromium these tests fail, so CI cannot pass without them.
"""

import pytest
from playwright.sync_api import sync_playwright

from tests.servers import LiveServer

CHROMIUM = '/usr/bin/chromium'
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


@pytest.fixture(scope='session')
def live_server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp('live'), secret_key='browser-test-secret')
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
