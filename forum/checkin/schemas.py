"""The check-in API's request and answer bodies (OpenAPI components), next to their domain."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from forum.api.schemas import page_of
from forum.checkin.models import CheckInMethod
from forum.tiers.models import ConnectionStatus


class CheckInRequestSchema(Schema):
    code = fields.String(
        validate=validate.Length(min=1, max=300),
        metadata={'description': 'Invitation code, short code, or the QR URL.'},
    )
    delegate_id = fields.Integer(
        metadata={
            'description': 'Instead of `code`: a delegate found by name '
            '(`GET …/checkins/search`). Exactly one of `code` and `delegate_id`.'
        },
    )
    venue_id = fields.Integer(required=True)
    nonce = fields.String(
        validate=validate.Length(min=8, max=64),
        metadata={'description': 'Idempotency key: the same nonce twice is one check-in.'},
    )
    confirm_other_venue = fields.Boolean(load_default=False)
    method = fields.Enum(
        CheckInMethod,
        by_value=True,
        metadata={'description': '`api` by default; `search` when `delegate_id` is sent.'},
    )

    @validates_schema
    def _code_or_delegate(self, data, **_kwargs):
        if ('code' in data) == ('delegate_id' in data):
            raise ValidationError('Send exactly one of "code" and "delegate_id".', 'code')


class WalkInRequestSchema(Schema):
    full_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    position = fields.String(load_default='', validate=validate.Length(max=200))
    body = fields.String(load_default='', validate=validate.Length(max=200))
    venue_id = fields.Integer(required=True)
    nonce = fields.String(validate=validate.Length(min=8, max=64))


class UndoRequestSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class SearchArgsSchema(Schema):
    q = fields.String(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={'description': 'Part of the name, with or without accents.'},
    )
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=50))


class VenueStatusRequestSchema(Schema):
    status = fields.Enum(
        ConnectionStatus,
        by_value=True,
        required=True,
        validate=validate.OneOf([ConnectionStatus.CONNECTED, ConnectionStatus.PROBLEM]),
    )
    note = fields.String(load_default='', validate=validate.Length(max=1000))


class VenueStatusSchema(Schema):
    venue_id = fields.Integer()
    connection_status = fields.String()
    status_note = fields.String()
    status_reported_at = fields.String(allow_none=True)


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


class SearchResultSchema(DelegateBriefSchema):
    checkin = fields.Nested(
        CheckInSchema, allow_none=True, metadata={'description': 'The current check-in, if any.'}
    )


SearchPageSchema = page_of(SearchResultSchema, 'CheckInSearchPage')


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
    status_note = fields.String(metadata={'description': "the point's roll-call note"})


class AttendanceSchema(Schema):
    invited = fields.Integer()
    checked_in = fields.Integer()
    inside = fields.Integer()
    walk_ins = fields.Integer()
    by_tier = fields.Dict(keys=fields.String(), values=fields.Nested(TierCountsSchema))
    by_venue = fields.List(fields.Nested(VenueCountsSchema))
