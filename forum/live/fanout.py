"""Fast fan-out of Socket.IO events to thousands of websocket clients in one gevent worker.

python-socketio encodes an event once per emit, but then every recipient costs an engine.io
queue put, a wake-up of that connection's writer greenlet, a queue get with its timeout,
simple-websocket building the frame through wsproto, and the send. With 2,000 delegates in a
forum's room that is most of a core for a tenth of a second per change.

Here the emit builds the websocket frame once and writes it straight to each connection's
socket, without waking anything. That is only correct when nothing is waiting to be written
before it on that connection, so:

- ``Connection`` (simple-websocket's server, which the gevent driver of engine.io uses) sends
  every frame through ``write()``: straight to the socket if its backlog is empty and the kernel
  takes it whole, else onto the backlog, which a greenlet flushes in order. ``write()`` never
  blocks, so engine.io's writer greenlet never stops between taking packets off its queue and
  handing them over: when that queue is empty, everything sent before is in the socket or in
  the backlog, and a frame written now comes after it.
- ``FanOutManager.emit`` writes the frame itself to every recipient whose websocket is open
  and whose engine.io queue is empty; anyone else (long-polling, upgrading, something queued,
  the test client) gets the packet the usual way, through the queue.

The frames are the same bytes for everyone because permessage-deflate is not negotiated:
simple-websocket accepted it whenever a client asked, as every browser does, and then kept a
zlib context per connection (about 100 KiB) and compressed every event once per client, for
events of about 1 KB (Socket.IO's own server has it off by default too). JSON goes out as UTF-8
rather than ``\\uXXXX`` escapes: a Vietnamese letter is 2–3 bytes instead of 6.
"""

import collections
import json
import logging
import socket
import struct
import sys

import simple_websocket
import socketio
from engineio import json as engineio_json
from engineio import packet as eio_packet
from engineio.async_drivers._websocket_wsgi import SimpleWebSocketWSGI
from socketio import packet as sio_packet
from wsproto.events import AcceptConnection, Request

logger = logging.getLogger(__name__)

CONNECTION_ATTRIBUTE = '_forum_connection'  # set on engine.io's socket while its websocket is open
MAX_BACKLOG_BYTES = 8 * 1024 * 1024  # a client that stopped reading is cut off beyond this
OPCODE_TEXT, OPCODE_BINARY = 0x1, 0x2


def frame(opcode: int, payload: bytes) -> bytes:
    """One unmasked, unfragmented websocket frame (server to client)."""
    length = len(payload)
    if length < 126:
        return bytes((0x80 | opcode, length)) + payload
    if length < 1 << 16:
        return struct.pack('!BBH', 0x80 | opcode, 126, length) + payload
    return struct.pack('!BBQ', 0x80 | opcode, 127, length) + payload


class Utf8Json:
    """The JSON module for Socket.IO packets: text as UTF-8, not ``\\uXXXX`` escapes."""

    @staticmethod
    def dumps(obj, **kwargs) -> str:
        text = json.dumps(obj, ensure_ascii=False, **kwargs)
        if not text.isascii():
            try:
                text.encode()
            except UnicodeEncodeError:  # a lone surrogate: only escapes can carry it
                return json.dumps(obj, **kwargs)
        return text

    loads = staticmethod(engineio_json.loads)


class _OrderedSocket:
    """Stands in for a connection's socket inside simple-websocket: writes go through the
    connection's ordered ``write()``, the rest goes to the socket."""

    __slots__ = ('connection', 'sock')

    def __init__(self, connection: 'Connection', sock):
        self.connection = connection
        self.sock = sock

    def send(self, data) -> int:
        self.connection.write(bytes(data))
        return len(data)

    def sendall(self, data) -> None:
        self.connection.write(bytes(data))

    def recv(self, size: int) -> bytes:
        return self.sock.recv(size)

    def close(self) -> None:
        self.sock.close()

    def __getattr__(self, name):
        return getattr(self.sock, name)


class Connection(simple_websocket.Server):
    """simple-websocket's server side without permessage-deflate, writing in order without
    ever blocking the caller (see the module's docstring)."""

    def __init__(self, environ, **kwargs):
        self._backlog: collections.deque = collections.deque()
        self._backlog_bytes = 0
        self._spawn = None
        super().__init__(environ, **kwargs)
        # The reader greenlet has not run yet: from now on its writes (pongs, the closing
        # handshake) take the same ordered path as ours.
        self.raw = self.sock
        self.sock = _OrderedSocket(self, self.raw)

    def handshake(self):
        # As simple-websocket's, but accepting without extensions (no permessage-deflate).
        request = b'GET / HTTP/1.1\r\n'
        for key, value in self.environ.items():
            if key.startswith('HTTP_'):
                header = '-'.join([p.capitalize() for p in key[5:].split('_')])
                request += f'{header}: {value}\r\n'.encode()
        self.ws.receive_data(request + b'\r\n')
        for event in self.ws.events():
            if isinstance(event, Request):
                self.subprotocol = self.choose_subprotocol(event)
                self.sock.sendall(self.ws.send(AcceptConnection(subprotocol=self.subprotocol)))
                self.connected = True
                return
        self.connected = False

    def send(self, data):
        if not self.connected:
            raise simple_websocket.ConnectionClosed(self.close_reason, self.close_message)
        if isinstance(data, bytes):
            self.write(frame(OPCODE_BINARY, data))
        else:
            self.write(frame(OPCODE_TEXT, str(data).encode()))

    def write(self, data: bytes) -> None:
        """Send ``data`` after everything written before it; never blocks, never raises."""
        if self._backlog:
            self._queue(data)
            return
        try:
            sent = self.raw.send(data, 0, 0.0)  # gevent: timeout 0, EAGAIN raises
        except BlockingIOError:
            sent = 0
        except OSError:
            self._fail()
            return
        if sent < len(data):
            self._queue(memoryview(data)[sent:])
            if self._spawn is None:
                import gevent

                self._spawn = gevent.spawn
            self._spawn(self._flush)

    def _queue(self, data) -> None:
        self._backlog.append(data)
        self._backlog_bytes += len(data)
        if self._backlog_bytes > MAX_BACKLOG_BYTES:
            logger.info('A websocket client stopped reading; closing its connection')
            self._fail()

    def _flush(self) -> None:
        try:
            while self._backlog:
                chunk = self._backlog[0]
                self.raw.sendall(chunk)
                if self._backlog and self._backlog[0] is chunk:  # not dropped meanwhile
                    self._backlog.popleft()
                    self._backlog_bytes -= len(chunk)
        except OSError:
            self._fail()

    def _fail(self) -> None:
        """The connection is gone or stuck: drop what is pending and let the reader end it."""
        self._backlog.clear()
        self._backlog_bytes = 0
        try:
            self.raw.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class WebSocketWSGI:
    """engine.io's websocket wrapper for gevent (``engineio.async_drivers.gevent``) with
    ``Connection``; it tells engine.io's socket which connection is its websocket."""

    def __init__(self, handler, server):
        self.app = handler
        self.eio_socket = getattr(handler, '__self__', None)  # the bound _websocket_handler
        # A message above engine.io's limit closes the connection (1009) as its frames arrive,
        # before it is buffered whole.
        self.max_message_size = server.max_http_buffer_size

    def __call__(self, environ, start_response):
        import gevent.event
        import gevent.selectors
        from engineio.async_drivers.gevent import Thread

        self.ws = Connection(
            environ,
            thread_class=Thread,
            event_class=gevent.event.Event,
            selector_class=gevent.selectors.DefaultSelector,
            max_message_size=self.max_message_size,
        )
        if self.eio_socket is not None:
            setattr(self.eio_socket, CONNECTION_ATTRIBUTE, self.ws)
        try:
            result = self.app(self)
        finally:
            if self.eio_socket is not None:
                setattr(self.eio_socket, CONNECTION_ATTRIBUTE, None)
        if self.ws.mode == 'gunicorn':
            raise StopIteration()
        if self.ws.mode == 'werkzeug':
            raise ConnectionError()
        return result

    def close(self):
        if self.ws.connected:
            self.ws.close()

    def send(self, message):
        try:
            return self.ws.send(message)
        except simple_websocket.ConnectionClosed as error:
            raise OSError() from error

    def wait(self):
        try:
            return self.ws.receive()
        except simple_websocket.ConnectionClosed:
            return None


class FanOutManager(socketio.Manager):
    """python-socketio's in-process manager whose emits write the frame once for everyone."""

    def emit(self, event, data, namespace, room=None, skip_sid=None, callback=None, to=None,
             **kwargs):  # fmt: skip
        room = to or room
        eio = getattr(self.server, 'eio', None)
        if callback or eio is None or namespace not in self.rooms:
            return super().emit(
                event, data, namespace, room=room, skip_sid=skip_sid, callback=callback, **kwargs
            )
        if isinstance(data, tuple):
            arguments = list(data)
        elif data is not None:
            arguments = [data]
        else:
            arguments = []
        encoded = self.server.packet_class(
            sio_packet.EVENT, namespace=namespace, data=[event, *arguments]
        ).encode()
        if isinstance(encoded, list):  # binary attachments: the usual way
            return super().emit(event, data, namespace, room=room, skip_sid=skip_sid, **kwargs)
        eio_pkt = eio_packet.Packet(eio_packet.MESSAGE, encoded)
        skip = skip_sid if isinstance(skip_sid, list) else [skip_sid]
        sockets = eio.sockets
        message = None
        for sid, eio_sid in self.get_participants(namespace, room):
            if sid in skip:
                continue
            eio_socket = sockets.get(eio_sid)
            connection = getattr(eio_socket, CONNECTION_ATTRIBUTE, None)
            if (
                connection is not None
                and eio_socket.upgraded
                and not eio_socket.upgrading
                and not eio_socket.closing
                and eio_socket.queue.empty()
            ):
                if eio_socket.check_ping_timeout():
                    if message is None:
                        message = frame(OPCODE_TEXT, eio_pkt.encode().encode())
                    connection.write(message)
                continue
            self.server._send_eio_packet(eio_sid, eio_pkt)


class FanOutRedisManager(socketio.RedisManager, FanOutManager):
    """The Redis queue for several processes; each process fans out its own clients fast
    (``PubSubManager`` hands local emits to ``FanOutManager.emit``)."""


def async_mode(configured: str | None) -> str | None:
    """The configured async mode, else ``gevent`` in a gevent-patched process (gunicorn's gevent
    worker). Flask-SocketIO would pick ``threading`` there when the server was started through
    the Flask CLI (``forum serve`` sets ``FLASK_RUN_FROM_CLI``): patched threads and queues
    work, but slower, and without the fast path."""
    if configured:
        return configured
    if 'gevent' in sys.modules:
        from gevent import monkey

        if monkey.is_module_patched('socket'):
            return 'gevent'
    return None


def server_options(config) -> dict:
    """``SocketIO.init_app`` options: the async mode, the fan-out manager (over Redis when
    configured) and UTF-8 JSON."""
    url = config.get('REDIS_URL')
    options = {
        'message_queue': url,
        'async_mode': async_mode(config.get('SOCKETIO_ASYNC_MODE')),
        'json': Utf8Json,
        'max_http_buffer_size': config.get('SOCKETIO_MAX_MESSAGE_BYTES', 64 * 1024),
    }
    if not url:
        options['client_manager'] = FanOutManager()
    elif url.startswith(('redis://', 'rediss://')):
        options['client_manager'] = FanOutRedisManager(
            url,
            channel='flask-socketio',
            # a Redis host that is gone costs an emit 2 s at most, not the system's TCP timeout
            redis_options={'socket_connect_timeout': 2, 'socket_keepalive': True},
        )
    # (another kind of queue: Flask-SocketIO's own manager for it, without the fast path)
    return options


class LimitedSimpleWebSocketWSGI(SimpleWebSocketWSGI):
    """engine.io's threading websocket wrapper, closing a message above the size limit as its
    frames arrive (engine.io itself only checks a message once it is whole)."""

    def __init__(self, handler, server, **kwargs):
        super().__init__(handler, server, max_message_size=server.max_http_buffer_size, **kwargs)


def install(server) -> bool:
    """Give a python-socketio server under gevent the fast websocket connections (and under
    threads, the message size limit); True when the gevent ones were installed."""
    eio = getattr(server, 'eio', None)
    if eio is None:
        return False
    if eio.async_mode == 'threading':
        eio._async = {**eio._async, 'websocket': LimitedSimpleWebSocketWSGI}
    if eio.async_mode != 'gevent':
        return False
    eio._async = {**eio._async, 'websocket': WebSocketWSGI}
    return True
