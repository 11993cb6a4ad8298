"""Imports every model so that ``db.metadata`` knows all tables (migrations, create_all)."""

from forum.audit.models import AuditEntry
from forum.auth.models import User, UserRole, venue_operators
from forum.delegates.models import Delegate, DelegateRole
from forum.forums.models import AgendaItem, AgendaKind, Forum, ForumOfficial, ForumStatus
from forum.tiers.models import AdministrativeUnit, ConnectionStatus, Tier, Venue

__all__ = [
    'AdministrativeUnit',
    'AgendaItem',
    'AgendaKind',
    'AuditEntry',
    'ConnectionStatus',
    'Delegate',
    'DelegateRole',
    'Forum',
    'ForumOfficial',
    'ForumStatus',
    'Tier',
    'User',
    'UserRole',
    'Venue',
    'venue_operators',
]
