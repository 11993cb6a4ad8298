"""A live forum with a moderator, an operator and delegates at two bridge points."""

from dataclasses import dataclass

import pytest

from forum.auth.models import UserRole


@dataclass
class Hall:
    forum: object
    hub: object
    district: object
    moderator: object
    operator: object
    thao: object
    binh: object
    sang: object


@pytest.fixture
def hall(create_forum, create_delegate, create_user):
    forum = create_forum(unit_codes=['024'])
    venues = {v.unit_code: v for v in forum.venues}
    hub, district = venues['02'], venues['024']
    return Hall(
        forum=forum,
        hub=hub,
        district=district,
        moderator=create_user(UserRole.MODERATOR),
        operator=create_user(UserRole.OPERATOR, venues=[district]),
        thao=create_delegate(forum, 'Nguyễn Thị Thảo', venue=district, position='Chủ tịch UBND'),
        binh=create_delegate(forum, 'Trần Văn Bình', venue=district),
        sang=create_delegate(forum, 'Lò Văn Sáng'),
    )


@pytest.fixture
def ask(client):
    """A delegate sends an item through the API with their code."""

    def do_ask(hall, delegate, text='Xin hỏi về kinh phí truyền thông chính sách?', **extra):
        return client.post(
            f'/api/v1/forums/{hall.forum.id}/questions',
            json={'text': text, 'code': delegate.code, **extra},
        )

    return do_ask


@pytest.fixture
def moderate(client, api_token):
    """A moderator changes an item through the API."""
    tokens = {}

    def do_moderate(hall, question_id, **changes):
        if 'headers' not in tokens:
            tokens['headers'] = api_token(hall.moderator)
        return client.patch(
            f'/api/v1/questions/{question_id}', json=changes, headers=tokens['headers']
        )

    return do_moderate


@pytest.fixture(autouse=True)
def _jobs_run(job_worker):
    """The pages and the API of this area hand their heavy work to the job worker."""
