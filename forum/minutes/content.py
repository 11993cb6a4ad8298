"""What the BIÊN BẢN and the THÔNG BÁO say: their wording, as a list of blocks.

Pure: ``MinutesData`` and ``NoticeData`` (``forum.minutes.records``) hold what the services read
from the database; ``minutes_document`` and ``notice_document`` word it into a ``Document`` (the
header and a list of blocks: paragraphs, signatures, recipients, the annex table), which the PDF
and the .docx renderers draw the same way. So both files say the same thing in the same order.
"""

from forum.documents.page import DocumentHeader
from forum.documents.wording import TIER_NAMES, clock, count, long_date
from forum.minutes.blocks import (
    ANNEX_COLUMNS,
    Block,
    Document,
    PageBreak,
    Para,
    Recipients,
    Run,
    Signature,
    Signatures,
    Table,
    TableGroup,
)
from forum.minutes.phrasing import (
    conclusion_paragraphs,
    joined,
    labelled,
    meeting_day,
    meeting_noun,
    number_line,
    person_line,
    points_phrase,
    recipient_lines,
    sentence,
    task_paragraphs,
)
from forum.minutes.records import Meeting, MinutesData, NoticeData
from forum.pdf_fonts import BOLD, BOLD_ITALIC, ITALIC, REGULAR

MINUTES_KIND = 'BIÊN BẢN'
NOTICE_KIND = 'THÔNG BÁO'
BLANK_NAME = '……………………'
CONNECTION_NAMES = {
    'connected': 'đã kết nối',
    'problem': 'có sự cố',
    'not_checked': 'chưa kiểm tra',
}
ITEM_VERBS = {'question': 'hỏi', 'opinion': 'phát biểu ý kiến', 'proposal': 'kiến nghị'}
NOT_CONNECTED_LISTED = 20  # more than this many points are counted, not named


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
        labelled('1. Thời gian bắt đầu:', f'{start}{meeting_day(meeting)}.'),
    ]
    place = f'{meeting_noun(meeting.title)} được tổ chức trực tuyến từ {points_phrase(meeting)}'
    if meeting.hub_place:
        place += f'; điểm cầu trung tâm tại {meeting.hub_place}'
    blocks.append(labelled('2. Địa điểm:', f'{place}.'))
    lower = [t for t in meeting.tiers if t.tier != 'province' and t.points]
    if lower:
        connected = [
            f'{count(t.connected)}/{count(t.points)} điểm cầu {TIER_NAMES.get(t.tier, t.tier)}'
            for t in lower
        ]
        text = f'{joined(connected)} báo đã kết nối.'
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
        labelled('4. Chủ tọa:', f'đồng chí {chair}.' if chair else f'{BLANK_NAME}.'),
    )
    blocks.append(labelled('5. Thư ký:', f'{meeting.secretary_name or BLANK_NAME}.'))
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
                     (sentence(item.text), REGULAR)),
                    keep_with_next=True,
                )
            )  # fmt: skip
            if item.answered and item.response:
                by = f' của {item.answered_by}' if item.answered_by else ''
                blocks.append(
                    Para(((f'Trả lời{by}: ', ITALIC), (sentence(item.response), REGULAR)),
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
