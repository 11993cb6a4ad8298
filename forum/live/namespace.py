"""``/live``: who may connect (a staff token or a delegate's code), rooms, the snapshot."""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, request
from flask_socketio import Namespace, emit, join_room
from sqlalchemy import select

from forum.auth.permissions import can_view_forum, sees_every_point
from forum.auth.services import user_for_api_token
from forum.delegates.models import Delegate
from forum.extensions import db
from forum.forums.models import Forum
from forum.input_guard import is_id
from forum.live import NAMESPACE
from forum.live.revocation import revocation_watch
from forum.live.rooms import (
    delegate_room,
    desk_room,
    floor_room,
    forum_room,
    point_staff_room,
    staff_room,
)
from forum.live.versions import current_version
from forum.text import clean_text
from forum.unit_of_work import unit_of_work

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Viewer:
    """Who is on the other end of a connection."""

    forum_id: int
    user_id: int | None = None
    role: str | None = None
    delegate_id: int | None = None
    venue_ids: frozenset[int] = frozenset()
    token_version: int | None = None  # the staff account's, when the connection was let in
    code: str | None = None  # the delegate's, when the connection was let in

    @property
    def is_staff(self) -> bool:
        return self.user_id is not None

    @property
    def sees_every_point(self) -> bool:
        """Staff who see every item in full; operators see their own points' items."""
        return self.is_staff and sees_every_point(self.role)


SnapshotPart = Callable[[Forum, Viewer], dict]
_snapshot_parts: list[SnapshotPart] = []
_viewers: dict[str, Viewer] = {}


def add_snapshot_part(part: SnapshotPart) -> None:
    """Let a domain add its state to the snapshot (attendance, questions, …)."""
    if part not in _snapshot_parts:
        _snapshot_parts.append(part)


def identify(auth) -> Viewer | None:
    """Check the connect payload: ``forum_id`` plus a staff ``token`` or a delegate ``code``."""
    if not isinstance(auth, dict) or not is_id(auth.get('forum_id')):
        return None
    forum = db.session.get(Forum, auth['forum_id'])
    if forum is None:
        return None
    if isinstance(auth.get('token'), str):
        user = user_for_api_token(auth['token'])
        if user is None or not can_view_forum(user, forum):
            return None
        venues = frozenset(v.id for v in user.venues if v.forum_id == forum.id)
        return Viewer(
            forum.id,
            user_id=user.id,
            role=user.role.value,
            venue_ids=venues,
            token_version=user.token_version,
        )
    if isinstance(auth.get('code'), str):
        code = clean_text(auth['code'])[:64]  # a NUL would break PostgreSQL's query
        delegate = db.session.scalar(select(Delegate).where(Delegate.code == code))
        if delegate is None or delegate.forum_id != forum.id:
            return None
        return Viewer(
            forum.id,
            delegate_id=delegate.id,
            venue_ids=frozenset({delegate.venue_id}),
            code=delegate.code,
        )
    return None


def build_snapshot(forum: Forum, viewer: Viewer) -> dict:
    """The whole live state this viewer may see, with the forum's current version."""
    version = current_version(forum.id, public=not viewer.is_staff)
    snapshot = {'forum_id': forum.id, 'version': version, 'ts': time.time()}
    for part in _snapshot_parts:
        snapshot.update(part(forum, viewer))
    return snapshot


class LiveNamespace(Namespace):
    """Refuses unidentified connections; sends the snapshot right after connecting."""

    def on_connect(self, auth=None):
        with unit_of_work(writes=False):  # a connect reads: it never queues behind writers
            viewer = identify(auth)
            if viewer is None:
                return False
            _viewers[request.sid] = viewer
            revocation_watch(
                current_app._get_current_object(), _viewers, NAMESPACE
            ).ensure_running()
            if viewer.is_staff:
                join_room(staff_room(viewer.forum_id))
                if viewer.sees_every_point:
                    join_room(desk_room(viewer.forum_id))
                else:
                    join_room(floor_room(viewer.forum_id))
                    for venue_id in viewer.venue_ids:
                        join_room(point_staff_room(venue_id))
            else:
                join_room(forum_room(viewer.forum_id))
                join_room(delegate_room(viewer.delegate_id))
            self._send_snapshot(viewer)
            return True

    def on_disconnect(self, reason=None):
        _viewers.pop(request.sid, None)

    def on_resync(self, _data=None):
        """A client saw a gap in versions, or came back: send the whole state again."""
        viewer = _viewers.get(request.sid)
        if viewer is None:
            return
        with unit_of_work(writes=False):
            self._send_snapshot(viewer)

    def _send_snapshot(self, viewer: Viewer) -> None:
        forum = db.session.get(Forum, viewer.forum_id)
        emit('snapshot', build_snapshot(forum, viewer))
