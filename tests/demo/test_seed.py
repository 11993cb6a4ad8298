"""``forum seed-demo``: the Hà Giang forum of 23 May 2023, its points, delegates and logins."""

import unicodedata
from datetime import date

import pytest
from sqlalchemy import func, select

from config import TestConfig
from forum import create_app
from forum.audit.models import AuditEntry
from forum.auth.models import User, UserRole
from forum.auth.services import authenticate, create_user
from forum.delegates.models import Delegate, DelegateRole
from forum.demo.seed import seed_demo
from forum.demo.staff import DEMO_PASSWORD
from forum.extensions import db
from forum.forums.models import AgendaItem, AgendaKind, Forum, ForumStatus
from forum.tiers.models import Tier, Venue

SMALL = 300  # enough for every tier; the default 2,100 is tested once


def make_app(path):
    app = create_app(TestConfig, {'SQLALCHEMY_DATABASE_URI': f'sqlite:///{path}'})
    with app.app_context():
        db.create_all()
    return app


@pytest.fixture
def demo_app(tmp_path):
    app = make_app(tmp_path / 'db.sqlite')
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def ctx(demo_app):
    with demo_app.app_context():
        yield demo_app


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def venue_tiers() -> dict[Tier, int]:
    return dict(db.session.execute(select(Venue.tier, func.count()).group_by(Venue.tier)).all())


def delegate_tiers() -> dict[Tier, int]:
    query = select(Venue.tier, func.count(Delegate.id)).join(Delegate.venue).group_by(Venue.tier)
    return dict(db.session.execute(query).all())


def people() -> list[tuple]:
    query = (
        select(Venue.unit_code, Delegate.full_name, Delegate.position, Delegate.body)
        .join(Delegate.venue)
        .add_columns(Delegate.role, Delegate.email, Delegate.phone)
        .order_by(Delegate.id)
    )
    return [tuple(row) for row in db.session.execute(query)]


def test_three_tiers_give_the_hub_11_districts_and_193_communes(ctx):
    report = seed_demo(delegate_count=SMALL)
    db.session.commit()
    assert venue_tiers() == {Tier.PROVINCE: 1, Tier.DISTRICT: 11, Tier.COMMUNE: 193}
    assert report.venue_count == 205
    assert report.venues_per_tier == {Tier.PROVINCE: 1, Tier.DISTRICT: 11, Tier.COMMUNE: 193}
    communes = db.session.scalars(select(Venue).where(Venue.tier == Tier.COMMUNE)).all()
    assert all(v.parent.tier == Tier.DISTRICT for v in communes)


def test_two_tiers_give_the_hub_and_193_communes_under_it(ctx):
    report = seed_demo(delegate_count=SMALL, tier_depth=2)
    db.session.commit()
    assert venue_tiers() == {Tier.PROVINCE: 1, Tier.COMMUNE: 193}
    assert report.tier_depth == 2 and report.venue_count == 194
    communes = db.session.scalars(select(Venue).where(Venue.tier == Tier.COMMUNE)).all()
    assert all(v.parent.is_hub for v in communes)
    assert set(delegate_tiers()) == {Tier.PROVINCE, Tier.COMMUNE}
    # No district point, so no district operator; the hub and a commune keep theirs.
    operators = [login for login in report.logins if login.role == UserRole.OPERATOR]
    assert [login.venues for login in operators] == [['Tỉnh Hà Giang'], ['Xã Lũng Cú']]


def test_default_seed_invites_over_2000_delegates_with_bigger_rooms_higher_up(ctx):
    report = seed_demo()
    db.session.commit()
    assert count(Delegate) == report.delegate_count >= 2000
    per_venue = dict(
        db.session.execute(
            select(Delegate.venue_id, func.count()).group_by(Delegate.venue_id)
        ).all()
    )
    venues = db.session.scalars(select(Venue)).all()
    assert all(per_venue.get(v.id, 0) >= 1 for v in venues), 'a bridge point has nobody'
    by_tier = {tier: [per_venue[v.id] for v in venues if v.tier == tier] for tier in Tier}
    assert min(by_tier[Tier.PROVINCE]) > max(by_tier[Tier.DISTRICT])
    assert min(by_tier[Tier.DISTRICT]) > max(by_tier[Tier.COMMUNE])
    assert 3 <= min(by_tier[Tier.COMMUNE])
    assert all(v.capacity >= per_venue[v.id] for v in venues)


def test_a_small_list_still_reaches_every_tier(ctx):
    seed_demo(delegate_count=40)
    db.session.commit()
    assert count(Delegate) == 40
    assert set(delegate_tiers()) == set(Tier)


def test_hub_seats_chairs_guest_speakers_and_press_and_most_are_delegates(ctx):
    seed_demo(delegate_count=SMALL)
    query = select(Delegate.role, func.count()).group_by(Delegate.role)
    roles = dict(db.session.execute(query).all())
    assert roles[DelegateRole.CHAIR] == 2
    assert roles[DelegateRole.GUEST] >= 1
    assert roles[DelegateRole.SPEAKER] >= 1
    assert roles[DelegateRole.PRESS] >= 5
    assert roles[DelegateRole.DELEGATE] > SMALL * 0.8
    forum = db.session.scalar(select(Forum))
    chairs = db.session.scalars(select(Delegate).where(Delegate.role == DelegateRole.CHAIR)).all()
    assert {d.full_name for d in chairs} == {o.name for o in forum.chairs}
    assert all(d.venue.is_hub for d in chairs)


def test_positions_and_bodies_read_like_a_real_list(ctx):
    seed_demo(delegate_count=1000)  # a few seats per commune
    rows = db.session.execute(select(Delegate.position, Delegate.body)).all()
    positions = {position for position, _ in rows}
    bodies = {body for _, body in rows}
    assert {'Chủ tịch UBND xã', 'Bí thư Đảng ủy', 'Công chức Văn hóa - Xã hội'} <= positions
    assert 'Trưởng phòng Văn hóa và Thông tin huyện' in positions
    assert 'Phóng viên' in positions
    assert 'Báo Hà Giang' in bodies
    assert 'Phòng Văn hóa và Thông tin huyện Đồng Văn' in bodies
    assert 'UBND xã Lũng Cú' in bodies
    assert all(position and body for position, body in rows)


def test_some_delegates_have_email_and_phone_on_a_reserved_domain(ctx):
    seed_demo(delegate_count=SMALL)
    delegates = db.session.scalars(select(Delegate)).all()
    emails = [d.email for d in delegates if d.email]
    phones = [d.phone for d in delegates if d.phone]
    assert 0.2 * SMALL < len(emails) < SMALL and 0.2 * SMALL < len(phones) < SMALL
    assert len(set(emails)) == len(emails)
    assert all(e.isascii() and e.endswith('@hagiang.example') for e in emails)
    assert all(p.isdigit() and len(p) == 10 and p.startswith('0') for p in phones)


def test_names_are_vietnamese_nfc_with_every_vowel_mark_and_tone(ctx):
    seed_demo()
    names = db.session.scalars(select(Delegate.full_name)).all()
    assert all(unicodedata.normalize('NFC', n) == n for n in names)
    assert all(2 <= len(n.split()) <= 4 for n in names)
    assert sum(not n.isascii() for n in names) > 0.9 * len(names)
    letters = set(''.join(names).lower())
    assert set('ăâđêôơư') <= letters
    tones = {
        mark
        for n in names
        for mark in unicodedata.normalize('NFD', n)
        if mark in '\u0300\u0301\u0303\u0309\u0323'
    }
    assert tones == set('\u0300\u0301\u0303\u0309\u0323')
    families = {n.split()[0] for n in names}
    assert {'Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ'} <= families
    assert {'Vàng', 'Sùng', 'Giàng', 'Lò', 'Hầu', 'Thào', 'Ma', 'Nông'} <= families
    # The keys the model derives for search and sorting are filled.
    nguyen = db.session.scalar(select(Delegate).where(Delegate.full_name.like('Nguyễn %')))
    assert nguyen.search_name.startswith('nguyen ') and nguyen.sort_key and nguyen.name_key


def test_the_same_count_gives_the_same_people(tmp_path):
    lists = []
    for name in ('first.sqlite', 'second.sqlite'):
        app = make_app(tmp_path / name)
        with app.app_context():
            seed_demo(delegate_count=SMALL)
            lists.append(people())
            db.engine.dispose()
    assert lists[0] == lists[1]
    assert len(lists[0]) == SMALL


def test_seeding_twice_changes_no_row(ctx):
    first = seed_demo(delegate_count=SMALL)
    db.session.commit()
    models = (Forum, Venue, Delegate, User, AgendaItem, AuditEntry)
    before = {model: count(model) for model in models}
    again = seed_demo(delegate_count=SMALL)
    db.session.commit()
    assert {model: count(model) for model in models} == before
    assert first.created and not again.created
    assert again.forum_id == first.forum_id
    assert again.delegate_count == SMALL and again.venue_count == 205
    assert 'already existed' in again.summary()


def test_a_different_count_or_depth_on_an_existing_demo_is_ignored_and_said(ctx):
    seed_demo(delegate_count=SMALL)
    db.session.commit()
    report = seed_demo(delegate_count=900, tier_depth=2)
    assert count(Delegate) == SMALL and count(Venue) == 205 and count(Forum) == 1
    assert report.delegate_count == SMALL and report.tier_depth == 3
    summary = report.summary()
    assert '--delegates 900 ignored' in summary
    assert '--tiers 2 ignored' in summary


def test_the_forum_is_the_reference_event(ctx):
    report = seed_demo(delegate_count=SMALL)
    forum = db.session.get(Forum, report.forum_id)
    assert forum.held_on == date(2023, 5, 23)
    assert 'Nhận thức - Hành động - Nguồn lực' in forum.title
    assert forum.host_body == 'Ủy ban nhân dân tỉnh Hà Giang'
    assert forum.organiser_body == 'Sở Thông tin và Truyền thông tỉnh Hà Giang'
    assert forum.locality == 'Hà Giang' and forum.province_code == '02'
    assert (forum.starts_at.hour, forum.ends_at.hour) == (8, 11)
    assert forum.status == ForumStatus.INVITING
    assert [c.title for c in forum.chairs] == [
        'Phó Chủ tịch UBND tỉnh',
        'Giám đốc Sở Thông tin và Truyền thông',
    ]
    assert [g.title for g in forum.guests] == ['Phó Cục trưởng Cục Báo chí']
    kinds = [item.kind for item in forum.agenda_items]
    assert kinds[0] == AgendaKind.OPENING and kinds[-1] == AgendaKind.CONCLUSION
    assert AgendaKind.PRESENTATION in kinds and AgendaKind.DISCUSSION in kinds
    assert any('07/CT-TTg' in item.title for item in forum.agenda_items)
    starts = [item.starts_at for item in forum.agenda_items]
    assert starts == sorted(starts)


def test_bridge_points_have_a_room_a_capacity_and_a_link(ctx):
    seed_demo(delegate_count=SMALL)
    venues = db.session.scalars(select(Venue)).all()
    assert all(v.address.startswith('Hội trường') for v in venues)
    assert all(v.capacity and v.capacity > 0 for v in venues)
    assert all(v.join_url.startswith('https://') for v in venues)
    assert len({v.join_url for v in venues}) == len(venues)
    lung_cu = db.session.scalar(select(Venue).where(Venue.unit_code == '00715'))
    assert lung_cu.address == 'Hội trường UBND xã Lũng Cú, huyện Đồng Văn'


def test_every_role_can_sign_in_and_operators_have_their_points(ctx):
    report = seed_demo(delegate_count=SMALL)
    db.session.commit()
    roles = {login.role for login in report.logins}
    assert roles == set(UserRole)
    for login in report.logins:
        user = authenticate(login.email, DEMO_PASSWORD)
        assert user is not None and user.role == login.role
    operator = authenticate('operator@hagiang.example', DEMO_PASSWORD)
    assert [v.tier for v in operator.venues] == [Tier.PROVINCE]
    district = authenticate('operator.dongvan@hagiang.example', DEMO_PASSWORD)
    assert [v.name for v in district.venues] == ['Huyện Đồng Văn']


def test_an_existing_account_is_left_as_it_is(ctx):
    create_user('admin@hagiang.example', 'a private password', UserRole.ADMIN)
    db.session.commit()
    report = seed_demo(delegate_count=SMALL)
    db.session.commit()
    assert authenticate('admin@hagiang.example', 'a private password') is not None
    assert authenticate('admin@hagiang.example', DEMO_PASSWORD) is None
    admin = next(login for login in report.logins if login.role == UserRole.ADMIN)
    assert admin.password is None and not admin.created
    assert 'an existing account with its own password' in report.summary()


def test_seed_demo_leaves_the_commit_to_its_caller(ctx):
    seed_demo(delegate_count=SMALL)
    db.session.rollback()
    assert count(Forum) == 0 and count(Delegate) == 0 and count(User) == 0


def test_the_summary_gives_the_local_url_on_the_configured_port(ctx):
    ctx.config.update(PUBLIC_URL=None, PORT=8123)
    summary = seed_demo(delegate_count=SMALL).summary()
    assert 'Open http://127.0.0.1:8123/forums/1 ' in summary


def test_the_summary_prefers_the_public_url(ctx):
    ctx.config['PUBLIC_URL'] = 'https://hoinghi.example.vn/'
    summary = seed_demo(delegate_count=SMALL).summary()
    assert 'Open https://hoinghi.example.vn/forums/1 ' in summary


def test_cli_seed_demo_prints_the_logins_and_commits(demo_app):
    runner = demo_app.test_cli_runner()
    result = runner.invoke(args=['seed-demo', '--delegates', str(SMALL)])
    assert result.exit_code == 0, result.output
    assert 'Bridge points: 205 (province 1, district 11, commune 193)' in result.output
    assert f'Delegates: {SMALL}' in result.output
    for email in ('admin@', 'organiser@', 'moderator@', 'secretary@', 'operator@'):
        assert f'{email}hagiang.example' in result.output
    assert DEMO_PASSWORD in result.output
    assert 'Open http' in result.output and '/forums/' in result.output
    with demo_app.app_context():
        assert count(Delegate) == SMALL

    again = runner.invoke(args=['seed-demo', '--delegates', str(SMALL)])
    assert again.exit_code == 0, again.output
    assert 'already existed' in again.output
    with demo_app.app_context():
        assert count(Delegate) == SMALL and count(Forum) == 1


def test_cli_two_tiers(demo_app):
    result = demo_app.test_cli_runner().invoke(
        args=['seed-demo', '--delegates', '100', '--tiers', '2']
    )
    assert result.exit_code == 0, result.output
    assert 'Bridge points: 194 (province 1, commune 193)' in result.output
    assert 'operator.dongvan' not in result.output
