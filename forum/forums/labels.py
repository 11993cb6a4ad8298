"""What a forum's phases, officials and agenda items are called in the interface
(Vietnamese, translated to English)."""

from flask_babel import lazy_gettext as _l

from forum.forums.models import AgendaKind, ForumStatus, OfficialRole

FORUM_STATUS_LABELS = {
    ForumStatus.DRAFT: _l('Dự thảo'),
    ForumStatus.INVITING: _l('Đang mời'),
    ForumStatus.LIVE: _l('Đang diễn ra'),
    ForumStatus.CLOSED: _l('Đã kết thúc'),
    ForumStatus.MINUTES_ISSUED: _l('Đã ban hành biên bản'),
}
OFFICIAL_ROLE_LABELS = {OfficialRole.CHAIR: _l('Chủ trì'), OfficialRole.GUEST: _l('Khách mời')}
AGENDA_KIND_LABELS = {
    AgendaKind.OPENING: _l('Khai mạc'),
    AgendaKind.PRESENTATION: _l('Tham luận, báo cáo'),
    AgendaKind.DISCUSSION: _l('Thảo luận'),
    AgendaKind.CONCLUSION: _l('Kết luận'),
}
