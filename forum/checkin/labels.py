"""What the ways of checking in are called in the interface
(Vietnamese, translated to English)."""

from flask_babel import lazy_gettext as _l

from forum.checkin.models import CheckInMethod

CHECKIN_METHOD_LABELS = {
    CheckInMethod.QR: _l('Mã QR'),
    CheckInMethod.SHORT_CODE: _l('Mã dự phòng'),
    CheckInMethod.SEARCH: _l('Tìm theo tên'),
    CheckInMethod.WALK_IN: _l('Đăng ký tại chỗ'),
    CheckInMethod.API: _l('Qua API'),
}
