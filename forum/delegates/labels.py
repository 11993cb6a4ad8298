"""What a delegate's roles are called in the interface and in lists
(Vietnamese, translated to English)."""

from flask_babel import lazy_gettext as _l

from forum.delegates.models import DelegateRole

DELEGATE_ROLE_LABELS = {
    DelegateRole.CHAIR: _l('Chủ trì'),
    DelegateRole.GUEST: _l('Khách mời'),
    DelegateRole.SPEAKER: _l('Báo cáo viên'),
    DelegateRole.DELEGATE: _l('Đại biểu'),
    DelegateRole.PRESS: _l('Báo chí'),
}
