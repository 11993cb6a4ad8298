"""Check-in at the door, walk-ins, undo, and attendance counts."""

from marshmallow import Schema, fields, validate

from forum.api import bp
from forum.api.access import forum_for_staff, require_staff
from forum.api.schemas import ErrorSchema
from forum.auth.permissions import can_check_in_at
from forum.checkin.attendance import attendance_summary
from forum.checkin.live import attendance_changed, checkin_fields
from forum.checkin.models import CheckIn, CheckInMethod
from forum.checkin.services import (
    CheckInError,
    check_in_delegate,
    register_walk_in,
    resolve_code,
    undo_check_in,
)
from forum.db_types import utcnow
from forum.errors import ApiError
from forum.extensions import db
from forum.tiers.models import Venue


class CheckInRequestSchema(Schema):
    code = fields.String(
        required=True,
        validate=validate.Length(min=1, max=300),
        metadata={'description': 'Invitation code, short code, or the QR URL.'},
    )
    venue_id = fields.Integer(required=True)
    nonce = fields.String(
        validate=validate.Length(min=8, max=64),
        metadata={'description': 'Idempotency key: the same nonce twice is one check-in.'},
    )
    confirm_other_venue = fields.Boolean(load_default=False)
    method = fields.Enum(CheckInMethod, by_value=True, load_default=CheckInMethod.API)


class WalkInRequestSchema(Schema):
    full_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    position = fields.String(load_default='', validate=validate.Length(max=200))
    body = fields.String(load_default='', validate=validate.Length(max=200))
    venue_id = fields.Integer(required=True)
    nonce = fields.String(validate=validate.Length(min=8, max=64))


class UndoRequestSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class DelegateBriefSchema(Schema):
    id = fields.Integer()
    full_name = fields.String()
    position = fields.String()
    body = fields.String()
    venue_id = fields.Integer()
    venue = fields.String()
    walk_in = fields.Boolean()


class CheckInSchema(Schema):
    id = fields.Integer()
    delegate_id = fields.Integer()
    venue_id = fields.Integer()
    venue = fields.String()
    checked_in_at = fields.String()
    by = fields.String(allow_none=True)
    other_venue = fields.Boolean()
    method = fields.String()


class CheckInResultSchema(Schema):
    status = fields.String(required=True, metadata={'enum': ['checked_in', 'already_checked_in']})
    delegate = fields.Nested(DelegateBriefSchema)
    checkin = fields.Nested(CheckInSchema)
    first = fields.Nested(CheckInSchema, metadata={'description': 'For a repeat: the first one.'})


class TierCountsSchema(Schema):
    invited = fields.Integer()
    checked_in = fields.Integer()
    inside = fields.Integer()
    venues = fields.Integer()


class VenueCountsSchema(Schema):
    venue_id = fields.Integer()
    name = fields.String()
    tier = fields.String()
    invited = fields.Integer()
    checked_in = fields.Integer()
    inside = fields.Integer()
    connection_status = fields.String()


class AttendanceSchema(Schema):
    invited = fields.Integer()
    checked_in = fields.Integer()
    inside = fields.Integer()
    walk_ins = fields.Integer()
    by_tier = fields.Dict(keys=fields.String(), values=fields.Nested(TierCountsSchema))
    by_venue = fields.List(fields.Nested(VenueCountsSchema))


def _venue_for_checkin(forum, venue_id: int, user) -> Venue:
    venue = db.session.get(Venue, venue_id)
    if venue is None or venue.forum_id != forum.id:
        raise ApiError(404, f'There is no bridge point {venue_id} in this forum.')
    if not can_check_in_at(user, venue):
        raise ApiError(403, 'You do not check people in at this bridge point.')
    return venue


def _as_api_error(error: CheckInError) -> ApiError:
    return ApiError(error.status, error.message, code=error.code, details=error.details or None)


def _result(outcome) -> tuple[dict, int]:
    checkin = outcome.checkin
    delegate = checkin.delegate
    body = {
        'status': outcome.status,
        'delegate': {
            'id': delegate.id,
            'full_name': delegate.full_name,
            'position': delegate.position,
            'body': delegate.body,
            'venue_id': delegate.venue_id,
            'venue': delegate.venue.name,
            'walk_in': delegate.walk_in,
        },
        'checkin': checkin_fields(checkin),
    }
    if outcome.status == 'already_checked_in':
        body['first'] = body['checkin']
        return body, 200
    return body, 201


@bp.post('/forums/<int:forum_id>/checkins')
@bp.arguments(CheckInRequestSchema)
@bp.response(201, CheckInResultSchema, description='Checked in (or the same nonce replayed).')
@bp.alt_response(200, schema=CheckInResultSchema, description='Already checked in: `first`.')
@bp.alt_response(404, schema=ErrorSchema, description='Unknown code or bridge point.')
@bp.alt_response(
    409,
    schema=ErrorSchema,
    description='Delegate of another bridge point '
    '(send `confirm_other_venue`), or the forum is closed.',
)
@bp.alt_response(410, schema=ErrorSchema, description='The code was revoked.')
def create_checkin(data, forum_id):
    """Check a delegate in at a bridge point by their invitation code."""
    forum, user = forum_for_staff(forum_id)
    venue = _venue_for_checkin(forum, data['venue_id'], user)
    try:
        delegate = resolve_code(forum, data['code'])
        outcome = check_in_delegate(
            forum,
            delegate,
            venue,
            user=user,
            now=utcnow(),
            nonce=data.get('nonce'),
            method=data['method'],
            confirm_other_venue=data['confirm_other_venue'],
        )
    except CheckInError as error:
        db.session.rollback()
        raise _as_api_error(error) from error
    body, status = _result(outcome)
    db.session.commit()
    if outcome.created:
        attendance_changed(forum.id)
    return body, status


@bp.post('/forums/<int:forum_id>/walk-ins')
@bp.arguments(WalkInRequestSchema)
@bp.response(201, CheckInResultSchema)
def create_walk_in(data, forum_id):
    """Register a person who is not on the list and check them in (flagged as a walk-in)."""
    forum, user = forum_for_staff(forum_id)
    venue = _venue_for_checkin(forum, data['venue_id'], user)
    try:
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
    except CheckInError as error:
        db.session.rollback()
        raise _as_api_error(error) from error
    body, _status = _result(outcome)
    db.session.commit()
    attendance_changed(forum.id)
    return body, 201


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
    try:
        undo_check_in(checkin, user=user, reason=data['reason'], now=utcnow())
    except CheckInError as error:
        db.session.rollback()
        raise _as_api_error(error) from error
    fields_ = checkin_fields(checkin)
    db.session.commit()
    attendance_changed(checkin.forum_id)
    return fields_


@bp.get('/forums/<int:forum_id>/attendance')
@bp.response(200, AttendanceSchema)
def get_attendance(forum_id):
    """Invited and checked in, per tier and per bridge point."""
    forum, _user = forum_for_staff(forum_id)
    return attendance_summary(forum)
