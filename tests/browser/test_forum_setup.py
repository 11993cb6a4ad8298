"""An organiser, in a real browser: sign in, create a forum, add all districts, see them."""

import re

from playwright.sync_api import expect


def test_organiser_creates_a_forum_and_adds_all_districts(page, sign_in_as_organiser):
    sign_in_as_organiser()
    expect(page.get_by_test_id('signed-in-as')).to_have_text('Ban Tổ Chức')

    page.get_by_role('link', name='Tạo hội nghị').click()
    page.get_by_label('Tên hội nghị').fill('Tọa đàm truyền thông chính sách (trình duyệt)')
    page.get_by_label('Cơ quan chủ trì').fill('Ủy ban nhân dân tỉnh Hà Giang')
    page.get_by_label('Ngày').fill('2023-05-23')
    page.get_by_label('Giờ bắt đầu').fill('08:00')
    page.get_by_label('Giờ kết thúc').fill('11:30')
    page.locator('[name="officials-0-name"]').fill('Trần Đức Quý')
    page.locator('[name="agenda-0-title"]').fill('Khai mạc')
    page.get_by_role('button', name='Thêm mục').click()
    page.locator('[name="agenda-2-title"]').fill('Kết luận của chủ trì')
    page.locator('[name="agenda-2-kind"]').select_option('conclusion')
    page.get_by_role('button', name='Lưu').click()

    expect(page.get_by_role('heading', level=1)).to_have_text(
        'Tọa đàm truyền thông chính sách (trình duyệt)'
    )
    expect(page.get_by_text('Kết luận của chủ trì')).to_be_visible()
    expect(page.get_by_test_id('venue-count-province')).to_have_text('1')

    page.get_by_role('link', name='Chọn điểm cầu').first.click()
    page.get_by_role('button', name='Thêm tất cả huyện').click()

    expect(page.get_by_text(re.compile('Đã thêm 11 và bỏ 0 điểm cầu'))).to_be_visible()
    districts = page.locator('[data-tier="district"] tbody tr')
    expect(districts).to_have_count(11)
    expect(page.locator('[data-tier="district"]')).to_contain_text('Huyện Đồng Văn')
    expect(page.locator('[data-tier="district"]')).to_contain_text('Thành phố Hà Giang')


def test_bad_forum_input_is_explained_in_the_page(page, sign_in_as_organiser):
    sign_in_as_organiser()
    page.goto('/forums/new')
    page.get_by_label('Cơ quan chủ trì').fill('UBND tỉnh')
    page.get_by_label('Ngày').fill('2023-05-23')
    page.get_by_label('Giờ bắt đầu').fill('10:00')
    page.get_by_label('Giờ kết thúc').fill('09:00')
    page.get_by_role('button', name='Lưu').click()
    expect(page.get_by_test_id('form-errors')).to_be_visible()
    expect(page.get_by_text('Giờ kết thúc phải sau giờ bắt đầu.')).to_be_visible()


def test_choosing_a_commune_by_hand_brings_its_district(page, sign_in_as_organiser, live_server):
    sign_in_as_organiser()
    page.goto('/forums/new')
    page.get_by_label('Tên hội nghị').fill('Hội nghị chọn xã')
    page.get_by_label('Cơ quan chủ trì').fill('UBND tỉnh Hà Giang')
    page.get_by_label('Ngày').fill('2023-06-01')
    page.get_by_role('button', name='Lưu').click()
    page.get_by_role('link', name='Chọn điểm cầu').first.click()
    page.locator('summary', has_text='Huyện Bắc Mê').locator('span').first.click()
    page.get_by_label('Xã Yên Định').check()
    expect(page.locator('input[data-district][value="031"]')).to_be_checked()
    page.get_by_role('button', name='Lưu lựa chọn').click()
    expect(page.locator('[data-tier="commune"]')).to_contain_text('Xã Yên Định')
    expect(page.locator('[data-tier="district"]')).to_contain_text('Huyện Bắc Mê')
