"""What each enum value is called in the interface (Vietnamese, translated to English)."""

from flask_babel import lazy_gettext as _l

from forum.auth.models import UserRole
from forum.delegates.models import DelegateRole
from forum.forums.models import AgendaKind, ForumStatus, OfficialRole
from forum.tiers.models import ConnectionStatus, Tier

TIER_LABELS = {
    Tier.PROVINCE: _l('Cấp tỉnh'),
    Tier.DISTRICT: _l('Cấp huyện'),
    Tier.COMMUNE: _l('Cấp xã'),
}
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
CONNECTION_STATUS_LABELS = {
    ConnectionStatus.NOT_CHECKED: _l('Chưa kiểm tra'),
    ConnectionStatus.CONNECTED: _l('Đã kết nối'),
    ConnectionStatus.PROBLEM: _l('Có sự cố'),
}
USER_ROLE_LABELS = {
    UserRole.ADMIN: _l('Quản trị'),
    UserRole.ORGANISER: _l('Ban tổ chức'),
    UserRole.MODERATOR: _l('Điều phối'),
    UserRole.OPERATOR: _l('Cán bộ điểm cầu'),
    UserRole.SECRETARY: _l('Thư ký'),
}
DELEGATE_ROLE_LABELS = {
    DelegateRole.CHAIR: _l('Chủ trì'),
    DelegateRole.GUEST: _l('Khách mời'),
    DelegateRole.SPEAKER: _l('Báo cáo viên'),
    DelegateRole.DELEGATE: _l('Đại biểu'),
    DelegateRole.PRESS: _l('Báo chí'),
}

ALL_LABELS = {
    'tier': TIER_LABELS,
    'forum_status': FORUM_STATUS_LABELS,
    'official_role': OFFICIAL_ROLE_LABELS,
    'agenda_kind': AGENDA_KIND_LABELS,
    'connection': CONNECTION_STATUS_LABELS,
    'user_role': USER_ROLE_LABELS,
    'delegate_role': DELEGATE_ROLE_LABELS,
}
