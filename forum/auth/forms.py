"""Sign-in form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Length


class SignInForm(FlaskForm):
    email = EmailField(_l('Email'), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l('Mật khẩu'), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l('Ghi nhớ đăng nhập'))
