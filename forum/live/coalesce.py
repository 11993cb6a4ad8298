"""Coalescing: many changes in a burst become one event per key and interval.

A change only marks its key (a forum, a question) as changed; a background task sends each
changed key at most every ``interval`` seconds. It stops after a quiet minute and starts again
with the next change. One per app and purpose, kept in ``app.extensions``.
"""

import logging
import threading
import time
from collections.abc import Callable, Hashable

from flask import current_app

from forum.extensions import socketio

logger = logging.getLogger(__name__)

IDLE_STOP_SECONDS = 60


class Coalescer:
    def __init__(self, app, send: Callable[[Hashable], object], interval: float):
        self.app = app
        self.send = send
        self.interval = interval
        self._changed: set[Hashable] = set()
        self._lock = threading.Lock()
        self._running = False
        self._last_change = 0.0

    def mark_changed(self, key: Hashable) -> None:
        """Note a change to ``key``; it is sent within ``interval`` seconds."""
        with self._lock:
            self._changed.add(key)
            if not self._running:
                self._running = True
                self._last_change = time.monotonic()
                socketio.start_background_task(self._run)

    def _take_changed(self) -> set[Hashable]:
        with self._lock:
            changed, self._changed = self._changed, set()
            if changed:
                self._last_change = time.monotonic()
            elif time.monotonic() - self._last_change > IDLE_STOP_SECONDS:
                self._running = False
            return changed

    def stop(self) -> None:
        """Drop what is pending and let the background task end (an app shutting down)."""
        with self._lock:
            self._changed.clear()
            self._running = False

    def _run(self) -> None:
        while self._running:
            socketio.sleep(self.interval)
            if not self._running:
                break
            for key in self._take_changed():
                try:
                    with self.app.app_context():
                        self.send(key)
                except Exception:
                    logger.exception('Live update for %s not sent', key)


def stop_coalescers(app) -> None:
    """Stop every coalescer of ``app``."""
    for extension in list(app.extensions.values()):
        if isinstance(extension, Coalescer):
            extension.stop()


def coalescer(name: str, send: Callable[[Hashable], object], interval: float) -> Coalescer:
    """The current app's coalescer called ``name``, created on first use; a name stands for
    one ``send`` at one ``interval``, and asking for it with others is a mistake, not a no-op."""
    app = current_app._get_current_object()
    found = app.extensions.get(name)
    if found is None:
        found = app.extensions[name] = Coalescer(app, send, interval)
    elif (found.send, found.interval) != (send, interval):
        raise ValueError(
            f'The coalescer {name!r} sends {found.send.__qualname__} every {found.interval} s, '
            f'not {send.__qualname__} every {interval} s'
        )
    return found
