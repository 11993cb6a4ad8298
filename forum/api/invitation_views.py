"""Invitations over the API: the GIẤY MỜI PDF of a forum, bridge point, tier or delegates."""

from flask import current_app
from sqlalchemy import select

from forum.api import bp
from forum.api.access import for_roles, forum_for_staff
from forum.api.job_views import answer_with, prefers_async
from forum.api.schemas import ErrorSchema
from forum.auth.models import UserRole
from forum.documents.wording import TIER_NAMES
from forum.downloads import content_disposition
from forum.errors import ApiError
from forum.extensions import db
from forum.invitations.jobs import (
    count_invitations,
    invitation_filters,
    invitations_now,
    made_by_a_job,
    submit_invitation_pdf,
)
from forum.invitations.schemas import InvitationArgsSchema
from forum.jobs.views import file_response
from forum.tiers.models import Tier, Venue

PDF_SCHEMA = {'type': 'string', 'format': 'binary'}


@bp.get('/forums/<int:forum_id>/invitations.pdf')
@bp.arguments(InvitationArgsSchema, location='query')
@bp.response(
    200,
    PDF_SCHEMA,
    content_type='application/pdf',
    description='One A4 GIẤY MỜI page per delegate, in Vietnamese name order, each with its QR.',
)
@bp.alt_response(401, schema=ErrorSchema, description='No or invalid credentials.')
@bp.alt_response(403, schema=ErrorSchema, description='Not an organiser.')
@bp.alt_response(
    404, schema=ErrorSchema, description='No such forum or bridge point, or no delegate matches.'
)
@for_roles(UserRole.ORGANISER)
def invitations_pdf(args, forum_id):
    """The invitations (GIẤY MỜI) as one PDF: the whole forum, or one bridge point, tier or list.

    More than a few pages are made by a job: the call waits for it, or with
    ``Prefer: respond-async`` answers ``202 {"job": URL}`` at once.
    """
    forum, user = forum_for_staff(forum_id)  # the role: @for_roles
    venue = venue_of(forum, args.get('venue'))
    filters = invitation_filters(
        venue_id=venue.id if venue else None,
        tier=args.get('tier'),
        delegate_ids=args.get('delegate'),
    )
    pages = count_invitations(forum.id, filters)
    if not pages:
        raise ApiError(404, 'No delegate matches these filters.', code='no_delegates')
    file_name = invitation_file_name(venue, args.get('tier'))
    if made_by_a_job(pages) or prefers_async():
        job = submit_invitation_pdf(forum, filters, user=user, file_name=file_name)
        return answer_with(job, file_response)
    pdf = invitations_now(forum, filters)
    return current_app.response_class(
        pdf, mimetype='application/pdf', headers={'Content-Disposition': _attachment(file_name)}
    )


def venue_of(forum, venue_id: int | None) -> Venue | None:
    """The forum's bridge point ``venue_id`` (None for None), else 404."""
    if venue_id is None:
        return None
    venue = db.session.scalar(select(Venue).where(Venue.id == venue_id, Venue.forum_id == forum.id))
    if venue is None:
        raise ApiError(404, f'Forum {forum.id} has no bridge point {venue_id}.')
    return venue


def invitation_file_name(venue: Venue | None, tier: Tier | None) -> str:
    """``Giấy mời - <bridge point> - <tier>.pdf``, as much as the filters say."""
    parts = ['Giấy mời']
    if venue is not None:
        parts.append(venue.name)
    if tier is not None:
        parts.append(TIER_NAMES[tier])
    return ' - '.join(parts) + '.pdf'


def _attachment(filename: str) -> str:
    return content_disposition(filename)
