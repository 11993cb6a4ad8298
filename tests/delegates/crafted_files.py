"""Delegate list files crafted to cost a reader much more than their size: what an attacker
(or a spreadsheet gone wrong) uploads. Each is a real XLSX or CSV, built in memory."""

import io
import random
import string
import zipfile

from tests.delegates.files import HEADER, xlsx_bytes

SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def replace_parts(workbook: bytes, parts: dict[str, bytes], **options) -> bytes:
    """The workbook with some of its parts replaced (or added)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook)) as source,
        zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for item in source.infolist():
            if item.filename not in parts:
                target.writestr(item.filename, source.read(item.filename))
        for name, content in parts.items():
            target.writestr(name, content, **options)
    return out.getvalue()


def _sheet(rows_xml: bytes, dimension: bytes = b'A1:B2') -> bytes:
    return (
        SHEET_START
        + b'<dimension ref="' + dimension + b'"/><sheetData>'
        + rows_xml
        + b'</sheetData></worksheet>'
    )  # fmt: skip


def a_million_cells_in_one_row() -> bytes:
    """The issue's 112 KB file: one row of a million (empty, styled) cells."""
    row = b'<row r="1">' + b'<c s="0"/>' * 1_000_000 + b'</row>'
    return replace_parts(xlsx_bytes([HEADER]), {'xl/worksheets/sheet1.xml': _sheet(row)})


def a_wide_row_that_packs_like_data(cells: int = 3000) -> bytes:
    """A row of random numbers: it compresses as data does (no suspicious ratio), and its
    dimension lies (A1:B2), so only counting the cells as they stream past finds it."""
    rng = random.Random(11)
    values = b''.join(b'<c><v>%d</v></c>' % rng.randrange(10**12) for _ in range(cells))
    return replace_parts(
        xlsx_bytes([HEADER]),
        {'xl/worksheets/sheet1.xml': _sheet(b'<row r="1">' + values + b'</row>')},
    )


def declared_dimension(ref: bytes) -> bytes:
    return replace_parts(
        xlsx_bytes([HEADER]),
        {'xl/worksheets/sheet1.xml': _sheet(b'<row r="1"><c><v>1</v></c></row>', ref)},
    )


def a_cell_far_down() -> bytes:
    """One cell on row 1,000,000 (with a dimension that says nothing of it): a reader that fills
    the rows in between builds a million of them."""
    rows = b'<row r="1"><c><v>1</v></c></row><row r="1000000"><c><v>2</v></c></row>'
    return replace_parts(xlsx_bytes([HEADER]), {'xl/worksheets/sheet1.xml': _sheet(rows, b'A1')})


def _shared_strings(count: int, *, declared: int | None, distinct: bool) -> bytes:
    if not distinct:
        items = b'<si><t>a</t></si>' * count
    else:
        rng = random.Random(7)
        items = b''.join(
            b'<si><t>' + ''.join(rng.choices(string.ascii_letters, k=8)).encode() + b'</t></si>'
            for _ in range(count)
        )
    attributes = b' count="%d" uniqueCount="%d"' % (declared, declared) if declared else b''
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        + attributes + b'>' + items + b'</sst>'
    )  # fmt: skip


def many_shared_strings(count: int, *, declared: int | None = None, distinct: bool = True) -> bytes:
    """A workbook whose shared-string table holds ``count`` texts (distinct ones, or the same
    one: the issue's 176 KB file) and declares ``declared`` of them (None: declares nothing, as
    a crafted file may)."""
    return replace_parts(
        xlsx_bytes([HEADER, ['1', 'Nguyễn Văn An', 'Chủ tịch', 'UBND', 'Hà Giang', '', '']]),
        {'xl/sharedStrings.xml': _shared_strings(count, declared=declared, distinct=distinct)},
    )


def an_entity_bomb() -> bytes:
    """The billion laughs in a sheet: a few hundred bytes that expand to gigabytes."""
    entities = b'<!ENTITY a0 "ha">' + b''.join(
        b'<!ENTITY a%d "&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;">'
        % ((i,) + (i - 1,) * 10)
        for i in range(1, 10)
    )
    sheet = (
        b'<?xml version="1.0"?><!DOCTYPE worksheet [' + entities + b']>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c t="inlineStr"><is><t>&a9;</t></is></c></row></sheetData>'
        b'</worksheet>'
    )
    return replace_parts(xlsx_bytes([HEADER]), {'xl/worksheets/sheet1.xml': sheet})


def too_many_parts(count: int = 1500) -> bytes:
    parts = {f'xl/media/image{i}.xml': b'<a/>' for i in range(count)}
    return replace_parts(xlsx_bytes([HEADER]), parts)


def millions_of_lines(lines: int = 2_500_000) -> bytes:
    """The issue's CSV: a header, then 2.5 million short lines."""
    return ','.join(HEADER).encode() + b'\n' + b'a\n' * lines


def one_long_line(length: int = 200_000) -> bytes:
    return ','.join(HEADER).encode() + b'\n' + b',' * length + b'\n'
