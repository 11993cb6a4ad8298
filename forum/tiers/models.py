"""Administrative units (the statistics office's list) and bridge points (điểm cầu)."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, case
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.auth.models import venue_operators
from forum.db_types import UTCDateTime, enum_column_type
from forum.extensions import db

if TYPE_CHECKING:
    from forum.auth.models import User
    from forum.forums.models import Forum


class Tier(enum.StrEnum):
    PROVINCE = 'province'
    DISTRICT = 'district'
    COMMUNE = 'commune'

    @property
    def level(self) -> int:
        """1 for the province, 2 for a district, 3 for a commune."""
        return list(Tier).index(self) + 1


def tier_rank(column):
    """A SQL expression ordering tiers province, district, commune."""
    return case({tier.value: tier.level for tier in Tier}, value=column, else_=9)


class ConnectionStatus(enum.StrEnum):
    NOT_CHECKED = 'not_checked'
    CONNECTED = 'connected'
    PROBLEM = 'problem'


class AdministrativeUnit(db.Model):
    """A province, district or commune as the statistics office lists it."""

    __tablename__ = 'admin_units'

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(30))  # Tỉnh, Thành phố, Huyện, Xã, Phường, Thị trấn
    tier: Mapped[Tier] = mapped_column(enum_column_type(Tier, 'tier'))
    parent_code: Mapped[str | None] = mapped_column(
        ForeignKey('admin_units.code', ondelete='RESTRICT'), index=True
    )

    parent: Mapped['AdministrativeUnit | None'] = relationship(
        remote_side=[code], back_populates='children'
    )
    children: Mapped[list['AdministrativeUnit']] = relationship(
        back_populates='parent', order_by='AdministrativeUnit.code'
    )

    def __repr__(self) -> str:
        return f'<AdministrativeUnit {self.code} {self.name}>'


class Venue(db.Model):
    """A bridge point of one forum: the hub at the province, or a district or commune point.

    It keeps the unit's code and name as they were on the forum's date, so old minutes keep
    old names after a reorganisation.
    """

    __tablename__ = 'venues'
    __table_args__ = (UniqueConstraint('forum_id', 'unit_code'),)

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey('forums.id', ondelete='CASCADE'), index=True)
    unit_code: Mapped[str] = mapped_column(String(10))
    tier: Mapped[Tier] = mapped_column(enum_column_type(Tier, 'tier'))
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey('venues.id', ondelete='RESTRICT'), index=True
    )
    address: Mapped[str] = mapped_column(String(300), default='')
    capacity: Mapped[int | None] = mapped_column(Integer)
    join_url: Mapped[str] = mapped_column(String(500), default='')
    connection_status: Mapped[ConnectionStatus] = mapped_column(
        enum_column_type(ConnectionStatus, 'connection_status'),
        default=ConnectionStatus.NOT_CHECKED,
    )
    status_note: Mapped[str] = mapped_column(Text, default='')
    status_reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    forum: Mapped['Forum'] = relationship(back_populates='venues')
    parent: Mapped['Venue | None'] = relationship(remote_side=[id])
    operators: Mapped[list['User']] = relationship(
        secondary=venue_operators, back_populates='venues', order_by='User.email'
    )

    @property
    def is_hub(self) -> bool:
        return self.tier == Tier.PROVINCE

    def __repr__(self) -> str:
        return f'<Venue {self.id} {self.unit_code} {self.name}>'
