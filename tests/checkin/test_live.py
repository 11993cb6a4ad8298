"""The live channel for attendance: who may connect, the snapshot, coalesced updates."""

import time

from forum.extensions import socketio
from forum.live import NAMESPACE


def connect(app, **auth):
    return socketio.test_client(app, namespace=NAMESPACE, auth=auth or None)


def received(client, name, *, wait=3.0, until=lambda events: bool(events)):
    events = []
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        events += [e['args'][0] for e in client.get_received(NAMESPACE) if e['name'] == name]
        if until(events):
            break
        time.sleep(0.05)
    return events


def staff_token(client, user):
    response = client.post(
        '/api/v1/auth/token', json={'email': user.email, 'password': 'correct horse 42'}
    )
    return response.json['token']


def test_connections_without_credentials_are_refused(app, door):
    assert not connect(app).is_connected(NAMESPACE)
    assert not connect(app, forum_id=door.forum.id).is_connected(NAMESPACE)
    assert not connect(app, forum_id=door.forum.id, token='forged').is_connected(NAMESPACE)
    assert not connect(app, forum_id=door.forum.id, code='guess').is_connected(NAMESPACE)
    assert not connect(app, forum_id=door.forum.id + 99, code=door.thao.code).is_connected(
        NAMESPACE
    )


def test_staff_snapshot_has_the_attendance(app, client, door, scan):
    scan(door, door.thao.code)
    live = connect(app, forum_id=door.forum.id, token=staff_token(client, door.organiser))
    snapshot = received(live, 'snapshot')[0]
    assert snapshot['attendance']['checked_in'] == 1
    assert snapshot['attendance']['invited'] == 3
    assert isinstance(snapshot['version'], int) and isinstance(snapshot['ts'], float)


def test_a_delegate_sees_their_own_check_in_only(app, door, scan):
    scan(door, door.thao.code)
    live = connect(app, forum_id=door.forum.id, code=door.thao.code)
    snapshot = received(live, 'snapshot')[0]
    assert 'attendance' not in snapshot
    assert snapshot['my_checkin']['venue'] == 'Thành phố Hà Giang'
    other = received(connect(app, forum_id=door.forum.id, code=door.binh.code), 'snapshot')[0]
    assert other['my_checkin'] is None


def test_a_burst_of_check_ins_becomes_few_attendance_events(
    app, client, door, scan, create_delegate
):
    live = connect(app, forum_id=door.forum.id, token=staff_token(client, door.organiser))
    first_version = received(live, 'snapshot')[0]['version']
    crowd = [create_delegate(door.forum, f'Đại biểu {n}', venue=door.district) for n in range(20)]
    for person in crowd:
        assert scan(door, person.code).status_code == 201
    events = received(
        live, 'attendance', wait=5, until=lambda events: events and events[-1]['checked_in'] == 20
    )
    assert events[-1]['checked_in'] == 20
    assert len(events) <= 4  # coalesced: not one per check-in
    versions = [e['version'] for e in events]
    assert versions == sorted(versions) and versions[0] > first_version
    assert all(isinstance(e['ts'], float) for e in events)


def test_delegates_do_not_receive_attendance_events(app, door, scan):
    live = connect(app, forum_id=door.forum.id, code=door.sang.code)
    received(live, 'snapshot')
    scan(door, door.thao.code)
    assert received(live, 'attendance', wait=1.5) == []


def test_resync_sends_the_snapshot_again(app, client, door):
    live = connect(app, forum_id=door.forum.id, token=staff_token(client, door.organiser))
    received(live, 'snapshot')
    live.emit('resync', namespace=NAMESPACE)
    assert received(live, 'snapshot')


def test_events_carry_only_the_points_that_changed_and_merge_into_the_table(
    app, client, door, scan
):
    token = staff_token(client, door.organiser)
    live = connect(app, forum_id=door.forum.id, token=token)
    snapshot = received(live, 'snapshot')[0]
    board = {row['venue_id']: row for row in snapshot['attendance']['by_venue']}

    def follow(event):
        if event.get('partial'):
            for change in event['by_venue']:
                board[change['venue_id']] = {**board.get(change['venue_id'], {}), **change}
        else:
            board.clear()
            board.update((row['venue_id'], row) for row in event['by_venue'])

    assert scan(door, door.thao.code).status_code == 201
    first = received(live, 'attendance', wait=5)[-1]
    assert 'partial' not in first and len(first['by_venue']) == 3  # the first one is whole
    follow(first)
    assert scan(door, door.sang.code, venue=door.commune, user=door.organiser).status_code == 201
    second = received(live, 'attendance', wait=5)[-1]
    assert second['partial'] is True
    assert second['by_venue'] == [{'venue_id': door.commune.id, 'checked_in': 1, 'inside': 1}]
    assert (second['checked_in'], second['inside'], second['invited']) == (2, 2, 3)
    assert second['by_tier']['commune'] == {'invited': 1, 'checked_in': 1, 'inside': 1, 'venues': 1}
    follow(second)
    attendance = client.get(
        f'/api/v1/forums/{door.forum.id}/attendance', headers={'Authorization': f'Bearer {token}'}
    ).json
    assert list(board.values()) == attendance['by_venue']

    # A board that connects gets the whole table, and everyone the next event whole.
    other = connect(app, forum_id=door.forum.id, token=token)
    assert len(received(other, 'snapshot')[0]['attendance']['by_venue']) == 3
    assert scan(door, door.binh.code).status_code == 201
    third = received(live, 'attendance', wait=5)[-1]
    assert 'partial' not in third and len(third['by_venue']) == 3
    assert received(other, 'attendance', wait=5)[-1] == third
