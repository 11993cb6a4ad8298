"""E-mailing invitations and reminders in batches, with per-message results that can be retried.

A batch (``MailJob``) is queued with one ``MailDelivery`` per delegate who has an address; a
background task sends the pending ones over one SMTP connection, commits after each message and
reports progress. Killing the server mid-batch leaves the rest pending, to be resumed.
"""

import logging
import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask_babel import gettext as _
from sqlalchemy import func, select

from forum.audit.services import record_change
from forum.db_types import utcnow
from forum.delegates.models import Delegate, Rsvp
from forum.extensions import db
from forum.invitations.models import (
    DeliveryStatus,
    MailDelivery,
    MailJob,
    MailJobStatus,
    MailKind,
)

logger = logging.getLogger(__name__)


class MailError(ValueError):
    """A batch that cannot be queued, with a message for the organiser."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str | None
    password: str | None
    use_tls: bool
    use_ssl: bool
    sender: str
    timeout: float

    @classmethod
    def from_config(cls, config) -> 'SmtpSettings':
        """Read the MAIL_* settings of the application's configuration."""
        return cls(
            host=config['MAIL_SERVER'],
            port=config['MAIL_PORT'],
            username=config['MAIL_USERNAME'],
            password=config['MAIL_PASSWORD'],
            use_tls=config['MAIL_USE_TLS'],
            use_ssl=config['MAIL_USE_SSL'],
            sender=config['MAIL_DEFAULT_SENDER'],
            timeout=config['MAIL_TIMEOUT_SECONDS'],
        )


@dataclass(frozen=True)
class Progress:
    job_id: int
    forum_id: int
    total: int
    sent: int
    failed: int
    status: str


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    maintype: str
    subtype: str


def recipients_for(forum, kind: MailKind, delegate_ids=None) -> list[Delegate]:
    """Who a batch goes to: everyone with an address, or for reminders those who have not
    answered an invitation already sent."""
    query = select(Delegate).where(Delegate.forum_id == forum.id, Delegate.email != '')
    if kind == MailKind.REMINDER:
        query = query.where(Delegate.rsvp == Rsvp.NONE, Delegate.invitation_sent_at.is_not(None))
    if delegate_ids is not None:
        query = query.where(Delegate.id.in_(list(delegate_ids)))
    return list(db.session.scalars(query.order_by(Delegate.sort_key, Delegate.id)))


def queue_mail_job(forum, kind: MailKind, *, user=None, delegate_ids=None) -> MailJob:
    """Create a batch with one pending delivery per recipient; nothing is sent yet."""
    running = db.session.scalar(
        select(MailJob.id).where(
            MailJob.forum_id == forum.id,
            MailJob.status.in_([MailJobStatus.QUEUED, MailJobStatus.RUNNING]),
        )
    )
    if running is not None:
        raise MailError(_('Một đợt gửi thư khác đang chạy; hãy chờ nó xong.'))
    recipients = recipients_for(forum, MailKind(kind), delegate_ids)
    if not recipients:
        raise MailError(_('Không có đại biểu nào có email để gửi.'))
    job = MailJob(forum_id=forum.id, kind=MailKind(kind), created_by_id=getattr(user, 'id', None))
    job.deliveries = [MailDelivery(delegate_id=d.id) for d in recipients]
    db.session.add(job)
    record_change(
        'mail.queued',
        job,
        user=user,
        forum_id=forum.id,
        details={'kind': job.kind.value, 'recipients': len(recipients)},
    )
    return job


def retry_failed_deliveries(job: MailJob, *, user=None) -> int:
    """Put the failed messages of a finished batch back in the queue; return how many."""
    if job.status != MailJobStatus.DONE:
        raise MailError(_('Đợt gửi này chưa xong.'))
    failed = [d for d in job.deliveries if d.status == DeliveryStatus.FAILED]
    for delivery in failed:
        delivery.status = DeliveryStatus.PENDING
        delivery.error = ''
    if failed:
        job.status = MailJobStatus.QUEUED
        job.finished_at = None
        record_change(
            'mail.retried', job, user=user, forum_id=job.forum_id, details={'count': len(failed)}
        )
    return len(failed)


def job_progress(job: MailJob) -> Progress:
    """How far a batch has got, counted in the database."""
    counts = dict(
        db.session.execute(
            select(MailDelivery.status, func.count())
            .where(MailDelivery.job_id == job.id)
            .group_by(MailDelivery.status)
        ).all()
    )
    return Progress(
        job_id=job.id,
        forum_id=job.forum_id,
        total=sum(counts.values()),
        sent=counts.get(DeliveryStatus.SENT, 0),
        failed=counts.get(DeliveryStatus.FAILED, 0),
        status=job.status.value,
    )


def build_message(
    *,
    sender: str,
    to_name: str,
    to_address: str,
    subject: str,
    text: str,
    attachments: list[Attachment],
) -> EmailMessage:
    """A UTF-8 e-mail with a plain-text body and attachments."""
    message = EmailMessage()
    message['From'] = sender
    message['To'] = formataddr((to_name, to_address))
    message['Subject'] = subject
    message['Message-ID'] = make_msgid(domain=sender.rpartition('@')[2] or 'localhost')
    message.set_content(text, charset='utf-8')
    for attachment in attachments:
        if attachment.maintype == 'text':  # text parts carry their charset, not raw bytes
            message.add_attachment(
                attachment.content.decode('utf-8'),
                subtype=attachment.subtype,
                charset='utf-8',
                filename=attachment.filename,
            )
        else:
            message.add_attachment(
                attachment.content,
                maintype=attachment.maintype,
                subtype=attachment.subtype,
                filename=attachment.filename,
            )
    return message


class SmtpSender:
    """One SMTP connection for a batch, reopened once if the server drops it."""

    def __init__(self, settings: SmtpSettings):
        self.settings = settings
        self.connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.use_ssl:
            connection = smtplib.SMTP_SSL(
                s.host, s.port, timeout=s.timeout, context=ssl.create_default_context()
            )
        else:
            connection = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            if s.use_tls:
                connection.starttls(context=ssl.create_default_context())
        if s.username:
            connection.login(s.username, s.password or '')
        return connection

    def send(self, message: EmailMessage) -> None:
        """Send one message; a dropped connection is reopened and the message tried again."""
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = self._connect()
            try:
                self.connection.send_message(message)
                return
            except smtplib.SMTPServerDisconnected:
                self.connection = None
                if attempt == 2:
                    raise

    def close(self) -> None:
        """Say goodbye to the server, ignoring a connection that is already gone."""
        if self.connection is not None:
            try:
                self.connection.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self.connection = None


PROGRESS_INTERVAL_SECONDS = 0.25  # progress events to the page, at most four a second

MessageFactory = Callable[[Delegate, MailKind], EmailMessage]
ProgressCallback = Callable[[Progress], None]


def run_mail_job(
    job_id: int,
    *,
    settings: SmtpSettings,
    make_message: MessageFactory,
    on_progress: ProgressCallback = lambda progress: None,
    now: Callable[[], datetime] = utcnow,
) -> Progress:
    """Send the pending messages of a batch, committing after each one."""
    job = db.session.get(MailJob, job_id)
    job.status = MailJobStatus.RUNNING
    db.session.commit()
    pending_ids = db.session.scalars(
        select(MailDelivery.id)
        .where(MailDelivery.job_id == job_id, MailDelivery.status == DeliveryStatus.PENDING)
        .order_by(MailDelivery.id)
    ).all()
    progress = job_progress(job)
    last_report = 0.0
    sender = SmtpSender(settings)
    try:
        for delivery_id in pending_ids:
            delivery = db.session.get(MailDelivery, delivery_id)
            delegate = db.session.get(Delegate, delivery.delegate_id)
            delivery.attempts += 1
            try:
                sender.send(make_message(delegate, job.kind))
            except (smtplib.SMTPException, OSError) as error:
                delivery.status = DeliveryStatus.FAILED
                delivery.error = _describe_smtp_error(error)
                logger.warning('Mail to delegate %s failed: %s', delegate.id, delivery.error)
            else:
                delivery.status = DeliveryStatus.SENT
                delivery.sent_at = now()
                if job.kind == MailKind.INVITATION and delegate.invitation_sent_at is None:
                    delegate.invitation_sent_at = delivery.sent_at
            db.session.commit()
            progress = replace(
                progress,
                sent=progress.sent + (delivery.status == DeliveryStatus.SENT),
                failed=progress.failed + (delivery.status == DeliveryStatus.FAILED),
            )
            if time.monotonic() - last_report >= PROGRESS_INTERVAL_SECONDS:
                last_report = time.monotonic()
                on_progress(progress)
    finally:
        sender.close()
    job.status = MailJobStatus.DONE
    job.finished_at = now()
    db.session.commit()
    progress = job_progress(job)
    logger.info(
        'Mail job %s done: %d sent, %d failed of %d',
        job_id,
        progress.sent,
        progress.failed,
        progress.total,
    )
    on_progress(progress)
    return progress


def _describe_smtp_error(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        reasons = [
            f'{code} {msg.decode(errors="replace")}' for code, msg in error.recipients.values()
        ]
        return '; '.join(reasons)
    if isinstance(error, smtplib.SMTPResponseException):
        return f'{error.smtp_code} {error.smtp_error.decode(errors="replace")}'
    return f'{type(error).__name__}: {error}'
