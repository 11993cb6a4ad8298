"""Passing job progress to the pages: each web process reads what changed and tells its clients.

Workers only write the ``jobs`` table. Every web process looks at it a few times a second
(one indexed query) while it has pages watching, and sends each change to its own clients
(``ignore_queue``: with Redis, every process tells its own, so no event is sent twice).
"""

import logging
import threading
import time
from datetime import timedelta

from flask import url_for
from sqlalchemy import or_, select

from forum.database import use_read_only_transactions
from forum.db_types import utcnow
from forum.extensions import db, socketio
from forum.jobs.models import Job, JobState

logger = logging.getLogger(__name__)

NAMESPACE = '/jobs'
EXTENSION = 'forum.job-watcher'
IDLE_STOP_SECONDS = 30
RECENT_SECONDS = 60


def job_room(job_id: int) -> str:
    """The room of the pages following one job."""
    return f'job-{job_id}'


def forum_jobs_room(forum_id: int) -> str:
    """The room of the organisers' pages following a forum's jobs (its e-mail batches)."""
    return f'forum-jobs-{forum_id}'


def result_url(job: Job) -> str:
    """Where a page downloads a job's file."""
    return url_for('jobs.download', job_id=job.id)


def event_payload(job: Job) -> dict:
    """The ``job`` event: the job's state, progress and, once done, where to download it (not
    the rows of a checked list: the page it leads to shows those)."""
    from forum.jobs.services import job_payload

    payload = job_payload(job, url_for_result=result_url)
    payload['page'] = url_for('jobs.show', job_id=job.id)
    if isinstance(payload.get('summary'), dict) and 'rows' in payload['summary']:
        payload['summary'] = {k: v for k, v in payload['summary'].items() if k != 'rows'}
    return payload


class JobWatcher:
    """One per app: a background task that runs while clients watch jobs."""

    def __init__(self, app):
        self.app = app
        self.interval = app.config['JOB_WATCH_SECONDS']
        self._lock = threading.Lock()
        self._running = False
        self._sent: dict[int, tuple] = {}  # what this process last sent of each job
        self._last_watched = 0.0

    def watch(self) -> None:
        """A client started watching: make sure the task runs."""
        with self._lock:
            self._last_watched = time.monotonic()
            if not self._running:
                self._running = True
                self._sent = {}
                socketio.start_background_task(self._run)

    def stop(self) -> None:
        with self._lock:
            self._running = False

    def _run(self) -> None:
        while self._running:
            socketio.sleep(self.interval)
            try:
                self._send_changes()
            except Exception:
                logger.exception('Job progress not sent')
            with self._lock:
                if (
                    time.monotonic() - self._last_watched > IDLE_STOP_SECONDS
                    and not _has_watchers()
                ):
                    self._running = False

    def _send_changes(self) -> None:
        """Send every job whose state or progress changed since this process last sent it.

        The jobs looked at are the unfinished ones and those changed in the last minute: a
        commit that waited for the write lock, or a worker whose clock is a little off, is
        still seen; each change is sent once.
        """
        with self.app.test_request_context('/'):
            use_read_only_transactions()
            recent = utcnow() - timedelta(seconds=RECENT_SECONDS)
            jobs = db.session.scalars(
                select(Job).where(
                    or_(
                        Job.state.in_([JobState.QUEUED, JobState.RUNNING]), Job.updated_at >= recent
                    )
                )
            ).all()
            seen = {}
            for job in jobs:
                seen[job.id] = mark = (job.state, job.progress, job.total)
                if self._sent.get(job.id) != mark:
                    self._emit(job)
            db.session.rollback()
            db.session.remove()
        self._sent = seen

    def _emit(self, job: Job) -> None:
        payload = event_payload(job)
        rooms = [job_room(job.id)]
        if job.forum_id is not None:
            rooms.append(forum_jobs_room(job.forum_id))
        for room in rooms:
            socketio.emit('job', payload, namespace=NAMESPACE, to=room, ignore_queue=True)


def _has_watchers() -> bool:
    rooms = socketio.server.manager.rooms.get(NAMESPACE, {}) if socketio.server else {}
    return any(
        sids for room, sids in rooms.items() if room and room.startswith(('job-', 'forum-jobs-'))
    )


def job_watcher(app) -> JobWatcher:
    """The app's watcher, made on first use."""
    watcher = app.extensions.get(EXTENSION)
    if watcher is None:
        watcher = app.extensions[EXTENSION] = JobWatcher(app)
    return watcher


def stop_job_watcher(app) -> None:
    """Let the app's watcher stop (an app shutting down: the tests)."""
    watcher = app.extensions.get(EXTENSION)
    if watcher is not None:
        watcher.stop()
