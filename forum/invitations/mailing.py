"""E-mailing invitations and reminders in batches, with per-message results that can be retried.

A batch (``MailJob``) is queued with one ``MailDelivery`` per delegate who has an address; a
job (``forum.invitations.jobs``) sends the pending ones over one SMTP connection. Each message is
claimed in one short transaction, sent with no transaction open, and its outcome written in
another, so nobody already sent is sent again when a batch is resumed after a crash.
"""

import logging
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from forum.audit.services import record_change
from forum.delegates.models import Delegate, Rsvp
from forum.errors import DomainError
from forum.extensions import db
from forum.invitations.models import (
    DeliveryStatus,
    MailDelivery,
    MailJob,
    MailJobStatus,
    MailKind,
)

logger = logging.getLogger(__name__)


class MailError(DomainError):
    """A batch that cannot be queued, with a message for the organiser."""

    def __init__(self, message: str, *, status: int = 409):
        super().__init__('mail_refused', message, status=status)


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
    """Who a batch goes to: for invitations everyone with an address not yet invited, for
    reminders those who have not answered an invitation already sent."""
    query = select(Delegate).where(Delegate.forum_id == forum.id, Delegate.email != '')
    if kind == MailKind.INVITATION:  # a second batch never invites anyone twice
        query = query.where(Delegate.invitation_sent_at.is_(None))
    if kind == MailKind.REMINDER:
        query = query.where(Delegate.rsvp == Rsvp.NONE, Delegate.invitation_sent_at.is_not(None))
    if delegate_ids is not None:
        query = query.where(Delegate.id.in_(list(delegate_ids)))
    return list(db.session.scalars(query.order_by(Delegate.sort_key, Delegate.id)))


def queue_mail_job(
    forum, kind: MailKind, *, user=None, delegate_ids=None, request_key: str | None = None
) -> MailJob:
    """Create a batch with one pending delivery per recipient; nothing is sent yet. The same
    ``request_key`` (one confirmation form) never queues a second batch."""
    if request_key is not None:
        existing = db.session.scalar(select(MailJob).where(MailJob.request_key == request_key))
        if existing is not None:
            return existing
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
    job = MailJob(
        forum_id=forum.id,
        kind=MailKind(kind),
        created_by_id=getattr(user, 'id', None),
        request_key=request_key,
    )
    job.deliveries = [MailDelivery(delegate_id=d.id) for d in recipients]
    try:
        with db.session.begin_nested():
            db.session.add(job)
    except IntegrityError:
        if request_key is None:
            raise
        # The same confirmation, sent twice at once: the other request queued the batch.
        return db.session.scalar(select(MailJob).where(MailJob.request_key == request_key))
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


MessageFactory = Callable[[Delegate, MailKind], EmailMessage]

INTERRUPTED = (
    'Bị gián đoạn khi đang gửi (máy chủ dừng); thư có thể đã đến. Kiểm tra rồi gửi lại nếu cần.'
)


def begin_batch(job_id: int) -> list[int]:
    """Mark a batch running and return its pending deliveries. A delivery claimed by a run
    that was interrupted may have reached the server: it is failed, never resent on its own."""
    job = db.session.get(MailJob, job_id)
    job.status = MailJobStatus.RUNNING
    db.session.execute(
        update(MailDelivery)
        .where(
            MailDelivery.job_id == job_id,
            MailDelivery.status == DeliveryStatus.PENDING,
            MailDelivery.claimed_at.is_not(None),
        )
        .values(status=DeliveryStatus.FAILED, error=INTERRUPTED, claimed_at=None)
    )
    return list(
        db.session.scalars(
            select(MailDelivery.id)
            .where(MailDelivery.job_id == job_id, MailDelivery.status == DeliveryStatus.PENDING)
            .order_by(MailDelivery.id)
        )
    )


def claim_delivery(delivery_id: int, *, now: datetime) -> bool:
    """Note that this message is about to be sent (committed before it goes)."""
    return bool(
        db.session.execute(
            update(MailDelivery)
            .where(
                MailDelivery.id == delivery_id,
                MailDelivery.status == DeliveryStatus.PENDING,
                MailDelivery.claimed_at.is_(None),  # two runs of a batch never both send it
            )
            .values(claimed_at=now, attempts=MailDelivery.attempts + 1)
        ).rowcount
    )


def record_delivery(delivery_id: int, error: Exception | None, *, now: datetime) -> DeliveryStatus:
    """Keep what the SMTP server answered for one message."""
    delivery = db.session.get(MailDelivery, delivery_id)
    delivery.claimed_at = None
    if error is not None:
        delivery.status = DeliveryStatus.FAILED
        delivery.error = _describe_smtp_error(error)
        logger.warning('Mail to delegate %s failed: %s', delivery.delegate_id, delivery.error)
        return delivery.status
    delivery.status = DeliveryStatus.SENT
    delivery.sent_at = now
    delivery.error = ''
    if delivery.job.kind == MailKind.INVITATION:
        db.session.execute(
            update(Delegate)
            .where(Delegate.id == delivery.delegate_id, Delegate.invitation_sent_at.is_(None))
            .values(invitation_sent_at=now)
        )
    return delivery.status


STOPPED = 'Chưa gửi: đợt gửi dừng lại vì lỗi; bấm "Gửi lại các thư lỗi" để gửi tiếp.'


def end_stopped_batch(job_id: int, *, now: datetime) -> None:
    """A batch whose job failed: what was being sent is reported (it may have gone), what was
    not is listed as not sent, and the batch ends, so that it can be resumed (retried) and
    another can start."""
    job = db.session.get(MailJob, job_id)
    if job is None or job.status == MailJobStatus.DONE:
        return
    pending = (MailDelivery.job_id == job_id, MailDelivery.status == DeliveryStatus.PENDING)
    db.session.execute(
        update(MailDelivery)
        .where(*pending, MailDelivery.claimed_at.is_not(None))
        .values(status=DeliveryStatus.FAILED, error=INTERRUPTED, claimed_at=None)
    )
    db.session.execute(
        update(MailDelivery).where(*pending).values(status=DeliveryStatus.FAILED, error=STOPPED)
    )
    job.status = MailJobStatus.DONE
    job.finished_at = now
    logger.warning('Mail job %s stopped by a failure; the rest can be sent again', job_id)


def finish_batch(job_id: int, *, now: datetime) -> Progress:
    """Mark a batch done; its counts."""
    job = db.session.get(MailJob, job_id)
    job.status = MailJobStatus.DONE
    job.finished_at = now
    db.session.flush()
    progress = job_progress(job)
    logger.info(
        'Mail job %s done: %d sent, %d failed of %d',
        job_id,
        progress.sent,
        progress.failed,
        progress.total,
    )
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
