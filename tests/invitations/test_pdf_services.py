"""From the models to the invitation PDF's plain data: cards in name order, the signature block."""

import pytest
import sqlalchemy as sa

from forum.extensions import db
from forum.forums.models import Forum
from forum.invitations.services import (
    NoInvitationsError,
    invitation_cards,
    invitation_forum,
    invitation_pdf,
    signature_lines,
)
from forum.tiers.models import Tier
from tests.invitations.pdfs import page_texts

BASE_URL = 'http://127.0.0.1:8000'


@pytest.mark.parametrize(
    ('host', 'title', 'expected'),
    [
        (
            'Ủy ban nhân dân tỉnh Hà Giang',
            'Phó Chủ tịch UBND tỉnh',
            ('TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'),
        ),
        (
            'Ủy ban nhân dân tỉnh Hà Giang',
            'Chủ tịch UBND tỉnh',
            ('TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH'),
        ),
        (
            'Sở Thông tin và Truyền thông tỉnh Hà Giang',
            'Phó Giám đốc Sở',
            ('KT. GIÁM ĐỐC', 'PHÓ GIÁM ĐỐC'),
        ),
        ('Sở Thông tin và Truyền thông tỉnh Hà Giang', '', ('TM. BAN TỔ CHỨC',)),
    ],
)
def test_the_signature_block_follows_the_chairs_office(host, title, expected):
    assert signature_lines(host, title) == expected


def test_cards_come_in_vietnamese_name_order_from_one_query(app_ctx, create_forum, create_delegate):
    forum = create_forum(unit_codes=['00715'])
    lung_cu = next(venue for venue in forum.venues if venue.unit_code == '00715')
    for name in ('Nguyễn Thị Thảo', 'Đặng Ưng Ơn', 'Sùng Mí Chứ', 'Lò Văn Ánh'):
        create_delegate(forum, name, venue=lung_cu)
    create_delegate(forum, 'Vàng Mí Sử')  # at the hub
    forum = db.session.get(Forum, forum.id)
    statements = []

    def record(_connection, _cursor, statement, *_args):
        statements.append(statement)

    sa.event.listen(db.engine, 'before_cursor_execute', record)
    try:
        cards = invitation_cards(forum, base_url=BASE_URL, tier=Tier.COMMUNE)
    finally:
        sa.event.remove(db.engine, 'before_cursor_execute', record)

    assert len(statements) == 1
    assert [card.full_name for card in cards] == [
        'Lò Văn Ánh',
        'Sùng Mí Chứ',
        'Đặng Ưng Ơn',
        'Nguyễn Thị Thảo',
    ]
    assert {card.venue_name for card in cards} == {'xã Lũng Cú'}
    assert all(card.url.startswith(f'{BASE_URL}/i/') for card in cards)


def test_the_forum_reads_as_the_decree_asks(app_ctx, create_forum, create_delegate):
    forum = create_forum(unit_codes=['00715'])
    hub_delegate = create_delegate(forum, 'Vàng Mí Sử')
    forum = db.session.get(Forum, forum.id)

    data = invitation_forum(forum)
    (card,) = invitation_cards(forum, base_url=BASE_URL, delegate_ids=[hub_delegate.id])

    assert data.locality == 'Hà Giang'  # from "Tỉnh Hà Giang" when the forum has none
    assert data.document_number == 'Số: ........../GM-UBND'
    assert data.signer_name == 'Trần Đức Quý'
    assert data.chairs == ('Đồng chí Trần Đức Quý, Phó Chủ tịch UBND tỉnh',)
    assert card.venue_name == 'tỉnh Hà Giang'


def test_a_pdf_for_nobody_is_refused(app_ctx, create_forum):
    forum = db.session.get(Forum, create_forum().id)

    with pytest.raises(NoInvitationsError):
        invitation_pdf(forum, base_url=BASE_URL)


def test_one_delegates_pdf(app_ctx, create_forum, create_delegate):
    forum = create_forum()
    delegate = create_delegate(forum, 'Đặng Ưng Ơn', position='Phó Giám đốc Sở Nội vụ')
    forum = db.session.get(Forum, forum.id)

    (text,) = page_texts(invitation_pdf(forum, base_url=BASE_URL, delegate_ids=[delegate.id]))

    assert 'Kính gửi: Ông/Bà Đặng Ưng Ơn, Phó Giám đốc Sở Nội vụ.' in text
