"""Sign-in form."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from forum.form_base import BaseForm


class SignInForm(BaseForm):
    email = EmailField(_l('Email'), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l('Mật khẩu'), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l('Ghi nhớ đăng nhập'))


class NewUserForm(BaseForm):
    email = EmailField(_l('Email'), validators=[DataRequired(), Length(max=254)])
    full_name = StringField(_l('Họ và tên'), validators=[Length(max=200)])
    role = SelectField(_l('Vai trò'), validators=[DataRequired()])
    password = PasswordField(_l('Mật khẩu'), validators=[DataRequired(), Length(min=8, max=200)])


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        _l('Mật khẩu hiện tại'), validators=[DataRequired(), Length(max=200)]
    )
    new_password = PasswordField(
        _l('Mật khẩu mới'), validators=[DataRequired(), Length(min=8, max=200)]
    )
    confirm_password = PasswordField(
        _l('Nhập lại mật khẩu mới'),
        validators=[
            DataRequired(),
            EqualTo('new_password', message=_l('Hai mật khẩu không khớp.')),
        ],
    )
