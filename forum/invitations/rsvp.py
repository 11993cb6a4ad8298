"""The delegate's answer to the invitation: opened, accepted, declined with a substitute."""

import logging
from datetime import datetime

from flask_babel import gettext as _

from forum.audit.services import record_change
from forum.database import ensure_writing
from forum.delegates.models import Delegate, Rsvp
from forum.errors import DomainError
from forum.forums.models import ForumStatus
from forum.text import normalize_text

logger = logging.getLogger(__name__)

ANSWERABLE_STATUSES = frozenset({ForumStatus.DRAFT, ForumStatus.INVITING, ForumStatus.LIVE})


class RsvpError(DomainError):
    """An answer that cannot be recorded, with a message for the delegate."""

    def __init__(self, message: str, *, code: str = 'rsvp', status: int = 422):
        super().__init__(code, message, status=status)


def mark_invitation_opened(delegate: Delegate, *, now: datetime) -> bool:
    """Record the first time the delegate opened their page; return whether this was it.

    Only the first visit writes: a page view has only read so far, so its read transaction is
    ended and the write waits its turn (``ensure_writing``); the row is read afresh then.
    """
    if delegate.invitation_opened_at is not None:
        return False
    ensure_writing()
    if delegate.invitation_opened_at is not None:  # another first visit was faster
        return False
    delegate.invitation_opened_at = now
    return True


def answer_invitation(
    delegate: Delegate,
    answer: Rsvp,
    *,
    now: datetime,
    substitute_name: str = '',
    substitute_position: str = '',
) -> Delegate:
    """Accept, or decline with an optional substitute; the last answer counts."""
    if delegate.forum.status not in ANSWERABLE_STATUSES:
        raise RsvpError(_('Hội nghị đã kết thúc, không thể xác nhận nữa.'))
    answer = Rsvp(answer)
    if answer == Rsvp.NONE:
        raise RsvpError(_('Hãy chọn tham dự hoặc không tham dự.'))
    substitute_name = normalize_text(substitute_name)
    substitute_position = normalize_text(substitute_position)
    if answer == Rsvp.ACCEPTED:
        substitute_name = substitute_position = ''
    elif substitute_position and not substitute_name:
        raise RsvpError(_('Nhập họ và tên người dự thay.'))
    delegate.rsvp = answer
    delegate.responded_at = now
    delegate.substitute_name = substitute_name
    delegate.substitute_position = substitute_position
    if delegate.invitation_opened_at is None:
        delegate.invitation_opened_at = now
    record_change(
        'delegate.rsvp',
        delegate,
        forum_id=delegate.forum_id,
        details={'answer': answer.value, 'substitute': substitute_name},
    )
    logger.info('Delegate %s answered %s', delegate.id, answer.value)
    return delegate
