"""Questions, opinions and proposals from delegates, written or as a request to speak."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.db_types import UTCDateTime, enum_column_type, utcnow
from forum.extensions import db

if TYPE_CHECKING:
    from forum.delegates.models import Delegate
    from forum.tiers.models import Venue


class QuestionKind(enum.StrEnum):
    QUESTION = 'question'  # câu hỏi
    OPINION = 'opinion'  # ý kiến
    PROPOSAL = 'proposal'  # kiến nghị, đề xuất


class QuestionMode(enum.StrEnum):
    WRITTEN = 'written'
    ORAL = 'oral'  # đăng ký phát biểu: the person speaks from their bridge point


class QuestionStatus(enum.StrEnum):
    PENDING = 'pending'
    APPROVED = 'approved'
    CURRENT = 'current'  # on the big screen now
    ANSWERED = 'answered'
    DISMISSED = 'dismissed'

    @property
    def is_public(self) -> bool:
        """Whether the audience sees an item in this status."""
        return self in (QuestionStatus.APPROVED, QuestionStatus.CURRENT, QuestionStatus.ANSWERED)


class Question(db.Model):
    __tablename__ = 'questions'
    __table_args__ = (
        # One item on screen at a time, per forum.
        Index(
            'uq_questions_one_current',
            'forum_id',
            unique=True,
            sqlite_where=text("status = 'current'"),
            postgresql_where=text("status = 'current'"),
        ),
        Index('ix_questions_forum_id_status', 'forum_id', 'status'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey('forums.id', ondelete='CASCADE'))
    venue_id: Mapped[int] = mapped_column(ForeignKey('venues.id', ondelete='RESTRICT'), index=True)
    delegate_id: Mapped[int | None] = mapped_column(
        ForeignKey('delegates.id', ondelete='SET NULL'), index=True
    )
    submitted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey('users.id', ondelete='SET NULL')
    )  # an operator registering it for a person in the room
    author_name: Mapped[str] = mapped_column(String(200))
    author_position: Mapped[str] = mapped_column(String(200), default='')
    author_body: Mapped[str] = mapped_column(String(200), default='')
    kind: Mapped[QuestionKind] = mapped_column(enum_column_type(QuestionKind, 'question_kind'))
    mode: Mapped[QuestionMode] = mapped_column(enum_column_type(QuestionMode, 'question_mode'))
    text: Mapped[str] = mapped_column(Text)
    original_text: Mapped[str] = mapped_column(Text)  # as sent, before a moderator's edit
    status: Mapped[QuestionStatus] = mapped_column(
        enum_column_type(QuestionStatus, 'question_status'), default=QuestionStatus.PENDING
    )
    position: Mapped[int] = mapped_column(Integer, default=0)  # the moderators' order
    held_for_review: Mapped[bool] = mapped_column(Boolean, default=False)  # profanity filter
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey('questions.id', ondelete='SET NULL')
    )
    answered_by: Mapped[str] = mapped_column(String(200), default='')
    response: Mapped[str] = mapped_column(Text, default='')  # giải trình, tiếp thu
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey('users.id', ondelete='SET NULL'))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    venue: Mapped['Venue'] = relationship()
    delegate: Mapped['Delegate | None'] = relationship()


class Vote(db.Model):
    """A delegate's vote for an approved item: one each, enforced by the database."""

    __tablename__ = 'votes'
    __table_args__ = (UniqueConstraint('question_id', 'delegate_id'),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey('questions.id', ondelete='CASCADE'))
    delegate_id: Mapped[int] = mapped_column(
        ForeignKey('delegates.id', ondelete='CASCADE'), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
