"""The usual scan's lean path (``forum.checkin.quick``) answers exactly as the ORM path does, and
steps aside, writing nothing, whenever the scan is not the usual one."""

from datetime import UTC, datetime

import pytest

import forum.api.checkin_views as views
from forum.api.checkin_views import _usual_scan_arguments
from forum.auth.models import UserRole
from forum.checkin.models import CheckInMethod
from forum.checkin.schemas import CheckInRequestSchema


@pytest.fixture
def quick_answers(monkeypatch):
    """Whether the lean path answered each check-in (True) or left it to the ORM path."""
    answered = []
    real = views.quick_check_in

    def spy(*args, **kwargs):
        body = real(*args, **kwargs)
        answered.append(body is not None)
        return body

    monkeypatch.setattr(views, 'quick_check_in', spy)
    return answered


def undo(client, api_token, door, checkin_id):
    response = client.post(
        f'/api/v1/checkins/{checkin_id}/undo',
        json={'reason': 'Thử lại'},
        headers=api_token(door.operator),
    )
    assert response.status_code == 200


def without_identity(body):
    """The answer without what differs between two check-ins of the same scan."""
    checkin = {k: v for k, v in body['checkin'].items() if k not in ('id', 'checked_in_at')}
    return {**body, 'checkin': checkin}


@pytest.mark.parametrize(
    'extra',
    [
        {},
        {'nonce': 'quick-0001-abcdef', 'method': 'qr'},
        {'confirm_other_venue': True},
    ],
)
def test_the_usual_scan_gets_the_orm_paths_answer(
    client, api_token, door, scan, quick_answers, monkeypatch, extra
):
    quick = scan(door, door.thao.code, **extra)
    assert quick.status_code == 201 and quick_answers == [True]
    undo(client, api_token, door, quick.json['checkin']['id'])
    monkeypatch.setattr(views, 'quick_check_in', lambda *args, **kwargs: None)
    if 'nonce' in extra:
        extra = {**extra, 'nonce': 'quick-0002-abcdef'}
    orm = scan(door, door.thao.code, **extra)
    assert orm.status_code == 201
    assert without_identity(quick.json) == without_identity(orm.json)
    assert quick.json['checkin']['checked_in_at'].endswith('+00:00')
    assert quick.headers['Content-Type'] == orm.headers['Content-Type']


def test_what_is_stored_is_what_was_answered(app, door, scan, quick_answers):
    from forum.checkin.models import CheckIn
    from forum.extensions import db

    before = datetime.now(UTC)
    body = scan(door, door.thao.code, nonce='quick-0004-abcdef').json
    assert quick_answers == [True]
    answered_at = datetime.fromisoformat(body['checkin']['checked_in_at'])
    assert before <= answered_at <= datetime.now(UTC)
    with app.app_context():
        checkin = db.session.get(CheckIn, body['checkin']['id'])
        assert checkin.checked_in_at == answered_at
        assert (checkin.delegate_id, checkin.venue_id, checkin.by_user_id) == (
            door.thao.id,
            door.district.id,
            door.operator.id,
        )
        assert (checkin.nonce, checkin.method, checkin.other_venue) == (
            'quick-0004-abcdef',
            CheckInMethod.API,
            False,
        )
        assert (checkin.undone_at, checkin.checked_out_at, checkin.undo_reason) == (None, None, '')


def test_a_confirmed_delegate_of_another_point(door, scan, quick_answers):
    response = scan(door, door.sang.code, confirm_other_venue=True)
    assert response.status_code == 201 and quick_answers == [True]
    assert response.json['checkin']['other_venue'] is True
    assert response.json['delegate']['venue'] == 'Phường Quang Trung'
    assert response.json['checkin']['venue'] == 'Thành phố Hà Giang'


def test_anything_unusual_is_left_to_the_orm_path(
    app, door, scan, quick_answers, create_user, api_token, client
):
    from forum.auth.models import UserRole

    assert scan(door, door.thao.code, nonce='quick-0003-abcdef').status_code == 201
    cases = [
        (scan(door, door.thao.code), 200),  # a repeat
        (scan(door, door.thao.code, nonce='quick-0003-abcdef'), 201),  # the same nonce again
        (scan(door, door.binh.code, nonce='quick-0003-abcdef'), 409),  # someone else's nonce
        (scan(door, 'no-such-code-at-all'), 404),
        (scan(door, door.sang.code), 409),  # another point, not confirmed
        (scan(door, door.binh.code, venue=door.hub), 403),  # not this operator's point
        (scan(door, door.binh.code, venue=door.commune, user=door.organiser), 409),
    ]
    moderator = create_user(UserRole.MODERATOR)
    cases.append((scan(door, door.binh.code, user=moderator), 403))
    assert [response.status_code for response, _ in cases] == [status for _, status in cases]
    assert quick_answers == [True] + [False] * len(cases)
    stranger = create_user(UserRole.OPERATOR, venues=[door.commune])
    assert scan(door, door.binh.code, user=stranger).status_code == 403
    assert quick_answers[-1] is False


def test_a_revoked_token_is_refused(app, door, api_token, client, quick_answers):
    from forum.auth.models import User
    from forum.extensions import db

    headers = api_token(door.operator)
    with app.app_context():
        db.session.get(User, door.operator.id).token_version += 1
        db.session.commit()
    response = client.post(
        f'/api/v1/forums/{door.forum.id}/checkins',
        json={'code': door.thao.code, 'venue_id': door.district.id},
        headers=headers,
    )
    assert response.status_code == 401
    assert quick_answers == [False]


def test_a_closed_forum_is_left_to_the_orm_path(app, door, scan, quick_answers):
    from forum.extensions import db
    from forum.forums.models import Forum, ForumStatus

    with app.app_context():
        db.session.get(Forum, door.forum.id).status = ForumStatus.CLOSED
        db.session.commit()
    response = scan(door, door.thao.code)
    assert response.status_code == 409
    assert response.json['error']['code'] == 'forum_closed'
    assert quick_answers == [False]


@pytest.mark.parametrize(
    'body',
    [
        {'code': 'abc', 'venue_id': 3},
        {'code': 'x' * 300, 'venue_id': 0, 'nonce': 'n' * 8},
        {'code': 'abc', 'venue_id': 3, 'nonce': 'n' * 64, 'confirm_other_venue': True},
        {'code': 'abc', 'venue_id': 3, 'confirm_other_venue': False, 'method': 'short_code'},
        {'code': 'ü', 'venue_id': 2**31 - 1, 'method': 'api'},
    ],
)
def test_the_usual_body_loads_as_the_schema_loads_it(app, body):
    with app.test_request_context(json=body):
        assert _usual_scan_arguments() == CheckInRequestSchema().load(body)
    loaded = CheckInRequestSchema().load(body)
    assert isinstance(loaded.get('method', CheckInMethod.API), CheckInMethod)


@pytest.mark.parametrize(
    'body',
    [
        {'code': '', 'venue_id': 3},
        {'code': 'x' * 301, 'venue_id': 3},
        {'code': 'abc'},
        {'venue_id': 3},
        {'code': 'abc', 'venue_id': '3'},
        {'code': 'abc', 'venue_id': 3.0},
        {'code': 'abc', 'venue_id': True},
        {'code': 'abc', 'venue_id': -1},
        {'code': 3, 'venue_id': 3},
        {'code': 'abc', 'venue_id': 3, 'nonce': 'short'},
        {'code': 'abc', 'venue_id': 3, 'nonce': None},
        {'code': 'abc', 'venue_id': 3, 'confirm_other_venue': 'true'},
        {'code': 'abc', 'venue_id': 3, 'method': 'telepathy'},
        {'code': 'abc', 'venue_id': 3, 'delegate_id': 4},
        {'code': 'abc', 'venue_id': 3, 'colour': 'red'},
        ['code', 'abc'],
    ],
)
def test_any_other_body_goes_to_the_schema(app, body):
    with app.test_request_context(json=body):
        assert _usual_scan_arguments() is None


def test_a_venue_id_no_column_holds_is_refused_naming_it(client, api_token, create_user):
    headers = api_token(create_user(UserRole.OPERATOR))
    response = client.post(
        '/api/v1/forums/1/checkins', json={'code': 'abc', 'venue_id': 2**31}, headers=headers
    )
    assert response.status_code == 422
    assert '$.venue_id' in response.json['error']['details']


def test_a_body_that_is_not_json_goes_to_the_schema(app, door, scan, client, api_token):
    with app.test_request_context(data='{"code": "abc"', content_type='application/json'):
        assert _usual_scan_arguments() is None
    with app.test_request_context(data='code=abc&venue_id=3'):
        assert _usual_scan_arguments() is None
    response = client.post(
        f'/api/v1/forums/{door.forum.id}/checkins',
        data='{"code": "abc"',
        content_type='application/json',
        headers=api_token(door.operator),
    )
    assert response.status_code == 400
