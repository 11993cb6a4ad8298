"""Delegate-list work done by the job worker: checking a list (the preview), importing it,
exporting the list. The uploaded file rides on the preview job's row, so the worker (which may
run on another machine) reads it from the database, and the import reads the very bytes that
were previewed."""

import logging

from flask_babel import force_locale
from flask_babel import gettext as _

from forum.delegates.exporting import CSV_MIMETYPE, XLSX_MIMETYPE, export_filename
from forum.delegates.importing import ImportProblem, ParsedList, parse_delegate_list
from forum.delegates.services import (
    ImportAction,
    ImportResult,
    apply_delegate_list,
    delegate_list_file,
    venue_refs,
)
from forum.extensions import db
from forum.forums.models import Forum
from forum.jobs.models import Job
from forum.jobs.runner import JobFailed, JobResult, job_handler
from forum.jobs.sandbox import LimitExceeded, run_limited
from forum.jobs.services import queue_job, submit_job
from forum.tiers.models import Venue

logger = logging.getLogger(__name__)

PREVIEW_JOB = 'delegates_preview'
IMPORT_JOB = 'delegates_import'
EXPORT_JOB = 'delegates_export'
PREVIEW_ROWS = 1000  # rows listed on the preview page; the counts cover them all


def submit_list_check(
    forum: Forum,
    data: bytes,
    filename: str,
    *,
    user,
    commit: bool,
    leads_to=None,
) -> Job:
    """Queue a list: only checked (the preview), or checked and imported (``commit``)."""
    job = Job(
        kind=IMPORT_JOB if commit else PREVIEW_JOB,
        forum_id=forum.id,
        created_by_id=user.id,
        params={'filename': filename, 'label': filename},
        file_name=filename,
        file_size=len(data),
        file_content=data,
    )  # fmt: skip
    return queue_job(job, leads_to=leads_to)


def submit_import_of_preview(preview: Job, *, user, expected: tuple[int, int],
                             leads_to) -> Job:  # fmt: skip
    """Queue the import of a list that was previewed: the same bytes, the same counts."""
    job = Job(
        kind=IMPORT_JOB,
        forum_id=preview.forum_id,
        created_by_id=user.id,
        params={'filename': preview.file_name, 'label': preview.file_name,
                'source_job_id': preview.id, 'expected': list(expected)},
    )  # fmt: skip
    return queue_job(job, leads_to=leads_to)


def _list_bytes(ctx) -> tuple[bytes, str]:
    source_id = ctx.params.get('source_job_id') or ctx.job_id
    source = db.session.get(Job, source_id)
    if source is None or source.file_content is None:
        raise JobFailed(_('Không còn tệp đã xem trước; hãy tải danh sách lên lại.'))
    return source.file_content, source.file_name


def _checked(ctx, *, commit: bool) -> ImportResult:
    with ctx.reading():
        data, filename = _list_bytes(ctx)
        venues = venue_refs(ctx.forum_id)
    ctx.start(1, 'rows')
    parsed = _parse_in_child(ctx, data, filename, venues)  # no transaction open: CPU only
    ctx.start(len(parsed.rows), 'rows')
    if not commit:
        with ctx.reading():
            result = apply_delegate_list(_forum(ctx), parsed, filename, dry_run=True)
        ctx.advance(len(parsed.rows), force=True)
        return result
    return _import(ctx, parsed, filename)


def _parse_in_child(ctx, data: bytes, filename: str, venues) -> ParsedList:
    """Parse the list in a child process held to the configured memory and time: a crafted
    file costs the worker nothing, and is refused naming the limit it hit."""
    config = ctx.app.config
    try:
        return run_limited(
            parse_delegate_list, data, filename, venues,
            memory_mb=config['IMPORT_MEMORY_MB'], seconds=config['IMPORT_SECONDS'],
        )  # fmt: skip
    except LimitExceeded as refusal:
        return ParsedList(problems=[ImportProblem(None, None, refusal.message)])


def _import(ctx, parsed, filename) -> ImportResult:
    with ctx.writing():
        forum = _forum(ctx)
        user = _user(ctx)
        result = apply_delegate_list(forum, parsed, filename, dry_run=False, user=user)
        if not result.ok:
            raise JobFailed(_problems_message(result), summary=preview_summary(result))
        expected = ctx.params.get('expected')
        if expected and [result.created, result.updated] != list(expected):
            raise JobFailed(
                _('Danh sách đại biểu đã thay đổi từ lúc xem trước; hãy xem lại rồi nhập.'),
                summary=preview_summary(result),
            )
        # Done in the transaction that writes the rows: all or nothing.
        ctx.record_result(JobResult(summary=preview_summary(result)), progress=len(parsed.rows))
    return result


def _forum(ctx) -> Forum:
    forum = db.session.get(Forum, ctx.forum_id)
    if forum is None:
        raise JobFailed(_('Hội nghị không còn nữa.'))
    return forum


def _user(ctx):
    from forum.auth.models import User

    return db.session.get(User, ctx.user_id) if ctx.user_id else None


def _problems_message(result: ImportResult) -> str:
    return _(
        'Danh sách có %(count)d lỗi nên chưa nhập được đại biểu nào.', count=len(result.errors)
    )


def preview_summary(result: ImportResult) -> dict:
    """What the preview page and the API show of a checked list (JSON)."""
    shown = [o for o in result.rows if o.action != ImportAction.UNCHANGED][:PREVIEW_ROWS]
    return {
        'filename': result.filename,
        'ok': result.ok,
        'created': result.created,
        'updated': result.updated,
        'unchanged': result.unchanged,
        'errors': [problem.as_dict() for problem in result.errors],
        'column_names': {str(column): name for column, name in result.column_names.items()},
        'columns_found': result.columns_found,
        'rows': [
            {
                'row': o.row,
                'action': o.action.value,
                'full_name': o.full_name,
                'venue_name': o.venue_name,
                'values': {str(c): _plain(v) for c, v in o.values.items()},
                'changes': {str(c): [_plain(a), _plain(b)] for c, (a, b) in o.changes.items()},
            }
            for o in shown
        ],
    }


def _plain(value):
    return value.value if hasattr(value, 'value') else value


@job_handler(PREVIEW_JOB)
def check_delegate_list(ctx) -> JobResult:
    """The preview: every row checked against the forum's list; nothing written. The file
    stays on the job's row for the import that may follow."""
    result = _checked(ctx, commit=False)
    with ctx.reading():
        data, filename = _list_bytes(ctx)
    return JobResult(file_name=filename, content=data, summary=preview_summary(result))


@job_handler(IMPORT_JOB)
def import_delegate_list(ctx) -> JobResult:
    """The import: checked and written in one transaction, with the job marked done in it."""
    result = _checked(ctx, commit=True)
    return JobResult(summary=preview_summary(result))


# The export ----------------------------------------------------------------------------------


def submit_export(forum: Forum, file_format: str, *, venue: Venue | None, user, locale: str,
                  back: str) -> Job:  # fmt: skip
    """Queue the list as XLSX or CSV (of the forum, or of one bridge point)."""
    file_name = export_filename(forum.id, venue.unit_code if venue else None, file_format)
    params = {'format': file_format, 'venue_id': venue.id if venue else None, 'locale': locale,
              'file_name': file_name, 'label': file_name, 'back': back}  # fmt: skip
    return submit_job(EXPORT_JOB, user=user, forum_id=forum.id, params=params)


@job_handler(EXPORT_JOB)
def export_delegate_list(ctx) -> JobResult:
    """Read the rows, write the spreadsheet."""
    from forum.delegates.services import delegate_export_rows

    params = ctx.params
    with force_locale(params.get('locale') or 'vi'), ctx.reading():
        rows = delegate_export_rows(_forum(ctx), venue_id=params.get('venue_id'))
    ctx.start(len(rows), 'rows')
    data = delegate_list_file(rows, params['format'])
    ctx.advance(len(rows), force=True)
    mimetype = XLSX_MIMETYPE if params['format'] == 'xlsx' else CSV_MIMETYPE
    return JobResult(file_name=params['file_name'], file_type=mimetype, content=data)
