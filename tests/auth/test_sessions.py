"""Signing out, a new password and disabling an account end that account's sessions on the
server: the old session cookie, the remember cookie and the API tokens stop working."""

from forum.auth.models import UserRole
from tests.conftest import DEFAULT_PASSWORD, csrf_token_from


def signed_in_browser(app, user, *, remember=False):
    browser = app.test_client()
    token = csrf_token_from(browser.get('/login').get_data(as_text=True))
    form = {'email': user.email, 'password': DEFAULT_PASSWORD, 'csrf_token': token}
    if remember:
        form['remember'] = 'y'
    assert browser.post('/login', data=form).status_code == 302
    return browser


def api_token_for(app, user):
    response = app.test_client().post(
        '/api/v1/auth/token', json={'email': user.email, 'password': DEFAULT_PASSWORD}
    )
    return {'Authorization': f'Bearer {response.json["token"]}'}


def copy_cookies(source, target, names):
    for name in names:
        cookie = source.get_cookie(name)
        if cookie is not None:
            target.set_cookie(name, cookie.value)


def is_signed_in(browser) -> bool:
    return browser.get('/forums').status_code == 200


def test_signing_out_ends_the_session_everywhere(app, create_user):
    user = create_user(UserRole.ORGANISER)
    laptop = signed_in_browser(app, user, remember=True)
    phone = signed_in_browser(app, user)
    stolen = app.test_client()  # a copy of the laptop's cookies, taken before the sign-out
    copy_cookies(laptop, stolen, ['session', 'remember_token'])
    remembered = app.test_client()  # only the remember cookie
    copy_cookies(laptop, remembered, ['remember_token'])
    token = api_token_for(app, user)
    assert is_signed_in(stolen) and is_signed_in(phone)
    assert app.test_client().get('/api/v1/forums', headers=token).status_code == 200

    page = laptop.get('/forums').get_data(as_text=True)
    assert laptop.post('/logout', data={'csrf_token': csrf_token_from(page)}).status_code == 302

    assert not is_signed_in(laptop)
    assert not is_signed_in(stolen)
    assert not is_signed_in(remembered)
    assert not is_signed_in(phone)
    assert app.test_client().get('/api/v1/forums', headers=token).status_code == 401
    assert is_signed_in(signed_in_browser(app, user))  # signing in again works


def test_a_new_password_ends_the_other_sessions_and_keeps_this_one(app, create_user):
    user = create_user(UserRole.OPERATOR)
    here = signed_in_browser(app, user)
    elsewhere = signed_in_browser(app, user, remember=True)
    token = api_token_for(app, user)
    page = here.get('/account/password').get_data(as_text=True)
    form = {
        'csrf_token': csrf_token_from(page),
        'current_password': DEFAULT_PASSWORD,
        'new_password': 'a new passphrase 7',
        'confirm_password': 'a new passphrase 7',
    }
    assert here.post('/account/password', data=form).status_code == 302
    assert is_signed_in(here)
    assert not is_signed_in(elsewhere)
    assert app.test_client().get('/api/v1/forums', headers=token).status_code == 401
    old = app.test_client().post(
        '/api/v1/auth/token', json={'email': user.email, 'password': DEFAULT_PASSWORD}
    )
    assert old.status_code == 401
    new = app.test_client().post(
        '/api/v1/auth/token', json={'email': user.email, 'password': 'a new passphrase 7'}
    )
    assert new.status_code == 200


def test_a_wrong_current_password_changes_nothing(app, create_user):
    user = create_user(UserRole.SECRETARY)
    here = signed_in_browser(app, user)
    page = here.get('/account/password').get_data(as_text=True)
    form = {
        'csrf_token': csrf_token_from(page),
        'current_password': 'not my password',
        'new_password': 'a new passphrase 7',
        'confirm_password': 'a new passphrase 7',
    }
    response = here.post('/account/password', data=form)
    assert response.status_code == 422
    assert 'Mật khẩu hiện tại không đúng' in response.get_data(as_text=True)
    assert is_signed_in(signed_in_browser(app, user))


def test_disabling_an_account_ends_its_sessions(app, create_user):
    admin = create_user(UserRole.ADMIN)
    user = create_user(UserRole.MODERATOR)
    theirs = signed_in_browser(app, user, remember=True)
    admin_browser = signed_in_browser(app, admin)
    page = admin_browser.get('/admin/users').get_data(as_text=True)
    response = admin_browser.post(
        f'/admin/users/{user.id}/enabled', data={'csrf_token': csrf_token_from(page)}
    )
    assert response.status_code == 302
    assert not is_signed_in(theirs)
