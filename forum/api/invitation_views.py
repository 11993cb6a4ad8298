"""Invitations over the API: the GIẤY MỜI PDF of a forum, bridge point, tier or delegates."""

import re
from urllib.parse import quote

from flask import current_app
from marshmallow import Schema, fields
from sqlalchemy import select

from forum.api import bp
from forum.api.access import forum_for_staff
from forum.api.schemas import ErrorSchema
from forum.errors import ApiError
from forum.extensions import db
from forum.invitations.services import NoInvitationsError, invitation_pdf
from forum.text import search_key
from forum.tiers.models import Tier, Venue

PDF_SCHEMA = {'type': 'string', 'format': 'binary'}
TIER_NAMES = {Tier.PROVINCE: 'cấp tỉnh', Tier.DISTRICT: 'cấp huyện', Tier.COMMUNE: 'cấp xã'}


class InvitationArgsSchema(Schema):
    venue = fields.Integer(metadata={'description': 'Only the delegates of this bridge point.'})
    tier = fields.Enum(
        Tier, by_value=True, metadata={'description': 'Only the delegates of this tier.'}
    )
    delegate = fields.List(
        fields.Integer(),
        metadata={'description': 'Only these delegates (repeat the parameter for several).'},
    )


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
def invitations_pdf(args, forum_id):
    """The invitations (GIẤY MỜI) as one PDF: the whole forum, or one bridge point, tier or list."""
    forum, user = forum_for_staff(forum_id)
    if not user.is_organiser:
        raise ApiError(403, 'Only organisers print invitations.')
    venue = _venue_of(forum, args.get('venue'))
    try:
        pdf = invitation_pdf(
            forum,
            base_url=current_app.config['PUBLIC_URL'],
            venue_id=venue.id if venue else None,
            tier=args.get('tier'),
            delegate_ids=args.get('delegate'),
        )
    except NoInvitationsError:
        raise ApiError(404, 'No delegate matches these filters.', code='no_delegates') from None
    return current_app.response_class(
        pdf,
        mimetype='application/pdf',
        headers={'Content-Disposition': _attachment(_filename(venue, args.get('tier')))},
    )


def _venue_of(forum, venue_id: int | None) -> Venue | None:
    if venue_id is None:
        return None
    venue = db.session.scalar(select(Venue).where(Venue.id == venue_id, Venue.forum_id == forum.id))
    if venue is None:
        raise ApiError(404, f'Forum {forum.id} has no bridge point {venue_id}.')
    return venue


def _filename(venue: Venue | None, tier: Tier | None) -> str:
    parts = ['Giấy mời']
    if venue is not None:
        parts.append(venue.name)
    if tier is not None:
        parts.append(TIER_NAMES[tier])
    return ' - '.join(parts) + '.pdf'


def _attachment(filename: str) -> str:
    """``attachment`` with an ASCII name for old clients and the Vietnamese one (RFC 6266)."""
    stem = filename.removesuffix('.pdf')
    ascii_name = '-'.join(re.findall(r'[a-z0-9]+', search_key(stem))) + '.pdf'
    return f'attachment; filename="{ascii_name}"; filename*=UTF-8\'\'{quote(filename, safe="")}'
