"""The Content-Security-Policy holds in the browser: the forum's pages run under it (every
browser test fails on a violation, see conftest.py), and it really blocks inline styles and
scripts, which the watcher reports."""

import pytest

from tests.browser import conftest

pytestmark = pytest.mark.browser


def test_an_inline_style_or_script_is_blocked_and_reported(page):
    page.goto('/login')
    page.evaluate(
        """() => {
        document.body.setAttribute('style', 'background: red');
        const script = document.createElement('script');
        script.textContent = 'window.injected = true';
        document.body.append(script);
    }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate('() => window.injected') is None  # the inline script did not run
    background = page.evaluate('() => getComputedStyle(document.body).backgroundColor')
    assert background != 'rgb(255, 0, 0)'
    seen = list(conftest.page_problems)
    conftest.page_problems.clear()  # expected here: the check must not fail this test
    assert any('style-src' in problem for problem in seen), seen
    assert any('script-src' in problem for problem in seen), seen


def test_the_sign_in_page_carries_the_headers(page):
    response = page.goto('/login')
    headers = response.headers
    assert "frame-ancestors 'none'" in headers['content-security-policy']
    assert headers['x-content-type-options'] == 'nosniff'
    assert headers['referrer-policy'] == 'same-origin'
    assert 'no-store' in headers['cache-control']
