"""What the staff roles are called in the interface
(Vietnamese, translated to English)."""

from flask_babel import lazy_gettext as _l

from forum.auth.models import UserRole

USER_ROLE_LABELS = {
    UserRole.ADMIN: _l('Quản trị'),
    UserRole.ORGANISER: _l('Ban tổ chức'),
    UserRole.MODERATOR: _l('Điều phối'),
    UserRole.OPERATOR: _l('Cán bộ điểm cầu'),
    UserRole.SECRETARY: _l('Thư ký'),
}
