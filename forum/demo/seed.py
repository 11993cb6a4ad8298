"""``forum seed-demo``: the Hà Giang policy-communication seminar of 23 May 2023, ready to explore.

It builds the forum (chairs, guest of honour, agenda), its bridge points at every district and
commune, about two thousand generated delegates and one staff account per role. Running it
again changes nothing. Like the services it uses, it never commits: the command does.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, time

from flask import current_app
from sqlalchemy import func, select

from forum.delegates.models import Delegate
from forum.demo import roster
from forum.demo.people import add_delegates, sorted_venues, units_of
from forum.demo.staff import PROVINCE_CODE, DemoLogin, ensure_staff
from forum.extensions import db
from forum.forums.models import AgendaKind, Forum, OfficialRole
from forum.forums.services import (
    AgendaItemData,
    ForumData,
    OfficialData,
    advance_forum_status,
    create_forum,
)
from forum.text import normalize_text
from forum.tiers.models import Tier, Venue
from forum.tiers.services import add_venues, load_administrative_units, unit_tree

logger = logging.getLogger(__name__)

HELD_ON = date(2023, 5, 23)
THEME = 'Công tác truyền thông chính sách: Nhận thức - Hành động - Nguồn lực'
TITLE = f'Tọa đàm “{THEME}”'
HOST_BODY = 'Ủy ban nhân dân tỉnh Hà Giang'
ORGANISER_BODY = 'Sở Thông tin và Truyền thông tỉnh Hà Giang'
PLACE = 'Hội trường tầng 3, trụ sở UBND tỉnh Hà Giang, thành phố Hà Giang'
JOIN_URL = 'https://hop.hagiang.gov.vn/toa-dam-truyen-thong-chinh-sach-2023/{code}'


# Relative share of the delegates per bridge point, by tier and forum depth.
POINT_WEIGHTS = {
    3: {Tier.PROVINCE: 180, Tier.DISTRICT: 45, Tier.COMMUNE: 6},
    2: {Tier.PROVINCE: 400, Tier.COMMUNE: 9},
}
BASE_CAPACITY = {Tier.PROVINCE: 300, Tier.DISTRICT: 120, Tier.COMMUNE: 40}


@dataclass
class SeedReport:
    """What ``seed_demo`` found or made, and how to sign in."""

    forum_id: int
    title: str
    created: bool
    tier_depth: int
    venues_per_tier: dict[Tier, int]
    delegate_count: int
    delegates_per_tier: dict[Tier, int]
    logins: list[DemoLogin]
    base_url: str
    notes: list[str] = field(default_factory=list)

    @property
    def venue_count(self) -> int:
        """All bridge points, the hub included."""
        return sum(self.venues_per_tier.values())

    def summary(self) -> str:
        """A few lines for the terminal: the forum, its size, where to open it, the logins."""
        verb = 'created' if self.created else 'already existed and was left as it is'
        tiers = ', '.join(f'{tier.value} {n}' for tier, n in self.venues_per_tier.items() if n)
        per_tier = ', '.join(f'{tier.value} {n}' for tier, n in self.delegates_per_tier.items())
        per_tier = f' ({per_tier})' if per_tier else ''
        lines = [
            f'Demo forum {self.forum_id} {verb}: {self.title}',
            f'  {HELD_ON:%d/%m/%Y}, {self.tier_depth} tiers',
            f'  Bridge points: {self.venue_count} ({tiers})',
            f'  Delegates: {self.delegate_count}{per_tier}',
            *(f'  Note: {note}' for note in self.notes),
            '',
            f'Open {self.base_url}/forums/{self.forum_id} and sign in as:',
        ]
        width = max((len(login.email) for login in self.logins), default=0)
        for login in self.logins:
            password = login.password or '(an existing account with its own password)'
            where = f'  [{", ".join(login.venues)}]' if login.venues else ''
            lines.append(f'  {login.role.value:<10} {login.email:<{width}}  {password}{where}')
        return '\n'.join(lines)


def find_demo_forum() -> Forum | None:
    """The demo forum, recognised by its title, date and province."""
    return db.session.scalar(
        select(Forum)
        .where(
            Forum.title == normalize_text(TITLE),
            Forum.held_on == HELD_ON,
            Forum.province_code == PROVINCE_CODE,
        )
        .order_by(Forum.id)
        .limit(1)
    )


def seed_demo(delegate_count: int = 2100, tier_depth: int = 3) -> SeedReport:
    """Create the Hà Giang demo forum of 23 May 2023 with its points, delegates and staff.

    Idempotent: if the demo forum exists (same title, date and province) it is left exactly as
    it is, whatever ``delegate_count`` and ``tier_depth`` say now; the report tells so. Staff
    accounts that are missing are created; existing ones are never changed. Does not commit.
    """
    if tier_depth not in POINT_WEIGHTS:
        raise ValueError('tier_depth is 2 or 3')
    if delegate_count < 0:
        raise ValueError('delegate_count must not be negative')
    load_administrative_units()
    forum = find_demo_forum()
    notes: list[str] = []
    created = forum is None
    if forum is None:
        forum = create_forum(_forum_data(tier_depth))
        add_venues(forum, _bridge_point_codes(tier_depth))
        counts = _allocate(sorted_venues(forum), delegate_count, POINT_WEIGHTS[tier_depth])
        _describe_venues(forum, counts)
        add_delegates(forum, counts)
        advance_forum_status(forum)  # the list is complete: invitations are the next step
    else:
        if forum.tier_depth != tier_depth:
            notes.append(f'--tiers {tier_depth} ignored: the forum has {forum.tier_depth} tiers.')
        existing = sum(_delegates_per_tier(forum).values())
        if existing != delegate_count:
            notes.append(
                f'--delegates {delegate_count} ignored: the forum keeps its {existing} delegates '
                '(seed an empty database for another count).'
            )
    logins = ensure_staff(forum)
    if created and not all(login.created for login in logins):
        notes.append('staff accounts that existed before were left as they were.')
    if not created and any(login.created for login in logins):
        added = ', '.join(login.email for login in logins if login.created)
        notes.append(f'missing staff accounts were created: {added}.')
    delegates_per_tier = _delegates_per_tier(forum)
    report = SeedReport(
        forum_id=forum.id,
        title=forum.title,
        created=created,
        tier_depth=forum.tier_depth,
        venues_per_tier=_venues_per_tier(forum),
        delegate_count=sum(delegates_per_tier.values()),
        delegates_per_tier=delegates_per_tier,
        logins=logins,
        base_url=_public_url(),
        notes=notes,
    )
    if created:
        logger.info(
            'Demo forum %s seeded: %d bridge points, %d delegates',
            forum.id,
            report.venue_count,
            report.delegate_count,
        )
    return report


def _public_url() -> str:
    """Where the app is opened: FORUM_PUBLIC_URL, else this machine on FORUM_PORT."""
    config = current_app.config
    return (config.get('PUBLIC_URL') or f'http://127.0.0.1:{config.get("PORT", 8000)}').rstrip('/')


def _forum_data(tier_depth: int) -> ForumData:
    tiers = 'tỉnh, huyện, xã' if tier_depth == 3 else 'tỉnh, xã'
    chair, co_chair, guest = roster.CHAIR, roster.CO_CHAIR, roster.GUEST_OF_HONOUR
    editor, ethnic = roster.EDITOR, roster.ETHNIC_AFFAIRS_HEAD

    def who(official: roster.Official) -> str:
        return f'Đồng chí {official.full_name}, {official.position}'

    return ForumData(
        title=TITLE,
        theme=(
            f'{THEME}. Tọa đàm trực tuyến từ điểm cầu tỉnh tới các điểm cầu {tiers}, triển khai '
            'Chỉ thị số 07/CT-TTg ngày 21/3/2023 của Thủ tướng Chính phủ về đẩy mạnh công tác '
            'truyền thông chính sách.'
        ),
        host_body=HOST_BODY,
        organiser_body=ORGANISER_BODY,
        place=PLACE,
        province_code=PROVINCE_CODE,
        held_on=HELD_ON,
        starts_at=time(8, 0),
        ends_at=time(11, 30),
        tier_depth=tier_depth,
        officials=[
            OfficialData(OfficialRole.CHAIR, chair.full_name, chair.position, chair.body),
            OfficialData(OfficialRole.CHAIR, co_chair.full_name, co_chair.position, co_chair.body),
            OfficialData(OfficialRole.GUEST, guest.full_name, guest.position, guest.body),
        ],
        agenda=[
            AgendaItemData(
                'Tuyên bố lý do, giới thiệu đại biểu',
                AgendaKind.OPENING,
                time(8, 0),
                'Chánh Văn phòng Sở Thông tin và Truyền thông',
            ),
            AgendaItemData('Phát biểu khai mạc', AgendaKind.OPENING, time(8, 10), who(chair)),
            AgendaItemData(
                'Báo cáo đề dẫn: kết quả công tác truyền thông chính sách của tỉnh và việc triển '
                'khai Chỉ thị số 07/CT-TTg ngày 21/3/2023 của Thủ tướng Chính phủ',
                AgendaKind.PRESENTATION,
                time(8, 20),
                who(co_chair),
            ),
            AgendaItemData(
                'Tham luận: Truyền thông chính sách - từ nhận thức đến hành động',
                AgendaKind.PRESENTATION,
                time(8, 40),
                f'{who(guest)}, {guest.body}',
            ),
            AgendaItemData(
                'Tham luận: Báo chí địa phương đồng hành cùng truyền thông chính sách',
                AgendaKind.PRESENTATION,
                time(9, 0),
                f'{who(editor)} {editor.body}',
            ),
            AgendaItemData(
                'Tham luận: Truyền thông chính sách ở vùng đồng bào dân tộc thiểu số',
                AgendaKind.PRESENTATION,
                time(9, 15),
                f'Đồng chí {ethnic.full_name}, Trưởng Ban Dân tộc tỉnh',
            ),
            AgendaItemData(
                f'Thảo luận: ý kiến, kiến nghị của đại biểu các điểm cầu {tiers}; '
                'lãnh đạo các sở, ngành trả lời',
                AgendaKind.DISCUSSION,
                time(9, 30),
                'Đại biểu các điểm cầu',
            ),
            AgendaItemData(
                'Phát biểu kết luận; giao Sở Thông tin và Truyền thông tổng hợp ý kiến, '
                'tham mưu UBND tỉnh',
                AgendaKind.CONCLUSION,
                time(11, 0),
                who(chair),
            ),
        ],
    )


def _bridge_point_codes(tier_depth: int) -> list[str]:
    """Every district (three tiers only) and every commune of the province."""
    codes: list[str] = []
    for district, communes in unit_tree(PROVINCE_CODE):
        if tier_depth == 3:
            codes.append(district.code)
        codes.extend(commune.code for commune in communes)
    return codes


def _allocate(venues: list[Venue], total: int, weights: dict[Tier, int]) -> dict[int, int]:
    """Split ``total`` delegates over the points in proportion to their tier's weight."""
    shares = [weights[venue.tier] for venue in venues]
    whole = sum(shares)
    exact = [total * share / whole for share in shares]
    counts = [int(x) for x in exact]
    # Largest remainder, ties to the higher tier then the earlier point: deterministic.
    order = sorted(
        range(len(venues)), key=lambda i: (counts[i] - exact[i], venues[i].tier.level, i)
    )
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return {venue.id: count for venue, count in zip(venues, counts, strict=True)}


def _describe_venues(forum: Forum, counts: dict[int, int]) -> None:
    """Give every point a room, a capacity that fits its delegates, and a meeting link."""
    # Set directly rather than through update_venue: these are the points' first details, and
    # an audit entry for each of 205 points would say nothing that 'venue.added' does not.
    units = units_of(forum)
    for venue in forum.venues:
        unit = units[venue.unit_code]
        if venue.tier == Tier.DISTRICT:
            venue.address = f'Hội trường UBND {roster.unit_short_name(unit.name, unit.kind)}'
        elif venue.tier == Tier.COMMUNE:
            district = unit.parent
            venue.address = (
                f'Hội trường UBND {roster.unit_short_name(unit.name, unit.kind)}, '
                f'{roster.unit_short_name(district.name, district.kind)}'
            )
        needed = -(-counts[venue.id] * 12 // 100) * 10  # a fifth spare, rounded up to tens
        venue.capacity = max(BASE_CAPACITY[venue.tier], needed)
        venue.join_url = JOIN_URL.format(code=venue.unit_code)
    db.session.flush()


def _venues_per_tier(forum: Forum) -> dict[Tier, int]:
    counts = {tier: 0 for tier in Tier}
    for venue in forum.venues:
        counts[venue.tier] += 1
    return counts


def _delegates_per_tier(forum: Forum) -> dict[Tier, int]:
    rows = db.session.execute(
        select(Venue.tier, func.count(Delegate.id))
        .join(Delegate, Delegate.venue_id == Venue.id)
        .where(Delegate.forum_id == forum.id)
        .group_by(Venue.tier)
    ).all()
    found = dict(rows)
    return {tier: found.get(tier, 0) for tier in Tier if found.get(tier)}
