"""WSGI entry point: ``gunicorn -k gevent -w 1 wsgi:app`` (``forum serve`` does this for you)."""

from forum import create_app

app = create_app()
