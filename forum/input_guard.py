"""The boundary every input crosses: text cleaned, numbers kept in range, JSON kept shallow.

Whatever a client sends (a path, a query string, a form, a JSON body, a Socket.IO payload)
is checked here once, before any view or service sees it:

- every string goes through ``forum.text.clean_text`` (NFC; no controls, zero-width characters,
  bidi overrides or lone surrogates), so nothing stored can break an export later;
- an integer no database column can hold is refused with 404 (a path: no row has that id) or
  422 naming the field: ids and the numbers of JSON bodies and API parameters from 2^31 (the
  tables' INTEGER columns on PostgreSQL), the text of a query or a form from 2^63 (a phone
  number typed in a search stays text);
- a JSON body nested deeper than ``MAX_JSON_DEPTH`` or not valid JSON is refused with 400.
"""

import re

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter

from forum.errors import ApiError
from forum.text import clean_text

# SQLite's INTEGER is signed 64-bit: the most a query or form value compared with a column
# may be. The tables' columns are INTEGER, signed 32-bit on PostgreSQL: ids and the numbers
# the API reads stay below 2^31.
LARGEST_INTEGER = 2**63 - 1
LARGEST_STORED_INTEGER = 2**31 - 1
MAX_ID = 2**31
MAX_JSON_DEPTH = 32
_INTEGER_LITERAL = re.compile(r'[+-]?\d{19,}')


def is_id(value) -> bool:
    """Whether ``value`` (from a JSON payload) is a number a row's id can be."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < MAX_ID


def too_deep() -> ApiError:
    """The 400 for a JSON body nested deeper than anything the API reads."""
    return ApiError(400, f'The JSON is nested more than {MAX_JSON_DEPTH} levels deep.')


def refuse_number(field: str):
    """The 422 for a number too large for any column, naming the field."""
    from flask_babel import gettext as _

    message = _('Số ở trường «%(field)s» quá lớn.', field=field)
    return ApiError(422, message, details={field: [message]})


def check_integer(value: int, field: str, largest: int = LARGEST_INTEGER) -> int:
    """``value`` if a database column can hold it, else the 422 naming ``field``."""
    if not -largest <= value <= largest:
        raise refuse_number(field)
    return value


def cleaned_value(value, field: str):
    """A query or form value as the views see it: cleaned, and not a number out of range."""
    if not isinstance(value, str):
        return value  # an uploaded file
    if _INTEGER_LITERAL.fullmatch(value.strip()):
        check_integer(int(value), field)
    return clean_text(value)


class CleanedMultiDict(ImmutableMultiDict):
    """Query strings and forms, each value cleaned as it is parsed."""

    def __init__(self, mapping=None):
        if mapping is None:
            super().__init__()
            return
        pairs = mapping.items(multi=True) if hasattr(mapping, 'items') else mapping
        super().__init__([(key, cleaned_value(value, key)) for key, value in pairs])


def clean_json(data, *, path: str = ''):
    """``data`` with every string cleaned; 400 when nested too deep, 422 for a number out of
    range (naming where it is). Iterative, so no nesting can exhaust the stack."""
    root = [data]
    stack = [(root, 0, data, path or '$', 0)]
    while stack:
        parent, key, value, where, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise too_deep()
        if isinstance(value, str):
            parent[key] = clean_text(value)
        elif isinstance(value, bool) or value is None or isinstance(value, float):
            continue
        elif isinstance(value, int):
            check_integer(value, where, LARGEST_STORED_INTEGER)
        elif isinstance(value, dict):
            cleaned = {}
            for name, item in value.items():
                cleaned[clean_text(name)] = item
            parent[key] = cleaned
            for name, item in cleaned.items():
                stack.append((cleaned, name, item, f'{where}.{name}', depth + 1))
        elif isinstance(value, list):
            items = list(value)
            parent[key] = items
            for index, item in enumerate(items):
                stack.append((items, index, item, f'{where}[{index}]', depth + 1))
    return root[0]


class ForumRequest(Request):
    """Flask's request with the boundary's checks on its query string, form and JSON."""

    parameter_storage_class = CleanedMultiDict

    def get_json(self, force=False, silent=False, cache=True):
        if cache and self._cached_json[silent] is not Ellipsis:
            return self._cached_json[silent]
        try:
            data = super().get_json(force=force, silent=silent, cache=False)
        except RecursionError:
            if silent:
                return None
            raise too_deep() from None
        if data is None:
            return None
        data = clean_json(data)
        if cache:
            self._cached_json = (data, data)
        return data

    def on_json_loading_failed(self, e):
        if e is not None:
            raise ApiError(400, 'The body is not valid JSON.', code='bad_request') from e
        return super().on_json_loading_failed(e)


class BoundedIntegerConverter(IntegerConverter):
    """``<int:...>`` that matches only ids a row can have: a larger number finds no route (404)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault('max', MAX_ID - 1)
        super().__init__(url_map, *args, **kwargs)


def install_input_guard(app) -> None:
    """Use the guarded request class and the bounded ``int`` converter (before any route)."""
    app.request_class = ForumRequest
    app.url_map.converters['int'] = BoundedIntegerConverter
