"""Checking delegates in at the door: by QR code, short code or name; repeats, undo, walk-ins.

Every check-in is idempotent on its nonce (a retried upload from a weak connection is one
check-in) and the database allows one active check-in per delegate, so two operators scanning
the same person at the same moment get one "checked in" and one "already checked in".
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import selectinload

from forum.audit.services import record_change
from forum.checkin.models import CheckIn, CheckInMethod
from forum.delegates.models import Delegate
from forum.errors import DomainError
from forum.extensions import db
from forum.forums.models import ForumStatus
from forum.invitations.codes import find_by_code, looks_like_short_code
from forum.text import normalize_text

logger = logging.getLogger(__name__)

CHECKIN_STATUSES = frozenset({ForumStatus.DRAFT, ForumStatus.INVITING, ForumStatus.LIVE})


class CheckInError(DomainError):
    """A scan that cannot be accepted: ``code`` for machines, ``message`` for the operator."""


@dataclass(frozen=True)
class CheckInOutcome:
    """``checked_in`` (new), ``already_checked_in`` (the first one is ``checkin``)."""

    status: str
    checkin: CheckIn
    created: bool


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


def _checkin_by_nonce(nonce: str) -> CheckIn | None:
    return db.session.scalar(
        select(CheckIn)
        .where(CheckIn.nonce == nonce)
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


@cache
def _insert_statement():
    """The same insert, returning the row as a ``CheckIn``."""
    return select(CheckIn).from_statement(insert_checkin_sql())


def _insert_unless_conflicting(values: dict) -> CheckIn | None:
    """Insert a check-in and return it; None if the delegate is already in or the nonce was used."""
    return db.session.scalars(_insert_statement(), values).first()


@cache
def _by_code_statement():
    return select(Delegate).where(Delegate.code == bindparam('code'))


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


def resolve_code(forum, code: str) -> Delegate:
    """The delegate a scanned or typed code belongs to, or a precise refusal."""
    code = scanned_code(code)
    if is_invitation_code(code):
        # The usual scan: a live invitation code, found with one plain query (the delegate's
        # point and forum are usually in the session already). Anything else goes the long way.
        delegate = db.session.scalars(_by_code_statement(), {'code': code}).first()
        if delegate is not None and delegate.forum_id == forum.id:
            return delegate
    lookup = find_by_code(code, forum_id=forum.id)
    if lookup.delegate is not None:
        return lookup.delegate
    if lookup.revoked is not None:
        raise CheckInError(
            'revoked_code',
            _('Mã này đã bị thu hồi; giấy mời đã được cấp lại.'),
            status=410,
            details={'revoked_at': lookup.revoked.revoked_at.isoformat()},
        )
    raise CheckInError(
        'unknown_code', _('Không tìm thấy mã này trong danh sách đại biểu.'), status=404
    )


def check_in_delegate(
    forum,
    delegate: Delegate,
    venue,
    *,
    user,
    now: datetime,
    nonce: str | None = None,
    method: CheckInMethod = CheckInMethod.QR,
    confirm_other_venue: bool = False,
) -> CheckInOutcome:
    """Check ``delegate`` in at ``venue``; a repeat says who let them in, when and where."""
    other_venue = delegate.venue_id != venue.id
    if (
        forum.status in CHECKIN_STATUSES
        and venue.forum_id == forum.id
        and delegate.forum_id == forum.id
        and (confirm_other_venue or not other_venue)
    ):
        # The usual scan, in one statement: when the insert goes through, the nonce was new and
        # the delegate was not in, so the checks below would have let it through too. When it
        # does not, they run and say why (a replayed nonce, already checked in, a race lost).
        checkin = _insert_unless_conflicting(
            _checkin_values(forum, delegate, venue, user, now, nonce, method, other_venue)
        )
        if checkin is not None:
            return _checked_in(checkin, delegate, venue, user, other_venue)
    if nonce and (replayed := _checkin_by_nonce(nonce)) is not None:
        if replayed.delegate_id != delegate.id:
            raise CheckInError(
                'nonce_reused', _('Mã lần quét này đã dùng cho người khác.'), status=409
            )
        return CheckInOutcome('checked_in', replayed, created=False)
    if forum.status not in CHECKIN_STATUSES:
        raise CheckInError(
            'forum_closed', _('Hội nghị đã kết thúc, không điểm danh nữa.'), status=409
        )
    if venue.forum_id != forum.id or delegate.forum_id != forum.id:
        raise CheckInError('wrong_forum', _('Điểm cầu hoặc đại biểu không thuộc hội nghị này.'))
    if (first := _active_checkin(forum.id, delegate.id)) is not None:
        return CheckInOutcome('already_checked_in', first, created=False)
    if other_venue and not confirm_other_venue:
        raise CheckInError(
            'other_venue',
            _(
                'Đại biểu này được mời dự tại %(venue)s. Xác nhận cho vào tại đây?',
                venue=delegate.venue.name,
            ),
            status=409,
            details={'delegate_venue_id': delegate.venue_id, 'delegate_venue': delegate.venue.name},
        )
    checkin = _insert_unless_conflicting(
        _checkin_values(forum, delegate, venue, user, now, nonce, method, other_venue)
    )
    if checkin is None:  # another operator was faster, or this nonce just landed
        winner = (_checkin_by_nonce(nonce) if nonce else None) or _active_checkin(
            forum.id, delegate.id
        )
        if winner is not None and winner.nonce == nonce and nonce:
            return CheckInOutcome('checked_in', winner, created=False)
        return CheckInOutcome('already_checked_in', winner, created=False)
    return _checked_in(checkin, delegate, venue, user, other_venue)


def _checkin_values(forum, delegate, venue, user, now, nonce, method, other_venue) -> dict:
    return {
        'forum_id': forum.id,
        'delegate_id': delegate.id,
        'venue_id': venue.id,
        'checked_in_at': now,
        'by_user_id': getattr(user, 'id', None),
        'method': method,
        'nonce': nonce,
        'other_venue': other_venue,
        'undo_reason': '',
    }


def log_check_in(delegate_id: int, venue_id: int, user_id: int | None, other_venue: bool) -> None:
    """The application log's line for every new check-in."""
    logger.info(
        'Delegate %s checked in at %s by %s%s',
        delegate_id,
        venue_id,
        user_id,
        ' (other venue)' if other_venue else '',
    )


def _checked_in(checkin: CheckIn, delegate, venue, user, other_venue: bool) -> CheckInOutcome:
    log_check_in(delegate.id, venue.id, getattr(user, 'id', None), other_venue)
    return CheckInOutcome('checked_in', checkin, created=True)


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
    return checkin


def check_out(checkin: CheckIn, *, now: datetime) -> CheckIn:
    """Record that the delegate left (for the "inside now" count)."""
    if checkin.undone_at is not None:
        raise CheckInError('already_undone', _('Lượt điểm danh này đã được hủy.'), status=409)
    checkin.checked_out_at = now
    return checkin


def return_inside(checkin: CheckIn) -> CheckIn:
    """The delegate came back in after checking out."""
    checkin.checked_out_at = None
    return checkin


def register_walk_in(
    forum,
    venue,
    *,
    full_name: str,
    position: str,
    body: str,
    user,
    now: datetime,
    nonce: str | None = None,
) -> CheckInOutcome:
    """Add a person who is not on the list, flagged as a walk-in, and check them in."""
    if nonce and (replayed := _checkin_by_nonce(nonce)) is not None:
        return CheckInOutcome('checked_in', replayed, created=False)
    full_name = normalize_text(full_name)
    if not full_name:
        raise CheckInError('name_required', _('Nhập họ và tên người đến dự.'))
    delegate = Delegate(
        forum_id=forum.id,
        venue_id=venue.id,
        full_name=full_name,
        position=normalize_text(position),
        body=normalize_text(body),
        walk_in=True,
    )
    db.session.add(delegate)
    db.session.flush()
    db.session.refresh(delegate, ['venue'])
    record_change(
        'delegate.walk_in',
        delegate,
        user=user,
        forum_id=forum.id,
        details={'venue_id': venue.id, 'name': full_name},
    )
    return check_in_delegate(
        forum, delegate, venue, user=user, now=now, nonce=nonce, method=CheckInMethod.WALK_IN
    )


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
