"""The forum application: multi-tier hybrid forums for Vietnamese local government."""

import logging

from flask import Flask

from config import INSTANCE_PATH, PROJECT_ROOT, Config, load_secret_key


def create_app(config_class: type = Config, overrides: dict | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints and Socket.IO namespaces."""
    from forum.unit_of_work import ForumFlask

    app = ForumFlask(
        __name__,
        instance_path=str(INSTANCE_PATH),
        template_folder=str(PROJECT_ROOT / 'templates'),
        static_folder=str(PROJECT_ROOT / 'static'),
    )
    app.config.from_object(config_class)
    app.config.update(overrides or {})
    if not app.config.get('SECRET_KEY'):
        app.config['SECRET_KEY'] = load_secret_key()
    logging.basicConfig(level=logging.INFO, format='%(asctime)s %(levelname)s %(name)s %(message)s')
    logging.getLogger('alembic').setLevel(logging.WARNING)

    from forum import database, errors, i18n, models  # noqa: F401  (models: register tables)
    from forum.extensions import api, babel, csrf, db, login_manager, migrate, socketio
    from forum.input_guard import install_input_guard

    install_input_guard(app)  # before any route is added: the bounded <int:> converter
    db.init_app(app)
    with app.app_context():
        database.configure_engine(db.engine, app.config['SQLITE_BUSY_TIMEOUT_MS'])
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / 'migrations'), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    login_manager.init_app(app)
    from forum.ratelimits import init_rate_limits

    init_rate_limits(app)
    from forum.jobs import kinds  # noqa: F401  (registers every kind of job)
    from forum.jobs.queue import init_queue

    init_queue(app)
    _register_namespaces(socketio)
    from forum.live import fanout

    socketio.init_app(app, **fanout.server_options(app.config))
    fanout.install(socketio.server)  # under gevent: events written once for every client
    from forum.api.schemas import ErrorSchema

    api.ERROR_SCHEMA = ErrorSchema
    api.init_app(app, spec_kwargs=_openapi_spec_kwargs())

    _register_blueprints(app)
    from forum.ops import init_ops

    init_ops(app)  # /healthz and the request log
    from forum.security_headers import install_security_headers

    install_security_headers(app)

    database.install_request_hooks(app)
    errors.register_error_handlers(app)
    i18n.register_template_helpers(app)

    from forum.cli import register_commands

    register_commands(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from forum.api.views import bp as api_bp
    from forum.api.views import document_security
    from forum.auth.views import bp as auth_bp
    from forum.checkin.views import bp as checkin_bp
    from forum.delegates.views import bp as delegates_bp
    from forum.extensions import api, csrf
    from forum.forums.views import bp as forums_bp
    from forum.invitations.views import bp as invitations_bp
    from forum.jobs.views import bp as jobs_bp
    from forum.minutes.views import bp as minutes_bp
    from forum.qa.views import bp as qa_bp
    from forum.tiers.views import bp as tiers_bp

    for blueprint in (
        auth_bp,
        forums_bp,
        tiers_bp,
        delegates_bp,
        invitations_bp,
        checkin_bp,
        qa_bp,
        minutes_bp,
        jobs_bp,
    ):
        app.register_blueprint(blueprint)
    api.register_blueprint(api_bp)
    document_security(api)
    csrf.exempt(api_bp)  # the API authenticates with bearer tokens, not cookies


def _register_namespaces(socketio) -> None:
    """Socket.IO namespaces are app-independent: add each once per process."""
    from forum.checkin.live import register_live_parts as register_checkin_live
    from forum.jobs.events import jobs_namespace
    from forum.live import NAMESPACE
    from forum.live.namespace import LiveNamespace
    from forum.qa.live import register_live_parts as register_queue_live

    register_checkin_live()
    register_queue_live()
    registered = {handler.namespace for handler in socketio.namespace_handlers}
    for namespace in (LiveNamespace(NAMESPACE), jobs_namespace()):
        if namespace.namespace not in registered:
            # init_app() attaches this list to each new server (one per app in the tests).
            namespace._set_socketio(socketio)
            socketio.namespace_handlers.append(namespace)


def _openapi_spec_kwargs() -> dict:
    return {
        'info': {
            'description': 'Multi-tier hybrid forums: bridge points, delegates, check-in, Q&A.'
        },
        'servers': [{'url': '/'}],
    }
