"""Creating and changing forums, their agenda, chairs and guests, and their status."""

import logging
from dataclasses import dataclass, field
from datetime import date, time

from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from forum.audit.services import record_change
from forum.db_types import utcnow
from forum.errors import DomainError
from forum.extensions import db
from forum.forums.models import (
    AgendaItem,
    AgendaKind,
    Forum,
    ForumOfficial,
    OfficialRole,
)
from forum.text import normalize_text
from forum.tiers.models import AdministrativeUnit
from forum.tiers.services import ensure_hub

logger = logging.getLogger(__name__)


class ForumError(DomainError):
    """A change to a forum that cannot be made, with a message for the user."""

    def __init__(self, message: str, *, code: str = 'forum', status: int = 422):
        super().__init__(code, message, status=status)


@dataclass
class OfficialData:
    role: OfficialRole
    name: str
    title: str = ''
    body: str = ''


@dataclass
class AgendaItemData:
    title: str
    kind: AgendaKind
    starts_at: time | None = None
    presenter: str = ''


@dataclass
class ForumData:
    """What an organiser enters for a forum; every text is normalised before it is stored."""

    title: str
    host_body: str
    province_code: str
    held_on: date
    tier_depth: int = 3
    theme: str = ''
    organiser_body: str = ''
    place: str = ''
    locality: str = ''
    starts_at: time | None = None
    ends_at: time | None = None
    officials: list[OfficialData] = field(default_factory=list)
    agenda: list[AgendaItemData] = field(default_factory=list)


SCALAR_FIELDS = (
    'title',
    'theme',
    'host_body',
    'organiser_body',
    'place',
    'locality',
    'province_code',
    'held_on',
    'starts_at',
    'ends_at',
    'tier_depth',
)


def _clean(value):
    return normalize_text(value) if isinstance(value, str) else value


def _validate(data: ForumData, forum: Forum | None) -> None:
    if not _clean(data.title):
        raise ForumError(_('Hội nghị cần có tên.'))
    if data.tier_depth not in (2, 3):
        raise ForumError(_('Số cấp là 2 (tỉnh, xã) hoặc 3 (tỉnh, huyện, xã).'))
    if data.starts_at and data.ends_at and data.ends_at <= data.starts_at:
        raise ForumError(_('Giờ kết thúc phải sau giờ bắt đầu.'))
    if forum is not None and forum.tier_depth != data.tier_depth and len(forum.venues) > 1:
        raise ForumError(_('Không đổi được số cấp khi đã có điểm cầu cấp dưới.'))
    if forum is not None and forum.province_code != data.province_code and len(forum.venues) > 1:
        raise ForumError(_('Không đổi được tỉnh khi đã có điểm cầu cấp dưới.'))


def _apply(forum: Forum, data: ForumData) -> None:
    for name in SCALAR_FIELDS:
        setattr(forum, name, _clean(getattr(data, name)))
    if not forum.locality:
        province = db.session.get(AdministrativeUnit, forum.province_code)
        if province is None:
            raise ForumError(_('Không có tỉnh mã %(code)s.', code=forum.province_code))
        forum.locality = province.name.removeprefix('Tỉnh ').removeprefix('Thành phố ')
    forum.officials = [
        ForumOfficial(
            role=o.role, position=i, name=_clean(o.name), title=_clean(o.title), body=_clean(o.body)
        )
        for i, o in enumerate(data.officials)
        if _clean(o.name)
    ]
    forum.agenda_items = [
        AgendaItem(
            position=i,
            title=_clean(a.title),
            kind=a.kind,
            starts_at=a.starts_at,
            presenter=_clean(a.presenter),
        )
        for i, a in enumerate(data.agenda)
        if _clean(a.title)
    ]


def create_forum(data: ForumData, *, user=None) -> Forum:
    """Create a forum in draft, with its hub bridge point at the province."""
    _validate(data, None)
    forum = Forum()
    db.session.add(forum)
    _apply(forum, data)
    db.session.flush()
    ensure_hub(forum)
    record_change(
        'forum.created', forum, user=user, forum_id=forum.id, details={'title': forum.title}
    )
    logger.info('Forum %s created: %s', forum.id, forum.title)
    return forum


def update_forum(forum: Forum, data: ForumData, *, user=None) -> Forum:
    """Replace a forum's details, agenda, chairs and guests with ``data``."""
    _validate(data, forum)
    _apply(forum, data)
    forum.updated_at = utcnow()
    hub = ensure_hub(forum)
    if not hub.address:
        hub.address = forum.place
    record_change('forum.updated', forum, user=user, forum_id=forum.id)
    return forum


def advance_forum_status(forum: Forum, *, user=None) -> Forum:
    """Move the forum to the next status: draft → inviting → live → closed → minutes issued."""
    following = forum.status.next
    if following is None:
        raise ForumError(_('Biên bản đã ban hành; hội nghị không còn bước tiếp theo.'))
    previous, forum.status = forum.status, following
    record_change(
        'forum.status',
        forum,
        user=user,
        forum_id=forum.id,
        details={'from': previous.value, 'to': following.value},
    )
    logger.info('Forum %s: %s -> %s', forum.id, previous.value, following.value)
    return forum


def forums_query_for(user) -> Select:
    """The forums this staff member may see, newest first."""
    from forum.auth.permissions import STAFF_WHO_SEE_ALL_FORUMS
    from forum.tiers.models import Venue

    query = select(Forum).order_by(Forum.held_on.desc(), Forum.id.desc())
    if user.role not in STAFF_WHO_SEE_ALL_FORUMS:
        own = select(Venue.forum_id).where(Venue.id.in_([v.id for v in user.venues]))
        query = query.where(Forum.id.in_(own))
    return query


def count_delegates(forum: Forum) -> int:
    """How many delegates are on the forum's list."""
    from forum.delegates.models import Delegate

    return db.session.scalar(select(func.count(Delegate.id)).where(Delegate.forum_id == forum.id))
