"""The annex table of the BIÊN BẢN on the PDF canvas: every delegate (2,000 rows and more), each
distinct cell text measured and broken once (positions and bodies repeat a lot), a page's text in
one text object and its rules in one path, the header row repeated on every page."""

from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from forum.documents.page import (
    CONTENT_WIDTH,
    MARGIN_LEFT,
)
from forum.minutes.blocks import Table
from forum.pdf_fonts import BOLD, REGULAR

if TYPE_CHECKING:
    from forum.minutes.pdf import PdfFlow

TABLE_SIZE = 11
TABLE_LEADING = 13
CELL_PAD_X = 1.5 * mm
CELL_PAD_Y = 2.5
RULE_WIDTH = 0.5


class AnnexTable:
    """The annex: a table of every delegate by bridge point, drawn straight on the canvas."""

    def __init__(self, flow: 'PdfFlow', table: Table):
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
