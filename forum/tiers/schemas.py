"""The API's bridge-point bodies (OpenAPI components), next to their domain."""

from marshmallow import Schema, fields

from forum.api.schemas import page_of
from forum.tiers.models import ConnectionStatus, Tier


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


VenuePageSchema = page_of(VenueSchema, 'VenuePage')
