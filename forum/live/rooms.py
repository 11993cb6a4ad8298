"""Room names of the ``/live`` namespace."""


def forum_room(forum_id: int) -> str:
    """Everyone following a forum: staff screens and delegates' phones."""
    return f'forum-{forum_id}'


def staff_room(forum_id: int) -> str:
    """The forum's staff: organisers, moderators, operators, the secretariat, big screens."""
    return f'forum-{forum_id}-staff'


def delegate_room(delegate_id: int) -> str:
    """One delegate's own connections (their phone, their page)."""
    return f'delegate-{delegate_id}'
