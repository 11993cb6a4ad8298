"""The invitation (GIẤY MỜI) as PDF: one A4 page per delegate in the layout of Decree 30/2020.

A pure generator: it takes plain data (``InvitationForum``, ``InvitationCard``) and returns bytes.
What is the same on every page (the header, the programme, the signature block), and on every
page of one bridge point (its address and link), is typeset once into a PDF form XObject; each
page places those forms and draws only what is its own: the recipient line, the QR code (one
path) and the short code. 2,000 pages take about two seconds and make a small file.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, time

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from forum.documents.agenda import AgendaLine
from forum.documents.page import (
    CONTENT_WIDTH,
    FIRST_LINE_INDENT,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_TOP,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    DocumentHeader,
    draw_header,
    official_canvas,
)
from forum.documents.page import centred as _centred
from forum.documents.typesetting import (
    PARAGRAPH_SPACE,
    Paragraph,
    Piece,
    Typesetter,
    block_height,
    draw_block,
)
from forum.documents.wording import WEEKDAYS, clock, day_and_month
from forum.documents.wording import dated_line as dated_line
from forum.invitations.qr import QUIET_ZONE, draw_qr, qr_matrix
from forum.pdf_fonts import BOLD, BOLD_ITALIC, ITALIC, REGULAR, register_fonts

BODY_SIZES = (13, 12.5, 12, 11.5, 11)  # 13–14 pt by the decree; smaller only if a page overflows
QR_SYMBOL_SIZE = 27 * mm  # the dark square; with its quiet zone about 33 mm
QR_TOP = 4  # below the text above, so the quiet zone (about 9 pt) stays white
SIGNATURE_WIDTH = 80 * mm
SIGNING_SPACE = 20 * mm  # for the hand signature and the seal

DOCUMENT_KIND = 'GIẤY MỜI'
SHORT_CODE_LABEL = 'Mã dự phòng: '
QR_CAPTION = ('Quét mã để xem giấy mời,', 'xác nhận tham dự')  # beside the code, two lines
AGENDA_ELSEWHERE = 'xem trên trang giấy mời của đại biểu (quét mã QR).'
REQUEST = (
    'Đề nghị đại biểu mang theo Giấy mời này hoặc xuất trình mã QR (trên giấy hoặc trên điện '
    'thoại) khi đến điểm cầu; nếu mã không quét được, xin đọc mã dự phòng in dưới mã QR. Rất mong '
    'đại biểu tham dự đúng thời gian./.'
)


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
    agenda: tuple[AgendaLine, ...] = ()
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


# Wording ---------------------------------------------------------------------------------------


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
        header = DocumentHeader(
            issuer_lines=forum.issuer_lines,
            number=forum.document_number,
            locality=forum.locality,
            day=forum.issued_on,
            year=forum.held_on.year,
            kind=DOCUMENT_KIND,
            subject=forum.title,
            parent_body_lines=forum.parent_body_lines,
        )
        return draw_header(canvas, header)

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

    def render(self, canvas, on_page: Callable[[int], object] | None = None) -> None:
        """Define the shared forms, then draw one page per card (``on_page(n)`` after each)."""
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
        for number, (card, recipient) in enumerate(
            zip(self.cards, self.recipients, strict=True), start=1
        ):
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
            if on_page is not None:
                on_page(number)


def _place(canvas, form: str, y: float) -> None:
    """Draw a form whose top edge is at 0 with that edge at ``y`` on the page."""
    canvas.saveState()
    canvas.translate(0, y)
    canvas.doForm(form)
    canvas.restoreState()


def render_invitations(
    forum: InvitationForum,
    cards: Sequence[InvitationCard],
    *,
    compress: bool = True,
    document_class: type[InvitationDocument] = InvitationDocument,
    on_page: Callable[[int], object] | None = None,
) -> bytes:
    """The invitations as one PDF, one A4 page per card in the order given (``on_page(n)``
    is called after page n, for a progress bar)."""
    if not cards:
        raise ValueError('There is no invitation to render.')
    with official_canvas(
        f'{DOCUMENT_KIND} – {forum.title}', forum.host_body, DOCUMENT_KIND, compress=compress
    ) as (canvas, buffer):
        document_class(forum, cards).render(canvas, on_page)
    return buffer.getvalue()
