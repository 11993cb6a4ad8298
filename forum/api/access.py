"""Who is calling the API: a staff member with a bearer token, or a delegate with a code."""

from dataclasses import dataclass

from flask import g, request
from sqlalchemy import select

from forum.auth.models import User, UserRole
from forum.auth.permissions import can_view_forum
from forum.auth.services import api_token_claims, user_for_api_token
from forum.database import get_by_id
from forum.delegates.models import Delegate
from forum.errors import ApiError
from forum.extensions import db
from forum.forums.models import Forum
from forum.ratelimits import check_code_lookup, record_failed_code_lookup


@dataclass(frozen=True)
class Caller:
    user: User | None = None
    delegate: Delegate | None = None


def _bearer_token() -> str | None:
    header = request.headers.get('Authorization', '')
    scheme, _, token = header.partition(' ')
    return token.strip() if scheme.lower() == 'bearer' and token.strip() else None


def bearer_token_claims() -> tuple[int, object] | None:
    """The user id and token version of the request's bearer token, if it is validly signed
    and unexpired (the account is not checked: see ``user_for_api_token``)."""
    token = _bearer_token()
    return api_token_claims(token) if token else None


def _code_from_request() -> str | None:
    code = request.args.get('code')
    if code is None and request.is_json:
        body = request.get_json(silent=True)
        code = body.get('code') if isinstance(body, dict) else None
    return code.strip() if isinstance(code, str) and code.strip() else None


def current_caller() -> Caller:
    """Identify the caller, or refuse with 401."""
    if 'api_caller' in g:
        return g.api_caller
    token = _bearer_token()
    if token:
        user = user_for_api_token(token)
        if user is None:
            raise ApiError(401, 'The token is invalid, expired or revoked.')
        caller = Caller(user=user)
    elif code := _code_from_request():
        check_code_lookup()
        delegate = db.session.scalar(select(Delegate).where(Delegate.code == code))
        if delegate is None:
            record_failed_code_lookup()
            raise ApiError(401, 'The invitation code is not valid.')
        caller = Caller(delegate=delegate)
    else:
        raise ApiError(401, 'Send "Authorization: Bearer <token>" or an invitation code.')
    g.api_caller = caller
    return caller


_OPEN_TO_ANYONE: set[str] = set()
_OPEN_TO_DELEGATES: set[str] = set()


def open_to_anyone(view):
    """Mark an operation that needs no caller (asking for a token)."""
    _OPEN_TO_ANYONE.add(f'api.{view.__name__}')
    return view


def open_to_delegates(view):
    """Mark an operation a delegate may call with their code; every other one is staff's."""
    _OPEN_TO_DELEGATES.add(f'api.{view.__name__}')
    return view


_CHECK_THEIR_TOKEN: set[str] = set()


def checks_its_token(view):
    """Mark a staff operation on the hot path that checks a bearer token itself, in the same
    statement as its work (the usual scan); without a token it is refused here as any other."""
    _CHECK_THEIR_TOKEN.add(f'api.{view.__name__}')
    return view


_ROLES_OF: dict[str, frozenset] = {}


def for_roles(*roles):
    """Mark a staff operation for some roles only (admins pass): the others are refused with
    403 before the body or the query is read."""

    def mark(view):
        _ROLES_OF[f'api.{view.__name__}'] = frozenset(roles)
        return view

    return mark


def check_caller_first() -> None:
    """Before anything of the request is read: who calls (else 401), and whether their kind
    may use the operation at all (a delegate's code opens only the operations marked for it,
    else 403). A refused caller learns nothing of the body's rules or of what exists."""
    if request.endpoint is None or request.endpoint in _OPEN_TO_ANYONE:
        return
    if request.endpoint in _CHECK_THEIR_TOKEN and _bearer_token():
        return
    caller = current_caller()
    if caller.user is None and request.endpoint not in _OPEN_TO_DELEGATES:
        raise ApiError(403, 'This resource is for the forum staff only.')
    roles = _ROLES_OF.get(request.endpoint)
    if roles and caller.user.role != UserRole.ADMIN and caller.user.role not in roles:
        raise ApiError(403, 'Your role does not use this operation.')


def require_staff() -> User:
    """The staff member calling; delegates get 403."""
    caller = current_caller()
    if caller.user is None:
        raise ApiError(403, 'This resource is for the forum staff only.')
    return caller.user


def forum_for_staff(forum_id: int) -> tuple[Forum, User]:
    """The forum a staff caller may see, else 404 (it does not exist) or 403."""
    user = require_staff()
    forum = get_by_id(Forum, forum_id)
    if forum is None:
        raise ApiError(404, f'There is no forum {forum_id}.')
    if not can_view_forum(user, forum):
        raise ApiError(403, 'You have no access to this forum.')
    return forum, user
