"""Invitation counts per bridge point and per tier: invited, sent, opened, accepted, declined."""

from dataclasses import dataclass, field

from sqlalchemy import case, func, select

from forum.delegates.models import Delegate, Rsvp
from forum.extensions import db
from forum.tiers.models import Tier, Venue


@dataclass
class InvitationCounts:
    invited: int = 0
    sent: int = 0
    opened: int = 0
    accepted: int = 0
    declined: int = 0

    @property
    def unanswered(self) -> int:
        return self.invited - self.accepted - self.declined

    def add(self, other: 'InvitationCounts') -> None:
        """Add ``other``'s counts to these."""
        for name in ('invited', 'sent', 'opened', 'accepted', 'declined'):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class VenueCounts:
    venue: Venue
    counts: InvitationCounts


@dataclass
class InvitationDashboard:
    total: InvitationCounts = field(default_factory=InvitationCounts)
    by_tier: dict[Tier, InvitationCounts] = field(default_factory=dict)
    by_venue: list[VenueCounts] = field(default_factory=list)


def _count_if(condition):
    return func.sum(case((condition, 1), else_=0))


def invitation_dashboard(forum, *, venue_ids: set[int] | None = None) -> InvitationDashboard:
    """Counts for every bridge point of the forum (or those in ``venue_ids``), in one query."""
    rows = db.session.execute(
        select(
            Delegate.venue_id,
            func.count(Delegate.id),
            _count_if(Delegate.invitation_sent_at.is_not(None)),
            _count_if(Delegate.invitation_opened_at.is_not(None)),
            _count_if(Delegate.rsvp == Rsvp.ACCEPTED),
            _count_if(Delegate.rsvp == Rsvp.DECLINED),
        )
        .where(Delegate.forum_id == forum.id)
        .group_by(Delegate.venue_id)
    ).all()
    counts_by_venue = {
        venue_id: InvitationCounts(*(int(n or 0) for n in numbers)) for venue_id, *numbers in rows
    }
    dashboard = InvitationDashboard(by_tier={tier: InvitationCounts() for tier in Tier})
    venues = sorted(forum.venues, key=lambda v: (v.tier.level, v.unit_code))
    for venue in venues:
        if venue_ids is not None and venue.id not in venue_ids:
            continue
        counts = counts_by_venue.get(venue.id, InvitationCounts())
        dashboard.by_venue.append(VenueCounts(venue, counts))
        dashboard.by_tier[venue.tier].add(counts)
        dashboard.total.add(counts)
    return dashboard
