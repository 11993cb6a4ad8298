"""Reading a delegate list file into rows of text: XLSX, or CSV in any encoding Excel writes.

Pure: bytes in, ``(row number, cells)`` out, with the row numbers a spreadsheet shows (the first
row is 1). CSV may come as UTF-8 (with or without a BOM), UTF-16 (Excel's "Unicode text") or
Windows-1258, with a comma, semicolon or tab between the cells. Text is not normalised here;
``forum.delegates.importing`` does that cell by cell.
"""

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime, time

from flask_babel import gettext as _

from forum.delegates.limits import (
    MAX_COLUMNS,
    MAX_CSV_LINE_BYTES,
    MAX_LIST_ROWS,
    MAX_ROWS_READ,
    UnreadableFileError,
    inspect_list_file,
    scan_xlsx_parts,
    too_long_line,
    too_many_rows,
)

XLSX_MAGIC = b'PK\x03\x04'
OLE_MAGIC = b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1'  # Excel 97-2003 (.xls) and other old Office files
DELIMITERS = (',', ';', '\t')
# Non-empty rows kept: the list's limit, with room for a title block and the header above it.
MAX_ROWS_KEPT = MAX_LIST_ROWS + 25

Row = tuple[int, list[str]]

__all__ = ['Row', 'UnreadableFileError', 'read_rows']


def read_rows(
    data: bytes, filename: str = '', *, is_list: Callable[[list[Row]], bool] | None = None
) -> list[Row]:
    """Return the non-empty rows of the file, each with its row number.

    In a workbook, the sheet read is the first whose first rows ``is_list`` accepts (a header
    with a name column), else the first sheet.
    """
    if not data.strip():
        raise UnreadableFileError(_('Tệp trống.'))
    inspect_list_file(data)
    if data.startswith(XLSX_MAGIC):
        return read_xlsx_rows(data, is_list=is_list)
    if data.startswith(OLE_MAGIC) or filename.lower().endswith('.xls'):
        raise UnreadableFileError(
            _(
                'Tệp Excel 97-2003 (.xls) chưa được hỗ trợ: hãy mở tệp và lưu lại thành '
                '.xlsx hoặc CSV.'
            )
        )
    if filename.lower().endswith(('.xlsx', '.xlsm')):
        raise UnreadableFileError(_('Tệp này không phải bảng tính XLSX hợp lệ.'))
    return read_csv_rows(data)


# CSV -----------------------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """Decode CSV bytes: BOMs first, then UTF-16 without BOM, UTF-8, and Windows-1258."""
    if data.startswith(b'\xef\xbb\xbf'):
        return _decode(data, 'utf-8-sig')
    if data.startswith((b'\xff\xfe', b'\xfe\xff')):
        return _decode(data, 'utf-16')
    sample = data[:4096]
    if sample.count(b'\x00') > len(sample) // 4:
        # UTF-16 without a BOM: the zero bytes of ASCII characters show which end is which.
        even_zeros = sample[0::2].count(b'\x00')
        odd_zeros = sample[1::2].count(b'\x00')
        return _decode(data, 'utf-16-be' if even_zeros > odd_zeros else 'utf-16-le')
    try:
        return _check_text(data.decode('utf-8'))
    except UnicodeDecodeError:
        pass
    # Windows-1258 writes most accented letters as a base letter plus a combining tone mark;
    # normalising each cell to NFC later composes them.
    return _decode(data, 'cp1258')


def _decode(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise UnreadableFileError(
            _(
                'Không đọc được bảng mã của tệp CSV; hãy lưu lại tệp dưới dạng '
                '"CSV UTF-8 (Comma delimited)".'
            )
        ) from error
    return _check_text(text)


def _check_text(text: str) -> str:
    """Refuse binary files: a text file has no control characters besides tab and line ends."""
    if any(ord(char) < 32 and char not in '\t\r\n' for char in text[:4096]):
        raise UnreadableFileError(_('Tệp không phải bảng tính XLSX hay tệp CSV.'))
    return text


def detect_delimiter(text: str) -> str:
    """The delimiter used most outside quotes in the first lines (a comma if none is)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    in_quotes = False
    lines = 0
    for char in text[:20_000]:
        if char == '"':
            in_quotes = not in_quotes
        elif in_quotes:
            continue
        elif char in counts:
            counts[char] += 1
        elif char == '\n':
            lines += 1
            if lines >= 20:
                break
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ','


def read_csv_rows(data: bytes) -> list[Row]:
    """The non-empty records of a CSV file, numbered as a spreadsheet numbers them."""
    text = decode_text(data)
    reader = csv.reader(_bounded_lines(text), delimiter=detect_delimiter(text))
    try:
        return _kept(_non_empty(_bounded_records(reader)))
    except csv.Error as error:
        raise UnreadableFileError(
            _('Tệp CSV bị lỗi ở dòng %(row)d.', row=reader.line_num)
        ) from error


def _bounded_lines(text: str) -> Iterator[str]:
    """The lines of the text, one at a time, refusing one longer than a line may be."""
    for line in io.StringIO(text, newline=''):
        if len(line) > MAX_CSV_LINE_BYTES:
            raise too_long_line()
        yield line


def _bounded_records(reader) -> Iterator[Row]:
    for number, cells in enumerate(reader, start=1):
        if number > MAX_ROWS_READ:
            raise too_many_rows()
        yield number, cells[:MAX_COLUMNS]


def _kept(rows: Iterator[Row]) -> list[Row]:
    """The rows as a list, refusing more than a list may hold before reading the rest."""
    kept = []
    for row in rows:
        if len(kept) == MAX_ROWS_KEPT:
            raise too_many_list_rows()
        kept.append(row)
    return kept


def too_many_list_rows() -> UnreadableFileError:
    return UnreadableFileError(
        _(
            'Danh sách có hơn %(max)d dòng; mỗi lần nhập được tối đa %(max)d dòng.',
            max=MAX_LIST_ROWS,
        )
    )


# XLSX ----------------------------------------------------------------------------------------


def read_xlsx_rows(data: bytes, *, is_list: Callable[[list[Row]], bool] | None = None) -> list[Row]:
    """The non-empty rows of the first sheet that ``is_list`` accepts (else the first sheet)."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            scan_xlsx_parts(archive)  # before openpyxl holds a row or a string of it
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        if isinstance(error, UnreadableFileError):
            raise
        raise UnreadableFileError(_('Tệp này không phải bảng tính XLSX hợp lệ.')) from error
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise UnreadableFileError(_('Tệp này không phải bảng tính XLSX hợp lệ.')) from error
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise UnreadableFileError(_('Tệp XLSX bị hỏng, không đọc được.')) from error
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise UnreadableFileError(_('Tệp XLSX không có trang tính nào.'))
        chosen = sheets[0]
        if is_list is not None and len(sheets) > 1:
            chosen = next(
                (s for s in sheets if is_list(list(_non_empty(_sheet_rows(s, max_row=20))))),
                chosen,
            )
        return _kept(_non_empty(_sheet_rows(chosen)))
    except UnreadableFileError:
        raise
    except Exception as error:
        raise UnreadableFileError(_('Tệp XLSX bị hỏng, không đọc được.')) from error
    finally:
        workbook.close()


def _sheet_rows(sheet, max_row: int | None = None) -> Iterator[tuple[int, list[str]]]:
    max_col = min(sheet.max_column or MAX_COLUMNS, MAX_COLUMNS)
    rows = sheet.iter_rows(min_row=1, max_row=max_row, max_col=max_col, values_only=True)
    for number, values in enumerate(rows, start=1):
        if number > MAX_ROWS_READ:
            raise too_many_rows()
        yield number, [cell_text(value) for value in values]


def cell_text(value) -> str:
    """A spreadsheet cell as text: whole numbers without ".0", dates as ISO, None as ''."""
    if value is None:
        return ''
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def _non_empty(rows) -> Iterator[Row]:
    for number, cells in rows:
        if any(cell.strip() for cell in cells):
            yield number, list(cells)
