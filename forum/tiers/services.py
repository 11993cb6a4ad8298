"""Administrative units and bridge points: loading the unit list, building a forum's venues."""

import csv
import logging
from collections.abc import Iterable
from datetime import datetime
from importlib import resources
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import func, select

from forum.audit.services import record_change
from forum.checkin.board import board_changed
from forum.errors import DomainError
from forum.extensions import db
from forum.text import normalize_text
from forum.tiers.models import AdministrativeUnit, ConnectionStatus, Tier, Venue

logger = logging.getLogger(__name__)

DISTRICT_KINDS = ('Thành phố', 'Thị xã', 'Huyện', 'Quận')
HA_GIANG_UNITS_FILE = 'ha-giang-units-2025-01.csv'


class VenueError(DomainError):
    """A change to the bridge points that cannot be made, with a message for the user."""

    def __init__(self, message: str, *, code: str = 'venue', status: int = 422):
        super().__init__(code, message, status=status)


def _kind_from_name(name: str, kinds: Iterable[str]) -> str:
    return next((kind for kind in kinds if name.startswith(kind + ' ')), '')


def default_units_file() -> Path:
    """The statistics office's list of Hà Giang's units (4 January 2025), shipped with us."""
    return Path(str(resources.files('forum') / 'data' / HA_GIANG_UNITS_FILE))


def load_administrative_units(path: Path | None = None) -> int:
    """Insert the units of a statistics-office CSV that are not there yet; return how many.

    Columns: province, code, district, code, commune, code, kind (as the office publishes them).
    Running it again adds nothing.
    """
    path = path or default_units_file()
    known = set(db.session.scalars(select(AdministrativeUnit.code)))
    added = 0
    with path.open(encoding='utf-8-sig', newline='') as handle:
        for row in csv.reader(handle):
            if len(row) < 7 or not row[1].strip().isdigit():
                continue  # the header, or a blank line
            province, province_code, district, district_code, commune, commune_code, kind = (
                normalize_text(cell) for cell in row[:7]
            )
            units = [
                (
                    province_code,
                    province,
                    'Tỉnh' if province.startswith('Tỉnh') else 'Thành phố',
                    Tier.PROVINCE,
                    None,
                ),
                (
                    district_code,
                    district,
                    _kind_from_name(district, DISTRICT_KINDS),
                    Tier.DISTRICT,
                    province_code,
                ),
                (commune_code, commune, kind, Tier.COMMUNE, district_code),
            ]
            for code, name, unit_kind, tier, parent_code in units:
                if code in known:
                    continue
                db.session.add(
                    AdministrativeUnit(
                        code=code, name=name, kind=unit_kind, tier=tier, parent_code=parent_code
                    )
                )
                known.add(code)
                added += 1
            db.session.flush()
    logger.info('Loaded %d administrative units from %s', added, path.name)
    return added


def list_provinces() -> list[AdministrativeUnit]:
    """Every province-level unit, by code."""
    query = select(AdministrativeUnit).where(AdministrativeUnit.tier == Tier.PROVINCE)
    return list(db.session.scalars(query.order_by(AdministrativeUnit.code)))


def unit_tree(province_code: str) -> list[tuple[AdministrativeUnit, list[AdministrativeUnit]]]:
    """The districts of a province, each with its communes, in the office's code order."""
    units = db.session.scalars(
        select(AdministrativeUnit).where(
            AdministrativeUnit.tier != Tier.PROVINCE,
        )
    ).all()
    districts = sorted((u for u in units if u.parent_code == province_code), key=lambda u: u.code)
    communes_by_district: dict[str, list[AdministrativeUnit]] = {d.code: [] for d in districts}
    for unit in units:
        if unit.parent_code in communes_by_district:
            communes_by_district[unit.parent_code].append(unit)
    return [(d, sorted(communes_by_district[d.code], key=lambda u: u.code)) for d in districts]


def ensure_hub(forum) -> Venue:
    """Return the forum's hub (the province bridge point), creating it if needed."""
    hub = next((v for v in forum.venues if v.tier == Tier.PROVINCE), None)
    if hub is None:
        province = db.session.get(AdministrativeUnit, forum.province_code)
        if province is None:
            raise VenueError(_('Không có tỉnh mã %(code)s.', code=forum.province_code))
        hub = Venue(
            forum=forum,
            unit_code=province.code,
            tier=Tier.PROVINCE,
            name=province.name,
            address=forum.place,
        )
        db.session.add(hub)
        db.session.flush()
    return hub


def add_venues(forum, unit_codes: Iterable[str], *, user=None) -> list[Venue]:
    """Add a bridge point for each chosen unit of the forum's province; return the new ones.

    Units that already have a point are left as they are. In a three-tier forum a commune hangs
    under its district's point, which is added with it; in a two-tier forum districts are not
    bridge points and communes hang under the hub.
    """
    hub = ensure_hub(forum)
    existing = {venue.unit_code: venue for venue in forum.venues}
    codes = list(dict.fromkeys(normalize_text(code) for code in unit_codes if code))
    units = {
        unit.code: unit
        for unit in db.session.scalars(
            select(AdministrativeUnit).where(AdministrativeUnit.code.in_(codes))
        )
    }
    unknown = [code for code in codes if code not in units]
    if unknown:
        raise VenueError(_('Không có đơn vị hành chính mã: %(codes)s.', codes=', '.join(unknown)))

    created: list[Venue] = []

    def add(unit: AdministrativeUnit, parent: Venue) -> Venue:
        venue = existing.get(unit.code)
        if venue is None:
            venue = Venue(
                forum=forum, unit_code=unit.code, tier=unit.tier, name=unit.name, parent=parent
            )
            db.session.add(venue)
            existing[unit.code] = venue
            created.append(venue)
        return venue

    for code in codes:
        unit = units[code]
        district = unit if unit.tier == Tier.DISTRICT else unit.parent
        province_code = district.parent_code if district else None
        if unit.tier == Tier.PROVINCE or province_code != forum.province_code:
            raise VenueError(
                _(
                    '%(name)s (%(code)s) không phải huyện hay xã của tỉnh tổ chức hội nghị.',
                    name=unit.name,
                    code=unit.code,
                )
            )
        if unit.tier == Tier.DISTRICT:
            if forum.tier_depth == 2:
                raise VenueError(
                    _('%(name)s: hội nghị hai cấp không có điểm cầu cấp huyện.', name=unit.name)
                )
            add(unit, hub)
        elif forum.tier_depth == 3:
            add(unit, add(unit.parent, hub))
        else:
            add(unit, hub)
    db.session.flush()
    if created:
        record_change(
            'venue.added',
            forum,
            user=user,
            forum_id=forum.id,
            details={'unit_codes': [v.unit_code for v in created]},
        )
        logger.info('Forum %s: %d bridge points added', forum.id, len(created))
    return created


def remove_venues(forum, unit_codes: Iterable[str], *, user=None) -> int:
    """Remove the bridge points of these units; refuse if one has delegates or child points."""
    from forum.delegates.models import Delegate

    codes = set(unit_codes)
    doomed = [v for v in forum.venues if v.unit_code in codes and not v.is_hub]
    doomed_ids = {v.id for v in doomed}
    for venue in doomed:
        children = [v for v in forum.venues if v.parent_id == venue.id and v.id not in doomed_ids]
        if children:
            raise VenueError(
                _('%(name)s còn %(count)d điểm cầu cấp xã.', name=venue.name, count=len(children))
            )
        delegates = db.session.scalar(
            select(func.count(Delegate.id)).where(Delegate.venue_id == venue.id)
        )
        if delegates:
            raise VenueError(
                _(
                    '%(name)s có %(count)d đại biểu; hãy chuyển họ sang điểm cầu khác trước.',
                    name=venue.name,
                    count=delegates,
                )
            )
    # Children before parents, so the parent reference never dangles.
    for venue in sorted(doomed, key=lambda v: v.tier.level, reverse=True):
        forum.venues.remove(venue)
        db.session.delete(venue)
        db.session.flush()
    if doomed:
        record_change(
            'venue.removed',
            forum,
            user=user,
            forum_id=forum.id,
            details={'unit_codes': sorted(v.unit_code for v in doomed)},
        )
    return len(doomed)


def update_venue(venue: Venue, *, user=None, **changes) -> Venue:
    """Change a bridge point's address, capacity, join link or operators."""
    allowed = {'address', 'capacity', 'join_url', 'operators'}
    for field, value in changes.items():
        if field not in allowed:
            raise ValueError(f'{field} cannot be changed here.')
        setattr(venue, field, normalize_text(value) if isinstance(value, str) else value)
    record_change(
        'venue.updated',
        venue,
        user=user,
        forum_id=venue.forum_id,
        details={k: v for k, v in changes.items() if k != 'operators'},
    )
    return venue


def report_connection_status(
    venue: Venue, status: ConnectionStatus, note: str = '', *, user=None, now: datetime
) -> Venue:
    """Record an operator's roll-call answer: connected, or a problem with a note."""
    venue.connection_status = ConnectionStatus(status)
    venue.status_note = normalize_text(note)
    venue.status_reported_at = now
    record_change(
        'venue.status',
        venue,
        user=user,
        forum_id=venue.forum_id,
        details={'status': venue.connection_status.value, 'note': venue.status_note},
    )
    logger.info('Venue %s reported %s', venue.id, venue.connection_status.value)
    board_changed(venue.forum_id)  # the hub's board shows the roll call live
    return venue


def venues_by_tier(forum) -> dict[Tier, list[Venue]]:
    """The forum's bridge points grouped by tier, each group in unit-code order."""
    grouped: dict[Tier, list[Venue]] = {tier: [] for tier in Tier}
    for venue in sorted(forum.venues, key=lambda v: v.unit_code):
        grouped[venue.tier].append(venue)
    return grouped
