"""The generators on plain data: the decree's page, Vietnamese text, the annex, speed."""

import io
import time
from collections import Counter
from dataclasses import replace

import pypdf
import pypdfium2
import pytest
from reportlab.lib.units import mm

from forum.documents import page as decree_page
from forum.minutes.pdf import PAGE_NUMBER_BASELINE, render_minutes, render_notice
from forum.minutes.records import PointItems, RaisedItem
from tests.invitations.pdfs import page_texts
from tests.minutes import samples

A4_POINTS = (595.28, 841.89)


@pytest.fixture(scope='module')
def minutes_pdf() -> bytes:
    return render_minutes(samples.minutes(rows=300))


@pytest.fixture(scope='module')
def notice_pdf() -> bytes:
    return render_notice(samples.notice())


def test_pages_are_a4(minutes_pdf, notice_pdf):
    for pdf in (minutes_pdf, notice_pdf):
        for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
            size = (float(page.mediabox.width), float(page.mediabox.height))
            assert size == pytest.approx(A4_POINTS, abs=0.01)


def test_the_decree_margins_are_the_drawing_constants():
    assert 20 * mm <= decree_page.MARGIN_TOP <= 25 * mm
    assert 20 * mm <= decree_page.MARGIN_BOTTOM <= 25 * mm
    assert 30 * mm <= decree_page.MARGIN_LEFT <= 35 * mm
    assert 15 * mm <= decree_page.MARGIN_RIGHT <= 20 * mm


@pytest.mark.parametrize('name', ['minutes_pdf', 'notice_pdf'])
def test_every_character_keeps_within_the_decree_margins(request, name):
    """Left 30 mm, right 15 mm, bottom 20 mm; above the top margin only the page number."""
    document = pypdfium2.PdfDocument(request.getfixturevalue(name))
    width, height = A4_POINTS
    for index, page in enumerate(document):
        text = page.get_textpage()
        boxes = [
            text.get_charbox(i)
            for i in range(text.count_chars())
            if not text.get_text_range(i, 1).isspace()
        ]
        body = [box for box in boxes if box[1] < PAGE_NUMBER_BASELINE - 2]
        assert min(left for left, _b, _r, _t in boxes) >= 30 * mm - 0.5
        assert max(right for _l, _b, right, _t in boxes) <= width - 15 * mm + 0.5
        assert min(bottom for _l, bottom, _r, _t in boxes) >= 20 * mm - 0.5
        assert max(top for _l, _b, _r, top in body) <= height - 20 * mm + 0.5
        numbers = [box for box in boxes if box[1] >= PAGE_NUMBER_BASELINE - 2]
        if index:  # the page number, centred in the top margin, from page 2 on
            assert numbers and all(
                bottom >= height - 20 * mm and top <= height - 8 * mm
                for _l, bottom, _r, top in numbers
            )
        else:
            assert not numbers
    document.close()


def test_justified_lines_reach_the_right_margin(notice_pdf):
    document = pypdfium2.PdfDocument(notice_pdf)
    text = document[0].get_textpage()
    rights = [text.get_charbox(i)[2] for i in range(text.count_chars())]
    assert max(rights) >= A4_POINTS[0] - 15 * mm - 1.5
    document.close()


def test_the_minutes_read_back_in_vietnamese(minutes_pdf):
    text = ' '.join(page_texts(minutes_pdf))

    assert 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM' in text
    assert 'Độc lập - Tự do - Hạnh phúc' in text
    assert 'ỦY BAN NHÂN DÂN TỈNH HÀ GIANG' in text
    assert 'BIÊN BẢN' in text and 'Số: 05/BB-UBND' in text
    assert 'Hà Giang, ngày 23 tháng 5 năm 2023' in text
    assert 'Nguyễn Thị Thảo' in text and 'Đặng Ưng Ơn' in text
    assert samples.ANSWERED.response in text
    assert 'THƯ KÝ' in text and 'CHỦ TỌA' in text and 'Nguyễn Thị Hồng Nhung' in text
    assert text.rstrip().endswith(samples.minutes(rows=300).annex[-1].rows[-1][3])
    assert 'PHỤ LỤC' in text and 'DANH SÁCH ĐẠI BIỂU THAM DỰ THEO ĐIỂM CẦU' in text


def test_the_notice_reads_back_in_vietnamese(notice_pdf):
    text = ' '.join(page_texts(notice_pdf))

    assert 'THÔNG BÁO' in text and 'Số: 12/TB-UBND' in text
    assert 'Hà Giang, ngày 29 tháng 5 năm 2023' in text
    assert 'Kết luận của đồng chí Vũ Quang Khải, Phó Chủ tịch UBND tỉnh tại Tọa đàm' in text
    assert 'ưu tiên đào tạo đội ngũ Đặng Ưng Ơn' in text
    assert '1. Sở Thông tin và Truyền thông: Tổng hợp ý kiến, tham mưu UBND tỉnh.' in text
    assert '- Lưu: VT.' in text


def test_every_annex_row_is_printed_once(minutes_pdf):
    text = ' '.join(page_texts(minutes_pdf))
    data = samples.minutes(rows=300)

    rows = [row for point in data.annex for row in point.rows]
    assert len(rows) == 300
    position = 0
    for serial, (name, *_rest) in enumerate(rows, 1):
        position = text.index(f'{serial} {name}', position)  # in order, each after the last


def test_a_long_item_breaks_across_pages_inside_the_margins():
    text = 'Đề nghị tỉnh bố trí kinh phí cho truyền thông chính sách ở cơ sở. ' * 60
    item = RaisedItem('Đặng Ưng Ơn', text, answered=True, answered_by='Sở', response=text)
    data = samples.minutes(rows=0, raised=(PointItems('Xã Lũng Cú', (item,)),))

    pdf = render_minutes(data)

    assert len(page_texts(pdf)) >= 3
    document = pypdfium2.PdfDocument(pdf)
    for page in document:
        textpage = page.get_textpage()
        bottoms = [textpage.get_charbox(i)[1] for i in range(textpage.count_chars())]
        assert min(bottoms) >= 20 * mm - 0.5
    document.close()


def test_fonts_are_liberation_serif_embedded(notice_pdf):
    reader = pypdf.PdfReader(io.BytesIO(notice_pdf))
    fonts = [
        font.get_object() for page in reader.pages for font in page['/Resources']['/Font'].values()
    ]
    assert fonts
    for font in fonts:
        assert 'LiberationSerif' in font['/BaseFont']
        assert '/FontFile2' in font['/FontDescriptor'].get_object()


def test_the_same_data_gives_the_same_bytes():
    data = samples.minutes(rows=50)
    assert render_minutes(data) == render_minutes(data)
    assert render_minutes(data) != render_minutes(replace(data, number='06/BB-UBND'))


def test_without_a_number_the_clerk_gets_room_to_write_it():
    pdf = render_minutes(samples.minutes(rows=0, number=''))

    assert 'Số: /BB-UBND' in page_texts(pdf)[0]


def test_two_thousand_annex_rows_take_well_under_two_seconds():
    data = samples.minutes(rows=2100)
    started = time.perf_counter()
    pdf = render_minutes(data)
    elapsed = time.perf_counter() - started

    assert elapsed < 2.0
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) > 40


def test_the_body_is_13_point(notice_pdf):
    """The decree asks 13–14 pt: the size most characters are set in."""
    document = pypdfium2.PdfDocument(notice_pdf)
    textpage = document[0].get_textpage()
    sizes = Counter(
        round(pypdfium2.raw.FPDFText_GetFontSize(textpage.raw, index), 1)
        for index in range(textpage.count_chars())
    )
    document.close()

    assert sizes.most_common(1)[0][0] == 13
