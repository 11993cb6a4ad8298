"""Socket.IO namespace ``/jobs``: a signed-in page follows one job, or its forum's jobs."""

from dataclasses import dataclass

from flask import current_app, request
from flask_login import current_user
from flask_socketio import Namespace, emit, join_room
from sqlalchemy import select

from forum.auth.permissions import can_view_forum
from forum.extensions import db
from forum.forums.models import Forum
from forum.jobs.services import can_view_job, find_job
from forum.jobs.watch import NAMESPACE, event_payload, forum_jobs_room, job_room, job_watcher
from forum.live.revocation import revocation_watch
from forum.unit_of_work import unit_of_work


@dataclass(frozen=True)
class Follower:
    """The account behind a ``/jobs`` connection, as it was when it was let in (its sessions
    end with its token version: ``forum.live.revocation`` closes the connection then)."""

    user_id: int
    token_version: int
    is_staff: bool = True


_followers: dict[str, Follower] = {}


def _int(value) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**62:
        return value
    return None


class JobsNamespace(Namespace):
    """``auth={"job_id": id}`` for one job, ``{"forum_id": id}`` for an organiser's forum."""

    def on_connect(self, auth=None):
        with unit_of_work(writes=False):  # a connect reads: it never queues behind writers
            return self._connect(auth if isinstance(auth, dict) else {})

    def _connect(self, auth: dict) -> bool:
        if not current_user.is_authenticated:
            return False
        if (job_id := _int(auth.get('job_id'))) is not None:
            job = find_job(job_id)
            if job is None or not can_view_job(current_user, job):
                return False
            join_room(job_room(job.id))
            emit('job', event_payload(job))
        elif (forum_id := _int(auth.get('forum_id'))) is not None:
            forum = db.session.scalar(select(Forum).where(Forum.id == forum_id))
            if forum is None or not current_user.is_organiser:
                return False
            if not can_view_forum(current_user, forum):
                return False
            join_room(forum_jobs_room(forum_id))
        else:
            return False
        app = current_app._get_current_object()
        _followers[request.sid] = Follower(current_user.id, current_user.token_version)
        revocation_watch(app, _followers, NAMESPACE).ensure_running()
        job_watcher(app).watch()
        return True

    def on_disconnect(self, reason=None):
        _followers.pop(request.sid, None)


def jobs_namespace() -> JobsNamespace:
    """The ``/jobs`` namespace, registered once per process."""
    return JobsNamespace(NAMESPACE)
