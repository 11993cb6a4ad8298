"""A delegate's check-in at a bridge point: who let them in, when, where, and how."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.db_types import UTCDateTime, enum_column_type, utcnow
from forum.extensions import db

if TYPE_CHECKING:
    from forum.auth.models import User
    from forum.delegates.models import Delegate
    from forum.tiers.models import Venue


class CheckInMethod(enum.StrEnum):
    QR = 'qr'  # camera or a USB/Bluetooth scanner typing the QR's URL
    SHORT_CODE = 'short_code'  # typed from the paper invitation
    SEARCH = 'search'  # found by name when nothing scans
    WALK_IN = 'walk_in'  # registered at the door, not on the list
    API = 'api'


class CheckIn(db.Model):
    """One check-in. Undone ones stay, marked, so the history survives; only one active
    check-in per delegate and forum is allowed, by a partial unique index."""

    __tablename__ = 'checkins'
    __table_args__ = (
        Index(
            'uq_checkins_active_delegate',
            'forum_id',
            'delegate_id',
            unique=True,
            sqlite_where=text('undone_at IS NULL'),
            postgresql_where=text('undone_at IS NULL'),
        ),
        Index('ix_checkins_forum_id_venue_id', 'forum_id', 'venue_id'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey('forums.id', ondelete='CASCADE'))
    delegate_id: Mapped[int] = mapped_column(
        ForeignKey('delegates.id', ondelete='CASCADE'), index=True
    )
    venue_id: Mapped[int] = mapped_column(ForeignKey('venues.id', ondelete='RESTRICT'))
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey('users.id', ondelete='SET NULL'))
    method: Mapped[CheckInMethod] = mapped_column(
        enum_column_type(CheckInMethod, 'checkin_method'), default=CheckInMethod.QR
    )
    # A scanner's idempotency key: the same upload twice is one check-in.
    nonce: Mapped[str | None] = mapped_column(String(64), unique=True)
    other_venue: Mapped[bool] = mapped_column(Boolean, default=False)  # not their own point
    checked_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey('users.id', ondelete='SET NULL'))
    undo_reason: Mapped[str] = mapped_column(Text, default='')

    delegate: Mapped['Delegate'] = relationship()
    venue: Mapped['Venue'] = relationship()
    by_user: Mapped['User | None'] = relationship(foreign_keys=[by_user_id])

    @property
    def venue_name(self) -> str:
        return self.venue.name

    @property
    def by_name(self) -> str | None:
        """Who let the delegate in (their name, else their e-mail)."""
        return (self.by_user.full_name or self.by_user.email) if self.by_user else None
