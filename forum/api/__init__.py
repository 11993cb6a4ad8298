"""The JSON API ``/api/v1``: thin views over the services, documented by OpenAPI 3."""

from flask_smorest import Blueprint
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

from forum.input_guard import LARGEST_STORED_INTEGER, check_integer


class GuardedParser(FlaskParser):
    """webargs reading JSON bodies through the request's guarded ``get_json``
    (``forum.input_guard``), so a body is cleaned and checked once, as every other input."""

    def parse(self, *args, **kwargs):
        """The parsed arguments, with no number that the tables' INTEGER columns cannot hold
        (``page=10**12`` or ``venue=2**40`` is a 422 naming the field, not a database error)."""
        parsed = super().parse(*args, **kwargs)
        if isinstance(parsed, dict):
            for field, value in parsed.items():
                if isinstance(value, int) and not isinstance(value, bool):
                    check_integer(value, field, LARGEST_STORED_INTEGER)
                elif isinstance(value, list):
                    for item in value:
                        if isinstance(item, int) and not isinstance(item, bool):
                            check_integer(item, field, LARGEST_STORED_INTEGER)
        return parsed

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return core.missing
        return req.get_json()


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = GuardedParser()


bp = ApiBlueprint('api', __name__, url_prefix='/api/v1', description='Forum API v1')
