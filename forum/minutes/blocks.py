"""The blocks a document is made of (paragraphs, signatures, recipients, tables), which the
PDF and the .docx renderers draw the same way."""

from dataclasses import dataclass

from forum.documents.page import DocumentHeader

Run = tuple[str, str]  # (text, font): REGULAR, BOLD, ITALIC or BOLD_ITALIC


@dataclass(frozen=True)
class Para:
    """A paragraph: justified with a first-line indent, or centred."""

    runs: tuple[Run, ...]
    centred: bool = False
    keep_with_next: bool = False
    space_before: float = 6


@dataclass(frozen=True)
class Signature:
    """One signature column: the authority in bold capitals, then the name after the space."""

    lines: tuple[str, ...]
    name: str


@dataclass(frozen=True)
class Signatures:
    """Signature columns side by side; with ``recipients``, "Nơi nhận" on the left of them."""

    columns: tuple[Signature, ...]
    recipients: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Recipients:
    lines: tuple[str, ...]


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Column:
    title: str
    width_mm: float
    centred: bool = False


@dataclass(frozen=True)
class TableGroup:
    """A title row across the table, then rows of cells."""

    title: str
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    groups: tuple[TableGroup, ...]


Block = Para | Signatures | Recipients | PageBreak | Table


@dataclass(frozen=True)
class Document:
    header: DocumentHeader
    blocks: tuple[Block, ...]
    title: str  # the file's metadata
    author: str
    subject: str
    body_size: float = 13


ANNEX_COLUMNS = (
    Column('TT', 11, centred=True),
    Column('Họ và tên', 42),
    Column('Chức vụ', 39),
    Column('Đơn vị', 45),
    Column('Điểm danh', 28, centred=True),
)
