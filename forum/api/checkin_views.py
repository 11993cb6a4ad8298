"""Check-in at the door, walk-ins, undo, and attendance counts."""

from functools import wraps

from flask import Response, current_app, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.api import bp
from forum.api.access import bearer_token_claims, checks_its_token, forum_for_staff, require_staff
from forum.api.schemas import ErrorSchema
from forum.auth.permissions import can_check_in_at, can_edit_venue
from forum.checkin.answers import checkin_answer, delegate_brief
from forum.checkin.attendance import attendance_summary
from forum.checkin.door import DoorRequest, check_in, register_walk_in
from forum.checkin.models import CheckIn, CheckInMethod
from forum.checkin.schemas import (
    AttendanceSchema,
    CheckInRequestSchema,
    CheckInResultSchema,
    CheckInSchema,
    SearchArgsSchema,
    SearchPageSchema,
    UndoRequestSchema,
    VenueStatusRequestSchema,
    VenueStatusSchema,
    WalkInRequestSchema,
)
from forum.checkin.services import undo_check_in
from forum.database import get_by_id
from forum.db_types import utcnow
from forum.delegates.services import delegates_query
from forum.errors import ApiError
from forum.extensions import db
from forum.pagination import paginate
from forum.text import search_key
from forum.tiers.models import Venue
from forum.tiers.services import report_connection_status


def _venue_for_checkin(forum, venue_id: int, user) -> Venue:
    venue = get_by_id(Venue, venue_id)
    if venue is None or venue.forum_id != forum.id:
        raise ApiError(404, f'There is no bridge point {venue_id} in this forum.')
    if not can_check_in_at(user, venue):
        raise ApiError(403, 'You do not check people in at this bridge point.')
    return venue


_REQUEST_FIELDS = frozenset(CheckInRequestSchema().fields) - {'delegate_id'}
_METHODS = {method.value: method for method in CheckInMethod}
_MAX_ID = 2**31 - 1


def _usual_scan_arguments() -> dict | None:
    """The body of the usual scan, as ``CheckInRequestSchema`` would load it, or None.

    A JSON object with a ``code`` and a ``venue_id`` and, optionally, the other fields, each of
    exactly the expected type and length, loads to the same dict as the schema gives. Anything
    else (a ``delegate_id``, a wrong type, an unknown field, a body that is no JSON at all) goes
    to the schema through webargs, which accepts or refuses it with its own messages.
    """
    if request.mimetype != 'application/json':
        return None
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not body.keys() <= _REQUEST_FIELDS:
        return None
    code, venue_id = body.get('code'), body.get('venue_id')
    if type(code) is not str or not 1 <= len(code) <= 300:
        return None
    if type(venue_id) is not int or not 0 <= venue_id <= _MAX_ID:
        return None
    data = {'code': code, 'venue_id': venue_id, 'confirm_other_venue': False}
    if 'nonce' in body:
        nonce = body['nonce']
        if type(nonce) is not str or not 8 <= len(nonce) <= 64:
            return None
        data['nonce'] = nonce
    if 'confirm_other_venue' in body:
        if type(body['confirm_other_venue']) is not bool:
            return None
        data['confirm_other_venue'] = body['confirm_other_venue']
    if 'method' in body:
        if type(body['method']) is not str or body['method'] not in _METHODS:
            return None
        data['method'] = _METHODS[body['method']]
    return data


def _checkin_arguments(view):
    """``@bp.arguments(CheckInRequestSchema)`` (documented, parsed by webargs) with the usual
    scan's body read directly: the schema costs more than the rest of the parsing."""
    parse_with_schema = bp.arguments(CheckInRequestSchema)(view)

    @wraps(parse_with_schema)
    def parse(*args, **kwargs):
        data = _usual_scan_arguments()
        if data is None:
            return parse_with_schema(*args, **kwargs)
        return view(data, *args, **kwargs)

    return parse


def _json_response(body: dict, status: int) -> Response:
    """The JSON the response schema would give for a body already in its shape."""
    response = current_app.json.response(body)
    response.status_code = status
    return response


@bp.post('/forums/<int:forum_id>/checkins')
@_checkin_arguments
@bp.response(201, CheckInResultSchema, description='Checked in (or the same nonce replayed).')
@bp.alt_response(200, schema=CheckInResultSchema, description='Already checked in: `first`.')
@bp.alt_response(404, schema=ErrorSchema, description='Unknown code, delegate or bridge point.')
@bp.alt_response(
    409,
    schema=ErrorSchema,
    description='Delegate of another bridge point (`details`: `delegate_venue` and the '
    '`delegate`; send `confirm_other_venue`), or the forum is closed.',
)
@bp.alt_response(410, schema=ErrorSchema, description='The code was revoked.')
@bp.alt_response(401, schema=ErrorSchema, description='No token, or an invalid one.')
@bp.alt_response(403, schema=ErrorSchema, description='Not a door of this bridge point.')
@checks_its_token
def create_checkin(data, forum_id):
    """Check a delegate in at a bridge point by their invitation code, or by id after a search."""
    claims = bearer_token_claims()
    if claims is None:
        raise ApiError(401, 'The token is invalid, expired or revoked.')
    by_id = 'delegate_id' in data
    request_ = DoorRequest(
        forum_id,
        data['venue_id'],
        code=data.get('code'),
        delegate_id=data.get('delegate_id'),
        nonce=data.get('nonce'),
        method=data.get('method') or (CheckInMethod.SEARCH if by_id else CheckInMethod.API),
        confirm_other_venue=data['confirm_other_venue'],
    )
    user_id, token_version = claims
    answer = check_in(request_, user_id=user_id, token_version=token_version, now=utcnow())
    return _json_response(answer.body, answer.http_status)


@bp.post('/forums/<int:forum_id>/walk-ins')
@bp.arguments(WalkInRequestSchema)
@bp.response(201, CheckInResultSchema)
def create_walk_in(data, forum_id):
    """Register a person who is not on the list and check them in (flagged as a walk-in)."""
    forum, user = forum_for_staff(forum_id)
    venue = _venue_for_checkin(forum, data['venue_id'], user)
    outcome = register_walk_in(
        forum,
        venue,
        full_name=data['full_name'],
        position=data['position'],
        body=data['body'],
        user=user,
        now=utcnow(),
        nonce=data.get('nonce'),
    )
    return _json_response(outcome.body, 201)


@bp.post('/checkins/<int:checkin_id>/undo')
@bp.arguments(UndoRequestSchema)
@bp.response(200, CheckInSchema)
def undo_checkin(data, checkin_id):
    """Take back a check-in made by mistake, with a reason (kept in the audit log)."""
    user = require_staff()
    checkin = db.session.get(CheckIn, checkin_id)
    if checkin is None:
        raise ApiError(404, f'There is no check-in {checkin_id}.')
    if not can_check_in_at(user, checkin.venue):
        raise ApiError(403, 'You do not check people in at this bridge point.')
    undo_check_in(checkin, user=user, reason=data['reason'], now=utcnow())
    return checkin_answer(checkin)


@bp.get('/forums/<int:forum_id>/attendance')
@bp.response(200, AttendanceSchema)
def get_attendance(forum_id):
    """Invited and checked in, per tier and per bridge point."""
    forum, _user = forum_for_staff(forum_id)
    return attendance_summary(forum)


@bp.get('/forums/<int:forum_id>/checkins/search')
@bp.arguments(SearchArgsSchema, location='query')
@bp.response(200, SearchPageSchema)
def search_for_checkin(args, forum_id):
    """Find delegates by name when nothing scans: the whole forum, without accents, in
    Vietnamese name order, each with their current check-in; check one in by `delegate_id`."""
    forum, _user = forum_for_staff(forum_id)
    if not search_key(args['q']):
        return {'items': [], 'total': 0, 'page': 1, 'per_page': args['limit']}
    page = paginate(delegates_query(forum.id, name_query=args['q']), 1, args['limit'])
    checkins = _active_checkins_of([d.id for d in page.items], forum.id)
    page.items = [
        {
            **delegate_brief(delegate),
            'checkin': checkin_answer(checkins[delegate.id]) if delegate.id in checkins else None,
        }
        for delegate in page.items
    ]
    return page


def _active_checkins_of(delegate_ids: list[int], forum_id: int) -> dict[int, CheckIn]:
    if not delegate_ids:
        return {}
    rows = db.session.scalars(
        select(CheckIn)
        .where(
            CheckIn.forum_id == forum_id,
            CheckIn.delegate_id.in_(delegate_ids),
            CheckIn.undone_at.is_(None),
        )
        .options(selectinload(CheckIn.venue), selectinload(CheckIn.by_user))
    )
    return {checkin.delegate_id: checkin for checkin in rows}


@bp.post('/venues/<int:venue_id>/status')
@bp.arguments(VenueStatusRequestSchema)
@bp.response(200, VenueStatusSchema)
@bp.alt_response(403, schema=ErrorSchema, description='Not an operator of this bridge point.')
@bp.alt_response(404, schema=ErrorSchema, description='No such bridge point.')
def report_venue_status(data, venue_id):
    """Roll call: the bridge point's operator reports "connected" or "problem" (with a note)."""
    user = require_staff()
    venue = db.session.get(Venue, venue_id)
    if venue is None:
        raise ApiError(404, f'There is no bridge point {venue_id}.')
    if not can_edit_venue(user, venue):
        raise ApiError(403, 'You do not report for this bridge point.')
    report_connection_status(venue, data['status'], data['note'], user=user, now=utcnow())
    return {
        'venue_id': venue.id,
        'connection_status': venue.connection_status.value,
        'status_note': venue.status_note,
        'status_reported_at': venue.status_reported_at.isoformat(),
    }
