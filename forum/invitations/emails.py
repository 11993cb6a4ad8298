"""The invitation and reminder e-mails: personalised text, the GIẤY MỜI PDF and the .ics."""

from email.message import EmailMessage

from flask import render_template

from forum.db_types import utcnow
from forum.delegates.models import Delegate
from forum.invitations.calendar import forum_calendar
from forum.invitations.links import delegate_page_url
from forum.invitations.mailing import Attachment, MailKind, build_message
from forum.text import search_key


def invitation_attachments(delegate: Delegate, *, base_url: str) -> list[Attachment]:
    """The delegate's own invitation as PDF and the forum as a calendar entry."""
    from forum.invitations.services import invitation_pdf

    pdf = invitation_pdf(delegate.forum, base_url=base_url, delegate_ids=[delegate.id])
    return [
        Attachment(f'giay-moi-{_ascii_slug(delegate.full_name)}.pdf', pdf, 'application', 'pdf'),
        Attachment(
            'hoi-nghi.ics', delegate_calendar(delegate, base_url=base_url), 'text', 'calendar'
        ),
    ]


def delegate_calendar(delegate: Delegate, *, base_url: str) -> bytes:
    """The .ics of the forum as this delegate attends it (their bridge point)."""
    forum = delegate.forum
    venue = delegate.venue
    location = ', '.join(part for part in (f'Điểm cầu {venue.name}', venue.address) if part)
    description = '\n'.join(
        line
        for line in (
            forum.theme,
            venue.join_url and f'Tham gia trực tuyến: {venue.join_url}',
            f'Giấy mời: {delegate_page_url(base_url, delegate.code)}',
        )
        if line
    )
    return forum_calendar(
        uid=f'forum-{forum.id}-delegate-{delegate.id}@{base_url.split("//")[-1]}',
        title=forum.title,
        held_on=forum.held_on,
        starts_at=forum.starts_at,
        ends_at=forum.ends_at,
        location=location,
        description=description,
        url=delegate_page_url(base_url, delegate.code),
        stamp=utcnow(),
    )


def invitation_email(
    delegate: Delegate, kind: MailKind, *, base_url: str, sender: str
) -> EmailMessage:
    """The e-mail to one delegate, personalised, with their invitation attached."""
    forum = delegate.forum
    context = {
        'delegate': delegate,
        'forum': forum,
        'venue': delegate.venue,
        'page_url': delegate_page_url(base_url, delegate.code),
        'reminder': kind == MailKind.REMINDER,
    }
    prefix = 'Nhắc lại: ' if kind == MailKind.REMINDER else ''
    return build_message(
        sender=sender,
        to_name=delegate.full_name,
        to_address=delegate.email,
        subject=f'{prefix}Giấy mời {forum.title}',
        text=render_template('invitations/email.txt', **context),
        attachments=invitation_attachments(delegate, base_url=base_url),
    )


def _ascii_slug(text: str) -> str:
    return '-'.join(''.join(c if c.isalnum() else ' ' for c in search_key(text)).split())
