"""Delegate lists: finding delegates by bridge point and by name without accents."""

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from forum.delegates.models import Delegate
from forum.text import search_key


def _escape_like(text: str) -> str:
    return text.replace('\\', '\\\\').replace('%', '\\%').replace('_', '\\_')


def delegates_query(
    forum_id: int,
    *,
    venue_ids: set[int] | None = None,
    venue_id: int | None = None,
    name_query: str | None = None,
) -> Select:
    """Delegates of a forum in Vietnamese name order, optionally of some bridge points only.

    ``venue_ids`` limits to the points the caller may see (None: all); ``name_query`` matches
    any part of the name, with or without accents.
    """
    query = (
        select(Delegate)
        .where(Delegate.forum_id == forum_id)
        .options(selectinload(Delegate.venue))
        .order_by(Delegate.sort_key, Delegate.id)
    )
    if venue_ids is not None:
        query = query.where(Delegate.venue_id.in_(venue_ids))
    if venue_id is not None:
        query = query.where(Delegate.venue_id == venue_id)
    if name_query and (folded := search_key(name_query)):
        query = query.where(Delegate.search_name.like(f'%{_escape_like(folded)}%', escape='\\'))
    return query
