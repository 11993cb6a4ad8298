"""What ``/healthz`` says about the jobs: is a worker alive, how many jobs wait."""

import time

from sqlalchemy import func, select

from forum.database import read_transactions
from forum.extensions import db
from forum.jobs.models import Job, JobState
from forum.jobs.queue import huey_of, jobs_backend
from forum.jobs.worker import HEARTBEAT_KEY

WORKER_SILENCE_SECONDS = 30


def jobs_health(app) -> dict:
    """``ok`` when a job worker wrote its heartbeat lately; the queue's length either way."""
    backend = jobs_backend(app.config)
    report = {
        'ok': True,
        'backend': backend,
        'queued': 0,
        'worker_last_seen': None,
        'problem': None,
    }
    try:
        beat = huey_of(app).get(HEARTBEAT_KEY, peek=True)
        with read_transactions():
            report['queued'] = db.session.scalar(
                select(func.count()).select_from(Job).where(Job.state == JobState.QUEUED)
            )
            db.session.rollback()
    except Exception as error:  # the queue's storage is down: say so
        report.update(ok=False, problem=f'error: {type(error).__name__}: {error}')
        return report
    if beat is None:
        report.update(ok=False, problem='no job worker has started')
        return report
    report['worker_last_seen'] = beat['at']
    silence = time.time() - beat['at']
    if silence > WORKER_SILENCE_SECONDS:
        report.update(ok=False, problem=f'no job worker seen for {int(silence)} s')
    return report
