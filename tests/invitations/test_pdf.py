"""The GIẤY MỜI generator on plain data: Vietnamese text, the decree's page, a readable QR each."""

import io
import secrets
from dataclasses import replace
from datetime import date, time

import pypdf
import pypdfium2
import pytest
from reportlab.lib.units import mm

from forum.documents.agenda import AgendaLine
from forum.invitations.pdf import (
    AGENDA_ELSEWHERE,
    InvitationCard,
    InvitationDocument,
    InvitationForum,
    dated_line,
    render_invitations,
    when_text,
)
from tests.invitations.pdfs import page_qr_codes, page_texts

BASE_URL = 'http://127.0.0.1:8000'
A4_POINTS = (595.28, 841.89)

FORUM = InvitationForum(
    title='Tọa đàm “Công tác truyền thông chính sách: Nhận thức - Hành động - Nguồn lực”',
    host_body='Ủy ban nhân dân tỉnh Hà Giang',
    issuer_lines=('Ủy ban nhân dân tỉnh Hà Giang',),
    locality='Hà Giang',
    held_on=date(2023, 5, 23),
    starts_at=time(8, 0),
    ends_at=time(11, 30),
    theme='Triển khai Chỉ thị số 07/CT-TTg ngày 21/3/2023 của Thủ tướng Chính phủ.',
    place='Hội trường tầng 3, trụ sở UBND tỉnh Hà Giang',
    agenda=(
        AgendaLine('Tuyên bố lý do, giới thiệu đại biểu', time(8, 0), 'Chánh Văn phòng Sở'),
        AgendaLine('Phát biểu khai mạc', time(8, 10), 'Đồng chí Vũ Quang Khải'),
        AgendaLine('Thảo luận: ý kiến, kiến nghị của đại biểu các điểm cầu', time(9, 30)),
        AgendaLine('Phát biểu kết luận', time(11, 0), 'Đồng chí Vũ Quang Khải'),
    ),
    chairs=('Đồng chí Vũ Quang Khải, Phó Chủ tịch UBND tỉnh',),
    signer_name='Vũ Quang Khải',
)


def card(full_name: str, **fields) -> InvitationCard:
    values = {
        'url': f'{BASE_URL}/i/{secrets.token_urlsafe(16)}',
        'short_code': 'ACDEFGHJ',
        'position': 'Phó Chủ tịch UBND xã',
        'body': 'Ủy ban nhân dân xã Lũng Cú, huyện Đồng Văn',
        'venue_name': 'xã Lũng Cú',
        'venue_address': 'Hội trường UBND xã Lũng Cú, huyện Đồng Văn',
        'join_url': 'https://hop.hagiang.gov.vn/toa-dam-2023/00715',
    }
    return InvitationCard(full_name=full_name, **{**values, **fields})


CARDS = [
    card('Nguyễn Thị Thảo', short_code='KMNPQRTU'),
    card('Đặng Ưng Ơn', short_code='VWXY3467', venue_name='huyện Đồng Văn', venue_address=''),
    card(
        'Sùng Mí Chứ',
        short_code='ACDE9FGH',
        position='Trưởng thôn Lô Lô Chải',
        body='',
        join_url='https://hop.hagiang.gov.vn/' + 'a-very-long-meeting-path/' * 6 + 'end',
    ),
]


@pytest.fixture(scope='module')
def pdf() -> bytes:
    return render_invitations(FORUM, CARDS)


def test_one_a4_page_per_delegate(pdf):
    reader = pypdf.PdfReader(io.BytesIO(pdf))

    assert len(reader.pages) == len(CARDS)
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            A4_POINTS, abs=0.01
        )


def test_text_extracts_back_in_vietnamese(pdf):
    texts = page_texts(pdf)

    for text, delegate in zip(texts, CARDS, strict=True):
        assert 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM' in text
        assert 'Độc lập - Tự do - Hạnh phúc' in text
        assert 'GIẤY MỜI' in text
        assert 'ỦY BAN NHÂN DÂN' in text and 'TỈNH HÀ GIANG' in text
        assert 'Số: ........../GM-UBND' in text
        assert 'Hà Giang, ngày tháng năm 2023' in text  # day and month left for the clerk
        assert f'Kính gửi: Ông/Bà {delegate.full_name}, {delegate.position}' in text
        assert f'điểm cầu {delegate.venue_name}' in text
        assert 'Từ 08 giờ 00 đến 11 giờ 30, thứ Ba, ngày 23/5/2023.' in text
        assert 'Phát biểu khai mạc – Đồng chí Vũ Quang Khải' in text
        assert 'TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH' in text
        assert delegate.short_code in text
        assert 'Quét mã để xem giấy mời, xác nhận tham dự' in text
        assert 'Nơi nhận:' in text and 'Lưu: VT.' in text
    assert 'Nguyễn Thị Thảo' in texts[0] and 'Đặng Ưng Ơn' in texts[1]


def test_every_page_qr_decodes_to_its_delegates_url(pdf):
    codes = page_qr_codes(pdf, dpi=150)

    assert codes == [[delegate.url] for delegate in CARDS]


def test_text_keeps_within_the_decree_margins(pdf):
    """Left 30 mm, right 15 mm, top and bottom 20 mm; a long link is cut to fit."""
    document = pypdfium2.PdfDocument(pdf)
    width, height = A4_POINTS
    for page in document:
        text = page.get_textpage()
        boxes = [
            text.get_charbox(index)
            for index in range(text.count_chars())
            if not text.get_text_range(index, 1).isspace()
        ]
        assert min(left for left, _b, _r, _t in boxes) >= 30 * mm - 0.5
        assert max(right for _l, _b, right, _t in boxes) <= width - 15 * mm + 0.5
        assert max(top for _l, _b, _r, top in boxes) <= height - 20 * mm + 0.5
        assert min(bottom for _l, bottom, _r, _t in boxes) >= 20 * mm - 0.5
        # Justified lines end on the right margin.
        assert max(right for _l, _b, right, _t in boxes) >= width - 15 * mm - 1.5
    document.close()


def test_body_is_13_point_when_the_page_allows():
    assert InvitationDocument(FORUM, CARDS).size == 13


def test_fonts_are_liberation_serif_embedded():
    reader = pypdf.PdfReader(io.BytesIO(render_invitations(FORUM, CARDS[:1])))
    fonts = _all_fonts(reader)

    assert fonts
    for font in fonts:
        assert 'LiberationSerif' in font['/BaseFont']
        descriptor = font['/FontDescriptor'].get_object()
        assert '/FontFile2' in descriptor  # the TrueType subset travels with the file


def _all_fonts(reader: pypdf.PdfReader) -> list:
    """Every font of the pages and of the forms they draw."""
    seen, fonts, stack = set(), [], [page['/Resources'] for page in reader.pages]
    while stack:
        resources = stack.pop().get_object()
        for ref in resources.get('/Font', {}).values():
            if ref.idnum not in seen:
                seen.add(ref.idnum)
                fonts.append(ref.get_object())
        for ref in resources.get('/XObject', {}).values():
            xobject = ref.get_object()
            if ref.idnum not in seen and '/Resources' in xobject:
                seen.add(ref.idnum)
                stack.append(xobject['/Resources'])
    return fonts


def test_a_programme_too_long_for_the_page_is_left_to_the_delegates_page():
    agenda = tuple(AgendaLine(f'Tham luận số {n} về truyền thông chính sách', time(9, n))
                   for n in range(40))  # fmt: skip
    forum = replace(FORUM, agenda=agenda)

    pdf = render_invitations(forum, CARDS)

    texts = page_texts(pdf)
    assert len(texts) == len(CARDS)
    assert all(AGENDA_ELSEWHERE in text for text in texts)
    assert page_qr_codes(pdf) == [[delegate.url] for delegate in CARDS]


def test_a_long_list_of_agenda_items_takes_a_smaller_size_before_leaving_out_the_programme():
    agenda = tuple(
        AgendaLine(f'Tham luận số {n}: truyền thông chính sách ở cơ sở', time(9, n), 'Đại biểu')
        for n in range(18)
    )

    document = InvitationDocument(replace(FORUM, agenda=agenda), CARDS)

    assert document.full_agenda
    assert 11 <= document.size < 13


def test_the_same_data_gives_the_same_bytes():
    assert render_invitations(FORUM, CARDS[:1]) == render_invitations(FORUM, CARDS[:1])


def test_no_cards_is_an_error():
    with pytest.raises(ValueError):
        render_invitations(FORUM, [])


@pytest.mark.parametrize(
    ('day', 'expected'),
    [
        (date(2023, 5, 23), 'Hà Giang, ngày 23 tháng 5 năm 2023'),
        (date(2024, 1, 5), 'Hà Giang, ngày 05 tháng 01 năm 2024'),  # zeros the decree asks
        (date(2024, 12, 9), 'Hà Giang, ngày 09 tháng 12 năm 2024'),
        (None, 'Hà Giang, ngày      tháng      năm 2023'),
    ],
)
def test_the_dated_line_follows_the_decree(day, expected):
    assert dated_line('Hà Giang', day, 2023) == expected


def test_the_time_names_the_weekday():
    assert when_text(FORUM) == 'Từ 08 giờ 00 đến 11 giờ 30, thứ Ba, ngày 23/5/2023.'
    sunday = replace(FORUM, held_on=date(2024, 2, 4), ends_at=None)
    assert when_text(sunday) == 'Vào lúc 08 giờ 00, Chủ nhật, ngày 04/02/2024.'
