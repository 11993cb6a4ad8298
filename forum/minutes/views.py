"""The secretariat's page: the draft (saved as it is typed), previews and Word exports of both
documents, issuing them, and every issued PDF as it was issued."""

from flask import (
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import to_user_timezone
from flask_login import current_user

from forum.auth.permissions import SECRETARIAT_ROLES, roles_required, visible_forum_or_404
from forum.db_types import utcnow
from forum.errors import answers_json
from forum.extensions import db
from forum.forums.models import Forum
from forum.jobs.forms import StartJobForm
from forum.jobs.models import JobState
from forum.jobs.pages import offer_or_start_job
from forum.jobs.services import find_job
from forum.minutes import bp
from forum.minutes.draft_input import MinutesError, parse_draft, payload_from_form
from forum.minutes.drafts import draft_for, revisions_of, save_draft, snapshot_of
from forum.minutes.facts import local_date
from forum.minutes.issuing import ISSUE_STATUSES, issued_documents, notice_deadline, notice_reminder
from forum.minutes.jobs import ISSUE_JOB, submit_draft_document, submit_issue
from forum.minutes.models import DocumentKind, IssuedDocument

FILE_NAMES = {DocumentKind.MINUTES: 'bien-ban', DocumentKind.NOTICE: 'thong-bao-ket-luan'}


def _local_clock(moment) -> str:
    return to_user_timezone(moment).strftime('%H:%M') if moment else ''


def _page(forum: Forum, *, values: dict | None = None, error: MinutesError | None = None,
          status: int = 200):  # fmt: skip
    draft = draft_for(forum, current_user)
    revisions = revisions_of(draft)
    documents = issued_documents(forum)
    return render_template(
        'minutes/page.html',
        forum=forum,
        draft=draft,
        values=values or snapshot_of(draft),
        error=error,
        revisions=revisions,
        issued_from=_issued_from(documents),
        documents=documents,
        can_issue=forum.status in ISSUE_STATUSES,
        deadline=notice_deadline(forum),
        reminder=notice_reminder(forum, local_date(utcnow())),
        saved_at=_local_clock(draft.updated_at) if draft.id else '',
        kinds=list(DocumentKind),
    ), status


@bp.route('/forums/<int:forum_id>/minutes', methods=['GET', 'POST'])
@roles_required(*SECRETARIAT_ROLES)
def secretariat_page(forum_id: int):
    """The page; a POST is the form's own "Lưu" button, for browsers without JavaScript."""
    forum = visible_forum_or_404(forum_id)
    if request.method == 'GET':
        return _page(forum)
    payload = payload_from_form(request.form)
    try:
        lock_version = int(request.form.get('lock_version') or 0)
        save_draft(forum, parse_draft(payload), user=current_user, now=utcnow(),
                   lock_version=lock_version)  # fmt: skip
    except ValueError:
        abort(400)
    except MinutesError as error:
        flash(error.message, 'danger')
        return _page(forum, values=payload, error=error, status=error.status)
    flash(_('Đã lưu bản nháp.'), 'success')
    return redirect(url_for('minutes.secretariat_page', forum_id=forum.id))


@bp.route('/forums/<int:forum_id>/minutes/draft', methods=['POST'])
@roles_required(*SECRETARIAT_ROLES)
@answers_json
def autosave(forum_id: int):
    """The page's script saves the draft here as it is typed (JSON, CSRF token in a header)."""
    forum = visible_forum_or_404(forum_id)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise MinutesError('invalid', _('Dữ liệu gửi lên không đúng dạng.'))
    lock_version = payload.get('lock_version')
    if lock_version is not None and (
        not isinstance(lock_version, int) or isinstance(lock_version, bool)
    ):
        raise MinutesError('invalid', _('Dữ liệu gửi lên không đúng dạng.'))
    outcome = save_draft(forum, parse_draft(payload), user=current_user, now=utcnow(),
                         lock_version=lock_version)  # fmt: skip
    draft = outcome.draft
    return jsonify(
        {
            'changed': outcome.changed,
            'lock_version': draft.lock_version,
            'revision': outcome.revision.number,
            'saved_at': draft.updated_at.isoformat(),
            'saved_at_text': _local_clock(draft.updated_at),
            'history_html': render_template(
                'minutes/_history.html',
                revisions=revisions_of(draft),
                issued_from=_issued_from(issued_documents(forum)),
            ),
        }
    )


def _issued_from(documents: list[IssuedDocument]) -> dict:
    """The documents issued from each revision, by revision id."""
    issued_from: dict = {}
    for document in documents:
        issued_from.setdefault(document.revision_id, []).append(document)
    return issued_from


@bp.route(
    '/forums/<int:forum_id>/minutes/preview/<any(minutes, notice):kind>.<any(pdf, docx):fmt>',
    methods=['GET', 'POST'],
)
@roles_required(*SECRETARIAT_ROLES)
def preview(forum_id: int, kind: str, fmt: str):
    """The document as the draft stands: PDF to read (or download), .docx to finish in Word;
    made by a job, downloaded from its page."""
    forum = visible_forum_or_404(forum_id)
    kind = DocumentKind(kind)
    back = url_for('minutes.secretariat_page', forum_id=forum.id)
    name = _('biên bản') if kind == DocumentKind.MINUTES else _('thông báo kết luận')
    return offer_or_start_job(
        title=_('Dự thảo %(kind)s (%(format)s)', kind=name, format=fmt.upper()),
        description=_('Văn bản được tạo từ bản nháp hiện tại; trang sau có nút tải về.'),
        start=lambda: submit_draft_document(forum, kind, fmt, user=current_user, back=back),
        back=back,
    )


@bp.route('/forums/<int:forum_id>/minutes/issue/<any(minutes, notice):kind>', methods=['POST'])
@roles_required(*SECRETARIAT_ROLES)
def issue(forum_id: int, kind: str):
    """Issue the minutes or the notice as the draft stands (a job: its page shows the outcome)."""
    forum = visible_forum_or_404(forum_id)
    if not StartJobForm().validate_on_submit():
        abort(400)
    job = submit_issue(
        forum, DocumentKind(kind), user=current_user,
        leads_to=lambda job_id: url_for('minutes.issue_outcome', forum_id=forum.id, job_id=job_id),
    )  # fmt: skip
    return redirect(url_for('jobs.show', job_id=job.id), 303)


@bp.route('/forums/<int:forum_id>/minutes/issued-by/<int:job_id>')
@roles_required(*SECRETARIAT_ROLES)
def issue_outcome(forum_id: int, job_id: int):
    """Where an issuing job leads: what it issued, or why not, on the secretariat's page."""
    forum = visible_forum_or_404(forum_id)
    job = find_job(job_id)
    if job is None or job.forum_id != forum.id or job.kind != ISSUE_JOB:
        abort(404)
    if not job.is_finished:
        return redirect(url_for('jobs.show', job_id=job.id))
    if job.state == JobState.FAILED:
        flash(job.error, 'danger')
    else:
        summary = job.summary
        kind = DocumentKind(summary['kind'])
        flash(
            _('Đã ban hành %(kind)s số %(number)s, phiên bản %(version)s.',
              kind=_('biên bản') if kind == DocumentKind.MINUTES else _('thông báo kết luận'),
              number=summary['number'], version=summary['version']),
            'success',
        )  # fmt: skip
    return redirect(url_for('minutes.secretariat_page', forum_id=forum.id) + '#issued')


@bp.route('/forums/<int:forum_id>/minutes/issued/<int:document_id>.pdf')
@roles_required(*SECRETARIAT_ROLES)
def issued_pdf(forum_id: int, document_id: int):
    """An issued document, byte for byte as it was issued."""
    forum = visible_forum_or_404(forum_id)
    document = db.session.get(IssuedDocument, document_id)
    if document is None or document.forum_id != forum.id:
        abort(404)
    number = document.number.replace('/', '-')
    name = f'{FILE_NAMES[document.kind]}-{number}-v{document.version}.pdf'
    response = _file(document.pdf, 'application/pdf', name, attachment=True)
    response.set_etag(document.sha256)
    return response


def _file(data: bytes, mimetype: str, name: str, *, attachment: bool) -> Response:
    disposition = 'attachment' if attachment else 'inline'
    response = Response(data, mimetype=mimetype)
    response.headers['Content-Disposition'] = f'{disposition}; filename="{name}"'
    response.headers['Cache-Control'] = 'private, no-store'
    return response


@bp.app_template_global('notice_reminder_for')
def notice_reminder_for(forum: Forum):
    """For the forum's page: the notice's deadline until a notice is issued."""
    return notice_reminder(forum, local_date(utcnow()))


@bp.app_template_global('can_write_minutes')
def can_write_minutes(user) -> bool:
    """Whether ``user`` works on the minutes (secretaries, organisers, admins)."""
    return user.is_authenticated and user.role in SECRETARIAT_ROLES


@bp.app_template_filter('minutes_local')
def minutes_local(moment) -> str:
    """A UTC timestamp as ``HH:MM dd/mm/yyyy`` in the forum's local time."""
    return to_user_timezone(moment).strftime('%H:%M %d/%m/%Y') if moment else ''
