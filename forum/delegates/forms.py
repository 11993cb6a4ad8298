"""Forms of the delegate-list pages: the upload, and the confirmation after the preview."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, IntegerField
from wtforms.validators import DataRequired, InputRequired
from wtforms.widgets import HiddenInput

from forum.form_base import BaseForm


class ImportUploadForm(BaseForm):
    file = FileField(
        _l('Tệp danh sách (XLSX hoặc CSV)'),
        validators=[FileRequired(_l('Chọn tệp danh sách đại biểu.'))],
    )


class ConfirmImportForm(BaseForm):
    token = HiddenField(validators=[DataRequired()])
    # What the preview showed; if the list changed since, the organiser looks again.
    expected_created = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    expected_updated = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
