"""The secretariat's draft of a forum's minutes and notice, and its revisions (who changed
what, when); like every service here it never commits: the view does."""

import difflib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from forum.audit.services import record_change
from forum.auth.models import UserRole
from forum.extensions import db
from forum.forums.models import Forum
from forum.minutes.draft_input import (
    DEFAULT_RECIPIENTS,
    LONG_FIELDS,
    SHORT_FIELDS,
    TEXT_LIMITS,
    TIME_FIELDS,
    DraftData,
    MinutesError,
)
from forum.minutes.models import (
    MinutesDraft,
    MinutesRevision,
    MinutesTask,
)

logger = logging.getLogger(__name__)


# Saves by one person less than this apart make one revision; a longer pause starts another.
REVISION_WINDOW = timedelta(minutes=10)


# The draft and its revisions ---------------------------------------------------------------


def find_draft(forum: Forum) -> MinutesDraft | None:
    """The forum's saved draft, if the secretariat has saved one."""
    return db.session.scalar(select(MinutesDraft).where(MinutesDraft.forum_id == forum.id))


def draft_for(forum: Forum, user=None) -> MinutesDraft:
    """The saved draft, or a new one (not added to the session) filled from the forum."""
    return find_draft(forum) or new_draft(forum, user)


def new_draft(forum: Forum, user=None) -> MinutesDraft:
    """A draft filled from the forum: the first chair signs, the signed-in secretary keeps the
    minutes; not added to the session."""
    chair = forum.chairs[0] if forum.chairs else None
    secretary = user.full_name if user is not None and user.role == UserRole.SECRETARY else ''
    return MinutesDraft(
        forum_id=forum.id,
        conclusions='',
        minutes_number='',
        notice_number='',
        chair_name=chair.name if chair else '',
        chair_title=chair.title if chair else '',
        secretary_name=secretary or '',
        recipients=DEFAULT_RECIPIENTS,
        lock_version=0,
        tasks=[],
    )


def snapshot_of(draft: MinutesDraft) -> dict:
    """The draft's content as JSON: what a revision keeps."""
    return {
        'conclusions': draft.conclusions or '',
        'minutes_number': draft.minutes_number or '',
        'notice_number': draft.notice_number or '',
        'chair_name': draft.chair_name or '',
        'chair_title': draft.chair_title or '',
        'secretary_name': draft.secretary_name or '',
        'recipients': draft.recipients or '',
        'started_at': draft.started_at.strftime('%H:%M') if draft.started_at else '',
        'ended_at': draft.ended_at.strftime('%H:%M') if draft.ended_at else '',
        'tasks': [
            {
                'body': task.body,
                'content': task.content,
                'due_on': task.due_on.isoformat() if task.due_on else '',
            }
            for task in draft.tasks
        ],
    }


def _word_changes(before: str, after: str) -> tuple[int, int]:
    """How many words were added and removed between two texts."""
    matcher = difflib.SequenceMatcher(None, before.split(), after.split(), autojunk=False)
    added = removed = 0
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation in ('replace', 'delete'):
            removed += i2 - i1
        if operation in ('replace', 'insert'):
            added += j2 - j1
    return added, removed


def summarise_changes(before: dict, after: dict) -> list[dict]:
    """What changed between two snapshots, briefly: words added and removed in the long texts,
    old and new values of the short fields, tasks added, removed and changed."""
    changes: list[dict] = []
    for name in LONG_FIELDS:
        old, new = before.get(name, ''), after.get(name, '')
        if old != new:
            added, removed = _word_changes(old, new)
            changes.append({'field': name, 'added': added, 'removed': removed})
    for name in (*SHORT_FIELDS, *TIME_FIELDS):
        old, new = before.get(name, ''), after.get(name, '')
        if old != new:
            changes.append({'field': name, 'old': old, 'new': new})
    old_tasks, new_tasks = before.get('tasks', []), after.get('tasks', [])
    if old_tasks != new_tasks:
        common = min(len(old_tasks), len(new_tasks))
        changes.append(
            {
                'field': 'tasks',
                'added': max(len(new_tasks) - len(old_tasks), 0),
                'removed': max(len(old_tasks) - len(new_tasks), 0),
                'changed': sum(1 for i in range(common) if old_tasks[i] != new_tasks[i]),
            }
        )
    return changes


@dataclass
class SaveOutcome:
    draft: MinutesDraft
    revision: MinutesRevision
    changed: bool


def save_draft(
    forum: Forum, data: DraftData, *, user, now: datetime, lock_version: int | None = None
) -> SaveOutcome:
    """Save what the secretariat typed. A save based on an older state (``lock_version``) is
    refused, so two people never overwrite each other unseen. Saves by the same person close
    together update one revision; another person, a pause, or an issued revision start a new
    one. A save that changes nothing changes nothing."""
    draft = find_draft(forum)
    if draft is None:
        draft = new_draft(forum, user)
        db.session.add(draft)
    elif lock_version is not None and lock_version != draft.lock_version:
        editor = draft.updated_by
        who = (editor.full_name or editor.email) if editor is not None else ''
        raise MinutesError(
            'conflict',
            _('Bản nháp vừa được %(who)s sửa. Tải lại trang để xem bản mới nhất rồi sửa tiếp.',
              who=who or _('người khác')),
            status=409,
        )  # fmt: skip
    _apply(draft, data)
    after = snapshot_of(draft)
    latest = draft.revisions[-1] if draft.revisions else None
    if latest is not None and latest.snapshot == after:
        return SaveOutcome(draft, latest, changed=False)
    draft.lock_version = (draft.lock_version or 0) + 1
    draft.updated_at = now
    draft.updated_by_id = getattr(user, 'id', None)
    if (
        latest is None
        or latest.locked
        or latest.saved_by_id != getattr(user, 'id', None)
        or now - latest.saved_at > REVISION_WINDOW
    ):
        revision = MinutesRevision(
            number=latest.number + 1 if latest else 1,
            snapshot=after,
            changes=summarise_changes(
                latest.snapshot if latest else snapshot_of(new_draft(forum, user)), after
            ),
            created_at=now,
            saved_at=now,
            saved_by_id=getattr(user, 'id', None),
            save_count=1,
            locked=False,
        )
        draft.revisions.append(revision)
        db.session.flush()
        record_change(
            'minutes.revision',
            revision,
            user=user,
            forum_id=forum.id,
            details={'number': revision.number, 'fields': [c['field'] for c in revision.changes]},
        )
        logger.info('Forum %s: minutes revision %s by %s', forum.id, revision.number, user.id)
    else:
        revision = latest
        if len(draft.revisions) > 1:
            base = draft.revisions[-2].snapshot
        else:  # the first revision shows what changed from the forum's defaults
            base = snapshot_of(new_draft(forum, user))
        revision.snapshot = after
        revision.changes = summarise_changes(base, after)
        revision.saved_at = now
        revision.save_count += 1
        db.session.flush()
    return SaveOutcome(draft, revision, changed=True)


def _apply(draft: MinutesDraft, data: DraftData) -> None:
    for name in (*TEXT_LIMITS, *TIME_FIELDS):
        setattr(draft, name, getattr(data, name))
    draft.tasks = [
        MinutesTask(position=index, body=task.body, content=task.content, due_on=task.due_on)
        for index, task in enumerate(data.tasks)
    ]


def revisions_of(draft: MinutesDraft | None) -> list[MinutesRevision]:
    """The draft's revisions, newest first."""
    if draft is None or draft.id is None:
        return []
    return list(
        db.session.scalars(
            select(MinutesRevision)
            .where(MinutesRevision.draft_id == draft.id)
            .order_by(MinutesRevision.number.desc())
        )
    )
