"""What reading a delegate list may cost, and the checks that hold a file to it.

A delegate list is a few thousand rows of a dozen short cells. A file can be small and still
cost a worker gigabytes and minutes to read: an XLSX is a zip whose parts unpack to anything
(one row of a million empty cells is 112 KB), and a CSV can hold millions of empty lines. So a
file is held to these limits in three steps, each refusing with a message that names the limit:

1. ``inspect_list_file``, on the request, before the file is stored: the zip's directory (how
   many parts, what each unpacks to and at what ratio), each sheet's declared dimension and the
   shared-string count the workbook declares; a CSV's line count and longest line. It reads a
   few kilobytes whatever the file, so a refused upload is answered at once.
2. ``scan_xlsx_parts``, in the job, before openpyxl reads a part: a streaming pass over the
   sheets and the shared strings that stops at the first row wider than ``MAX_CELLS_PER_ROW``,
   the first row past ``MAX_ROWS_READ`` and the ``MAX_SHARED_STRINGS``-th string, whatever the
   file declared; and no part may declare a DOCTYPE (no entity expansion, no external entity).
3. The job parses in a child process with a memory and a time limit (``forum.jobs.sandbox``),
   so whatever slips past costs the worker nothing.
"""

import re
import zipfile
from xml.parsers import expat

from flask_babel import gettext as _

MAX_COLUMNS = 64  # a delegate list has a dozen columns; cells further right are ignored
MAX_CELLS_PER_ROW = 1024  # cells stored in one row; more is a crafted file
MAX_ROWS_READ = 60_000  # rows read, empty or not, before giving up
MAX_LIST_ROWS = 10_000  # delegates imported at once
MAX_SHARED_STRINGS = 200_000  # distinct texts of a workbook: 10,000 rows of a dozen cells is less
MAX_ZIP_PARTS = 1000
MAX_PART_BYTES = 64 * 1024 * 1024  # what one part of the zip may unpack to
MAX_UNPACKED_BYTES = 128 * 1024 * 1024  # what the whole zip may unpack to
MAX_RATIO = 100  # unpacked / packed, for parts above RATIO_FLOOR_BYTES
RATIO_FLOOR_BYTES = 1024 * 1024
MAX_CSV_LINES = MAX_ROWS_READ
MAX_CSV_LINE_BYTES = 64 * 1024  # one line of a CSV file: a dozen cells is a few hundred bytes
HEAD_BYTES = 16 * 1024  # how much of a part's start is read for its declared sizes

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?"')
_SST_COUNT = re.compile(rb'<(?:\w+:)?sst\b[^>]*?\buniqueCount="(\d{1,12})"')


class UnreadableFileError(ValueError):
    """The file is not a delegate list we can read; the message says why, for the user."""


class FileLimitError(UnreadableFileError):
    """The file would cost more to read than a delegate list may; the message names the limit."""


def inspect_list_file(data: bytes) -> None:
    """Refuse, from a few kilobytes of it, a file that would cost too much to read."""
    if data.startswith(b'PK\x03\x04'):
        _inspect_zip(data)
    else:
        _inspect_csv(data)


# The zip envelope -----------------------------------------------------------------------------


def _inspect_zip(data: bytes) -> None:
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # the reader says the file is not a workbook
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_ZIP_PARTS:
            raise FileLimitError(
                _(
                    'Tệp XLSX có %(count)d phần; tối đa %(max)d.',
                    count=len(parts),
                    max=MAX_ZIP_PARTS,
                )
            )
        total = 0
        for part in parts:
            _check_part_size(part)
            total += part.file_size
            if total > MAX_UNPACKED_BYTES:
                raise FileLimitError(
                    _(
                        'Tệp XLSX giải nén ra hơn %(max)d MB; một danh sách đại biểu không lớn '
                        'đến vậy.',
                        max=MAX_UNPACKED_BYTES // (1024 * 1024),
                    )
                )
        for part in parts:
            if _is_sheet(part.filename):
                _check_dimension(part.filename, _head(archive, part))
            elif part.filename.endswith('sharedStrings.xml'):
                _check_declared_strings(_head(archive, part))


def _check_part_size(part: zipfile.ZipInfo) -> None:
    if part.file_size > MAX_PART_BYTES:
        raise FileLimitError(
            _(
                'Phần %(part)s của tệp XLSX giải nén ra %(size)d MB; tối đa %(max)d MB.',
                part=part.filename,
                size=part.file_size // (1024 * 1024),
                max=MAX_PART_BYTES // (1024 * 1024),
            )
        )
    if part.file_size > RATIO_FLOOR_BYTES and part.file_size > MAX_RATIO * max(
        part.compress_size, 1
    ):
        raise FileLimitError(
            _(
                'Phần %(part)s của tệp XLSX nén %(ratio)d lần (tối đa %(max)d lần): tệp bị tạo '
                'bất thường, hãy lưu lại từ Excel.',
                part=part.filename,
                ratio=part.file_size // max(part.compress_size, 1),
                max=MAX_RATIO,
            )
        )


def _is_sheet(name: str) -> bool:
    return name.startswith('xl/worksheets/') and name.endswith('.xml')


def _head(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> bytes:
    try:
        with archive.open(part) as stream:
            return stream.read(HEAD_BYTES)
    except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, ValueError, RuntimeError):
        return b''  # a damaged part: the reader says so


def _check_dimension(name: str, head: bytes) -> None:
    found = _DIMENSION.search(head)
    if not found:
        return
    last_column, last_row = found.group(3) or found.group(1), found.group(4) or found.group(2)
    if last_row and int(last_row) > MAX_ROWS_READ:
        raise FileLimitError(
            _(
                'Trang tính %(sheet)s khai báo %(rows)d dòng; tối đa %(max)d dòng.',
                sheet=_sheet_label(name),
                rows=int(last_row),
                max=MAX_ROWS_READ,
            )
        )
    if last_column and column_number(last_column.decode()) > MAX_CELLS_PER_ROW:
        raise FileLimitError(
            _(
                'Trang tính %(sheet)s khai báo %(columns)d cột; tối đa %(max)d cột.',
                sheet=_sheet_label(name),
                columns=column_number(last_column.decode()),
                max=MAX_CELLS_PER_ROW,
            )
        )


def _check_declared_strings(head: bytes) -> None:
    found = _SST_COUNT.search(head)
    if found and int(found.group(1)) > MAX_SHARED_STRINGS:
        raise too_many_shared_strings()


def too_many_shared_strings() -> FileLimitError:
    return FileLimitError(
        _(
            'Tệp XLSX có hơn %(max)d chuỗi văn bản khác nhau; một danh sách đại biểu không có '
            'nhiều đến vậy.',
            max=MAX_SHARED_STRINGS,
        )
    )


def _sheet_label(name: str) -> str:
    return name.rsplit('/', 1)[-1].removesuffix('.xml')


def column_number(letters: str) -> int:
    """A column's number from its letters: A is 1, Z 26, AA 27, XFD 16384."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord('A') + 1
    return number


# CSV ------------------------------------------------------------------------------------------


def _inspect_csv(data: bytes) -> None:
    lines = data.count(b'\n')
    if lines > MAX_CSV_LINES:
        raise too_many_rows(MAX_CSV_LINES)
    longest = max(map(len, data.split(b'\n')), default=0)
    if longest > MAX_CSV_LINE_BYTES:
        raise too_long_line()


def too_many_rows(limit: int = MAX_ROWS_READ) -> FileLimitError:
    return FileLimitError(
        _('Tệp có hơn %(max)d dòng (kể cả dòng trống); không nhập được.', max=limit)
    )


def too_long_line() -> FileLimitError:
    return FileLimitError(
        _(
            'Tệp CSV có dòng dài hơn %(max)d KB; tối đa %(max)d KB một dòng.',
            max=MAX_CSV_LINE_BYTES // 1024,
        )
    )


def too_wide_row(row: int) -> FileLimitError:
    return FileLimitError(
        _(
            'Dòng %(row)d có hơn %(max)d ô; tối đa %(max)d ô một dòng.',
            row=row,
            max=MAX_CELLS_PER_ROW,
        )
    )


# The streaming scan of the parts (in the job) -------------------------------------------------


class _StopScan(Exception):
    pass


def scan_xlsx_parts(archive: zipfile.ZipFile) -> None:
    """Stream through every sheet and the shared strings; refuse at the first limit passed."""
    for part in archive.infolist():
        name = part.filename
        if not name.endswith(('.xml', '.rels', '.vml')):
            continue
        if _is_sheet(name):
            _scan(archive, part, _SheetCounter())
        elif name.endswith('sharedStrings.xml'):
            _scan(archive, part, _StringCounter())
        else:
            _scan(archive, part, None)  # the DOCTYPE check only


def _scan(archive: zipfile.ZipFile, part: zipfile.ZipInfo, counter) -> None:
    parser = expat.ParserCreate(namespace_separator=' ')

    def refuse_doctype(*_args):
        raise FileLimitError(
            _(
                'Phần %(part)s của tệp XLSX khai báo DOCTYPE; tệp Excel không có.',
                part=part.filename,
            )
        )

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    if counter is None:
        parser.StartElementHandler = _stop_at_root
    else:
        parser.StartElementHandler = counter.start
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(64 * 1024):
                parser.Parse(chunk, False)
            parser.Parse(b'', True)
    except _StopScan:
        return
    except FileLimitError:
        raise
    except (expat.ExpatError, zipfile.BadZipFile, OSError, EOFError, ValueError):
        return  # a damaged part: openpyxl says the file is damaged


def _stop_at_root(_name, _attributes):
    raise _StopScan


def _local(name: str) -> str:
    return name.rsplit(' ', 1)[-1]


class _SheetCounter:
    """Counts rows and the cells of each row of a sheet, as they stream past."""

    def __init__(self):
        self.row = 0
        self.cells = 0

    def start(self, name: str, attributes: dict) -> None:
        tag = _local(name)
        if tag == 'c':
            self.cells += 1
            if self.cells > MAX_CELLS_PER_ROW:
                raise too_wide_row(self.row)
        elif tag == 'row':
            number = attributes.get('r', '')
            self.row = int(number) if number.isdecimal() and len(number) < 10 else self.row + 1
            self.cells = 0
            if self.row > MAX_ROWS_READ:
                raise too_many_rows()


class _StringCounter:
    def __init__(self):
        self.count = 0

    def start(self, name: str, _attributes: dict) -> None:
        if _local(name) == 'si':
            self.count += 1
            if self.count > MAX_SHARED_STRINGS:
                raise too_many_shared_strings()
