"""Building delegate list files in memory, as Excel and other tools write them."""

import csv
import io
import unicodedata

from forum.text import TONE_MARKS

HEADER = ['STT', 'Họ và tên', 'Chức vụ', 'Đơn vị', 'Điểm cầu', 'Email', 'Số điện thoại']


def csv_text(rows: list[list], delimiter: str = ',') -> str:
    """Rows as CSV text with CRLF line ends, as Excel saves them."""
    buffer = io.StringIO(newline='')
    csv.writer(buffer, delimiter=delimiter, lineterminator='\r\n').writerows(rows)
    return buffer.getvalue()


def to_cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: a base letter (with its vowel mark) plus a tone mark."""
    out = bytearray()
    for char in unicodedata.normalize('NFC', text):
        try:
            out += char.encode('cp1258')
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize('NFD', char)
            tones = ''.join(c for c in decomposed if c in TONE_MARKS)
            base = unicodedata.normalize(
                'NFC', ''.join(c for c in decomposed if c not in TONE_MARKS)
            )
            out += (base + tones).encode('cp1258')
    return bytes(out)


def csv_bytes(rows: list[list], encoding: str = 'utf-8', delimiter: str = ',') -> bytes:
    """Rows as a CSV file in ``encoding`` ('cp1258' writes decomposed tones, as Windows does)."""
    text = csv_text(rows, delimiter)
    if encoding == 'cp1258':
        return to_cp1258(text)
    if encoding == 'utf-16-le-bom':
        return b'\xff\xfe' + text.encode('utf-16-le')
    if encoding == 'utf-16-be-bom':
        return b'\xfe\xff' + text.encode('utf-16-be')
    return text.encode(encoding)


def xlsx_bytes(rows: list[list], *, sheets: dict[str, list[list]] | None = None) -> bytes:
    """Rows as the first sheet of an XLSX workbook (numbers stay numbers)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for title, extra_rows in (sheets or {}).items():
        extra = workbook.create_sheet(title)
        for row in extra_rows:
            extra.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
