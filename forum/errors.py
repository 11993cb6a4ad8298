"""Error responses: JSON ``{"error": {...}}`` under /api/, a friendly page everywhere else."""

import logging
from collections.abc import Callable

from flask import current_app, g, has_request_context, jsonify, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

logger = logging.getLogger(__name__)

ERROR_CODES = {
    400: 'bad_request',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'not_found',
    405: 'method_not_allowed',
    409: 'conflict',
    413: 'too_large',
    415: 'unsupported_media_type',
    422: 'validation_error',
    429: 'too_many_requests',
    503: 'database_unavailable',
}
DATABASE_RETRY_SECONDS = 5
# SQLite reports a bug (no such table, a syntax error) as an OperationalError too: only these
# of its messages mean "the database cannot be used right now".
SQLITE_UNAVAILABLE = ('locked', 'busy', 'unable to open', 'disk i/o', 'readonly')


def database_unavailable(error: Exception) -> bool:
    """Whether a driver error means the database is out of reach for now (down, restarting,
    locked past the wait), not a bug in a query."""
    original = getattr(error, 'orig', None)
    if type(original).__module__ == 'sqlite3':
        return any(word in str(original).lower() for word in SQLITE_UNAVAILABLE)
    return True


class ApiError(HTTPException):
    """An API error with a machine-readable code, a message and optional details."""

    def __init__(self, status: int, message: str, code: str | None = None, details=None):
        super().__init__(description=message)
        self.code = status
        self.error_code = code or ERROR_CODES.get(status, 'error')
        self.details = details


class DomainError(Exception):
    """A request the rules refuse (a revoked code, a second vote, a move the queue does not
    allow): ``code`` for machines, ``message`` for people, the HTTP ``status`` it answers with
    and optional ``details``. Raised by the services; the API answers it as JSON (see
    ``register_error_handlers``), pages catch it to show the message where it belongs."""

    def __init__(self, code: str, message: str, *, status: int = 422, details: dict | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.details = details or {}


def answers_json(view):
    """Mark a page's endpoint that its script calls (the minutes' autosave): its errors are
    JSON, as the API's are."""
    view.answers_json = True
    return view


def wants_json() -> bool:
    if request.path.startswith('/api/'):
        return True
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return bool(getattr(view, 'answers_json', False))


ErrorFields = Callable[[int, dict], dict]
_error_fields: dict[str, ErrorFields] = {}


def add_error_fields(endpoint: str, fields: ErrorFields) -> None:
    """Give the errors of one API endpoint more top-level fields than ``error`` (the import's
    ``errors`` list, which its contract promises with every 422): ``fields(status, error)``."""
    _error_fields[endpoint] = fields


def api_error_response(status: int, code: str, message: str, details=None):
    body = {'code': code, 'message': message}
    if details:
        body['details'] = details
    payload = {'error': body}
    extra = _error_fields.get(request.endpoint or '') if has_request_context() else None
    if extra is not None:
        payload.update(extra(status, body))
    return jsonify(payload), status


def register_error_handlers(app) -> None:
    """Install the handlers for HTTP errors and for anything unexpected."""

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        status = error.code or 500
        if wants_json():
            if isinstance(error, ApiError):
                return api_error_response(
                    status, error.error_code, error.description, error.details
                )
            # webargs puts the field errors of a rejected request in error.data['messages'].
            details = getattr(error, 'data', {}).get('messages') if hasattr(error, 'data') else None
            message = error.description if status != 422 else 'The request is not valid.'
            return api_error_response(status, ERROR_CODES.get(status, 'error'), message, details)
        return render_template('error.html', error=error, status=status), status

    @app.errorhandler(DomainError)
    def _domain_error(error: DomainError):
        from forum.extensions import db

        db.session.rollback()  # nothing of a refused request is kept
        if wants_json():
            body, status = api_error_response(
                error.status, error.code, error.message, error.details or None
            )
        else:
            page_error = ApiError(error.status, error.message, code=error.code)
            body = render_template('error.html', error=page_error, status=error.status)
            status = error.status
        headers = (
            {'Retry-After': str(error.retry_after)} if getattr(error, 'retry_after', 0) else {}
        )
        return body, status, headers

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def _database_unavailable(error: Exception):
        """The database does not answer (its host is down, restarting, unreachable) or stays
        locked: 503 with ``Retry-After``, which scanners take as "keep the scan queued"."""
        from forum.extensions import db

        if not database_unavailable(error):
            return _unexpected_error(error)
        route = request.url_rule.rule if request.url_rule else '(no route)'
        first_line = str(error.orig if hasattr(error, 'orig') else error).strip().split('\n')[0]
        logger.warning('Database unavailable on %s %s: %s', request.method, route, first_line)
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001 — the connection is already gone
            db.session.invalidate()
        # The page must not ask the database who is signed in: it would fail again.
        g._login_user = current_app.login_manager.anonymous_user()
        message = _(
            'Tạm thời không kết nối được cơ sở dữ liệu. Dữ liệu đã lưu không mất; '
            'hãy gửi lại sau vài giây (máy quét tự gửi lại).'
        )
        headers = {'Retry-After': str(DATABASE_RETRY_SECONDS)}
        if wants_json():
            body, status = api_error_response(
                503, 'database_unavailable', str(message), {'retry_after': DATABASE_RETRY_SECONDS}
            )
            return body, status, headers
        page_error = ApiError(503, str(message), code='database_unavailable')
        page = render_template('error.html', error=page_error, status=503, retry=True)
        return page, 503, headers

    @app.errorhandler(Exception)
    def _unexpected_error(error: Exception):
        # The route, not the path: a path can hold a delegate's code.
        route = request.url_rule.rule if request.url_rule else '(no route)'
        logger.exception('Unhandled error on %s %s', request.method, route)
        if wants_json():
            return api_error_response(500, 'internal_error', 'Internal server error.')
        return render_template('error.html', error=InternalServerError(), status=500), 500
