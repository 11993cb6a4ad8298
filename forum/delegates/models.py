"""A delegate (đại biểu) invited to one forum at one bridge point."""

import enum
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from forum.db_types import UTCDateTime, enum_column_type, utcnow
from forum.extensions import db
from forum.text import matching_key, name_sort_key, normalize_text, search_key

if TYPE_CHECKING:
    from forum.forums.models import Forum
    from forum.tiers.models import Venue

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read aloud or typed from paper is typed right.
SHORT_CODE_ALPHABET = 'ACDEFGHJKMNPQRTUVWXY34679'
SHORT_CODE_LENGTH = 8


def new_invitation_code() -> str:
    """Return an unguessable code of 128 random bits, URL-safe."""
    return secrets.token_urlsafe(16)


def new_short_code() -> str:
    """Return an 8-character code to type when a QR will not scan."""
    return ''.join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


class DelegateRole(enum.StrEnum):
    CHAIR = 'chair'
    GUEST = 'guest'
    SPEAKER = 'speaker'
    DELEGATE = 'delegate'
    PRESS = 'press'


class Rsvp(enum.StrEnum):
    """The delegate's answer to the invitation."""

    NONE = 'none'
    ACCEPTED = 'accepted'
    DECLINED = 'declined'


class Delegate(db.Model):
    __tablename__ = 'delegates'
    __table_args__ = (
        Index('ix_delegates_forum_id_sort_key', 'forum_id', 'sort_key'),
        Index('ix_delegates_forum_id_name_key', 'forum_id', 'name_key'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey('forums.id', ondelete='CASCADE'))
    venue_id: Mapped[int] = mapped_column(ForeignKey('venues.id', ondelete='RESTRICT'), index=True)
    full_name: Mapped[str] = mapped_column(String(200))  # as written; never split automatically
    name_key: Mapped[str] = mapped_column(String(200))  # matching key, see forum.text
    search_name: Mapped[str] = mapped_column(String(200))  # without accents
    sort_key: Mapped[str] = mapped_column(String(600))
    position: Mapped[str] = mapped_column(String(200), default='')  # chức vụ
    body: Mapped[str] = mapped_column(String(200), default='')  # đơn vị
    email: Mapped[str] = mapped_column(String(254), default='')
    phone: Mapped[str] = mapped_column(String(20), default='')
    role: Mapped[DelegateRole] = mapped_column(
        enum_column_type(DelegateRole, 'delegate_role'), default=DelegateRole.DELEGATE
    )
    code: Mapped[str] = mapped_column(String(43), unique=True, default=new_invitation_code)
    short_code: Mapped[str] = mapped_column(String(12), unique=True, default=new_short_code)
    # The invitation's life: sent (by e-mail or on paper), opened (the page was visited), answered.
    invitation_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invitation_opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rsvp: Mapped[Rsvp] = mapped_column(enum_column_type(Rsvp, 'rsvp'), default=Rsvp.NONE)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    substitute_name: Mapped[str] = mapped_column(String(200), default='')
    substitute_position: Mapped[str] = mapped_column(String(200), default='')
    # Registered at the door without an invitation: shown apart to the organisers.
    walk_in: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    forum: Mapped['Forum'] = relationship(back_populates='delegates')
    venue: Mapped['Venue'] = relationship()

    @validates('full_name')
    def _derive_name_keys(self, _key: str, value: str) -> str:
        """Keep the matching, search and sort keys in step with the name."""
        value = normalize_text(value)
        self.name_key = matching_key(value)
        self.search_name = search_key(value)
        self.sort_key = name_sort_key(value)
        return value

    @property
    def venue_name(self) -> str:
        return self.venue.name

    @property
    def tier(self):
        """The delegate's tier is their bridge point's."""
        return self.venue.tier

    def __repr__(self) -> str:
        return f'<Delegate {self.id} {self.full_name!r}>'
