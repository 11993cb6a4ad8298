"""The secretariat's work on a forum's minutes and notice: the draft and its revisions, the
documents built from the forum's own data, and issuing them.

Like every service here it never reads the request and never commits: the view does.
"""

import difflib
import hashlib
import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from forum.audit.services import record_change
from forum.auth.models import UserRole
from forum.checkin.attendance import attendance_summary
from forum.checkin.models import CheckIn
from forum.delegates.models import Delegate
from forum.errors import DomainError
from forum.extensions import db
from forum.forums.models import Forum, ForumStatus
from forum.forums.services import advance_forum_status
from forum.invitations.services import invitation_forum, signature_lines
from forum.minutes import content
from forum.minutes.docx import minutes_docx, notice_docx
from forum.minutes.models import (
    DocumentKind,
    IssuedDocument,
    MinutesDraft,
    MinutesRevision,
    MinutesTask,
)
from forum.minutes.pdf import render_minutes, render_notice
from forum.qa.models import QuestionStatus
from forum.qa.services import forum_questions
from forum.text import normalize_text
from forum.tiers.models import ConnectionStatus, Tier
from forum.working_days import add_working_days

logger = logging.getLogger(__name__)

# Saves by one person less than this apart make one revision; a longer pause starts another.
REVISION_WINDOW = timedelta(minutes=10)
NOTICE_WORKING_DAYS = 5  # the notice goes out within five working days of the meeting
ISSUE_STATUSES = frozenset({ForumStatus.CLOSED, ForumStatus.MINUTES_ISSUED})
DEFAULT_RECIPIENTS = 'Các cơ quan, đơn vị, địa phương dự hội nghị'
NUMBER_CODES = {DocumentKind.MINUTES: 'BB', DocumentKind.NOTICE: 'TB'}
NUMBER_PREFIX = re.compile(r'^số\s*:?\s*', re.IGNORECASE)

# What may be typed into each field of the draft.
TEXT_LIMITS = {
    'conclusions': 20_000,
    'minutes_number': 50,
    'notice_number': 50,
    'chair_name': 200,
    'chair_title': 200,
    'secretary_name': 200,
    'recipients': 3_000,
}
SHORT_FIELDS = ('minutes_number', 'notice_number', 'chair_name', 'chair_title', 'secretary_name')
LONG_FIELDS = ('conclusions', 'recipients')
TIME_FIELDS = ('started_at', 'ended_at')
MAX_TASKS = 50
TASK_LIMITS = {'body': 300, 'content': 2_000}


class MinutesError(DomainError):
    """Something the secretariat must fix, with a message for them and the field concerned
    (``details["field"]``, the form's name for it)."""

    def __init__(self, code: str, message: str, *, status: int = 422, field: str | None = None):
        super().__init__(code, message, status=status)
        self.field = field

    @property
    def field(self) -> str | None:
        return self.details.get('field')

    @field.setter
    def field(self, name: str | None) -> None:
        if name:
            self.details['field'] = name
        else:
            self.details.pop('field', None)


# The draft as typed ---------------------------------------------------------------------------


@dataclass
class TaskData:
    body: str = ''
    content: str = ''
    due_on: date | None = None


@dataclass
class DraftData:
    """The draft as the secretariat typed it, checked and normalised."""

    conclusions: str = ''
    minutes_number: str = ''
    notice_number: str = ''
    chair_name: str = ''
    chair_title: str = ''
    secretary_name: str = ''
    recipients: str = ''
    started_at: time | None = None
    ended_at: time | None = None
    tasks: list[TaskData] = field(default_factory=list)


def _multiline(value: str) -> str:
    """NFC text keeping its line breaks; spaces inside each line collapsed, blank runs kept
    to one blank line."""
    lines = [normalize_text(line) for line in value.replace('\r\n', '\n').split('\n')]
    return re.sub(r'\n{3,}', '\n\n', '\n'.join(lines)).strip()


def _text(payload: dict, name: str, limit: int, *, multiline: bool = False) -> str:
    value = payload.get(name, '')
    if value is None:
        value = ''
    if not isinstance(value, str):
        raise MinutesError('invalid', _('Ô này phải là văn bản.'), field=name)
    value = _multiline(value) if multiline else normalize_text(value)
    if len(value) > limit:
        raise MinutesError(
            'too_long', _('Tối đa %(limit)s ký tự.', limit=f'{limit:,}'.replace(',', '.')),
            field=name,
        )  # fmt: skip
    return value


def _number(payload: dict, name: str) -> str:
    return NUMBER_PREFIX.sub('', _text(payload, name, TEXT_LIMITS[name])).upper()


def _time(payload: dict, name: str) -> time | None:
    value = payload.get(name) or ''
    if not isinstance(value, str):
        raise MinutesError('invalid', _('Giờ không hợp lệ (giờ:phút).'), field=name)
    if not value.strip():
        return None
    try:
        return time.fromisoformat(value.strip()).replace(second=0, microsecond=0)
    except ValueError:
        raise MinutesError('invalid', _('Giờ không hợp lệ (giờ:phút).'), field=name) from None


def _date(value, name: str) -> date | None:
    if value in (None, ''):
        return None
    try:
        if not isinstance(value, str):
            raise ValueError
        return date.fromisoformat(value.strip())
    except ValueError:
        raise MinutesError('invalid', _('Ngày không hợp lệ.'), field=name) from None


def parse_draft(payload) -> DraftData:
    """Check what the page sent (a JSON object) and return it normalised; ``MinutesError``
    names the first field that is wrong."""
    if not isinstance(payload, dict):
        raise MinutesError('invalid', _('Dữ liệu gửi lên không đúng dạng.'))
    data = DraftData(
        conclusions=_text(payload, 'conclusions', TEXT_LIMITS['conclusions'], multiline=True),
        minutes_number=_number(payload, 'minutes_number'),
        notice_number=_number(payload, 'notice_number'),
        chair_name=_text(payload, 'chair_name', TEXT_LIMITS['chair_name']),
        chair_title=_text(payload, 'chair_title', TEXT_LIMITS['chair_title']),
        secretary_name=_text(payload, 'secretary_name', TEXT_LIMITS['secretary_name']),
        recipients=_text(payload, 'recipients', TEXT_LIMITS['recipients'], multiline=True),
        started_at=_time(payload, 'started_at'),
        ended_at=_time(payload, 'ended_at'),
    )
    if data.started_at and data.ended_at and data.ended_at <= data.started_at:
        raise MinutesError(
            'invalid', _('Giờ kết thúc phải sau giờ bắt đầu.'), field='ended_at'
        )  # fmt: skip
    tasks = payload.get('tasks') or []
    if not isinstance(tasks, list):
        raise MinutesError('invalid', _('Danh sách nhiệm vụ không đúng dạng.'), field='tasks')
    if len(tasks) > MAX_TASKS:
        raise MinutesError('too_many', _('Tối đa %(n)s nhiệm vụ.', n=MAX_TASKS), field='tasks')
    for index, task in enumerate(tasks):
        prefix = f'tasks-{index}-'
        if not isinstance(task, dict):
            raise MinutesError('invalid', _('Nhiệm vụ không đúng dạng.'), field='tasks')
        try:
            row = TaskData(
                body=_text(task, 'body', TASK_LIMITS['body']),
                content=_text(task, 'content', TASK_LIMITS['content'], multiline=True),
                due_on=_date(task.get('due_on'), 'due_on'),
            )
        except MinutesError as error:
            error.field = f'{prefix}{error.field}'  # the row's own field, as the page names it
            raise
        if row.body or row.content or row.due_on:  # an empty row is a row not used yet
            data.tasks.append(row)
    return data


def payload_from_form(form) -> dict:
    """The page's form fields (``tasks-0-body``, …) as the JSON object autosave sends."""
    payload = {name: form.get(name, '') for name in (*TEXT_LIMITS, *TIME_FIELDS)}
    rows: dict[int, dict] = defaultdict(dict)
    for name, value in form.items():
        match = re.fullmatch(r'tasks-(\d+)-(body|content|due_on)', name)
        if match:
            rows[int(match.group(1))][match.group(2)] = value
    payload['tasks'] = [rows[index] for index in sorted(rows)]
    return payload


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


# The documents, from the forum's own data ------------------------------------------------------


def local_zone() -> ZoneInfo:
    """The forum's time zone (Việt Nam)."""
    return ZoneInfo(current_app.config['BABEL_DEFAULT_TIMEZONE'])


def local_date(moment: datetime) -> date:
    """The local calendar day of a UTC timestamp."""
    return moment.astimezone(local_zone()).date()


def _sorted_venues(forum: Forum):
    return sorted(forum.venues, key=lambda venue: (venue.tier.level, venue.unit_code))


def meeting_of(forum: Forum, draft: MinutesDraft, summary: dict) -> content.Meeting:
    """What both documents say about the meeting, from the forum and the draft."""
    invitation = invitation_forum(forum)  # the issuing body and locality, as invitations print
    venues = _sorted_venues(forum)
    hub = next((venue for venue in venues if venue.is_hub), None)
    connected: dict[str, int] = defaultdict(int)
    for row in summary['by_venue']:
        if row['connection_status'] == ConnectionStatus.CONNECTED.value:
            connected[row['tier']] += 1
    tiers = tuple(
        content.TierCount(
            tier=name,
            points=counts['venues'],
            connected=connected[name],
            invited=counts['invited'],
            present=counts['checked_in'],
        )
        for name, counts in summary['by_tier'].items()
        if counts['venues'] or name == Tier.PROVINCE.value
    )
    suffix = invitation.document_number.rsplit('-', 1)[-1]
    return content.Meeting(
        title=forum.title,
        host_body=forum.host_body,
        issuer_lines=invitation.issuer_lines,
        locality=invitation.locality,
        held_on=forum.held_on,
        starts_at=draft.started_at or forum.starts_at,
        ends_at=draft.ended_at or forum.ends_at,
        hub_place=forum.place or (hub.address if hub else ''),
        chairs=tuple(content.Person(o.name, o.title, o.body) for o in forum.chairs),
        guests=tuple(content.Person(o.name, o.title, o.body) for o in forum.guests),
        tiers=tiers,
        conclusions=draft.conclusions or '',
        tasks=tuple(
            content.Task(task.body, task.content, task.due_on)
            for task in draft.tasks
            if task.body or task.content
        ),
        chair_name=draft.chair_name or '',
        chair_title=draft.chair_title or '',
        secretary_name=draft.secretary_name or '',
        recipients=tuple((draft.recipients or '').splitlines()),
        number_suffix=suffix,
    )


def raised_items(forum: Forum) -> tuple[content.PointItems, ...]:
    """The questions, opinions and proposals put to the meeting, by bridge point in the order
    of the tiers, each with its answer from the live queue."""
    order = {venue.id: index for index, venue in enumerate(_sorted_venues(forum))}
    names = {venue.id: venue.name for venue in forum.venues}
    by_venue: dict[int, list[content.RaisedItem]] = defaultdict(list)
    for question in forum_questions(forum.id, public_only=True):  # approved, on screen, answered
        by_venue[question.venue_id].append(
            content.RaisedItem(
                author=question.author_name,
                text=question.text,
                kind=question.kind.value,
                position=question.author_position,
                body=question.author_body,
                answered_by=question.answered_by,
                response=question.response,
                answered=question.status == QuestionStatus.ANSWERED,
            )
        )
    return tuple(
        content.PointItems(names[venue_id], tuple(items))
        for venue_id, items in sorted(by_venue.items(), key=lambda pair: order[pair[0]])
    )


def annex_points(forum: Forum, summary: dict) -> tuple[content.AnnexPoint, ...]:
    """Every delegate by the bridge point they were invited to, in Vietnamese name order, with
    the time they checked in (local), where, or "Vắng"; in one query."""
    zone = local_zone()
    names = {venue.id: venue.name for venue in forum.venues}
    # Two plain queries joined here: an outer join left to the planner of a freshly filled
    # PostgreSQL table (no statistics yet) took half a second.
    checkins = {
        delegate_id: (checked_in_at, venue_id)
        for delegate_id, checked_in_at, venue_id in db.session.execute(
            select(CheckIn.delegate_id, CheckIn.checked_in_at, CheckIn.venue_id).where(
                CheckIn.forum_id == forum.id, CheckIn.undone_at.is_(None)
            )
        )
    }
    rows = db.session.execute(
        select(
            Delegate.id,
            Delegate.venue_id,
            Delegate.full_name,
            Delegate.position,
            Delegate.body,
            Delegate.walk_in,
        )
        .where(Delegate.forum_id == forum.id)
        .order_by(Delegate.venue_id, Delegate.sort_key, Delegate.id)
    ).all()
    people: dict[int, list[tuple[str, str, str, str]]] = defaultdict(list)
    for delegate_id, venue_id, name, position, body, walk_in in rows:
        checked_in_at, checked_venue = checkins.get(delegate_id, (None, None))
        if checked_in_at is None:
            attendance = 'Vắng'
        else:
            attendance = checked_in_at.astimezone(zone).strftime('%H:%M')
            if walk_in:
                attendance += ' (tại chỗ)'
            if checked_venue != venue_id:
                attendance += f', tại {names.get(checked_venue, "")}'
        people[venue_id].append((name, position, body, attendance))
    return tuple(
        content.AnnexPoint(
            name=row['name'],
            tier=row['tier'],
            connection=row['connection_status'],
            invited=row['invited'],
            present=row['checked_in'],
            rows=tuple(people.get(row['venue_id'], ())),
        )
        for row in summary['by_venue']
    )


def minutes_data(forum: Forum, draft: MinutesDraft) -> content.MinutesData:
    """Everything the BIÊN BẢN says, read from the forum, its check-ins, its live queue and the
    draft."""
    summary = attendance_summary(forum)
    troubles = tuple(
        content.PointTrouble(row['name'], row['connection_status'])
        for row in summary['by_venue']
        if row['tier'] != Tier.PROVINCE.value
        and row['connection_status'] != ConnectionStatus.CONNECTED.value
    )
    return content.MinutesData(
        meeting=meeting_of(forum, draft, summary),
        number=draft.minutes_number or '',
        troubles=troubles,
        walk_ins=summary['walk_ins'],
        agenda=tuple(
            content.AgendaLine(item.title, item.starts_at, item.presenter)
            for item in forum.agenda_items
        ),
        raised=raised_items(forum),
        annex=annex_points(forum, summary),
    )


def notice_data(
    forum: Forum, draft: MinutesDraft, issued_on: date | None = None
) -> content.NoticeData:
    """Everything the THÔNG BÁO says; without ``issued_on`` the date is left for the clerk."""
    meeting = meeting_of(forum, draft, attendance_summary(forum))
    return content.NoticeData(
        meeting=meeting,
        number=draft.notice_number or '',
        issued_on=issued_on,
        signature_lines=signature_lines(forum.host_body, draft.chair_title or ''),
        signer_name=draft.chair_name or '',
    )


def document_data(forum: Forum, draft: MinutesDraft, kind: DocumentKind):
    """What the minutes or the notice says as the draft stands (plain data, read from the
    database)."""
    return minutes_data(forum, draft) if kind == DocumentKind.MINUTES else notice_data(forum, draft)


def render_document(kind: DocumentKind, file_format: str, data) -> bytes:
    """The minutes or the notice as PDF or .docx (CPU only: no database)."""
    if file_format == 'docx':
        return minutes_docx(data) if kind == DocumentKind.MINUTES else notice_docx(data)
    return render_minutes(data) if kind == DocumentKind.MINUTES else render_notice(data)


def draft_pdf(forum: Forum, draft: MinutesDraft, kind: DocumentKind) -> bytes:
    """The document as the draft stands (not issued): a preview to check or print."""
    return render_document(kind, 'pdf', document_data(forum, draft, kind))


# Issuing ----------------------------------------------------------------------------------------


NUMBER_PATTERN = r'^\d{1,5}/{code}-[A-ZĐ0-9][A-ZĐ0-9.&-]*$'


def _check_ready(forum: Forum, draft: MinutesDraft | None, kind: DocumentKind) -> str:
    """Refuse to issue what is not ready; return the document's number."""
    if forum.status not in ISSUE_STATUSES:
        raise MinutesError(
            'forum_not_closed',
            _('Hội nghị chưa kết thúc: chỉ ban hành sau khi ban tổ chức chuyển hội nghị sang '
              '"Đã kết thúc".'),
            status=409,
        )  # fmt: skip
    if draft is None or not draft.revisions:
        raise MinutesError('no_draft', _('Chưa có bản nháp: nhập và lưu nội dung trước.'))
    code = NUMBER_CODES[kind]
    number_field = 'minutes_number' if kind == DocumentKind.MINUTES else 'notice_number'
    number = getattr(draft, number_field) or ''
    if not re.fullmatch(NUMBER_PATTERN.replace('{code}', code), number):
        raise MinutesError(
            'number',
            _('Nhập số văn bản dạng 05/%(code)s-UBND trước khi ban hành.', code=code),
            field=number_field,
        )
    if not draft.chair_name:
        raise MinutesError('chair', _('Nhập họ tên chủ tọa.'), field='chair_name')
    if kind == DocumentKind.MINUTES and not draft.secretary_name:
        raise MinutesError('secretary', _('Nhập họ tên thư ký.'), field='secretary_name')
    if not draft.conclusions.strip():
        raise MinutesError('conclusions', _('Nhập nội dung kết luận.'), field='conclusions')
    for index, task in enumerate(draft.tasks, 1):
        if not task.body or not task.content:
            raise MinutesError(
                'task',
                _('Nhiệm vụ số %(n)s cần có cơ quan thực hiện và nội dung.', n=index),
                field='tasks',
            )
    return number


def latest_issued(forum: Forum, kind: DocumentKind) -> IssuedDocument | None:
    """The last issued version of a kind of document."""
    return db.session.scalar(
        select(IssuedDocument)
        .where(IssuedDocument.forum_id == forum.id, IssuedDocument.kind == kind)
        .order_by(IssuedDocument.version.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class IssuePlan:
    """What issuing will print: read in one short transaction, rendered with none open."""

    kind: DocumentKind
    number: str
    revision_id: int
    issued_on: date
    data: object  # content.MinutesData or content.NoticeData


def plan_issue(forum: Forum, kind: DocumentKind, *, now: datetime) -> IssuePlan:
    """Check the draft is ready and gather what the document says."""
    draft = find_draft(forum)
    number = _check_ready(forum, draft, kind)
    revision = draft.revisions[-1]
    _refuse_reissue(forum, kind, revision.id)
    issued_on = local_date(now)
    if kind == DocumentKind.MINUTES:
        data = minutes_data(forum, draft)
    else:
        data = notice_data(forum, draft, issued_on)
    return IssuePlan(kind, number, revision.id, issued_on, data)


def _refuse_reissue(forum: Forum, kind: DocumentKind, revision_id: int) -> None:
    previous = latest_issued(forum, kind)
    if previous is not None and previous.revision_id == revision_id:
        raise MinutesError(
            'already_issued',
            _('Bản nháp này đã ban hành (phiên bản %(version)s). Sửa bản nháp rồi ban hành lại.',
              version=previous.version),
            status=409,
        )  # fmt: skip


def render_planned(plan: IssuePlan) -> bytes:
    """The PDF of a planned document (CPU only: no database)."""
    return render_document(plan.kind, 'pdf', plan.data)


def issue_document(forum: Forum, kind: DocumentKind, *, user, now: datetime) -> IssuedDocument:
    """Issue the minutes or the notice as the draft stands: render it from the forum's data,
    keep the PDF with its number, version, date and SHA-256, and lock the revision it came
    from. Issuing the minutes of a closed forum marks it "minutes issued"."""
    plan = plan_issue(forum, kind, now=now)
    return record_issue(forum, plan, render_planned(plan), user=user, now=now)


def record_issue(
    forum: Forum, plan: IssuePlan, pdf: bytes, *, user, now: datetime
) -> IssuedDocument:
    """Keep an issued PDF, if the draft is still the one it was rendered from."""
    kind, number, issued_on = plan.kind, plan.number, plan.issued_on
    draft = find_draft(forum)
    revision = draft.revisions[-1] if draft is not None and draft.revisions else None
    if revision is None or revision.id != plan.revision_id:
        raise MinutesError(
            'draft_changed',
            _('Bản nháp vừa được sửa trong lúc tạo văn bản; hãy ban hành lại.'),
            status=409,
        )
    _refuse_reissue(forum, kind, revision.id)
    previous = latest_issued(forum, kind)
    document = IssuedDocument(
        forum_id=forum.id,
        kind=kind,
        version=(previous.version if previous else 0) + 1,
        number=number,
        revision_id=revision.id,
        issued_on=issued_on,
        issued_at=now,
        issued_by_id=getattr(user, 'id', None),
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        pdf=pdf,
    )
    db.session.add(document)
    revision.locked = True
    db.session.flush()
    if kind == DocumentKind.MINUTES and forum.status == ForumStatus.CLOSED:
        advance_forum_status(forum, user=user)
    record_change(
        'minutes.issued',
        document,
        user=user,
        forum_id=forum.id,
        details={
            'kind': kind.value,
            'version': document.version,
            'number': number,
            'sha256': document.sha256,
        },
    )
    logger.info(
        'Forum %s: %s %s issued as version %s (%d bytes, sha256 %s)',
        forum.id,
        kind.value,
        number,
        document.version,
        document.size,
        document.sha256,
    )
    return document


def issued_documents(forum: Forum) -> list[IssuedDocument]:
    """The forum's issued documents, minutes first, newest version first."""
    return list(
        db.session.scalars(
            select(IssuedDocument)
            .where(IssuedDocument.forum_id == forum.id)
            .order_by(IssuedDocument.kind, IssuedDocument.version.desc())
        )
    )


# The notice's deadline -------------------------------------------------------------------------


def notice_deadline(forum: Forum) -> date:
    """The last day to issue the conclusion notice: five working days after the forum
    (Vietnamese working days: Tết and the other public holidays do not count)."""
    return add_working_days(forum.held_on, NOTICE_WORKING_DAYS)


@dataclass
class NoticeReminder:
    deadline: date
    overdue: bool


def notice_reminder(forum: Forum, today: date) -> NoticeReminder | None:
    """The notice's deadline while no notice has been issued; None once one has."""
    if latest_issued(forum, DocumentKind.NOTICE) is not None:
        return None
    deadline = notice_deadline(forum)
    return NoticeReminder(deadline=deadline, overdue=today > deadline)
