"""The demo's delegates: at each bridge point the seats its roster gives, filled with names
drawn from the point's population, some with an e-mail address and a phone number."""

import random

from sqlalchemy import select

from forum.audit.services import record_change
from forum.delegates.models import Delegate
from forum.demo import roster
from forum.demo.names import email_local_part, generate_person, generate_phone
from forum.demo.roster import Seat
from forum.demo.staff import EMAIL_DOMAIN
from forum.extensions import db
from forum.forums.models import Forum
from forum.tiers.models import AdministrativeUnit, Tier, Venue

SEED = 20230523  # the same count and depth always give the same people
# The karst plateau and the western highlands are mostly Hmông; the south mostly Tày and Dao.
HIGHLAND_DISTRICTS = {'026', '027', '028', '029', '031', '032', '033'}
EMAIL_SHARE = {Tier.PROVINCE: 0.85, Tier.DISTRICT: 0.6, Tier.COMMUNE: 0.3}
PHONE_SHARE = {Tier.PROVINCE: 0.7, Tier.DISTRICT: 0.7, Tier.COMMUNE: 0.6}


def sorted_venues(forum: Forum) -> list[Venue]:
    return sorted(forum.venues, key=lambda v: (v.tier.level, v.unit_code))


def units_of(forum: Forum) -> dict[str, AdministrativeUnit]:
    codes = [venue.unit_code for venue in forum.venues]
    query = select(AdministrativeUnit).where(AdministrativeUnit.code.in_(codes))
    return {unit.code: unit for unit in db.session.scalars(query)}


def _population(unit: AdministrativeUnit) -> dict[str, float]:
    """The mix of names at a point: more minority, and more Hmông, in the highlands."""
    if unit.tier == Tier.PROVINCE:
        return {'minority_share': 0.3, 'hmong_share': 0.35}
    district_code = unit.code if unit.tier == Tier.DISTRICT else unit.parent_code
    if district_code in HIGHLAND_DISTRICTS:
        return {'minority_share': 0.75 if unit.tier == Tier.COMMUNE else 0.5, 'hmong_share': 0.7}
    return {'minority_share': 0.55 if unit.tier == Tier.COMMUNE else 0.4, 'hmong_share': 0.2}


def _seats(venue: Venue, unit: AdministrativeUnit, count: int) -> list[Seat]:
    if venue.tier == Tier.PROVINCE:
        return roster.hub_seats(count)
    if venue.tier == Tier.DISTRICT:
        return roster.district_seats(unit.name, unit.kind, count)
    return roster.commune_seats(unit.name, unit.kind, count)


def _fresh_name(
    rng: random.Random, taken: set[str], seat: Seat, population: dict[str, float]
) -> str:
    """A generated name not yet used at this point, if one turns up in a few tries."""
    for _attempt in range(20):
        full_name = generate_person(rng, female=seat.female, **population)
        if full_name not in taken:
            break
    return full_name


def add_delegates(forum: Forum, counts: dict[int, int]) -> int:
    """Add the generated delegates of every point in one flush; return how many."""
    rng = random.Random(SEED)
    units = units_of(forum)
    emails: set[str] = set()
    delegates: list[Delegate] = []
    for venue in sorted_venues(forum):
        unit = units[venue.unit_code]
        population = _population(unit)
        names_here: set[str] = set()
        for seat in _seats(venue, unit, counts[venue.id]):
            full_name = seat.full_name or _fresh_name(rng, names_here, seat, population)
            names_here.add(full_name)
            email = ''
            if rng.random() < EMAIL_SHARE[venue.tier]:
                local = email_local_part(full_name)
                email = f'{local}@{EMAIL_DOMAIN}'
                suffix = 1
                while email in emails:
                    suffix += 1
                    email = f'{local}{suffix}@{EMAIL_DOMAIN}'
                emails.add(email)
            phone = generate_phone(rng) if rng.random() < PHONE_SHARE[venue.tier] else ''
            delegates.append(
                Delegate(
                    forum_id=forum.id,
                    venue_id=venue.id,
                    full_name=full_name,
                    position=seat.position,
                    body=seat.body,
                    role=seat.role,
                    email=email,
                    phone=phone,
                )
            )
    db.session.add_all(delegates)
    db.session.flush()
    record_change(
        'delegates.seeded',
        forum,
        forum_id=forum.id,
        details={'count': len(delegates), 'seed': SEED},
    )
    return len(delegates)
