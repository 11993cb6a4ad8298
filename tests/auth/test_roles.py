"""Who sees what: operators keep to their own bridge points; delegates' codes open nothing
of the organisers'."""

import pytest

from forum.auth.models import UserRole
from forum.extensions import db
from forum.tiers.models import ConnectionStatus, Venue


@pytest.fixture
def two_points(create_forum):
    forum = create_forum(unit_codes=['024', '026'])
    return forum, *(v for v in forum.venues if v.unit_code in ('024', '026'))


def test_operator_sees_only_their_bridge_point(client, create_user, two_points, sign_in):
    forum, own, other = two_points
    sign_in(create_user(UserRole.OPERATOR, venues=[own]))
    page = client.get(f'/forums/{forum.id}/venues').get_data(as_text=True)
    assert own.name in page
    assert other.name not in page


def test_operator_cannot_open_another_bridge_point(client, create_user, two_points, sign_in):
    _forum, own, other = two_points
    sign_in(create_user(UserRole.OPERATOR, venues=[own]))
    assert client.get(f'/venues/{own.id}').status_code == 200
    assert client.get(f'/venues/{other.id}').status_code == 403


def test_operator_cannot_change_another_bridge_point(
    app, client, create_user, two_points, sign_in, post_form
):
    _forum, own, other = two_points
    sign_in(create_user(UserRole.OPERATOR, venues=[own]))
    response = post_form(
        f'/venues/{other.id}/status',
        {'status': 'problem', 'note': 'x'},
        form_page=f'/venues/{own.id}',
    )
    assert response.status_code == 403
    response = post_form(
        f'/venues/{other.id}', {'address': 'Somewhere else'}, form_page=f'/venues/{own.id}'
    )
    assert response.status_code == 403
    with app.app_context():
        untouched = db.session.get(Venue, other.id)
        assert untouched.connection_status == ConnectionStatus.NOT_CHECKED
        assert untouched.address == ''


def test_operator_reports_their_connection(app, create_user, two_points, sign_in, post_form):
    _forum, own, _other = two_points
    sign_in(create_user(UserRole.OPERATOR, venues=[own]))
    response = post_form(
        f'/venues/{own.id}/status',
        {'status': 'problem', 'note': 'Mất tiếng'},
        form_page=f'/venues/{own.id}',
        follow_redirects=True,
    )
    assert 'Đã báo cáo tình trạng kết nối' in response.get_data(as_text=True)
    with app.app_context():
        venue = db.session.get(Venue, own.id)
        assert (venue.connection_status, venue.status_note) == (
            ConnectionStatus.PROBLEM,
            'Mất tiếng',
        )


def test_operator_cannot_choose_bridge_points(client, create_user, two_points, sign_in):
    forum, own, _other = two_points
    sign_in(create_user(UserRole.OPERATOR, venues=[own]))
    assert client.get(f'/forums/{forum.id}/venues/choose').status_code == 403


def test_operator_api_lists_only_their_points_and_delegates(
    client, create_user, two_points, create_delegate, api_token
):
    forum, own, other = two_points
    create_delegate(forum, 'Mine Nguyễn', venue=own)
    create_delegate(forum, 'Other Trần', venue=other)
    headers = api_token(create_user(UserRole.OPERATOR, venues=[own]))
    venues = client.get(f'/api/v1/forums/{forum.id}/venues', headers=headers).json['items']
    assert [v['id'] for v in venues] == [own.id]
    delegates = client.get(f'/api/v1/forums/{forum.id}/delegates', headers=headers).json
    assert [d['full_name'] for d in delegates['items']] == ['Mine Nguyễn']
    asked_other = client.get(
        f'/api/v1/forums/{forum.id}/delegates?venue={other.id}', headers=headers
    ).json
    assert asked_other['total'] == 0


def test_operator_of_one_forum_cannot_see_another_forum(
    client, create_user, create_forum, two_points, api_token
):
    _forum, own, _other = two_points
    elsewhere = create_forum(title='Hội nghị khác')
    headers = api_token(create_user(UserRole.OPERATOR, venues=[own]))
    response = client.get(f'/api/v1/forums/{elsewhere.id}/venues', headers=headers)
    assert response.status_code == 403
    listed = client.get('/api/v1/forums', headers=headers).json['items']
    assert [f['title'] for f in listed] == ['Tọa đàm thử nghiệm']


def test_delegate_code_opens_nothing_of_the_organisers(client, two_points, create_delegate):
    forum, own, _other = two_points
    code = create_delegate(forum, 'Đại Biểu', venue=own).code
    listed = client.get('/api/v1/forums', query_string={'code': code})
    assert listed.status_code == 200
    assert [f['id'] for f in listed.json['items']] == [forum.id]
    for path in (f'/api/v1/forums/{forum.id}/delegates', f'/api/v1/forums/{forum.id}/venues'):
        assert client.get(path, query_string={'code': code}).status_code == 403
    assert client.get(f'/forums/{forum.id}', query_string={'code': code}).status_code == 302


def test_an_unknown_code_is_refused(client):
    assert client.get('/api/v1/forums', query_string={'code': 'guess'}).status_code == 401


def test_disabled_account_cannot_sign_in_or_use_tokens(app, client, create_user, api_token):
    from forum.auth.models import User

    user = create_user()
    headers = api_token(user)
    with app.app_context():
        db.session.get(User, user.id).is_enabled = False
        db.session.commit()
    assert client.get('/api/v1/forums', headers=headers).status_code == 401
    response = client.post(
        '/api/v1/auth/token', json={'email': user.email, 'password': 'correct horse 42'}
    )
    assert response.status_code == 401


def test_admin_creates_an_operator_account(app, client, create_user, sign_in, post_form):
    from forum.auth.models import User

    sign_in(create_user(UserRole.ADMIN))
    response = post_form(
        '/admin/users',
        {
            'email': 'Op@Example.VN',
            'full_name': 'Lò Văn Sáng',
            'role': 'operator',
            'password': 'door-scanner-1',
        },
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalars(db.select(User).where(User.email == 'op@example.vn')).one()
        assert (user.role, user.full_name) == (UserRole.OPERATOR, 'Lò Văn Sáng')


def test_a_second_account_with_the_same_email_is_refused(app, create_user, sign_in, post_form):
    admin = create_user(UserRole.ADMIN)
    sign_in(admin)
    response = post_form(
        '/admin/users',
        {'email': admin.email.upper(), 'role': 'secretary', 'password': 'another-pass'},
    )
    assert response.status_code == 422
    assert 'Đã có tài khoản với email' in response.get_data(as_text=True)


def test_admin_disables_an_account_which_then_cannot_sign_in(
    app, client, create_user, sign_in, post_form
):
    from forum.auth.models import User

    victim = create_user(UserRole.SECRETARY)
    sign_in(create_user(UserRole.ADMIN))
    post_form(f'/admin/users/{victim.id}/enabled', {}, form_page='/admin/users')
    with app.app_context():
        assert db.session.get(User, victim.id).is_enabled is False
    fresh = app.test_client()
    token = fresh.get('/login').get_data(as_text=True)
    from tests.conftest import csrf_token_from

    response = fresh.post(
        '/login',
        data={
            'email': victim.email,
            'password': 'correct horse 42',
            'csrf_token': csrf_token_from(token),
        },
    )
    assert response.status_code == 422


def test_only_admins_manage_accounts(client, create_user, sign_in):
    sign_in(create_user(UserRole.ORGANISER))
    assert client.get('/admin/users').status_code == 403
