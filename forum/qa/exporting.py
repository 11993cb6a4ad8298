"""Writing the live queue's items as XLSX or CSV, for the secretariat's report.

Pure: headers and rows of plain values (text, numbers, local ``datetime``s, None) in, file bytes
out. The CSV is UTF-8 with a BOM and CRLF line ends, so Excel opens it with the Vietnamese letters
intact; text that Excel would run as a formula is defused in both formats.
"""

import csv
import io
from collections.abc import Sequence
from datetime import datetime

from forum.text import clean_text

XLSX_MIMETYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
CSV_MIMETYPE = 'text/csv; charset=utf-8'
FORMULA_STARTS = ('=', '+', '-', '@', '\t', '\r')
DATETIME_FORMAT = '%d/%m/%Y %H:%M'
XLSX_DATETIME_FORMAT = 'dd/mm/yyyy hh:mm'

Value = str | int | datetime | None


def export_filename(forum_id: int, file_format: str) -> str:
    """An ASCII file name: ``hoi-dap-7.xlsx``."""
    return f'hoi-dap-{forum_id}.{file_format}'


def to_csv(headers: Sequence[str], rows: Sequence[Sequence[Value]]) -> bytes:
    """The rows under ``headers`` as CSV: UTF-8 with BOM, comma, CRLF, times as dd/mm/yyyy HH:MM."""
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
        return value.strftime(DATETIME_FORMAT)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value  # "- Đề nghị …" would otherwise be read as a formula
    return str(value)


def to_xlsx(
    headers: Sequence[str],
    rows: Sequence[Sequence[Value]],
    *,
    title: str = 'Hỏi đáp',
    widths: Sequence[int] = (),
) -> bytes:
    """The rows under ``headers`` as a one-sheet XLSX workbook (write-only, so it streams)."""
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
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, str):
                value = clean_text(value)  # openpyxl refuses controls, which older rows may hold
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, datetime):
                cell.number_format = XLSX_DATETIME_FORMAT
            elif isinstance(value, str):
                cell.data_type = 's'  # never a formula, whatever the text starts with
                if '\n' in value or len(value) > 60:
                    cell.alignment = wrap
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
