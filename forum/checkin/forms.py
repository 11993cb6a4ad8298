"""Forms of the check-in list: undo with a reason, and the check-out / back-in buttons."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Length

from forum.form_base import BaseForm


class UndoCheckInForm(BaseForm):
    # Required by the service (undo_check_in), which explains a missing reason itself.
    reason = StringField(_l('Lý do hủy'), validators=[Length(max=500)])


class CheckInButtonForm(BaseForm):
    """Only the CSRF token: check-out and back-in buttons."""
