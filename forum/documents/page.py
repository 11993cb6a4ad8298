"""The page of Decree 30/2020 (appendix I): A4, its margins, and the two-column header.

The header: on the left the issuing body (the parent body above it, the body in bold capitals,
a short rule) and the document's number; on the right the national name in bold capitals, the
motto in bold over a rule, and the place and date in italics; under both, centred, the kind of
document and its subject in bold.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from forum.documents.typesetting import balanced_lines
from forum.documents.wording import dated_line
from forum.pdf_fonts import BOLD, ITALIC, REGULAR, register_fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
# Decree 30/2020, appendix I: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 20 * mm
MARGIN_LEFT = 30 * mm
MARGIN_RIGHT = 15 * mm
CONTENT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
HEADER_LEFT_WIDTH = 62 * mm  # the issuing body; the national title needs the other 103 mm
HEADER_SIZE = 13
FIRST_LINE_INDENT = 10 * mm  # the decree asks 1–1.27 cm

NATIONAL_TITLE = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'
NATIONAL_MOTTO = 'Độc lập - Tự do - Hạnh phúc'


@dataclass(frozen=True)
class DocumentHeader:
    """What the header of one document says."""

    issuer_lines: tuple[str, ...]  # printed in bold capitals
    number: str  # "Số: 05/BB-UBND"
    locality: str  # "Hà Giang", as in "Hà Giang, ngày … tháng … năm …"
    day: date | None  # None leaves day and month blank for the clerk
    year: int
    kind: str  # "BIÊN BẢN"
    subject: str  # the subject (trích yếu), centred in bold under the kind
    parent_body_lines: tuple[str, ...] = ()


def draw_header(canvas, header: DocumentHeader) -> float:
    """Draw the header at the top of the page (or only measure it, when ``canvas`` is None);
    return the y under it."""
    size = HEADER_SIZE
    step = size * 1.25
    left_centre = MARGIN_LEFT + HEADER_LEFT_WIDTH / 2
    right_width = CONTENT_WIDTH - HEADER_LEFT_WIDTH
    right_centre = MARGIN_LEFT + HEADER_LEFT_WIDTH + right_width / 2
    centre = MARGIN_LEFT + CONTENT_WIDTH / 2
    first = PAGE_HEIGHT - MARGIN_TOP - size * 0.9

    def caps(lines, font):
        return [
            line
            for text in lines
            for line in balanced_lines(text.upper(), font, size, HEADER_LEFT_WIDTH)
        ]

    parent, issuer = caps(header.parent_body_lines, REGULAR), caps(header.issuer_lines, BOLD)
    issuer_top = first - step * len(parent)
    issuer_rule = issuer_top - step * (len(issuer) - 1) - size * 0.45
    motto = first - step
    motto_rule = motto - size * 0.45
    dated = min(issuer_rule, motto_rule) - step
    kind = dated - 1.6 * step
    subject_size = size + 1
    subject = balanced_lines(header.subject, BOLD, subject_size, CONTENT_WIDTH - 20 * mm)
    subject_top = kind - subject_size * 1.25
    subject_rule = subject_top - subject_size * 1.25 * (len(subject) - 1) - size * 0.5
    if canvas is None:
        return subject_rule - size * 0.3

    canvas.setFillGray(0)
    canvas.setStrokeGray(0)
    canvas.setLineWidth(0.6)
    centred(canvas, parent, REGULAR, size, left_centre, first)
    centred(canvas, issuer, BOLD, size, left_centre, issuer_top)
    if issuer:
        issuer_width = max(stringWidth(line, BOLD, size) for line in issuer)
        rule(canvas, left_centre, issuer_rule, issuer_width * 0.4)
    title_size = size if stringWidth(NATIONAL_TITLE, BOLD, size) <= right_width else 12
    centred(canvas, [NATIONAL_TITLE], BOLD, title_size, right_centre, first)
    centred(canvas, [NATIONAL_MOTTO], BOLD, size, right_centre, motto)
    rule(canvas, right_centre, motto_rule, stringWidth(NATIONAL_MOTTO, BOLD, size))
    centred(canvas, [header.number], REGULAR, size, left_centre, dated)
    date_text = dated_line(header.locality, header.day, header.year)
    centred(canvas, [date_text], ITALIC, size, right_centre, dated)
    centred(canvas, [header.kind], BOLD, subject_size, centre, kind)
    centred(canvas, subject, BOLD, subject_size, centre, subject_top)
    subject_width = max(stringWidth(line, BOLD, subject_size) for line in subject)
    rule(canvas, centre, subject_rule, min(subject_width / 3, 60 * mm))
    return subject_rule - size * 0.3


def centred(canvas, lines: list[str], font: str, size: float, centre: float, baseline: float):
    """Draw lines centred on ``centre`` from ``baseline`` down; return the last baseline."""
    canvas.setFont(font, size)
    for index, line in enumerate(lines):
        if index:
            baseline -= size * 1.25
        canvas.drawCentredString(centre, baseline, line)
    return baseline


def rule(canvas, centre: float, y: float, length: float) -> None:
    """A horizontal rule of ``length`` centred on ``centre``."""
    canvas.line(centre - length / 2, y, centre + length / 2, y)


@contextmanager
def binary_streams() -> Iterator[None]:
    """Compressed streams without the ASCII85 layer reportlab adds by default.

    Without reportlab's C accelerators ASCII85 runs in pure Python and took a third of the
    time; binary streams are as valid and a fifth smaller. The setting is process-wide: two
    documents written at once may leave it off, which only makes other PDFs binary too.
    """
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


@contextmanager
def official_canvas(title: str, author: str, subject: str, *, compress: bool = True):
    """A canvas for an A4 document whose bytes depend only on what is drawn; yields
    ``(canvas, buffer)`` and saves the document when the block ends."""
    register_fonts()
    buffer = BytesIO()
    with binary_streams():
        canvas = Canvas(
            buffer,
            pagesize=A4,
            pageCompression=int(compress),
            invariant=True,  # the same data gives the same bytes
            initialFontName=REGULAR,  # else every page names Helvetica, though none uses it
        )
        canvas.setTitle(title)
        canvas.setAuthor(author)
        canvas.setSubject(subject)
        canvas.setCreator('forum')
        yield canvas, buffer
        canvas.save()
