"""Room names of the ``/live`` namespace."""


def forum_room(forum_id: int) -> str:
    """The audience: delegates' phones following a forum."""
    return f'forum-{forum_id}'


def staff_room(forum_id: int) -> str:
    """The forum's staff: organisers, moderators, operators, the secretariat, big screens.

    They get every change in full, so they are not in the audience's room too."""
    return f'forum-{forum_id}-staff'


def delegate_room(delegate_id: int) -> str:
    """One delegate's own connections (their phone, their page)."""
    return f'delegate-{delegate_id}'
