"""The BIÊN BẢN and the THÔNG BÁO as PDF, in the layout of Decree 30/2020.

A pure generator: plain data in (``MinutesData``, ``NoticeData``), bytes out. The blocks of a
``Document`` flow down A4 pages inside the decree's margins: justified paragraphs with a first-line
indent (split between pages line by line, headings kept with what follows), signature columns
kept whole, "Nơi nhận", and the annex table. Pages after the first are numbered in the top
margin, centred, as the decree asks.

The annex lists every delegate (2,000 rows and more), so it is drawn straight on the canvas: each
distinct cell text is measured and broken once (positions and bodies repeat a lot), a page's text
goes into one text object and its rules into one path. Platypus tables took several seconds for
the same rows.
"""

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

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
TABLE_SIZE = 11
TABLE_LEADING = 13
CELL_PAD_X = 1.5 * mm
CELL_PAD_Y = 2.5
RULE_WIDTH = 0.5
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


class AnnexTable:
    """The annex: a table of every delegate by bridge point, drawn straight on the canvas."""

    def __init__(self, flow: PdfFlow, table: Table):
        self.flow = flow
        self.canvas = flow.canvas
        self.table = table
        self.widths = [column.width_mm * mm for column in table.columns]
        scale = CONTENT_WIDTH / sum(self.widths)  # the columns fill the text width exactly
        self.widths = [width * scale for width in self.widths]
        self.xs = [MARGIN_LEFT]
        for width in self.widths:
            self.xs.append(self.xs[-1] + width)
        self.right = self.xs[-1]
        self.space = {font: stringWidth(' ', font, TABLE_SIZE) for font in (REGULAR, BOLD)}
        self._word_widths: dict[tuple[str, str], float] = {}
        self._wrapped: dict[tuple[str, str, float], tuple[tuple[str, float], ...]] = {}
        self.text = None
        self.path = None
        self.font = None
        self.page_top = 0.0
        self.run_top: float | None = None  # where the current stretch of cell rows began

    # Measuring ----------------------------------------------------------------------------------

    def _word_width(self, word: str, font: str) -> float:
        key = (word, font)
        width = self._word_widths.get(key)
        if width is None:
            width = self._word_widths[key] = stringWidth(word, font, TABLE_SIZE)
        return width

    def wrap(self, text: str, font: str, width: float) -> tuple[tuple[str, float], ...]:
        """``text`` broken to ``width``: each line with its own width; cached per text."""
        key = (text, font, width)
        cached = self._wrapped.get(key)
        if cached is not None:
            return cached
        space = self.space[font]
        lines: list[tuple[str, float]] = []
        words: list[str] = []
        used = 0.0
        for word in text.split():
            word_width = self._word_width(word, font)
            if words and used + space + word_width > width:
                lines.append((' '.join(words), used))
                words, used = [], 0.0
            if not words and word_width > width:
                for part in self._cut(word, font, width):
                    lines.append((part, self._word_width(part, font)))
                continue
            used = used + space + word_width if words else word_width
            words.append(word)
        if words:
            lines.append((' '.join(words), used))
        result = self._wrapped[key] = tuple(lines)
        return result

    def _cut(self, word: str, font: str, width: float) -> list[str]:
        parts, current = [], ''
        for char in word:
            if current and self._word_width(current + char, font) > width:
                parts.append(current)
                current = ''
            current += char
        return [*parts, current] if current else parts

    # Drawing ------------------------------------------------------------------------------------

    def draw(self) -> None:
        """Draw the header row, then each bridge point's title row and its delegates."""
        header = self._wrap_row([column.title for column in self.table.columns], BOLD)
        header_height = self._height(header)
        self._start(header, header_height)
        title_width = self.right - MARGIN_LEFT - 2 * CELL_PAD_X
        centred_columns = [column.centred for column in self.table.columns]
        for group in self.table.groups:
            title = self.wrap(group.title, BOLD, title_width)
            title_height = self._height([title])
            rows = [self._wrap_row(row, REGULAR) for row in group.rows]
            # A bridge point's title row never ends a page: its first delegate comes with it.
            needed = title_height + (self._height(rows[0]) if rows else 0)
            if needed > self.flow.room():
                self._break(header, header_height)
            self._title_row(title, title_height)
            for cells in rows:
                self._row(cells, self._height(cells), centred_columns, header, header_height)
        self._finish_page()

    def _wrap_row(self, texts, font: str) -> list[tuple[tuple[str, float], ...]]:
        return [
            self.wrap(text, font, width - 2 * CELL_PAD_X)
            for text, width in zip(texts, self.widths, strict=True)
        ]

    @staticmethod
    def _height(cells) -> float:
        return max((len(lines) for lines in cells), default=1) * TABLE_LEADING + 2 * CELL_PAD_Y

    def _start(self, header, header_height: float) -> None:
        """Begin the table on this page: its top rule and the header row."""
        self.text = self.canvas.beginText()
        self.font = None
        self.path = self.canvas.beginPath()
        self.page_top = self.flow.y
        self._hline(self.flow.y)
        self.run_top = self.flow.y
        self._cells(header, [True] * len(header), BOLD)
        self.flow.y -= header_height
        self._hline(self.flow.y)

    def _break(self, header, header_height: float) -> None:
        self._finish_page()
        self.flow.new_page()
        self._start(header, header_height)

    def _finish_page(self) -> None:
        """Close the stretch of cell rows, draw the outer rules, and put the page's ink down."""
        bottom = self.flow.y
        self._close_run(bottom)
        self._vline(MARGIN_LEFT, self.page_top, bottom)
        self._vline(self.right, self.page_top, bottom)
        canvas = self.canvas
        canvas.setLineWidth(RULE_WIDTH)
        canvas.setStrokeGray(0)
        canvas.drawPath(self.path, stroke=1, fill=0)
        canvas.drawText(self.text)

    def _close_run(self, bottom: float) -> None:
        if self.run_top is not None and self.run_top > bottom:
            for x in self.xs[1:-1]:
                self._vline(x, self.run_top, bottom)
        self.run_top = None

    def _title_row(self, title, height: float) -> None:
        self._close_run(self.flow.y)
        self._set_font(BOLD)
        baseline = self.flow.y - CELL_PAD_Y - TABLE_SIZE * 0.9
        for line, _width in title:
            self.text.setTextOrigin(MARGIN_LEFT + CELL_PAD_X, baseline)
            self.text.textOut(line)
            baseline -= TABLE_LEADING
        self.flow.y -= height
        self._hline(self.flow.y)

    def _row(self, cells, height: float, centred_columns, header, header_height: float) -> None:
        if height > self.flow.room():
            self._break(header, header_height)
        if self.run_top is None:
            self.run_top = self.flow.y
        self._cells(cells, centred_columns, REGULAR)
        self.flow.y -= height
        self._hline(self.flow.y)

    def _cells(self, cells, centred_columns, font: str) -> None:
        text = self.text
        self._set_font(font)
        top = self.flow.y - CELL_PAD_Y - TABLE_SIZE * 0.9
        for index, lines in enumerate(cells):
            left, right = self.xs[index], self.xs[index + 1]
            baseline = top
            for line, width in lines:
                if centred_columns[index]:
                    x = (left + right - width) / 2
                else:
                    x = left + CELL_PAD_X
                text.setTextOrigin(x, baseline)
                text.textOut(line)
                baseline -= TABLE_LEADING

    def _set_font(self, font: str) -> None:
        if font != self.font:
            self.text.setFont(font, TABLE_SIZE)
            self.font = font

    def _hline(self, y: float) -> None:
        self.path.moveTo(MARGIN_LEFT, y)
        self.path.lineTo(self.right, y)

    def _vline(self, x: float, top: float, bottom: float) -> None:
        self.path.moveTo(x, top)
        self.path.lineTo(x, bottom)
