"""Forms for a bridge point's details and its operators' roll-call answer."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import URL, Length, NumberRange, Optional

from forum.form_base import BaseForm
from forum.form_choices import choices_from
from forum.tiers.labels import CONNECTION_STATUS_LABELS
from forum.tiers.models import ConnectionStatus


class VenueForm(BaseForm):
    address = StringField(_l('Địa chỉ'), validators=[Length(max=300)])
    capacity = IntegerField(
        _l('Sức chứa'), validators=[Optional(), NumberRange(min=1, max=100_000)]
    )
    join_url = StringField(
        _l('Đường dẫn tham gia trực tuyến'),
        validators=[Optional(), Length(max=500), URL(message=_l('Đường dẫn không hợp lệ.'))],
    )
    operators = SelectMultipleField(_l('Cán bộ điểm cầu'), coerce=int, validate_choice=True)


class ConnectionStatusForm(BaseForm):
    status = RadioField(
        _l('Tình trạng kết nối'),
        choices=choices_from(
            (status, label)
            for status, label in CONNECTION_STATUS_LABELS.items()
            if status != ConnectionStatus.NOT_CHECKED
        ),
    )
    note = TextAreaField(_l('Ghi chú'), validators=[Length(max=1000)])
