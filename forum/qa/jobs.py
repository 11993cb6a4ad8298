"""Live-queue work done by the job worker: the export of every question, opinion and speaker."""

from flask_babel import force_locale, to_user_timezone
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.forums.models import Forum
from forum.jobs.models import Job
from forum.jobs.runner import JobFailed, JobResult, job_handler
from forum.jobs.services import submit_job
from forum.qa.labels import QUESTION_KIND_LABELS as KIND_LABELS
from forum.qa.labels import QUESTION_MODE_LABELS as MODE_LABELS
from forum.qa.labels import QUESTION_STATUS_LABELS as STATUS_LABELS
from forum.qa.models import Question
from forum.qa.queries import vote_counts
from forum.spreadsheets import CSV_MIMETYPE, XLSX_MIMETYPE, csv_bytes, xlsx_bytes
from forum.tiers.labels import TIER_LABELS

EXPORT_JOB = 'questions_export'


EXPORT_WIDTHS = (6, 8, 17, 14, 18, 16, 60, 40, 26, 24, 28, 26, 12, 10, 10, 26, 50, 17, 10, 10)


def export_filename(forum_id: int, file_format: str) -> str:
    """An ASCII file name: ``hoi-dap-7.xlsx``."""
    return f'hoi-dap-{forum_id}.{file_format}'


def _export_headers() -> list[str]:
    return [
        _('STT'),
        _('Mã số'),
        _('Gửi lúc'),
        _('Loại'),
        _('Hình thức'),
        _('Trạng thái'),
        _('Nội dung'),
        _('Nội dung gốc (trước khi sửa)'),
        _('Người gửi'),
        _('Chức vụ'),
        _('Đơn vị'),
        _('Điểm cầu'),
        _('Cấp'),
        _('Đăng ký hộ'),
        _('Bình chọn'),
        _('Người trả lời'),
        _('Giải trình / tiếp thu'),
        _('Trả lời lúc'),
        _('Gộp vào mục'),
        _('Cần xem từ ngữ'),
    ]


def _local(value):
    return to_user_timezone(value).replace(tzinfo=None) if value else None


def _export_rows(forum: Forum) -> list[list]:
    """Every item of the forum, merged and dismissed ones too, in the order they were sent."""
    questions = db.session.scalars(
        select(Question)
        .where(Question.forum_id == forum.id)
        .options(selectinload(Question.venue))
        .order_by(Question.created_at, Question.id)
    ).all()
    votes = vote_counts(q.id for q in questions)
    yes = _('Có')
    return [
        [
            number,
            q.id,
            _local(q.created_at),
            str(KIND_LABELS[q.kind]),
            str(MODE_LABELS[q.mode]),
            str(STATUS_LABELS[q.status]),
            q.text,
            q.original_text if q.original_text != q.text else '',
            q.author_name,
            q.author_position,
            q.author_body,
            q.venue.name,
            str(TIER_LABELS[q.venue.tier]),
            yes if q.submitted_by_id else '',
            votes.get(q.id, 0),
            q.answered_by,
            q.response,
            _local(q.answered_at),
            q.merged_into_id,
            yes if q.held_for_review else '',
        ]
        for number, q in enumerate(questions, start=1)
    ]


def submit_question_export(forum: Forum, file_format: str, *, user, locale: str, back: str) -> Job:
    """Queue the export of the forum's live queue as XLSX or CSV."""
    file_name = export_filename(forum.id, file_format)
    params = {'format': file_format, 'locale': locale, 'file_name': file_name,
              'label': file_name, 'back': back}  # fmt: skip
    return submit_job(EXPORT_JOB, user=user, forum_id=forum.id, params=params)


@job_handler(EXPORT_JOB)
def export_question_list(ctx) -> JobResult:
    """Read every item (in the language of the page that asked), write the spreadsheet."""
    params = ctx.params
    with force_locale(params.get('locale') or 'vi'):
        with ctx.reading():
            forum = db.session.get(Forum, ctx.forum_id)
            if forum is None:
                raise JobFailed(_('Hội nghị không còn nữa.'))
            headers, rows, title = _export_headers(), _export_rows(forum), _('Hỏi đáp')
        ctx.start(len(rows), 'rows')
        if params['format'] == 'xlsx':
            data = xlsx_bytes(headers, rows, title=title, widths=EXPORT_WIDTHS, wrap_long_text=True)
            mimetype = XLSX_MIMETYPE
        else:
            data = csv_bytes(headers, rows)
            mimetype = CSV_MIMETYPE
    ctx.advance(len(rows), force=True)
    return JobResult(file_name=params['file_name'], file_type=mimetype, content=data)
