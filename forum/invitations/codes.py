"""Invitation codes: finding a delegate by code, revoking a code and issuing a new one."""

import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.audit.services import record_change
from forum.delegates.models import (
    SHORT_CODE_ALPHABET,
    Delegate,
    new_invitation_code,
    new_short_code,
)
from forum.extensions import db
from forum.invitations.models import RevokedCode
from forum.text import normalize_text

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CodeLookup:
    """What a code opens: a delegate, a revoked code (whose it was), or nothing."""

    delegate: Delegate | None = None
    revoked: RevokedCode | None = None


def normalize_short_code(text: str) -> str:
    """A short code as typed: upper case, without spaces or dashes."""
    return ''.join(c for c in normalize_text(text).upper() if c.isalnum())


def looks_like_short_code(text: str) -> bool:
    """Whether ``text`` could be a short code (8 letters of the unambiguous alphabet)."""
    code = normalize_short_code(text)
    return len(code) == 8 and all(c in SHORT_CODE_ALPHABET for c in code)


def find_by_code(
    code: str, *, forum_id: int | None = None, allow_short_code: bool = True
) -> CodeLookup:
    """Look up an invitation code or (unless ``allow_short_code`` is false) a short code,
    live or revoked."""
    code = normalize_text(code)
    if not code:
        return CodeLookup()
    query = select(Delegate).options(selectinload(Delegate.venue), selectinload(Delegate.forum))
    if looks_like_short_code(code):
        if not allow_short_code:
            return CodeLookup()
        short = normalize_short_code(code)
        delegate = db.session.scalar(query.where(Delegate.short_code == short))
        revoked_query = select(RevokedCode).where(RevokedCode.short_code == short)
    else:
        delegate = db.session.scalar(query.where(Delegate.code == code))
        revoked_query = select(RevokedCode).where(RevokedCode.code == code)
    if delegate is not None and (forum_id is None or delegate.forum_id == forum_id):
        return CodeLookup(delegate=delegate)
    revoked = db.session.scalars(revoked_query.order_by(RevokedCode.revoked_at.desc())).first()
    if revoked is not None and forum_id is not None:
        owner = db.session.get(Delegate, revoked.delegate_id)
        if owner is None or owner.forum_id != forum_id:
            revoked = None
    return CodeLookup(revoked=revoked)


def reissue_code(delegate: Delegate, *, user=None) -> Delegate:
    """Revoke the delegate's codes (a lost or forwarded invitation) and give them new ones."""
    db.session.add(
        RevokedCode(
            code=delegate.code,
            short_code=delegate.short_code,
            delegate_id=delegate.id,
            revoked_by_id=getattr(user, 'id', None),
        )
    )
    delegate.code = new_invitation_code()
    delegate.short_code = new_short_code()
    record_change('delegate.code_reissued', delegate, user=user, forum_id=delegate.forum_id)
    logger.info('Delegate %s: invitation code revoked and reissued', delegate.id)
    return delegate
