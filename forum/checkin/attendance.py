"""Attendance: invited and present, per tier and per bridge point, in two queries."""

from sqlalchemy import case, func, select

from forum.checkin.models import CheckIn
from forum.delegates.models import Delegate
from forum.extensions import db
from forum.tiers.models import Tier, Venue


def attendance_summary(forum) -> dict:
    """Counts for the board and the API.

    Invited people count at the point they were invited to; present people at the point where
    they checked in. Walk-ins are present without having been invited.
    """
    invited_by_venue = dict(
        db.session.execute(
            select(Delegate.venue_id, func.count(Delegate.id))
            .where(Delegate.forum_id == forum.id, Delegate.walk_in.is_(False))
            .group_by(Delegate.venue_id)
        ).all()
    )
    present_rows = db.session.execute(
        select(
            CheckIn.venue_id,
            func.count(CheckIn.id),
            func.sum(case((CheckIn.checked_out_at.is_(None), 1), else_=0)),
        )
        .where(CheckIn.forum_id == forum.id, CheckIn.undone_at.is_(None))
        .group_by(CheckIn.venue_id)
    ).all()
    present_by_venue = {
        venue_id: (int(n), int(inside or 0)) for venue_id, n, inside in present_rows
    }
    walk_ins = db.session.scalar(
        select(func.count(Delegate.id)).where(
            Delegate.forum_id == forum.id, Delegate.walk_in.is_(True)
        )
    )
    venues = db.session.scalars(select(Venue).where(Venue.forum_id == forum.id)).all()
    by_tier = {
        tier.value: {'invited': 0, 'checked_in': 0, 'inside': 0, 'venues': 0}
        for tier in Tier
        if tier.level <= forum.tier_depth or tier == Tier.COMMUNE
    }
    by_venue = []
    for venue in sorted(venues, key=lambda v: (v.tier.level, v.unit_code)):
        invited = invited_by_venue.get(venue.id, 0)
        present, inside = present_by_venue.get(venue.id, (0, 0))
        tier = by_tier.setdefault(
            venue.tier.value, {'invited': 0, 'checked_in': 0, 'inside': 0, 'venues': 0}
        )
        tier['invited'] += invited
        tier['checked_in'] += present
        tier['inside'] += inside
        tier['venues'] += 1
        by_venue.append(
            {
                'venue_id': venue.id,
                'name': venue.name,
                'tier': venue.tier.value,
                'invited': invited,
                'checked_in': present,
                'inside': inside,
                'connection_status': venue.connection_status.value,
            }
        )
    return {
        'invited': sum(invited_by_venue.values()),
        'checked_in': sum(n for n, _inside in present_by_venue.values()),
        'inside': sum(inside for _n, inside in present_by_venue.values()),
        'walk_ins': walk_ins or 0,
        'by_tier': by_tier,
        'by_venue': by_venue,
    }
