"""Importing delegate lists into a forum (all or nothing, with a dry run), and exporting them."""

import io
import unicodedata

import pytest
from sqlalchemy import func, select

from forum.audit.models import AuditEntry
from forum.delegates.importing import ListColumn, parse_delegate_list
from forum.delegates.models import Delegate, DelegateRole
from forum.delegates.services import (
    ImportAction,
    export_delegates,
    import_delegates,
    name_columns,
)
from forum.extensions import db
from tests.delegates.files import csv_bytes, xlsx_bytes

HEADER = ['STT', 'Họ và tên', 'Chức vụ', 'Đơn vị', 'Điểm cầu', 'Email', 'Số điện thoại']


def nfd(text: str) -> str:
    return unicodedata.normalize('NFD', text)


def stored_delegates() -> list[tuple]:
    query = select(Delegate).order_by(Delegate.id)
    return [
        (d.full_name, d.venue.unit_code, d.position, d.email, d.phone)
        for d in db.session.scalars(query)
    ]


def delegate_count() -> int:
    return db.session.scalar(select(func.count(Delegate.id)))


def import_list(forum, data, filename='danh-sach.csv', *, dry_run=False):
    result = import_delegates(forum, data, filename, dry_run=dry_run)
    if result.ok and not dry_run:
        db.session.commit()
    else:
        db.session.rollback()
    return result


def counts(result) -> tuple[int, int, int]:
    return result.created, result.updated, result.unchanged


# The list of the "Done when" ---------------------------------------------------------

BAD_LIST = [
    HEADER,
    [
        1,
        nfd('Nguyễn Thị Thảo'),
        'Chủ tịch',
        'UBND phường Quang Trung',
        'Phường Quang Trung',
        'thaont@hagiang.gov.vn',
        '0912 345 678',
    ],
    [2, 'Nguyễn Thị Hòa', 'Trưởng thôn', 'Thôn Lùng Càng', 'Xã Thanh Thủy', '', ''],
    [3, 'Vàng Mí Sử', 'Bí thư Đảng ủy', 'Đảng ủy xã Tả Lủng', '00742', '', '+84 868 123 456'],
    [4, 'Đặng Văn Hoà', 'Phó Chủ tịch', 'UBND huyện Đồng Văn', 'Huyện Đồng Văn', '', ''],
    [5, '', 'Chuyên viên', 'Văn phòng HĐND-UBND huyện', 'Huyện Đồng Văn', '', ''],
    [6, 'Lò Thị Mai', 'Công chức văn hóa', 'UBND xã Lũng Cú', 'Xã Lũng Cú', '', ''],
    [7, 'Triệu Văn Hải', 'Chánh Văn phòng', 'UBND huyện Đồng Văn', '026', 'haitv@hagiang', ''],
    [8, nfd('Nguyễn Thị Hoà'), 'Trưởng thôn', 'Thôn Lùng Càng', 'xa thanh thuy', '', ''],
]
CORRECTED_LIST = [
    *BAD_LIST[:5],
    [5, 'Ma Thị Hằng', 'Chuyên viên', 'Văn phòng HĐND-UBND huyện', 'Huyện Đồng Văn', '', ''],
    [6, 'Lò Thị Mai', 'Công chức văn hóa', 'UBND thị trấn Đồng Văn', 'Thị trấn Đồng Văn', '', ''],
    [
        7,
        'Triệu Văn Hải',
        'Chánh Văn phòng',
        'UBND huyện Đồng Văn',
        '026',
        'haitv@hagiang.gov.vn',
        '',
    ],
]


def test_a_flawed_list_is_rejected_whole_then_imports_exactly_once_corrected(app_ctx, list_forum):
    rejected = import_list(list_forum, csv_bytes(BAD_LIST, 'utf-8-sig', ';'))
    assert [(p.row, p.column, p.message) for p in rejected.errors] == [
        (6, 'Họ và tên', 'Thiếu họ và tên.'),
        (7, 'Điểm cầu', 'Hội nghị không có điểm cầu "Xã Lũng Cú".'),
        (8, 'Email', 'Email không hợp lệ: "haitv@hagiang".'),
        (9, 'Họ và tên', '"Nguyễn Thị Hoà" đã có ở dòng 3, cùng điểm cầu Xã Thanh Thủy.'),
    ]
    assert delegate_count() == 0
    assert (
        db.session.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == 'delegates.imported')
        )
        == 0
    )

    imported = import_list(list_forum, csv_bytes(CORRECTED_LIST, 'utf-8-sig', ';'))
    assert imported.errors == []
    assert counts(imported) == (7, 0, 0)
    assert stored_delegates() == [
        ('Nguyễn Thị Thảo', '00688', 'Chủ tịch', 'thaont@hagiang.gov.vn', '0912345678'),
        ('Nguyễn Thị Hòa', '00928', 'Trưởng thôn', '', ''),
        ('Vàng Mí Sử', '00742', 'Bí thư Đảng ủy', '', '0868123456'),
        ('Đặng Văn Hoà', '026', 'Phó Chủ tịch', '', ''),
        ('Ma Thị Hằng', '026', 'Chuyên viên', '', ''),
        ('Lò Thị Mai', '00721', 'Công chức văn hóa', '', ''),
        ('Triệu Văn Hải', '026', 'Chánh Văn phòng', 'haitv@hagiang.gov.vn', ''),
    ]

    again = import_list(list_forum, csv_bytes(CORRECTED_LIST, 'utf-8-sig', ';'))
    assert again.errors == []
    assert counts(again) == (0, 0, 7)
    assert delegate_count() == 7


def test_a_dry_run_counts_but_writes_nothing(app_ctx, list_forum):
    result = import_list(list_forum, csv_bytes(CORRECTED_LIST), dry_run=True)
    assert result.ok and result.dry_run
    assert counts(result) == (7, 0, 0)
    assert delegate_count() == 0


def test_a_real_import_is_audited(app_ctx, list_forum, create_user):
    from forum.auth.models import User

    user = db.session.get(User, create_user().id)
    import_delegates(
        list_forum, csv_bytes(CORRECTED_LIST), 'huyen-dong-van.csv', dry_run=False, user=user
    )
    db.session.commit()
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == 'delegates.imported')
    ).one()
    assert (entry.forum_id, entry.user_id) == (list_forum.id, user.id)
    assert entry.details == {
        'filename': 'huyen-dong-van.csv',
        'created': 7,
        'updated': 0,
        'unchanged': 0,
    }


# Updates ---------------------------------------------------------------------------------------


def test_a_person_already_on_the_list_is_updated_not_added(
    app_ctx, list_forum, venue_by_code, create_delegate
):
    existing = create_delegate(
        list_forum,
        'Nguyễn Thị Hoà',
        venue=venue_by_code['00928'],
        position='Phó trưởng thôn',
        email='hoant@hagiang.gov.vn',
        phone='0912345678',
        role=DelegateRole.GUEST,
    )
    rows = [
        ['Họ và tên', 'Chức vụ', 'Điểm cầu', 'Email', 'Số điện thoại'],
        ['nguyễn thị hòa', 'Trưởng thôn', 'Xã Thanh Thủy', '', '0912.345.678'],
    ]
    result = import_list(list_forum, csv_bytes(rows))
    assert counts(result) == (0, 1, 0)
    [outcome] = result.rows
    assert outcome.action == ImportAction.UPDATE
    assert outcome.changes == {
        ListColumn.FULL_NAME: ('Nguyễn Thị Hoà', 'nguyễn thị hòa'),
        ListColumn.POSITION: ('Phó trưởng thôn', 'Trưởng thôn'),
    }
    delegate = db.session.get(Delegate, existing.id)
    # Written as the list writes it; blank cells and the missing role column keep what was there.
    assert (delegate.full_name, delegate.position, delegate.email, delegate.phone) == (
        'nguyễn thị hòa',
        'Trưởng thôn',
        'hoant@hagiang.gov.vn',
        '0912345678',
    )
    assert delegate.role == DelegateRole.GUEST
    assert delegate.search_name == 'nguyen thi hoa'
    assert delegate_count() == 1


def test_a_namesake_at_another_bridge_point_is_another_person(
    app_ctx, list_forum, venue_by_code, create_delegate
):
    create_delegate(list_forum, 'Nguyễn Văn Hùng', venue=venue_by_code['00688'])
    rows = [['Họ và tên', 'Điểm cầu'], ['Nguyễn Văn Hùng', '00721']]
    assert counts(import_list(list_forum, csv_bytes(rows))) == (1, 0, 0)
    assert delegate_count() == 2


def test_stored_values_in_another_spelling_count_as_unchanged(
    app_ctx, list_forum, venue_by_code, create_delegate
):
    create_delegate(
        list_forum,
        'Vàng Mí Sử',
        venue=venue_by_code['00742'],
        phone='0868 123 456',
        email='SuVM@HaGiang.gov.vn',
    )
    rows = [
        ['Họ và tên', 'Điểm cầu', 'Email', 'SĐT'],
        ['Vàng Mí Sử', '00742', 'SuVM@hagiang.gov.vn', '+84868123456'],
    ]
    assert counts(import_list(list_forum, csv_bytes(rows))) == (0, 0, 1)


def test_two_stored_delegates_of_the_same_name_and_point_cannot_be_told_apart(
    app_ctx, list_forum, venue_by_code, create_delegate
):
    for _copy in range(2):
        create_delegate(list_forum, 'Lò Văn Tủa', venue=venue_by_code['026'])
    rows = [['Họ và tên', 'Điểm cầu'], ['Lò Văn Tủa', '026'], ['Ma Văn Lợi', '026']]
    result = import_list(list_forum, csv_bytes(rows))
    assert [(p.row, p.column) for p in result.errors] == [(2, 'Họ và tên')]
    assert delegate_count() == 2


def test_new_delegates_get_their_own_codes_and_keys(app_ctx, list_forum):
    import_list(list_forum, csv_bytes(CORRECTED_LIST))
    delegates = db.session.scalars(select(Delegate)).all()
    assert len({d.code for d in delegates}) == len({d.short_code for d in delegates}) == 7
    for delegate in delegates:
        assert (delegate.name_key, delegate.search_name, delegate.sort_key) == tuple(
            name_columns(delegate.full_name)[k] for k in ('name_key', 'search_name', 'sort_key')
        )
        assert delegate.role == DelegateRole.DELEGATE
        assert delegate.created_at is not None


def test_name_columns_match_what_the_model_derives():
    probe = Delegate(full_name=nfd('  Nguyễn  Thị Hoà '))
    assert name_columns(nfd('  Nguyễn  Thị Hoà ')) == {
        'full_name': probe.full_name,
        'name_key': probe.name_key,
        'search_name': probe.search_name,
        'sort_key': probe.sort_key,
    }


def test_an_unreadable_file_is_an_error_not_an_exception(app_ctx, list_forum):
    result = import_list(list_forum, b'\x89PNG\r\n\x1a\n\x00\x00', 'photo.png')
    assert [(p.row, p.column) for p in result.errors] == [(None, None)]


def test_two_thousand_rows_from_xlsx_import(app_ctx, list_forum):
    venues = ['Phường Quang Trung', '00742', 'Xã Thanh Thuỷ', 'Huyện Đồng Văn', '00721']
    rows = [HEADER] + [
        [n, f'Nguyễn Văn Thử {n}', 'Chuyên viên', 'UBND', venues[n % 5], '', f'09{n:08d}']
        for n in range(1, 2001)
    ]
    result = import_list(list_forum, xlsx_bytes(rows), 'danh-sach.xlsx')
    assert result.errors == []
    assert counts(result) == (2000, 0, 0)
    assert delegate_count() == 2000


# Export ----------------------------------------------------------------------------------------


@pytest.fixture
def imported_forum(app_ctx, list_forum, venue_by_code, create_delegate):
    import_list(list_forum, csv_bytes(CORRECTED_LIST))
    create_delegate(
        list_forum,
        'Sùng Thị Dợ',
        venue=venue_by_code['00742'],
        position='= Phó Chủ tịch',
        role=DelegateRole.PRESS,
    )
    return list_forum


def test_an_exported_list_reimports_as_unchanged(imported_forum):
    for file_format in ('xlsx', 'csv'):
        data = export_delegates(imported_forum, file_format)
        result = import_list(imported_forum, data, f'export.{file_format}')
        assert result.errors == []
        assert counts(result) == (0, 0, 8)


def test_the_export_is_in_vietnamese_name_order_with_import_headers(imported_forum):
    text = export_delegates(imported_forum, 'csv').decode('utf-8')
    assert text.startswith('\ufeffSTT,Họ và tên,Chức vụ,Đơn vị,Điểm cầu,Mã điểm cầu,Email,')
    names = [line.split(',')[1] for line in text.splitlines()[1:]]
    assert names == [
        'Sùng Thị Dợ',
        'Triệu Văn Hải',
        'Ma Thị Hằng',
        'Nguyễn Thị Hòa',
        'Đặng Văn Hoà',
        'Lò Thị Mai',
        'Vàng Mí Sử',
        'Nguyễn Thị Thảo',
    ]
    assert "'= Phó Chủ tịch" in text and 'Báo chí' in text


def test_the_xlsx_export_keeps_phone_numbers_and_formulas_as_text(imported_forum):
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export_delegates(imported_forum, 'xlsx'))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ('STT', 'Họ và tên', 'Chức vụ')
    thao = next(row for row in rows if row[1] == 'Nguyễn Thị Thảo')
    assert thao[7] == '0912345678'
    assert any(row[2] == '= Phó Chủ tịch' for row in rows)


def test_a_bridge_point_export_has_only_its_delegates(imported_forum, venue_by_code):
    data = export_delegates(imported_forum, 'xlsx', venue_id=venue_by_code['026'].id)
    parsed = parse_delegate_list(data, 'x.xlsx', [])
    assert parsed.header is not None
    from openpyxl import load_workbook

    names = [
        row[1]
        for row in load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2, values_only=True)
    ]
    assert names == ['Triệu Văn Hải', 'Ma Thị Hằng', 'Đặng Văn Hoà']
