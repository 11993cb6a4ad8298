"""Operations: the health check, request logs, backups (for a province's IT department)."""


def init_ops(app) -> None:
    """Install the health check and the request log on ``app``."""
    from forum.ops.health import bp
    from forum.ops.request_log import init_request_log

    init_request_log(app)
    app.register_blueprint(bp)
