"""The operators' pages: the scanner, a bridge point's check-in list (undo, check-out, back in),
the attendance board, the name search and roll-call endpoints, and the delegate's own page."""

import html
import re
import time
from zoneinfo import ZoneInfo

import pytest

from forum.audit.models import AuditEntry
from forum.auth.models import UserRole
from forum.checkin.models import CheckIn, CheckInMethod
from forum.extensions import db, socketio
from forum.live import NAMESPACE
from forum.tiers.models import ConnectionStatus, Venue
from tests.conftest import DEFAULT_PASSWORD, csrf_token_from

LOCAL = ZoneInfo('Asia/Ho_Chi_Minh')


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def the_checkin(app, checkin_id) -> CheckIn:
    with app.app_context():
        checkin = db.session.get(CheckIn, checkin_id)
        db.session.expunge(checkin)
        return checkin


def counts(page: str) -> tuple[int, int]:
    present = re.search(r'data-testid="count-present">(\d+)<', page)
    inside = re.search(r'data-testid="count-inside">(\d+)<', page)
    return int(present.group(1)), int(inside.group(1))


@pytest.fixture
def another_client(app):
    """A second browser, signed in as ``user``."""

    def sign_in(user):
        other = app.test_client()
        token = csrf_token_from(other.get('/login').get_data(as_text=True))
        form = {'email': user.email, 'password': DEFAULT_PASSWORD, 'csrf_token': token}
        assert other.post('/login', data=form).status_code == 302
        return other

    return sign_in


@pytest.fixture
def checked_in(door, scan):
    """Thảo then Bình checked in at the district point by its operator; their check-in ids."""
    thao = scan(door, door.thao.code).json['checkin']['id']
    binh = scan(door, door.binh.code).json['checkin']['id']
    return {'thao': thao, 'binh': binh}


# The scanner page ---------------------------------------------------------------------------


def test_the_operator_of_the_point_gets_the_scanner_with_a_working_token(client, door, sign_in):
    sign_in(door.operator)
    response = client.get(f'/venues/{door.district.id}/scan')
    assert response.status_code == 200
    assert response.headers['Cache-Control'] == 'no-store'  # it holds a token
    page = page_text(response)
    assert f'data-venue-id="{door.district.id}"' in page
    assert f'data-forum-id="{door.forum.id}"' in page
    assert 'vendor/jsqr/jsQR.js' in page and 'js/scanner.js' in page
    token = re.search(r'data-token="([^"]+)"', page).group(1)
    api = client.get(
        f'/api/v1/forums/{door.forum.id}/attendance', headers={'Authorization': f'Bearer {token}'}
    )
    assert api.status_code == 200


def test_an_operator_of_another_point_is_refused_the_scanner(client, door, create_user, sign_in):
    sign_in(create_user(UserRole.OPERATOR, venues=[door.commune]))
    assert client.get(f'/venues/{door.district.id}/scan').status_code == 403
    assert client.get(f'/venues/{door.district.id}/checkins').status_code == 403


def test_a_moderator_does_not_scan(client, door, create_user, sign_in):
    sign_in(create_user(UserRole.MODERATOR))
    assert client.get(f'/venues/{door.district.id}/scan').status_code == 403


def test_an_organiser_scans_at_any_point_and_strangers_are_sent_to_sign_in(client, door, sign_in):
    assert client.get(f'/venues/{door.commune.id}/scan').status_code == 302
    sign_in(door.organiser)
    assert client.get(f'/venues/{door.commune.id}/scan').status_code == 200
    assert client.get('/venues/999999/scan').status_code == 404


# The check-in list --------------------------------------------------------------------------


def test_the_list_shows_the_latest_first_with_counts_and_badges(
    client, door, scan, sign_in, checked_in
):
    scan(door, door.sang.code, confirm_other_venue=True)
    sign_in(door.operator)
    page = page_text(client.get(f'/venues/{door.district.id}/checkins'))
    assert page.index('Lò Văn Sáng') < page.index('Trần Văn Bình') < page.index('Nguyễn Thị Thảo')
    assert counts(page) == (3, 3)
    assert 'khác điểm cầu: Phường Quang Trung' in page
    assert door.operator.email in page  # who let them in


def test_a_walk_in_is_flagged_in_the_list(client, door, sign_in, api_token):
    response = client.post(
        f'/api/v1/forums/{door.forum.id}/walk-ins',
        json={'full_name': 'Hầu Mí Lử', 'body': 'Báo Hà Giang', 'venue_id': door.district.id},
        headers=api_token(door.operator),
    )
    assert response.status_code == 201
    sign_in(door.operator)
    page = page_text(client.get(f'/venues/{door.district.id}/checkins'))
    assert 'Hầu Mí Lử' in page and 'đăng ký tại chỗ' in page


def test_undo_with_a_reason_takes_the_check_in_back_and_audits_it(
    app, client, door, sign_in, post_form, checked_in
):
    sign_in(door.operator)
    list_url = f'/venues/{door.district.id}/checkins'
    response = post_form(
        f'/checkins/{checked_in["thao"]}/undo', {'reason': 'Quét nhầm người'}, form_page=list_url
    )
    assert response.status_code == 302
    assert the_checkin(app, checked_in['thao']).undo_reason == 'Quét nhầm người'
    with app.app_context():
        audit = db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.action == 'checkin.undone')
        ).one()
        assert audit.user_id == door.operator.id
        assert audit.details['reason'] == 'Quét nhầm người'
    page = page_text(client.get(list_url))
    assert counts(page) == (1, 1)
    assert f'data-checkin-id="{checked_in["thao"]}"' not in page
    everything = page_text(client.get(list_url + '?all=1'))
    assert f'data-checkin-id="{checked_in["thao"]}" class="checkin-undone"' in everything
    assert 'Quét nhầm người' in everything


def test_undo_without_a_reason_is_refused_and_explained(
    app, client, door, sign_in, post_form, checked_in
):
    sign_in(door.operator)
    list_url = f'/venues/{door.district.id}/checkins'
    response = post_form(
        f'/checkins/{checked_in["thao"]}/undo',
        {'reason': '   '},
        form_page=list_url,
        follow_redirects=True,
    )
    assert 'Hãy ghi lý do hủy điểm danh.' in page_text(response)
    assert the_checkin(app, checked_in['thao']).undone_at is None
    assert counts(page_text(client.get(list_url))) == (2, 2)


def test_undo_needs_the_forms_csrf_token_and_the_point(
    app, client, door, create_user, sign_in, another_client, checked_in
):
    sign_in(door.operator)
    no_token = client.post(f'/checkins/{checked_in["thao"]}/undo', data={'reason': 'x'})
    assert no_token.status_code == 400
    stranger = another_client(create_user(UserRole.OPERATOR, venues=[door.commune]))
    token = csrf_token_from(stranger.get('/forums').get_data(as_text=True))
    refused = stranger.post(
        f'/checkins/{checked_in["thao"]}/undo', data={'reason': 'x', 'csrf_token': token}
    )
    assert refused.status_code == 403
    assert the_checkin(app, checked_in['thao']).undone_at is None


def test_check_out_and_back_in_change_who_is_inside(client, door, sign_in, post_form, checked_in):
    sign_in(door.operator)
    list_url = f'/venues/{door.district.id}/checkins'
    post_form(f'/checkins/{checked_in["binh"]}/check-out', {}, form_page=list_url)
    page = page_text(client.get(list_url))
    assert counts(page) == (2, 1)
    assert 'Ra ngoài lúc' in page
    post_form(f'/checkins/{checked_in["binh"]}/back-in', {}, form_page=list_url)
    assert counts(page_text(client.get(list_url))) == (2, 2)


def test_changes_from_the_list_reach_the_board_live(
    app, client, door, sign_in, post_form, api_token, checked_in
):
    token = api_token(door.organiser)['Authorization'].split()[1]
    live = socketio.test_client(
        app, namespace=NAMESPACE, auth={'forum_id': door.forum.id, 'token': token}
    )
    live.get_received(NAMESPACE)  # the snapshot
    sign_in(door.operator)
    post_form(
        f'/checkins/{checked_in["thao"]}/check-out',
        {},
        form_page=f'/venues/{door.district.id}/checkins',
    )
    deadline = time.monotonic() + 5
    events = []
    while time.monotonic() < deadline and not (events and events[-1]['inside'] == 1):
        events += [e['args'][0] for e in live.get_received(NAMESPACE) if e['name'] == 'attendance']
        time.sleep(0.05)
    assert events[-1]['inside'] == 1 and events[-1]['checked_in'] == 2


# The attendance board -----------------------------------------------------------------------


def test_the_board_shows_totals_and_every_point(client, door, create_user, sign_in, checked_in):
    sign_in(create_user(UserRole.MODERATOR))
    response = client.get(f'/forums/{door.forum.id}/attendance')
    assert response.status_code == 200
    page = page_text(response)
    assert re.search(r'data-testid="total-invited">3<', page)
    assert re.search(r'data-testid="total-present">2<', page)
    for venue in (door.hub, door.district, door.commune):
        assert f'data-venue-id="{venue.id}"' in page
    assert 'Chỉ hiện điểm cầu cần chú ý' in page
    assert 'chart.umd.min.js' in page and 'js/attendance-board.js' in page


def test_the_board_is_for_those_who_see_the_forum(
    client, door, create_forum, create_user, sign_in, another_client
):
    elsewhere = create_forum(title='Hội nghị khác', unit_codes=['026'])
    stranger = create_user(
        UserRole.OPERATOR, venues=[next(v for v in elsewhere.venues if v.unit_code == '026')]
    )
    sign_in(stranger)
    assert client.get(f'/forums/{door.forum.id}/attendance').status_code == 403
    operator = another_client(door.operator)
    assert operator.get(f'/forums/{door.forum.id}/attendance').status_code == 200


def test_pages_link_to_the_door_and_the_board(client, door, sign_in):
    sign_in(door.operator)
    venues = page_text(client.get(f'/forums/{door.forum.id}/venues'))
    assert f'/venues/{door.district.id}/scan' in venues
    assert f'/venues/{door.district.id}/checkins' in venues
    assert f'/venues/{door.commune.id}/scan' not in venues
    assert f'/venues/{door.district.id}/scan' in page_text(
        client.get(f'/venues/{door.district.id}')
    )
    forum = page_text(client.get(f'/forums/{door.forum.id}'))
    assert f'/forums/{door.forum.id}/attendance' in forum


# Name search and check-in by id -------------------------------------------------------------


def search(client, door, headers, q, **params):
    return client.get(
        f'/api/v1/forums/{door.forum.id}/checkins/search',
        query_string={'q': q, **params},
        headers=headers,
    )


def test_search_without_accents_finds_the_name_and_hides_the_code(client, door, api_token):
    response = search(client, door, api_token(door.operator), 'nguyen thi thao')
    assert response.status_code == 200
    [found] = response.json['items']
    assert found['full_name'] == 'Nguyễn Thị Thảo'
    assert found['venue'] == 'Thành phố Hà Giang' and found['position'] == 'Chủ tịch UBND'
    assert found['checkin'] is None
    assert 'code' not in found and 'short_code' not in found


def test_search_covers_the_whole_forum_in_vietnamese_order_with_the_check_in_state(
    client, door, scan, create_delegate, api_token
):
    create_delegate(door.forum, 'Vàng Thị Ánh', venue=door.commune)
    create_delegate(door.forum, 'Hoàng Văn An', venue=door.hub)
    scan(door, door.binh.code)
    response = search(client, door, api_token(door.operator), 'van')
    names = [item['full_name'] for item in response.json['items']]
    # By given name first, and "Ánh" before "Bình" (code-point order would put it last).
    assert names == ['Hoàng Văn An', 'Vàng Thị Ánh', 'Trần Văn Bình', 'Lò Văn Sáng']
    states = {item['full_name']: item['checkin'] for item in response.json['items']}
    assert states['Trần Văn Bình']['venue'] == 'Thành phố Hà Giang'
    assert states['Trần Văn Bình']['by'] == door.operator.email
    assert states['Lò Văn Sáng'] is None
    assert response.json['total'] == 4


def test_search_limits_and_refuses_bad_input(client, door, api_token, create_delegate):
    create_delegate(door.forum, 'Hoàng Văn An', venue=door.hub)
    headers = api_token(door.operator)
    limited = search(client, door, headers, 'van', limit=2).json
    assert (len(limited['items']), limited['total']) == (2, 3)
    assert search(client, door, headers, '').status_code == 422
    assert search(client, door, headers, 'van', limit=0).status_code == 422
    assert search(client, door, headers, '%%%').json['items'] == []


def test_search_is_for_staff_only(client, door):
    anonymous = search(client, door, {}, 'thao')
    assert anonymous.status_code == 401
    as_delegate = search(client, door, {}, 'thao', code=door.thao.code)
    assert as_delegate.status_code == 403


@pytest.fixture
def check_in_by_id(client, api_token):
    """POST a check-in of a delegate found by name, as the door's operator."""

    def do_check_in(door, delegate_id, **extra):
        return client.post(
            f'/api/v1/forums/{door.forum.id}/checkins',
            json={'delegate_id': delegate_id, 'venue_id': door.district.id, **extra},
            headers=api_token(door.operator),
        )

    return do_check_in


def test_a_delegate_found_by_name_is_checked_in_by_id(door, check_in_by_id):
    response = check_in_by_id(door, door.thao.id)
    assert response.status_code == 201
    assert response.json['delegate']['full_name'] == 'Nguyễn Thị Thảo'
    assert response.json['checkin']['method'] == 'search'
    again = check_in_by_id(door, door.thao.id)
    assert (again.status_code, again.json['status']) == (200, 'already_checked_in')


def test_by_id_a_delegate_of_another_point_still_needs_a_confirmation(door, check_in_by_id):
    refused = check_in_by_id(door, door.sang.id, nonce='search-nonce-0001')
    assert refused.status_code == 409
    assert refused.json['error']['details']['delegate_venue'] == 'Phường Quang Trung'
    assert refused.json['error']['details']['delegate']['full_name'] == 'Lò Văn Sáng'
    confirmed = check_in_by_id(
        door, door.sang.id, nonce='search-nonce-0001', confirm_other_venue=True
    )
    assert confirmed.status_code == 201 and confirmed.json['checkin']['other_venue'] is True


def test_code_and_delegate_id_exclude_each_other(
    client, door, scan, check_in_by_id, api_token, create_forum, create_delegate
):
    both = scan(door, door.thao.code, delegate_id=door.thao.id)
    assert both.status_code == 422
    neither = client.post(
        f'/api/v1/forums/{door.forum.id}/checkins',
        json={'venue_id': door.district.id},
        headers=api_token(door.operator),
    )
    assert neither.status_code == 422
    outsider = create_delegate(create_forum(title='Hội nghị khác'), 'Giàng Seo Phử')
    unknown = check_in_by_id(door, outsider.id)
    assert unknown.status_code == 404
    assert unknown.json['error']['code'] == 'unknown_delegate'


def test_the_method_sent_by_the_scanner_is_kept(app, door, scan):
    typed = scan(door, door.binh.short_code, method='short_code')
    checkin = the_checkin(app, typed.json['checkin']['id'])
    assert checkin.method == CheckInMethod.SHORT_CODE
    by_default = scan(door, door.thao.code)
    assert by_default.json['checkin']['method'] == 'api'


# Roll call ----------------------------------------------------------------------------------


def report(client, venue, headers, **body):
    return client.post(f'/api/v1/venues/{venue.id}/status', json=body, headers=headers)


def test_the_operator_reports_the_connection_of_their_point(app, client, door, api_token):
    headers = api_token(door.operator)
    response = report(client, door.district, headers, status='problem', note='Mất tiếng')
    assert response.status_code == 200
    assert response.json['connection_status'] == 'problem'
    assert response.json['status_note'] == 'Mất tiếng'
    assert report(client, door.district, headers, status='connected').status_code == 200
    with app.app_context():
        venue = db.session.get(Venue, door.district.id)
        assert venue.connection_status == ConnectionStatus.CONNECTED
        assert venue.status_reported_at is not None


def test_roll_call_is_refused_for_other_points_and_bad_answers(
    client, door, api_token, create_user
):
    other = api_token(create_user(UserRole.OPERATOR, venues=[door.commune]))
    assert report(client, door.district, other, status='connected').status_code == 403
    organiser = api_token(door.organiser)
    assert report(client, door.district, organiser, status='connected').status_code == 200
    mine = api_token(door.operator)
    assert report(client, door.district, mine, status='not_checked').status_code == 422
    assert report(client, door.district, mine, status='').status_code == 422
    missing = client.post(
        '/api/v1/venues/999999/status', json={'status': 'connected'}, headers=mine
    )
    assert missing.status_code == 404


# The delegate's own page --------------------------------------------------------------------


def test_the_delegate_page_shows_their_own_check_in(app, client, door, scan):
    checkin_id = scan(door, door.thao.code).json['checkin']['id']
    at = the_checkin(app, checkin_id).checked_in_at.astimezone(LOCAL).strftime('%H:%M')
    page = page_text(client.get(f'/i/{door.thao.code}'))
    assert 'data-testid="my-checkin"' in page
    assert f'Đã điểm danh lúc {at} tại Thành phố Hà Giang' in page
    assert 'data-testid="my-checkin"' not in page_text(client.get(f'/i/{door.binh.code}'))
