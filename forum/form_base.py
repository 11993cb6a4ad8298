"""The base of every form: WTForms' own messages ("This field is required.") in Vietnamese.

WTForms ships no Vietnamese catalogue, so ours lives in forum/translations/vi (domain
``wtforms``) and is chosen by the page's language, like the rest of the interface.
"""

from babel.support import NullTranslations, Translations
from flask import g, has_request_context
from flask_babel import get_locale
from flask_wtf import FlaskForm

from config import PROJECT_ROOT

TRANSLATIONS_DIR = PROJECT_ROOT / 'forum' / 'translations'


def _catalogue() -> NullTranslations:
    if not has_request_context():
        return NullTranslations()
    if 'wtforms_catalogue' not in g:
        g.wtforms_catalogue = Translations.load(
            str(TRANSLATIONS_DIR), [get_locale()], domain='wtforms'
        )
    return g.wtforms_catalogue


class _FormTranslations:
    def gettext(self, string):
        return _catalogue().ugettext(string)

    def ngettext(self, singular, plural, n):
        return _catalogue().ungettext(singular, plural, n)


_translations = _FormTranslations()


class BaseForm(FlaskForm):
    """A Flask-WTF form whose built-in messages follow the interface language."""

    class Meta:
        def get_translations(self, form):
            return _translations
