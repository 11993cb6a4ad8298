"""A live connection ends within seconds of its right to be there: a delegate's reissued code,
a staff account signed out everywhere, given a new password or disabled. The others stay."""

import time

import pytest

from forum.auth.models import User, UserRole
from forum.delegates.models import Delegate
from forum.extensions import db, socketio
from forum.live import NAMESPACE
from tests.conftest import ensure_app_context


@pytest.fixture
def quick_recheck(app):
    app.config['LIVE_RECHECK_SECONDS'] = 0.1


def connect(app, **auth):
    live = socketio.test_client(app, namespace=NAMESPACE, auth=auth)
    assert live.is_connected(NAMESPACE)
    return live


def token_for(client, user):
    response = client.post(
        '/api/v1/auth/token', json={'email': user.email, 'password': 'correct horse 42'}
    )
    return response.json['token']


def wait_until_disconnected(live, seconds=3.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not live.is_connected(NAMESPACE):
            return True
        time.sleep(0.02)
    return False


def change(app, model, row_id, act):
    with ensure_app_context(app):
        act(db.session.get(model, row_id))
        db.session.commit()


def test_a_reissued_code_closes_the_phone_that_used_the_old_one(
    app, quick_recheck, create_forum, create_delegate
):
    from forum.invitations.codes import reissue_code

    forum = create_forum()
    lost, kept = create_delegate(forum, 'Nguyễn Văn An'), create_delegate(forum, 'Lò Thị Bình')
    old_phone = connect(app, forum_id=forum.id, code=lost.code)
    other_phone = connect(app, forum_id=forum.id, code=kept.code)
    change(app, Delegate, lost.id, reissue_code)
    assert wait_until_disconnected(old_phone)
    time.sleep(0.3)  # a few more checks
    assert other_phone.is_connected(NAMESPACE)
    assert not socketio.test_client(
        app, namespace=NAMESPACE, auth={'forum_id': forum.id, 'code': lost.code}
    ).is_connected(NAMESPACE)


@pytest.mark.parametrize(
    'ending',
    [
        pytest.param(lambda user: user.end_sessions(), id='signed out everywhere'),
        pytest.param(lambda user: user.set_password('a new password 77'), id='a new password'),
        pytest.param(lambda user: setattr(user, 'is_enabled', False), id='disabled'),
    ],
)
def test_a_staff_account_that_ends_loses_its_screens(
    app, client, quick_recheck, create_forum, create_user, ending
):
    forum = create_forum()
    moderator, colleague = create_user(UserRole.MODERATOR), create_user(UserRole.MODERATOR)
    desk = connect(app, forum_id=forum.id, token=token_for(client, moderator))
    other_desk = connect(app, forum_id=forum.id, token=token_for(client, colleague))
    time.sleep(0.3)
    assert desk.is_connected(NAMESPACE)  # nothing changed yet: the checks leave it alone
    change(app, User, moderator.id, ending)
    assert wait_until_disconnected(desk)
    assert other_desk.is_connected(NAMESPACE)


def test_a_disabled_account_stops_following_its_jobs(
    app, quick_recheck, create_forum, create_user, sign_in
):
    """A page following the forum's jobs (``/jobs``, let in by the session) closes too."""
    from forum.jobs.watch import NAMESPACE as JOBS

    forum = create_forum()
    organiser = create_user(UserRole.ORGANISER)
    browser = sign_in(organiser)
    jobs = socketio.test_client(
        app, namespace=JOBS, auth={'forum_id': forum.id}, flask_test_client=browser
    )
    assert jobs.is_connected(JOBS)
    time.sleep(0.3)
    assert jobs.is_connected(JOBS)
    change(app, User, organiser.id, lambda user: setattr(user, 'is_enabled', False))
    deadline = time.monotonic() + 3
    while jobs.is_connected(JOBS) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not jobs.is_connected(JOBS)
