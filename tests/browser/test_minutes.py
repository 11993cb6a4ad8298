"""A secretary, in a real browser, from a finished forum to both documents: types the
conclusions (saved as typed), adds tasks, downloads the BIÊN BẢN and the THÔNG BÁO, issues the
minutes and finds version 1 listed, its PDF identical to the checksum shown.

The forum is closed on the way, so this module runs its own server and database: the shared
demo forum of the other browser tests stays open for check-in.
"""

import hashlib
import io
import re

import pypdf
import pytest
from playwright.sync_api import expect

from tests.servers import LiveServer, call_api

DEMO_PASSWORD = 'hagiang2023'
DEMO_ORGANISER = 'organiser@hagiang.example'
SECRETARY = ('thuky@browser.test', 'thu-ky-pass-1', 'Lê Thị Ưng')
ANSWER = 'Sở Thông tin và Truyền thông hướng dẫn nguồn kinh phí trong tháng 6.'
CONCLUSIONS = (
    'Tọa đàm thành công tốt đẹp; các ý kiến đều tâm huyết.\n'
    '- Đồng chí Đặng Ưng Ơn tiếp thu, hoàn thiện cơ chế phối hợp.'
)


@pytest.fixture(scope='module')
def live_server(tmp_path_factory):
    """This module's own server: the demo with 60 delegates and a secretary's account."""
    server = LiveServer(tmp_path_factory.mktemp('minutes'), secret_key='minutes-browser-test')
    server.cli('db', 'upgrade')
    server.cli('units', 'load')
    server.cli('users', 'create', '--email', SECRETARY[0], '--password', SECRETARY[1],
               '--role', 'secretary', '--name', SECRETARY[2])  # fmt: skip
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope='module')
def finished_forum(live_server, browser):
    """The demo forum after the meeting: check-ins at the hub and two answered questions, then
    closed by the organiser on the forum's page."""
    output = live_server.cli('seed-demo', '--delegates', '60')
    forum_id = int(re.search(r'Demo forum (\d+)', output).group(1))
    token = call_api(
        live_server, '/api/v1/auth/token', body={'email': DEMO_ORGANISER, 'password': DEMO_PASSWORD}
    )['token']
    people = call_api(live_server, f'/api/v1/forums/{forum_id}/delegates?per_page=500',
                      token=token)['items']  # fmt: skip
    for person in people[:12]:
        call_api(live_server, f'/api/v1/forums/{forum_id}/checkins', token=token,
                 body={'code': person['code'], 'venue_id': person['venue_id']})  # fmt: skip
    asked = []
    for person, text in zip(people[:2], ['Kinh phí truyền thông ở xã lấy từ đâu?',
                                         'Đề nghị tập huấn kỹ năng cho cán bộ thôn.'],
                            strict=True):  # fmt: skip
        created = call_api(live_server, f'/api/v1/forums/{forum_id}/questions',
                           body={'text': text, 'code': person['code']})  # fmt: skip
        for change in (
            {'status': 'approved'},
            {'status': 'answered', 'response': ANSWER, 'answered_by': 'Giám đốc Sở'},
        ):
            call_api(live_server, f'/api/v1/questions/{created["id"]}', token=token, body=change,
                     method='PATCH')  # fmt: skip
        asked.append((text, person['full_name']))

    context = browser.new_context(base_url=live_server.url)
    organiser = context.new_page()
    organiser.goto('/login')
    organiser.get_by_label('Email').fill(DEMO_ORGANISER)
    organiser.get_by_label('Mật khẩu').fill(DEMO_PASSWORD)
    organiser.get_by_role('button', name='Đăng nhập').click()
    organiser.wait_for_url('**/forums')
    organiser.goto(f'/forums/{forum_id}')
    for status in ('Đang diễn ra', 'Đã kết thúc'):
        organiser.get_by_role('button', name=f'Chuyển sang: {status}').click()
        expect(organiser.get_by_test_id('forum-status')).to_have_text(status)
    context.close()
    return {'id': forum_id, 'checked_in': 12, 'asked': asked}


@pytest.fixture(autouse=True)
def no_script_errors(page):
    errors = []
    page.on('pageerror', lambda error: errors.append(f'{page.url}: {error}'))
    yield
    assert errors == []


def pdf_text(download) -> str:
    with open(download.path(), 'rb') as handle:
        reader = pypdf.PdfReader(io.BytesIO(handle.read()))
    return ' '.join(' '.join(page.extract_text().split()) for page in reader.pages)


def download_from_job_page(page):
    """On a job's page: the progress bar fills, the download button appears; the file."""
    button = page.get_by_test_id('job-download')
    expect(button).to_be_visible(timeout=20_000)
    expect(page.locator('[data-job]')).to_have_attribute('data-state', 'done')
    with page.expect_download() as download:
        button.click()
    return download.value


def test_a_secretary_writes_and_issues_the_minutes(page, finished_forum):
    page.goto('/login')
    page.get_by_label('Email').fill(SECRETARY[0])
    page.get_by_label('Mật khẩu').fill(SECRETARY[1])
    page.get_by_role('button', name='Đăng nhập').click()
    page.wait_for_url('**/forums')
    page.goto(f'/forums/{finished_forum["id"]}')
    expect(page.get_by_test_id('notice-deadline')).to_contain_text('ngày 30 tháng 5 năm 2023')
    page.get_by_role('link', name='Biên bản', exact=True).click()
    expect(page.get_by_role('heading', level=1)).to_have_text('Biên bản và thông báo kết luận')
    expect(page.get_by_label('Thư ký: họ và tên')).to_have_value(SECRETARY[2])

    status = page.get_by_test_id('save-status')
    page.get_by_label('Kết luận của chủ tọa').fill(CONCLUSIONS)
    expect(status).to_have_text(re.compile(r'^Đã lưu lúc \d\d:\d\d$'))
    expect(page.get_by_test_id('history')).to_contain_text('Bản nháp 1')

    page.get_by_label('Số biên bản').fill('05/BB-UBND')
    page.get_by_label('Số thông báo kết luận').fill('12/TB-UBND')
    tasks = page.get_by_test_id('tasks')
    tasks.get_by_label('Cơ quan thực hiện').last.fill('Sở Thông tin và Truyền thông')
    tasks.get_by_label('Nội dung nhiệm vụ').last.fill('Tổng hợp ý kiến, tham mưu UBND tỉnh')
    tasks.get_by_label('Thời hạn').last.fill('2023-06-15')
    page.get_by_role('button', name='Thêm nhiệm vụ').click()
    tasks.get_by_label('Cơ quan thực hiện').last.fill('UBND các huyện, thành phố')
    tasks.get_by_label('Nội dung nhiệm vụ').last.fill('Kiện toàn tổ truyền thông cơ sở')
    expect(status).to_have_text(re.compile(r'^Đã lưu lúc'))
    expect(page.get_by_test_id('history')).to_contain_text('Nhiệm vụ')

    page.get_by_test_id('minutes-pdf').click()  # made by a job: its page offers the file
    minutes = pdf_text(download_from_job_page(page))
    assert 'BIÊN BẢN' in minutes and 'Số: 05/BB-UBND' in minutes
    assert 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM' in minutes
    assert '- Đồng chí Đặng Ưng Ơn tiếp thu, hoàn thiện cơ chế phối hợp.' in minutes
    assert f'có mặt {finished_forum["checked_in"]} người' in minutes
    for question, author in finished_forum['asked']:
        assert question in minutes and author in minutes
    assert f'Trả lời của Giám đốc Sở: {ANSWER}' in minutes
    assert '2. UBND các huyện, thành phố: Kiện toàn tổ truyền thông cơ sở.' in minutes

    page.go_back()
    page.get_by_test_id('notice-pdf').click()
    notice = pdf_text(download_from_job_page(page))
    page.get_by_role('link', name='Quay lại').click()
    assert 'THÔNG BÁO' in notice and 'Số: 12/TB-UBND' in notice
    assert 'Thời hạn: trước ngày 15/6/2023.' in notice

    page.once('dialog', lambda dialog: dialog.accept())
    page.get_by_test_id('issue-minutes').click()
    expect(page.get_by_role('alert').first).to_contain_text(
        'Đã ban hành biên bản số 05/BB-UBND, phiên bản 1.'
    )
    issued = page.get_by_test_id('issued').locator('li')
    expect(issued).to_have_count(1)
    expect(issued.first).to_contain_text('Phiên bản 1')
    expect(page.get_by_test_id('forum-status')).to_have_text('Đã ban hành biên bản')
    checksum = issued.first.get_by_test_id('checksum').inner_text()
    with page.expect_download() as issued_download:
        issued.first.get_by_role('link', name='Tải PDF đã ban hành').click()
    with open(issued_download.value.path(), 'rb') as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == checksum
