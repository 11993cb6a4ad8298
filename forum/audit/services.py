"""Recording changes in the audit log."""

import logging

from forum.audit.models import AuditEntry
from forum.extensions import db

logger = logging.getLogger(__name__)


def record_change(
    action: str,
    entity: object,
    *,
    user=None,
    forum_id: int | None = None,
    details: dict | None = None,
) -> AuditEntry:
    """Add an audit entry for ``action`` on ``entity`` by ``user``; the caller commits."""
    db.session.flush()  # so that a new entity has its id
    entry = AuditEntry(
        action=action,
        entity=type(entity).__name__,
        entity_id=getattr(entity, 'id', None),
        user_id=getattr(user, 'id', None),
        forum_id=forum_id,
        details=details or {},
    )
    db.session.add(entry)
    logger.info('Audit %s %s %s by user %s', action, entry.entity, entry.entity_id, entry.user_id)
    return entry
