"""Background jobs: what was asked, how far it got, and what it produced."""

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from forum.db_types import UTCDateTime, enum_column_type, utcnow
from forum.extensions import db


class JobState(enum.StrEnum):
    QUEUED = 'queued'
    RUNNING = 'running'
    DONE = 'done'
    FAILED = 'failed'


FINISHED_STATES = (JobState.DONE, JobState.FAILED)


class Job(db.Model):
    """One piece of heavy work run by the job worker, as the pages and the API show it.

    The row is the job's truth: Huey only carries its id to a worker. A worker claims a queued
    row (``queued`` → ``running`` in one UPDATE), so a job queued twice runs once; progress is
    written in short transactions; the result (a file, a summary) is written with ``done``.
    """

    __tablename__ = 'jobs'
    __table_args__ = (Index('ix_jobs_state_updated_at', 'state', 'updated_at'),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    forum_id: Mapped[int | None] = mapped_column(
        ForeignKey('forums.id', ondelete='CASCADE'), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey('users.id', ondelete='SET NULL'))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[JobState] = mapped_column(
        enum_column_type(JobState, 'job_state'), default=JobState.QUEUED
    )
    # What the work counts (pages, rows, messages), how many are done and how many in all.
    unit: Mapped[str] = mapped_column(String(20), default='')
    progress: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default='')
    summary: Mapped[dict | None] = mapped_column(JSON)
    file_name: Mapped[str] = mapped_column(String(200), default='')
    file_type: Mapped[str] = mapped_column(String(100), default='')
    file_size: Mapped[int] = mapped_column(Integer, default=0)
    file_content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Written with every progress step: a running job whose worker died stops moving.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED_STATES

    @property
    def has_file(self) -> bool:
        # A job's input (an uploaded list) has no type: it is kept, not offered for download.
        return self.state == JobState.DONE and self.file_size > 0 and bool(self.file_type)
