"""The door's one path (``forum.checkin.door``): what it answers is what it stores, for the usual
scan and for every other case; the usual scan's body is read as the schema reads it."""

from datetime import UTC, datetime

import pytest

from forum.api.checkin_views import _usual_scan_arguments
from forum.auth.models import UserRole
from forum.checkin.models import CheckInMethod
from forum.checkin.schemas import CheckInRequestSchema


def undo(client, api_token, door, checkin_id):
    response = client.post(
        f'/api/v1/checkins/{checkin_id}/undo',
        json={'reason': 'Thử lại'},
        headers=api_token(door.operator),
    )
    assert response.status_code == 200


def test_the_usual_scan_and_a_search_get_the_same_answer(client, api_token, door, scan):
    """By code or by id after a name search: the same delegate, point and fields."""
    by_code = scan(door, door.thao.code, nonce='door-0001-abcdef', method='qr')
    assert by_code.status_code == 201
    undo(client, api_token, door, by_code.json['checkin']['id'])
    by_id = client.post(
        f'/api/v1/forums/{door.forum.id}/checkins',
        json={'delegate_id': door.thao.id, 'venue_id': door.district.id, 'method': 'qr'},
        headers=api_token(door.operator),
    )
    assert by_id.status_code == 201

    def without_identity(body):
        checkin = {k: v for k, v in body['checkin'].items() if k not in ('id', 'checked_in_at')}
        return {**body, 'checkin': checkin}

    assert without_identity(by_code.json) == without_identity(by_id.json)
    assert by_code.json['checkin']['checked_in_at'].endswith('+00:00')
    assert by_code.json['checkin']['by'] == door.operator.email


def test_what_is_stored_is_what_was_answered(app, door, scan):
    from forum.checkin.models import CheckIn
    from forum.extensions import db

    before = datetime.now(UTC)
    body = scan(door, door.thao.code, nonce='door-0004-abcdef').json
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
            'door-0004-abcdef',
            CheckInMethod.API,
            False,
        )
        assert (checkin.undone_at, checkin.checked_out_at, checkin.undo_reason) == (None, None, '')


def test_a_confirmed_delegate_of_another_point(door, scan):
    response = scan(door, door.sang.code, confirm_other_venue=True)
    assert response.status_code == 201
    assert response.json['checkin']['other_venue'] is True
    assert response.json['delegate']['venue'] == 'Phường Quang Trung'
    assert response.json['checkin']['venue'] == 'Thành phố Hà Giang'


def test_every_case_of_the_door_and_what_it_stores(app, door, scan, create_user):
    from forum.checkin.models import CheckIn
    from forum.extensions import db

    first = scan(door, door.thao.code, nonce='door-0003-abcdef')
    assert first.status_code == 201
    cases = [
        (scan(door, door.thao.code), 200),  # a repeat
        (scan(door, door.thao.code, nonce='door-0003-abcdef'), 201),  # the same nonce again
        (scan(door, door.binh.code, nonce='door-0003-abcdef'), 409),  # someone else's nonce
        (scan(door, 'no-such-code-at-all'), 404),
        (scan(door, door.sang.code), 409),  # another point, not confirmed
        (scan(door, door.binh.code, venue=door.hub), 403),  # not this operator's point
        (scan(door, door.binh.code, venue=door.commune, user=door.organiser), 409),
    ]
    moderator = create_user(UserRole.MODERATOR)
    cases.append((scan(door, door.binh.code, user=moderator), 403))
    stranger = create_user(UserRole.OPERATOR, venues=[door.commune])
    cases.append((scan(door, door.binh.code, user=stranger), 403))
    assert [response.status_code for response, _ in cases] == [status for _, status in cases]
    assert cases[0][0].json['first']['id'] == first.json['checkin']['id']
    assert cases[1][0].json['checkin']['id'] == first.json['checkin']['id']
    with app.app_context():
        stored = db.session.scalars(db.select(CheckIn.delegate_id)).all()
    assert stored == [door.thao.id]  # nothing but the first check-in was written


def test_a_revoked_token_is_refused(app, door, api_token, client):
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


def test_a_closed_forum_takes_no_check_ins(app, door, scan):
    from forum.extensions import db
    from forum.forums.models import Forum, ForumStatus

    with app.app_context():
        db.session.get(Forum, door.forum.id).status = ForumStatus.CLOSED
        db.session.commit()
    response = scan(door, door.thao.code)
    assert response.status_code == 409
    assert response.json['error']['code'] == 'forum_closed'


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
