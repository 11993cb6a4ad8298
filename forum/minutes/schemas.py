"""The API's minutes bodies (OpenAPI components), next to their domain."""

from marshmallow import Schema, fields


class MinutesArgsSchema(Schema):
    draft = fields.Boolean(
        load_default=False, metadata={'description': 'The draft as it stands, even once issued.'}
    )
