"""Validating a delegate list as districts and communes send it, before anything is stored.

Pure: the file's bytes and the forum's bridge points in, clean rows and problems out; no
database and no request. ``forum.delegates.services.import_delegates`` compares the rows with
the delegates already on the list and writes them.

- Headers are recognised in Vietnamese or English, whatever their case, accents or spacing
  ("HỌ VÀ TÊN", "Ho ten", "Full name"); a title above the header row is skipped; unknown
  columns (STT, Ghi chú, …) are ignored.
- Every text is normalised to NFC (decomposed input from macOS and Windows-1258 files).
- **The same person** is the same matching key of the full name (which folds case, tone
  placement "Hòa"/"Hoà", decomposed letters and Đ/Ð) at the same bridge point. Two people of the
  same name at different points are different people: namesakes are common.
- Each problem names its spreadsheet row (the header row is usually 1), the column as headed in
  the file, and what is wrong.
"""

import enum
import re
from dataclasses import dataclass, field

from flask_babel import gettext as _

from forum.delegates.cleaning import (
    VenueIndex,
    VenueRef,
    clean_email,
    clean_phone,
    clean_role,
)
from forum.delegates.limits import MAX_LIST_ROWS
from forum.delegates.reading import Row, UnreadableFileError, read_rows
from forum.spreadsheets import FORMULA_STARTS
from forum.text import matching_key, normalize_text, search_key

MAX_ROWS = MAX_LIST_ROWS
# A cell starting with one of these is a formula to Excel, so an export writes it after a quote.
HEADER_SEARCH_ROWS = 20  # a title block above the header is common in official lists


class ListColumn(enum.StrEnum):
    FULL_NAME = 'full_name'
    POSITION = 'position'
    BODY = 'body'
    VENUE = 'venue'
    VENUE_CODE = 'venue_code'
    EMAIL = 'email'
    PHONE = 'phone'
    ROLE = 'role'


# What an export writes, and the first name each column is known by.
HEADERS = {
    ListColumn.FULL_NAME: 'Họ và tên',
    ListColumn.POSITION: 'Chức vụ',
    ListColumn.BODY: 'Đơn vị',
    ListColumn.VENUE: 'Điểm cầu',
    ListColumn.VENUE_CODE: 'Mã điểm cầu',
    ListColumn.EMAIL: 'Email',
    ListColumn.PHONE: 'Số điện thoại',
    ListColumn.ROLE: 'Vai trò',
}
HEADER_ALIASES = {
    ListColumn.FULL_NAME: ['Họ và tên', 'Họ tên', 'Họ và tên đại biểu', 'Full name', 'Name'],
    ListColumn.POSITION: ['Chức vụ', 'Chức danh', 'Position', 'Title'],
    ListColumn.BODY: [
        'Đơn vị',
        'Cơ quan',
        'Cơ quan, đơn vị',
        'Đơn vị công tác',
        'Body',
        'Organisation',
        'Organization',
    ],
    ListColumn.VENUE: ['Điểm cầu', 'Điểm cầu tham dự', 'Bridge point', 'Venue'],
    ListColumn.VENUE_CODE: [
        'Mã điểm cầu',
        'Mã đơn vị',
        'Mã đơn vị hành chính',
        'Bridge point code',
        'Venue code',
        'Unit code',
    ],
    ListColumn.EMAIL: ['Email', 'E-mail', 'Thư điện tử', 'Địa chỉ email'],
    ListColumn.PHONE: ['Số điện thoại', 'Điện thoại', 'SĐT', 'Số ĐT', 'Phone', 'Phone number'],
    ListColumn.ROLE: ['Vai trò', 'Role'],
}
MAX_LENGTHS = {
    ListColumn.FULL_NAME: 200,
    ListColumn.POSITION: 200,
    ListColumn.BODY: 200,
    ListColumn.EMAIL: 254,
}
# The optional values a row may carry, stored as given (after cleaning).
VALUE_COLUMNS = (
    ListColumn.POSITION,
    ListColumn.BODY,
    ListColumn.EMAIL,
    ListColumn.PHONE,
    ListColumn.ROLE,
)


def header_key(text: str) -> str:
    """A header reduced to lower-case letters and digits without accents: "Họ  và TÊN" → hovaten."""
    return re.sub(r'[^a-z0-9]', '', search_key(text))


_COLUMN_BY_KEY = {
    header_key(alias): column for column, names in HEADER_ALIASES.items() for alias in names
}


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong in a list: its row (None: the whole file), its column, and why."""

    row: int | None
    column: str | None
    message: str

    def as_dict(self) -> dict:
        """The problem as the API reports it."""
        return {'row': self.row, 'column': self.column, 'message': self.message}


@dataclass(frozen=True)
class Header:
    """The header row: its number and the columns found in it, with their names in the file."""

    row: int
    positions: dict[ListColumn, int]
    names: dict[ListColumn, str]


@dataclass
class DelegateRow:
    """One valid row: the person, their point, and the values the file gives for them."""

    row: int
    full_name: str
    name_key: str
    venue: VenueRef
    values: dict[ListColumn, object] = field(default_factory=dict)

    @property
    def identity(self) -> tuple[str, int]:
        """Who this is: the same person is the same name key at the same bridge point."""
        return self.name_key, self.venue.id


@dataclass
class ParsedList:
    """A list read and checked: its header, its valid rows and everything wrong with it."""

    header: Header | None = None
    rows: list[DelegateRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)

    def column_name(self, column: ListColumn) -> str:
        """The column's header as written in the file (or its usual name)."""
        if self.header and column in self.header.names:
            return self.header.names[column]
        return HEADERS[column]


def find_header(
    rows: list[Row], *, required: ListColumn | None = ListColumn.FULL_NAME
) -> Header | None:
    """The first row, among the first few, with a ``required`` column (None: any known one)."""
    for number, cells in rows[:HEADER_SEARCH_ROWS]:
        positions: dict[ListColumn, int] = {}
        names: dict[ListColumn, str] = {}
        for position, cell in enumerate(cells):
            column = _COLUMN_BY_KEY.get(header_key(cell))
            if column is not None and column not in positions:
                positions[column] = position
                names[column] = normalize_text(cell)
        if (required in positions) if required else positions:
            return Header(number, positions, names)
    return None


def parse_delegate_list(data: bytes, filename: str, venues: list[VenueRef]) -> ParsedList:
    """Read and check a delegate list against the forum's bridge points."""
    parsed = ParsedList()
    try:
        rows = read_rows(data, filename, is_list=lambda first: find_header(first) is not None)
    except UnreadableFileError as error:
        parsed.problems.append(ImportProblem(None, None, str(error)))
        return parsed
    if not _check_header(parsed, find_header(rows), rows):
        return parsed
    data_rows = [(number, cells) for number, cells in rows if number > parsed.header.row]
    if not data_rows:
        parsed.problems.append(ImportProblem(None, None, _('Danh sách không có đại biểu nào.')))
        return parsed
    if len(data_rows) > MAX_ROWS:
        parsed.problems.append(
            ImportProblem(
                None,
                None,
                _(
                    'Danh sách có %(count)d dòng; mỗi lần nhập được tối đa %(max)d dòng.',
                    count=len(data_rows),
                    max=MAX_ROWS,
                ),
            )
        )
        return parsed
    index = VenueIndex(venues)
    first_row_of: dict[tuple[str, int], DelegateRow] = {}
    for number, cells in data_rows:
        delegate = _parse_row(parsed, index, number, cells)
        if delegate is None:
            continue
        earlier = first_row_of.get(delegate.identity)
        if earlier is not None:
            parsed.problems.append(
                ImportProblem(
                    number,
                    parsed.column_name(ListColumn.FULL_NAME),
                    _(
                        '"%(name)s" đã có ở dòng %(row)d, cùng điểm cầu %(venue)s.',
                        name=delegate.full_name,
                        row=earlier.row,
                        venue=delegate.venue.name,
                    ),
                )
            )
            continue
        first_row_of[delegate.identity] = delegate
        parsed.rows.append(delegate)
    return parsed


def _check_header(parsed: ParsedList, header: Header | None, rows: list[Row]) -> bool:
    # Without a name column, the header is the first row with any column we know.
    header = header or find_header(rows, required=None)
    parsed.header = header
    row = header.row if header else (rows[0][0] if rows else 1)
    positions = header.positions if header else {}
    if ListColumn.FULL_NAME not in positions:
        parsed.problems.append(
            ImportProblem(
                row,
                HEADERS[ListColumn.FULL_NAME],
                _(
                    'Không có cột họ và tên (tiêu đề "%(names)s").',
                    names='", "'.join(HEADER_ALIASES[ListColumn.FULL_NAME][:2] + ['Full name']),
                ),
            )
        )
    if ListColumn.VENUE not in positions and ListColumn.VENUE_CODE not in positions:
        parsed.problems.append(
            ImportProblem(
                row,
                HEADERS[ListColumn.VENUE],
                _('Không có cột điểm cầu (tiêu đề "Điểm cầu", "Mã điểm cầu" hoặc "Bridge point").'),
            )
        )
    return not parsed.problems


def _parse_row(
    parsed: ParsedList, index: VenueIndex, number: int, cells: list[str]
) -> DelegateRow | None:
    """Check one row; add its problems to ``parsed`` and return it if it has none."""
    assert parsed.header is not None
    positions = parsed.header.positions
    problems_before = len(parsed.problems)

    def cell(column: ListColumn) -> str:
        position = positions.get(column)
        if position is None or position >= len(cells):
            return ''
        text = normalize_text(cells[position])
        return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_STARTS else text

    def problem(column: ListColumn, message: str) -> None:
        parsed.problems.append(ImportProblem(number, parsed.column_name(column), message))

    if not any(cell(column) for column in positions):
        return None  # only unread columns filled, e.g. the numbers of a blank template row
    full_name = cell(ListColumn.FULL_NAME)
    if not full_name:
        problem(ListColumn.FULL_NAME, _('Thiếu họ và tên.'))
    elif len(full_name) > MAX_LENGTHS[ListColumn.FULL_NAME]:
        problem(ListColumn.FULL_NAME, _too_long(ListColumn.FULL_NAME))
    point_column = ListColumn.VENUE if ListColumn.VENUE in positions else ListColumn.VENUE_CODE
    venue = _row_venue(
        index, cell(ListColumn.VENUE), cell(ListColumn.VENUE_CODE), point_column, problem
    )
    values: dict[ListColumn, object] = {}
    for column in VALUE_COLUMNS:
        if text := cell(column):  # a blank cell leaves the stored value as it is
            try:
                values[column] = _clean_value(column, text)
            except ValueError as error:
                problem(column, str(error))
    if len(parsed.problems) > problems_before or venue is None:
        return None
    return DelegateRow(number, full_name, matching_key(full_name), venue, values)


_CLEANERS = {
    ListColumn.EMAIL: clean_email,
    ListColumn.PHONE: clean_phone,
    ListColumn.ROLE: clean_role,
}


def _too_long(column: ListColumn) -> str:
    return _('Dài quá %(max)d ký tự.', max=MAX_LENGTHS[column])


def _clean_value(column: ListColumn, text: str) -> object:
    """The value to store for a non-blank cell, or ValueError with the reason."""
    if column in MAX_LENGTHS and len(text) > MAX_LENGTHS[column]:
        raise ValueError(_too_long(column))
    return _CLEANERS[column](text) if column in _CLEANERS else text


def _row_venue(
    index: VenueIndex, name: str, code: str, point_column: ListColumn, problem
) -> VenueRef | None:
    """The row's bridge point from its code or its name; both, if given, must agree."""
    if not name and not code:
        problem(point_column, _('Thiếu điểm cầu.'))
        return None
    by_code = by_name = None
    if code:
        try:
            by_code = index.by_code(code)
        except ValueError as error:
            problem(ListColumn.VENUE_CODE, str(error))
            return None
    if name:
        try:
            by_name = index.by_name(name)
        except ValueError as error:
            if by_code is None:
                problem(ListColumn.VENUE, str(error))
                return None
    if by_code and by_name and by_code != by_name:
        problem(
            ListColumn.VENUE,
            _(
                'Điểm cầu "%(name)s" không khớp với mã %(code)s (%(code_name)s).',
                name=name,
                code=by_code.unit_code,
                code_name=by_code.name,
            ),
        )
        return None
    return by_code or by_name
