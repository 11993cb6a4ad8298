"""A forum (hội nghị, tọa đàm), its agenda, and its chairs and guests of honour."""

import enum
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.db_types import UTCDateTime, enum_column_type, utcnow
from forum.extensions import db

if TYPE_CHECKING:
    from forum.delegates.models import Delegate
    from forum.tiers.models import AdministrativeUnit, Venue


class ForumStatus(enum.StrEnum):
    DRAFT = 'draft'
    INVITING = 'inviting'
    LIVE = 'live'
    CLOSED = 'closed'
    MINUTES_ISSUED = 'minutes_issued'

    @property
    def next(self) -> 'ForumStatus | None':
        """The status that follows this one, or None at the end."""
        members = list(ForumStatus)
        index = members.index(self)
        return members[index + 1] if index + 1 < len(members) else None


class OfficialRole(enum.StrEnum):
    CHAIR = 'chair'
    GUEST = 'guest'


class AgendaKind(enum.StrEnum):
    OPENING = 'opening'
    PRESENTATION = 'presentation'
    DISCUSSION = 'discussion'
    CONCLUSION = 'conclusion'


class Forum(db.Model):
    __tablename__ = 'forums'
    __table_args__ = (
        CheckConstraint('tier_depth IN (2, 3)', name='tier_depth'),
        CheckConstraint('ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at', name='ends'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    theme: Mapped[str] = mapped_column(Text, default='')
    host_body: Mapped[str] = mapped_column(String(200))  # e.g. Ủy ban nhân dân tỉnh Hà Giang
    organiser_body: Mapped[str] = mapped_column(String(200), default='')
    place: Mapped[str] = mapped_column(String(300), default='')
    locality: Mapped[str] = mapped_column(String(100), default='')  # "Hà Giang, ngày …"
    province_code: Mapped[str] = mapped_column(ForeignKey('admin_units.code', ondelete='RESTRICT'))
    held_on: Mapped[date] = mapped_column(Date)
    starts_at: Mapped[time | None] = mapped_column(Time)
    ends_at: Mapped[time | None] = mapped_column(Time)
    tier_depth: Mapped[int] = mapped_column(Integer, default=3)
    status: Mapped[ForumStatus] = mapped_column(
        enum_column_type(ForumStatus, 'forum_status'), default=ForumStatus.DRAFT
    )
    # Whether the audience sees who sent a question (the moderators always do).
    questions_show_names: Mapped[bool] = mapped_column(Boolean, default=True)
    # Increase with every change sent live (Socket.IO), so clients can see a gap and resync:
    # the staff's stream (everything) and the audience's (what delegates may see).
    live_version: Mapped[int] = mapped_column(Integer, default=0)
    public_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    province: Mapped['AdministrativeUnit'] = relationship()
    venues: Mapped[list['Venue']] = relationship(
        back_populates='forum', cascade='all, delete-orphan', passive_deletes=True
    )
    officials: Mapped[list['ForumOfficial']] = relationship(
        back_populates='forum',
        cascade='all, delete-orphan',
        order_by='ForumOfficial.position',
        passive_deletes=True,
    )
    agenda_items: Mapped[list['AgendaItem']] = relationship(
        back_populates='forum',
        cascade='all, delete-orphan',
        order_by='AgendaItem.position',
        passive_deletes=True,
    )
    delegates: Mapped[list['Delegate']] = relationship(
        back_populates='forum', cascade='all, delete-orphan', passive_deletes=True
    )

    @property
    def chairs(self) -> list['ForumOfficial']:
        return [o for o in self.officials if o.role == OfficialRole.CHAIR]

    @property
    def guests(self) -> list['ForumOfficial']:
        return [o for o in self.officials if o.role == OfficialRole.GUEST]

    def __repr__(self) -> str:
        return f'<Forum {self.id} {self.title!r}>'


class ForumOfficial(db.Model):
    """A chair (chủ trì) or guest of honour (khách mời) of a forum."""

    __tablename__ = 'forum_officials'

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey('forums.id', ondelete='CASCADE'), index=True)
    role: Mapped[OfficialRole] = mapped_column(enum_column_type(OfficialRole, 'official_role'))
    position: Mapped[int] = mapped_column(Integer, default=0)  # order of listing
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200), default='')  # chức vụ
    body: Mapped[str] = mapped_column(String(200), default='')  # cơ quan

    forum: Mapped[Forum] = relationship(back_populates='officials')


class AgendaItem(db.Model):
    """One item of the programme."""

    __tablename__ = 'agenda_items'

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey('forums.id', ondelete='CASCADE'), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    starts_at: Mapped[time | None] = mapped_column(Time)
    title: Mapped[str] = mapped_column(String(300))
    presenter: Mapped[str] = mapped_column(String(300), default='')
    kind: Mapped[AgendaKind] = mapped_column(enum_column_type(AgendaKind, 'agenda_kind'))

    forum: Mapped[Forum] = relationship(back_populates='agenda_items')
