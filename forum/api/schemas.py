"""Marshmallow schemas of the API: they validate input and generate the OpenAPI document."""

from marshmallow import Schema, fields, validate

from forum.delegates.models import DelegateRole
from forum.forums.models import ForumStatus
from forum.tiers.models import ConnectionStatus, Tier

MAX_PER_PAGE = 500


class ErrorBodySchema(Schema):
    code = fields.String(required=True, metadata={'example': 'not_found'})
    message = fields.String(required=True)
    details = fields.Raw(metadata={'description': 'Per-field or per-row problems, when any.'})


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)


class PageArgsSchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PER_PAGE))


def page_of(item_schema: type[Schema], name: str) -> type[Schema]:
    """A paginated list schema ``{"items", "total", "page", "per_page"}`` of ``item_schema``."""
    return Schema.from_dict(
        {
            'items': fields.List(fields.Nested(item_schema), required=True),
            'total': fields.Integer(required=True),
            'page': fields.Integer(required=True),
            'per_page': fields.Integer(required=True),
        },
        name=name,
    )


class TokenRequestSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(min=3, max=254))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))


class TokenSchema(Schema):
    token = fields.String(required=True)
    role = fields.String(required=True)


class ForumSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    theme = fields.String()
    host_body = fields.String()
    organiser_body = fields.String()
    place = fields.String()
    held_on = fields.Date()
    starts_at = fields.Time(allow_none=True)
    ends_at = fields.Time(allow_none=True)
    tier_depth = fields.Integer()
    status = fields.Enum(ForumStatus, by_value=True)
    province_code = fields.String()


class VenueSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    tier = fields.Enum(Tier, by_value=True)
    unit_code = fields.String()
    parent_id = fields.Integer(allow_none=True)
    address = fields.String()
    capacity = fields.Integer(allow_none=True)
    join_url = fields.String()
    connection_status = fields.Enum(ConnectionStatus, by_value=True)


class DelegateArgsSchema(PageArgsSchema):
    venue = fields.Integer(metadata={'description': 'Only the delegates of this bridge point.'})
    q = fields.String(
        validate=validate.Length(max=200),
        metadata={'description': 'Part of the name; accents optional ("nguyen thi thao").'},
    )


class DelegateSchema(Schema):
    id = fields.Integer()
    full_name = fields.String()
    position = fields.String()
    body = fields.String()
    email = fields.String()
    phone = fields.String()
    role = fields.Enum(DelegateRole, by_value=True)
    venue_id = fields.Integer()
    tier = fields.Enum(Tier, by_value=True)
    code = fields.String(metadata={'description': 'Invitation code; shown to organisers only.'})
    short_code = fields.String(metadata={'description': 'Shown to organisers only.'})


ForumPageSchema = page_of(ForumSchema, 'ForumPage')
VenuePageSchema = page_of(VenueSchema, 'VenuePage')
DelegatePageSchema = page_of(DelegateSchema, 'DelegatePage')
