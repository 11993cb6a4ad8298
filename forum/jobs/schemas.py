"""The API's job bodies (OpenAPI components), next to their domain."""

from marshmallow import Schema, fields

from forum.jobs.models import JobState


class JobSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    state = fields.String(metadata={'enum': [state.value for state in JobState]})
    progress = fields.Integer()
    total = fields.Integer()
    unit = fields.String(metadata={'description': 'pages, rows or messages'})
    result = fields.String(metadata={'description': 'Where to download the file, once done.'})
    file_name = fields.String(metadata={'description': "The file's name, once done."})
    file_size = fields.Integer(metadata={'description': "The file's size in bytes."})
    mail_job_id = fields.Integer(metadata={'description': 'An e-mail batch: the batch.'})
    summary = fields.Dict(metadata={'description': 'What the job found or did (counts).'})
    error = fields.String(metadata={'description': 'Why it failed, for people.'})
    created_at = fields.String()
    finished_at = fields.String(allow_none=True)
    expires_at = fields.String(allow_none=True)


class JobStartedSchema(Schema):
    job = fields.String(metadata={'description': 'GET it for the state and the result.'})
    id = fields.Integer()
