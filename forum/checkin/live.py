"""Attendance on the live channel: coalesced ``attendance`` events and the snapshot's part.

A burst of 2,000 check-ins in a minute must not become 2,000 × (number of screens) messages:
a check-in only marks its forum as changed, and a background task sends each changed forum's
counts at most every ``ATTENDANCE_INTERVAL`` seconds, once, to the staff room.
"""

import logging

from forum.checkin.attendance import attendance_summary
from forum.checkin.models import CheckIn
from forum.checkin.services import delegate_checkin
from forum.delegates.models import Delegate
from forum.extensions import db
from forum.forums.models import Forum
from forum.live.coalesce import coalescer
from forum.live.namespace import Viewer, add_snapshot_part
from forum.live.publish import publish
from forum.live.rooms import staff_room
from forum.live.versions import next_version

logger = logging.getLogger(__name__)

ATTENDANCE_INTERVAL = 0.5


def send_attendance(forum_id: int) -> dict:
    """Compute the forum's counts, take a version, commit it, and send them to the staff."""
    try:
        forum = db.session.get(Forum, forum_id)
        summary = attendance_summary(forum)
        version = next_version(forum_id)
        db.session.commit()
    finally:
        db.session.remove()
    return publish('attendance', summary, room=staff_room(forum_id), version=version)


def attendance_changed(forum_id: int) -> None:
    """Call after committing a check-in, an undo, a check-out or a roll-call answer."""
    coalescer('attendance', send_attendance, ATTENDANCE_INTERVAL).mark_changed(forum_id)


def _attendance_snapshot(forum: Forum, viewer: Viewer) -> dict:
    if viewer.is_staff:
        return {'attendance': attendance_summary(forum)}
    delegate = db.session.get(Delegate, viewer.delegate_id)
    checkin = delegate_checkin(delegate)
    return {'my_checkin': checkin_fields(checkin) if checkin else None}


def checkin_fields(checkin: CheckIn) -> dict:
    """A check-in as the live channel and the API show it."""
    return {
        'id': checkin.id,
        'delegate_id': checkin.delegate_id,
        'venue_id': checkin.venue_id,
        'venue': checkin.venue.name,
        'checked_in_at': checkin.checked_in_at.isoformat(),
        'by': checkin.by_user.full_name or checkin.by_user.email if checkin.by_user else None,
        'other_venue': checkin.other_venue,
        'method': checkin.method.value,
    }


def register_live_parts() -> None:
    """Add attendance to the live channel's snapshot."""
    add_snapshot_part(_attendance_snapshot)
