"""The secretariat's draft of a forum's minutes and notice, its revisions and issued documents.

The draft is what the secretariat types: the conclusions, the tasks, the numbers, the signers
and the recipients. Every save goes into a revision (a snapshot with who and when); a revision
that a document was issued from is locked, so the next save starts a new one. An issued document
keeps its PDF bytes and their SHA-256, so it is downloadable as issued for ever.
"""

import enum
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.db_types import UTCDateTime, enum_column_type, utcnow
from forum.extensions import db

if TYPE_CHECKING:
    from forum.auth.models import User
    from forum.forums.models import Forum


class DocumentKind(enum.StrEnum):
    MINUTES = 'minutes'  # biên bản
    NOTICE = 'notice'  # thông báo kết luận


class MinutesDraft(db.Model):
    """The secretariat's working copy for one forum."""

    __tablename__ = 'minutes_drafts'

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey('forums.id', ondelete='CASCADE'), unique=True)
    # Paragraphs separated by blank lines; lines starting "- " or "1. " are list items.
    conclusions: Mapped[str] = mapped_column(Text, default='')
    minutes_number: Mapped[str] = mapped_column(String(50), default='')  # 05/BB-UBND
    notice_number: Mapped[str] = mapped_column(String(50), default='')  # 12/TB-UBND
    chair_name: Mapped[str] = mapped_column(String(200), default='')
    chair_title: Mapped[str] = mapped_column(String(200), default='')
    secretary_name: Mapped[str] = mapped_column(String(200), default='')
    recipients: Mapped[str] = mapped_column(Text, default='')  # "Nơi nhận", one per line
    # The times as the meeting actually ran; None means as planned on the forum.
    started_at: Mapped[time | None] = mapped_column(Time)
    ended_at: Mapped[time | None] = mapped_column(Time)
    # Raised by every save: a save based on an older one is refused rather than lost.
    lock_version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey('users.id', ondelete='SET NULL'))

    forum: Mapped['Forum'] = relationship()
    updated_by: Mapped['User | None'] = relationship()
    tasks: Mapped[list['MinutesTask']] = relationship(
        back_populates='draft',
        cascade='all, delete-orphan',
        order_by='MinutesTask.position',
        passive_deletes=True,
    )
    revisions: Mapped[list['MinutesRevision']] = relationship(
        back_populates='draft',
        cascade='all, delete-orphan',
        order_by='MinutesRevision.number',
        passive_deletes=True,
    )


class MinutesTask(db.Model):
    """A task the chair assigned: which body, what, by when."""

    __tablename__ = 'minutes_tasks'

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(
        ForeignKey('minutes_drafts.id', ondelete='CASCADE'), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    body: Mapped[str] = mapped_column(String(300))  # cơ quan chủ trì
    content: Mapped[str] = mapped_column(Text, default='')
    due_on: Mapped[date | None] = mapped_column(Date)

    draft: Mapped[MinutesDraft] = relationship(back_populates='tasks')


class MinutesRevision(db.Model):
    """A version of the draft: a snapshot of it, who saved it and when, and what changed since
    the revision before. Saves by the same person in a row update it; a document issued from it
    locks it."""

    __tablename__ = 'minutes_revisions'
    __table_args__ = (UniqueConstraint('draft_id', 'number'),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey('minutes_drafts.id', ondelete='CASCADE'))
    number: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict] = mapped_column(JSON, default=dict)
    changes: Mapped[list] = mapped_column(JSON, default=list)  # see services.summarise_changes
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey('users.id', ondelete='SET NULL'))
    save_count: Mapped[int] = mapped_column(Integer, default=1)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)

    draft: Mapped[MinutesDraft] = relationship(back_populates='revisions')
    saved_by: Mapped['User | None'] = relationship()


class IssuedDocument(db.Model):
    """A minutes or notice as issued: its number, version, date, checksum and PDF bytes."""

    __tablename__ = 'minutes_documents'
    __table_args__ = (
        UniqueConstraint('forum_id', 'kind', 'version'),
        CheckConstraint('length(sha256) = 64', name='sha256'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey('forums.id', ondelete='CASCADE'))
    kind: Mapped[DocumentKind] = mapped_column(enum_column_type(DocumentKind, 'document_kind'))
    version: Mapped[int] = mapped_column(Integer)  # 1 for the first issue of this kind, then 2…
    number: Mapped[str] = mapped_column(String(50))
    revision_id: Mapped[int | None] = mapped_column(
        ForeignKey('minutes_revisions.id', ondelete='SET NULL')
    )
    issued_on: Mapped[date] = mapped_column(Date)  # the date printed on it (local)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey('users.id', ondelete='SET NULL'))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    # Loaded only when the file is downloaded: the lists show number, version and checksum.
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)

    revision: Mapped[MinutesRevision | None] = relationship()
    issued_by: Mapped['User | None'] = relationship()
