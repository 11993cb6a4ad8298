"""The BIÊN BẢN and the THÔNG BÁO as PDF, in the layout of Decree 30/2020.

A pure generator: plain data in (``MinutesData``, ``NoticeData``), bytes out. The blocks of a
``Document`` flow down A4 pages inside the decree's margins: justified paragraphs with a first-line
indent (split between pages line by line, headings kept with what follows), signature columns
kept whole, "Nơi nhận", and the annex table. Pages after the first are numbered in the top
margin, centred, as the decree asks.

The annex lists every delegate (2,000 rows and more), so it is drawn straight on the canvas
(``forum.minutes.pdf_table``): platypus tables took several seconds for the same rows.
"""

from reportlab.lib.units import mm

from forum.documents.page import (
    CONTENT_WIDTH,
    FIRST_LINE_INDENT,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_TOP,
    PAGE_HEIGHT,
    centred,
    draw_header,
    official_canvas,
)
from forum.documents.typesetting import Line, Typesetter, draw_lines
from forum.minutes.blocks import Document, PageBreak, Para, Recipients, Signatures, Table
from forum.minutes.content import minutes_document, notice_document
from forum.minutes.pdf_table import AnnexTable
from forum.minutes.records import MinutesData, NoticeData
from forum.pdf_fonts import BOLD, BOLD_ITALIC, REGULAR

LEADING = 1.2  # the decree asks at least single spacing
PAGE_NUMBER_BASELINE = PAGE_HEIGHT - 13 * mm  # in the top margin, as the decree asks
PAGE_NUMBER_SIZE = 13
SIGNATURE_WIDTH = 80 * mm
SIGNING_SPACE = 25 * mm  # for the hand signature and the seal
RECIPIENTS_WIDTH = 75 * mm
RECIPIENTS_TITLE_SIZE = 12
RECIPIENTS_SIZE = 11
PARAGRAPH_GAP = 12  # above "Nơi nhận" when it stands alone
BOTTOM = MARGIN_BOTTOM
TOP = PAGE_HEIGHT - MARGIN_TOP


def render_minutes(data: MinutesData) -> bytes:
    """The BIÊN BẢN, its annex included, as PDF bytes."""
    return render_document(minutes_document(data))


def render_notice(data: NoticeData) -> bytes:
    """The THÔNG BÁO kết luận as PDF bytes."""
    return render_document(notice_document(data))


def render_document(document: Document, *, compress: bool = True) -> bytes:
    """A ``Document`` as PDF bytes; the same document always gives the same bytes."""
    metadata = (document.title, document.author, document.subject)
    with official_canvas(*metadata, compress=compress) as (canvas, buffer):
        PdfFlow(canvas, document).render()
    return buffer.getvalue()


class PdfFlow:
    """Draws the blocks of a document down the pages, from the header on."""

    def __init__(self, canvas, document: Document):
        self.canvas = canvas
        self.document = document
        self.body = Typesetter(document.body_size, LEADING)
        self.small = Typesetter(RECIPIENTS_SIZE, LEADING)
        self.y = TOP
        self.page = 1

    def render(self) -> None:
        """Draw the whole document and close its last page."""
        self.y = draw_header(self.canvas, self.document.header)
        blocks = self.document.blocks
        for index, block in enumerate(blocks):
            if isinstance(block, Para):
                self._paragraph(block, blocks[index + 1 :])
            elif isinstance(block, Signatures):
                self._signatures(block)
            elif isinstance(block, Recipients):
                self._recipients(block.lines)
            elif isinstance(block, PageBreak):
                self.new_page()
            elif isinstance(block, Table):
                AnnexTable(self, block).draw()
        self.canvas.showPage()

    # Pages --------------------------------------------------------------------------------------

    def new_page(self) -> None:
        """Close this page and start the next, with its number in the top margin."""
        self.canvas.showPage()
        self.page += 1
        centred(
            self.canvas,
            [str(self.page)],
            REGULAR,
            PAGE_NUMBER_SIZE,
            MARGIN_LEFT + CONTENT_WIDTH / 2,
            PAGE_NUMBER_BASELINE,
        )
        self.y = TOP

    @property
    def at_top(self) -> bool:
        """Whether nothing has been drawn on this page yet (below the header)."""
        return self.y >= TOP

    def room(self) -> float:
        """The height left on this page above the bottom margin."""
        return self.y - BOTTOM

    # Paragraphs ---------------------------------------------------------------------------------

    def lines_of(self, para: Para) -> list[Line]:
        """The paragraph broken into lines: justified with a first-line indent, or centred."""
        if not para.centred:
            return self.body.lines(para.runs, MARGIN_LEFT, CONTENT_WIDTH, indent=FIRST_LINE_INDENT)
        lines = self.body.lines(para.runs, MARGIN_LEFT, CONTENT_WIDTH, justify=False)
        for line in lines:
            used = sum(line.widths) + self.body.space * (len(line.words) - 1)
            line.x = MARGIN_LEFT + (CONTENT_WIDTH - used) / 2
        return lines

    def _paragraph(self, para: Para, following) -> None:
        lines = self.lines_of(para)
        leading = self.body.leading
        # A heading stays with the start of what follows it: its chain of headings, then two
        # lines of the next paragraph (or all of a shorter block).
        needed = para.space_before + len(lines) * leading
        if para.keep_with_next:
            for block in following:
                if not isinstance(block, Para):
                    needed += 4 * leading
                    break
                more = self.lines_of(block)
                if block.keep_with_next:
                    needed += block.space_before + len(more) * leading
                    continue
                needed += block.space_before + min(len(more), 2) * leading
                break
        else:
            needed = para.space_before + min(len(lines), 2) * leading
        if needed > self.room() and not self.at_top:
            self.new_page()
        if not self.at_top:
            self.y -= para.space_before
        while lines:
            fit = max(int(self.room() // leading), 0)
            if fit == 0:
                self.new_page()
                continue
            chunk, lines = lines[:fit], lines[fit:]
            draw_lines(self.canvas, chunk, self.y, self.body)
            self.y -= len(chunk) * leading

    # Signatures and recipients -----------------------------------------------------------------

    def _signature_height(self, signatures: Signatures) -> float:
        size = self.body.size
        tallest = max(len(column.lines) for column in signatures.columns)
        return size * 1.25 * tallest + SIGNING_SPACE + size * 1.25

    def _recipients_height(self, lines: tuple[str, ...]) -> float:
        return RECIPIENTS_TITLE_SIZE * 1.3 + sum(
            len(self._recipient_lines(index, line, lines)) * self.small.leading
            for index, line in enumerate(lines)
        )

    def _recipient_lines(self, index: int, line: str, lines: tuple[str, ...]) -> list[Line]:
        end = '.' if index == len(lines) - 1 else ';'
        hang = self.small.width(('- ', REGULAR))
        return self.small.lines(
            [(f'- {line}{end}', REGULAR)], MARGIN_LEFT, RECIPIENTS_WIDTH, hang=hang, justify=False
        )

    def _signatures(self, signatures: Signatures) -> None:
        size = self.body.size
        height = self._signature_height(signatures)
        if signatures.recipients is not None:
            height = max(height, self._recipients_height(signatures.recipients))
        space = 2 * size
        if height + space > self.room() and not self.at_top:
            self.new_page()
        top = self.y - (0 if self.at_top else space)
        if signatures.recipients is not None or len(signatures.columns) == 1:
            centres = [MARGIN_LEFT + CONTENT_WIDTH - SIGNATURE_WIDTH / 2]
        else:
            step = CONTENT_WIDTH / len(signatures.columns)
            centres = [MARGIN_LEFT + step * (i + 0.5) for i in range(len(signatures.columns))]
        for centre, column in zip(centres, signatures.columns, strict=False):
            last = centred(self.canvas, list(column.lines), BOLD, size, centre, top - size * 0.9)
            centred(self.canvas, [column.name], BOLD, size, centre, last - SIGNING_SPACE)
        if signatures.recipients is not None:
            self.y = top
            self._draw_recipients(signatures.recipients)
        self.y = top - height

    def _recipients(self, lines: tuple[str, ...]) -> None:
        height = self._recipients_height(lines) + PARAGRAPH_GAP
        if height > self.room() and not self.at_top:
            self.new_page()
        elif not self.at_top:
            self.y -= PARAGRAPH_GAP
        self._draw_recipients(lines)

    def _draw_recipients(self, lines: tuple[str, ...]) -> None:
        canvas = self.canvas
        canvas.setFont(BOLD_ITALIC, RECIPIENTS_TITLE_SIZE)
        canvas.drawString(MARGIN_LEFT, self.y - RECIPIENTS_TITLE_SIZE * 0.9, 'Nơi nhận:')
        self.y -= RECIPIENTS_TITLE_SIZE * 1.3
        for index, line in enumerate(lines):
            set_lines = self._recipient_lines(index, line, lines)
            draw_lines(canvas, set_lines, self.y, self.small)
            self.y -= len(set_lines) * self.small.leading
