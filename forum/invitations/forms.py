"""The delegate's answer, and the organisers' e-mail batch."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from forum.delegates.models import Rsvp
from forum.form_base import BaseForm
from forum.form_choices import choices_from
from forum.invitations.models import MailKind


class RsvpForm(BaseForm):
    answer = RadioField(
        _l('Trả lời'),
        choices=choices_from(
            [(Rsvp.ACCEPTED, _l('Tôi sẽ tham dự')), (Rsvp.DECLINED, _l('Tôi không tham dự được'))]
        ),
        validators=[DataRequired(message=_l('Hãy chọn tham dự hoặc không tham dự.'))],
    )
    substitute_name = StringField(_l('Người dự thay (họ và tên)'), validators=[Length(max=200)])
    substitute_position = StringField(_l('Chức vụ người dự thay'), validators=[Length(max=200)])

    def validate_substitute_name(self, field):
        if self.substitute_position.data and not (field.data or '').strip():
            raise ValidationError(_l('Nhập họ và tên người dự thay.'))


class MailBatchForm(BaseForm):
    kind = HiddenField(validators=[DataRequired()])

    def validate_kind(self, field):
        if field.data not in {kind.value for kind in MailKind}:
            raise ValidationError(_l('Loại thư không hợp lệ.'))


class MailConfirmForm(MailBatchForm):
    """The second step: the organiser has seen how many will receive the batch."""

    request_key = HiddenField(validators=[DataRequired(), Length(min=16, max=64)])
    expected = HiddenField(validators=[DataRequired()])


class ConfirmForm(BaseForm):
    """A form with only its CSRF token, for buttons that change something."""
