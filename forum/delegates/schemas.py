"""The API's delegate-list bodies (OpenAPI components), next to their domain: the list, its
import and export."""

from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from forum.api.schemas import ErrorBodySchema, PageArgsSchema, page_of
from forum.delegates.models import DelegateRole
from forum.tiers.models import Tier


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


DelegatePageSchema = page_of(DelegateSchema, 'DelegatePage')


class ImportRequestSchema(Schema):
    """The multipart body: the file, and the dry-run flag (read from the form by the view)."""

    file = Upload(required=True, metadata={'description': 'The list: XLSX or CSV.'})
    dry_run = fields.Boolean(
        load_default=False,
        metadata={'description': '1 to only check the list and count what it would change.'},
    )


class ImportProblemSchema(Schema):
    row = fields.Integer(
        allow_none=True, metadata={'description': 'Spreadsheet row (header = 1); null: the file.'}
    )
    column = fields.String(allow_none=True, metadata={'description': 'As headed in the file.'})
    message = fields.String()


class ImportSummarySchema(Schema):
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    errors = fields.List(fields.Nested(ImportProblemSchema))


class ImportRejectedSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)
    errors = fields.List(fields.Nested(ImportProblemSchema), required=True)


class ExportArgsSchema(Schema):
    venue = fields.Integer(metadata={'description': 'Only the delegates of this bridge point.'})
