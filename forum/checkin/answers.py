"""A check-in and its delegate as the API and the live channel show them: one serializer each,
for ORM objects and for rows under the same names alike."""


def delegate_brief(delegate) -> dict:
    """A delegate as the door's answers show them (a ``Delegate``, or the facts' row)."""
    return {
        'id': delegate.id,
        'full_name': delegate.full_name,
        'position': delegate.position,
        'body': delegate.body,
        'venue_id': delegate.venue_id,
        'venue': delegate.venue_name,
        'walk_in': delegate.walk_in,
    }


def checkin_answer(checkin) -> dict:
    """A check-in as the API and the live channel show it (a ``CheckIn``, or a row under the
    same names)."""
    return {
        'id': checkin.id,
        'delegate_id': checkin.delegate_id,
        'venue_id': checkin.venue_id,
        'venue': checkin.venue_name,
        'checked_in_at': checkin.checked_in_at.isoformat(),
        'by': checkin.by_name,
        'other_venue': checkin.other_venue,
        'method': checkin.method.value,
    }
