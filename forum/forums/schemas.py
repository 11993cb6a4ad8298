"""The API's forum bodies (OpenAPI components), next to their domain."""

from marshmallow import Schema, fields

from forum.api.schemas import page_of
from forum.forums.models import ForumStatus


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


ForumPageSchema = page_of(ForumSchema, 'ForumPage')
