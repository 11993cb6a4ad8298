"""The forum form: details, chairs and guests, and the agenda, in one page."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from forum.form_base import BaseForm
from forum.form_choices import choices_from
from forum.forums.labels import AGENDA_KIND_LABELS, OFFICIAL_ROLE_LABELS
from forum.forums.models import AgendaKind, OfficialRole
from forum.forums.services import AgendaItemData, ForumData, OfficialData

BLANK_ROWS = 2


class OfficialForm(Form):
    role = SelectField(
        _l('Vai trò'),
        choices=choices_from(OFFICIAL_ROLE_LABELS.items()),
        default=OfficialRole.CHAIR.value,
    )
    name = StringField(_l('Họ và tên'), validators=[Length(max=200)])
    title = StringField(_l('Chức vụ'), validators=[Length(max=200)])
    body = StringField(_l('Cơ quan'), validators=[Length(max=200)])

    def validate_name(self, field):
        if not (field.data or '').strip() and (
            (self.title.data or '').strip() or (self.body.data or '').strip()
        ):
            raise ValidationError(_l('Nhập họ và tên.'))


class AgendaItemForm(Form):
    starts_at = TimeField(_l('Giờ'), validators=[Optional()])
    title = StringField(_l('Nội dung'), validators=[Length(max=300)])
    presenter = StringField(_l('Người trình bày'), validators=[Length(max=300)])
    kind = SelectField(
        _l('Loại'),
        choices=choices_from(AGENDA_KIND_LABELS.items()),
        default=AgendaKind.PRESENTATION.value,
    )

    def validate_title(self, field):
        if not (field.data or '').strip() and (
            (self.presenter.data or '').strip() or self.starts_at.data
        ):
            raise ValidationError(_l('Nhập nội dung của mục này.'))


class ForumForm(BaseForm):
    title = StringField(_l('Tên hội nghị'), validators=[DataRequired(), Length(max=300)])
    theme = TextAreaField(_l('Chủ đề'), validators=[Length(max=2000)])
    host_body = StringField(_l('Cơ quan chủ trì'), validators=[DataRequired(), Length(max=200)])
    organiser_body = StringField(_l('Cơ quan tổ chức'), validators=[Length(max=200)])
    province_code = SelectField(_l('Tỉnh'), validators=[DataRequired()])
    place = StringField(_l('Địa điểm điểm cầu chính'), validators=[Length(max=300)])
    locality = StringField(_l('Địa danh ghi trên văn bản'), validators=[Length(max=100)])
    held_on = DateField(_l('Ngày'), validators=[DataRequired()])
    starts_at = TimeField(_l('Giờ bắt đầu'), validators=[Optional()])
    ends_at = TimeField(_l('Giờ kết thúc'), validators=[Optional()])
    tier_depth = RadioField(
        _l('Số cấp'),
        choices=choices_from([('3', _l('3 cấp: tỉnh, huyện, xã')), ('2', _l('2 cấp: tỉnh, xã'))]),
        default='3',
        validators=[DataRequired()],
    )
    officials = FieldList(FormField(OfficialForm), min_entries=BLANK_ROWS, max_entries=40)
    agenda = FieldList(FormField(AgendaItemForm), min_entries=BLANK_ROWS, max_entries=60)

    def validate_ends_at(self, field):
        if field.data and self.starts_at.data and field.data <= self.starts_at.data:
            raise ValidationError(_l('Giờ kết thúc phải sau giờ bắt đầu.'))

    def to_data(self) -> ForumData:
        """The submitted forum as the services take it."""
        return ForumData(
            title=self.title.data,
            theme=self.theme.data or '',
            host_body=self.host_body.data,
            organiser_body=self.organiser_body.data or '',
            province_code=self.province_code.data,
            place=self.place.data or '',
            locality=self.locality.data or '',
            held_on=self.held_on.data,
            starts_at=self.starts_at.data,
            ends_at=self.ends_at.data,
            tier_depth=int(self.tier_depth.data),
            officials=[
                OfficialData(
                    role=OfficialRole(row.role.data),
                    name=row.name.data or '',
                    title=row.title.data or '',
                    body=row.body.data or '',
                )
                for row in (entry.form for entry in self.officials)
            ],
            agenda=[
                AgendaItemData(
                    title=row.title.data or '',
                    kind=AgendaKind(row.kind.data),
                    starts_at=row.starts_at.data,
                    presenter=row.presenter.data or '',
                )
                for row in (entry.form for entry in self.agenda)
            ],
        )

    def fill_from(self, forum) -> None:
        """Show an existing forum, with blank rows to add chairs and agenda items."""
        self.process(obj=forum)
        self.province_code.data = forum.province_code
        self.tier_depth.data = str(forum.tier_depth)
        self._fill_rows(self.officials, forum.officials, ('role', 'name', 'title', 'body'))
        self._fill_rows(
            self.agenda, forum.agenda_items, ('starts_at', 'title', 'presenter', 'kind')
        )

    @staticmethod
    def _fill_rows(field_list, records, names) -> None:
        while field_list.entries:
            field_list.pop_entry()
        for record in records:
            field_list.append_entry({n: getattr(record, n) for n in names})
        for _ in range(BLANK_ROWS):
            field_list.append_entry()
