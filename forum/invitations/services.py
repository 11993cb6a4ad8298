"""Invitation services that views, e-mails and jobs call; each block below is one concern."""

import logging
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from forum.delegates.models import Delegate
from forum.documents.agenda import agenda_lines
from forum.extensions import db
from forum.forums.models import Forum, ForumOfficial
from forum.invitations.links import delegate_page_url
from forum.invitations.pdf import InvitationCard, InvitationForum, render_invitations
from forum.tiers.models import Tier, Venue

logger = logging.getLogger(__name__)


# The invitation PDF (GIẤY MỜI): plain data for forum.invitations.pdf, read from the models. ----


class NoInvitationsError(LookupError):
    """No delegate matches what was asked for: there is no page to print."""


PEOPLES_COMMITTEE = 'ủy ban nhân dân'
# Heads of bodies, to tell the office ("Chủ tịch") from the body in a title like
# "Phó Chủ tịch UBND tỉnh" for the signature block.
HEAD_TITLES = (
    'Chủ tịch',
    'Giám đốc',
    'Trưởng ban',
    'Chánh Văn phòng',
    'Chánh Thanh tra',
    'Cục trưởng',
    'Bộ trưởng',
    'Tổng Biên tập',
    'Bí thư',
)
UNIT_KINDS = ('Tỉnh', 'Thành phố', 'Huyện', 'Thị xã', 'Quận', 'Xã', 'Phường', 'Thị trấn')


def invitation_forum(forum: Forum) -> InvitationForum:
    """What every invitation of ``forum`` says, as plain data for the PDF."""
    chair = forum.chairs[0] if forum.chairs else None
    committee = forum.host_body.lower().startswith(PEOPLES_COMMITTEE)
    return InvitationForum(
        title=forum.title,
        host_body=forum.host_body,
        issuer_lines=(forum.host_body,),
        locality=forum.locality or _without_kind(forum.province.name),
        held_on=forum.held_on,
        starts_at=forum.starts_at,
        ends_at=forum.ends_at,
        theme=forum.theme,
        place=forum.place,
        document_number=f'Số: ........../GM-{"UBND" if committee else "BTC"}',
        agenda=agenda_lines(forum.agenda_items),
        chairs=tuple(_official_line(official) for official in forum.chairs),
        signature_lines=signature_lines(forum.host_body, chair.title if chair else ''),
        signer_name=chair.name if chair else '',
    )


def signature_lines(host_body: str, title: str) -> tuple[str, ...]:
    """The authority above the signature: ``TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH``."""
    deputy = title.startswith('Phó ')
    office = title[4:] if deputy else title
    head = next((h for h in HEAD_TITLES if office.lower().startswith(h.lower())), office)
    if not head:
        return ('TM. BAN TỔ CHỨC',)
    committee = host_body.lower().startswith(PEOPLES_COMMITTEE) and head == 'Chủ tịch'
    lines = ['TM. ỦY BAN NHÂN DÂN'] if committee else []
    if deputy:
        return (*lines, f'KT. {head.upper()}', f'PHÓ {head.upper()}')
    return (*lines, head.upper())


def invitation_cards(
    forum: Forum,
    *,
    base_url: str,
    venue_id: int | None = None,
    tier: Tier | None = None,
    delegate_ids: Collection[int] | None = None,
) -> list[InvitationCard]:
    """One card per delegate of the forum (of one bridge point, tier or list), in name order."""
    query = (
        select(Delegate)
        .join(Delegate.venue)
        .options(contains_eager(Delegate.venue))
        .where(Delegate.forum_id == forum.id)
        .order_by(Delegate.sort_key, Delegate.id)
    )
    if venue_id is not None:
        query = query.where(Delegate.venue_id == venue_id)
    if tier is not None:
        query = query.where(Venue.tier == tier)
    if delegate_ids is not None:
        query = query.where(Delegate.id.in_(list(delegate_ids)))
    return [_card(delegate, forum, base_url) for delegate in db.session.scalars(query)]


def invitation_pdf(
    forum: Forum,
    *,
    base_url: str,
    venue_id: int | None = None,
    tier: Tier | None = None,
    delegate_ids: Collection[int] | None = None,
) -> bytes:
    """The GIẤY MỜI of the chosen delegates as one PDF, a page each."""
    cards = invitation_cards(
        forum, base_url=base_url, venue_id=venue_id, tier=tier, delegate_ids=delegate_ids
    )
    if not cards:
        raise NoInvitationsError(f'Forum {forum.id} has no delegate to invite with these filters.')
    pdf = render_invitations(invitation_forum(forum), cards)
    logger.info('Forum %s: invitation PDF of %d pages', forum.id, len(cards))
    return pdf


def _card(delegate: Delegate, forum: Forum, base_url: str) -> InvitationCard:
    venue = delegate.venue
    return InvitationCard(
        full_name=delegate.full_name,
        url=delegate_page_url(base_url, delegate.code),
        short_code=delegate.short_code,
        position=delegate.position,
        body=delegate.body,
        venue_name=_in_sentence(venue.name),
        venue_address=venue.address or (forum.place if venue.is_hub else ''),
        join_url=venue.join_url,
    )


def _official_line(official: ForumOfficial) -> str:
    return ', '.join(part for part in (f'Đồng chí {official.name}', official.title) if part)


def _without_kind(name: str) -> str:
    """'Tỉnh Hà Giang' → 'Hà Giang', the place as a date line names it."""
    for kind in UNIT_KINDS:
        if name.startswith(f'{kind} '):
            return name[len(kind) + 1 :]
    return name


def _in_sentence(name: str) -> str:
    """'Xã Lũng Cú' → 'xã Lũng Cú', as a unit's name reads inside a sentence."""
    for kind in UNIT_KINDS:
        if name.startswith(f'{kind} '):
            return kind.lower() + name[len(kind) :]
    return name


# End of the invitation PDF block. ---------------------------------------------------------
