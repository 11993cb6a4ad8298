"""Checking in at the door through the API: first scan, repeats, nonces, wrong codes, other
bridge points, walk-ins, undo, and the attendance counts."""

import threading

import pytest

from forum.checkin.models import CheckIn
from forum.extensions import db


def active_checkins(app, forum_id):
    with app.app_context():
        return db.session.scalars(
            db.select(CheckIn).where(CheckIn.forum_id == forum_id, CheckIn.undone_at.is_(None))
        ).all()


def test_first_scan_checks_in_with_name_position_and_point(app, door, scan):
    response = scan(door, door.thao.code)
    assert response.status_code == 201
    body = response.json
    assert body['status'] == 'checked_in'
    assert (body['delegate']['full_name'], body['delegate']['position']) == (
        'Nguyễn Thị Thảo',
        'Chủ tịch UBND',
    )
    assert body['checkin']['venue'] == 'Thành phố Hà Giang'
    assert len(active_checkins(app, door.forum.id)) == 1


def test_a_repeat_scan_says_where_when_and_by_whom(app, door, scan, create_user):
    first = scan(door, door.thao.code).json
    other_operator = create_user('operator', venues=[door.district])
    response = scan(door, door.thao.code, user=other_operator)
    assert response.status_code == 200
    assert response.json['status'] == 'already_checked_in'
    assert response.json['first']['venue_id'] == door.district.id
    assert response.json['first']['checked_in_at'] == first['checkin']['checked_in_at']
    assert response.json['first']['by'] == door.operator.email
    assert len(active_checkins(app, door.forum.id)) == 1


def test_the_same_nonce_twice_is_one_check_in(app, door, scan):
    first = scan(door, door.thao.code, nonce='nonce-0001-abcdef')
    again = scan(door, door.thao.code, nonce='nonce-0001-abcdef')
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json['checkin']['id'] == again.json['checkin']['id']
    assert len(active_checkins(app, door.forum.id)) == 1


def test_a_nonce_cannot_be_reused_for_someone_else(door, scan):
    scan(door, door.thao.code, nonce='nonce-0002-abcdef')
    response = scan(door, door.binh.code, nonce='nonce-0002-abcdef')
    assert response.status_code == 409
    assert response.json['error']['code'] == 'nonce_reused'


@pytest.mark.parametrize(
    'how',
    [
        pytest.param('code', id='both scan (the lean path)'),
        pytest.param('delegate_id', id='both pick the name after a search (the service)'),
    ],
)
def test_two_operators_at_the_same_moment_get_one_check_in(app, door, api_token, how):
    tokens = [api_token(door.operator), api_token(door.organiser)]
    results = []
    barrier = threading.Barrier(2)
    who = {'code': door.binh.code} if how == 'code' else {'delegate_id': door.binh.id}

    def scan_now(headers):
        local = app.test_client()
        barrier.wait()
        response = local.post(
            f'/api/v1/forums/{door.forum.id}/checkins',
            json={**who, 'venue_id': door.district.id},
            headers=headers,
        )
        results.append((response.status_code, response.json['status']))

    threads = [threading.Thread(target=scan_now, args=(headers,)) for headers in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [(200, 'already_checked_in'), (201, 'checked_in')]
    assert len(active_checkins(app, door.forum.id)) == 1


def test_an_unknown_code_is_404(door, scan):
    response = scan(door, 'no-such-code-at-all')
    assert response.status_code == 404
    assert response.json['error']['code'] == 'unknown_code'


def test_a_revoked_code_is_410_and_the_new_one_works(app, door, scan):
    from forum.delegates.models import Delegate
    from forum.invitations.codes import reissue_code

    old = door.thao.code
    with app.app_context():
        new = reissue_code(db.session.get(Delegate, door.thao.id)).code
        db.session.commit()
    response = scan(door, old)
    assert response.status_code == 410
    assert response.json['error']['code'] == 'revoked_code'
    assert scan(door, new).status_code == 201


def test_the_qr_url_and_a_typed_short_code_both_work(door, scan):
    assert scan(door, f'http://127.0.0.1:8000/i/{door.thao.code}').status_code == 201
    typed = door.binh.short_code.lower()
    assert scan(door, typed, method='short_code').status_code == 201


def test_a_delegate_of_another_point_needs_a_confirmation(app, door, scan, create_user):
    response = scan(door, door.sang.code)
    assert response.status_code == 409
    assert response.json['error']['code'] == 'other_venue'
    assert response.json['error']['details']['delegate_venue'] == 'Phường Quang Trung'
    assert active_checkins(app, door.forum.id) == []
    confirmed = scan(door, door.sang.code, confirm_other_venue=True)
    assert confirmed.status_code == 201
    assert confirmed.json['checkin']['other_venue'] is True


def test_an_operator_checks_in_only_at_their_own_point(door, scan):
    response = scan(door, door.thao.code, venue=door.hub)
    assert response.status_code == 403


def test_bad_input_is_explained(door, scan):
    response = scan(door, '', nonce='short')
    assert response.status_code == 422
    assert set(response.json['error']['details']['json']) == {'code', 'nonce'}


def test_a_walk_in_is_registered_flagged_and_checked_in(app, door, client, api_token):
    response = client.post(
        f'/api/v1/forums/{door.forum.id}/walk-ins',
        json={
            'full_name': 'Hoàng Văn Khách',
            'position': 'Trưởng thôn',
            'venue_id': door.district.id,
            'nonce': 'walkin-0001-xyz',
        },
        headers=api_token(door.operator),
    )
    assert response.status_code == 201
    assert response.json['delegate']['walk_in'] is True
    attendance = client.get(
        f'/api/v1/forums/{door.forum.id}/attendance', headers=api_token(door.organiser)
    ).json
    assert (attendance['invited'], attendance['checked_in'], attendance['walk_ins']) == (3, 1, 1)


def test_undo_needs_a_reason_and_frees_the_delegate(app, door, scan, client, api_token):
    checkin_id = scan(door, door.thao.code).json['checkin']['id']
    headers = api_token(door.operator)
    refused = client.post(
        f'/api/v1/checkins/{checkin_id}/undo', json={'reason': ''}, headers=headers
    )
    assert refused.status_code == 422
    undone = client.post(
        f'/api/v1/checkins/{checkin_id}/undo', json={'reason': 'Quét nhầm người'}, headers=headers
    )
    assert undone.status_code == 200
    assert active_checkins(app, door.forum.id) == []
    assert scan(door, door.thao.code).status_code == 201
    from forum.audit.models import AuditEntry

    with app.app_context():
        entry = db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.action == 'checkin.undone')
        ).one()
        assert entry.details['reason'] == 'Quét nhầm người'


def test_attendance_counts_per_tier_and_point(door, scan, client, api_token):
    scan(door, door.thao.code)
    scan(door, door.sang.code, confirm_other_venue=True)
    body = client.get(
        f'/api/v1/forums/{door.forum.id}/attendance', headers=api_token(door.organiser)
    ).json
    assert (body['invited'], body['checked_in']) == (3, 2)
    assert body['by_tier']['district'] == {'invited': 2, 'checked_in': 2, 'inside': 2, 'venues': 1}
    assert body['by_tier']['commune']['invited'] == 1
    assert body['by_tier']['commune']['checked_in'] == 0
    by_venue = {v['venue_id']: v for v in body['by_venue']}
    assert by_venue[door.district.id]['checked_in'] == 2
    assert by_venue[door.hub.id]['invited'] == 0


def test_a_delegate_code_cannot_check_anyone_in(door, client):
    response = client.post(
        f'/api/v1/forums/{door.forum.id}/checkins',
        json={'code': door.thao.code, 'venue_id': door.district.id},
    )
    assert response.status_code == 403
