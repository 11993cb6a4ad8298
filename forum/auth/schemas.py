"""The API's sign-in bodies (OpenAPI components), next to their domain."""

from marshmallow import Schema, fields, validate


class TokenRequestSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(min=3, max=254))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))


class TokenSchema(Schema):
    token = fields.String(required=True)
    role = fields.String(required=True)
