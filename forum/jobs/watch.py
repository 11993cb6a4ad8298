"""Passing job progress to the pages: each web process reads what changed and tells its clients.

Workers only write the ``jobs`` table. Every web process looks at it a few times a second
(one indexed query) while it has pages watching, and sends each change to its own clients
(``ignore_queue``: with Redis, every process tells its own, so no event is sent twice).
"""

import logging
import threading
from datetime import timedelta

from flask import url_for
from sqlalchemy import select

from forum.database import use_read_only_transactions
from forum.db_types import utcnow
from forum.extensions import db, socketio
from forum.jobs.models import Job

logger = logging.getLogger(__name__)

NAMESPACE = '/jobs'
EXTENSION = 'forum.job-watcher'
IDLE_STOP_SECONDS = 30


def job_room(job_id: int) -> str:
    return f'job-{job_id}'


def forum_jobs_room(forum_id: int) -> str:
    return f'forum-jobs-{forum_id}'


def result_url(job: Job) -> str:
    return url_for('jobs.download', job_id=job.id)


def event_payload(job: Job) -> dict:
    """The ``job`` event: the job's state, progress and, once done, where to download it."""
    from forum.jobs.services import job_payload

    payload = job_payload(job, url_for_result=result_url)
    payload['page'] = url_for('jobs.show', job_id=job.id)
    return payload


class JobWatcher:
    """One per app: a background task that runs while clients watch jobs."""

    def __init__(self, app):
        self.app = app
        self.interval = app.config['JOB_WATCH_SECONDS']
        self._lock = threading.Lock()
        self._running = False
        self._since = utcnow()
        self._last_watched = 0.0

    def watch(self) -> None:
        """A client started watching: make sure the task runs."""
        with self._lock:
            self._last_watched = _clock()
            if not self._running:
                self._running = True
                self._since = utcnow() - timedelta(seconds=1)
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
                if _clock() - self._last_watched > IDLE_STOP_SECONDS and not _has_watchers():
                    self._running = False

    def _send_changes(self) -> None:
        with self.app.test_request_context('/'):
            use_read_only_transactions()
            # A little overlap: a commit whose timestamp was taken before our last look.
            since, now = self._since - timedelta(seconds=1), utcnow()
            jobs = db.session.scalars(select(Job).where(Job.updated_at >= since)).all()
            for job in jobs:
                payload = event_payload(job)
                socketio.emit(
                    'job', payload, namespace=NAMESPACE, to=job_room(job.id), ignore_queue=True
                )
                if job.forum_id is not None:
                    socketio.emit(
                        'job',
                        payload,
                        namespace=NAMESPACE,
                        to=forum_jobs_room(job.forum_id),
                        ignore_queue=True,
                    )
            db.session.rollback()
            db.session.remove()
            self._since = now


def _clock() -> float:
    import time

    return time.monotonic()


def _has_watchers() -> bool:
    rooms = socketio.server.manager.rooms.get(NAMESPACE, {}) if socketio.server else {}
    return any(
        sids for room, sids in rooms.items() if room and room.startswith(('job-', 'forum-jobs-'))
    )


def job_watcher(app) -> JobWatcher:
    watcher = app.extensions.get(EXTENSION)
    if watcher is None:
        watcher = app.extensions[EXTENSION] = JobWatcher(app)
    return watcher


def stop_job_watcher(app) -> None:
    watcher = app.extensions.get(EXTENSION)
    if watcher is not None:
        watcher.stop()
