"""The attendance board's events: coalesced ``attendance`` events to the staff of a forum.

A burst of 2,000 check-ins in a minute must not become 2,000 × (number of screens) messages:
a check-in only marks its forum as changed (``board_changed``, once the change is committed),
and a background task sends each changed forum's counts at most every ``ATTENDANCE_INTERVAL``
seconds, once, to the staff room.

Nor should each event carry every bridge point's row to every screen (200-odd rows, 32 KB, to
500 boards every second). An event is *partial* (``"partial": true``): the totals and
``by_tier`` as always, but in ``by_venue`` only the points whose counts changed since the last
event, each with its ``venue_id`` and the fields that changed; a board merges them into the
rows it has. The ``snapshot`` always has the whole table. An event is whole again (as before,
without ``partial``) when this process has sent nothing for the forum yet, after a staff
snapshot (the next event covers anything the new board's snapshot raced with), when a bridge
point disappeared, and at least every ``FULL_EVENT_SECONDS`` (other processes' boards, with a
Redis queue, follow the same events).
"""

import logging
import threading
import time

from flask import current_app

from forum.checkin.attendance import attendance_summary
from forum.extensions import db
from forum.forums.models import Forum
from forum.live.coalesce import coalescer
from forum.live.publish import publish
from forum.live.rooms import staff_room
from forum.live.versions import next_version
from forum.unit_of_work import after_commit, unit_of_work

logger = logging.getLogger(__name__)

# A board is read by people: once a second is live to them, and during a burst it halves what
# 500 boards are sent against twice a second (docs/benchmarks.md, check-in, round 4).
ATTENDANCE_INTERVAL = 1.0
FULL_EVENT_SECONDS = 10.0


class _SentAttendance:
    """Per app: the ``by_venue`` rows last sent for each forum, and when the last whole one went."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rows: dict[int, dict[int, dict]] = {}
        self.full_at: dict[int, float] = {}

    def event(self, forum_id: int, summary: dict) -> dict:
        """The event for ``summary``: partial against what was sent last, or whole."""
        rows = {row['venue_id']: row for row in summary['by_venue']}
        now = time.monotonic()
        with self.lock:
            last = self.rows.get(forum_id)
            self.rows[forum_id] = rows
            if last is None or now - self.full_at.get(forum_id, 0.0) >= FULL_EVENT_SECONDS:
                last = None
            elif not last.keys() <= rows.keys():  # a bridge point was removed
                last = None
            if last is None:
                self.full_at[forum_id] = now
                return summary
        changed = []
        for venue_id, row in rows.items():
            before = last.get(venue_id)
            if before is None:
                changed.append(row)
            elif before != row:
                delta = {key: value for key, value in row.items() if before.get(key) != value}
                changed.append({'venue_id': venue_id, **delta})
        return {**summary, 'by_venue': changed, 'partial': True}

    def forget(self, forum_id: int) -> None:
        """Make the forum's next event whole."""
        with self.lock:
            self.rows.pop(forum_id, None)


def sent_attendance() -> _SentAttendance:
    app = current_app._get_current_object()
    sent = app.extensions.get('attendance_sent')
    if sent is None:
        sent = app.extensions['attendance_sent'] = _SentAttendance()
    return sent


def send_attendance(forum_id: int) -> dict:
    """Compute the forum's counts, take a version, commit it, and send them to the staff."""
    with unit_of_work():
        forum = db.session.get(Forum, forum_id)
        summary = attendance_summary(forum)
        version = next_version(forum_id)
    event = sent_attendance().event(forum_id, summary)
    return publish('attendance', event, room=staff_room(forum_id), version=version)


def attendance_changed(forum_id: int) -> None:
    """Mark the forum's counts as changed: the next coalesced event carries them."""
    coalescer('attendance', send_attendance, ATTENDANCE_INTERVAL).mark_changed(forum_id)


def board_changed(forum_id: int) -> None:
    """A check-in, an undo, a check-out or a roll-call answer: the boards hear of it once the
    change is committed."""
    after_commit(attendance_changed, forum_id)
