"""Attendance on the live channel: the snapshot's part (the events: ``forum.checkin.board``)."""

from forum.checkin.answers import checkin_answer
from forum.checkin.attendance import attendance_summary
from forum.checkin.board import sent_attendance
from forum.checkin.services import delegate_checkin
from forum.delegates.models import Delegate
from forum.extensions import db
from forum.forums.models import Forum
from forum.live.namespace import Viewer, add_snapshot_part


def _attendance_snapshot(forum: Forum, viewer: Viewer) -> dict:
    if viewer.is_staff:
        # Before the counts are read: an event computed earlier but sent after this snapshot is
        # then followed by a whole one.
        sent_attendance().forget(forum.id)
        return {'attendance': attendance_summary(forum)}
    delegate = db.session.get(Delegate, viewer.delegate_id)
    checkin = delegate_checkin(delegate)
    return {'my_checkin': checkin_answer(checkin) if checkin else None}


def register_live_parts() -> None:
    """Add attendance to the live channel's snapshot."""
    add_snapshot_part(_attendance_snapshot)
