"""The JSON API ``/api/v1``: thin views over the services, documented by OpenAPI 3."""

from flask_smorest import Blueprint
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request


class GuardedParser(FlaskParser):
    """webargs reading JSON bodies through the request's guarded ``get_json``
    (``forum.input_guard``), so a body is cleaned and checked once, as every other input."""

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return core.missing
        return req.get_json()


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = GuardedParser()


bp = ApiBlueprint('api', __name__, url_prefix='/api/v1', description='Forum API v1')
