"""Who may do what: role checks for pages and the API."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from forum.auth.models import User, UserRole

STAFF_WHO_SEE_ALL_FORUMS = frozenset(
    {UserRole.ADMIN, UserRole.ORGANISER, UserRole.MODERATOR, UserRole.SECRETARY}
)
# Roles by what they do; admins pass every role check and are in each set.
MODERATOR_ROLES = frozenset({UserRole.ADMIN, UserRole.ORGANISER, UserRole.MODERATOR})  # the desk
SECRETARIAT_ROLES = frozenset({UserRole.ADMIN, UserRole.ORGANISER, UserRole.SECRETARY})
CHECK_IN_ANYWHERE = frozenset({UserRole.ADMIN, UserRole.ORGANISER})  # ``User.is_organiser``


def may_view_forum(role, *, operates_a_point: bool) -> bool:
    """Staff see every forum; an operator sees the forums of their bridge points."""
    return UserRole(role) in STAFF_WHO_SEE_ALL_FORUMS or bool(operates_a_point)


def may_check_in_at(role, *, operates_it: bool) -> bool:
    """Organisers check in anywhere; an operator at their own bridge points."""
    return UserRole(role) in CHECK_IN_ANYWHERE or bool(operates_it)


def roles_required(*roles: UserRole):
    """Page decorator: signed in, and with one of ``roles`` (admins pass every check)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role != UserRole.ADMIN and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def sees_every_point(role) -> bool:
    """Whether this role sees every bridge point's items of the queue in full (authors, held
    and dismissed ones): the desk runs the queue, the secretariat records every opinion for
    the minutes and for the written answers. An operator sees their own points' items."""
    return UserRole(role) in STAFF_WHO_SEE_ALL_FORUMS


def can_view_forum(user: User, forum) -> bool:
    """``may_view_forum`` for a user and a forum."""
    if user.role in STAFF_WHO_SEE_ALL_FORUMS:  # without loading their bridge points
        return True
    return may_view_forum(
        user.role, operates_a_point=any(v.forum_id == forum.id for v in user.venues)
    )


def can_edit_venue(user: User, venue) -> bool:
    """Organisers change every bridge point; an operator only their own."""
    return user.is_organiser or venue in user.venues


def visible_venue_ids(user: User, forum) -> set[int] | None:
    """The bridge points of ``forum`` the user may see; None means all of them."""
    if user.role in STAFF_WHO_SEE_ALL_FORUMS:
        return None
    return {venue.id for venue in user.venues if venue.forum_id == forum.id}


def visible_forum_or_404(forum_id: int):
    """For page views: the forum the signed-in user may see, else 404 or 403."""
    from forum.extensions import db
    from forum.forums.models import Forum

    forum = db.session.get(Forum, forum_id) or abort(404)
    if not can_view_forum(current_user, forum):
        abort(403)
    return forum


def can_check_in_at(user: User, venue) -> bool:
    """``may_check_in_at`` for a user and a bridge point."""
    if user.role in CHECK_IN_ANYWHERE:  # without loading their bridge points
        return True
    return may_check_in_at(user.role, operates_it=any(v.id == venue.id for v in user.venues))
