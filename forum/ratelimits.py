"""Rate limits on guessing: sign-ins, API tokens and invitation-code look-ups.

Flask-Limiter keeps the counters: in Redis when ``REDIS_URL`` is set (every process behind the
proxy shares them), in memory otherwise, and in memory again if Redis goes away (a single
process keeps serving). Only failures count: a wrong password, an unknown or revoked code. A
real door (several scanners of a hub behind one NAT checking in hundreds of delegates) is
never slowed, while guessing stops after a few tries. A refusal is a 429 with ``Retry-After``.

- sign-in (``POST /login``) and token requests (``POST /api/v1/auth/token``): per account (the
  e-mail) and per address;
- code look-ups (``/i/<code>``, the API's ``code`` field or query, the check-in of a scanned or
  typed code): per address.
"""

import logging
import math
import time

from flask import current_app, request
from flask_babel import gettext as _
from limits import parse

from forum.errors import DomainError
from forum.extensions import limiter

logger = logging.getLogger(__name__)

SIGN_IN_ACCOUNT = 'sign-in-account'
SIGN_IN_ADDRESS = 'sign-in-address'
CODE_ADDRESS = 'code-address'


class TooManyAttempts(DomainError):
    """Too many failed attempts from this address or on this account: wait ``retry_after``."""

    def __init__(self, retry_after: int):
        super().__init__(
            'too_many_requests',
            _(
                'Quá nhiều lần thử không thành công. Vui lòng thử lại sau %(seconds)d giây.',
                seconds=retry_after,
            ),
            status=429,
            details={'retry_after': retry_after},
        )
        self.retry_after = retry_after


def init_rate_limits(app) -> None:
    """Keep the counters in Redis when configured (memory as the fallback), else in memory."""
    app.config.setdefault('RATELIMIT_STORAGE_URI', app.config.get('REDIS_URL') or 'memory://')
    app.config.setdefault('RATELIMIT_IN_MEMORY_FALLBACK_ENABLED', True)
    app.config.setdefault('RATELIMIT_KEY_PREFIX', 'forum-limits')
    app.config.setdefault('RATELIMIT_STORAGE_OPTIONS', {'socket_timeout': 1})
    limiter.init_app(app)


def _limit(kind: str):
    return parse(current_app.config['RATE_LIMITS'][kind])


def _identifiers(kind: str, key: str) -> tuple[str, str, str]:
    # The prefix keeps the forum's counters apart from anything else in a shared Redis.
    return current_app.config['RATELIMIT_KEY_PREFIX'], kind, key


def _strategy():
    return limiter.limiter  # the in-memory fallback while Redis is unreachable


def check_attempts(kind: str, key: str) -> None:
    """Refuse with 429 when ``key`` has used up its failures of ``kind``."""
    if not current_app.config.get('RATELIMIT_ENABLED', True):
        return
    limit = _limit(kind)
    try:
        if _strategy().test(limit, *_identifiers(kind, key)):
            return
        reset_at, _remaining = _strategy().get_window_stats(limit, *_identifiers(kind, key))
    except Exception:  # the storage is gone and no fallback answers: let the request through
        logger.warning('Rate limit storage unavailable for %s', kind, exc_info=True)
        return
    raise TooManyAttempts(max(1, math.ceil(reset_at - time.time())))


def record_failure(kind: str, key: str) -> None:
    """Count one failed attempt of ``kind`` for ``key``."""
    if not current_app.config.get('RATELIMIT_ENABLED', True):
        return
    try:
        _strategy().hit(_limit(kind), *_identifiers(kind, key))
    except Exception:
        logger.warning('Rate limit storage unavailable for %s', kind, exc_info=True)


def client_address() -> str:
    """The client's address (behind a trusted proxy, the one it forwarded: ``forum.ops``)."""
    return request.remote_addr or 'unknown'


def check_sign_in(email: str) -> None:
    """Before checking a password: refuse when the account or the address guessed too much."""
    check_attempts(SIGN_IN_ADDRESS, client_address())
    check_attempts(SIGN_IN_ACCOUNT, (email or '').strip().lower())


def record_failed_sign_in(email: str) -> None:
    """A wrong e-mail or password: counts for the address and for the account."""
    record_failure(SIGN_IN_ADDRESS, client_address())
    record_failure(SIGN_IN_ACCOUNT, (email or '').strip().lower())


def check_code_lookup() -> None:
    """Before looking a code up: refuse when this address guessed too many codes."""
    check_attempts(CODE_ADDRESS, client_address())


def record_failed_code_lookup() -> None:
    """A code that opens nothing (unknown or revoked) counts against the address."""
    record_failure(CODE_ADDRESS, client_address())
