"""The delegate's own page (opened from the QR code) and the organisers' invitation pages."""

import uuid

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.auth.models import UserRole
from forum.auth.permissions import roles_required, visible_forum_or_404, visible_venue_ids
from forum.checkin.services import delegate_checkin
from forum.db_types import utcnow
from forum.delegates.models import Delegate
from forum.extensions import db, socketio
from forum.invitations import bp
from forum.invitations.codes import find_by_code, reissue_code
from forum.invitations.dashboard import invitation_dashboard
from forum.invitations.emails import delegate_calendar
from forum.invitations.forms import ConfirmForm, MailBatchForm, MailConfirmForm, RsvpForm
from forum.invitations.jobs import (
    RecipientsChanged,
    confirm_mail_batch,
    count_invitations,
    invitation_filters,
    invitations_now,
    latest_jobs,
    made_by_a_job,
    start_mail_job,
    submit_invitation_pdf,
)
from forum.invitations.links import delegate_page_url
from forum.invitations.mailing import (
    MailError,
    job_progress,
    recipients_for,
    retry_failed_deliveries,
)
from forum.invitations.models import DeliveryStatus, MailJob, MailKind
from forum.invitations.qr_svg import qr_svg
from forum.invitations.rsvp import RsvpError, answer_invitation, mark_invitation_opened
from forum.jobs.pages import offer_or_start_job
from forum.qa.views import delegate_queue_context
from forum.ratelimits import check_code_lookup, record_failed_code_lookup
from forum.request_args import id_arg
from forum.tiers.models import Tier
from forum.unit_of_work import refused


def _public_url() -> str:
    return current_app.config['PUBLIC_URL']


def _delegate_by_code_or_404(code: str) -> Delegate:
    """The delegate whose invitation code this is. Only the 128-bit code opens the delegate's
    pages: the 8-letter short code is for the door, where an operator types it."""
    check_code_lookup()
    lookup = find_by_code(code, allow_short_code=False)
    if lookup.delegate is None:
        record_failed_code_lookup()
        if lookup.revoked is not None:
            abort(410)
        abort(404)
    return lookup.delegate


# The delegate's page -----------------------------------------------------------------------


@bp.route('/i/<code>')
def delegate_page(code: str):
    delegate = _delegate_by_code_or_404(code)
    mark_invitation_opened(delegate, now=utcnow())
    form = RsvpForm(answer=delegate.rsvp.value if delegate.rsvp.value != 'none' else None,
                    substitute_name=delegate.substitute_name,
                    substitute_position=delegate.substitute_position)  # fmt: skip
    return _render_delegate_page(delegate, form)


def _render_delegate_page(delegate: Delegate, form: RsvpForm, status: int = 200):
    page_url = delegate_page_url(_public_url(), delegate.code)
    return render_template(
        'invitations/delegate_page.html',
        delegate=delegate,
        forum=delegate.forum,
        venue=delegate.venue,
        form=form,
        qr=qr_svg(page_url),
        checkin=delegate_checkin(delegate),
        qa=delegate_queue_context(delegate),
    ), status


@bp.route('/i/<code>/rsvp', methods=['POST'])
def answer(code: str):
    delegate = _delegate_by_code_or_404(code)
    form = RsvpForm()
    if form.validate_on_submit():
        try:
            answer_invitation(delegate, form.answer.data, now=utcnow(),
                              substitute_name=form.substitute_name.data or '',
                              substitute_position=form.substitute_position.data or '')  # fmt: skip
        except RsvpError as error:
            flash(str(error), 'danger')  # the page again, with 422: nothing of it is kept
        else:
            flash(_('Cảm ơn, Ban Tổ chức đã nhận được trả lời của Quý đại biểu.'), 'success')
            return redirect(url_for('invitations.delegate_page', code=delegate.code))
    return _render_delegate_page(delegate, form, 422)


@bp.route('/i/<code>/giay-moi.pdf')
def delegate_pdf(code: str):
    from forum.invitations.services import invitation_pdf

    delegate = _delegate_by_code_or_404(code)
    pdf = invitation_pdf(delegate.forum, base_url=_public_url(), delegate_ids=[delegate.id])
    return current_app.response_class(
        pdf,
        mimetype='application/pdf',
        headers={'Content-Disposition': 'inline; filename="giay-moi.pdf"'},
    )


@bp.route('/i/<code>/hoi-nghi.ics')
def delegate_ics(code: str):
    delegate = _delegate_by_code_or_404(code)
    return current_app.response_class(
        delegate_calendar(delegate, base_url=_public_url()),
        mimetype='text/calendar',
        headers={'Content-Disposition': 'attachment; filename="hoi-nghi.ics"'},
    )


# The organisers' pages ----------------------------------------------------------------------


@bp.route('/forums/<int:forum_id>/invitations')
@login_required
def dashboard(forum_id: int):
    forum = visible_forum_or_404(forum_id)
    jobs = latest_jobs(forum)
    return render_template(
        'invitations/dashboard.html',
        forum=forum,
        dashboard=invitation_dashboard(forum, venue_ids=visible_venue_ids(current_user, forum)),
        jobs=[(job, job_progress(job)) for job in jobs],
        failures={job.id: [d for d in job.deliveries if d.status == DeliveryStatus.FAILED]
                  for job in jobs},
        mail_form=MailBatchForm(),
        confirm_form=ConfirmForm(),
        MailKind=MailKind,
    )  # fmt: skip


def _pdf_filters(args) -> dict:
    delegate_id = id_arg(args, 'delegate')
    try:
        return invitation_filters(
            venue_id=id_arg(args, 'venue'),
            tier=Tier(args['tier']) if args.get('tier') else None,
            delegate_ids=[delegate_id] if delegate_id else None,
        )
    except ValueError:
        abort(400)


@bp.route('/forums/<int:forum_id>/invitations.pdf', methods=['GET', 'POST'])
@roles_required(UserRole.ORGANISER)
def download_pdf(forum_id: int):
    """The invitations of the whole forum, one tier, one bridge point or one delegate: a few
    pages at once, more as a job (GET offers it, POST starts it)."""
    forum = visible_forum_or_404(forum_id)
    filters = _pdf_filters(request.values)
    pages = count_invitations(forum.id, filters)
    if not pages:
        flash(_('Không có đại biểu nào để in giấy mời.'), 'warning')
        return redirect(url_for('invitations.dashboard', forum_id=forum.id))
    file_name = f'giay-moi-{forum.id}.pdf'
    back = url_for('invitations.dashboard', forum_id=forum.id)
    if request.method == 'POST' or made_by_a_job(pages):
        return offer_or_start_job(
            title=_('Giấy mời (PDF)'),
            description=_('%(count)d trang giấy mời sẽ được tạo; trang sau cho biết tiến độ.',
                          count=pages),
            start=lambda: submit_invitation_pdf(
                forum, filters, user=current_user, file_name=file_name,
                label=_('%(count)d trang', count=pages), back=back,
            ),
            back=back,
        )  # fmt: skip
    pdf = invitations_now(forum, filters)
    return current_app.response_class(
        pdf,
        mimetype='application/pdf',
        headers={'Content-Disposition': f'attachment; filename="{file_name}"'},
    )


@bp.route('/forums/<int:forum_id>/invitations/mail', methods=['POST'])
@roles_required(UserRole.ORGANISER)
def send_mail(forum_id: int):
    """The first step of a batch: say how many will receive it, and ask to confirm."""
    forum = visible_forum_or_404(forum_id)
    form = MailBatchForm()
    if not form.validate_on_submit():
        flash(_('Yêu cầu gửi thư không hợp lệ; hãy tải lại trang.'), 'danger')
        return redirect(url_for('invitations.dashboard', forum_id=forum.id))
    return _mail_confirmation(forum, MailKind(form.kind.data))


def _mail_confirmation(forum, kind: MailKind, *, status: int = 200):
    count = len(recipients_for(forum, kind))
    if not count:
        flash(_('Không có đại biểu nào có email để gửi.'), 'warning')
        return redirect(url_for('invitations.dashboard', forum_id=forum.id))
    confirm = MailConfirmForm(formdata=None, kind=kind.value, expected=str(count),
                              request_key=uuid.uuid4().hex)  # fmt: skip
    return render_template(
        'invitations/mail_confirm.html', forum=forum, kind=kind, count=count, form=confirm,
        MailKind=MailKind,
    ), status  # fmt: skip


@bp.route('/forums/<int:forum_id>/invitations/mail/confirm', methods=['POST'])
@roles_required(UserRole.ORGANISER)
def confirm_mail(forum_id: int):
    """The second step: queue the batch; the same confirmation twice queues it once."""
    forum = visible_forum_or_404(forum_id)
    form = MailConfirmForm()
    if not form.validate_on_submit():
        flash(_('Yêu cầu gửi thư không hợp lệ; hãy tải lại trang.'), 'danger')
        return redirect(url_for('invitations.dashboard', forum_id=forum.id))
    kind = MailKind(form.kind.data)
    dashboard = url_for('invitations.dashboard', forum_id=forum.id)
    try:
        batch, new = confirm_mail_batch(forum, kind, user=current_user,
                                        request_key=form.request_key.data,
                                        expected=form.expected.data)  # fmt: skip
    except RecipientsChanged as error:
        flash(error.message, 'warning')
        return _mail_confirmation(forum, kind, status=409)
    except MailError as error:
        flash(error.message, 'danger')
        refused()
        return redirect(dashboard)
    if new:
        flash(_('Đang gửi %(count)d thư.', count=len(batch.deliveries)), 'info')
    return redirect(dashboard)


def _job_or_404(forum_id: int, job_id: int) -> MailJob:
    forum = visible_forum_or_404(forum_id)
    job = db.session.get(MailJob, job_id)
    if job is None or job.forum_id != forum.id:
        abort(404)
    return job


@bp.route('/forums/<int:forum_id>/invitations/mail/<int:job_id>/retry', methods=['POST'])
@roles_required(UserRole.ORGANISER)
def retry_mail(forum_id: int, job_id: int):
    job = _job_or_404(forum_id, job_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        count = retry_failed_deliveries(job, user=current_user)
    except MailError as error:
        flash(error.message, 'danger')
        refused()
    else:
        start_mail_job(job.forum, job.kind, user=current_user, existing=job)
        flash(_('Đang gửi lại %(count)d thư.', count=count), 'info')
    return redirect(url_for('invitations.dashboard', forum_id=forum_id))


@bp.route('/forums/<int:forum_id>/invitations/mail/<int:job_id>')
@login_required
def mail_progress(forum_id: int, job_id: int):
    """The progress of a batch as JSON, for pages without a live connection."""
    job = _job_or_404(forum_id, job_id)
    return jsonify(job_progress(job).__dict__)


@bp.route('/delegates/<int:delegate_id>/invitation')
@roles_required(UserRole.ORGANISER)
def delegate_invitation(delegate_id: int):
    delegate = db.session.get(Delegate, delegate_id) or abort(404)
    visible_forum_or_404(delegate.forum_id)
    return render_template(
        'invitations/delegate_admin.html',
        delegate=delegate,
        page_url=delegate_page_url(_public_url(), delegate.code),
        form=ConfirmForm(),
    )


@bp.route('/delegates/<int:delegate_id>/reissue-code', methods=['POST'])
@roles_required(UserRole.ORGANISER)
def reissue(delegate_id: int):
    delegate = db.session.get(Delegate, delegate_id) or abort(404)
    visible_forum_or_404(delegate.forum_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    reissue_code(delegate, user=current_user)
    flash(_('Đã thu hồi mã cũ và cấp mã mới; hãy gửi lại giấy mời.'), 'success')
    return redirect(url_for('invitations.delegate_invitation', delegate_id=delegate.id))


__all__ = ['bp', 'socketio']
