"""The invitation (GIẤY MỜI) as PDF: one A4 page per delegate in the layout of Decree 30/2020.

A pure generator: it takes plain data (``InvitationForum``, ``InvitationCard``) and returns bytes.
What is the same on every page (the header, the programme, the signature block), and on every
page of one bridge point (its address and link), is typeset once into a PDF form XObject; each
page places those forms and draws only what is its own: the recipient line, the QR code (one
path) and the short code. 2,000 pages take about two seconds and make a small file.
"""

import re
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, time
from io import BytesIO
from itertools import combinations

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from forum.invitations.qr import QUIET_ZONE, draw_qr, qr_matrix
from forum.pdf_fonts import BOLD, BOLD_ITALIC, ITALIC, REGULAR, register_fonts

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
PARAGRAPH_SPACE = 6  # the decree asks at least 6 pt between paragraphs
BODY_SIZES = (13, 12.5, 12, 11.5, 11)  # 13–14 pt by the decree; smaller only if a page overflows
QR_SYMBOL_SIZE = 27 * mm  # the dark square; with its quiet zone about 33 mm
QR_TOP = 4  # below the text above, so the quiet zone (about 9 pt) stays white
SIGNATURE_WIDTH = 80 * mm
SIGNING_SPACE = 20 * mm  # for the hand signature and the seal

NATIONAL_TITLE = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'
NATIONAL_MOTTO = 'Độc lập - Tự do - Hạnh phúc'
DOCUMENT_KIND = 'GIẤY MỜI'
WEEKDAYS = ('thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy', 'Chủ nhật')
SHORT_CODE_LABEL = 'Mã dự phòng: '
QR_CAPTION = ('Quét mã để xem giấy mời,', 'xác nhận tham dự')  # beside the code, two lines
AGENDA_ELSEWHERE = 'xem trên trang giấy mời của đại biểu (quét mã QR).'
REQUEST = (
    'Đề nghị đại biểu mang theo Giấy mời này hoặc xuất trình mã QR (trên giấy hoặc trên điện '
    'thoại) khi đến điểm cầu; nếu mã không quét được, xin đọc mã dự phòng in dưới mã QR. Rất mong '
    'đại biểu tham dự đúng thời gian./.'
)


@dataclass(frozen=True)
class AgendaRow:
    """One item of the programme as printed."""

    title: str
    starts_at: time | None = None
    presenter: str = ''


@dataclass(frozen=True)
class InvitationForum:
    """What every invitation of a forum says."""

    title: str
    host_body: str  # as it reads in a sentence: "Ủy ban nhân dân tỉnh Hà Giang"
    issuer_lines: tuple[str, ...]  # the issuing body, printed in bold capitals
    locality: str  # "Hà Giang", as in "Hà Giang, ngày … tháng … năm …"
    held_on: date
    starts_at: time | None = None
    ends_at: time | None = None
    theme: str = ''
    place: str = ''  # the hub
    parent_body_lines: tuple[str, ...] = ()  # the body above the issuer, when there is one
    document_number: str = 'Số: ........../GM-UBND'  # the clerk fills it in when registering
    issued_on: date | None = None  # None leaves day and month blank for the clerk
    agenda: tuple[AgendaRow, ...] = ()
    chairs: tuple[str, ...] = ()
    signature_lines: tuple[str, ...] = ('TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH')
    signer_name: str = ''
    recipients: tuple[str, ...] = ('Như trên', 'Lưu: VT')  # "Nơi nhận"


@dataclass(frozen=True)
class InvitationCard:
    """One delegate's page."""

    full_name: str
    url: str  # what the QR code carries: the delegate's own page
    short_code: str
    position: str = ''
    body: str = ''
    venue_name: str = ''  # as it reads after "điểm cầu": "xã Lũng Cú"
    venue_address: str = ''
    join_url: str = ''
    salutation: str = 'Ông/Bà'


# Typesetting: greedy line breaking over runs of fonts, justified with the PDF word spacing. -----

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
    """``text`` in the fewest lines that fit ``width``, the breaks chosen to even the lines out."""
    words = text.split()
    if len(words) < 2 or stringWidth(text, font, size) <= width:
        return [' '.join(words)]
    best: list[str] = []
    for count in range(2, min(len(words), 6) + 1):
        best_width = float('inf')
        for cuts in combinations(range(1, len(words)), count - 1):
            bounds = (0, *cuts, len(words))
            lines = [' '.join(words[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]
            widest = max(stringWidth(line, font, size) for line in lines)
            if widest < best_width:
                best, best_width = lines, widest
        if best_width <= width:
            break
    return best


# Wording ---------------------------------------------------------------------------------------


def day_and_month(day: date) -> tuple[str, str]:
    """Day and month as the decree writes them: a zero before days under 10 and months 1 and 2."""
    return f'{day.day:02d}', (f'{day.month:02d}' if day.month <= 2 else str(day.month))


def dated_line(locality: str, day: date | None, year: int) -> str:
    """``Hà Giang, ngày 23 tháng 5 năm 2023``; without a date, blanks for the clerk."""
    if day is None:
        return f'{locality}, ngày      tháng      năm {year}'
    dd, mm_ = day_and_month(day)
    return f'{locality}, ngày {dd} tháng {mm_} năm {day.year}'


def clock(value: time) -> str:
    """``08 giờ 00``, as administrative documents write a time."""
    return f'{value.hour:02d} giờ {value.minute:02d}'


def agenda_clock(value: time | None) -> str:
    """``08h00``, as programmes write a time."""
    return f'{value.hour:02d}h{value.minute:02d}' if value else ''


def when_text(forum: InvitationForum) -> str:
    """``Từ 08 giờ 00 đến 11 giờ 30, thứ Ba, ngày 23/5/2023.``"""
    dd, mm_ = day_and_month(forum.held_on)
    on = f'{WEEKDAYS[forum.held_on.weekday()]}, ngày {dd}/{mm_}/{forum.held_on.year}'
    if forum.starts_at and forum.ends_at:
        return f'Từ {clock(forum.starts_at)} đến {clock(forum.ends_at)}, {on}.'
    if forum.starts_at:
        return f'Vào lúc {clock(forum.starts_at)}, {on}.'
    return f'{on[0].upper()}{on[1:]}.'


def theme_text(forum: InvitationForum) -> str:
    """The theme without the sentences the title already says."""
    sentences = re.split(r'(?<=[.!?])\s+', forum.theme.strip())
    kept = [s for s in sentences if s and s.rstrip('.!?') not in forum.title]
    return ' '.join(kept)


def recipient_runs(card: InvitationCard) -> list[Piece]:
    """``Kính gửi: Ông/Bà <name>, <position>, <body>.``, the name in bold."""
    details = ', '.join(part for part in (card.position, card.body) if part)
    return [
        ('Kính gửi: ', REGULAR),
        (f'{card.salutation} {card.full_name}'.strip(), BOLD),
        (f', {details}.' if details else '.', REGULAR),
    ]


VenueKey = tuple[str, str, str]  # (name, address, join link)


def venue_key(card: InvitationCard) -> VenueKey:
    """What the bridge-point paragraph depends on."""
    return card.venue_name, card.venue_address, card.join_url


# The document ----------------------------------------------------------------------------------


class InvitationDocument:
    """Typesets a forum's invitations once, then draws one page per card."""

    def __init__(self, forum: InvitationForum, cards: Sequence[InvitationCard]):
        register_fonts()
        self.forum = forum
        self.cards = list(cards)
        self.venue_forms: dict[VenueKey, str] = {}
        for card in self.cards:
            self.venue_forms.setdefault(venue_key(card), f'gmVenue{len(self.venue_forms)}')
        # The largest size at which the tallest page fits; a programme too long for any size
        # is left to the delegate's page (the QR code), so that each invitation stays one page.
        for full_agenda in (True, False):
            for size in BODY_SIZES:
                self._typeset(size, full_agenda)
                if self.tallest_page <= PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM:
                    return

    def _typeset(self, size: float, full_agenda: bool = True) -> None:
        self.size = size
        self.full_agenda = full_agenda
        body = Typesetter(size)
        self.header_bottom = self._draw_header(None)
        self.recipients = [self._recipient(card, body) for card in self.cards]
        small = Typesetter(size - 2)  # the programme and the links: compact
        self.venues = {key: self._venue(key, body, small) for key in self.venue_forms}
        self.intro = self._intro(body)
        self.content = self._content(body, small)
        self.tallest_page = (
            PAGE_HEIGHT
            - MARGIN_TOP
            - self.header_bottom
            + max(
                block_height(recipient) + block_height(self.venues[venue_key(card)])
                for card, recipient in zip(self.cards, self.recipients, strict=True)
            )
            + block_height(self.intro)
            + block_height(self.content)
            + PARAGRAPH_SPACE
            + self._bottom_height()
        )

    def _paragraph(self, runs, body: Typesetter, **options) -> Paragraph:
        space = options.pop('space_before', PARAGRAPH_SPACE)
        lines = body.lines(runs, MARGIN_LEFT, CONTENT_WIDTH, indent=FIRST_LINE_INDENT, **options)
        return Paragraph(lines, body, space)

    def _recipient(self, card: InvitationCard, body: Typesetter) -> list[Paragraph]:
        hang = FIRST_LINE_INDENT + body.width(('Kính gửi:', REGULAR)) + body.space
        return [self._paragraph(recipient_runs(card), body, hang=hang, justify=False,
                                space_before=0)]  # fmt: skip

    def _intro(self, body: Typesetter) -> list[Paragraph]:
        forum = self.forum
        invite = f'{forum.host_body} trân trọng kính mời đại biểu tới dự, cụ thể như sau:'
        return [
            self._paragraph([(invite, REGULAR)], body),
            self._paragraph([('1. Thời gian: ', BOLD), (when_text(forum), REGULAR)], body),
        ]

    def _venue(self, key: VenueKey, body: Typesetter, small: Typesetter) -> list[Paragraph]:
        name, address, join_url = key
        here = f'điểm cầu {name}' if name else 'điểm cầu trung tâm'
        if address:
            here += f' ({address})'
        runs = [('2. Địa điểm: ', BOLD), (f'Đại biểu dự tại {here}.', REGULAR)]
        block = [self._paragraph(runs, body)]
        if join_url:
            link = [('Tham gia trực tuyến: ', ITALIC), (join_url, REGULAR)]
            block.append(self._paragraph(link, small, justify=False, space_before=1))
        return block

    def _content(self, body: Typesetter, small: Typesetter) -> list[Paragraph]:
        """The theme, the programme (compact), the chairs and the closing request."""
        forum = self.forum
        block: list[Paragraph] = []
        number = 3
        if theme := theme_text(forum):
            block.append(self._paragraph([(f'{number}. Nội dung: ', BOLD), (theme, REGULAR)], body))
            number += 1
        if forum.agenda and not self.full_agenda:
            runs = [(f'{number}. Chương trình: ', BOLD), (AGENDA_ELSEWHERE, REGULAR)]
            block.append(self._paragraph(runs, body))
            number += 1
        elif forum.agenda:
            block.append(self._paragraph([(f'{number}. Chương trình:', BOLD)], body))
            left = MARGIN_LEFT + FIRST_LINE_INDENT
            clock_width = small.width(('00h00', REGULAR)) + 3 * mm
            for row in forum.agenda:
                runs = [(row.title, REGULAR)]
                if row.presenter:
                    runs += [(' – ', REGULAR), (row.presenter, ITALIC)]
                width = CONTENT_WIDTH - FIRST_LINE_INDENT - clock_width
                lines = small.lines(runs, left + clock_width, width, justify=False)
                labels = [(left, agenda_clock(row.starts_at), REGULAR)]
                block.append(Paragraph(lines, small, 0.5, labels))
            number += 1
        if forum.chairs:
            chairs = '; '.join(forum.chairs) + '.'
            block.append(self._paragraph([(f'{number}. Chủ trì: ', BOLD), (chairs, REGULAR)], body))
        block.append(self._paragraph([(REQUEST, REGULAR)], body))
        return block

    # The header: issuing body and number on the left; national title, motto and date on the right;
    # then the kind of document and its subject, centred.

    def _draw_header(self, canvas) -> float:
        """Draw the header (or only measure it, without a canvas); return the y under it."""
        forum = self.forum
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

        parent, issuer = caps(forum.parent_body_lines, REGULAR), caps(forum.issuer_lines, BOLD)
        issuer_top = first - step * len(parent)
        issuer_rule = issuer_top - step * (len(issuer) - 1) - size * 0.45
        motto = first - step
        motto_rule = motto - size * 0.45
        dated = min(issuer_rule, motto_rule) - step
        kind = dated - 1.6 * step
        subject_size = size + 1
        subject = balanced_lines(forum.title, BOLD, subject_size, CONTENT_WIDTH - 20 * mm)
        subject_top = kind - subject_size * 1.25
        subject_rule = subject_top - subject_size * 1.25 * (len(subject) - 1) - size * 0.5
        if canvas is None:
            return subject_rule - size * 0.3

        canvas.setFillGray(0)
        canvas.setStrokeGray(0)
        canvas.setLineWidth(0.6)
        _centred(canvas, parent, REGULAR, size, left_centre, first)
        _centred(canvas, issuer, BOLD, size, left_centre, issuer_top)
        if issuer:
            issuer_width = max(stringWidth(line, BOLD, size) for line in issuer)
            _rule(canvas, left_centre, issuer_rule, issuer_width * 0.4)
        title_size = size if stringWidth(NATIONAL_TITLE, BOLD, size) <= right_width else 12
        _centred(canvas, [NATIONAL_TITLE], BOLD, title_size, right_centre, first)
        _centred(canvas, [NATIONAL_MOTTO], BOLD, size, right_centre, motto)
        _rule(canvas, right_centre, motto_rule, stringWidth(NATIONAL_MOTTO, BOLD, size))
        _centred(canvas, [forum.document_number], REGULAR, size, left_centre, dated)
        date_text = dated_line(forum.locality, forum.issued_on, forum.held_on.year)
        _centred(canvas, [date_text], ITALIC, size, right_centre, dated)
        _centred(canvas, [DOCUMENT_KIND], BOLD, subject_size, centre, kind)
        _centred(canvas, subject, BOLD, subject_size, centre, subject_top)
        subject_width = max(stringWidth(line, BOLD, subject_size) for line in subject)
        _rule(canvas, centre, subject_rule, min(subject_width / 3, 60 * mm))
        return subject_rule - size * 0.3

    # The foot: the QR code with the short code and "Nơi nhận" on the left, the signature right.

    def _bottom_height(self) -> float:
        lines = len(self.forum.signature_lines)
        signature = self.size * (0.9 + 1.25 * (lines - 1) + 0.3) + SIGNING_SPACE
        return max(signature, self._short_code_baseline() + 5)

    @staticmethod
    def _short_code_baseline() -> float:
        """How far under the top of the foot the short code stands, clear of the quiet zone."""
        return QR_TOP + QR_SYMBOL_SIZE + 20

    def _draw_bottom(self, canvas) -> None:
        """The parts of the foot that every page shares, below y = 0."""
        forum, size = self.forum, self.size
        centre = MARGIN_LEFT + CONTENT_WIDTH - SIGNATURE_WIDTH / 2
        last = _centred(canvas, list(forum.signature_lines), BOLD, size, centre, -size * 0.9)
        if forum.signer_name:
            _centred(canvas, [forum.signer_name], BOLD, size, centre, last - SIGNING_SPACE)
        canvas.setFont(REGULAR, 11)
        canvas.drawString(MARGIN_LEFT, -self._short_code_baseline(), SHORT_CODE_LABEL.strip())
        # Beside the code: "Nơi nhận" at the top, the caption at the bottom.
        x = MARGIN_LEFT + QR_SYMBOL_SIZE + 5 * mm
        canvas.setFont(ITALIC, 11)
        for index, line in enumerate(QR_CAPTION):
            baseline = -QR_TOP - QR_SYMBOL_SIZE + 13 * (len(QR_CAPTION) - 1 - index)
            canvas.drawString(x, baseline, line)
        if forum.recipients:
            baseline = -QR_TOP - 9
            canvas.setFont(BOLD_ITALIC, 12)
            canvas.drawString(x, baseline, 'Nơi nhận:')
            canvas.setFont(REGULAR, 11)
            for index, recipient in enumerate(forum.recipients):
                baseline -= 13
                end = '.' if index == len(forum.recipients) - 1 else ';'
                canvas.drawString(x, baseline, f'- {recipient}{end}')

    def draw_code(self, canvas, card: InvitationCard, top: float) -> None:
        """The delegate's QR code, its top edge at ``top``, and the short code under it."""
        matrix = qr_matrix(card.url)
        module = QR_SYMBOL_SIZE / len(matrix)
        quiet = QUIET_ZONE * module
        box = QR_SYMBOL_SIZE + 2 * quiet
        draw_qr(canvas, matrix, MARGIN_LEFT - quiet, top - QR_TOP - QR_SYMBOL_SIZE - quiet, box)
        self.draw_short_code(canvas, card, top)

    def draw_short_code(self, canvas, card: InvitationCard, top: float) -> None:
        """The short code under the QR, for typing when a phone will not scan."""
        canvas.setFont(BOLD, 13)
        x = MARGIN_LEFT + stringWidth(SHORT_CODE_LABEL, REGULAR, 11)
        baseline = top - self._short_code_baseline()
        canvas.drawString(x, baseline, card.short_code, charSpace=1)

    def render(self, canvas) -> None:
        """Define the shared forms, then draw one page per card."""
        everywhere = (-PAGE_WIDTH, -PAGE_HEIGHT, 2 * PAGE_WIDTH, 2 * PAGE_HEIGHT)  # form bbox
        canvas.beginForm('gmHeader')
        self._draw_header(canvas)
        canvas.endForm()
        shared = [('gmIntro', self.intro), ('gmContent', self.content)]
        shared += [(name, self.venues[key]) for key, name in self.venue_forms.items()]
        for name, block in shared:
            canvas.beginForm(name, *everywhere)
            draw_block(canvas, block, 0)
            canvas.endForm()
        canvas.beginForm('gmBottom', *everywhere)
        self._draw_bottom(canvas)
        canvas.endForm()

        intro_height, content_height = block_height(self.intro), block_height(self.content)
        venue_heights = {key: block_height(block) for key, block in self.venues.items()}
        for card, recipient in zip(self.cards, self.recipients, strict=True):
            canvas.doForm('gmHeader')
            y = self.header_bottom
            draw_block(canvas, recipient, y)
            y -= block_height(recipient)
            _place(canvas, 'gmIntro', y)
            y -= intro_height
            key = venue_key(card)
            _place(canvas, self.venue_forms[key], y)
            y -= venue_heights[key]
            _place(canvas, 'gmContent', y)
            y -= content_height + PARAGRAPH_SPACE
            _place(canvas, 'gmBottom', y)
            self.draw_code(canvas, card, y)
            canvas.showPage()


def _centred(canvas, lines: list[str], font: str, size: float, centre: float, baseline: float):
    """Draw lines centred on ``centre`` from ``baseline`` down; return the last baseline."""
    canvas.setFont(font, size)
    for index, line in enumerate(lines):
        if index:
            baseline -= size * 1.25
        canvas.drawCentredString(centre, baseline, line)
    return baseline


def _rule(canvas, centre: float, y: float, length: float) -> None:
    canvas.line(centre - length / 2, y, centre + length / 2, y)


def _place(canvas, form: str, y: float) -> None:
    """Draw a form whose top edge is at 0 with that edge at ``y`` on the page."""
    canvas.saveState()
    canvas.translate(0, y)
    canvas.doForm(form)
    canvas.restoreState()


@contextmanager
def _binary_streams():
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


def render_invitations(
    forum: InvitationForum,
    cards: Sequence[InvitationCard],
    *,
    compress: bool = True,
    document_class: type[InvitationDocument] = InvitationDocument,
) -> bytes:
    """The invitations as one PDF, one A4 page per card in the order given."""
    if not cards:
        raise ValueError('There is no invitation to render.')
    register_fonts()
    buffer = BytesIO()
    with _binary_streams():
        canvas = Canvas(
            buffer,
            pagesize=A4,
            pageCompression=int(compress),
            invariant=True,  # the same data gives the same bytes
            initialFontName=REGULAR,  # else every page names Helvetica, though none uses it
        )
        canvas.setTitle(f'{DOCUMENT_KIND} – {forum.title}')
        canvas.setAuthor(forum.host_body)
        canvas.setSubject(DOCUMENT_KIND)
        canvas.setCreator('forum')
        document_class(forum, cards).render(canvas)
        canvas.save()
    return buffer.getvalue()
