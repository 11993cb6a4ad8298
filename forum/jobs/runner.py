"""Running one job in a worker: claim it, let its handler work, record how it ended.

A handler reads what it needs in a short read-only transaction (``ctx.reading()``), works with
no transaction open (rendering, parsing, talking to an SMTP server), and writes what it
produced in short write transactions (``ctx.writing()``). Progress goes to the job's row at
most a few times a second; the web processes pass it on to the pages over Socket.IO.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import update

from forum.database import use_read_only_transactions, use_write_transactions
from forum.db_types import utcnow
from forum.errors import DomainError
from forum.extensions import db
from forum.jobs.models import Job, JobState
from forum.unit_of_work import transaction

logger = logging.getLogger(__name__)

PROGRESS_INTERVAL_SECONDS = 0.3


class JobTakenOver(Exception):
    """The job is not this run's any more (the sweeper gave it to another run): stop, write
    nothing."""


class JobFailed(Exception):
    """The job cannot be done, for a reason the person who asked for it can act on."""

    def __init__(self, message: str, *, summary: dict | None = None):
        super().__init__(message)
        self.message = message
        self.summary = summary


@dataclass
class JobResult:
    """What a job produced: a file to download, a summary to show, or both."""

    file_name: str = ''
    file_type: str = ''
    content: bytes | None = None
    summary: dict | None = None


Handler = Callable[['JobContext'], JobResult]
HANDLERS: dict[str, Handler] = {}


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that does the work of jobs of ``kind``."""

    def register(handler: Handler) -> Handler:
        HANDLERS[kind] = handler
        return handler

    return register


class JobContext:
    """What a handler knows of its job, and how it reads, writes and reports progress."""

    def __init__(self, app, job: Job):
        self.app = app
        self.job_id = job.id
        self.kind = job.kind
        self.params = dict(job.params or {})
        self.forum_id = job.forum_id
        self.user_id = job.created_by_id
        self.attempt = job.attempts
        self.finished = False
        self._done = 0
        self._last_report = 0.0

    @contextmanager
    def reading(self) -> Iterator[None]:
        """A read-only transaction, ended (rolled back) when the block ends."""
        use_read_only_transactions()
        try:
            yield
        finally:
            db.session.rollback()
            use_write_transactions()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """A write transaction, committed when the block ends without an error."""
        use_write_transactions()
        with transaction():
            yield

    def start(self, total: int, unit: str) -> None:
        """Say how much there is to do (pages, rows, messages)."""
        with self.writing():
            self.update_own_row(total=total, unit=unit, progress=0)

    def advance(self, done: int, *, force: bool = False, in_transaction: bool = False) -> None:
        """Record that ``done`` units are done (written at most a few times a second), in a
        transaction of its own, or in the handler's open one (``in_transaction``)."""
        self._done = done
        now = time.monotonic()
        if not force and now - self._last_report < PROGRESS_INTERVAL_SECONDS:
            return
        self._last_report = now
        if in_transaction:
            self.update_own_row(progress=done)
            return
        with self.writing():
            self.update_own_row(progress=done)

    def update_own_row(self, **values) -> None:
        """Write to the job's row, if it is still this run's (else ``JobTakenOver``)."""
        written = db.session.execute(
            update(Job)
            .where(Job.id == self.job_id, Job.state == JobState.RUNNING)
            .where(Job.attempts == self.attempt)
            .values(updated_at=utcnow(), **values)
        ).rowcount
        if not written:
            raise JobTakenOver(self.job_id)

    def record_result(self, result: JobResult, *, progress: int | None = None) -> None:
        """Mark the job done inside the handler's own write transaction (all or nothing: if
        the job is not this run's any more, ``JobTakenOver`` rolls the whole of it back)."""
        self.update_own_row(**_result_values(self.app, result, progress))
        self.finished = True


def run_job(app, job_id: int) -> None:
    """Claim the job and run it; a job someone else claimed (or finished) is left alone."""
    with app.app_context():
        try:
            job = _claim(job_id)
            if job is None:
                return
            ctx = JobContext(app, job)
            db.session.rollback()
        finally:
            db.session.remove()
        with _kept_alive(app, ctx):
            _run_claimed(app, ctx)


def _run_claimed(app, ctx: JobContext) -> None:
    job_id = ctx.job_id
    try:
        handler = HANDLERS.get(ctx.kind)
        if handler is None:
            raise JobFailed(f'Unknown job kind {ctx.kind!r}.')
        logger.info('Job %s (%s) started', job_id, ctx.kind)
        started = time.monotonic()
        result = handler(ctx)
        if not ctx.finished:
            with ctx.writing():
                ctx.update_own_row(**_result_values(app, result, ctx._done))
        logger.info('Job %s (%s) done in %.2f s', job_id, ctx.kind, time.monotonic() - started)
    except JobTakenOver:
        db.session.rollback()
        logger.warning('Job %s was given to another run; this one stops', job_id)
    except JobFailed as failure:
        _record_failure(app, ctx, failure.message, failure.summary)
    except DomainError as refusal:
        _record_failure(app, ctx, refusal.message, None)
    except Exception as error:
        logger.exception('Job %s failed', job_id)
        message = _('Lỗi không mong đợi khi xử lý: %(error)s', error=type(error).__name__)
        _record_failure(app, ctx, message, None)
    finally:
        db.session.remove()


@contextmanager
def _kept_alive(app, ctx: JobContext) -> Iterator[None]:
    """While the job runs, a thread notes now and then that it is alive, so that a long step
    (one big render, a slow SMTP server) is not taken for a dead worker by the sweeper."""
    stop = threading.Event()
    interval = max(1.0, app.config['JOB_STALE_SECONDS'] / 4)

    def beat() -> None:
        while not stop.wait(interval):
            with app.app_context():
                try:
                    use_write_transactions()
                    ctx.update_own_row()
                    db.session.commit()
                except JobTakenOver:
                    return
                except Exception:
                    logger.exception('Job %s: heartbeat not written', ctx.job_id)
                finally:
                    db.session.remove()

    thread = threading.Thread(target=beat, daemon=True, name=f'job-{ctx.job_id}-alive')
    thread.start()
    try:
        with app.app_context():
            yield
    finally:
        stop.set()
        thread.join()


def _claim(job_id: int) -> Job | None:
    use_write_transactions()
    now = utcnow()
    claimed = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.state == JobState.QUEUED)
        .values(state=JobState.RUNNING, started_at=now, updated_at=now, attempts=Job.attempts + 1)
    ).rowcount
    db.session.commit()
    if not claimed:
        logger.info('Job %s is not queued any more; left alone', job_id)
        return None
    return db.session.get(Job, job_id)


def _expiry(app):
    return utcnow() + timedelta(seconds=app.config['JOB_RESULT_TTL_SECONDS'])


def _result_values(app, result: JobResult, progress: int | None) -> dict:
    values = {
        'state': JobState.DONE,
        'summary': result.summary,
        'file_name': result.file_name,
        'file_type': result.file_type,
        'file_size': len(result.content or b''),
        'file_content': result.content,
        'finished_at': utcnow(),
        'expires_at': _expiry(app),
        'error': '',
    }
    if progress is not None:
        values['progress'] = progress
    return values


def _record_failure(app, ctx: JobContext, message: str, summary: dict | None) -> None:
    logger.warning('Job %s failed: %s', ctx.job_id, message)
    db.session.rollback()
    use_write_transactions()
    try:
        ctx.update_own_row(
            state=JobState.FAILED,
            error=message,
            summary=summary,
            finished_at=utcnow(),
            expires_at=_expiry(app),
        )
        run_failure_hook(ctx.kind, ctx.job_id, dict(ctx.params))
        db.session.commit()
    except JobTakenOver:
        db.session.rollback()


FailureHook = Callable[[int, dict], None]
FAILURE_HOOKS: dict[str, FailureHook] = {}


def on_job_failure(kind: str) -> Callable[[FailureHook], FailureHook]:
    """Register what ends a failed job's work of ``kind`` (a batch left running, say); it runs
    in the transaction that marks the job failed."""

    def register(hook: FailureHook) -> FailureHook:
        FAILURE_HOOKS[kind] = hook
        return hook

    return register


def run_failure_hook(kind: str, job_id: int, params: dict) -> None:
    """Tidy up after a failed job of ``kind`` (within the caller's transaction)."""
    hook = FAILURE_HOOKS.get(kind)
    if hook is not None:
        hook(job_id, params)
