"""Operations: the health check, request logs, backups (for a province's IT department)."""


def init_ops(app) -> None:
    """Install the health check and the request log on ``app``; trust the configured proxies."""
    from forum.ops.health import bp
    from forum.ops.request_log import init_request_log

    init_request_log(app)
    app.register_blueprint(bp)
    proxies = app.config.get('TRUSTED_PROXIES') or 0
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Outside Socket.IO's middleware, so its requests see the client's address too. Not
        # X-Forwarded-Host: nginx passes the Host header itself and would forward a forged one.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
