"""Delegate lists over the API: import with a dry run, export as XLSX or CSV (organisers)."""

from flask import current_app, jsonify, request
from marshmallow import fields
from sqlalchemy import select

from forum.api import bp
from forum.api.access import for_roles, forum_for_staff
from forum.api.job_views import answer_with
from forum.api.schemas import ErrorSchema
from forum.auth.models import UserRole
from forum.delegates.exporting import CSV_MIMETYPE, XLSX_MIMETYPE
from forum.delegates.jobs import submit_export, submit_list_check
from forum.delegates.limits import FileLimitError, inspect_list_file
from forum.delegates.schemas import (
    ExportArgsSchema,
    ImportRejectedSchema,
    ImportRequestSchema,
    ImportSummarySchema,
)
from forum.delegates.uploads import DEFAULT_MAX_UPLOAD_BYTES
from forum.errors import ApiError, add_error_fields
from forum.extensions import db
from forum.jobs.models import JobState
from forum.jobs.views import file_response
from forum.tiers.models import Venue

IMPORT_ENDPOINT = 'api.import_delegate_list'
BINARY = {'type': 'string', 'format': 'binary'}


def _max_upload_bytes() -> int:
    return current_app.config.get('DELEGATE_IMPORT_MAX_BYTES', DEFAULT_MAX_UPLOAD_BYTES)


@bp.before_request
def _limit_list_uploads():
    """Refuse an oversized list before its body is read; the limit also caps what is read."""
    if request.endpoint != IMPORT_ENDPOINT:
        return
    limit = _max_upload_bytes()
    request.max_content_length = limit + 64 * 1024  # room for the multipart envelope
    if (request.content_length or 0) > request.max_content_length:
        raise ApiError(
            413,
            f'The file is larger than {limit // (1024 * 1024)} MB.',
            code='too_large',
        )


def _problems_of_a_refusal(status: int, error: dict) -> dict:
    """A 422 of the import always lists its problems (CONTRACT.md), a refused request's too:
    each field named in the details, else the request as a whole."""
    if status != 422:
        return {}
    details = error.get('details') or {}
    problems = [
        {'row': None, 'column': str(field), 'message': str(message)}
        for field, messages in details.items()
        if isinstance(messages, list)
        for message in messages
        if isinstance(message, str)
    ]
    return {'errors': problems or [{'row': None, 'column': None, 'message': error['message']}]}


add_error_fields(IMPORT_ENDPOINT, _problems_of_a_refusal)


def _organiser_forum(forum_id: int):
    """The forum, for an organiser (the role is checked first: ``@for_roles``)."""
    return forum_for_staff(forum_id)


@bp.post('/forums/<int:forum_id>/delegates/import')
@bp.arguments(ImportRequestSchema, location='files')
@bp.response(200, ImportSummarySchema)
@bp.alt_response(
    422, schema=ImportRejectedSchema, description='The list has problems; nothing was imported.'
)
@bp.alt_response(401, schema=ErrorSchema, description='No or invalid credentials.')
@bp.alt_response(403, schema=ErrorSchema, description='Not an organiser.')
@bp.alt_response(404, schema=ErrorSchema, description='No such forum.')
@bp.alt_response(413, schema=ErrorSchema, description='The file is too large.')
@for_roles(UserRole.ORGANISER)
def import_delegate_list(args, forum_id):
    """Import a delegate list (CSV or XLSX), all or nothing; ``dry_run=1`` only checks it.

    A person already on the list (same name, tone placement and case aside, at the same bridge
    point) is updated, not added. ``dry_run`` is also accepted in the query string.
    """
    forum, user = _organiser_forum(forum_id)
    upload = args['file']
    dry_run = _flag(request.form.get('dry_run')) or _flag(request.args.get('dry_run'))
    data = upload.read(_max_upload_bytes() + 1)
    if len(data) > _max_upload_bytes():
        raise ApiError(413, 'The file is too large.', code='too_large')
    try:
        inspect_list_file(data)  # a file that would cost too much to read is not even stored
    except FileLimitError as refusal:
        return _refused_file(str(refusal))
    job = submit_list_check(forum, data, upload.filename or '', user=user, commit=not dry_run)
    return answer_with(job, _checked_list, on_failure=_checked_list)


def _checked_list(job):
    """The summary of a checked (or imported) list, or 422 with every problem."""
    summary = job.summary
    if summary is None:  # failed before reading a row
        raise ApiError(422, job.error, code='import_invalid', details={'errors': []})
    if not summary['ok'] or job.state != JobState.DONE:
        return _rejected(summary, job.error)
    return {key: summary[key] for key in ('created', 'updated', 'unchanged', 'errors')}


def _flag(value: str | None) -> bool:
    # webargs reads one location per schema: the flag sits in the form, beside the file.
    return value is not None and value.strip().lower() in fields.Boolean.truthy


def _refused_file(message: str):
    """422 for a file refused before it was read: the one problem is the file's."""
    response = jsonify(
        {
            'error': {'code': 'file_limit', 'message': message},
            'errors': [{'row': None, 'column': None, 'message': message}],
        }
    )
    response.status_code = 422
    return response


def _rejected(summary: dict, reason: str = ''):
    errors = summary['errors']
    message = f'The list has {len(errors)} problem(s); nothing was imported.'
    if not errors and reason:  # the list changed since its preview, say
        message = reason
    response = jsonify(
        {
            'error': {
                'code': 'import_invalid',
                'message': message,
                'details': {'created': summary['created'], 'updated': summary['updated']},
            },
            'errors': errors,
        }
    )
    response.status_code = 422
    return response


def _export(forum_id: int, args: dict, file_format: str, mimetype: str):
    forum, _user = _organiser_forum(forum_id)
    venue = None
    if args.get('venue') is not None:
        venue = db.session.scalar(
            select(Venue).where(Venue.id == args['venue'], Venue.forum_id == forum.id)
        )
        if venue is None:
            raise ApiError(404, f'Forum {forum.id} has no bridge point {args["venue"]}.')
    job = submit_export(forum, file_format, venue=venue, user=_user, locale='vi', back='')
    return answer_with(job, file_response)


@bp.get('/forums/<int:forum_id>/delegates/export.xlsx')
@bp.arguments(ExportArgsSchema, location='query')
@bp.response(200, BINARY, content_type=XLSX_MIMETYPE, description='The list as XLSX.')
@bp.alt_response(403, schema=ErrorSchema, description='Not an organiser.')
@bp.alt_response(404, schema=ErrorSchema, description='No such forum or bridge point.')
@for_roles(UserRole.ORGANISER)
def export_delegates_xlsx(args, forum_id):
    """The delegate list as XLSX, in Vietnamese name order, with the headers the import reads."""
    return _export(forum_id, args, 'xlsx', XLSX_MIMETYPE)


@bp.get('/forums/<int:forum_id>/delegates/export.csv')
@bp.arguments(ExportArgsSchema, location='query')
@bp.response(200, BINARY, content_type='text/csv', description='The list as CSV, UTF-8 with BOM.')
@bp.alt_response(403, schema=ErrorSchema, description='Not an organiser.')
@bp.alt_response(404, schema=ErrorSchema, description='No such forum or bridge point.')
@for_roles(UserRole.ORGANISER)
def export_delegates_csv(args, forum_id):
    """The delegate list as CSV in UTF-8 with a BOM, so that Excel shows the accents."""
    return _export(forum_id, args, 'csv', CSV_MIMETYPE)
