"""What tiers and connection states are called in the interface
(Vietnamese, translated to English)."""

from flask_babel import lazy_gettext as _l

from forum.tiers.models import ConnectionStatus, Tier

TIER_LABELS = {
    Tier.PROVINCE: _l('Cấp tỉnh'),
    Tier.DISTRICT: _l('Cấp huyện'),
    Tier.COMMUNE: _l('Cấp xã'),
}
CONNECTION_STATUS_LABELS = {
    ConnectionStatus.NOT_CHECKED: _l('Chưa kiểm tra'),
    ConnectionStatus.CONNECTED: _l('Đã kết nối'),
    ConnectionStatus.PROBLEM: _l('Có sự cố'),
}
