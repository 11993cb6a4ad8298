"""The Word exports read back with python-docx: the same content, the decree's page."""

import io

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from forum.minutes.docx import minutes_docx, notice_docx
from tests.minutes import samples


@pytest.fixture(scope='module')
def minutes_file():
    return docx.Document(io.BytesIO(minutes_docx(samples.minutes(rows=120))))


@pytest.fixture(scope='module')
def notice_file():
    return docx.Document(io.BytesIO(notice_docx(samples.notice())))


def all_text(document) -> str:
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return '\n'.join(parts)


@pytest.mark.parametrize('name', ['minutes_file', 'notice_file'])
def test_a4_with_the_decree_margins(request, name):
    section = request.getfixturevalue(name).sections[0]

    assert section.page_width.mm == pytest.approx(210, abs=0.1)
    assert section.page_height.mm == pytest.approx(297, abs=0.1)
    assert 20 <= section.top_margin.mm <= 25 and 20 <= section.bottom_margin.mm <= 25
    assert 30 <= section.left_margin.mm <= 35 and 15 <= section.right_margin.mm <= 20


@pytest.mark.parametrize('name', ['minutes_file', 'notice_file'])
def test_times_new_roman_13_point(request, name):
    normal = request.getfixturevalue(name).styles['Normal']

    assert normal.font.name == 'Times New Roman'
    assert normal.font.size.pt == 13
    fonts = normal.element.rPr.rFonts
    assert fonts.get(qn('w:hAnsi')) == fonts.get(qn('w:cs')) == 'Times New Roman'


def test_the_minutes_say_what_the_pdf_says(minutes_file):
    text = all_text(minutes_file)

    assert 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM' in text
    assert 'Độc lập - Tự do - Hạnh phúc' in text
    assert 'BIÊN BẢN' in text and 'Số: 05/BB-UBND' in text
    assert 'Nguyễn Thị Thảo' in text and 'Đặng Ưng Ơn' in text
    assert samples.ANSWERED.response in text
    assert '+ Cấp xã (193 điểm cầu): mời 1.425, có mặt 950.' in text
    assert 'Nơi nhận:' in text and '- Lưu: VT.' in text
    assert 'THƯ KÝ' in text and 'CHỦ TỌA' in text


def test_body_paragraphs_are_justified_with_a_first_line_indent(minutes_file):
    body = next(p for p in minutes_file.paragraphs if p.text.startswith('2. Địa điểm:'))

    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert body.paragraph_format.first_line_indent.mm == pytest.approx(10, abs=0.1)


def test_the_annex_is_a_table_with_every_delegate(minutes_file):
    table = minutes_file.tables[-1]
    data = samples.minutes(rows=120)
    rows = [row for point in data.annex for row in point.rows]

    header = [cell.text for cell in table.rows[0].cells]
    assert header == ['TT', 'Họ và tên', 'Chức vụ', 'Đơn vị', 'Điểm danh']
    assert table.rows[0]._tr.trPr.find(qn('w:tblHeader')) is not None  # repeated on each page
    cells = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    delegates = [row for row in cells if row[0].isdigit()]
    assert [row[1:] for row in delegates] == [list(row) for row in rows]
    assert cells[0][0].startswith('Điểm cầu Xã số 0 (cấp tỉnh, đã kết nối)')


def test_the_notice_puts_recipients_beside_the_signature(notice_file):
    recipients, signature = notice_file.tables[-1].rows[0].cells

    assert recipients.text.startswith('Nơi nhận:') and recipients.text.endswith('- Lưu: VT.')
    assert signature.text.startswith('TM. ỦY BAN NHÂN DÂN') and 'Vũ Quang Khải' in signature.text
