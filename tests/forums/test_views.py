"""Organisers' forum pages: sign-in, create, edit with agenda and chairs, bad input."""

from forum.auth.models import UserRole
from forum.extensions import db
from forum.forums.models import Forum, ForumStatus


def valid_forum_form(**overrides):
    data = {
        'title': 'Tọa đàm Công tác truyền thông chính sách',
        'theme': 'Nhận thức - Hành động - Nguồn lực',
        'host_body': 'Ủy ban nhân dân tỉnh Hà Giang',
        'organiser_body': 'Sở Thông tin và Truyền thông',
        'province_code': '02',
        'place': 'Hội trường UBND tỉnh',
        'locality': '',
        'held_on': '2023-05-23',
        'starts_at': '08:00',
        'ends_at': '11:30',
        'tier_depth': '3',
        'officials-0-role': 'chair',
        'officials-0-name': 'Trần Đức Quý',
        'officials-0-title': 'Phó Chủ tịch UBND tỉnh',
        'officials-0-body': 'UBND tỉnh Hà Giang',
        'officials-1-role': 'guest',
        'officials-1-name': '',
        'agenda-0-starts_at': '08:00',
        'agenda-0-title': 'Khai mạc',
        'agenda-0-presenter': 'Đồng chí Chủ trì',
        'agenda-0-kind': 'opening',
        'agenda-1-starts_at': '',
        'agenda-1-title': '',
        'agenda-1-kind': 'presentation',
    }
    data.update(overrides)
    return data


def test_pages_require_sign_in(client):
    response = client.get('/forums')
    assert response.status_code == 302
    assert '/login' in response.headers['Location']


def test_wrong_password_is_refused_with_a_message(client, create_user, post_form):
    user = create_user(UserRole.ORGANISER)
    response = post_form('/login', {'email': user.email, 'password': 'wrong password'})
    assert response.status_code == 422
    assert 'Email hoặc mật khẩu không đúng' in response.get_data(as_text=True)


def test_organiser_creates_a_forum_with_agenda_and_chair(app, create_user, sign_in, post_form):
    sign_in(create_user(UserRole.ORGANISER))
    response = post_form('/forums/new', valid_forum_form())
    assert response.status_code == 302
    with app.app_context():
        forum = db.session.scalars(db.select(Forum)).one()
        assert forum.title == 'Tọa đàm Công tác truyền thông chính sách'
        assert forum.locality == 'Hà Giang'
        assert forum.status == ForumStatus.DRAFT
        assert [(o.name, o.role.value) for o in forum.officials] == [('Trần Đức Quý', 'chair')]
        assert [(a.title, a.kind.value) for a in forum.agenda_items] == [('Khai mạc', 'opening')]
        assert [v.name for v in forum.venues] == ['Tỉnh Hà Giang']
        assert response.headers['Location'].endswith(f'/forums/{forum.id}')


def test_decomposed_text_in_a_form_is_stored_composed(app, create_user, sign_in, post_form):
    import unicodedata

    sign_in(create_user(UserRole.ORGANISER))
    title = unicodedata.normalize('NFD', 'Hội nghị Thủy lợi')
    post_form('/forums/new', valid_forum_form(title=title))
    with app.app_context():
        assert db.session.scalars(db.select(Forum.title)).one() == 'Hội nghị Thủy lợi'


def test_controls_and_hidden_characters_in_a_form_are_not_stored(
    app, create_user, sign_in, post_form
):
    sign_in(create_user(UserRole.ORGANISER))
    title = 'Hội\u202e nghị\x00 Thủy\u200b lợi\x07 \x85cấp tỉnh'
    post_form('/forums/new', valid_forum_form(title=title, place='Hội trường\ufeff\x1b[31m'))
    with app.app_context():
        forum = db.session.scalars(db.select(Forum)).one()
        assert forum.title == 'Hội nghị Thủy lợi cấp tỉnh'
        assert forum.place == 'Hội trường[31m'


def test_a_forum_page_shows_its_programme(client, create_user, create_forum, sign_in):
    forum = create_forum(title='Hội nghị trực tuyến ba cấp')
    sign_in(create_user(UserRole.MODERATOR))
    page = client.get(f'/forums/{forum.id}').get_data(as_text=True)
    assert 'Hội nghị trực tuyến ba cấp' in page
    assert 'Trần Đức Quý' in page
    assert 'Khai mạc' in page


def test_bad_forum_input_gets_messages_and_creates_nothing(app, create_user, sign_in, post_form):
    sign_in(create_user(UserRole.ORGANISER))
    bad = valid_forum_form(
        title='',
        held_on='23/05/2023 sáng',
        starts_at='10:00',
        ends_at='09:00',
        tier_depth='7',
        province_code='99',
        **{'officials-1-title': 'Giám đốc Sở', 'agenda-1-presenter': 'Ai đó'},
    )
    response = post_form('/forums/new', bad, form_page='/forums/new')
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'Biểu mẫu có lỗi' in page
    assert 'Giờ kết thúc phải sau giờ bắt đầu' in page
    assert 'Nhập họ và tên' in page
    assert 'Nhập nội dung của mục này' in page
    with app.app_context():
        assert db.session.scalars(db.select(Forum)).all() == []


def test_edit_replaces_the_agenda(app, create_user, create_forum, sign_in, post_form):
    forum = create_forum()
    sign_in(create_user(UserRole.ORGANISER))
    form = valid_forum_form(
        **{
            'agenda-0-title': 'Phát biểu khai mạc',
            'agenda-1-title': 'Thảo luận',
            'agenda-1-kind': 'discussion',
        }
    )
    response = post_form(f'/forums/{forum.id}/edit', form)
    assert response.status_code == 302
    with app.app_context():
        titles = [a.title for a in db.session.get(Forum, forum.id).agenda_items]
        assert titles == ['Phát biểu khai mạc', 'Thảo luận']


def test_tier_depth_cannot_change_once_points_exist(
    app, create_user, create_forum, sign_in, post_form
):
    forum = create_forum(unit_codes=['024'])
    sign_in(create_user(UserRole.ORGANISER))
    response = post_form(f'/forums/{forum.id}/edit', valid_forum_form(tier_depth='2'))
    assert response.status_code == 422
    assert 'Không đổi được số cấp' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Forum, forum.id).tier_depth == 3


def test_status_moves_forward_one_step(app, create_user, create_forum, sign_in, post_form):
    forum = create_forum()
    sign_in(create_user(UserRole.ORGANISER))
    response = post_form(f'/forums/{forum.id}/advance', {}, form_page=f'/forums/{forum.id}')
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Forum, forum.id).status == ForumStatus.INVITING


def test_a_form_without_csrf_token_is_refused(client, create_user, sign_in):
    sign_in(create_user(UserRole.ORGANISER))
    response = client.post('/forums/new', data=valid_forum_form())
    assert response.status_code == 400
    assert 'Yêu cầu không hợp lệ' in response.get_data(as_text=True)


def test_moderator_cannot_create_forums(client, create_user, sign_in):
    sign_in(create_user(UserRole.MODERATOR))
    assert client.get('/forums/new').status_code == 403


def test_unknown_forum_is_404_not_500(client, create_user, sign_in):
    sign_in(create_user(UserRole.ORGANISER))
    assert client.get('/forums/987654').status_code == 404


def test_english_is_one_click_away(client, create_user, sign_in):
    sign_in(create_user(UserRole.ORGANISER))
    assert 'Tạo hội nghị' in client.get('/forums').get_data(as_text=True)
    english = client.get('/forums?lang=en').get_data(as_text=True)
    assert 'Create forum' in english
    assert 'Create forum' in client.get('/forums').get_data(as_text=True)  # the choice sticks


def test_built_in_form_messages_are_in_vietnamese_then_english(client, create_user, sign_in):
    sign_in(create_user(UserRole.ORGANISER))
    from tests.conftest import csrf_token_from

    token = csrf_token_from(client.get('/forums/new').get_data(as_text=True))
    data = valid_forum_form(held_on='', csrf_token=token)
    vietnamese = client.post('/forums/new', data=data).get_data(as_text=True)
    assert 'Không được để trống.' in vietnamese
    assert 'This field is required.' not in vietnamese
    client.get('/forums?lang=en')
    english = client.post('/forums/new', data=data).get_data(as_text=True)
    assert 'This field is required.' in english


def test_the_language_link_keeps_the_page_and_its_query(client, create_user, create_forum, sign_in):
    """A filtered list (``?venue=``) stays filtered in English."""
    import html
    import re

    forum = create_forum(unit_codes=['024'])
    district = next(v for v in forum.venues if v.unit_code == '024')
    sign_in(create_user(UserRole.ORGANISER))
    page = client.get(f'/forums/{forum.id}/delegates?venue={district.id}').get_data(as_text=True)
    link = html.unescape(re.search(r'lang="en"\s+href="([^"]+)"', page).group(1))
    assert link == f'/forums/{forum.id}/delegates?venue={district.id}&lang=en'
    english = client.get(link).get_data(as_text=True)
    assert f'href="/forums/{forum.id}/delegates?venue={district.id}&amp;lang=vi"' in english
