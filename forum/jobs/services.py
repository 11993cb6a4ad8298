"""Submitting jobs, finding them for the people who may see them, waiting on them."""

import logging
import time
from collections.abc import Callable

from flask import current_app
from sqlalchemy import select

from forum.auth.models import User, UserRole
from forum.auth.permissions import can_view_forum
from forum.database import ensure_writing, read_transactions
from forum.extensions import db, socketio
from forum.jobs.models import Job, JobState
from forum.jobs.queue import send_job
from forum.unit_of_work import after_commit, commit_before_waiting

logger = logging.getLogger(__name__)


def submit_job(
    kind: str,
    *,
    user: User | None,
    forum_id: int | None,
    params: dict,
    leads_to: Callable[[int], str] | None = None,
) -> Job:
    """Record a job, to be handed to the workers once it is committed.
    ``leads_to(job_id)`` is the page its own page opens once it is finished, if any."""
    job = Job(kind=kind, forum_id=forum_id, created_by_id=getattr(user, 'id', None), params=params)
    return queue_job(job, leads_to=leads_to)


def queue_job(job: Job, *, leads_to: Callable[[int], str] | None = None) -> Job:
    """Add a prepared job (one that carries its input, say); once it is committed, it is
    handed to the workers (they must see the committed row)."""
    job.state = JobState.QUEUED
    ensure_writing()  # a GET that starts a job has only read so far
    db.session.add(job)
    db.session.flush()
    if leads_to is not None:
        job.params = {**(job.params or {}), 'next': leads_to(job.id)}
    after_commit(send_job, job.id)
    logger.info('Job %s (%s) queued for forum %s', job.id, job.kind, job.forum_id)
    return job


def can_view_job(user, job: Job) -> bool:
    """The person who asked for it, administrators, and organisers of its forum."""
    if user is None or not getattr(user, 'is_authenticated', False):
        return False
    if user.role == UserRole.ADMIN or job.created_by_id == user.id:
        return True
    if job.forum_id is None or not user.is_organiser:
        return False
    from forum.forums.models import Forum

    forum = db.session.get(Forum, job.forum_id)
    return forum is not None and can_view_forum(user, forum)


def find_job(job_id: int) -> Job | None:
    """The job with this id, read afresh from the database (None for ids no row can have)."""
    if not 0 < job_id < 2**62:
        return None
    return db.session.scalar(
        select(Job).where(Job.id == job_id).execution_options(populate_existing=True)
    )


def wait_for_job(job_id: int, timeout: float | None = None) -> Job:
    """Wait (cooperatively: other requests go on) until the job is done or failed, or
    ``timeout`` seconds pass; the job as it then stands."""
    timeout = current_app.config['JOB_WAIT_SECONDS'] if timeout is None else timeout
    deadline = time.monotonic() + timeout
    delay = 0.02
    commit_before_waiting()  # nothing of this request may hold the write lock while it waits
    with read_transactions():
        while True:
            job = find_job(job_id)
            if job is None or job.is_finished or time.monotonic() >= deadline:
                return job
            db.session.rollback()  # no transaction open while asleep; the next look is fresh
            socketio.sleep(delay)
            delay = min(delay * 1.5, 0.5)


def job_payload(job: Job, *, url_for_result=None) -> dict:
    """The job as the API and the live events show it."""
    payload = {
        'id': job.id,
        'kind': job.kind,
        'state': job.state.value,
        'progress': job.progress,
        'total': job.total,
        'unit': job.unit,
        'created_at': job.created_at.isoformat() if job.created_at else None,
        'finished_at': job.finished_at.isoformat() if job.finished_at else None,
        'expires_at': job.expires_at.isoformat() if job.expires_at else None,
    }
    if (mail_job_id := (job.params or {}).get('mail_job_id')) is not None:
        payload['mail_job_id'] = mail_job_id
    if job.summary is not None:
        payload['summary'] = job.summary
    if job.state == JobState.FAILED:
        payload['error'] = job.error
    if job.has_file and url_for_result is not None:
        payload['result'] = url_for_result(job)
        payload['file_name'] = job.file_name
        payload['file_size'] = job.file_size
    return payload
