"""Writing a delegate list as XLSX or CSV with the headers the import reads back.

Pure: rows of text in, file bytes out. The CSV is UTF-8 with a BOM and CRLF line ends, so Excel
opens it with the Vietnamese letters intact.
"""

import csv
import io

from forum.delegates.importing import FORMULA_STARTS, HEADERS, ListColumn
from forum.text import clean_text

NUMBER_HEADER = 'STT'  # số thứ tự; the import ignores it
EXPORT_COLUMNS = (
    ListColumn.FULL_NAME,
    ListColumn.POSITION,
    ListColumn.BODY,
    ListColumn.VENUE,
    ListColumn.VENUE_CODE,
    ListColumn.EMAIL,
    ListColumn.PHONE,
    ListColumn.ROLE,
)
EXPORT_HEADERS = [NUMBER_HEADER, *(HEADERS[column] for column in EXPORT_COLUMNS)]
COLUMN_WIDTHS = [6, 28, 28, 36, 28, 12, 30, 16, 14]
XLSX_MIMETYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
CSV_MIMETYPE = 'text/csv; charset=utf-8'


def export_filename(forum_id: int, unit_code: str | None, file_format: str) -> str:
    """An ASCII file name: ``dai-bieu-7.xlsx``, or ``dai-bieu-7-00688.csv`` for one point."""
    point = f'-{unit_code}' if unit_code else ''
    return f'dai-bieu-{forum_id}{point}.{file_format}'


def to_csv(rows: list[list[str]]) -> bytes:
    """The rows under the export headers as CSV: UTF-8 with BOM, comma, CRLF."""
    buffer = io.StringIO(newline='')
    writer = csv.writer(buffer, lineterminator='\r\n')
    writer.writerow(EXPORT_HEADERS)
    for number, row in enumerate(rows, start=1):
        writer.writerow([number, *(_defuse(value) for value in row)])
    return buffer.getvalue().encode('utf-8-sig')


def _defuse(value: str) -> str:
    # Excel would run it as a formula; the import strips the quote again. Cleaned, as rows
    # stored before the boundary cleaned every input may hold controls.
    value = clean_text(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def to_xlsx(rows: list[list[str]], *, title: str = 'Đại biểu') -> bytes:
    """The rows under the export headers as an XLSX workbook of one sheet, every cell text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for position, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = width
    sheet.freeze_panes = 'A2'
    bold = Font(bold=True)
    header = []
    for text in EXPORT_HEADERS:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *(_text_cell(sheet, value, WriteOnlyCell) for value in row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text_cell(sheet, value: str, cell_class):
    value = clean_text(value)  # openpyxl refuses controls, which older rows may hold
    if not value.startswith('='):
        return value
    cell = cell_class(sheet, value=value)
    cell.data_type = 's'  # a name or position starting with "=" is text, not a formula
    return cell
