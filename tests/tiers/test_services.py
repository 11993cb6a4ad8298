"""Administrative units and building a forum's bridge points."""

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.tiers.models import AdministrativeUnit, Tier, Venue
from forum.tiers.services import (
    VenueError,
    add_venues,
    load_administrative_units,
    remove_venues,
    unit_tree,
)


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_ha_giang_has_11_districts_and_193_communes(app_ctx):
    tiers = dict(
        db.session.execute(
            select(AdministrativeUnit.tier, func.count()).group_by(AdministrativeUnit.tier)
        ).all()
    )
    assert tiers == {Tier.PROVINCE: 1, Tier.DISTRICT: 11, Tier.COMMUNE: 193}
    kinds = db.session.scalars(
        select(AdministrativeUnit.kind).where(AdministrativeUnit.tier == Tier.COMMUNE)
    ).all()
    assert (kinds.count('Xã'), kinds.count('Thị trấn'), kinds.count('Phường')) == (175, 13, 5)


def test_loading_units_twice_adds_nothing(app_ctx):
    before = count(AdministrativeUnit)
    assert load_administrative_units() == 0
    assert count(AdministrativeUnit) == before


def test_unit_tree_lists_communes_under_their_district(app_ctx):
    tree = unit_tree('02')
    assert len(tree) == 11
    city, communes = tree[0]
    assert city.name == 'Thành phố Hà Giang'
    assert 'Phường Quang Trung' in [c.name for c in communes]


def test_a_new_forum_has_its_hub(app_ctx, create_forum):
    forum = create_forum()
    assert [(v.tier, v.name) for v in forum.venues] == [(Tier.PROVINCE, 'Tỉnh Hà Giang')]


def test_all_districts_and_communes_give_205_bridge_points(app_ctx, create_forum):
    forum = create_forum()
    codes = [u.code for u in db.session.scalars(select(AdministrativeUnit))]
    add_venues(forum, [c for c in codes if c != '02'])
    db.session.commit()
    tiers = [v.tier for v in forum.venues]
    assert (tiers.count(Tier.PROVINCE), tiers.count(Tier.DISTRICT), tiers.count(Tier.COMMUNE)) == (
        1,
        11,
        193,
    )


def test_a_commune_brings_its_district_in_a_three_tier_forum(app_ctx, create_forum):
    forum = create_forum()
    add_venues(forum, ['00688'])  # Phường Quang Trung, Thành phố Hà Giang
    commune = next(v for v in forum.venues if v.unit_code == '00688')
    assert commune.parent.name == 'Thành phố Hà Giang'
    assert commune.parent.parent.is_hub


def test_a_two_tier_forum_hangs_communes_under_the_hub(app_ctx, create_forum):
    forum = create_forum(tier_depth=2)
    add_venues(forum, ['00688'])
    commune = next(v for v in forum.venues if v.unit_code == '00688')
    assert commune.parent.is_hub
    assert not [v for v in forum.venues if v.tier == Tier.DISTRICT]


def test_a_two_tier_forum_refuses_district_points(app_ctx, create_forum):
    forum = create_forum(tier_depth=2)
    with pytest.raises(VenueError, match='hai cấp'):
        add_venues(forum, ['024'])


def test_adding_the_same_units_again_changes_nothing(app_ctx, create_forum):
    forum = create_forum(unit_codes=['024', '026'])
    before = count(Venue)
    assert add_venues(forum, ['024', '026']) == []
    assert count(Venue) == before


def test_unknown_unit_codes_are_named(app_ctx, create_forum):
    forum = create_forum()
    with pytest.raises(VenueError, match='99999'):
        add_venues(forum, ['024', '99999'])


def test_a_point_with_delegates_cannot_be_removed(app_ctx, create_forum, create_delegate):
    forum = create_forum(unit_codes=['024'])
    district = next(v for v in forum.venues if v.unit_code == '024')
    create_delegate(forum, 'Hoàng Văn Nam', venue=district)
    with pytest.raises(VenueError, match='1'):
        remove_venues(forum, ['024'])


def test_the_database_refuses_two_points_for_one_unit(app_ctx, create_forum):
    from sqlalchemy.exc import IntegrityError

    forum = create_forum(unit_codes=['024'])
    db.session.add(Venue(forum_id=forum.id, unit_code='024', tier=Tier.DISTRICT, name='again'))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
