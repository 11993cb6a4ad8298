"""Bridge-point pages: choosing from the tier tree, editing a point, bad input."""

import html

from forum.auth.models import User, UserRole
from forum.extensions import db
from forum.forums.models import Forum
from forum.tiers.models import Tier, Venue


def venue_tiers(app, forum_id):
    with app.app_context():
        return [v.tier for v in db.session.get(Forum, forum_id).venues]


def test_all_communes_in_two_clicks(app, create_user, create_forum, sign_in, post_form):
    forum = create_forum()
    sign_in(create_user(UserRole.ORGANISER))
    url = f'/forums/{forum.id}/venues/choose'
    post_form(url, {'preset': 'all-communes'})
    tiers = venue_tiers(app, forum.id)
    assert (tiers.count(Tier.DISTRICT), tiers.count(Tier.COMMUNE)) == (11, 193)


def test_two_tier_forum_gets_no_district_points(app, create_user, create_forum, sign_in, post_form):
    forum = create_forum(tier_depth=2)
    sign_in(create_user(UserRole.ORGANISER))
    response = post_form(f'/forums/{forum.id}/venues/choose', {'preset': 'all'})
    assert response.status_code == 302
    tiers = venue_tiers(app, forum.id)
    assert (tiers.count(Tier.PROVINCE), tiers.count(Tier.DISTRICT), tiers.count(Tier.COMMUNE)) == (
        1,
        0,
        193,
    )


def test_unchecking_removes_points_but_never_the_hub(
    app, create_user, create_forum, sign_in, post_form
):
    forum = create_forum(unit_codes=['024', '026'])
    sign_in(create_user(UserRole.ORGANISER))
    post_form(f'/forums/{forum.id}/venues/choose', {'unit': ['026']})
    with app.app_context():
        codes = sorted(v.unit_code for v in db.session.get(Forum, forum.id).venues)
    assert codes == ['02', '026']


def test_removing_a_point_with_delegates_is_refused_and_explained(
    app, client, create_user, create_forum, create_delegate, sign_in, post_form
):
    forum = create_forum(unit_codes=['024'])
    district = next(v for v in forum.venues if v.unit_code == '024')
    create_delegate(forum, 'Hoàng Thị Mai', venue=district)
    sign_in(create_user(UserRole.ORGANISER))
    response = post_form(f'/forums/{forum.id}/venues/choose', {}, follow_redirects=True)
    assert 'có 1 đại biểu' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Venue, district.id) is not None


def test_forged_unit_codes_are_ignored(app, create_user, create_forum, sign_in, post_form):
    forum = create_forum()
    sign_in(create_user(UserRole.ORGANISER))
    response = post_form(f'/forums/{forum.id}/venues/choose', {'unit': ['99999', '<script>']})
    assert response.status_code == 302
    assert venue_tiers(app, forum.id) == [Tier.PROVINCE]


def test_organiser_edits_a_point_and_assigns_an_operator(
    app, create_user, create_forum, sign_in, post_form
):
    forum = create_forum(unit_codes=['024'])
    district = next(v for v in forum.venues if v.unit_code == '024')
    operator = create_user(UserRole.OPERATOR)
    sign_in(create_user(UserRole.ORGANISER))
    response = post_form(
        f'/venues/{district.id}',
        {
            'address': 'Hội trường UBND thành phố',
            'capacity': '120',
            'join_url': 'https://hop.example.vn/hg/024',
            'operators': [str(operator.id)],
        },
    )
    assert response.status_code == 302
    with app.app_context():
        venue = db.session.get(Venue, district.id)
        assert (venue.address, venue.capacity, venue.join_url) == (
            'Hội trường UBND thành phố',
            120,
            'https://hop.example.vn/hg/024',
        )
        assert [u.id for u in venue.operators] == [operator.id]
        assert [v.id for v in db.session.get(User, operator.id).venues] == [district.id]


def test_bad_venue_input_gets_messages_and_changes_nothing(
    app, create_user, create_forum, sign_in, post_form
):
    forum = create_forum(unit_codes=['024'])
    district = next(v for v in forum.venues if v.unit_code == '024')
    sign_in(create_user(UserRole.ORGANISER))
    response = post_form(
        f'/venues/{district.id}',
        {'address': 'x' * 400, 'capacity': '-3', 'join_url': 'not a link', 'operators': ['999']},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'Đường dẫn không hợp lệ' in page
    assert 'Biểu mẫu có lỗi' in page
    with app.app_context():
        venue = db.session.get(Venue, district.id)
        assert (venue.address, venue.capacity, venue.join_url) == ('', None, '')


def test_status_without_a_choice_is_explained(
    client, create_user, create_forum, sign_in, post_form
):
    forum = create_forum()
    hub = forum.venues[0]
    sign_in(create_user(UserRole.ORGANISER))
    response = post_form(
        f'/venues/{hub.id}/status',
        {'status': 'exploded'},
        form_page=f'/venues/{hub.id}',
        follow_redirects=True,
    )
    assert 'Chọn "Đã kết nối" hoặc "Có sự cố"' in html.unescape(response.get_data(as_text=True))


def test_unknown_venue_is_404(client, create_user, sign_in):
    sign_in(create_user(UserRole.ORGANISER))
    assert client.get('/venues/4242').status_code == 404
