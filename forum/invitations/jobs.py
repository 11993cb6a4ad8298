"""Invitation work done by the job worker: the GIẤY MỜI PDF of many delegates, e-mail batches."""

import logging
import smtplib

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from forum.db_types import utcnow
from forum.delegates.models import Delegate
from forum.extensions import db
from forum.forums.models import Forum
from forum.invitations.emails import invitation_email
from forum.invitations.mailing import (
    MailError,
    SmtpSender,
    SmtpSettings,
    begin_batch,
    claim_delivery,
    end_stopped_batch,
    finish_batch,
    job_progress,
    queue_mail_job,
    recipients_for,
    record_delivery,
)
from forum.invitations.models import MailDelivery, MailJob, MailKind
from forum.invitations.pdf import render_invitations
from forum.jobs.models import Job, JobState
from forum.jobs.runner import JobFailed, JobResult, job_handler, on_job_failure
from forum.jobs.services import submit_job
from forum.tiers.models import Tier, Venue

logger = logging.getLogger(__name__)

RECENT_JOBS = 5
PDF_JOB = 'invitations_pdf'
MAIL_JOB = 'mail'


# The invitation PDF --------------------------------------------------------------------------


def invitation_filters(venue_id=None, tier=None, delegate_ids=None) -> dict:
    """The filters of an invitation PDF as a job keeps them (plain JSON)."""
    return {
        'venue_id': venue_id,
        'tier': Tier(tier).value if tier else None,
        'delegate_ids': sorted(delegate_ids) if delegate_ids else None,
    }


def made_by_a_job(pages: int) -> bool:
    """Whether a PDF of this many pages is made by a job (a few are made in the request)."""
    return pages > current_app.config['INLINE_PDF_MAX_PAGES']


def invitations_now(forum: Forum, filters: dict) -> bytes:
    """A PDF small enough to make in the request (see ``made_by_a_job``), from a job's filters."""
    from forum.invitations.services import invitation_pdf

    return invitation_pdf(
        forum,
        base_url=current_app.config['PUBLIC_URL'],
        venue_id=filters.get('venue_id'),
        tier=Tier(filters['tier']) if filters.get('tier') else None,
        delegate_ids=filters.get('delegate_ids'),
    )


def count_invitations(forum_id: int, filters: dict) -> int:
    """How many pages the PDF with these filters has."""
    query = select(func.count(Delegate.id)).where(Delegate.forum_id == forum_id)
    if filters.get('venue_id') is not None:
        query = query.where(Delegate.venue_id == filters['venue_id'])
    if filters.get('tier'):
        query = query.join(Delegate.venue).where(Venue.tier == Tier(filters['tier']))
    if filters.get('delegate_ids'):
        query = query.where(Delegate.id.in_(filters['delegate_ids']))
    return db.session.scalar(query)


def submit_invitation_pdf(forum: Forum, filters: dict, *, user, file_name: str, label: str = '',
                          back: str = '') -> Job:  # fmt: skip
    """Queue the PDF (or take the same one this user queued a moment ago and is still making)."""
    params = {**filters, 'file_name': file_name, 'label': label, 'back': back}
    unfinished = db.session.scalars(
        select(Job).where(
            Job.kind == PDF_JOB,
            Job.forum_id == forum.id,
            Job.created_by_id == getattr(user, 'id', None),
            Job.state.in_([JobState.QUEUED, JobState.RUNNING]),
        )
    )
    same = next((job for job in unfinished if job.params == params), None)
    return same or submit_job(PDF_JOB, user=user, forum_id=forum.id, params=params)


@job_handler(PDF_JOB)
def render_invitation_pdf(ctx) -> JobResult:
    """Read the cards, render them page by page (reporting each page), return the file."""
    from forum.invitations.services import invitation_cards, invitation_forum

    params = ctx.params
    with ctx.reading():
        forum = db.session.get(Forum, ctx.forum_id)
        if forum is None:
            raise JobFailed(_('Hội nghị không còn nữa.'))
        cards = invitation_cards(
            forum,
            base_url=current_app.config['PUBLIC_URL'],
            venue_id=params.get('venue_id'),
            tier=Tier(params['tier']) if params.get('tier') else None,
            delegate_ids=params.get('delegate_ids'),
        )
        shared = invitation_forum(forum)
    if not cards:
        raise JobFailed(_('Không có đại biểu nào để in giấy mời.'))
    ctx.start(len(cards), 'pages')
    pdf = render_invitations(shared, cards, on_page=ctx.advance)
    ctx.advance(len(cards), force=True)
    logger.info('Forum %s: invitation PDF of %d pages', ctx.forum_id, len(cards))
    return JobResult(
        file_name=params.get('file_name') or 'giay-moi.pdf',
        file_type='application/pdf',
        content=pdf,
        summary={'pages': len(cards)},
    )


# E-mail batches ------------------------------------------------------------------------------


class RecipientsChanged(MailError):
    """The batch would not go to the number of people the organiser confirmed."""


def confirm_mail_batch(forum, kind: MailKind, *, user, request_key: str,
                       expected: str) -> tuple[MailJob, bool]:  # fmt: skip
    """Start the batch an organiser confirmed, for as many recipients as the confirmation
    said; the same confirmation again returns its batch. ``(batch, started now)``."""
    confirmed = db.session.scalar(select(MailJob).where(MailJob.request_key == request_key))
    if confirmed is not None:
        return confirmed, False
    if str(len(recipients_for(forum, kind))) != expected:
        raise RecipientsChanged(_('Số người nhận đã thay đổi; hãy xem lại rồi xác nhận.'))
    return start_mail_job(forum, kind, user=user, request_key=request_key), True


def start_mail_job(forum, kind: MailKind, *, user=None, request_key: str | None = None,
                   existing: MailJob | None = None) -> MailJob:  # fmt: skip
    """Queue a batch (or resume one), commit, and hand it to the job worker. The same
    confirmation (``request_key``) sent twice starts one batch."""
    if request_key is not None and existing is None:
        confirmed = db.session.scalar(select(MailJob).where(MailJob.request_key == request_key))
        if confirmed is not None:
            return confirmed
    batch = existing or queue_mail_job(forum, kind, user=user, request_key=request_key)
    if batch.id is not None and _batch_job(batch.id) is not None:
        return batch  # already on its way
    db.session.flush()
    submit_job(
        MAIL_JOB,
        user=user,
        forum_id=forum.id,
        params={'mail_job_id': batch.id, 'label': str(len(batch.deliveries))},
    )
    logger.info('Mail job %s started for forum %s', batch.id, forum.id)
    return batch


def _batch_job(mail_job_id: int) -> Job | None:
    return db.session.scalar(
        select(Job).where(
            Job.kind == MAIL_JOB,
            Job.state.in_([JobState.QUEUED, JobState.RUNNING]),
            Job.params['mail_job_id'].as_integer() == mail_job_id,
        )
    )


@job_handler(MAIL_JOB)
def send_mail_batch(ctx) -> JobResult:
    """Send the pending messages of a batch: claim one, send it with no transaction open,
    record what the server said; the job's progress counts messages."""
    mail_job_id = ctx.params['mail_job_id']
    settings = SmtpSettings.from_config(current_app.config)
    base_url = current_app.config['PUBLIC_URL']
    with ctx.writing():
        pending = begin_batch(mail_job_id)
        batch = db.session.get(MailJob, mail_job_id)
        kind = batch.kind
        progress = job_progress(batch)
    done = progress.sent + progress.failed
    ctx.start(progress.total, 'messages')
    ctx.advance(done, force=True)
    sender = SmtpSender(settings)
    outcome = None  # the last message's (delivery id, error), written with the next claim
    try:
        for delivery_id in pending:
            with ctx.reading():
                message = _message_for(delivery_id, kind, base_url, settings.sender)
            with ctx.writing():  # one short write: the last outcome, this claim, the progress
                if outcome is not None:
                    record_delivery(*outcome, now=utcnow())
                    done += 1
                    outcome = None
                    ctx.advance(done, in_transaction=True)
                claimed = claim_delivery(delivery_id, now=utcnow())
            if claimed:
                outcome = (delivery_id, _send(sender, message))
    finally:
        sender.close()
        if outcome is not None:
            with ctx.writing():
                record_delivery(*outcome, now=utcnow())
                done += 1
    with ctx.writing():
        final = finish_batch(mail_job_id, now=utcnow())
        ctx.advance(final.sent + final.failed, force=True, in_transaction=True)
    return JobResult(
        summary={'mail_job_id': mail_job_id, 'sent': final.sent, 'failed': final.failed,
                 'total': final.total}
    )  # fmt: skip


@on_job_failure(MAIL_JOB)
def end_failed_batch(_job_id: int, params: dict) -> None:
    """The mail job failed (or was given up): end its batch so that it can be resumed."""
    end_stopped_batch(params['mail_job_id'], now=utcnow())


def _message_for(delivery_id: int, kind: MailKind, base_url: str, sender: str):
    delegate_id = db.session.scalar(
        select(MailDelivery.delegate_id).where(MailDelivery.id == delivery_id)
    )
    delegate = db.session.get(Delegate, delegate_id)
    return invitation_email(delegate, kind, base_url=base_url, sender=sender)


def _send(sender: SmtpSender, message) -> Exception | None:
    """Send one message; the SMTP error, if any (what the delivery records)."""
    try:
        sender.send(message)
    except (smtplib.SMTPException, OSError) as error:
        return error
    return None


def latest_jobs(forum) -> list[MailJob]:
    """The forum's most recent batches, newest first."""
    return list(
        db.session.scalars(
            select(MailJob)
            .where(MailJob.forum_id == forum.id)
            .order_by(MailJob.id.desc())
            .limit(RECENT_JOBS)
        )
    )
