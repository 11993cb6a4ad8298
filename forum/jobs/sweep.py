"""Keeping the jobs table honest: expired results go, stuck jobs are run again or reported."""

import logging
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, delete, or_, select, update

from forum.database import read_transactions, use_write_transactions
from forum.db_types import utcnow
from forum.extensions import db
from forum.jobs.models import FINISHED_STATES, Job, JobState
from forum.jobs.runner import run_failure_hook

logger = logging.getLogger(__name__)


def _anything_to_sweep(now, stale) -> bool:
    with read_transactions():
        found = db.session.scalar(
            select(Job.id)
            .where(
                or_(
                    and_(Job.state.in_(FINISHED_STATES), Job.expires_at < now),
                    and_(
                        Job.state.in_([JobState.RUNNING, JobState.QUEUED]), Job.updated_at < stale
                    ),
                )
            )
            .limit(1)
        )
        db.session.rollback()
    return found is not None


def sweep_jobs(app) -> dict:
    """Delete expired jobs, re-send queued ones that waited long, rescue interrupted ones.

    A job whose worker died (a restart, a kill) stops writing progress: past
    ``JOB_STALE_SECONDS`` it is queued again, or failed with the reason once it has been tried
    ``JOB_MAX_ATTEMPTS`` times. Sending a queued job twice is harmless: only one worker claims it.
    """
    from forum.jobs.queue import send_job

    config = app.config
    with app.app_context():
        now = utcnow()
        stale = now - timedelta(seconds=config['JOB_STALE_SECONDS'])
        if not _anything_to_sweep(now, stale):  # a read: no write lock taken for nothing
            db.session.remove()
            return {'removed': 0, 'requeued': 0, 'failed': 0, 'resent': 0}
        use_write_transactions()
        removed = db.session.execute(
            delete(Job).where(Job.state.in_(FINISHED_STATES), Job.expires_at < now)
        ).rowcount
        interrupted = db.session.execute(
            select(Job.id, Job.attempts).where(
                Job.state == JobState.RUNNING, Job.updated_at < stale
            )
        ).all()
        again, failed = [], []
        for job_id, attempts in interrupted:
            if attempts < config['JOB_MAX_ATTEMPTS']:
                again.append(job_id)
            else:
                failed.append(job_id)
        if again:
            db.session.execute(
                update(Job)
                .where(Job.id.in_(again), Job.state == JobState.RUNNING)
                .values(state=JobState.QUEUED, updated_at=now)
            )
        if failed:
            db.session.execute(
                update(Job)
                .where(Job.id.in_(failed), Job.state == JobState.RUNNING)
                .values(
                    state=JobState.FAILED,
                    error=_(
                        'Công việc bị gián đoạn (máy chủ khởi động lại) nhiều lần; hãy thử lại.'
                    ),
                    finished_at=now,
                    updated_at=now,
                    expires_at=now + timedelta(seconds=config['JOB_RESULT_TTL_SECONDS']),
                )
            )
        for job_id in failed:
            job = db.session.get(Job, job_id)
            run_failure_hook(job.kind, job.id, dict(job.params or {}))
        waiting = db.session.scalars(
            select(Job.id).where(Job.state == JobState.QUEUED, Job.updated_at < stale)
        ).all()
        if waiting:
            db.session.execute(update(Job).where(Job.id.in_(waiting)).values(updated_at=now))
        db.session.commit()
        for job_id in [*again, *waiting]:
            send_job(job_id, app)
        db.session.remove()
    if removed or again or failed or waiting:
        logger.info(
            'Jobs swept: %d expired removed, %d interrupted queued again, %d failed, %d re-sent',
            removed,
            len(again),
            len(failed),
            len(waiting),
        )
    return {
        'removed': removed,
        'requeued': len(again),
        'failed': len(failed),
        'resent': len(waiting),
    }
