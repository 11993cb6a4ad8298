"""Connections whose right to be there has ended are closed within seconds.

A staff connection was let in by an API token (``/live``) or a signed-in session (``/jobs``),
a delegate's by their code. Signing out, a new
password or a disabled account raises the account's token version (``User.end_sessions``);
reissuing an invitation gives the delegate a new code. Neither reaches a socket that is already
open, so every few seconds (``LIVE_RECHECK_SECONDS``) each process looks at the accounts and
delegates behind its own connections, two queries whatever their number, and disconnects the
ones that would not be let in now. The client is told why (``revoked``) and does not reconnect.

The check runs while the process has connections, in a background task of its own (a
greenlet under gevent), never on a request.
"""

import logging
import threading
from collections.abc import Iterable

from sqlalchemy import select

from forum.database import use_read_only_transactions
from forum.extensions import db, socketio

logger = logging.getLogger(__name__)

CHUNK = 500  # ids per IN (...) list


def ended_connections(viewers: dict) -> list[str]:
    """The connections (sids) among ``viewers`` whose account or code is no longer valid."""
    from forum.auth.models import User
    from forum.delegates.models import Delegate

    staff = {sid: v for sid, v in viewers.items() if v.is_staff}
    audience = {sid: v for sid, v in viewers.items() if not v.is_staff}
    accounts = {
        row.id: (row.token_version, row.is_enabled)
        for ids in _chunks({v.user_id for v in staff.values()})
        for row in db.session.execute(
            select(User.id, User.token_version, User.is_enabled).where(User.id.in_(ids))
        )
    }
    codes = {
        row.id: row.code
        for ids in _chunks({v.delegate_id for v in audience.values()})
        for row in db.session.execute(
            select(Delegate.id, Delegate.code).where(Delegate.id.in_(ids))
        )
    }
    ended = [
        sid
        for sid, viewer in staff.items()
        if accounts.get(viewer.user_id) != (viewer.token_version, True)
    ]
    ended += [
        sid for sid, viewer in audience.items() if codes.get(viewer.delegate_id) != viewer.code
    ]
    return ended


def _chunks(ids: set[int]) -> Iterable[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


class RevocationWatch:
    """The background check of one app's connections in this process."""

    def __init__(self, app, viewers: dict, namespace: str):
        self.app = app
        self.viewers = viewers
        self.namespace = namespace
        self._lock = threading.Lock()
        self._running = False

    def ensure_running(self) -> None:
        """Start the check if it is not running (called on every connect)."""
        with self._lock:
            if self._running:
                return
            self._running = True
        socketio.start_background_task(self._run)

    def stop(self) -> None:
        with self._lock:
            self._running = False

    def _keep_going(self) -> bool:
        with self._lock:
            if not self.viewers:  # the last connection left: start again with the next one
                self._running = False
            return self._running

    def _run(self) -> None:
        interval = self.app.config['LIVE_RECHECK_SECONDS']
        while True:
            socketio.sleep(interval)
            if not self._keep_going():
                return
            try:
                self.check_once()
            except Exception:
                logger.exception('Live connections not re-checked')

    def check_once(self) -> list[str]:
        """Disconnect the connections that would be refused now; return their sids."""
        with self.app.app_context():
            try:
                use_read_only_transactions()
                ended = ended_connections(dict(self.viewers))
            finally:
                db.session.remove()
        for sid in ended:
            logger.info('Live connection %s closed: its token or code was revoked', sid)
            socketio.emit('revoked', {}, to=sid, namespace=self.namespace)
            socketio.server.disconnect(sid, namespace=self.namespace)
            self.viewers.pop(sid, None)
        return ended


def revocation_watch(app, viewers: dict, namespace: str) -> RevocationWatch:
    """The app's watch over the ``viewers`` of ``namespace``, created on first use."""
    watches = app.extensions.setdefault('live-revocation-watch', {})
    if namespace not in watches:
        watches[namespace] = RevocationWatch(app, viewers, namespace)
    return watches[namespace]


def stop_revocation_watch(app) -> None:
    for watch in app.extensions.get('live-revocation-watch', {}).values():
        watch.stop()
