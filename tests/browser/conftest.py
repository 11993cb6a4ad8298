"""A real server (gunicorn, gevent worker, SQLite in WAL) and Debian's chromium via Playwright.

There is no skip: without /usr/bin/chromium these tests fail, so CI cannot pass without them.
Every page any browser test opens is watched: a Content-Security-Policy violation (an inline
script or style, a resource from elsewhere) or an uncaught script error fails the test.
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


# Reports each violation on the console, where the context's listener collects it.
REPORT_CSP_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`
    + ` at ${event.sourceFile || document.location.pathname}:${event.lineNumber}`);
});
"""
page_problems: list[str] = []


def watch_context(context):
    """Collect the CSP violations and script errors of every page of ``context``."""
    context.add_init_script(REPORT_CSP_VIOLATIONS)

    def on_console(message):
        text = message.text
        if 'Content Security Policy' in text or text.startswith('CSP violation'):
            page_problems.append(f'{message.page.url if message.page else "?"}: {text}')

    def on_page(page):
        page.on('pageerror', lambda error: page_problems.append(f'{page.url}: {error}'))

    context.on('console', on_console)
    context.on('page', on_page)
    return context


class WatchedBrowser:
    """The browser, whose every new context is watched (``watch_context``)."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **options):
        return watch_context(self._browser.new_context(**options))

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(scope='session')
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield WatchedBrowser(browser)
        browser.close()


@pytest.fixture(autouse=True)
def no_page_problems():
    """Fail the test on any CSP violation or script error seen while it ran."""
    page_problems.clear()
    yield
    problems, page_problems[:] = list(page_problems), []
    assert not problems, 'Pages broke the Content-Security-Policy or threw:\n' + '\n'.join(problems)


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
