"""Organisers' pages for delegate lists: the list, import with a preview, export."""

import io
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from forum.auth.models import UserRole
from forum.auth.permissions import roles_required, visible_forum_or_404, visible_venue_ids
from forum.delegates import bp
from forum.delegates.exporting import CSV_MIMETYPE, XLSX_MIMETYPE, export_filename
from forum.delegates.forms import ConfirmImportForm, ImportUploadForm
from forum.delegates.services import (
    ImportAction,
    delegates_query,
    export_delegates,
    import_delegates,
)
from forum.delegates.uploads import (
    DEFAULT_MAX_UPLOAD_BYTES,
    discard_upload,
    load_upload,
    save_upload,
)
from forum.extensions import db
from forum.pagination import paginate
from forum.tiers.models import Venue, tier_rank

__all__ = ['bp']

PER_PAGE = 50
PREVIEW_ROWS = 1000  # rows listed on the preview page; the counts cover them all
UPLOAD_ENDPOINT = 'delegates.import_list'


def _max_upload_bytes() -> int:
    return current_app.config.get('DELEGATE_IMPORT_MAX_BYTES', DEFAULT_MAX_UPLOAD_BYTES)


def _upload_directory() -> Path:
    configured = current_app.config.get('DELEGATE_IMPORT_FOLDER')
    return Path(configured or Path(current_app.instance_path) / 'uploads' / 'delegate-lists')


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
    venue_id = request.args.get('venue', type=int)
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


def _preview_page(forum, result, token: str | None, *, warning: str | None = None):
    confirm = ConfirmImportForm(formdata=None)
    confirm.token.data = token
    confirm.expected_created.data = result.created
    confirm.expected_updated.data = result.updated
    shown = [o for o in result.rows if o.action != ImportAction.UNCHANGED][:PREVIEW_ROWS]
    return render_template(
        'delegates/import.html',
        forum=forum,
        form=ImportUploadForm(formdata=None),
        result=result,
        shown_rows=shown,
        confirm=confirm if result.ok and token else None,
        warning=warning,
        Action=ImportAction,
    )


@bp.route('/forums/<int:forum_id>/delegates/import', methods=['GET', 'POST'])
@roles_required(UserRole.ORGANISER)
def import_list(forum_id: int):
    forum = visible_forum_or_404(forum_id)
    form = ImportUploadForm()
    if not form.validate_on_submit():
        return _upload_page(forum, form), (422 if form.is_submitted() else 200)
    upload = form.file.data
    data = upload.read(_max_upload_bytes() + 1)
    if len(data) > _max_upload_bytes():
        return _upload_page(forum, form, _too_large_message()), 413
    filename = upload.filename or ''
    result = import_delegates(forum, data, filename, dry_run=True, user=current_user)
    db.session.rollback()  # a preview writes nothing; end its transaction
    token = None
    if result.ok:
        token = save_upload(
            _upload_directory(),
            data,
            filename=filename,
            forum_id=forum.id,
            user_id=current_user.id,
        )
    return _preview_page(forum, result, token), (200 if result.ok else 422)


@bp.route('/forums/<int:forum_id>/delegates/import/confirm', methods=['POST'])
@roles_required(UserRole.ORGANISER)
def confirm_import(forum_id: int):
    forum = visible_forum_or_404(forum_id)
    form = ConfirmImportForm()
    directory = _upload_directory()
    upload = None
    if form.validate_on_submit():
        upload = load_upload(directory, form.token.data, forum_id=forum.id, user_id=current_user.id)
    if upload is None:
        flash(_('Không còn tệp đã xem trước; hãy tải danh sách lên lại.'), 'warning')
        return redirect(url_for(UPLOAD_ENDPOINT, forum_id=forum.id))
    result = import_delegates(forum, upload.data, upload.filename, dry_run=False, user=current_user)
    expected = (form.expected_created.data, form.expected_updated.data)
    if not result.ok or (result.created, result.updated) != expected:
        db.session.rollback()
        if not result.ok:
            discard_upload(directory, upload.token)
        warning = _('Danh sách đại biểu đã thay đổi từ lúc xem trước; hãy xem lại rồi nhập.')
        return _preview_page(forum, result, upload.token if result.ok else None, warning=warning), (
            409 if result.ok else 422
        )
    db.session.commit()
    discard_upload(directory, upload.token)
    flash(
        _(
            'Đã nhập danh sách: %(created)d đại biểu mới, %(updated)d cập nhật, '
            '%(unchanged)d không đổi.',
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
        ),
        'success',
    )
    return redirect(url_for('delegates.list_delegates', forum_id=forum.id))


def _export(forum_id: int, file_format: str, mimetype: str):
    forum = visible_forum_or_404(forum_id)
    venue = None
    if (venue_id := request.args.get('venue', type=int)) is not None:
        venue = db.session.scalar(
            select(Venue).where(Venue.id == venue_id, Venue.forum_id == forum.id)
        ) or abort(404)
    data = export_delegates(forum, file_format, venue_id=venue.id if venue else None)
    return send_file(
        io.BytesIO(data),
        mimetype=mimetype,
        as_attachment=True,
        download_name=export_filename(forum.id, venue.unit_code if venue else None, file_format),
    )


@bp.route('/forums/<int:forum_id>/delegates/export.xlsx')
@roles_required(UserRole.ORGANISER)
def export_xlsx(forum_id: int):
    return _export(forum_id, 'xlsx', XLSX_MIMETYPE)


@bp.route('/forums/<int:forum_id>/delegates/export.csv')
@roles_required(UserRole.ORGANISER)
def export_csv(forum_id: int):
    return _export(forum_id, 'csv', CSV_MIMETYPE)
