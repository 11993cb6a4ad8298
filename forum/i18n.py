"""Language choice: Vietnamese first, English second; dates in Vietnamese style."""

from urllib.parse import urlencode

from flask import current_app, has_request_context, request, session
from flask_babel import format_date


def select_locale() -> str:
    """The language chosen in this browser session, else Vietnamese."""
    if not has_request_context():
        return current_app.config['BABEL_DEFAULT_LOCALE']
    chosen = session.get('lang')
    if chosen in current_app.config['LANGUAGES']:
        return chosen
    return current_app.config['BABEL_DEFAULT_LOCALE']


def language_url(code: str) -> str:
    """This page in another language: the same path and query (a district's big screen keeps
    its ``?venue=``), with ``lang`` replaced."""
    query = [(key, value) for key, value in request.args.items(multi=True) if key != 'lang']
    return f'{request.path}?{urlencode([*query, ("lang", code)])}'


def register_template_helpers(app) -> None:
    """Make the language list and date formatting available to every template."""

    from forum.labels import ALL_LABELS
    from forum.script_text import script_text

    @app.context_processor
    def _inject_languages_and_labels():
        return {
            'languages': app.config['LANGUAGES'],
            'current_locale': select_locale(),
            'labels': ALL_LABELS,
            'language_url': language_url,
            'script_text': script_text,
        }

    @app.template_filter('long_date')
    def _long_date(value):
        if value is None:
            return ''
        if select_locale() == 'vi':
            return f'ngày {value.day} tháng {value.month} năm {value.year}'
        return format_date(value, 'long')

    @app.template_filter('hhmm')
    def _hhmm(value):
        return value.strftime('%H:%M') if value else ''

    @app.before_request
    def _remember_language_choice():
        lang = request.args.get('lang')
        if lang in app.config['LANGUAGES']:
            session['lang'] = lang
