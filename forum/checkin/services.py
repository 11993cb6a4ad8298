"""Check-ins after the door (undo, out and back in, the lists) and what the door shares.

The check-in itself is ``forum.checkin.door``. Every check-in is idempotent on its nonce (a
retried upload from a weak connection is one check-in) and the database allows one active
check-in per delegate, so two operators scanning the same person at the same moment get one
"checked in" and one "already checked in".
"""

import logging
from datetime import datetime
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import selectinload

from forum.audit.services import record_change
from forum.checkin.board import board_changed
from forum.checkin.models import CheckIn
from forum.delegates.models import Delegate
from forum.errors import DomainError
from forum.extensions import db
from forum.forums.models import ForumStatus
from forum.invitations.codes import looks_like_short_code
from forum.text import normalize_text

logger = logging.getLogger(__name__)

CHECKIN_STATUSES = frozenset({ForumStatus.DRAFT, ForumStatus.INVITING, ForumStatus.LIVE})


class CheckInError(DomainError):
    """A scan that cannot be accepted: ``code`` for machines, ``message`` for the operator."""


def _active_checkin(forum_id: int, delegate_id: int) -> CheckIn | None:
    return db.session.scalar(
        select(CheckIn)
        .where(
            CheckIn.forum_id == forum_id,
            CheckIn.delegate_id == delegate_id,
            CheckIn.undone_at.is_(None),
        )
        .options(selectinload(CheckIn.venue), selectinload(CheckIn.by_user))
    )


_INSERTED_COLUMNS = (
    'forum_id',
    'delegate_id',
    'venue_id',
    'checked_in_at',
    'by_user_id',
    'method',
    'nonce',
    'other_venue',
    'undo_reason',
)


@cache
def insert_checkin_sql():
    """``INSERT … ON CONFLICT DO NOTHING RETURNING`` the whole row, built once (Core).

    Both SQLite (3.35+) and PostgreSQL speak this SQL. It is written out because SQLAlchemy's
    dialect ``insert().on_conflict_do_nothing()`` is never cached and was compiled again for
    every check-in; this textual one is compiled once. Every unique index counts as a conflict
    (the nonce, and the one active check-in per delegate), as with ``on_conflict_do_nothing()``.
    """
    table = CheckIn.__table__
    sql = text(
        f'INSERT INTO {table.name} ({", ".join(_INSERTED_COLUMNS)}) '
        f'VALUES ({", ".join(":" + name for name in _INSERTED_COLUMNS)}) '
        f'ON CONFLICT DO NOTHING RETURNING {", ".join(column.name for column in table.columns)}'
    )
    return sql.bindparams(
        *(bindparam(name, type_=table.c[name].type) for name in _INSERTED_COLUMNS)
    ).columns(*table.columns)


def scanned_code(code: str) -> str:
    """The code as it is looked up: normalised, and taken out of the QR's URL if it is one."""
    code = normalize_text(code)
    if '/i/' in code:  # a scanner or camera read the QR's whole URL
        code = code.rsplit('/i/', 1)[1].split('?')[0].split('#')[0].strip('/')
    return code


def is_invitation_code(code: str) -> bool:
    """Whether a scanned code (see ``scanned_code``) is looked up as a live invitation code
    first (the usual scan), rather than as a short code or anything else."""
    return bool(code) and not looks_like_short_code(code)


def log_check_in(delegate_id: int, venue_id: int, user_id: int | None, other_venue: bool) -> None:
    """The application log's line for every new check-in."""
    logger.info(
        'Delegate %s checked in at %s by %s%s',
        delegate_id,
        venue_id,
        user_id,
        ' (other venue)' if other_venue else '',
    )


def undo_check_in(checkin: CheckIn, *, user, reason: str, now: datetime) -> CheckIn:
    """Take back a check-in made by mistake; the reason is kept in the audit log."""
    reason = normalize_text(reason)
    if not reason:
        raise CheckInError('reason_required', _('Hãy ghi lý do hủy điểm danh.'))
    if checkin.undone_at is not None:
        raise CheckInError('already_undone', _('Lượt điểm danh này đã được hủy.'), status=409)
    checkin.undone_at = now
    checkin.undone_by_id = user.id
    checkin.undo_reason = reason
    record_change(
        'checkin.undone',
        checkin,
        user=user,
        forum_id=checkin.forum_id,
        details={'delegate_id': checkin.delegate_id, 'reason': reason},
    )
    logger.info(
        'Check-in %s of delegate %s undone by %s: %s',
        checkin.id,
        checkin.delegate_id,
        user.id,
        reason,
    )
    board_changed(checkin.forum_id)
    return checkin


def check_out(checkin: CheckIn, *, now: datetime) -> CheckIn:
    """Record that the delegate left (for the "inside now" count)."""
    if checkin.undone_at is not None:
        raise CheckInError('already_undone', _('Lượt điểm danh này đã được hủy.'), status=409)
    checkin.checked_out_at = now
    board_changed(checkin.forum_id)
    return checkin


def return_inside(checkin: CheckIn) -> CheckIn:
    """The delegate came back in after checking out."""
    checkin.checked_out_at = None
    board_changed(checkin.forum_id)
    return checkin


def venue_checkins(venue, *, include_undone: bool = False) -> list[CheckIn]:
    """The check-ins made at a bridge point, latest first."""
    query = (
        select(CheckIn)
        .where(CheckIn.venue_id == venue.id)
        .options(
            selectinload(CheckIn.delegate).selectinload(Delegate.venue),
            selectinload(CheckIn.by_user),
        )
        .order_by(CheckIn.checked_in_at.desc(), CheckIn.id.desc())
    )
    if not include_undone:
        query = query.where(CheckIn.undone_at.is_(None))
    return list(db.session.scalars(query))


def delegate_checkin(delegate: Delegate) -> CheckIn | None:
    """The delegate's active check-in, if they are checked in."""
    return _active_checkin(delegate.forum_id, delegate.id)
