"""Forms of the moderators' page (the rest of the queue goes through the JSON API)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField


class NamesShownForm(FlaskForm):
    shown = BooleanField(_l('Hiện tên người gửi cho khán giả'))
