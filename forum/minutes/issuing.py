"""Issuing the BIÊN BẢN and the THÔNG BÁO: checking the draft is ready, numbering, versions,
the stored bytes and their checksum; and the notice's deadline and its reminder."""

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from forum.audit.services import record_change
from forum.extensions import db
from forum.forums.models import Forum, ForumStatus
from forum.forums.services import advance_forum_status
from forum.minutes.draft_input import MinutesError
from forum.minutes.drafts import find_draft
from forum.minutes.facts import local_date, minutes_data, notice_data, render_document
from forum.minutes.models import (
    DocumentKind,
    IssuedDocument,
    MinutesDraft,
)
from forum.working_days import add_working_days

logger = logging.getLogger(__name__)


NOTICE_WORKING_DAYS = 5  # the notice goes out within five working days of the meeting
NUMBER_CODES = {DocumentKind.MINUTES: 'BB', DocumentKind.NOTICE: 'TB'}
ISSUE_STATUSES = frozenset({ForumStatus.CLOSED, ForumStatus.MINUTES_ISSUED})


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
    data: object  # records.MinutesData or records.NoticeData


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
