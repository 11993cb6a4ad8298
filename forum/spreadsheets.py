"""Spreadsheets as every export writes them, and the formula guard the import undoes.

XLSX: one sheet, streamed (openpyxl's write-only mode), bold headers, the columns' widths, the
header row frozen; text is always text, never a formula; local ``datetime``s show as
dd/mm/yyyy hh:mm. CSV: UTF-8 with a BOM and CRLF line ends (Excel then keeps the Vietnamese
letters), and text Excel would run as a formula ("- Đề nghị …", "=1+1") defused with a leading
quote. Cells are cleaned of control characters first: openpyxl refuses them, and rows stored
before every input was cleaned may hold some.
"""

import csv
import io
from collections.abc import Sequence
from datetime import datetime

from forum.text import clean_text

XLSX_MIMETYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
CSV_MIMETYPE = 'text/csv; charset=utf-8'
FORMULA_STARTS = ('=', '+', '-', '@', '\t', '\r')
CSV_DATETIME_FORMAT = '%d/%m/%Y %H:%M'
XLSX_DATETIME_FORMAT = 'dd/mm/yyyy hh:mm'
LONG_TEXT = 60  # characters: a longer cell wraps, when the sheet asks for it

Value = str | int | datetime | None


def csv_bytes(headers: Sequence[str], rows: Sequence[Sequence[Value]]) -> bytes:
    """The rows under ``headers`` as CSV: UTF-8 with BOM, comma, CRLF."""
    buffer = io.StringIO(newline='')
    writer = csv.writer(buffer, lineterminator='\r\n')
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    return buffer.getvalue().encode('utf-8-sig')


def _csv_value(value: Value) -> str:
    if value is None:
        return ''
    if isinstance(value, datetime):
        return value.strftime(CSV_DATETIME_FORMAT)
    if isinstance(value, str):
        value = clean_text(value)
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return str(value)


def xlsx_bytes(headers: Sequence[str], rows: Sequence[Sequence[Value]], *, title: str,
               widths: Sequence[int] = (), wrap_long_text: bool = False) -> bytes:  # fmt: skip
    """The rows under ``headers`` as a one-sheet XLSX workbook."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for position, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = width
    sheet.freeze_panes = 'A2'
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical='top')
    header = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)

    def cell_of(value: Value):
        if isinstance(value, str):
            value = clean_text(value)
            long = wrap_long_text and ('\n' in value or len(value) > LONG_TEXT)
            if not value.startswith('=') and not long:
                return value  # plain text: openpyxl writes it as such
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, datetime):
            cell.number_format = XLSX_DATETIME_FORMAT
        elif isinstance(value, str):
            cell.data_type = 's'  # never a formula, whatever the text starts with
            if wrap_long_text:
                cell.alignment = wrap
        return cell

    for row in rows:
        sheet.append([cell_of(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
