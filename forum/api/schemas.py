"""Marshmallow schemas every part of the API shares: the error body, paging; each domain keeps
its own bodies in its ``schemas`` module. They validate input and generate the OpenAPI document."""

from marshmallow import Schema, fields, validate

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
