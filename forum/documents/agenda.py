"""A forum's programme as its documents print it: the invitation and the minutes alike."""

from dataclasses import dataclass
from datetime import time


@dataclass(frozen=True)
class AgendaLine:
    """One item of the programme as printed."""

    title: str
    starts_at: time | None = None
    presenter: str = ''


def agenda_lines(items) -> tuple[AgendaLine, ...]:
    """The lines of agenda items (anything with ``title``, ``starts_at`` and ``presenter``)."""
    return tuple(AgendaLine(item.title, item.starts_at, item.presenter) for item in items)
