"""Imports every model so that ``db.metadata`` knows all tables (migrations, create_all)."""

from forum.audit.models import AuditEntry
from forum.auth.models import User, UserRole, venue_operators
from forum.checkin.models import CheckIn, CheckInMethod
from forum.delegates.models import Delegate, DelegateRole, Rsvp
from forum.forums.models import AgendaItem, AgendaKind, Forum, ForumOfficial, ForumStatus
from forum.invitations.models import (
    DeliveryStatus,
    MailDelivery,
    MailJob,
    MailJobStatus,
    MailKind,
    RevokedCode,
)
from forum.jobs.models import Job, JobState
from forum.minutes.models import (
    DocumentKind,
    IssuedDocument,
    MinutesDraft,
    MinutesRevision,
    MinutesTask,
)
from forum.qa.models import Question, QuestionKind, QuestionMode, QuestionStatus, Vote
from forum.tiers.models import AdministrativeUnit, ConnectionStatus, Tier, Venue

__all__ = [
    'AdministrativeUnit',
    'AgendaItem',
    'AgendaKind',
    'AuditEntry',
    'CheckIn',
    'CheckInMethod',
    'ConnectionStatus',
    'Delegate',
    'DelegateRole',
    'DeliveryStatus',
    'DocumentKind',
    'Forum',
    'IssuedDocument',
    'Job',
    'JobState',
    'ForumOfficial',
    'ForumStatus',
    'Question',
    'QuestionKind',
    'QuestionMode',
    'QuestionStatus',
    'MailDelivery',
    'MailJob',
    'MailJobStatus',
    'MailKind',
    'MinutesDraft',
    'MinutesRevision',
    'MinutesTask',
    'RevokedCode',
    'Rsvp',
    'Tier',
    'User',
    'UserRole',
    'Venue',
    'Vote',
    'venue_operators',
]
