"""Running e-mail batches in the background and telling the organisers' pages how far they got."""

import logging

from flask import current_app
from sqlalchemy import select

from forum.extensions import db, socketio
from forum.invitations.emails import invitation_email
from forum.invitations.mailing import (
    Progress,
    SmtpSettings,
    queue_mail_job,
    run_mail_job,
)
from forum.invitations.models import MailJob, MailKind

logger = logging.getLogger(__name__)

PROGRESS_NAMESPACE = '/jobs'
RECENT_JOBS = 5


def progress_room(forum_id: int) -> str:
    """The Socket.IO room of the organisers watching a forum's e-mail batches."""
    return f'mail-{forum_id}'


def publish_progress(progress: Progress) -> None:
    """Tell the organisers' pages how far a batch has got."""
    socketio.emit(
        'mail_progress',
        progress.__dict__,
        namespace=PROGRESS_NAMESPACE,
        to=progress_room(progress.forum_id),
    )


def start_mail_job(forum, kind: MailKind, *, user=None, existing: MailJob | None = None):
    """Queue a batch (or take a re-queued one), commit, and send it in the background."""
    job = existing or queue_mail_job(forum, kind, user=user)
    db.session.commit()
    app = current_app._get_current_object()
    socketio.start_background_task(_send_in_background, app, job.id)
    logger.info('Mail job %s started for forum %s', job.id, forum.id)
    return job


def _send_in_background(app, job_id: int) -> None:
    with app.app_context():
        base_url = app.config['PUBLIC_URL']
        settings = SmtpSettings.from_config(app.config)
        try:
            run_mail_job(
                job_id,
                settings=settings,
                make_message=lambda delegate, kind: invitation_email(
                    delegate, kind, base_url=base_url, sender=settings.sender
                ),
                on_progress=publish_progress,
            )
        except Exception:
            logger.exception('Mail job %s stopped', job_id)
            db.session.rollback()
        finally:
            db.session.remove()


def latest_jobs(forum) -> list[MailJob]:
    """The forum's most recent batches, newest first."""
    return list(
        db.session.scalars(
            select(MailJob)
            .where(MailJob.forum_id == forum.id)
            .order_by(MailJob.id.desc())
            .limit(RECENT_JOBS)
        )
    )
