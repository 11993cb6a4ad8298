"""The live queue API's request and answer bodies (OpenAPI components), next to their domain."""

from marshmallow import Schema, fields, validate, validates_schema
from marshmallow import ValidationError as SchemaError

from forum.qa.models import QuestionKind, QuestionMode, QuestionStatus


class QuestionRequestSchema(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=5000))
    kind = fields.Enum(QuestionKind, by_value=True, load_default=QuestionKind.QUESTION)
    mode = fields.Enum(QuestionMode, by_value=True, load_default=QuestionMode.WRITTEN)
    code = fields.String(metadata={'description': "The delegate's invitation code."})
    venue_id = fields.Integer(metadata={'description': 'For an operator registering an item.'})
    author_name = fields.String(validate=validate.Length(max=200), load_default='')
    author_position = fields.String(validate=validate.Length(max=200), load_default='')
    author_body = fields.String(validate=validate.Length(max=200), load_default='')


class CreatedQuestionSchema(Schema):
    id = fields.Integer()
    status = fields.String()


class ModerationRequestSchema(Schema):
    status = fields.Enum(QuestionStatus, by_value=True)
    position = fields.Integer(validate=validate.Range(min=0))
    response = fields.String(validate=validate.Length(max=5000))
    answered_by = fields.String(validate=validate.Length(max=200))
    text = fields.String(validate=validate.Length(min=1, max=5000))

    @validates_schema
    def _something(self, data, **_kwargs):
        if not data:
            raise SchemaError('Send at least one of status, position, response, answered_by, text.')


class MergeRequestSchema(Schema):
    duplicates = fields.List(
        fields.Integer(), required=True, validate=validate.Length(min=1, max=50)
    )


class QuestionListArgsSchema(Schema):
    order = fields.String(load_default='queue', validate=validate.OneOf(['queue', 'votes']))
    code = fields.String()


class VenueRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    tier = fields.String()


class AuthorSchema(Schema):
    name = fields.String()
    position = fields.String()
    body = fields.String()


class QuestionSchema(Schema):
    """An item as the caller may see it; the fields marked "staff" go to the desk and the
    secretariat for every item, to an operator for their own points' items."""

    id = fields.Integer()
    visible = fields.Boolean()
    text = fields.String()
    kind = fields.String()
    mode = fields.String()
    status = fields.String()
    position = fields.Integer()
    venue = fields.Nested(VenueRefSchema)
    author = fields.Nested(
        AuthorSchema, allow_none=True, metadata={'description': 'None when the forum hides names.'}
    )
    votes = fields.Integer()
    answered_by = fields.String()
    response = fields.String()
    answered_at = fields.String(allow_none=True)
    created_at = fields.String()
    delegate_id = fields.Integer(allow_none=True, metadata={'description': 'staff'})
    on_behalf = fields.Boolean(metadata={'description': 'staff'})
    original_text = fields.String(metadata={'description': 'staff'})
    held_for_review = fields.Boolean(metadata={'description': 'staff: profanity filter'})
    merged_into_id = fields.Integer(allow_none=True, metadata={'description': 'staff'})
    updated_at = fields.String(metadata={'description': 'staff'})
    own_point = fields.Boolean(metadata={'description': 'operators: an item of their point'})


class QuestionListSchema(Schema):
    items = fields.List(fields.Nested(QuestionSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
