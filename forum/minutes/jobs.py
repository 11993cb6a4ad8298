"""Minutes work done by the job worker: the BIÊN BẢN and THÔNG BÁO as PDF or .docx from the
draft, and issuing them (read, render with no transaction open, keep the PDF in a short write)."""

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from forum.auth.models import User
from forum.db_types import utcnow
from forum.extensions import db
from forum.forums.models import Forum
from forum.jobs.runner import JobFailed, JobResult, job_handler
from forum.jobs.services import submit_job
from forum.minutes.drafts import draft_for
from forum.minutes.facts import document_data, render_document
from forum.minutes.issuing import plan_issue, record_issue, render_planned
from forum.minutes.models import DocumentKind

DOCUMENT_JOB = 'minutes_document'
ISSUE_JOB = 'minutes_issue'
FILE_NAMES = {DocumentKind.MINUTES: 'bien-ban', DocumentKind.NOTICE: 'thong-bao-ket-luan'}
DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
MIME_TYPES = {'pdf': 'application/pdf', 'docx': DOCX_TYPE}


def submit_draft_document(forum: Forum, kind: DocumentKind, file_format: str, *, user, back: str):
    """Queue the document as the draft stands, as PDF or .docx."""
    name = f'{FILE_NAMES[kind]}-{forum.id}-du-thao.{file_format}'
    params = {'kind': kind.value, 'format': file_format, 'file_name': name, 'label': name,
              'back': back}  # fmt: skip
    return submit_job(DOCUMENT_JOB, user=user, forum_id=forum.id, params=params)


def submit_issue(forum: Forum, kind: DocumentKind, *, user, leads_to):
    """Queue the issuing of the minutes or the notice."""
    return submit_job(
        ISSUE_JOB, user=user, forum_id=forum.id, params={'kind': kind.value}, leads_to=leads_to
    )


def _forum(ctx) -> Forum:
    forum = db.session.get(Forum, ctx.forum_id)
    if forum is None:
        raise JobFailed(_('Hội nghị không còn nữa.'))
    return forum


@job_handler(DOCUMENT_JOB)
def render_draft_document(ctx) -> JobResult:
    """Gather what the document says, then typeset it."""
    kind, file_format = DocumentKind(ctx.params['kind']), ctx.params['format']
    with ctx.reading():
        forum = _forum(ctx)
        user = db.session.get(User, ctx.user_id) if ctx.user_id else None
        draft = draft_for(forum, user)  # unsaved: filled from the forum, as the page shows it
        data = document_data(forum, draft, kind)
    ctx.start(1, 'pages')
    content = render_document(kind, file_format, data)
    ctx.advance(1, force=True)
    return JobResult(
        file_name=ctx.params['file_name'], file_type=MIME_TYPES[file_format], content=content
    )


@job_handler(ISSUE_JOB)
def issue_planned_document(ctx) -> JobResult:
    """Issue: plan (read), render (no transaction), keep it if the draft did not change."""
    kind = DocumentKind(ctx.params['kind'])
    now = utcnow()
    try:
        with ctx.reading():
            plan = plan_issue(_forum(ctx), kind, now=now)
        ctx.start(1, 'pages')
        pdf = render_planned(plan)
        with ctx.writing():
            user = db.session.get(User, ctx.user_id) if ctx.user_id else None
            document = record_issue(_forum(ctx), plan, pdf, user=user, now=now)
            summary = {'document_id': document.id, 'number': document.number,
                       'version': document.version, 'kind': kind.value}  # fmt: skip
            ctx.record_result(JobResult(summary=summary))
    except IntegrityError as error:  # someone issued the same version a moment before
        raise JobFailed(
            _('Văn bản vừa được người khác ban hành; xem danh sách bên dưới.')
        ) from error
    return JobResult(summary=summary)
