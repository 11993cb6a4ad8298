"""``POST /api/v1/forums/{fid}/jobs``: start any long piece of work, answered ``202`` at once.

The same work as the synchronous endpoints (which wait for it), for scripts that would rather
poll: the whole forum's invitations, a delegate list's export, the live queue's export, the
draft minutes or notice.
"""

from marshmallow import Schema, fields, validate

from forum.api import bp
from forum.api.access import forum_for_staff
from forum.api.invitation_views import invitation_file_name, venue_of
from forum.api.job_views import job_started
from forum.api.schemas import ErrorSchema
from forum.auth.permissions import SECRETARIAT_ROLES
from forum.errors import ApiError
from forum.jobs.schemas import JobStartedSchema
from forum.minutes.models import DocumentKind
from forum.tiers.models import Tier

KINDS = ('invitations_pdf', 'delegates_export', 'questions_export', 'minutes_document')


class JobRequestSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    venue = fields.Integer(
        validate=validate.Range(1, 2**31 - 1),
        metadata={'description': 'invitations_pdf, delegates_export: one bridge point.'},
    )
    tier = fields.Enum(Tier, by_value=True, metadata={'description': 'invitations_pdf: a tier.'})
    delegate = fields.List(
        fields.Integer(validate=validate.Range(1, 2**31 - 1)),
        metadata={'description': 'invitations_pdf: these delegates.'},
    )
    format = fields.String(
        validate=validate.OneOf(['xlsx', 'csv', 'pdf', 'docx']),
        metadata={'description': 'exports: xlsx or csv; minutes_document: pdf or docx.'},
    )
    document = fields.Enum(
        DocumentKind,
        by_value=True,
        metadata={'description': 'minutes_document: minutes (BIÊN BẢN) or notice (THÔNG BÁO).'},
    )


@bp.post('/forums/<int:forum_id>/jobs')
@bp.arguments(JobRequestSchema)
@bp.response(202, JobStartedSchema, description='Started: follow the job at its URL.')
@bp.alt_response(403, schema=ErrorSchema, description='Not allowed to this caller.')
@bp.alt_response(404, schema=ErrorSchema, description='No such forum, or nothing to make.')
def start_job(args, forum_id):
    """Start a long piece of work as a job: ``202 {"job": URL, "id"}``."""
    forum, user = forum_for_staff(forum_id)
    kind = args['kind']
    if kind == 'invitations_pdf':
        job = _invitations(forum, user, args)
    elif kind == 'delegates_export':
        from forum.delegates.jobs import submit_export

        _require(user.is_organiser, 'Only organisers export delegate lists.')
        venue = venue_of(forum, args.get('venue'))
        job = submit_export(forum, _format(args, ('xlsx', 'csv')), venue=venue, user=user,
                            locale='vi', back='')  # fmt: skip
    elif kind == 'questions_export':
        from forum.qa.jobs import submit_question_export

        job = submit_question_export(forum, _format(args, ('xlsx', 'csv')), user=user,
                                     locale='vi', back='')  # fmt: skip
    else:
        from forum.minutes.jobs import submit_draft_document

        _require(user.role in SECRETARIAT_ROLES, 'The minutes are for the secretariat.')
        document = args.get('document') or DocumentKind.MINUTES
        job = submit_draft_document(forum, document, _format(args, ('pdf', 'docx')), user=user,
                                    back='')  # fmt: skip
    return job_started(job)


def _invitations(forum, user, args):
    from forum.invitations.jobs import count_invitations, invitation_filters, submit_invitation_pdf

    _require(user.is_organiser, 'Only organisers print invitations.')
    venue = venue_of(forum, args.get('venue'))
    filters = invitation_filters(
        venue_id=venue.id if venue else None,
        tier=args.get('tier'),
        delegate_ids=args.get('delegate'),
    )
    if not count_invitations(forum.id, filters):
        raise ApiError(404, 'No delegate matches these filters.', code='no_delegates')
    return submit_invitation_pdf(
        forum, filters, user=user, file_name=invitation_file_name(venue, args.get('tier'))
    )


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise ApiError(403, message)


def _format(args, allowed: tuple[str, ...]) -> str:
    chosen = args.get('format') or allowed[0]
    if chosen not in allowed:
        raise ApiError(422, f'"format" must be one of {", ".join(allowed)} for this kind.')
    return chosen
