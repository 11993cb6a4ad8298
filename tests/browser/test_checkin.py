"""At the door, in a real browser against the real server: a USB scanner typing the QR's URL,
a typed short code, a delegate of another point, the live board, and the offline queue."""

import re
import time
import unicodedata
import urllib.parse
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import watch_context
from tests.servers import call_api

DEMO_PASSWORD = 'hagiang2023'
HUB_OPERATOR = ('operator@hagiang.example', 'Trần Văn Tiến')  # the demo's operator at the hub
DEMO_ORGANISER = 'organiser@hagiang.example'


@dataclass
class Demo:
    """The Hà Giang demo forum: its hub, delegates to scan (each used once), a token."""

    server: object
    forum_id: int
    hub_id: int
    token: str
    hub_people: list = field(default_factory=list)
    elsewhere: list = field(default_factory=list)

    def take(self) -> dict:
        return self.hub_people.pop()

    def checkin_of(self, person) -> dict | None:
        path = f'/api/v1/forums/{self.forum_id}/checkins/search?' + urllib.parse.urlencode(
            {'q': person['full_name'], 'limit': 50}
        )
        found = call_api(self.server, path, token=self.token)['items']
        return next(item['checkin'] for item in found if item['id'] == person['id'])


@pytest.fixture(scope='module')
def demo(live_server):
    output = live_server.cli('seed-demo', '--delegates', '300')
    forum_id = int(re.search(r'Demo forum (\d+)', output).group(1))
    token = call_api(
        live_server,
        '/api/v1/auth/token',
        body={'email': DEMO_ORGANISER, 'password': DEMO_PASSWORD},
    )['token']
    venues = call_api(live_server, f'/api/v1/forums/{forum_id}/venues?per_page=500', token=token)
    hub_id = next(v['id'] for v in venues['items'] if v['tier'] == 'province')
    delegates = call_api(
        live_server, f'/api/v1/forums/{forum_id}/delegates?per_page=500', token=token
    )['items']
    return Demo(
        server=live_server,
        forum_id=forum_id,
        hub_id=hub_id,
        token=token,
        hub_people=[d for d in delegates if d['venue_id'] == hub_id],
        elsewhere=[d for d in delegates if d['venue_id'] != hub_id],
    )


@pytest.fixture(autouse=True)
def no_script_errors(request):
    """Every page a test opens must run without an uncaught JavaScript error."""
    errors = []
    if 'page' in request.fixturenames:
        page = request.getfixturevalue('page')
        page.on('pageerror', lambda error: errors.append(f'{page.url}: {error}'))
        page.context.on(
            'page',
            lambda other: other.on('pageerror', lambda e: errors.append(f'{other.url}: {e}')),
        )
    yield
    assert errors == []


def without_accents(name: str) -> str:
    """How a hurried operator types a name: no tones, no diacritics, đ as d, lower case."""
    decomposed = unicodedata.normalize('NFD', name.replace('Đ', 'D').replace('đ', 'd'))
    return ''.join(c for c in decomposed if not unicodedata.combining(c)).lower()


def sign_in_as_hub_operator(page):
    page.goto('/login')
    page.get_by_label('Email').fill(HUB_OPERATOR[0])
    page.get_by_label('Mật khẩu').fill(DEMO_PASSWORD)
    page.get_by_role('button', name='Đăng nhập').click()
    page.wait_for_url('**/forums')


def open_scanner(page, demo):
    sign_in_as_hub_operator(page)
    page.goto(f'/venues/{demo.hub_id}/scan')
    field_ = page.get_by_test_id('scan-input')
    expect(field_).to_be_focused()
    return page.get_by_test_id('scan-result')


def scan_like_a_usb_scanner(page, text):
    """A USB or Bluetooth scanner is a keyboard: it types the QR's content, then Enter."""
    page.keyboard.type(text)
    page.keyboard.press('Enter')


def test_a_usb_scanner_checks_in_then_a_repeat_says_when_and_by_whom(page, demo):
    person = demo.take()
    result = open_scanner(page, demo)
    scan_like_a_usb_scanner(page, f'{demo.server.url}/i/{person["code"]}')
    expect(result).to_have_attribute('data-state', 'checked_in')
    expect(result).to_contain_text('Đã điểm danh')
    expect(result).to_contain_text(person['full_name'])
    expect(page.get_by_test_id('scan-input')).to_be_focused()

    scan_like_a_usb_scanner(page, f'{demo.server.url}/i/{person["code"]}')
    expect(result).to_have_attribute('data-state', 'already')
    expect(result).to_contain_text('Đã điểm danh trước đó')
    expect(result).to_contain_text(person['full_name'])
    expect(result).to_contain_text(HUB_OPERATOR[1])  # by whom
    expect(page.get_by_test_id('recent').locator('li')).to_have_count(2)


def test_a_typed_short_code_works_and_an_unknown_code_is_red(page, demo):
    person = demo.take()
    result = open_scanner(page, demo)
    scan_like_a_usb_scanner(page, person['short_code'].lower())
    expect(result).to_have_attribute('data-state', 'checked_in')
    expect(result).to_contain_text(person['full_name'])
    scan_like_a_usb_scanner(page, 'KHONGCO9')
    expect(result).to_have_attribute('data-state', 'error')
    expect(result).to_contain_text('Không tìm thấy mã')


def test_a_delegate_of_another_point_comes_in_after_a_confirmation(page, demo):
    person = demo.elsewhere.pop()
    result = open_scanner(page, demo)
    scan_like_a_usb_scanner(page, person['code'])
    expect(result).to_have_attribute('data-state', 'confirm')
    expect(result).to_contain_text('Cho vào tại đây?')
    result.get_by_role('button', name='Cho vào tại đây').click()
    expect(result).to_have_attribute('data-state', 'checked_in')
    expect(result).to_contain_text('Đại biểu của điểm cầu khác')
    assert demo.checkin_of(person)['other_venue'] is True


def test_a_name_search_without_accents_checks_in(page, demo):
    person = demo.take()
    result = open_scanner(page, demo)
    page.get_by_test_id('search-input').fill(without_accents(person['full_name']))
    row = page.locator(f'[data-delegate-id="{person["id"]}"]')
    row.get_by_role('button', name='Điểm danh').click()
    expect(result).to_have_attribute('data-state', 'checked_in')
    expect(row.locator('[data-checked-in]')).to_contain_text('Đã điểm danh lúc')
    assert demo.checkin_of(person)['method'] == 'search'


def test_the_board_in_another_page_follows_the_door_without_reloading(page, demo):
    person = demo.take()
    result = open_scanner(page, demo)
    board = page.context.new_page()
    board.goto(f'/forums/{demo.forum_id}/attendance')
    expect(board.get_by_test_id('live-status')).to_have_attribute('data-live', 'live')
    before = int(board.get_by_test_id('total-present').inner_text())
    board.evaluate('window.notReloaded = true')

    page.bring_to_front()
    page.get_by_test_id('scan-input').focus()
    scan_like_a_usb_scanner(page, person['code'])
    expect(result).to_have_attribute('data-state', 'checked_in')

    expect(board.get_by_test_id('total-present')).to_have_text(str(before + 1), timeout=10_000)
    hub_row = board.locator(f'tr[data-venue-id="{demo.hub_id}"] [data-field="checked_in"]')
    expect(hub_row).not_to_have_text('0')
    at_hub, rows = int(hub_row.inner_text()), board.locator('tr[data-venue-id]').count()
    attention = board.get_by_test_id('attention-count').inner_text()  # counts every row

    # The next event carries only the rows that changed, merged into the table.
    page.bring_to_front()
    page.get_by_test_id('scan-input').focus()
    scan_like_a_usb_scanner(page, demo.take()['code'])
    expect(board.get_by_test_id('total-present')).to_have_text(str(before + 2), timeout=10_000)
    expect(hub_row).to_have_text(str(at_hub + 1))
    expect(board.get_by_test_id('attention-count')).to_have_text(attention)
    assert board.locator('tr[data-venue-id]').count() == rows
    assert board.evaluate('window.notReloaded') is True


def test_a_board_that_missed_an_event_asks_for_the_whole_state_and_goes_on(page, demo):
    """The board follows the staff stream's versions (live-client.js): an event that skips
    versions means one was lost, so it asks for a snapshot instead of showing a wrong count."""
    result = open_scanner(page, demo)
    board = page.context.new_page()
    board.goto(f'/forums/{demo.forum_id}/attendance')
    expect(board.get_by_test_id('live-status')).to_have_attribute('data-live', 'live')
    present = board.get_by_test_id('total-present')
    before = int(present.inner_text())
    snapshots = board.evaluate('window.__live.snapshots')
    board.evaluate(
        """() => window.__live.feed('attendance', {
            version: window.__live.version + 1000, ts: Date.now() / 1000, partial: true,
            invited: 1, checked_in: 987654, checked_out: 0, walk_ins: 0, by_tier: {}, by_venue: [],
        })"""
    )
    deadline = time.monotonic() + 10  # (wait_for_function evaluates a string: the CSP forbids it)
    while True:
        count, waiting = board.evaluate('() => [window.__live.snapshots, window.__live.waiting]')
        if count > snapshots and not waiting:
            break
        assert time.monotonic() < deadline, 'the board did not ask for a snapshot'
        board.wait_for_timeout(50)
    assert board.evaluate('window.__live.resyncs') >= 1
    expect(present).to_have_text(str(before))  # the server's count, not the stray event's

    page.bring_to_front()
    page.get_by_test_id('scan-input').focus()
    scan_like_a_usb_scanner(page, demo.take()['code'])
    expect(result).to_have_attribute('data-state', 'checked_in')
    expect(present).to_have_text(str(before + 1), timeout=10_000)


def test_an_offline_scan_waits_on_the_phone_and_is_sent_when_the_network_returns(page, demo):
    person = demo.take()
    result = open_scanner(page, demo)
    pending = page.get_by_test_id('pending-count')
    expect(pending).to_have_attribute('data-count', '0')

    page.context.set_offline(True)
    scan_like_a_usb_scanner(page, f'{demo.server.url}/i/{person["code"]}')
    expect(pending).to_have_attribute('data-count', '1')
    expect(pending).to_have_text('1 lượt quét đang chờ gửi')
    expect(result).to_have_attribute('data-state', 'queued')
    assert demo.checkin_of(person) is None

    page.context.set_offline(False)
    expect(pending).to_have_attribute('data-count', '0', timeout=15_000)
    expect(result).to_have_attribute('data-state', 'checked_in')
    latest = page.get_by_test_id('recent').locator('li').first
    expect(latest).to_contain_text(person['full_name'])
    expect(latest).to_contain_text('gửi muộn')
    checkin = demo.checkin_of(person)
    assert checkin['venue_id'] == demo.hub_id and checkin['method'] == 'qr'


def test_the_scanner_fits_a_phone(page, demo):
    page.set_viewport_size({'width': 360, 'height': 740})
    open_scanner(page, demo)
    width = page.evaluate('document.documentElement.scrollWidth')
    assert width <= 360
    box = page.get_by_role('button', name='Bật camera').bounding_box()
    assert box['height'] >= 44  # a thumb's touch target


def fake_camera_video(path, payload: str, size: int = 480) -> None:
    """A Y4M video of a QR code held still in front of the camera (for Chromium's fake device)."""
    from forum.invitations.qr import qr_matrix

    matrix = qr_matrix(payload)
    modules = len(matrix) + 8  # with the quiet zone
    scale = size // modules
    offset = (size - len(matrix) * scale) // 2
    luma = bytearray(b'\xff' * size * size)
    for row, cells in enumerate(matrix):
        for column, dark in enumerate(cells):
            if dark:
                for y in range(offset + row * scale, offset + (row + 1) * scale):
                    start = y * size + offset + column * scale
                    luma[start : start + scale] = b'\x00' * scale
    chroma = b'\x80' * (size // 2) * (size // 2) * 2
    with open(path, 'wb') as video:
        video.write(f'YUV4MPEG2 W{size} H{size} F10:1 Ip A1:1 C420jpeg\n'.encode())
        for _frame in range(10):
            video.write(b'FRAME\n' + bytes(luma) + chroma)


def test_the_camera_reads_a_qr_code_once_while_it_is_held_up(browser, demo, tmp_path):
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    person = demo.take()
    video = tmp_path / 'qr.y4m'
    fake_camera_video(video, f'{demo.server.url}/i/{person["code"]}')
    camera_browser = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            '--use-fake-ui-for-media-stream',
            '--use-fake-device-for-media-stream',
            f'--use-file-for-fake-video-capture={video}',
        ],
    )
    try:
        context = watch_context(camera_browser.new_context(base_url=demo.server.url))
        page = context.new_page()
        page.set_default_timeout(10_000)
        result = open_scanner(page, demo)
        page.get_by_role('button', name='Bật camera').click()
        expect(result).to_have_attribute('data-state', 'checked_in', timeout=15_000)
        expect(result).to_contain_text(person['full_name'])
        expect(page.get_by_role('button', name='Tắt camera')).to_be_visible()
        page.wait_for_timeout(3500)  # the code stays in view: it must not be scanned again
        expect(page.get_by_test_id('recent').locator('li')).to_have_count(1)
        page.get_by_role('button', name='Tắt camera').click()
        assert page.evaluate("document.querySelector('video').srcObject") is None
    finally:
        camera_browser.close()


def test_a_walk_in_and_the_roll_call_answer_reach_the_board(page, demo):
    result = open_scanner(page, demo)
    board = page.context.new_page()
    board.goto(f'/forums/{demo.forum_id}/attendance')
    expect(board.get_by_test_id('live-status')).to_have_attribute('data-live', 'live')
    walk_ins = int(board.get_by_test_id('total-walk-ins').inner_text())
    hub_status = board.locator(
        f'tr[data-venue-id="{demo.hub_id}"] [data-field="connection_status"]'
    )

    page.bring_to_front()
    page.get_by_text('Khách không có trong danh sách').click()
    page.get_by_label('Họ và tên').fill('Phóng viên Báo Hà Giang')
    page.get_by_label('Đơn vị').fill('Báo Hà Giang')
    page.get_by_role('button', name='Đăng ký và điểm danh').click()
    expect(result).to_have_attribute('data-state', 'checked_in')
    expect(result).to_contain_text('Khách đăng ký tại chỗ')

    page.get_by_label('Ghi chú (khi có sự cố)').fill('Mất tiếng từ điểm cầu tỉnh')
    page.get_by_role('button', name='Có sự cố').click()
    expect(page.get_by_test_id('roll-call')).to_contain_text('Đã báo cáo lúc')

    expect(board.get_by_test_id('total-walk-ins')).to_have_text(str(walk_ins + 1))
    expect(hub_status).to_have_attribute('data-status', 'problem')
    expect(hub_status).to_have_css('background-color', 'rgb(220, 53, 69)')  # Bootstrap's danger
    expect(board.locator(f'tr[data-venue-id="{demo.hub_id}"]')).to_have_class(
        re.compile('table-danger')
    )
    hub_note = board.locator(f'tr[data-venue-id="{demo.hub_id}"] [data-field="status_note"]')
    expect(hub_note).to_have_text('Mất tiếng từ điểm cầu tỉnh')
    # a check-in at the point (a live update of its counts) keeps the note on the board
    checked_in = int(board.get_by_test_id('total-present').inner_text())
    person = demo.take()
    page.get_by_test_id('scan-input').focus()
    scan_like_a_usb_scanner(page, f'{demo.server.url}/i/{person["code"]}')
    expect(result).to_contain_text(person['full_name'])
    expect(board.get_by_test_id('total-present')).to_have_text(str(checked_in + 1))
    expect(hub_note).to_have_text('Mất tiếng từ điểm cầu tỉnh')
    page.get_by_label('Ghi chú (khi có sự cố)').fill('')
    page.get_by_role('button', name='Đã kết nối').click()
    expect(hub_status).to_have_attribute('data-status', 'connected')
    expect(hub_status).to_have_css('background-color', 'rgb(25, 135, 84)')  # Bootstrap's success
    expect(hub_note).to_have_text('')
