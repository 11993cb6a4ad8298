"""The baseline for ``bench/live.py``: the plain Flask-SocketIO app anyone would write first.

A Flask app with ``SocketIO()`` and its defaults; on connect to ``/live`` a client joins the
forum's room and gets a small ``snapshot``; ``POST /emit`` (JSON: the payload) stamps it with a
``version`` and ``ts`` and calls ``socketio.emit('question', payload, to=room)`` (the forum's room,
or the payload's ``room``). Served exactly as
the forum is (``gunicorn -k gevent -w 1 --worker-connections 10000``), from the project root:

    gunicorn -k gevent -w 1 --worker-connections 10000 'bench.baseline_socketio_app:app'
"""

import itertools
import time

from flask import Flask, request
from flask_socketio import SocketIO, emit, join_room

NAMESPACE = '/live'
ROOM = 'forum-1'

app = Flask(__name__)
socketio = SocketIO(app)
versions = itertools.count(1)


@socketio.on('connect', namespace=NAMESPACE)
def on_connect(auth=None):
    join_room(ROOM)
    emit('snapshot', {'forum_id': 1, 'version': 0, 'ts': time.time(), 'questions': []})


@app.post('/emit')
def emit_question():
    payload = request.get_json()
    room = payload.pop('room', ROOM)  # the benchmark times a request to an empty room too
    payload.update(version=next(versions), ts=time.time())
    socketio.emit('question', payload, namespace=NAMESPACE, to=room)
    return {'version': payload['version']}
