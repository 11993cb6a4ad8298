"""The API's invitation bodies (OpenAPI components), next to their domain."""

from marshmallow import Schema, fields

from forum.tiers.models import Tier


class InvitationArgsSchema(Schema):
    venue = fields.Integer(metadata={'description': 'Only the delegates of this bridge point.'})
    tier = fields.Enum(
        Tier, by_value=True, metadata={'description': 'Only the delegates of this tier.'}
    )
    delegate = fields.List(
        fields.Integer(),
        metadata={'description': 'Only these delegates (repeat the parameter for several).'},
    )
