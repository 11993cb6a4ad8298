"""Attendance: invited and present, per tier and per bridge point, in three plain queries."""

from functools import cache

from sqlalchemy import bindparam, case, func, select

from forum.checkin.models import CheckIn
from forum.delegates.models import Delegate
from forum.extensions import db
from forum.tiers.models import Tier, Venue

_TIER_LEVELS = {tier: tier.level for tier in Tier}


@cache
def _statements():
    """The three queries, built once (Core: no ORM objects for the 200-odd bridge points).

    Sent once a second while check-ins arrive, and to every board that connects."""
    delegates, checkins, venues = Delegate.__table__, CheckIn.__table__, Venue.__table__
    forum_id = bindparam('forum_id')
    invited = (
        select(
            delegates.c.venue_id,
            func.sum(case((delegates.c.walk_in.is_(False), 1), else_=0)),
            func.sum(case((delegates.c.walk_in.is_(True), 1), else_=0)),
        )
        .where(delegates.c.forum_id == forum_id)
        .group_by(delegates.c.venue_id)
    )
    present = (
        select(
            checkins.c.venue_id,
            func.count(checkins.c.id),
            func.sum(case((checkins.c.checked_out_at.is_(None), 1), else_=0)),
        )
        .where(checkins.c.forum_id == forum_id, checkins.c.undone_at.is_(None))
        .group_by(checkins.c.venue_id)
    )
    points = select(
        venues.c.id,
        venues.c.name,
        venues.c.tier,
        venues.c.unit_code,
        venues.c.connection_status,
        venues.c.status_note,
    ).where(venues.c.forum_id == forum_id)
    return invited, present, points


def attendance_summary(forum) -> dict:
    """Counts for the board and the API.

    Invited people count at the point they were invited to; present people at the point where
    they checked in. Walk-ins are present without having been invited.
    """
    invited_query, present_query, points_query = _statements()
    session = db.session
    if session.autoflush:
        session.flush()  # pending changes count, as with ORM queries
    connection = session.connection()
    params = {'forum_id': forum.id}
    invited_by_venue, walk_ins = {}, 0
    for venue_id, invited, walked_in in connection.execute(invited_query, params):
        if invited:
            invited_by_venue[venue_id] = int(invited)
        walk_ins += int(walked_in or 0)
    present_by_venue = {
        venue_id: (int(n), int(inside or 0))
        for venue_id, n, inside in connection.execute(present_query, params)
    }
    points = connection.execute(points_query, params).all()
    by_tier = {
        tier.value: {'invited': 0, 'checked_in': 0, 'inside': 0, 'venues': 0}
        for tier in Tier
        if tier.level <= forum.tier_depth or tier == Tier.COMMUNE
    }
    by_venue = []
    for venue_id, name, tier, _unit_code, status, note in sorted(
        points, key=lambda point: (_TIER_LEVELS[point.tier], point.unit_code)
    ):
        invited = invited_by_venue.get(venue_id, 0)
        present, inside = present_by_venue.get(venue_id, (0, 0))
        tier_counts = by_tier.setdefault(
            tier.value, {'invited': 0, 'checked_in': 0, 'inside': 0, 'venues': 0}
        )
        tier_counts['invited'] += invited
        tier_counts['checked_in'] += present
        tier_counts['inside'] += inside
        tier_counts['venues'] += 1
        by_venue.append(
            {
                'venue_id': venue_id,
                'name': name,
                'tier': tier.value,
                'invited': invited,
                'checked_in': present,
                'inside': inside,
                'connection_status': status.value,
                'status_note': note or '',  # the roll call's answer, with its status
            }
        )
    return {
        'invited': sum(invited_by_venue.values()),
        'checked_in': sum(n for n, _inside in present_by_venue.values()),
        'inside': sum(inside for _n, inside in present_by_venue.values()),
        'walk_ins': walk_ins,
        'by_tier': by_tier,
        'by_venue': by_venue,
    }
