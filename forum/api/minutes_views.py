"""The minutes (BIÊN BẢN) as PDF: the issued version, or the draft as it stands."""

from flask import current_app

from forum.api import bp
from forum.api.access import for_roles, forum_for_staff
from forum.api.job_views import answer_with
from forum.auth.permissions import SECRETARIAT_ROLES
from forum.jobs.views import file_response
from forum.minutes.issuing import latest_issued
from forum.minutes.jobs import submit_draft_document
from forum.minutes.models import DocumentKind
from forum.minutes.schemas import MinutesArgsSchema


@bp.get('/forums/<int:forum_id>/minutes.pdf')
@bp.arguments(MinutesArgsSchema, location='query')
@bp.doc(responses={200: {'description': 'The minutes as PDF.', 'content': {'application/pdf': {}}}})
@for_roles(*SECRETARIAT_ROLES)
def minutes_pdf(args, forum_id):
    """The latest issued minutes (byte for byte as issued); before issuing, the draft (made by
    a job: the call waits, or answers ``202 {"job"}`` with ``Prefer: respond-async``)."""
    forum, user = forum_for_staff(forum_id)  # the role: @for_roles
    issued = None if args['draft'] else latest_issued(forum, DocumentKind.MINUTES)
    if issued is not None:
        pdf, name, version = (
            issued.pdf,
            f'bien-ban-{forum.id}-v{issued.version}.pdf',
            issued.version,
        )
    else:
        job = submit_draft_document(forum, DocumentKind.MINUTES, 'pdf', user=user, back='')

        def respond(job):
            response = file_response(job)
            response.headers['X-Minutes-Version'] = 'draft'
            return response

        return answer_with(job, respond)
    return current_app.response_class(
        pdf,
        mimetype='application/pdf',
        headers={
            'Content-Disposition': f'attachment; filename="{name}"',
            'X-Minutes-Version': str(version),
        },
    )
