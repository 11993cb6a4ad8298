"""Invitations in a real browser: an organiser previews and imports a list and downloads a
bridge point's invitations; a delegate opens their link and accepts."""

import io

import pypdf
from playwright.sync_api import expect

from tests.browser.conftest import ORGANISER

LIST_CSV = (
    '\ufeffHọ và tên,Chức vụ,Đơn vị,Điểm cầu,Email\n'
    'Giàng Mí Páo,Chủ tịch UBND xã,UBND xã Lũng Cú,Xã Lũng Cú,pao@lungcu.example\n'
    'Vừ Thị Dở,Công chức Văn hóa - Xã hội,UBND xã Lũng Cú,00715,\n'
).encode()


def organiser_headers(page, live_server) -> dict:
    response = page.request.post(
        f'{live_server.url}/api/v1/auth/token',
        data={'email': ORGANISER[0], 'password': ORGANISER[1]},
    )
    return {'Authorization': f'Bearer {response.json()["token"]}'}


def test_import_download_and_accept(page, browser, live_server, sign_in_as_organiser):
    live_server.cli('seed-demo', '--delegates', '300')
    sign_in_as_organiser()
    page.get_by_role('link', name='Công tác truyền thông chính sách').first.click()
    page.get_by_role('link', name='Đại biểu', exact=True).click()
    page.get_by_role('link', name='Nhập danh sách').click()
    page.locator('input[type="file"]').set_input_files(
        files=[{'name': 'lung-cu.csv', 'mimeType': 'text/csv', 'buffer': LIST_CSV}]
    )
    page.get_by_role('button', name='Xem trước').click()
    expect(page.get_by_test_id('count-created')).to_have_text('2')
    expect(page.get_by_test_id('count-errors')).to_have_text('0')
    page.get_by_test_id('confirm-form').get_by_role('button', name='Nhập').click()
    expect(page.get_by_role('alert').first).to_contain_text('2')

    forum_url = page.url.split('/delegates')[0]
    page.goto(f'{forum_url}/invitations')
    row = page.locator('[data-testid="by-venue"] tr', has_text='Xã Lũng Cú')
    with page.expect_download() as download_info:
        row.get_by_test_id('venue-pdf').click()
    pdf = pypdf.PdfReader(io.BytesIO(open(download_info.value.path(), 'rb').read()))
    text = '\n'.join(p.extract_text() for p in pdf.pages)
    assert 'Giàng Mí Páo' in text and 'Vừ Thị Dở' in text
    assert 'GIẤY MỜI' in text

    forum_id = int(forum_url.rstrip('/').rsplit('/', 1)[1])
    found = page.request.get(
        f'{live_server.url}/api/v1/forums/{forum_id}/delegates',
        params={'q': 'giang mi pao'},
        headers=organiser_headers(page, live_server),
    ).json()
    code = found['items'][0]['code']

    delegate = browser.new_context(base_url=live_server.url).new_page()
    delegate.goto(f'/i/{code}')
    expect(delegate.get_by_test_id('delegate-name')).to_have_text('Giàng Mí Páo')
    delegate.get_by_label('Tôi sẽ tham dự').check()
    delegate.get_by_role('button', name='Gửi trả lời').click()
    expect(delegate.get_by_test_id('rsvp-state')).to_contain_text('đã xác nhận tham dự')

    page.reload()
    lung_cu = page.locator('[data-testid="by-venue"] tr', has_text='Xã Lũng Cú')
    expect(lung_cu.locator('td.text-success')).to_have_text('1')
