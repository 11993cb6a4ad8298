"""The headers every response carries: what the browser may load, frame, send and cache.

- a Content-Security-Policy allowing only the forum's own scripts, styles and connections (no
  inline script or style: pages read their data from JSON blocks, widths from ``data-width``);
- no framing (``frame-ancestors 'none'`` and ``X-Frame-Options``), no MIME sniffing, no
  referrer to other sites (a delegate's page address holds their code);
- the camera for the forum's own pages only (the scanner), nothing else;
- ``Cache-Control: no-store`` on everything but static files: pages hold delegates' codes,
  staff tokens and personal data that no shared cache or back button should keep.
"""

from flask import request

CONTENT_SECURITY_POLICY = '; '.join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",  # Bootstrap's icons are data: SVGs
        "font-src 'self'",
        "connect-src 'self'",  # Socket.IO's websocket to the same host is 'self' (CSP 3)
        "media-src 'self' blob:",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(self), microphone=(), geolocation=(), payment=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
}


def add_security_headers(response):
    """Set the headers on ``response`` (an ``after_request`` hook)."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault('Strict-Transport-Security', 'max-age=31536000')
    if request.endpoint != 'static' and 'Cache-Control' not in response.headers:
        response.headers['Cache-Control'] = 'private, no-store'
    return response


def install_security_headers(app) -> None:
    """Add the headers to every response of ``app``."""
    app.after_request(add_security_headers)
