"""One row per change made through the application."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from forum.db_types import UTCDateTime, utcnow
from forum.extensions import db


class AuditEntry(db.Model):
    __tablename__ = 'audit_entries'
    __table_args__ = (Index('ix_audit_entries_forum_id_at', 'forum_id', 'at'),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey('users.id', ondelete='SET NULL'))
    forum_id: Mapped[int | None] = mapped_column(ForeignKey('forums.id', ondelete='CASCADE'))
    action: Mapped[str] = mapped_column(String(64))  # e.g. 'forum.created', 'venue.status'
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int | None]
    details: Mapped[dict] = mapped_column(JSON, default=dict)
