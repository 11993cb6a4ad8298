"""Organisers' pages for delegate lists: the list, import with a preview, export."""

from types import SimpleNamespace

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from forum.auth.models import UserRole
from forum.auth.permissions import roles_required, visible_forum_or_404, visible_venue_ids
from forum.delegates import bp
from forum.delegates.forms import ConfirmImportForm, ImportUploadForm
from forum.delegates.jobs import (
    IMPORT_JOB,
    PREVIEW_JOB,
    submit_export,
    submit_import_of_preview,
    submit_list_check,
)
from forum.delegates.limits import FileLimitError, inspect_list_file
from forum.delegates.services import ImportAction, delegates_query
from forum.delegates.uploads import DEFAULT_MAX_UPLOAD_BYTES
from forum.extensions import db
from forum.jobs.models import Job, JobState
from forum.jobs.pages import offer_or_start_job
from forum.jobs.services import can_view_job, find_job
from forum.pagination import paginate
from forum.request_args import id_arg
from forum.tiers.models import Venue, tier_rank

__all__ = ['bp']

PER_PAGE = 50
UPLOAD_ENDPOINT = 'delegates.import_list'


def _max_upload_bytes() -> int:
    return current_app.config.get('DELEGATE_IMPORT_MAX_BYTES', DEFAULT_MAX_UPLOAD_BYTES)


@bp.url_value_preprocessor
def _limit_list_uploads(endpoint, _values):
    # Runs before CSRF protection reads the form, so the limit applies to that read too.
    if endpoint == UPLOAD_ENDPOINT and request.method == 'POST':
        request.max_content_length = _max_upload_bytes() + 64 * 1024


@bp.errorhandler(RequestEntityTooLarge)
def _list_too_large(error):
    if not (current_user.is_authenticated and current_user.is_organiser):
        return render_template('error.html', error=error, status=413), 413
    forum = visible_forum_or_404(request.view_args['forum_id'])
    return _upload_page(forum, ImportUploadForm(formdata=None), _too_large_message()), 413


def _too_large_message() -> str:
    return _(
        'Tệp lớn quá %(size)d MB; hãy chia danh sách thành nhiều tệp.',
        size=_max_upload_bytes() // (1024 * 1024),
    )


def _visible_venues(forum) -> list[Venue]:
    query = select(Venue).where(Venue.forum_id == forum.id)
    visible = visible_venue_ids(current_user, forum)
    if visible is not None:
        query = query.where(Venue.id.in_(visible))
    return list(db.session.scalars(query.order_by(tier_rank(Venue.tier), Venue.unit_code)))


@bp.route('/forums/<int:forum_id>/delegates')
@login_required
def list_delegates(forum_id: int):
    forum = visible_forum_or_404(forum_id)
    venue_id = id_arg(request.args, 'venue')
    name_query = request.args.get('q', '').strip()
    query = delegates_query(
        forum.id,
        venue_ids=visible_venue_ids(current_user, forum),
        venue_id=venue_id,
        name_query=name_query,
    )
    page = paginate(query, max(1, request.args.get('page', 1, type=int)), PER_PAGE)
    return render_template(
        'delegates/list.html',
        forum=forum,
        page=page,
        venues=_visible_venues(forum),
        venue_id=venue_id,
        q=name_query,
    )


def _upload_page(forum, form, message: str | None = None):
    return render_template(
        'delegates/import.html', forum=forum, form=form, result=None, message=message
    )


def _preview_page(forum, preview: Job, *, warning: str | None = None, status: int = 200):
    summary = preview.summary or {}
    result = PreviewView(summary)
    confirm = None
    # A preview, or an import refused because the list changed since: offer to import the
    # previewed file with what it would do now.
    source_id = preview.id if preview.kind == PREVIEW_JOB else preview.params.get('source_job_id')
    if result.ok and source_id:
        confirm = ConfirmImportForm(formdata=None)
        confirm.token.data = str(source_id)
        confirm.expected_created.data = result.created
        confirm.expected_updated.data = result.updated
    return render_template(
        'delegates/import.html',
        forum=forum,
        form=ImportUploadForm(formdata=None),
        result=result,
        shown_rows=result.rows,
        confirm=confirm,
        warning=warning,
        Action=ImportAction,
    ), status


class PreviewView:
    """A checked list, read back from its job's summary, as the preview page shows it."""

    def __init__(self, summary: dict):
        self.filename = summary.get('filename', '')
        self.ok = summary.get('ok', False)
        self.created = summary.get('created', 0)
        self.updated = summary.get('updated', 0)
        self.unchanged = summary.get('unchanged', 0)
        self.errors = [SimpleNamespace(**problem) for problem in summary.get('errors', [])]
        self.column_names = summary.get('column_names', {})
        self.columns_found = summary.get('columns_found', [])
        self.rows = [
            SimpleNamespace(
                row=row['row'],
                action=ImportAction(row['action']),
                full_name=row['full_name'],
                venue_name=row['venue_name'],
                values=row['values'],
                changes={column: tuple(change) for column, change in row['changes'].items()},
            )
            for row in summary.get('rows', [])
        ]


def _own_job_or_404(forum, job_id: int | None, kinds: tuple[str, ...]) -> Job:
    job = find_job(job_id) if job_id else None
    if job is None or job.forum_id != forum.id or job.kind not in kinds:
        abort(404)
    if not can_view_job(current_user, job):
        abort(403)
    return job


@bp.route('/forums/<int:forum_id>/delegates/import', methods=['GET', 'POST'])
@roles_required(UserRole.ORGANISER)
def import_list(forum_id: int):
    """The upload: the list is checked by a job; its page leads to the preview."""
    forum = visible_forum_or_404(forum_id)
    form = ImportUploadForm()
    if not form.validate_on_submit():
        return _upload_page(forum, form), (422 if form.is_submitted() else 200)
    upload = form.file.data
    data = upload.read(_max_upload_bytes() + 1)
    if len(data) > _max_upload_bytes():
        return _upload_page(forum, form, _too_large_message()), 413
    try:
        inspect_list_file(data)  # a file that would cost too much to read is not even stored
    except FileLimitError as refusal:
        return _upload_page(forum, form, str(refusal)), 422
    job = submit_list_check(
        forum, data, upload.filename or '', user=current_user, commit=False,
        leads_to=lambda job_id: url_for('delegates.import_preview', forum_id=forum.id,
                                        job_id=job_id),
    )  # fmt: skip
    return redirect(url_for('jobs.show', job_id=job.id), 303)


@bp.route('/forums/<int:forum_id>/delegates/import/<int:job_id>')
@roles_required(UserRole.ORGANISER)
def import_preview(forum_id: int, job_id: int):
    """What a checked list would change, with the button that imports it."""
    forum = visible_forum_or_404(forum_id)
    job = _own_job_or_404(forum, job_id, (PREVIEW_JOB, IMPORT_JOB))
    if not job.is_finished:
        return redirect(url_for('jobs.show', job_id=job.id))
    if job.summary is None:  # failed before it could read the list
        return _upload_page(forum, ImportUploadForm(formdata=None), job.error), 422
    if not job.summary.get('ok'):
        return _preview_page(forum, job, status=422)
    if job.state == JobState.FAILED:  # the list changed since its preview
        return _preview_page(forum, job, warning=job.error, status=409)
    return _preview_page(forum, job)


@bp.route('/forums/<int:forum_id>/delegates/import/confirm', methods=['POST'])
@roles_required(UserRole.ORGANISER)
def confirm_import(forum_id: int):
    """Import the previewed list, expecting what the preview showed."""
    forum = visible_forum_or_404(forum_id)
    form = ConfirmImportForm()
    preview = None
    token = form.token.data or ''
    if form.validate_on_submit() and token.isascii() and token.isdecimal() and len(token) < 19:
        preview = find_job(int(token))
    if (
        preview is None
        or preview.forum_id != forum.id
        or preview.kind != PREVIEW_JOB
        or preview.created_by_id != current_user.id
        or preview.state != JobState.DONE
    ):
        flash(_('Không còn tệp đã xem trước; hãy tải danh sách lên lại.'), 'warning')
        return redirect(url_for(UPLOAD_ENDPOINT, forum_id=forum.id))
    expected = (form.expected_created.data, form.expected_updated.data)
    job = submit_import_of_preview(
        preview, user=current_user, expected=expected,
        leads_to=lambda job_id: url_for('delegates.import_done', forum_id=forum.id, job_id=job_id),
    )  # fmt: skip
    return redirect(url_for('jobs.show', job_id=job.id), 303)


@bp.route('/forums/<int:forum_id>/delegates/import/<int:job_id>/done')
@roles_required(UserRole.ORGANISER)
def import_done(forum_id: int, job_id: int):
    """After the import: its counts, on the delegate list; a failure shows the preview again."""
    forum = visible_forum_or_404(forum_id)
    job = _own_job_or_404(forum, job_id, (IMPORT_JOB,))
    if not job.is_finished:
        return redirect(url_for('jobs.show', job_id=job.id))
    if job.state == JobState.FAILED:
        return import_preview(forum_id, job_id)
    summary = job.summary
    flash(
        _(
            'Đã nhập danh sách: %(created)d đại biểu mới, %(updated)d cập nhật, '
            '%(unchanged)d không đổi.',
            created=summary['created'],
            updated=summary['updated'],
            unchanged=summary['unchanged'],
        ),
        'success',
    )
    return redirect(url_for('delegates.list_delegates', forum_id=forum.id))


def _export(forum_id: int, file_format: str):
    forum = visible_forum_or_404(forum_id)
    venue = None
    if (venue_id := id_arg(request.values, 'venue')) is not None:
        venue = db.session.scalar(
            select(Venue).where(Venue.id == venue_id, Venue.forum_id == forum.id)
        ) or abort(404)
    back = url_for('delegates.list_delegates', forum_id=forum.id, venue=venue_id)
    return offer_or_start_job(
        title=_('Xuất danh sách đại biểu'),
        description=_('Tệp %(format)s của danh sách sẽ được tạo; trang sau có nút tải về.',
                      format=file_format.upper()),
        start=lambda: submit_export(forum, file_format, venue=venue, user=current_user,
                                    locale=str(get_locale()), back=back),
        back=back,
    )  # fmt: skip


@bp.route('/forums/<int:forum_id>/delegates/export.xlsx', methods=['GET', 'POST'])
@roles_required(UserRole.ORGANISER)
def export_xlsx(forum_id: int):
    return _export(forum_id, 'xlsx')


@bp.route('/forums/<int:forum_id>/delegates/export.csv', methods=['GET', 'POST'])
@roles_required(UserRole.ORGANISER)
def export_csv(forum_id: int):
    return _export(forum_id, 'csv')
