"""Staff accounts and their roles; operators are scoped to bridge points."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.auth.hashing import hash_password, password_matches
from forum.db_types import UTCDateTime, enum_column_type, utcnow
from forum.extensions import db

if TYPE_CHECKING:
    from forum.tiers.models import Venue


class UserRole(enum.StrEnum):
    ADMIN = 'admin'
    ORGANISER = 'organiser'
    MODERATOR = 'moderator'
    OPERATOR = 'operator'
    SECRETARY = 'secretary'


venue_operators = Table(
    'venue_operators',
    db.metadata,
    Column('user_id', Integer, ForeignKey('users.id', ondelete='CASCADE'), primary_key=True),
    Column('venue_id', Integer, ForeignKey('venues.id', ondelete='CASCADE'), primary_key=True),
)


class User(UserMixin, db.Model):
    __tablename__ = 'users'

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default='')
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[UserRole] = mapped_column(enum_column_type(UserRole, 'user_role'))
    is_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Raising it ends every session (and remember cookie) and revokes every API token issued
    # before: signing out, a new password and disabling the account raise it.
    token_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    venues: Mapped[list['Venue']] = relationship(
        secondary=venue_operators, back_populates='operators', order_by='Venue.id'
    )

    def set_password(self, password: str) -> None:
        """Store a salted hash of ``password`` (scrypt unless the configuration says otherwise);
        a changed password ends the sessions and tokens opened with the old one."""
        method = current_app.config.get('PASSWORD_HASH_METHOD', 'scrypt')
        if self.password_hash:
            self.end_sessions()
        self.password_hash = hash_password(password, method)

    def end_sessions(self) -> None:
        """End every session, remember cookie and API token of this account."""
        self.token_version = (self.token_version or 1) + 1

    def get_id(self) -> str:
        # Flask-Login keeps this in the session and the remember cookie: with the version in it,
        # raising the version ends both on the server.
        return f'{self.id}:{self.token_version}'

    def check_password(self, password: str) -> bool:
        """Return whether ``password`` matches the stored hash."""
        return password_matches(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses sign-in to disabled accounts
        return self.is_enabled

    @property
    def is_organiser(self) -> bool:
        """Admins and organisers manage forums, bridge points and delegate lists."""
        return self.role in (UserRole.ADMIN, UserRole.ORGANISER)

    @property
    def is_operator(self) -> bool:
        return self.role == UserRole.OPERATOR

    def __repr__(self) -> str:
        return f'<User {self.id} {self.email} {self.role}>'
