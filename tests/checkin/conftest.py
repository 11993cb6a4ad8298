"""A forum with two bridge points, their operators and delegates, ready for the door."""

from dataclasses import dataclass

import pytest

from forum.auth.models import UserRole


@dataclass
class Door:
    forum: object
    hub: object
    district: object
    commune: object
    operator: object
    organiser: object
    thao: object  # invited at the district point
    binh: object  # invited at the district point
    sang: object  # invited at the commune point


@pytest.fixture
def door(create_forum, create_delegate, create_user):
    forum = create_forum(unit_codes=['024', '00688'])
    venues = {v.unit_code: v for v in forum.venues}
    hub, district, commune = venues['02'], venues['024'], venues['00688']
    return Door(
        forum=forum,
        hub=hub,
        district=district,
        commune=commune,
        operator=create_user(UserRole.OPERATOR, venues=[district]),
        organiser=create_user(UserRole.ORGANISER),
        thao=create_delegate(forum, 'Nguyễn Thị Thảo', venue=district, position='Chủ tịch UBND'),
        binh=create_delegate(forum, 'Trần Văn Bình', venue=district),
        sang=create_delegate(forum, 'Lò Văn Sáng', venue=commune),
    )


@pytest.fixture
def scan(client, api_token):
    """POST a check-in as an operator through the API."""
    headers = {}

    def do_scan(door, code, *, venue=None, user=None, **extra):
        user = user or door.operator
        if user.id not in headers:
            headers[user.id] = api_token(user)
        venue = venue or door.district
        return client.post(
            f'/api/v1/forums/{door.forum.id}/checkins',
            json={'code': code, 'venue_id': venue.id, **extra},
            headers=headers[user.id],
        )

    return do_scan
