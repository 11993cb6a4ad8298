"""The queue on the live channel, with Flask-SocketIO's test client: snapshots, who receives
which ``question`` events, versions without gaps, coalesced votes."""

import time

from forum.auth.models import UserRole
from forum.extensions import db, socketio
from forum.live import NAMESPACE


def connect(app, **auth):
    return socketio.test_client(app, namespace=NAMESPACE, auth=auth)


def drain(live, name, *, wait=0.5, until=None):
    events = []
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        events += [e['args'][0] for e in live.get_received(NAMESPACE) if e['name'] == name]
        if until and until(events):
            break
        time.sleep(0.02)
    return events


def token_for(client, user):
    return client.post(
        '/api/v1/auth/token', json={'email': user.email, 'password': 'correct horse 42'}
    ).json['token']


def test_connecting_without_a_code_is_refused(app, hall):
    assert not connect(app, forum_id=hall.forum.id).is_connected(NAMESPACE)
    assert not connect(app, forum_id=hall.forum.id, code='nope').is_connected(NAMESPACE)


def test_snapshots_show_each_viewer_what_they_may_see(app, client, hall, ask, moderate):
    approved = ask(hall, hall.thao, text='Câu hỏi đã duyệt').json['id']
    pending = ask(hall, hall.binh, text='Câu hỏi đang chờ').json['id']
    moderate(hall, approved, status='approved')
    staff = drain(
        connect(app, forum_id=hall.forum.id, token=token_for(client, hall.moderator)),
        'snapshot',
        until=bool,
    )[0]
    assert {q['id'] for q in staff['questions']} == {approved, pending}
    assert 'attendance' in staff
    audience = drain(
        connect(app, forum_id=hall.forum.id, code=hall.binh.code), 'snapshot', until=bool
    )[0]
    assert [q['id'] for q in audience['questions']] == [approved]
    assert [q['id'] for q in audience['my_questions']] == [pending]
    assert audience['questions'][0]['author']['name'] == 'Nguyễn Thị Thảo'


def test_a_dismissed_item_never_reaches_the_audience(app, client, hall, ask, moderate):
    audience = connect(app, forum_id=hall.forum.id, code=hall.sang.code)
    author = connect(app, forum_id=hall.forum.id, code=hall.thao.code)
    staff = connect(app, forum_id=hall.forum.id, token=token_for(client, hall.moderator))
    for live in (audience, author, staff):
        drain(live, 'snapshot', until=bool)
    question_id = ask(hall, hall.thao, text='Một câu hỏi sẽ bị loại').json['id']
    moderate(hall, question_id, status='dismissed')
    assert drain(audience, 'question') == []
    mine = drain(author, 'question')
    assert [e['status'] for e in mine] == ['pending']  # silent for the sender
    staff_events = drain(staff, 'question')
    assert [e['status'] for e in staff_events] == ['pending', 'dismissed'], staff_events


def test_approval_reaches_everyone_and_a_withdrawal_hides_it(app, client, hall, ask, moderate):
    audience = connect(app, forum_id=hall.forum.id, code=hall.sang.code)
    first_version = drain(audience, 'snapshot', until=bool)[0]['version']
    question_id = ask(hall, hall.thao).json['id']
    moderate(hall, question_id, status='approved')
    moderate(hall, question_id, status='dismissed')
    events = drain(audience, 'question', until=lambda e: len(e) == 2)
    assert events[0]['id'] == question_id and events[0]['status'] == 'approved'
    assert events[1] == {
        'id': question_id,
        'visible': False,
        'version': events[1]['version'],
        'ts': events[1]['ts'],
    }
    assert [e['version'] for e in events] == [first_version + 1, first_version + 2]  # no gaps


def test_moderators_see_each_others_actions(app, client, hall, ask, moderate, create_user):
    from forum.auth.models import UserRole

    second = create_user(UserRole.MODERATOR)
    watching = connect(app, forum_id=hall.forum.id, token=token_for(client, second))
    drain(watching, 'snapshot', until=bool)
    question_id = ask(hall, hall.thao).json['id']
    moderate(hall, question_id, status='approved')
    moderate(hall, question_id, status='current')
    seen = drain(watching, 'question', until=lambda e: len(e) >= 3)
    assert [e['status'] for e in seen] == ['pending', 'approved', 'current']
    versions = [e['version'] for e in seen]
    assert versions == sorted(versions)


def test_a_burst_of_votes_is_coalesced(app, client, hall, ask, moderate, create_delegate):
    question_id = ask(hall, hall.thao).json['id']
    moderate(hall, question_id, status='approved')
    audience = connect(app, forum_id=hall.forum.id, code=hall.sang.code)
    drain(audience, 'snapshot', until=bool)
    voters = [create_delegate(hall.forum, f'Người bình chọn {n}') for n in range(15)]
    for voter in voters:
        assert (
            client.post(
                f'/api/v1/questions/{question_id}/votes', json={'code': voter.code}
            ).status_code
            == 201
        )
    events = drain(audience, 'question', wait=4, until=lambda e: e and e[-1]['votes'] == 15)
    assert events[-1]['votes'] == 15
    assert len(events) <= 3


def test_an_operator_sees_their_points_items_in_full_and_the_others_as_the_audience(
    app, client, hall, ask, moderate, create_user
):
    """An operator of another point never gets a pending or dismissed item, nor an author the
    forum hides; the point's own operator gets their items in full, outside the stream."""
    from forum.forums.models import Forum
    from tests.conftest import ensure_app_context

    with ensure_app_context(app):
        db.session.get(Forum, hall.forum.id).questions_show_names = False
        db.session.commit()
    other_operator = create_user(UserRole.OPERATOR, venues=[hall.hub])
    own = connect(app, forum_id=hall.forum.id, token=token_for(client, hall.operator))
    other = connect(app, forum_id=hall.forum.id, token=token_for(client, other_operator))
    secretary = connect(
        app, forum_id=hall.forum.id, token=token_for(client, create_user(UserRole.SECRETARY))
    )
    for live in (own, other, secretary):
        drain(live, 'snapshot', until=bool)

    pending = ask(hall, hall.binh, text='Câu hỏi đang chờ').json['id']
    approved = ask(hall, hall.thao, text='Câu hỏi đã duyệt').json['id']
    moderate(hall, approved, status='approved')
    dismissed = ask(hall, hall.binh, text='Ý kiến bị loại').json['id']
    moderate(hall, dismissed, status='dismissed')

    def by_id(events):
        seen = {}
        for event in events:
            seen.setdefault(event['id'], []).append(event)
        return seen

    elsewhere = by_id(drain(other, 'question', wait=1.5))
    assert all(
        e == {'id': e['id'], 'visible': False, 'version': e['version'], 'ts': e['ts']}
        for e in elsewhere[pending] + elsewhere[dismissed]
    )
    assert elsewhere[approved][-1]['text'] == 'Câu hỏi đã duyệt'
    assert elsewhere[approved][-1]['author'] is None  # the forum hides names
    at_the_point = by_id(drain(own, 'question', wait=0.5))
    full = [e for e in at_the_point[pending] if e.get('own_point')]
    assert full and full[-1]['author']['name'] == 'Trần Văn Bình'
    assert any(e.get('own_point') and e['status'] == 'dismissed' for e in at_the_point[dismissed])
    recorded = by_id(drain(secretary, 'question', wait=0.5))
    assert recorded[dismissed][-1]['author']['name'] == 'Trần Văn Bình'

    snapshot = drain(
        connect(app, forum_id=hall.forum.id, token=token_for(client, other_operator)),
        'snapshot',
        until=bool,
    )[0]
    assert [(q['id'], q['author']) for q in snapshot['questions']] == [(approved, None)]
    snapshot = drain(
        connect(app, forum_id=hall.forum.id, token=token_for(client, hall.operator)),
        'snapshot',
        until=bool,
    )[0]
    assert {q['id'] for q in snapshot['questions'] if q.get('own_point')} == {
        pending,
        approved,
        dismissed,
    }


def test_a_refused_moderation_reaches_no_screen_and_keeps_nothing(app, client, hall, ask, moderate):
    """The text is edited before the move is found not allowed: the request is refused whole,
    and no screen hears of the edit (events go out only after the commit)."""
    question_id = ask(hall, hall.thao, text='Câu hỏi gốc về kinh phí').json['id']
    staff = connect(app, forum_id=hall.forum.id, token=token_for(client, hall.moderator))
    drain(staff, 'snapshot', until=bool)
    refused = moderate(hall, question_id, text='Câu hỏi đã sửa', status='answered')
    assert refused.status_code == 409 and refused.json['error']['code'] == 'invalid_move'
    assert drain(staff, 'question') == []
    listed = client.get(
        f'/api/v1/forums/{hall.forum.id}/questions',
        headers={'Authorization': staff_auth(client, hall)},
    ).json['items']
    assert [(q['id'], q['text'], q['status']) for q in listed] == [
        (question_id, 'Câu hỏi gốc về kinh phí', 'pending')
    ]


def staff_auth(client, hall):
    return f'Bearer {token_for(client, hall.moderator)}'
