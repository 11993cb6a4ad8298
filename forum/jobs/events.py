"""Socket.IO namespace ``/jobs``: a signed-in page follows one job, or its forum's jobs."""

from flask import current_app
from flask_login import current_user
from flask_socketio import Namespace, emit, join_room
from sqlalchemy import select

from forum.auth.permissions import can_view_forum
from forum.database import use_read_only_transactions
from forum.extensions import db
from forum.forums.models import Forum
from forum.jobs.services import can_view_job, find_job
from forum.jobs.watch import NAMESPACE, event_payload, forum_jobs_room, job_room, job_watcher


def _int(value) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**62:
        return value
    return None


class JobsNamespace(Namespace):
    """``auth={"job_id": id}`` for one job, ``{"forum_id": id}`` for an organiser's forum."""

    def on_connect(self, auth=None):
        auth = auth if isinstance(auth, dict) else {}
        use_read_only_transactions()  # a connect reads: it never queues behind writers
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
        job_watcher(current_app._get_current_object()).watch()
        return True


def jobs_namespace() -> JobsNamespace:
    """The ``/jobs`` namespace, registered once per process."""
    return JobsNamespace(NAMESPACE)
