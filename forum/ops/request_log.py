"""One JSON line per request on the logger ``forum.requests``, and ``X-Request-ID`` on responses.

A line holds the URL rule (``/i/<code>``), never the path itself: a delegate's path carries their
invitation code, and query strings carry codes and tokens. The request's id comes from an incoming
``X-Request-ID`` (nginx's ``$request_id``) when it is a sane token, else a new one, so a line of
nginx's log and a line of ours can be matched.

``FORUM_LOG_FORMAT=json`` makes every other log line a JSON object too (``JsonLineFormatter``).
"""

import json
import logging
import os
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import g, request

REQUEST_LOGGER = 'forum.requests'
logger = logging.getLogger(REQUEST_LOGGER)

_sane_request_id = re.compile(r'[A-Za-z0-9._-]{1,64}').fullmatch


def request_id_from(header: str | None) -> str:
    """The client's (or proxy's) request id when it is a sane token, else a new uuid4 hex."""
    if header and _sane_request_id(header):
        return header
    return uuid.uuid4().hex


class JsonLineFormatter(logging.Formatter):
    """A log record as one JSON object: time, level, logger, message (and the traceback)."""

    def format(self, record: logging.LogRecord) -> str:
        if record.name == REQUEST_LOGGER:
            return record.getMessage()  # already a JSON line
        line = {
            'ts': datetime.fromtimestamp(record.created, UTC).isoformat(timespec='milliseconds'),
            'level': record.levelname,
            'logger': record.name,
            'message': record.getMessage(),
            'pid': record.process,
        }
        if record.exc_info:
            line['exc_info'] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def install_request_logger() -> None:
    """Once per process: ``forum.requests`` writes bare JSON lines to stderr (no prefix)."""
    if any(getattr(handler, 'forum_requests', False) for handler in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLineFormatter())
    handler.forum_requests = True
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def use_json_log_format() -> None:
    """Make the root logger's handlers write JSON lines (``FORUM_LOG_FORMAT=json``)."""
    for handler in logging.getLogger().handlers:
        handler.setFormatter(JsonLineFormatter())


def init_request_log(app) -> None:
    """Log each request of ``app`` and answer with its ``X-Request-ID``."""
    install_request_logger()
    if app.config.get('LOG_FORMAT') == 'json':
        use_json_log_format()

    @app.before_request
    def _start_request_log():
        g.request_id = request_id_from(request.headers.get('X-Request-ID'))
        g.request_started = time.perf_counter()

    @app.after_request
    def _write_request_log(response):
        request_id = g.get('request_id')
        if request_id is None:  # a before_request hook answered before ours ran
            request_id = g.request_id = request_id_from(request.headers.get('X-Request-ID'))
        response.headers['X-Request-ID'] = request_id
        if logger.isEnabledFor(logging.INFO):
            started = g.get('request_started')
            rule = request.url_rule
            line = {
                'ts': datetime.now(UTC).isoformat(timespec='milliseconds'),
                'request_id': request_id,
                'method': request.method,
                'route': rule.rule if rule is not None else None,
                'endpoint': request.endpoint,
                'status': response.status_code,
                'duration_ms': (
                    round((time.perf_counter() - started) * 1000, 2) if started else None
                ),
                'remote_addr': request.remote_addr,
                'pid': os.getpid(),
            }
            logger.info(json.dumps(line))
        return response
