"""One check-in at the door, every case on one path: the facts, the rules once, one answer.

``POST …/checkins`` arrives by the thousand within minutes, so the path is lean without being
a second set of rules. One statement (SQLAlchemy Core, compiled once) reads every fact that
decides a check-in: the caller's account, the forum, the bridge point and whether the caller
operates it (or any point of the forum), the delegate of the code (or id) and their point.
The rules then run once, in Python, on those facts (``refuse_caller``, then ``admit``), for
the usual scan and for every other case alike: a stale token, a point of another forum, a
short or revoked code, a delegate of another point, a closed forum, a repeat, a replayed nonce,
a race with another door. The check-in is written with ``INSERT … ON CONFLICT DO NOTHING``
(the database keeps one active check-in per delegate and each nonce once); the answer is built
from the rows by ``checkin_answer``, the API's one serializer of a check-in.

Everything runs in the request's session and transaction: the boundary commits it, and the
boards hear of the check-in after that (``board_changed``).
"""

from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from types import SimpleNamespace

from flask_babel import gettext as _
from sqlalchemy import bindparam, exists, func, select

from forum.audit.services import record_change
from forum.auth.models import User, venue_operators
from forum.auth.permissions import may_check_in_at, may_view_forum
from forum.checkin.answers import checkin_answer, delegate_brief
from forum.checkin.board import board_changed
from forum.checkin.models import CheckIn, CheckInMethod
from forum.checkin.services import (
    CHECKIN_STATUSES,
    CheckInError,
    insert_checkin_sql,
    is_invitation_code,
    log_check_in,
    scanned_code,
)
from forum.delegates.models import Delegate
from forum.extensions import db
from forum.forums.models import Forum
from forum.invitations.codes import find_by_code
from forum.ratelimits import check_code_lookup, record_failed_code_lookup
from forum.text import normalize_text
from forum.tiers.models import Venue


@dataclass(frozen=True)
class DoorRequest:
    """A check-in asked for: at ``venue_id`` of ``forum_id``, by ``code`` or ``delegate_id``."""

    forum_id: int
    venue_id: int
    code: str | None = None
    delegate_id: int | None = None
    nonce: str | None = None
    method: CheckInMethod = CheckInMethod.API
    confirm_other_venue: bool = False


@dataclass(frozen=True)
class Answer:
    """``checked_in`` (new, or the same nonce replayed) or ``already_checked_in``."""

    status: str
    body: dict
    checkin_id: int

    @property
    def http_status(self) -> int:
        return 200 if self.status == 'already_checked_in' else 201


# The facts ------------------------------------------------------------------------------------

_users, _forums, _delegates = User.__table__, Forum.__table__, Delegate.__table__
_checkins = CheckIn.__table__
_point, _home, _any_point = (Venue.__table__.alias(name) for name in ('point', 'home', 'any'))


@cache
def _facts_statement(by: str):
    """The facts of a check-in by ``code`` or by ``delegate_id``: one row, or none when the
    caller's account does not exist (the forum, point and delegate are NULL when unknown)."""
    operates_point = exists().where(
        venue_operators.c.user_id == _users.c.id,
        venue_operators.c.venue_id == bindparam('venue_id'),
    )
    operates_forum = exists().where(
        venue_operators.c.user_id == _users.c.id,
        venue_operators.c.venue_id == _any_point.c.id,
        _any_point.c.forum_id == bindparam('forum_id'),
    )
    delegate_match = (
        _delegates.c.code == bindparam('code')
        if by == 'code'
        else _delegates.c.id == bindparam('delegate_id')
    )
    joined = (
        _users.outerjoin(_forums, _forums.c.id == bindparam('forum_id'))
        .outerjoin(_point, _point.c.id == bindparam('venue_id'))
        .outerjoin(_delegates, delegate_match)
        .outerjoin(_home, _home.c.id == _delegates.c.venue_id)
    )
    return (
        select(
            _users.c.role,
            _users.c.is_enabled,
            _users.c.token_version,
            _users.c.full_name.label('user_name'),
            _users.c.email.label('user_email'),
            _forums.c.id.label('forum_found'),
            _forums.c.status.label('forum_status'),
            operates_point.label('operates_point'),
            operates_forum.label('operates_forum'),
            _point.c.forum_id.label('point_forum_id'),
            _point.c.name.label('point_name'),
            # The delegate's, under the names of ``Delegate`` (``delegate_brief`` reads them).
            _delegates.c.id,
            _delegates.c.forum_id.label('delegate_forum_id'),
            _delegates.c.venue_id,
            _delegates.c.full_name,
            _delegates.c.position,
            _delegates.c.body,
            _delegates.c.walk_in,
            _home.c.name.label('venue_name'),
        )
        .select_from(joined)
        .where(_users.c.id == bindparam('user_id'))
    )


def _read_facts(request: DoorRequest, user_id: int, code: str | None = None):
    """The facts, with the delegate of ``code`` if given, else of ``request.delegate_id``."""
    params = {'user_id': user_id, 'forum_id': request.forum_id, 'venue_id': request.venue_id}
    if code is not None:
        return db.session.execute(_facts_statement('code'), {**params, 'code': code}).first()
    params['delegate_id'] = request.delegate_id
    return db.session.execute(_facts_statement('id'), params).first()


@cache
def _existing_statement(by: str):
    """A check-in already stored (by its ``nonce``, or the delegate's active one), under the
    names of ``CheckIn`` that ``checkin_answer`` reads."""
    by_user = User.__table__.alias('by_user')
    place = Venue.__table__.alias('place')
    where = (
        _checkins.c.nonce == bindparam('nonce')
        if by == 'nonce'
        else (_checkins.c.forum_id == bindparam('forum_id'))
        & (_checkins.c.delegate_id == bindparam('delegate_id'))
        & _checkins.c.undone_at.is_(None)
    )
    return (
        select(
            _checkins.c.id,
            _checkins.c.delegate_id,
            _checkins.c.venue_id,
            place.c.name.label('venue_name'),
            _checkins.c.checked_in_at,
            func.coalesce(func.nullif(by_user.c.full_name, ''), by_user.c.email).label('by_name'),
            _checkins.c.other_venue,
            _checkins.c.method,
            _checkins.c.nonce,
        )
        .select_from(
            _checkins.join(place, place.c.id == _checkins.c.venue_id).outerjoin(
                by_user, by_user.c.id == _checkins.c.by_user_id
            )
        )
        .where(where)
    )


def _by_nonce(nonce: str):
    return db.session.execute(_existing_statement('nonce'), {'nonce': nonce}).first()


def _active(forum_id: int, delegate_id: int):
    params = {'forum_id': forum_id, 'delegate_id': delegate_id}
    return db.session.execute(_existing_statement('active'), params).first()


# The rules ------------------------------------------------------------------------------------


def check_in(request: DoorRequest, *, user_id: int, token_version: object, now: datetime) -> Answer:
    """The API's check-in, for the caller of a bearer token (``user_id``, ``token_version``):
    who may check in where, which delegate the code is, then the door's rules.

    A live invitation code is looked up with the facts; anything else (a short code typed at
    the door, a revoked code) goes through ``find_by_code`` and counts against the address when
    it opens nothing, as every failed code lookup does (a found 128-bit code is no guess)."""
    _statements_commit_themselves()
    if request.code is None:
        facts = _read_facts(request, user_id)
    else:
        code = scanned_code(request.code)
        facts = _read_facts(request, user_id, code if is_invitation_code(code) else '')
    refuse_caller(facts, request, token_version)
    if not _found_in_forum(facts, request.forum_id):
        if request.code is None:
            raise CheckInError(
                'unknown_delegate', _('Không tìm thấy đại biểu này trong hội nghị.'), status=404
            )
        facts = _facts_of_other_code(request, user_id, code)
    return admit(facts, request, user_id=user_id, now=now)


def _statements_commit_themselves() -> None:
    """On PostgreSQL, let the scan's statements each commit themselves (autocommit).

    The scan writes one row, with one atomic ``INSERT … ON CONFLICT``, and reads what was
    committed before each statement, exactly as in a read-committed transaction; without the
    transaction's ``BEGIN`` and ``COMMIT`` it costs two round trips fewer. The boundary's commit
    then only sends what waited for it (the board's update). Only when nothing of the request
    has touched the database yet; SQLite keeps its ``BEGIN IMMEDIATE`` (the write lock first).
    """
    session = db.session()
    if session.in_transaction() or session.get_bind().dialect.name != 'postgresql':
        return
    session.connection(execution_options={'isolation_level': 'AUTOCOMMIT'})


def refuse_caller(facts, request: DoorRequest, token_version: object) -> None:
    """Refuse a caller whose token is no longer theirs, a forum or point they may not use."""
    if facts is None or not facts.is_enabled or facts.token_version != token_version:
        raise CheckInError('unauthorized', 'The token is invalid, expired or revoked.', status=401)
    if facts.forum_found is None:
        raise CheckInError('not_found', f'There is no forum {request.forum_id}.', status=404)
    if not may_view_forum(facts.role, operates_a_point=facts.operates_forum):
        raise CheckInError('forbidden', 'You have no access to this forum.', status=403)
    if facts.point_forum_id != request.forum_id:
        raise CheckInError(
            'not_found',
            f'There is no bridge point {request.venue_id} in this forum.',
            status=404,
        )
    if not may_check_in_at(facts.role, operates_it=facts.operates_point):
        raise CheckInError(
            'forbidden', 'You do not check people in at this bridge point.', status=403
        )


def _found_in_forum(facts, forum_id: int) -> bool:
    return facts.id is not None and facts.delegate_forum_id == forum_id


def _facts_of_other_code(request: DoorRequest, user_id: int, code: str):
    """A code that is not a live invitation code of this forum: a short code typed at the
    door, or a revoked one (each counted against the address when it opens nothing)."""
    check_code_lookup()
    lookup = find_by_code(code, forum_id=request.forum_id)
    if lookup.delegate is not None:
        by_id = replace(request, code=None, delegate_id=lookup.delegate.id)
        return _read_facts(by_id, user_id)
    record_failed_code_lookup()
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


def admit(facts, request: DoorRequest, *, user_id: int | None, now: datetime) -> Answer:
    """The door's rules for a delegate of the forum at a point of the forum: a new check-in,
    the same nonce again, already in (who let them in, when, where), a delegate of another
    point (to be confirmed), a closed forum."""
    other_venue = facts.venue_id != request.venue_id
    is_open = facts.forum_status in CHECKIN_STATUSES
    if is_open and (request.confirm_other_venue or not other_venue):
        # Usually the insert goes through; when it does not, the checks below say why.
        if (inserted := _insert(facts, request, user_id, now, other_venue)) is not None:
            return inserted
    if request.nonce and (replayed := _by_nonce(request.nonce)) is not None:
        if replayed.delegate_id != facts.id:
            raise CheckInError(
                'nonce_reused', _('Mã lần quét này đã dùng cho người khác.'), status=409
            )
        return _answer('checked_in', facts, replayed)
    if not is_open:
        raise CheckInError(
            'forum_closed', _('Hội nghị đã kết thúc, không điểm danh nữa.'), status=409
        )
    if (first := _active(request.forum_id, facts.id)) is not None:
        return _answer('already_checked_in', facts, first)
    if other_venue and not request.confirm_other_venue:
        raise CheckInError(
            'other_venue',
            _(
                'Đại biểu này được mời dự tại %(venue)s. Xác nhận cho vào tại đây?',
                venue=facts.venue_name,
            ),
            status=409,
            details={
                'delegate_venue_id': facts.venue_id,
                'delegate_venue': facts.venue_name,
                # the operator must see who it is before letting them in
                'delegate': delegate_brief(facts),
            },
        )
    if (inserted := _insert(facts, request, user_id, now, other_venue)) is not None:
        return inserted  # the check-in in the way was undone meanwhile
    # Another door was faster, or this very nonce just landed.
    winner = (_by_nonce(request.nonce) if request.nonce else None) or _active(
        request.forum_id, facts.id
    )
    if winner is not None and request.nonce and winner.nonce == request.nonce:
        return _answer('checked_in', facts, winner)
    return _answer('already_checked_in', facts, winner)


def _insert(facts, request: DoorRequest, user_id, now, other_venue: bool) -> Answer | None:
    values = {
        'forum_id': request.forum_id,
        'delegate_id': facts.id,
        'venue_id': request.venue_id,
        'checked_in_at': now,
        'by_user_id': user_id,
        'method': request.method,
        'nonce': request.nonce,
        'other_venue': other_venue,
        'undo_reason': '',
    }
    row = db.session.execute(insert_checkin_sql(), values).first()
    if row is None:
        return None
    log_check_in(facts.id, request.venue_id, user_id, other_venue)
    board_changed(request.forum_id)
    by_name = (facts.user_name or facts.user_email) if user_id is not None else None
    stored = SimpleNamespace(**row._mapping, venue_name=facts.point_name, by_name=by_name)
    return _answer('checked_in', facts, stored)


def _answer(status: str, facts, checkin) -> Answer:
    body = {'status': status, 'delegate': delegate_brief(facts), 'checkin': checkin_answer(checkin)}
    if status == 'already_checked_in':
        body['first'] = body['checkin']
    return Answer(status, body, checkin.id)


# Without the API's caller rules: the walk-in's view and the demo have checked who calls ---------


def check_in_delegate(forum, delegate, venue, *, user, now: datetime, nonce: str | None = None,
                      method: CheckInMethod = CheckInMethod.QR,
                      confirm_other_venue: bool = False) -> Answer:  # fmt: skip
    """Check ``delegate`` in at ``venue`` by ``user``, whose right to do so the caller checked."""
    request = DoorRequest(forum.id, venue.id, delegate_id=delegate.id, nonce=nonce, method=method,
                          confirm_other_venue=confirm_other_venue)  # fmt: skip
    facts = _read_facts(request, user.id)
    if facts.id is None or facts.delegate_forum_id != forum.id or facts.point_forum_id != forum.id:
        raise CheckInError('wrong_forum', _('Điểm cầu hoặc đại biểu không thuộc hội nghị này.'))
    return admit(facts, request, user_id=user.id, now=now)


def register_walk_in(forum, venue, *, full_name: str, position: str, body: str, user,
                     now: datetime, nonce: str | None = None) -> Answer:  # fmt: skip
    """Add a person who is not on the list, flagged as a walk-in, and check them in."""
    if nonce and (replayed := _by_nonce(nonce)) is not None:
        delegate = db.session.get(Delegate, replayed.delegate_id)
        return _answer('checked_in', delegate, replayed)
    full_name = normalize_text(full_name)
    if not full_name:
        raise CheckInError('name_required', _('Nhập họ và tên người đến dự.'))
    delegate = Delegate(forum_id=forum.id, venue_id=venue.id, full_name=full_name,
                        position=normalize_text(position), body=normalize_text(body),
                        walk_in=True)  # fmt: skip
    db.session.add(delegate)
    db.session.flush()
    record_change('delegate.walk_in', delegate, user=user, forum_id=forum.id,
                  details={'venue_id': venue.id, 'name': full_name})  # fmt: skip
    return check_in_delegate(forum, delegate, venue, user=user, now=now, nonce=nonce,
                             method=CheckInMethod.WALK_IN)  # fmt: skip
