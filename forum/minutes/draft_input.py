"""The draft as the secretariat typed it: the page's fields (or the autosave's JSON) read,
checked and bounded into ``DraftData``, or a ``MinutesError`` naming the field."""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time

from flask_babel import gettext as _

from forum.errors import DomainError
from forum.text import normalize_text

# What may be typed into each field of the draft.
DEFAULT_RECIPIENTS = 'Các cơ quan, đơn vị, địa phương dự hội nghị'
NUMBER_PREFIX = re.compile(r'^số\s*:?\s*', re.IGNORECASE)
TEXT_LIMITS = {
    'conclusions': 20_000,
    'minutes_number': 50,
    'notice_number': 50,
    'chair_name': 200,
    'chair_title': 200,
    'secretary_name': 200,
    'recipients': 3_000,
}
SHORT_FIELDS = ('minutes_number', 'notice_number', 'chair_name', 'chair_title', 'secretary_name')
LONG_FIELDS = ('conclusions', 'recipients')
TIME_FIELDS = ('started_at', 'ended_at')
MAX_TASKS = 50
TASK_LIMITS = {'body': 300, 'content': 2_000}


class MinutesError(DomainError):
    """Something the secretariat must fix, with a message for them and the field concerned
    (``details["field"]``, the form's name for it)."""

    def __init__(self, code: str, message: str, *, status: int = 422, field: str | None = None):
        super().__init__(code, message, status=status)
        self.field = field

    @property
    def field(self) -> str | None:
        return self.details.get('field')

    @field.setter
    def field(self, name: str | None) -> None:
        if name:
            self.details['field'] = name
        else:
            self.details.pop('field', None)


# The draft as typed ---------------------------------------------------------------------------


@dataclass
class TaskData:
    body: str = ''
    content: str = ''
    due_on: date | None = None


@dataclass
class DraftData:
    """The draft as the secretariat typed it, checked and normalised."""

    conclusions: str = ''
    minutes_number: str = ''
    notice_number: str = ''
    chair_name: str = ''
    chair_title: str = ''
    secretary_name: str = ''
    recipients: str = ''
    started_at: time | None = None
    ended_at: time | None = None
    tasks: list[TaskData] = field(default_factory=list)


def _multiline(value: str) -> str:
    """NFC text keeping its line breaks; spaces inside each line collapsed, blank runs kept
    to one blank line."""
    lines = [normalize_text(line) for line in value.replace('\r\n', '\n').split('\n')]
    return re.sub(r'\n{3,}', '\n\n', '\n'.join(lines)).strip()


def _text(payload: dict, name: str, limit: int, *, multiline: bool = False) -> str:
    value = payload.get(name, '')
    if value is None:
        value = ''
    if not isinstance(value, str):
        raise MinutesError('invalid', _('Ô này phải là văn bản.'), field=name)
    value = _multiline(value) if multiline else normalize_text(value)
    if len(value) > limit:
        raise MinutesError(
            'too_long', _('Tối đa %(limit)s ký tự.', limit=f'{limit:,}'.replace(',', '.')),
            field=name,
        )  # fmt: skip
    return value


def _number(payload: dict, name: str) -> str:
    return NUMBER_PREFIX.sub('', _text(payload, name, TEXT_LIMITS[name])).upper()


def _time(payload: dict, name: str) -> time | None:
    value = payload.get(name) or ''
    if not isinstance(value, str):
        raise MinutesError('invalid', _('Giờ không hợp lệ (giờ:phút).'), field=name)
    if not value.strip():
        return None
    try:
        return time.fromisoformat(value.strip()).replace(second=0, microsecond=0)
    except ValueError:
        raise MinutesError('invalid', _('Giờ không hợp lệ (giờ:phút).'), field=name) from None


def _date(value, name: str) -> date | None:
    if value in (None, ''):
        return None
    try:
        if not isinstance(value, str):
            raise ValueError
        return date.fromisoformat(value.strip())
    except ValueError:
        raise MinutesError('invalid', _('Ngày không hợp lệ.'), field=name) from None


def parse_draft(payload) -> DraftData:
    """Check what the page sent (a JSON object) and return it normalised; ``MinutesError``
    names the first field that is wrong."""
    if not isinstance(payload, dict):
        raise MinutesError('invalid', _('Dữ liệu gửi lên không đúng dạng.'))
    data = DraftData(
        conclusions=_text(payload, 'conclusions', TEXT_LIMITS['conclusions'], multiline=True),
        minutes_number=_number(payload, 'minutes_number'),
        notice_number=_number(payload, 'notice_number'),
        chair_name=_text(payload, 'chair_name', TEXT_LIMITS['chair_name']),
        chair_title=_text(payload, 'chair_title', TEXT_LIMITS['chair_title']),
        secretary_name=_text(payload, 'secretary_name', TEXT_LIMITS['secretary_name']),
        recipients=_text(payload, 'recipients', TEXT_LIMITS['recipients'], multiline=True),
        started_at=_time(payload, 'started_at'),
        ended_at=_time(payload, 'ended_at'),
    )
    if data.started_at and data.ended_at and data.ended_at <= data.started_at:
        raise MinutesError(
            'invalid', _('Giờ kết thúc phải sau giờ bắt đầu.'), field='ended_at'
        )  # fmt: skip
    tasks = payload.get('tasks') or []
    if not isinstance(tasks, list):
        raise MinutesError('invalid', _('Danh sách nhiệm vụ không đúng dạng.'), field='tasks')
    if len(tasks) > MAX_TASKS:
        raise MinutesError('too_many', _('Tối đa %(n)s nhiệm vụ.', n=MAX_TASKS), field='tasks')
    for index, task in enumerate(tasks):
        prefix = f'tasks-{index}-'
        if not isinstance(task, dict):
            raise MinutesError('invalid', _('Nhiệm vụ không đúng dạng.'), field='tasks')
        try:
            row = TaskData(
                body=_text(task, 'body', TASK_LIMITS['body']),
                content=_text(task, 'content', TASK_LIMITS['content'], multiline=True),
                due_on=_date(task.get('due_on'), 'due_on'),
            )
        except MinutesError as error:
            error.field = f'{prefix}{error.field}'  # the row's own field, as the page names it
            raise
        if row.body or row.content or row.due_on:  # an empty row is a row not used yet
            data.tasks.append(row)
    return data


def payload_from_form(form) -> dict:
    """The page's form fields (``tasks-0-body``, …) as the JSON object autosave sends."""
    payload = {name: form.get(name, '') for name in (*TEXT_LIMITS, *TIME_FIELDS)}
    rows: dict[int, dict] = defaultdict(dict)
    for name, value in form.items():
        match = re.fullmatch(r'tasks-(\d+)-(body|content|due_on)', name)
        if match:
            rows[int(match.group(1))][match.group(2)] = value
    payload['tasks'] = [rows[index] for index in sorted(rows)]
    return payload
