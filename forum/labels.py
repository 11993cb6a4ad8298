"""What each enum value is called in the interface (Vietnamese, translated to English)."""

from flask_babel import lazy_gettext as _l

from forum.auth.models import UserRole
from forum.checkin.models import CheckInMethod
from forum.delegates.models import DelegateRole
from forum.forums.models import AgendaKind, ForumStatus, OfficialRole
from forum.qa.models import QuestionKind, QuestionMode, QuestionStatus
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
CHECKIN_METHOD_LABELS = {
    CheckInMethod.QR: _l('Mã QR'),
    CheckInMethod.SHORT_CODE: _l('Mã dự phòng'),
    CheckInMethod.SEARCH: _l('Tìm theo tên'),
    CheckInMethod.WALK_IN: _l('Đăng ký tại chỗ'),
    CheckInMethod.API: _l('Qua API'),
}
QUESTION_KIND_LABELS = {
    QuestionKind.QUESTION: _l('Câu hỏi'),
    QuestionKind.OPINION: _l('Ý kiến'),
    QuestionKind.PROPOSAL: _l('Kiến nghị, đề xuất'),
}
QUESTION_MODE_LABELS = {
    QuestionMode.WRITTEN: _l('Gửi bằng văn bản'),
    QuestionMode.ORAL: _l('Đăng ký phát biểu'),
}
QUESTION_STATUS_LABELS = {
    QuestionStatus.PENDING: _l('Chờ duyệt'),
    QuestionStatus.APPROVED: _l('Đã duyệt'),
    QuestionStatus.CURRENT: _l('Đang trên màn hình'),
    QuestionStatus.ANSWERED: _l('Đã trả lời'),
    QuestionStatus.DISMISSED: _l('Đã loại'),
}

ALL_LABELS = {
    'tier': TIER_LABELS,
    'forum_status': FORUM_STATUS_LABELS,
    'official_role': OFFICIAL_ROLE_LABELS,
    'agenda_kind': AGENDA_KIND_LABELS,
    'connection': CONNECTION_STATUS_LABELS,
    'user_role': USER_ROLE_LABELS,
    'delegate_role': DELEGATE_ROLE_LABELS,
    'checkin_method': CHECKIN_METHOD_LABELS,
    'question_kind': QUESTION_KIND_LABELS,
    'question_mode': QUESTION_MODE_LABELS,
    'question_status': QUESTION_STATUS_LABELS,
}
