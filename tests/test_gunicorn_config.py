"""The gunicorn hooks of ``forum serve``: a frozen heap after boot, fair turns."""

import gc

from forum import gunicorn_config
from forum.cli import gunicorn_arguments


def test_forum_serve_uses_the_hooks():
    arguments = gunicorn_arguments('127.0.0.1', 8000)
    assert arguments[arguments.index('--config') + 1] == 'python:forum.gunicorn_config'


def test_the_boot_heap_is_frozen_after_the_app_is_loaded():
    try:
        gunicorn_config.post_worker_init(worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
