"""Wording the BIÊN BẢN and the THÔNG BÁO share: names, numbers, the meeting's day and points,
paragraphs of conclusions and tasks."""

import re

from forum.documents.wording import TIER_NAMES, WEEKDAYS, count, long_date, short_date
from forum.minutes.blocks import (
    Para,
    Run,
)
from forum.minutes.records import Meeting, Person, Task
from forum.pdf_fonts import BOLD, ITALIC, REGULAR

ARCHIVE_RECIPIENT = 'Lưu: VT'
# How a title starts says what the meeting is called in a sentence.
MEETING_NOUNS = ('Tọa đàm', 'Hội thảo', 'Hội nghị', 'Diễn đàn', 'Đối thoại', 'Phiên họp')
LIST_MARKER = re.compile(r'^([-–•*+])\s+')


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
    return f'điểm cầu trung tâm tới {joined(parts)}'


def meeting_noun(title: str) -> str:
    """What the meeting is called in a sentence: ``Tọa đàm`` for "Tọa đàm “…”", else
    ``Hội nghị``."""
    for noun in MEETING_NOUNS:
        if title.lower().startswith(noun.lower()):
            return noun
    return 'Hội nghị'


def joined(parts: list[str]) -> str:
    if len(parts) < 2:
        return ''.join(parts)
    return f'{", ".join(parts[:-1])} và {parts[-1]}'


def sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith(('.', '!', '?', ':', '…')) else f'{text}.'


def labelled(label: str, text: str, **options) -> Para:
    return Para(((f'{label} ', BOLD), (text, REGULAR)), **options)


def task_paragraphs(tasks: tuple[Task, ...]) -> list[Para]:
    """``1. Sở Thông tin và Truyền thông: tổng hợp ý kiến … Thời hạn: trước ngày 30/6/2023.``"""
    paragraphs = []
    for index, task in enumerate(tasks, 1):
        runs: list[Run] = [(f'{index}. {task.body}: ', BOLD), (sentence(task.content), REGULAR)]
        if task.due_on:
            runs += [(' Thời hạn: ', ITALIC), (f'trước ngày {short_date(task.due_on)}.', REGULAR)]
        paragraphs.append(Para(tuple(runs)))
    return paragraphs
