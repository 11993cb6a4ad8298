"""The documents built from the forum's own data: the meeting, who attended where, the items
raised at each point, the annex; and the BIÊN BẢN and THÔNG BÁO rendered from them."""

from collections import defaultdict
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from forum.checkin.attendance import attendance_summary
from forum.checkin.models import CheckIn
from forum.delegates.models import Delegate
from forum.documents.agenda import agenda_lines
from forum.extensions import db
from forum.forums.models import Forum
from forum.invitations.services import invitation_forum, signature_lines
from forum.minutes import records
from forum.minutes.docx import minutes_docx, notice_docx
from forum.minutes.models import (
    DocumentKind,
    MinutesDraft,
)
from forum.minutes.pdf import render_minutes, render_notice
from forum.qa.models import QuestionStatus
from forum.qa.queries import forum_questions
from forum.tiers.models import ConnectionStatus, Tier

# The documents, from the forum's own data ------------------------------------------------------


def local_zone() -> ZoneInfo:
    """The forum's time zone (Việt Nam)."""
    return ZoneInfo(current_app.config['BABEL_DEFAULT_TIMEZONE'])


def local_date(moment: datetime) -> date:
    """The local calendar day of a UTC timestamp."""
    return moment.astimezone(local_zone()).date()


def _sorted_venues(forum: Forum):
    return sorted(forum.venues, key=lambda venue: (venue.tier.level, venue.unit_code))


def meeting_of(forum: Forum, draft: MinutesDraft, summary: dict) -> records.Meeting:
    """What both documents say about the meeting, from the forum and the draft."""
    invitation = invitation_forum(forum)  # the issuing body and locality, as invitations print
    venues = _sorted_venues(forum)
    hub = next((venue for venue in venues if venue.is_hub), None)
    connected: dict[str, int] = defaultdict(int)
    for row in summary['by_venue']:
        if row['connection_status'] == ConnectionStatus.CONNECTED.value:
            connected[row['tier']] += 1
    tiers = tuple(
        records.TierCount(
            tier=name,
            points=counts['venues'],
            connected=connected[name],
            invited=counts['invited'],
            present=counts['checked_in'],
        )
        for name, counts in summary['by_tier'].items()
        if counts['venues'] or name == Tier.PROVINCE.value
    )
    suffix = invitation.document_number.rsplit('-', 1)[-1]
    return records.Meeting(
        title=forum.title,
        host_body=forum.host_body,
        issuer_lines=invitation.issuer_lines,
        locality=invitation.locality,
        held_on=forum.held_on,
        starts_at=draft.started_at or forum.starts_at,
        ends_at=draft.ended_at or forum.ends_at,
        hub_place=forum.place or (hub.address if hub else ''),
        chairs=tuple(records.Person(o.name, o.title, o.body) for o in forum.chairs),
        guests=tuple(records.Person(o.name, o.title, o.body) for o in forum.guests),
        tiers=tiers,
        conclusions=draft.conclusions or '',
        tasks=tuple(
            records.Task(task.body, task.content, task.due_on)
            for task in draft.tasks
            if task.body or task.content
        ),
        chair_name=draft.chair_name or '',
        chair_title=draft.chair_title or '',
        secretary_name=draft.secretary_name or '',
        recipients=tuple((draft.recipients or '').splitlines()),
        number_suffix=suffix,
    )


def raised_items(forum: Forum) -> tuple[records.PointItems, ...]:
    """The questions, opinions and proposals put to the meeting, by bridge point in the order
    of the tiers, each with its answer from the live queue."""
    order = {venue.id: index for index, venue in enumerate(_sorted_venues(forum))}
    names = {venue.id: venue.name for venue in forum.venues}
    by_venue: dict[int, list[records.RaisedItem]] = defaultdict(list)
    for question in forum_questions(forum.id, public_only=True):  # approved, on screen, answered
        by_venue[question.venue_id].append(
            records.RaisedItem(
                author=question.author_name,
                text=question.text,
                kind=question.kind.value,
                position=question.author_position,
                body=question.author_body,
                answered_by=question.answered_by,
                response=question.response,
                answered=question.status == QuestionStatus.ANSWERED,
            )
        )
    return tuple(
        records.PointItems(names[venue_id], tuple(items))
        for venue_id, items in sorted(by_venue.items(), key=lambda pair: order[pair[0]])
    )


def annex_points(forum: Forum, summary: dict) -> tuple[records.AnnexPoint, ...]:
    """Every delegate by the bridge point they were invited to, in Vietnamese name order, with
    the time they checked in (local), where, or "Vắng"; in one query."""
    zone = local_zone()
    names = {venue.id: venue.name for venue in forum.venues}
    # Two plain queries joined here: an outer join left to the planner of a freshly filled
    # PostgreSQL table (no statistics yet) took half a second.
    checkins = {
        delegate_id: (checked_in_at, venue_id)
        for delegate_id, checked_in_at, venue_id in db.session.execute(
            select(CheckIn.delegate_id, CheckIn.checked_in_at, CheckIn.venue_id).where(
                CheckIn.forum_id == forum.id, CheckIn.undone_at.is_(None)
            )
        )
    }
    rows = db.session.execute(
        select(
            Delegate.id,
            Delegate.venue_id,
            Delegate.full_name,
            Delegate.position,
            Delegate.body,
            Delegate.walk_in,
        )
        .where(Delegate.forum_id == forum.id)
        .order_by(Delegate.venue_id, Delegate.sort_key, Delegate.id)
    ).all()
    people: dict[int, list[tuple[str, str, str, str]]] = defaultdict(list)
    for delegate_id, venue_id, name, position, body, walk_in in rows:
        checked_in_at, checked_venue = checkins.get(delegate_id, (None, None))
        if checked_in_at is None:
            attendance = 'Vắng'
        else:
            attendance = checked_in_at.astimezone(zone).strftime('%H:%M')
            if walk_in:
                attendance += ' (tại chỗ)'
            if checked_venue != venue_id:
                attendance += f', tại {names.get(checked_venue, "")}'
        people[venue_id].append((name, position, body, attendance))
    return tuple(
        records.AnnexPoint(
            name=row['name'],
            tier=row['tier'],
            connection=row['connection_status'],
            invited=row['invited'],
            present=row['checked_in'],
            rows=tuple(people.get(row['venue_id'], ())),
        )
        for row in summary['by_venue']
    )


def minutes_data(forum: Forum, draft: MinutesDraft) -> records.MinutesData:
    """Everything the BIÊN BẢN says, read from the forum, its check-ins, its live queue and the
    draft."""
    summary = attendance_summary(forum)
    troubles = tuple(
        records.PointTrouble(row['name'], row['connection_status'])
        for row in summary['by_venue']
        if row['tier'] != Tier.PROVINCE.value
        and row['connection_status'] != ConnectionStatus.CONNECTED.value
    )
    return records.MinutesData(
        meeting=meeting_of(forum, draft, summary),
        number=draft.minutes_number or '',
        troubles=troubles,
        walk_ins=summary['walk_ins'],
        agenda=agenda_lines(forum.agenda_items),
        raised=raised_items(forum),
        annex=annex_points(forum, summary),
    )


def notice_data(
    forum: Forum, draft: MinutesDraft, issued_on: date | None = None
) -> records.NoticeData:
    """Everything the THÔNG BÁO says; without ``issued_on`` the date is left for the clerk."""
    meeting = meeting_of(forum, draft, attendance_summary(forum))
    return records.NoticeData(
        meeting=meeting,
        number=draft.notice_number or '',
        issued_on=issued_on,
        signature_lines=signature_lines(forum.host_body, draft.chair_title or ''),
        signer_name=draft.chair_name or '',
    )


def document_data(forum: Forum, draft: MinutesDraft, kind: DocumentKind):
    """What the minutes or the notice says as the draft stands (plain data, read from the
    database)."""
    return minutes_data(forum, draft) if kind == DocumentKind.MINUTES else notice_data(forum, draft)


def render_document(kind: DocumentKind, file_format: str, data) -> bytes:
    """The minutes or the notice as PDF or .docx (CPU only: no database)."""
    if file_format == 'docx':
        return minutes_docx(data) if kind == DocumentKind.MINUTES else notice_docx(data)
    return render_minutes(data) if kind == DocumentKind.MINUTES else render_notice(data)


def draft_pdf(forum: Forum, draft: MinutesDraft, kind: DocumentKind) -> bytes:
    """The document as the draft stands (not issued): a preview to check or print."""
    return render_document(kind, 'pdf', document_data(forum, draft, kind))
