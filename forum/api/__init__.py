"""The JSON API ``/api/v1``: thin views over the services, documented by OpenAPI 3."""

from flask_smorest import Blueprint

bp = Blueprint('api', __name__, url_prefix='/api/v1', description='Forum API v1')
