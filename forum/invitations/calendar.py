"""The .ics calendar entry of a forum, for the delegate's calendar application."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar

VIETNAM = ZoneInfo('Asia/Ho_Chi_Minh')
DEFAULT_START = time(8, 0)
DEFAULT_LENGTH = timedelta(hours=4)


def forum_calendar(
    *,
    uid: str,
    title: str,
    held_on,
    starts_at: time | None,
    ends_at: time | None,
    location: str,
    description: str,
    url: str,
    stamp: datetime,
) -> bytes:
    """One VEVENT in a VCALENDAR, times in Vietnam's zone written as UTC."""
    start = datetime.combine(held_on, starts_at or DEFAULT_START, VIETNAM)
    end = datetime.combine(held_on, ends_at, VIETNAM) if ends_at else start + DEFAULT_LENGTH
    calendar = icalendar.Calendar()
    calendar.add('prodid', '-//Forum//Hoi nghi truc tuyen//VI')
    calendar.add('version', '2.0')
    calendar.add('method', 'PUBLISH')
    event = icalendar.Event()
    event.add('uid', uid)
    event.add('dtstamp', stamp)
    event.add('dtstart', start.astimezone(ZoneInfo('UTC')))
    event.add('dtend', end.astimezone(ZoneInfo('UTC')))
    event.add('summary', title)
    event.add('location', location)
    event.add('description', description)
    event.add('url', url)
    calendar.add_component(event)
    return calendar.to_ical()
