"""Reading and checking delegate lists without a database: encodings, headers, values, twins."""

import unicodedata

import pytest

from forum.delegates.cleaning import ROLE_NAMES, VenueRef, clean_phone, clean_role
from forum.delegates.importing import MAX_ROWS, ListColumn, parse_delegate_list
from forum.delegates.labels import DELEGATE_ROLE_LABELS
from forum.delegates.models import DelegateRole
from tests.delegates.files import HEADER, csv_bytes, csv_text, xlsx_bytes

VENUES = [
    VenueRef(1, '02', 'Tỉnh Hà Giang'),
    VenueRef(2, '024', 'Thành phố Hà Giang'),
    VenueRef(3, '00688', 'Phường Quang Trung'),
    VenueRef(4, '026', 'Huyện Đồng Văn'),
    VenueRef(5, '00721', 'Thị trấn Đồng Văn'),
    VenueRef(6, '00742', 'Xã Tả Lủng'),
    VenueRef(7, '00796', 'Xã Tả Lủng'),
    VenueRef(8, '00928', 'Xã Thanh Thủy'),
]
ROWS = [
    HEADER,
    [
        1,
        'Nguyễn Thị Thảo',
        'Chủ tịch',
        'UBND phường Quang Trung',
        'Phường Quang Trung',
        'thaont@hagiang.gov.vn',
        '0912 345 678',
    ],
    [2, 'Vàng Mí Sử', 'Bí thư', 'Đảng ủy xã Tả Lủng', '00742', '', '+84 868 123 456'],
    [3, 'Đặng Văn Hòa', 'Phó Chủ tịch', 'UBND huyện Đồng Văn', 'Huyện Đồng Văn', '', ''],
]


def parse(data: bytes, filename: str = 'list.csv'):
    return parse_delegate_list(data, filename, VENUES)


def summary(parsed) -> list[tuple]:
    return [(r.row, r.full_name, r.venue.unit_code) for r in parsed.rows]


def problems(parsed) -> list[tuple]:
    return [(p.row, p.column, p.message) for p in parsed.problems]


EXPECTED = [
    (2, 'Nguyễn Thị Thảo', '00688'),
    (3, 'Vàng Mí Sử', '00742'),
    (4, 'Đặng Văn Hòa', '026'),
]


@pytest.mark.parametrize(
    'encoding', ['utf-8', 'utf-8-sig', 'utf-16', 'utf-16-le-bom', 'utf-16-be-bom', 'cp1258']
)
def test_csv_reads_the_same_in_every_encoding_excel_writes(encoding):
    parsed = parse(csv_bytes(ROWS, encoding))
    assert problems(parsed) == []
    assert summary(parsed) == EXPECTED
    assert all(unicodedata.is_normalized('NFC', r.full_name) for r in parsed.rows)


def test_windows_1258_tones_arrive_decomposed_and_are_composed():
    data = csv_bytes(ROWS, 'cp1258')
    assert 'Thảo'.encode('cp1258', errors='replace') not in data  # really decomposed
    assert parse(data).rows[0].full_name == 'Nguyễn Thị Thảo'


def test_utf16_without_a_bom_is_recognised():
    text = csv_text(ROWS, '\t')
    assert summary(parse(text.encode('utf-16-le'))) == EXPECTED
    assert summary(parse(text.encode('utf-16-be'))) == EXPECTED


@pytest.mark.parametrize('delimiter', [',', ';', '\t'])
def test_the_delimiter_is_detected(delimiter):
    assert summary(parse(csv_bytes(ROWS, delimiter=delimiter))) == EXPECTED


def test_commas_inside_cells_do_not_fool_the_semicolon_detection():
    body = 'Sở Văn hóa, Thể thao và Du lịch, tỉnh Hà Giang'
    rows = [HEADER] + [r[:3] + [body] + r[4:] for r in ROWS[1:]]
    parsed = parse(csv_bytes(rows, delimiter=';'))
    assert summary(parsed) == EXPECTED
    assert parsed.rows[0].values[ListColumn.BODY] == body


def test_xlsx_with_numbers_where_excel_dropped_the_leading_zeros():
    rows = [HEADER, [1, 'Nguyễn Thị Thảo', 'Chủ tịch', '', 688, '', 912345678]]
    parsed = parse(xlsx_bytes(rows), 'list.xlsx')
    assert problems(parsed) == []
    assert summary(parsed) == [(2, 'Nguyễn Thị Thảo', '00688')]
    assert parsed.rows[0].values[ListColumn.PHONE] == '0912345678'


def test_xlsx_sheet_with_the_list_is_found_after_a_cover_sheet():
    cover = [['Hướng dẫn'], ['Điền danh sách ở trang sau']]
    data = xlsx_bytes(cover, sheets={'Danh sách': ROWS})
    assert summary(parse(data, 'list.xlsx')) == EXPECTED


def test_a_title_block_above_the_header_keeps_spreadsheet_row_numbers():
    rows = [
        ['ỦY BAN NHÂN DÂN HUYỆN ĐỒNG VĂN'],
        ['DANH SÁCH ĐẠI BIỂU THAM DỰ TỌA ĐÀM'],
        [],
        HEADER,
        *ROWS[1:],
    ]
    parsed = parse(xlsx_bytes(rows), 'list.xlsx')
    assert [r.row for r in parsed.rows] == [5, 6, 7]


@pytest.mark.parametrize(
    'header',
    [
        ['HỌ  VÀ  TÊN', 'ĐIỂM CẦU', 'E-MAIL', 'ĐIỆN THOẠI'],
        ['ho ten', 'diem cau', 'email', 'sđt'],
        ['Full name', 'Bridge point', 'Email', 'Phone'],
        ['Name', 'Venue', 'E-mail', 'Phone number'],
        [unicodedata.normalize('NFD', 'Họ tên'), 'Mã điểm cầu', 'Thư điện tử', 'Số ĐT'],
    ],
)
def test_headers_match_loosely_in_vietnamese_or_english(header):
    rows = [header, ['Nguyễn Thị Thảo', '00688', 'thaont@hagiang.gov.vn', '0912345678']]
    parsed = parse(csv_bytes(rows))
    assert problems(parsed) == []
    row = parsed.rows[0]
    assert (row.full_name, row.venue.unit_code) == ('Nguyễn Thị Thảo', '00688')
    assert row.values == {ListColumn.EMAIL: 'thaont@hagiang.gov.vn', ListColumn.PHONE: '0912345678'}


def test_missing_name_column_is_one_error_on_the_header_row():
    parsed = parse(csv_bytes([['Chức vụ', 'Điểm cầu'], ['Chủ tịch', '00688']]))
    assert problems(parsed) == [
        (1, 'Họ và tên', 'Không có cột họ và tên (tiêu đề "Họ và tên", "Họ tên", "Full name").')
    ]


def test_missing_bridge_point_column_is_one_error_on_the_header_row():
    parsed = parse(csv_bytes([['Họ và tên', 'Chức vụ'], ['Nguyễn Thị Thảo', 'Chủ tịch']]))
    assert [(p.row, p.column) for p in parsed.problems] == [(1, 'Điểm cầu')]


@pytest.mark.parametrize(
    ('data', 'filename', 'fragment'),
    [
        (b'', 'list.csv', 'Tệp trống'),
        (b'%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x01\x02', 'list.pdf', 'không phải'),
        (b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR', 'photo.png', 'không phải'),
        (b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1' + bytes(100), 'list.xls', '.xls'),
        (b'PK\x03\x04 this is not really a zip', 'list.xlsx', 'XLSX'),
        (b'Ho va ten,Diem cau\n', 'list.xlsx', 'XLSX'),
    ],
)
def test_unreadable_files_give_one_clear_problem(data, filename, fragment):
    parsed = parse(data, filename)
    assert len(parsed.problems) == 1
    problem = parsed.problems[0]
    assert (problem.row, problem.column) == (None, None)
    assert fragment in problem.message


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w') as archive:
        archive.writestr('word/document.xml', '<w:document/>')
    parsed = parse(buffer.getvalue(), 'letter.docx')
    assert [(p.row, p.column) for p in parsed.problems] == [(None, None)]


def test_a_header_without_rows_is_an_empty_list():
    assert len(parse(csv_bytes([HEADER])).problems) == 1


def test_more_than_ten_thousand_rows_are_refused():
    rows = [['Họ và tên', 'Điểm cầu']] + [[f'Người {n}', '00688'] for n in range(MAX_ROWS + 1)]
    parsed = parse(csv_bytes(rows))
    assert parsed.rows == []
    assert [(p.row, p.column) for p in parsed.problems] == [(None, None)]
    assert str(MAX_ROWS) in parsed.problems[0].message


def test_exactly_ten_thousand_rows_are_fine():
    rows = [['Họ và tên', 'Điểm cầu']] + [[f'Người số {n}', '00688'] for n in range(MAX_ROWS)]
    assert len(parse(csv_bytes(rows)).rows) == MAX_ROWS


def test_empty_rows_and_numbered_blank_template_rows_are_skipped():
    rows = [HEADER, ROWS[1], [], ['', '', ''], [2, '', '', '', '', '', ''], ROWS[2]]
    parsed = parse(xlsx_bytes(rows), 'list.xlsx')
    assert problems(parsed) == []
    assert [r.row for r in parsed.rows] == [2, 6]


@pytest.mark.parametrize(
    ('written', 'unit_code'),
    [
        ('Phường Quang Trung', '00688'),
        ('Điểm cầu Phường Quang Trung', '00688'),
        ('điểm cầu phường quang trung', '00688'),
        ('phuong quang trung', '00688'),
        ('Quang Trung', '00688'),
        ('00688', '00688'),
        ('688', '00688'),
        ('Xã Thanh Thuỷ', '00928'),  # the other tone placement
        (unicodedata.normalize('NFD', 'Xã Thanh Thủy'), '00928'),
        ('Thị trấn Đồng Văn', '00721'),
        ('Huyện Đồng Văn', '026'),
        ('TP Hà Giang', '024'),
        ('Tỉnh Hà Giang', '02'),
    ],
)
def test_bridge_point_by_name_or_code(written, unit_code):
    parsed = parse(csv_bytes([['Họ và tên', 'Điểm cầu'], ['Nguyễn Thị Thảo', written]]))
    assert problems(parsed) == []
    assert parsed.rows[0].venue.unit_code == unit_code


@pytest.mark.parametrize(
    ('written', 'fragment'),
    [
        ('Xã Lũng Cú', 'không có điểm cầu "Xã Lũng Cú"'),
        ('Xã Tả Lủng', '00742, 00796'),
        ('Đồng Văn', '00721, 026'),
        ('99999', 'mã "99999"'),
    ],
)
def test_unknown_or_ambiguous_bridge_points_are_named(written, fragment):
    parsed = parse(csv_bytes([['Họ và tên', 'Điểm cầu'], ['Nguyễn Thị Thảo', written]]))
    assert [(p.row, p.column) for p in parsed.problems] == [(2, 'Điểm cầu')]
    assert fragment in parsed.problems[0].message


def test_a_code_column_settles_an_ambiguous_name_and_must_agree_with_it():
    rows = [
        ['Họ và tên', 'Điểm cầu', 'Mã điểm cầu'],
        ['Vàng Mí Sử', 'Xã Tả Lủng', '00796'],
        ['Sùng Mí Páo', 'Phường Quang Trung', '00742'],
    ]
    parsed = parse(csv_bytes(rows))
    assert summary(parsed) == [(2, 'Vàng Mí Sử', '00796')]
    assert [(p.row, p.column) for p in parsed.problems] == [(3, 'Điểm cầu')]


def test_a_missing_point_is_reported_in_the_column_the_file_has():
    parsed = parse(csv_bytes([['Ho ten', 'Mã đơn vị'], ['Nguyễn Thị Thảo', '']]))
    assert problems(parsed) == [(2, 'Mã đơn vị', 'Thiếu điểm cầu.')]


@pytest.mark.parametrize(
    ('written', 'stored'),
    [
        ('0912345678', '0912345678'),
        ('0912 345 678', '0912345678'),
        ('0912.345.678', '0912345678'),
        ('091-234-5678', '0912345678'),
        ('+84 912 345 678', '0912345678'),
        ('84912345678', '0912345678'),
        ('912345678', '0912345678'),  # Excel dropped the 0
        ('0219 3866 123', '02193866123'),  # Hà Giang landline
        ('(0219) 3.866.123', '02193866123'),
    ],
)
def test_phone_numbers_are_stored_in_one_form(written, stored):
    assert clean_phone(written) == stored


@pytest.mark.parametrize(
    'written', ['12345', '0123456789', '091234567', 'không có', '0912345678 9']
)
def test_malformed_phone_numbers_are_refused(written):
    with pytest.raises(ValueError, match='Số điện thoại không hợp lệ'):
        clean_phone(written)


def test_every_role_label_of_the_interface_is_understood():
    for role, label in DELEGATE_ROLE_LABELS.items():
        assert clean_role(str(label)) == role
        assert ROLE_NAMES[role] == str(label)
        assert clean_role(role.value.upper()) == role
    assert clean_role('khach moi') == DelegateRole.GUEST


def test_each_bad_value_is_reported_at_its_row_and_column():
    rows = [
        ['Full name', 'Bridge point', 'E-mail', 'Phone', 'Vai trò'],
        ['Nguyễn Thị Thảo', '00688', 'thaont@@hagiang', '0912345678', 'Đại biểu'],
        ['Vàng Mí Sử', '00742', '', '12345', ''],
        ['Đặng Văn Hòa', '026', '', '', 'Thủ trưởng'],
        ['', '026', '', '', ''],
        ['Lò Thị Mai', '', '', '', ''],
        ['x' * 201, '026', '', '', ''],
    ]
    parsed = parse(csv_bytes(rows))
    assert parsed.rows == []
    assert [(p.row, p.column) for p in parsed.problems] == [
        (2, 'E-mail'),
        (3, 'Phone'),
        (4, 'Vai trò'),
        (5, 'Full name'),
        (6, 'Bridge point'),
        (7, 'Full name'),
    ]
    assert 'thaont@@hagiang' in parsed.problems[0].message


def test_the_same_person_twice_is_found_despite_spelling_and_names_the_first_row():
    rows = [
        ['Họ và tên', 'Điểm cầu'],
        ['Nguyễn Thị Hòa', 'Xã Thanh Thủy'],
        ['Nguyễn Thị Hòa', 'Phường Quang Trung'],  # a namesake elsewhere: someone else
        [unicodedata.normalize('NFD', 'NGUYỄN THỊ HOÀ'), '00928'],
    ]
    parsed = parse(csv_bytes(rows))
    assert summary(parsed) == [(2, 'Nguyễn Thị Hòa', '00928'), (3, 'Nguyễn Thị Hòa', '00688')]
    assert problems(parsed) == [
        (4, 'Họ và tên', '"NGUYỄN THỊ HOÀ" đã có ở dòng 2, cùng điểm cầu Xã Thanh Thủy.')
    ]


def test_a_quoted_formula_from_an_export_reads_back_without_the_quote():
    rows = [['Họ và tên', 'Chức vụ', 'Điểm cầu'], ['Lò Văn Tủa', "'- Phó Chủ tịch", '026']]
    assert parse(csv_bytes(rows)).rows[0].values[ListColumn.POSITION] == '- Phó Chủ tịch'
