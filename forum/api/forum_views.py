"""Forums, their bridge points and their delegates."""

from sqlalchemy import select

from forum.api import bp
from forum.api.access import current_caller, forum_for_staff, open_to_delegates
from forum.api.schemas import ErrorSchema, PageArgsSchema
from forum.auth.permissions import visible_venue_ids
from forum.delegates.schemas import DelegateArgsSchema, DelegatePageSchema
from forum.delegates.services import delegates_query
from forum.forums.models import Forum
from forum.forums.schemas import ForumPageSchema
from forum.forums.services import forums_query_for
from forum.pagination import paginate
from forum.tiers.models import Venue, tier_rank
from forum.tiers.schemas import VenuePageSchema

AUTH_ERRORS = {401: 'No or invalid credentials.', 403: 'Not allowed for this caller.'}


def _document_errors(*statuses):
    def decorator(view):
        for status in statuses:
            view = bp.alt_response(
                status, schema=ErrorSchema, description=AUTH_ERRORS.get(status, 'Not found.')
            )(view)
        return view

    return decorator


@bp.get('/forums')
@bp.arguments(PageArgsSchema, location='query')
@bp.response(200, ForumPageSchema)
@_document_errors(401)
@open_to_delegates
def list_forums(args):
    """Forums visible to the caller: all for staff, the operator's own, a delegate's one."""
    caller = current_caller()
    if caller.user is not None:
        query = forums_query_for(caller.user)
    else:
        query = select(Forum).where(Forum.id == caller.delegate.forum_id)
    return paginate(query, args['page'], args['per_page'])


@bp.get('/forums/<int:forum_id>/venues')
@bp.arguments(PageArgsSchema, location='query')
@bp.response(200, VenuePageSchema)
@_document_errors(401, 403, 404)
def list_venues(args, forum_id):
    """Bridge points of a forum, hub first; an operator sees only their own."""
    forum, user = forum_for_staff(forum_id)
    query = (
        select(Venue)
        .where(Venue.forum_id == forum.id)
        .order_by(tier_rank(Venue.tier), Venue.unit_code)
    )
    visible = visible_venue_ids(user, forum)
    if visible is not None:
        query = query.where(Venue.id.in_(visible))
    return paginate(query, args['page'], args['per_page'])


@bp.get('/forums/<int:forum_id>/delegates')
@bp.arguments(DelegateArgsSchema, location='query')
@bp.response(200, DelegatePageSchema)
@_document_errors(401, 403, 404)
def list_delegates(args, forum_id):
    """Delegates in Vietnamese name order; ``q`` matches names without accents."""
    forum, user = forum_for_staff(forum_id)
    query = delegates_query(
        forum.id,
        venue_ids=visible_venue_ids(user, forum),
        venue_id=args.get('venue'),
        name_query=args.get('q'),
    )
    page = paginate(query, args['page'], args['per_page'])
    page.items = [_delegate_fields(d, show_codes=user.is_organiser) for d in page.items]
    return page


def _delegate_fields(delegate, *, show_codes: bool) -> dict:
    """A delegate as the caller may see them: invitation codes for organisers only."""
    fields = {
        name: getattr(delegate, name)
        for name in ('id', 'full_name', 'position', 'body', 'email', 'phone', 'role', 'venue_id')
    }
    fields['tier'] = delegate.venue.tier
    if show_codes:
        fields.update(code=delegate.code, short_code=delegate.short_code)
    return fields
