"""Accounts: creating users, checking passwords, issuing and reading API tokens."""

import logging
import secrets

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from forum.audit.services import record_change
from forum.auth.hashing import hash_password, password_matches
from forum.auth.models import User, UserRole
from forum.database import get_by_id, read_transactions
from forum.errors import DomainError
from forum.extensions import db
from forum.text import normalize_text

logger = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 8


class AccountError(DomainError):
    """A request about an account that cannot be carried out, with a message for the user."""

    def __init__(self, message: str, *, code: str = 'account', status: int = 422):
        super().__init__(code, message, status=status)


def normalize_email(email: str) -> str:
    """Return the e-mail address as stored: NFC, trimmed, lower case."""
    return normalize_text(email).lower()


def find_user_by_email(email: str) -> User | None:
    """Return the account with this e-mail address, if any."""
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def create_user(
    email: str,
    password: str,
    role: UserRole,
    *,
    full_name: str = '',
    venues=(),
    created_by: User | None = None,
) -> User:
    """Create an account; operators get the bridge points they are responsible for."""
    email = normalize_email(email)
    if '@' not in email:
        raise AccountError(_('"%(email)s" không phải địa chỉ email.', email=email))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(_('Mật khẩu cần ít nhất %(count)d ký tự.', count=MIN_PASSWORD_LENGTH))
    if find_user_by_email(email):
        raise AccountError(_('Đã có tài khoản với email %(email)s.', email=email))
    user = User(email=email, role=UserRole(role), full_name=normalize_text(full_name))
    user.set_password(password)
    user.venues = list(venues)
    db.session.add(user)
    record_change('user.created', user, user=created_by, details={'email': email, 'role': role})
    logger.info('User %s created with role %s', email, role)
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the enabled account these credentials open, else None. An unknown address is
    checked against a stand-in hash, so it takes as long as a wrong password.

    The account is read on a connection of its own, in a read transaction that ends before
    the hash is checked: a sign-in (a POST, whose transactions would take SQLite's write lock)
    holds no lock and no transaction for the ~100 ms of scrypt, so sign-ins run side by side
    and no other writer waits for them.
    """
    with read_transactions(), db.engine.connect() as connection:
        account = connection.execute(
            select(User.id, User.password_hash, User.is_enabled).where(
                User.email == normalize_email(email or '')
            )
        ).first()
    if account is None:
        password_matches(_stand_in_hash(), password or '')
        return None
    # The hash is checked for a disabled account too: its answer takes as long as any other.
    if not password_matches(account.password_hash, password or '') or not account.is_enabled:
        return None
    return get_by_id(User, account.id)


def _stand_in_hash() -> str:
    method = current_app.config.get('PASSWORD_HASH_METHOD', 'scrypt')
    cache = current_app.extensions.setdefault('forum.stand-in-hashes', {})
    if method not in cache:
        cache[method] = hash_password(secrets.token_hex(16), method)
    return cache[method]


def _token_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config['SECRET_KEY'], salt='api-token')


def issue_api_token(user: User) -> str:
    """Return a signed bearer token for ``user``; raising their token version revokes it."""
    return _token_serializer().dumps({'uid': user.id, 'v': user.token_version})


def api_token_claims(token: str) -> tuple[int, object] | None:
    """The user id and token version a validly signed, unexpired token carries, else None.

    The account is not looked at: the token is the user's only while they are enabled and their
    token version is still this one (``user_for_api_token`` checks both).
    """
    max_age = current_app.config['API_TOKEN_MAX_AGE_SECONDS']
    try:
        payload = _token_serializer().loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get('uid'), int):
        return None
    return payload['uid'], payload.get('v')


def user_for_api_token(token: str) -> User | None:
    """Return the enabled user a valid, unexpired, unrevoked token belongs to, else None."""
    claims = api_token_claims(token)
    if claims is None:
        return None
    uid, version = claims
    user = get_by_id(User, uid)
    if user is None or not user.is_enabled or user.token_version != version:
        return None
    return user


def set_user_enabled(user: User, enabled: bool, *, by: User) -> User:
    """Enable or disable an account; disabling also revokes its API tokens."""
    if user.id == by.id and not enabled:
        raise AccountError(_('Bạn không thể tự khóa tài khoản của mình.'))
    user.is_enabled = enabled
    if not enabled:
        user.end_sessions()
    record_change('user.enabled' if enabled else 'user.disabled', user, user=by)
    logger.info('User %s %s by %s', user.email, 'enabled' if enabled else 'disabled', by.email)
    return user


def end_sessions(user: User) -> User:
    """Sign ``user`` out everywhere: every session, remember cookie and API token ends."""
    user.end_sessions()
    record_change('user.signed_out', user, user=user)
    logger.info('User %s signed out everywhere', user.email)
    return user


def change_own_password(user: User, current: str, new: str) -> User:
    """Change ``user``'s password after checking the current one; the other sessions end."""
    if not password_matches(user.password_hash, current or ''):
        raise AccountError(_('Mật khẩu hiện tại không đúng.'))
    if len(new or '') < MIN_PASSWORD_LENGTH:
        raise AccountError(_('Mật khẩu cần ít nhất %(count)d ký tự.', count=MIN_PASSWORD_LENGTH))
    user.set_password(new)
    record_change('user.password_changed', user, user=user)
    logger.info('User %s changed their password', user.email)
    return user
