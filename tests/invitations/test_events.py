"""Organisers' pages follow an e-mail batch live over Socket.IO (namespace /jobs)."""

import time

from forum.auth.models import UserRole
from forum.extensions import socketio
from tests.invitations.test_mailing import send


def connect(app, client, forum_id):
    return socketio.test_client(
        app, namespace='/jobs', flask_test_client=client, auth={'forum_id': forum_id}
    )


def test_progress_reaches_the_organisers_page(
    app, client, smtp_server, create_forum, create_delegate, create_user, sign_in, post_form
):
    forum = create_forum()
    for number in range(3):
        create_delegate(forum, f'Đại biểu {number}', email=f'db{number}@ubnd.example')
    sign_in(create_user(UserRole.ORGANISER))
    live = connect(app, client, forum.id)
    assert live.is_connected('/jobs')
    send(post_form, forum, 'invitation')
    events = []
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not any(e['args'][0]['state'] == 'done' for e in events):
        events += [e for e in live.get_received('/jobs') if e['name'] == 'job']
        time.sleep(0.05)
    final = events[-1]['args'][0]
    assert (final['kind'], final['total'], final['progress'], final['state']) == (
        'mail',
        3,
        3,
        'done',
    )
    assert final['summary'] == {
        'mail_job_id': final['mail_job_id'],
        'sent': 3,
        'failed': 0,
        'total': 3,
    }


def test_strangers_and_non_organisers_are_refused(app, client, create_forum, create_user, sign_in):
    forum = create_forum()
    assert not connect(app, client, forum.id).is_connected('/jobs')
    sign_in(create_user(UserRole.MODERATOR))
    assert not connect(app, client, forum.id).is_connected('/jobs')


def test_an_organiser_without_a_forum_id_is_refused(app, client, create_user, sign_in):
    sign_in(create_user(UserRole.ORGANISER))
    live = socketio.test_client(app, namespace='/jobs', flask_test_client=client)
    assert not live.is_connected('/jobs')
