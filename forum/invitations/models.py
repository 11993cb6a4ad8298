"""Revoked invitation codes and e-mail batches."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.db_types import UTCDateTime, enum_column_type, utcnow
from forum.extensions import db

if TYPE_CHECKING:
    from forum.delegates.models import Delegate
    from forum.forums.models import Forum


class RevokedCode(db.Model):
    """A code that no longer opens anything; scanning it says whose it was and since when."""

    __tablename__ = 'revoked_codes'

    code: Mapped[str] = mapped_column(String(43), primary_key=True)
    short_code: Mapped[str] = mapped_column(String(12), index=True)
    delegate_id: Mapped[int] = mapped_column(
        ForeignKey('delegates.id', ondelete='CASCADE'), index=True
    )
    revoked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey('users.id', ondelete='SET NULL'))


class MailKind(enum.StrEnum):
    INVITATION = 'invitation'
    REMINDER = 'reminder'


class MailJobStatus(enum.StrEnum):
    QUEUED = 'queued'
    RUNNING = 'running'
    DONE = 'done'


class DeliveryStatus(enum.StrEnum):
    PENDING = 'pending'
    SENT = 'sent'
    FAILED = 'failed'


class MailJob(db.Model):
    """One batch of e-mails (invitations or reminders) sent in the background."""

    __tablename__ = 'mail_jobs'

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey('forums.id', ondelete='CASCADE'), index=True)
    kind: Mapped[MailKind] = mapped_column(enum_column_type(MailKind, 'mail_kind'))
    status: Mapped[MailJobStatus] = mapped_column(
        enum_column_type(MailJobStatus, 'mail_job_status'), default=MailJobStatus.QUEUED
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey('users.id', ondelete='SET NULL'))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The confirmation form's key: the same confirmation sent twice queues one batch.
    request_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    forum: Mapped['Forum'] = relationship()
    deliveries: Mapped[list['MailDelivery']] = relationship(
        back_populates='job', cascade='all, delete-orphan', passive_deletes=True
    )


class MailDelivery(db.Model):
    """One e-mail of a batch, to one delegate: pending, sent, or failed with the reason."""

    __tablename__ = 'mail_deliveries'
    __table_args__ = (UniqueConstraint('job_id', 'delegate_id'),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey('mail_jobs.id', ondelete='CASCADE'), index=True)
    delegate_id: Mapped[int] = mapped_column(
        ForeignKey('delegates.id', ondelete='CASCADE'), index=True
    )
    status: Mapped[DeliveryStatus] = mapped_column(
        enum_column_type(DeliveryStatus, 'delivery_status'), default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default='')
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set (and committed) just before the message goes to the SMTP server, cleared with its
    # outcome: a delivery still claimed after a crash may have gone out, so it is never resent
    # on its own.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    job: Mapped[MailJob] = relationship(back_populates='deliveries')
    delegate: Mapped['Delegate'] = relationship()
