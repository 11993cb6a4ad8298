"""Typesetting: greedy line breaking over runs of fonts, justified with the PDF word spacing.

Widths are measured once per piece of text and cached, so a document that repeats its words
(a 2,000-row annex of positions and bodies) measures each of them once.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from reportlab.pdfbase.pdfmetrics import stringWidth

from forum.pdf_fonts import REGULAR

PARAGRAPH_SPACE = 6  # the decree asks at least 6 pt between paragraphs

Piece = tuple[str, str]  # (text, font name)
Word = tuple[Piece, ...]  # pieces with no space between them, e.g. a bold name and a comma
BREAK_AFTER = '/-.?&=_'  # where a word wider than the line (a link) is cut


@dataclass
class Line:
    words: list[Word]
    widths: list[float]
    x: float
    width: float
    justify: bool


class Typesetter:
    """Measures and breaks text at one size; the width of each piece is measured once."""

    def __init__(self, size: float, leading: float = 1.15):
        self.size = size
        self.leading = size * leading
        self.space = stringWidth(' ', REGULAR, size)
        self._widths: dict[Piece, float] = {}

    def width(self, piece: Piece) -> float:
        """The width of a piece of text in its font."""
        width = self._widths.get(piece)
        if width is None:
            width = self._widths[piece] = stringWidth(piece[0], piece[1], self.size)
        return width

    def word_width(self, word: Word) -> float:
        """The width of a word: its pieces side by side."""
        return sum(self.width(piece) for piece in word)

    def lines(
        self,
        runs: Sequence[Piece],
        x: float,
        width: float,
        *,
        indent: float = 0,
        hang: float = 0,
        justify: bool = True,
    ) -> list[Line]:
        """Break runs into lines: the first starts ``indent`` in, the others ``hang`` in."""
        lines = [Line([], [], x + indent, width - indent, justify)]
        used = 0.0
        for word in split_words(runs):
            word_width = self.word_width(word)
            line = lines[-1]
            if line.words and used + self.space + word_width > line.width:
                line = Line([], [], x + hang, width - hang, justify)
                lines.append(line)
            if not line.words and word_width > line.width:
                for part in self._cut(word, line.width):
                    if line.words:
                        line = Line([], [], x + hang, width - hang, justify)
                        lines.append(line)
                    line.words.append(part)
                    line.widths.append(self.word_width(part))
                used = line.widths[-1]
                continue
            used = used + self.space + word_width if line.words else word_width
            line.words.append(word)
            line.widths.append(word_width)
        lines[-1].justify = False  # the last line of a paragraph stays ragged
        return lines

    def _cut(self, word: Word, width: float) -> list[Word]:
        """Cut a word wider than the line, after a slash or a dash where one is near the end."""
        chars = [(char, font) for text, font in word for char in text]
        parts: list[Word] = []
        while chars:
            used, end, good = 0.0, 0, 0
            while end < len(chars):
                used += self.width(chars[end])
                if used > width and end:
                    break
                end += 1
                if chars[end - 1][0] in BREAK_AFTER:
                    good = end
            cut = good if end < len(chars) and good > end // 2 else end
            parts.append(_join_chars(chars[:cut]))
            chars = chars[cut:]
        return parts


def _join_chars(chars: list[Piece]) -> Word:
    pieces: list[list[str]] = []
    for char, font in chars:
        if pieces and pieces[-1][1] == font:
            pieces[-1][0] += char
        else:
            pieces.append([char, font])
    return tuple((text, font) for text, font in pieces)


def split_words(runs: Sequence[Piece]) -> list[Word]:
    """The words of runs of text in several fonts; whitespace in any run separates words."""
    words: list[Word] = []
    current: list[Piece] = []
    for text, font in runs:
        for index, part in enumerate(text.split()):
            if (index or text[:1].isspace()) and current:
                words.append(tuple(current))
                current = []
            current.append((part, font))
        if text[-1:].isspace() and current:
            words.append(tuple(current))
            current = []
    if current:
        words.append(tuple(current))
    return words


def draw_lines(canvas, lines: list[Line], top: float, typesetter: Typesetter) -> None:
    """Draw lines, the first one's top at ``top``; justified lines stretch their spaces (Tw)."""
    size = typesetter.size
    text = canvas.beginText()
    baseline = top - size * 0.9
    font, word_space = None, 0.0
    for line in lines:
        text.setTextOrigin(line.x, baseline)
        gaps = len(line.words) - 1
        extra = 0.0
        if line.justify and gaps:
            extra = (line.width - sum(line.widths) - gaps * typesetter.space) / gaps
        if extra != word_space:
            text.setWordSpace(extra)
            word_space = extra
        for index, word in enumerate(line.words):
            last_piece = len(word) - 1
            for piece_index, (piece, piece_font) in enumerate(word):
                if piece_font != font:
                    text.setFont(piece_font, size)
                    font = piece_font
                space = ' ' if piece_index == last_piece and index < gaps else ''
                text.textOut(piece + space)
        baseline -= typesetter.leading
    if word_space:
        text.setWordSpace(0)
    canvas.drawText(text)


@dataclass
class Paragraph:
    """Lines set by one typesetter, with space above and optional labels in the margin."""

    lines: list[Line]
    typesetter: Typesetter
    space_before: float = PARAGRAPH_SPACE
    labels: list[tuple[float, str, str]] = field(default_factory=list)  # (x, text, font)

    @property
    def height(self) -> float:
        return self.space_before + len(self.lines) * self.typesetter.leading

    def draw(self, canvas, top: float) -> float:
        """Draw the paragraph below ``top``; return the y under it."""
        top -= self.space_before
        size = self.typesetter.size
        for x, label, font in self.labels:
            canvas.setFont(font, size)
            canvas.drawString(x, top - size * 0.9, label)
        draw_lines(canvas, self.lines, top, self.typesetter)
        return top - len(self.lines) * self.typesetter.leading


def block_height(block: list[Paragraph]) -> float:
    """The height of paragraphs set one under the other."""
    return sum(paragraph.height for paragraph in block)


def draw_block(canvas, block: list[Paragraph], top: float) -> None:
    """Draw paragraphs one under the other from ``top``."""
    for paragraph in block:
        top = paragraph.draw(canvas, top)


def balanced_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` in the fewest lines (up to six) that fit ``width``, the breaks chosen to even the
    lines out: the widest line as narrow as it can be, ties to the earliest breaks."""
    words = text.split()
    if len(words) < 2 or stringWidth(text, font, size) <= width:
        return [' '.join(words)]
    spans: dict[tuple[int, int], float] = {}

    def span(start: int, end: int) -> float:
        if (start, end) not in spans:
            spans[start, end] = stringWidth(' '.join(words[start:end]), font, size)
        return spans[start, end]

    best: list[str] = []
    for count in range(2, min(len(words), 6) + 1):
        cuts, widest = _balanced_cuts(len(words), count, span)
        bounds = (0, *cuts, len(words))
        best = [' '.join(words[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]
        if widest <= width:
            break
    return best


def _balanced_cuts(total: int, count: int, span) -> tuple[list[int], float]:
    """Where to cut ``total`` words into ``count`` lines so that the widest is narrowest.

    A dynamic programme over (first word, lines left) finds that width; then the cuts are taken
    as early as that width allows, which is the first such split in the order of
    ``itertools.combinations`` — the order an exhaustive search would have kept.
    """
    narrowest: dict[tuple[int, int], float] = {}

    def least_widest(start: int, lines: int) -> float:
        key = (start, lines)
        if key not in narrowest:
            if lines == 1:
                narrowest[key] = span(start, total)
            else:
                narrowest[key] = min(
                    max(span(start, end), least_widest(end, lines - 1))
                    for end in range(start + 1, total - lines + 2)
                )
        return narrowest[key]

    widest = least_widest(0, count)
    cuts, start = [], 0
    for lines in range(count, 1, -1):
        start = next(
            end
            for end in range(start + 1, total - lines + 2)
            if span(start, end) <= widest and least_widest(end, lines - 1) <= widest
        )
        cuts.append(start)
    return cuts, widest
