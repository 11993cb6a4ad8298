"""What the BIÊN BẢN and the THÔNG BÁO say, as plain data and as a list of blocks.

Pure: ``MinutesData`` and ``NoticeData`` hold what the services read from the database;
``minutes_document`` and ``notice_document`` word it into a ``Document`` (the header and a list
of blocks: paragraphs, signatures, recipients, the annex table), which the PDF and the .docx
renderers draw the same way. So both files say the same thing in the same order.
"""

import re
from dataclasses import dataclass
from datetime import date, time

from forum.documents.page import DocumentHeader
from forum.documents.wording import WEEKDAYS, clock, count, long_date, short_date
from forum.pdf_fonts import BOLD, BOLD_ITALIC, ITALIC, REGULAR

MINUTES_KIND = 'BIÊN BẢN'
NOTICE_KIND = 'THÔNG BÁO'
ARCHIVE_RECIPIENT = 'Lưu: VT'
BLANK_NAME = '……………………'
TIER_NAMES = {'province': 'cấp tỉnh', 'district': 'cấp huyện', 'commune': 'cấp xã'}
CONNECTION_NAMES = {
    'connected': 'đã kết nối',
    'problem': 'có sự cố',
    'not_checked': 'chưa kiểm tra',
}
ITEM_VERBS = {'question': 'hỏi', 'opinion': 'phát biểu ý kiến', 'proposal': 'kiến nghị'}
NOT_CONNECTED_LISTED = 20  # more than this many points are counted, not named
# How a title starts says what the meeting is called in a sentence.
MEETING_NOUNS = ('Tọa đàm', 'Hội thảo', 'Hội nghị', 'Diễn đàn', 'Đối thoại', 'Phiên họp')
LIST_MARKER = re.compile(r'^([-–•*+])\s+')


# The plain data ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A chair or guest: ``name`` and the rest as they read after it."""

    name: str
    title: str = ''
    body: str = ''


@dataclass(frozen=True)
class TierCount:
    """Bridge points, connections and attendance of one tier."""

    tier: str  # province, district, commune
    points: int
    connected: int
    invited: int
    present: int


@dataclass(frozen=True)
class PointTrouble:
    """A bridge point that did not report a working connection."""

    name: str
    status: str  # problem, not_checked


@dataclass(frozen=True)
class AgendaLine:
    title: str
    starts_at: time | None = None
    presenter: str = ''


@dataclass(frozen=True)
class RaisedItem:
    """A question, opinion or proposal from the live queue, and its answer."""

    author: str
    text: str
    kind: str = 'question'  # question, opinion, proposal
    position: str = ''
    body: str = ''
    answered_by: str = ''
    response: str = ''
    answered: bool = False


@dataclass(frozen=True)
class PointItems:
    """What was raised at one bridge point."""

    venue: str
    items: tuple[RaisedItem, ...]


@dataclass(frozen=True)
class Task:
    body: str
    content: str
    due_on: date | None = None


@dataclass(frozen=True)
class AnnexPoint:
    """One bridge point of the annex: its delegates in Vietnamese name order."""

    name: str
    tier: str
    connection: str  # connected, problem, not_checked
    invited: int
    present: int
    rows: tuple[tuple[str, str, str, str], ...]  # name, position, body, attendance


@dataclass(frozen=True)
class Meeting:
    """What both documents say about the meeting and the draft."""

    title: str
    host_body: str  # as it reads in a sentence: "Ủy ban nhân dân tỉnh Hà Giang"
    issuer_lines: tuple[str, ...]
    locality: str
    held_on: date
    starts_at: time | None = None  # as it ran (the draft), else as planned
    ends_at: time | None = None
    hub_place: str = ''
    parent_body_lines: tuple[str, ...] = ()
    chairs: tuple[Person, ...] = ()
    guests: tuple[Person, ...] = ()
    tiers: tuple[TierCount, ...] = ()
    conclusions: str = ''
    tasks: tuple[Task, ...] = ()
    chair_name: str = ''
    chair_title: str = ''
    secretary_name: str = ''
    recipients: tuple[str, ...] = ()
    number_suffix: str = 'UBND'  # after "BB-" and "TB-" in a number the clerk has not filled


@dataclass(frozen=True)
class MinutesData:
    meeting: Meeting
    number: str = ''  # "05/BB-UBND"; empty leaves it for the clerk
    troubles: tuple[PointTrouble, ...] = ()
    walk_ins: int = 0
    agenda: tuple[AgendaLine, ...] = ()
    raised: tuple[PointItems, ...] = ()
    annex: tuple[AnnexPoint, ...] = ()


@dataclass(frozen=True)
class NoticeData:
    meeting: Meeting
    number: str = ''
    issued_on: date | None = None  # None leaves day and month blank for the clerk
    signature_lines: tuple[str, ...] = ()
    signer_name: str = ''


# The blocks -------------------------------------------------------------------------------------

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


# Wording shared by both documents ---------------------------------------------------------------


def conclusion_paragraphs(text: str) -> list[str]:
    """The conclusions as paragraphs: one per non-empty line, list markers made "-"."""
    paragraphs = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            paragraphs.append(LIST_MARKER.sub('- ', line))
    return paragraphs


def person_line(person: Person) -> str:
    """``đồng chí Vũ Quang Khải, Phó Chủ tịch UBND tỉnh``."""
    return ', '.join(part for part in (f'đồng chí {person.name}', person.title) if part)


def recipient_lines(recipients: tuple[str, ...]) -> tuple[str, ...]:
    """The recipients as typed, ending with the archive ("Lưu: VT") whether typed or not."""
    lines = [line.strip().lstrip('-').strip().rstrip(';.') for line in recipients]
    lines = [line for line in lines if line]
    archive = [line for line in lines if line.lower().startswith('lưu')]
    rest = [line for line in lines if not line.lower().startswith('lưu')]
    return (*rest, *(archive or [ARCHIVE_RECIPIENT]))


def number_line(number: str, code: str, suffix: str) -> str:
    """``Số: 05/BB-UBND``; with no number yet, room for the clerk to write it."""
    if number:
        return f'Số: {number}'
    return f'Số:        /{code}-{suffix}'


def meeting_day(meeting: Meeting) -> str:
    """``thứ Ba, ngày 23 tháng 5 năm 2023``."""
    return f'{WEEKDAYS[meeting.held_on.weekday()]}, {long_date(meeting.held_on)}'


def points_phrase(meeting: Meeting) -> str:
    """``điểm cầu trung tâm tới 11 điểm cầu cấp huyện và 193 điểm cầu cấp xã``."""
    lower = [t for t in meeting.tiers if t.tier != 'province' and t.points]
    if not lower:
        return 'điểm cầu trung tâm'
    parts = [f'{count(t.points)} điểm cầu {TIER_NAMES.get(t.tier, t.tier)}' for t in lower]
    return f'điểm cầu trung tâm tới {_and(parts)}'


def meeting_noun(title: str) -> str:
    """What the meeting is called in a sentence: ``Tọa đàm`` for "Tọa đàm “…”", else
    ``Hội nghị``."""
    for noun in MEETING_NOUNS:
        if title.lower().startswith(noun.lower()):
            return noun
    return 'Hội nghị'


def _and(parts: list[str]) -> str:
    if len(parts) < 2:
        return ''.join(parts)
    return f'{", ".join(parts[:-1])} và {parts[-1]}'


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith(('.', '!', '?', ':', '…')) else f'{text}.'


def _labelled(label: str, text: str, **options) -> Para:
    return Para(((f'{label} ', BOLD), (text, REGULAR)), **options)


def task_paragraphs(tasks: tuple[Task, ...]) -> list[Para]:
    """``1. Sở Thông tin và Truyền thông: tổng hợp ý kiến … Thời hạn: trước ngày 30/6/2023.``"""
    paragraphs = []
    for index, task in enumerate(tasks, 1):
        runs: list[Run] = [(f'{index}. {task.body}: ', BOLD), (_sentence(task.content), REGULAR)]
        if task.due_on:
            runs += [(' Thời hạn: ', ITALIC), (f'trước ngày {short_date(task.due_on)}.', REGULAR)]
        paragraphs.append(Para(tuple(runs)))
    return paragraphs


# The minutes ------------------------------------------------------------------------------------


def minutes_document(data: MinutesData) -> Document:
    """The BIÊN BẢN: time and place, who attended, the programme, what was raised and answered,
    the conclusions and tasks, the end, the signatures, and the annex of delegates."""
    meeting = data.meeting
    header = DocumentHeader(
        issuer_lines=meeting.issuer_lines,
        number=number_line(data.number, 'BB', meeting.number_suffix),
        locality=meeting.locality,
        day=meeting.held_on,
        year=meeting.held_on.year,
        kind=MINUTES_KIND,
        subject=meeting.title,
        parent_body_lines=meeting.parent_body_lines,
    )
    blocks: list[Block] = []
    blocks += _time_and_place(data)
    blocks += _attendance(data)
    blocks += _content(data)
    ended = clock(meeting.ends_at) if meeting.ends_at else '…… giờ ……'
    noun = meeting_noun(meeting.title)
    blocks.append(Para(((f'{noun} kết thúc vào lúc {ended} cùng ngày./.', REGULAR),)))
    blocks.append(
        Signatures(
            (
                Signature(('THƯ KÝ',), meeting.secretary_name or BLANK_NAME),
                Signature(('CHỦ TỌA',), meeting.chair_name or BLANK_NAME),
            )
        )
    )
    blocks.append(Recipients(recipient_lines(meeting.recipients)))
    if data.annex:
        blocks += _annex(data)
    return Document(
        header=header,
        blocks=tuple(blocks),
        title=f'{MINUTES_KIND} – {meeting.title}',
        author=meeting.host_body,
        subject=MINUTES_KIND,
    )


def _time_and_place(data: MinutesData) -> list[Block]:
    meeting = data.meeting
    start = f'{clock(meeting.starts_at)}, ' if meeting.starts_at else ''
    blocks: list[Block] = [
        _labelled('1. Thời gian bắt đầu:', f'{start}{meeting_day(meeting)}.'),
    ]
    place = f'{meeting_noun(meeting.title)} được tổ chức trực tuyến từ {points_phrase(meeting)}'
    if meeting.hub_place:
        place += f'; điểm cầu trung tâm tại {meeting.hub_place}'
    blocks.append(_labelled('2. Địa điểm:', f'{place}.'))
    lower = [t for t in meeting.tiers if t.tier != 'province' and t.points]
    if lower:
        connected = [
            f'{count(t.connected)}/{count(t.points)} điểm cầu {TIER_NAMES.get(t.tier, t.tier)}'
            for t in lower
        ]
        text = f'{_and(connected)} báo đã kết nối.'
        if data.troubles:
            named = [
                f'{trouble.name} ({CONNECTION_NAMES.get(trouble.status, trouble.status)})'
                for trouble in data.troubles[:NOT_CONNECTED_LISTED]
            ]
            more = len(data.troubles) - len(named)
            listed = '; '.join(named) + (f' và {count(more)} điểm cầu khác' if more > 0 else '')
            text += f' Chưa báo kết nối hoặc có sự cố: {listed}.'
        blocks.append(Para((('Kết nối: ', ITALIC), (text, REGULAR))))
    return blocks


def _attendance(data: MinutesData) -> list[Block]:
    meeting = data.meeting
    blocks: list[Block] = [Para((('3. Thành phần tham dự:', BOLD),), keep_with_next=True)]
    if meeting.chairs:
        chairs = '; '.join(person_line(p) for p in meeting.chairs)
        blocks.append(Para((('- Chủ trì: ', ITALIC), (f'{chairs}.', REGULAR))))
    if meeting.guests:
        guests = '; '.join(
            ', '.join(part for part in (person_line(p), p.body) if part) for p in meeting.guests
        )
        blocks.append(Para((('- Khách mời: ', ITALIC), (f'{guests}.', REGULAR))))
    invited = sum(t.invited for t in meeting.tiers)
    present = sum(t.present for t in meeting.tiers)
    blocks.append(
        Para(
            (
                ('- Đại biểu: ', ITALIC),
                (f'mời {count(invited)} người, có mặt {count(present)} người, trong đó:', REGULAR),
            ),
            keep_with_next=True,
        )
    )
    for index, tier in enumerate(meeting.tiers):
        where = f'{count(tier.points)} điểm cầu'
        if tier.tier == 'province':
            where = 'điểm cầu trung tâm'
        name = TIER_NAMES.get(tier.tier, tier.tier)
        end = '.' if index == len(meeting.tiers) - 1 else ';'
        text = (
            f'+ {name[0].upper()}{name[1:]} ({where}): mời {count(tier.invited)}, '
            f'có mặt {count(tier.present)}{end}'
        )
        blocks.append(Para(((text, REGULAR),), space_before=2))
    notes = []
    if data.walk_ins:
        notes.append(f'số có mặt gồm {count(data.walk_ins)} đại biểu đăng ký tại chỗ')
    if data.annex:
        notes.append('danh sách đại biểu theo từng điểm cầu tại Phụ lục kèm theo')
    if notes:
        text = '; '.join(notes)
        blocks.append(Para(((f'{text[0].upper()}{text[1:]}.', ITALIC),), space_before=2))
    chair = ', '.join(p for p in (meeting.chair_name, meeting.chair_title) if p)
    blocks.append(
        _labelled('4. Chủ tọa:', f'đồng chí {chair}.' if chair else f'{BLANK_NAME}.'),
    )
    blocks.append(_labelled('5. Thư ký:', f'{meeting.secretary_name or BLANK_NAME}.'))
    return blocks


def _content(data: MinutesData) -> list[Block]:
    meeting = data.meeting
    blocks: list[Block] = [
        Para(((f'6. Nội dung {meeting_noun(meeting.title).lower()}:', BOLD),), keep_with_next=True),
        Para((('a) Chương trình:', BOLD_ITALIC),), keep_with_next=True),
    ]
    if data.agenda:
        for item in data.agenda:
            at = f'{clock(item.starts_at)}: ' if item.starts_at else ''
            runs: list[Run] = [(f'- {at}{item.title}', REGULAR)]
            if item.presenter:
                runs += [(' (', REGULAR), (item.presenter, ITALIC), (')', REGULAR)]
            runs.append(('.', REGULAR))
            blocks.append(Para(tuple(runs), space_before=2))
    else:
        blocks.append(Para((('Không có chương trình ghi trong hệ thống.', ITALIC),)))
    blocks.append(
        Para(
            (('b) Ý kiến, câu hỏi, kiến nghị của đại biểu và giải trình, tiếp thu:', BOLD_ITALIC),),
            keep_with_next=True,
        )
    )
    if not data.raised:
        blocks.append(Para((('Không có ý kiến, câu hỏi nào được ghi nhận qua hệ thống.', ITALIC),)))
    for point in data.raised:
        blocks.append(Para(((f'Tại điểm cầu {point.venue}:', BOLD_ITALIC),), keep_with_next=True))
        for item in point.items:
            who = ', '.join(part for part in (item.position, item.body) if part)
            author = f'{item.author} ({who})' if who else item.author
            verb = ITEM_VERBS.get(item.kind, 'phát biểu')
            blocks.append(
                Para(
                    (('- ', REGULAR), (author, BOLD), (f' {verb}: ', REGULAR),
                     (_sentence(item.text), REGULAR)),
                    keep_with_next=True,
                )
            )  # fmt: skip
            if item.answered and item.response:
                by = f' của {item.answered_by}' if item.answered_by else ''
                blocks.append(
                    Para(((f'Trả lời{by}: ', ITALIC), (_sentence(item.response), REGULAR)),
                         space_before=2)
                )  # fmt: skip
            elif item.answered:
                by = f' ({item.answered_by})' if item.answered_by else ''
                blocks.append(Para(((f'Đã trả lời tại hội nghị{by}.', ITALIC),), space_before=2))
            else:
                blocks.append(
                    Para((('Chưa trả lời tại hội nghị; ghi nhận để tổng hợp.', ITALIC),),
                         space_before=2)
                )  # fmt: skip
    blocks.append(Para((('c) Kết luận của chủ tọa:', BOLD_ITALIC),), keep_with_next=True))
    conclusions = conclusion_paragraphs(meeting.conclusions)
    if conclusions:
        blocks += [Para(((text, REGULAR),)) for text in conclusions]
    else:
        blocks.append(Para((('(Chưa có nội dung kết luận.)', ITALIC),)))
    if meeting.tasks:
        blocks.append(Para((('d) Nhiệm vụ được giao:', BOLD_ITALIC),), keep_with_next=True))
        blocks += task_paragraphs(meeting.tasks)
    return blocks


def _annex(data: MinutesData) -> list[Block]:
    meeting = data.meeting
    number = data.number or f'      /BB-{meeting.number_suffix}'
    groups = []
    serial = 0
    for point in data.annex:
        tier = TIER_NAMES.get(point.tier, point.tier)
        connection = CONNECTION_NAMES.get(point.connection, point.connection)
        title = (
            f'Điểm cầu {point.name} ({tier}, {connection}): mời {count(point.invited)}, '
            f'có mặt {count(point.present)}'
        )
        rows = []
        for name, position, body, attendance in point.rows:
            serial += 1
            rows.append((str(serial), name, position, body, attendance))
        groups.append(TableGroup(title, tuple(rows)))
    return [
        PageBreak(),
        Para((('PHỤ LỤC', BOLD),), centred=True, space_before=0),
        Para((('DANH SÁCH ĐẠI BIỂU THAM DỰ THEO ĐIỂM CẦU', BOLD),), centred=True, space_before=2),
        Para(
            (
                (
                    f'(Kèm theo Biên bản số {number} {long_date(meeting.held_on)} '
                    f'của {meeting.host_body})',
                    ITALIC,
                ),
            ),
            centred=True,
            space_before=2,
        ),
        Table(ANNEX_COLUMNS, tuple(groups)),
    ]


# The notice -------------------------------------------------------------------------------------


def notice_subject(meeting: Meeting) -> str:
    """``Kết luận của đồng chí Vũ Quang Khải, Phó Chủ tịch UBND tỉnh tại Tọa đàm “…”``."""
    chair = ', '.join(p for p in (meeting.chair_name, meeting.chair_title) if p)
    by = f' của đồng chí {chair}' if meeting.chair_name else ''
    return f'Kết luận{by} tại {meeting.title}'


def notice_document(data: NoticeData) -> Document:
    """The THÔNG BÁO kết luận: the meeting in one paragraph, the conclusions, the tasks."""
    meeting = data.meeting
    year = (data.issued_on or meeting.held_on).year
    header = DocumentHeader(
        issuer_lines=meeting.issuer_lines,
        number=number_line(data.number, 'TB', meeting.number_suffix),
        locality=meeting.locality,
        day=data.issued_on,
        year=year,
        kind=NOTICE_KIND,
        subject=notice_subject(meeting),
        parent_body_lines=meeting.parent_body_lines,
    )
    start = f'{clock(meeting.starts_at)}, ' if meeting.starts_at else ''
    intro = (
        f'Vào {start}{meeting_day(meeting)}, {meeting.host_body} tổ chức {meeting.title} '
        f'theo hình thức trực tuyến từ {points_phrase(meeting)}.'
    )
    if meeting.chairs:
        chairs = '; '.join(person_line(p) for p in meeting.chairs)
        intro += f' Chủ trì: {chairs}.'
    if meeting.guests:
        guests = '; '.join(person_line(p) for p in meeting.guests)
        intro += f' Tham dự có {guests}'
        present = sum(t.present for t in meeting.tiers)
        intro += f', cùng {count(present)} đại biểu tại các điểm cầu.' if present else '.'
    else:
        present = sum(t.present for t in meeting.tiers)
        if present:
            intro += f' Tham dự có {count(present)} đại biểu tại các điểm cầu.'
    chair = f'đồng chí {meeting.chair_name}' if meeting.chair_name else 'chủ tọa'
    if meeting.chair_name and meeting.chair_title:
        chair += f', {meeting.chair_title}'
    blocks: list[Block] = [
        Para(((intro, REGULAR),)),
        Para(
            (
                (
                    'Sau khi nghe báo cáo, tham luận và ý kiến phát biểu của các đại biểu, '
                    f'{chair} kết luận như sau:',
                    REGULAR,
                ),
            )
        ),
    ]
    conclusions = conclusion_paragraphs(meeting.conclusions)
    blocks += [Para(((text, REGULAR),)) for text in conclusions] or [
        Para((('(Chưa có nội dung kết luận.)', ITALIC),))
    ]
    if meeting.tasks:
        blocks.append(Para((('Giao nhiệm vụ cụ thể như sau:', BOLD),), keep_with_next=True))
        blocks += task_paragraphs(meeting.tasks)
    blocks.append(
        Para(
            (
                (
                    f'{meeting.host_body} thông báo để các cơ quan, đơn vị, địa phương biết, '
                    'thực hiện./.',
                    REGULAR,
                ),
            )
        )
    )
    blocks.append(
        Signatures(
            (Signature(data.signature_lines, data.signer_name or BLANK_NAME),),
            recipients=recipient_lines(meeting.recipients),
        )
    )
    return Document(
        header=header,
        blocks=tuple(blocks),
        title=f'{NOTICE_KIND} – {header.subject}',
        author=meeting.host_body,
        subject=NOTICE_KIND,
    )
