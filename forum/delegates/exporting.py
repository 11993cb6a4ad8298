"""Writing a delegate list as XLSX or CSV with the headers the import reads back
(``forum.spreadsheets`` writes them: rows of text in, file bytes out)."""

from forum.delegates.importing import HEADERS, ListColumn
from forum.spreadsheets import CSV_MIMETYPE, XLSX_MIMETYPE, csv_bytes, xlsx_bytes

__all__ = ['CSV_MIMETYPE', 'XLSX_MIMETYPE', 'export_filename', 'to_csv', 'to_xlsx']

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


def export_filename(forum_id: int, unit_code: str | None, file_format: str) -> str:
    """An ASCII file name: ``dai-bieu-7.xlsx``, or ``dai-bieu-7-00688.csv`` for one point."""
    point = f'-{unit_code}' if unit_code else ''
    return f'dai-bieu-{forum_id}{point}.{file_format}'


def to_csv(rows: list[list[str]]) -> bytes:
    """The rows, numbered, under the export headers as CSV."""
    return csv_bytes(EXPORT_HEADERS, _numbered(rows))


def to_xlsx(rows: list[list[str]], *, title: str = 'Đại biểu') -> bytes:
    """The rows, numbered, under the export headers as an XLSX workbook of one sheet."""
    return xlsx_bytes(EXPORT_HEADERS, _numbered(rows), title=title, widths=COLUMN_WIDTHS)


def _numbered(rows: list[list[str]]) -> list[list]:
    return [[number, *row] for number, row in enumerate(rows, start=1)]
