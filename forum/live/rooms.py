"""Room names of the ``/live`` namespace."""


def forum_room(forum_id: int) -> str:
    """The audience: delegates' phones following a forum."""
    return f'forum-{forum_id}'


def staff_room(forum_id: int) -> str:
    """The forum's staff: organisers, moderators, operators, the secretariat, big screens.

    They follow the staff's stream (attendance, and the queue in one of the two rooms below),
    so they are not in the audience's room too."""
    return f'forum-{forum_id}-staff'


def desk_room(forum_id: int) -> str:
    """Staff who see every item of the queue in full: the desk and the secretariat."""
    return f'forum-{forum_id}-desk'


def floor_room(forum_id: int) -> str:
    """Operators: the queue as the audience sees it, in the staff's stream (same versions)."""
    return f'forum-{forum_id}-floor'


def point_staff_room(venue_id: int) -> str:
    """The operators of one bridge point: its own items in full, outside the stream."""
    return f'venue-{venue_id}-staff'


def delegate_room(delegate_id: int) -> str:
    """One delegate's own connections (their phone, their page)."""
    return f'delegate-{delegate_id}'
