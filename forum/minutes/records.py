"""What the BIÊN BẢN and the THÔNG BÁO are about, as plain data: ``MinutesData`` and
``NoticeData`` hold what the services read from the database (``forum.minutes.facts``)."""

from dataclasses import dataclass
from datetime import date, time

from forum.documents.agenda import AgendaLine


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
