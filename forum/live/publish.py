"""Sending versioned events to the rooms of ``/live``, after the change is committed."""

import time

from forum.extensions import socketio
from forum.live import NAMESPACE


def publish(event: str, payload: dict, *, room: str, version: int) -> dict:
    """Emit ``event`` with ``version`` and the commit time ``ts``; call only after commit."""
    message = {**payload, 'version': version, 'ts': time.time()}
    socketio.emit(event, message, namespace=NAMESPACE, to=room)
    return message
