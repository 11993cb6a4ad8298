"""The fast fan-out of ``forum.live.fanout``: frames written once for every websocket client,
in order with everything else sent on each connection, never blocking the sender.

The connection is tested on a gevent socket pair with tiny buffers (a client that reads slowly);
the manager with stand-ins for engine.io's sockets; the whole under ``forum serve`` with real
python-socketio clients, one of them starting on long-polling and upgrading.
"""

import asyncio
import concurrent.futures
import json
import queue
import re
import socket
import time

import gevent
import gevent.event
import gevent.selectors
import gevent.socket
import pytest
import socketio
import websocket
from engineio.async_drivers.gevent import Thread
from wsproto import ConnectionType, WSConnection
from wsproto.events import (
    AcceptConnection,
    Message,
    Ping,
    Pong,
    Request,
    TextMessage,
)
from wsproto.extensions import PerMessageDeflate

from forum.live import fanout
from tests.servers import LiveServer, call_api

DEMO_PASSWORD = 'hagiang2023'
WAIT_SECONDS = 15


# The connection -------------------------------------------------------------------------------


class Peer:
    """The client end of a socket pair, speaking websocket through wsproto."""

    def __init__(self, sock):
        self.sock = sock
        self.ws = WSConnection(ConnectionType.CLIENT)
        self.request = self.ws.send(
            Request(host='forum.test', target='/socket.io/', extensions=[PerMessageDeflate()])
        )
        self.parts: dict[type, list] = {}

    def environ(self, server_sock) -> dict:
        """What gunicorn would give the app for this peer's upgrade request."""
        environ = {'gunicorn.socket': server_sock, 'REQUEST_METHOD': 'GET'}
        for line in self.request.decode().split('\r\n')[1:]:
            if ':' in line:
                name, value = line.split(':', 1)
                environ['HTTP_' + name.strip().upper().replace('-', '_')] = value.strip()
        return environ

    def read_handshake(self) -> tuple[bytes, AcceptConnection]:
        response = b''
        while b'\r\n\r\n' not in response:
            response += self.sock.recv(4096)
        self.ws.receive_data(response)
        accepted = [event for event in self.ws.events() if isinstance(event, AcceptConnection)]
        return response, accepted[0]

    def read(self, count: int) -> list:
        """The next ``count`` events: whole messages, pings and pongs."""
        events = []
        while len(events) < count:
            self.ws.receive_data(self.sock.recv(65536))
            for event in self.ws.events():
                if isinstance(event, Message):
                    parts = self.parts.setdefault(type(event), [])
                    parts.append(event.data)
                    if event.message_finished:
                        joined = (
                            ''.join(parts) if isinstance(event, TextMessage) else b''.join(parts)
                        )
                        events.append(joined)
                        parts.clear()
                else:
                    events.append(event)
        return events


@pytest.fixture
def pair():
    """A ``fanout.Connection`` on one end of a gevent socket pair, a ``Peer`` on the other;
    both with small buffers, so that the kernel soon stops taking what the server writes."""
    server_sock, client_sock = gevent.socket.socketpair()
    server_sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    client_sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    peer = Peer(client_sock)
    connection = fanout.Connection(
        peer.environ(server_sock),
        thread_class=Thread,
        event_class=gevent.event.Event,
        selector_class=gevent.selectors.DefaultSelector,
    )
    yield connection, peer
    client_sock.close()
    gevent.sleep(0.05)  # the connection's reader sees the end
    server_sock.close()


def test_the_handshake_declines_permessage_deflate(pair):
    connection, peer = pair
    response, accepted = peer.read_handshake()
    assert connection.connected
    assert response.startswith(b'HTTP/1.1 101')
    assert b'sec-websocket-extensions' not in response.lower()
    assert accepted.extensions == []


def test_writes_never_block_and_arrive_in_order(pair):
    connection, peer = pair
    peer.read_handshake()
    messages = [f'{number:03d} ' + 'Đ' * (20 + 997 * number) for number in range(60)]
    messages.append('x' * 70_000)  # a 64-bit length
    with gevent.Timeout(2, AssertionError('a write blocked')):
        for message in messages:
            connection.send(message)
        connection.send(b'\x00\x01binary')
    assert connection._backlog, 'the kernel should not have taken 1.8 MB at once'

    with gevent.Timeout(20):
        received = peer.read(len(messages) + 1)
    assert received[:-1] == messages
    assert received[-1] == b'\x00\x01binary'
    assert not connection._backlog


def test_a_pong_waits_behind_what_was_written_before(pair):
    connection, peer = pair
    peer.read_handshake()
    messages = [f'{number} ' + 'a' * 50_000 for number in range(20)]
    with gevent.Timeout(2, AssertionError('a write blocked')):
        for message in messages:
            connection.send(message)
    peer.sock.sendall(peer.ws.send(Ping(b'are you there')))
    with gevent.Timeout(20):
        received = peer.read(len(messages) + 1)
    assert received[:-1] == messages
    assert isinstance(received[-1], Pong) and received[-1].payload == b'are you there'


def test_a_client_that_stops_reading_is_cut_off(pair, monkeypatch):
    monkeypatch.setattr(fanout, 'MAX_BACKLOG_BYTES', 200_000)
    connection, peer = pair
    peer.read_handshake()
    with gevent.Timeout(2, AssertionError('a write blocked')):
        for _ in range(10):
            connection.send('z' * 50_000)
    with gevent.Timeout(5):
        while connection.connected:  # the reader sees the socket shut down
            gevent.sleep(0.01)
    assert not connection._backlog


def test_frames_carry_their_length_in_the_right_form():
    assert fanout.frame(fanout.OPCODE_TEXT, b'hi') == b'\x81\x02hi'
    assert fanout.frame(fanout.OPCODE_TEXT, b'a' * 200)[:4] == b'\x81\x7e\x00\xc8'
    assert fanout.frame(fanout.OPCODE_BINARY, b'a' * 70_000)[:10] == (
        b'\x82\x7f' + (70_000).to_bytes(8, 'big')
    )


def test_json_goes_out_as_utf8_unless_it_cannot():
    assert fanout.Utf8Json.dumps({'text': 'Hà Giang'}) == '{"text": "Hà Giang"}'
    assert fanout.Utf8Json.dumps({'text': '\ud800'}) == '{"text": "\\ud800"}'
    assert fanout.Utf8Json.loads('{"n": 1}') == {'n': 1}


def test_gevent_is_chosen_in_a_patched_process_only():
    assert fanout.async_mode('threading') == 'threading'
    assert fanout.async_mode(None) is None  # the test process is not monkey-patched


# The manager ----------------------------------------------------------------------------------


class Written:
    def __init__(self):
        self.frames = []

    def write(self, data):
        self.frames.append(data)


class EngineSocket:
    """Stands in for engine.io's socket: upgraded to a websocket (or not), something queued
    (or not)."""

    def __init__(self, *, websocket=True, queued=0, upgrading=False):
        self.queue = queue.Queue()
        for _ in range(queued):
            self.queue.put('earlier packet')
        self.upgraded = websocket
        self.upgrading = upgrading
        self.closing = self.closed = False
        self.connection = Written()
        setattr(self, fanout.CONNECTION_ATTRIBUTE, self.connection if websocket else None)
        self.queued = []

    def check_ping_timeout(self):
        return True

    def send(self, pkt):
        self.queued.append(pkt.encode())


@pytest.fixture
def manager():
    server = socketio.Server(
        client_manager=fanout.FanOutManager(), async_mode='threading', json=fanout.Utf8Json
    )
    server.manager.initialize()
    return server


def join(server, name: str, engine_socket: EngineSocket) -> str:
    eio_sid = f'eio-{name}'
    server.eio.sockets[eio_sid] = engine_socket
    sid = server.manager.connect(eio_sid, '/live')
    server.manager.enter_room(sid, '/live', 'forum-1')
    return sid


def test_the_frame_is_written_to_idle_websockets_and_queued_for_the_others(manager):
    fast = EngineSocket()
    busy = EngineSocket(queued=1)
    polling = EngineSocket(websocket=False)
    upgrading = EngineSocket(upgrading=True)
    for name, engine_socket in [('a', fast), ('b', busy), ('c', polling), ('d', upgrading)]:
        join(manager, name, engine_socket)

    manager.emit('question', {'id': 7, 'text': 'Hà Giang'}, to='forum-1', namespace='/live')

    expected = '42/live,["question",{"id":7,"text":"Hà Giang"}]'
    assert fast.connection.frames == [fanout.frame(fanout.OPCODE_TEXT, expected.encode())]
    assert fast.queued == []
    for engine_socket in (busy, polling, upgrading):
        assert engine_socket.connection.frames == []
        assert engine_socket.queued == [expected]


def test_skip_sid_and_single_recipients(manager):
    first, second = EngineSocket(), EngineSocket()
    first_sid = join(manager, 'a', first)
    second_sid = join(manager, 'b', second)
    manager.emit('question', {'id': 1}, to='forum-1', namespace='/live', skip_sid=first_sid)
    manager.emit('snapshot', {'v': 2}, to=first_sid, namespace='/live')
    assert [f[2:] for f in first.connection.frames] == [b'42/live,["snapshot",{"v":2}]']
    assert [f[2:] for f in second.connection.frames] == [b'42/live,["question",{"id":1}]']
    assert second_sid != first_sid


def test_binary_events_and_callbacks_go_the_usual_way(manager):
    fast = EngineSocket()
    join(manager, 'a', fast)
    manager.emit('file', (b'\x00\x01', 'name'), to='forum-1', namespace='/live')
    assert fast.connection.frames == []
    assert len(fast.queued) == 2  # the event with a placeholder, then the attachment
    assert fast.queued[0].startswith('451-/live,["file",{"_placeholder":true,"num":0},"name"]')

    sid = manager.manager.sid_from_eio_sid('eio-a', '/live')
    manager.emit('ask', {'n': 1}, to=sid, namespace='/live', callback=lambda *args: None)
    assert fast.connection.frames == []
    assert fast.queued[2] == '42/live,1["ask",{"n":1}]'  # with its acknowledgement id


# The served app -------------------------------------------------------------------------------


@pytest.fixture(scope='module')
def served(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp('fanout'))
    server.cli('db', 'upgrade')
    output = server.cli('seed-demo', '--delegates', '20')
    server.forum_id = int(re.search(r'Demo forum (\d+)', output).group(1))
    server.start()
    yield server
    server.stop()


def sign_in(server, email):
    body = {'email': email, 'password': DEMO_PASSWORD}
    return call_api(server, '/api/v1/auth/token', body=body)['token']


def test_the_served_app_declines_permessage_deflate(served):
    ws = websocket.create_connection(
        f'ws://127.0.0.1:{served.port}/socket.io/?EIO=4&transport=websocket',
        header=['Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits'],
        timeout=WAIT_SECONDS,
    )
    try:
        assert ws.getstatus() == 101
        assert 'sec-websocket-extensions' not in ws.getheaders()
        assert ws.recv().startswith('0{')  # engine.io's OPEN
    finally:
        ws.close()


def test_a_message_above_the_limit_closes_the_connection_and_the_server_goes_on(served):
    url = f'ws://127.0.0.1:{served.port}/socket.io/?EIO=4&transport=websocket'
    token = sign_in(served, 'organiser@hagiang.example')
    ws = websocket.create_connection(url, timeout=WAIT_SECONDS)
    try:
        assert ws.recv().startswith('0{')
        connect = '40/live,' + json.dumps({'forum_id': served.forum_id, 'token': token})
        ws.send(connect)
        first = sorted(ws.recv()[:20] for _ in range(2))
        assert first[0].startswith('40/live,{"sid"')
        assert first[1].startswith('42/live,["snapshot"')
        ws.send('42/live,["resync",{}]')  # a small message: answered with the snapshot
        assert ws.recv().startswith('42/live,["snapshot"')
        closed_with = None
        try:
            ws.send('42/live,["resync",' + json.dumps({'pad': 'x' * 100 * 1024}) + ']')
            for _ in range(20):  # a ping may come first; then the close
                opcode, frame = ws.recv_data(control_frame=True)
                if opcode == websocket.ABNF.OPCODE_CLOSE:
                    closed_with = int.from_bytes(frame[:2], 'big')
                    break
        except (ConnectionResetError, BrokenPipeError):
            closed_with = 'reset while sending'  # closed before the message was all sent
        assert closed_with in (1009, 'reset while sending')  # 1009: message too big
    finally:
        ws.close()
    again = websocket.create_connection(url, timeout=WAIT_SECONDS)
    try:
        assert again.recv().startswith('0{')  # the server still serves everyone else
    finally:
        again.close()


@pytest.mark.parametrize('transports', [['websocket'], ['polling', 'websocket']])
def test_every_change_reaches_the_audience_in_order(served, transports):
    run_in_own_loop(asyncio.wait_for(_follow_changes(served, transports), 60))


def run_in_own_loop(coroutine):
    """``asyncio.run`` in a thread of its own: Playwright's sync API, used by the browser
    tests of the same pytest process, leaves an event loop marked as running in this one."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(asyncio.run, coroutine).result()


async def _follow_changes(served, transports):
    """A delegate's phone (python-socketio's AsyncClient) follows nine changes."""
    forum_id = served.forum_id
    organiser = await asyncio.to_thread(sign_in, served, 'organiser@hagiang.example')
    moderator = await asyncio.to_thread(sign_in, served, 'moderator@hagiang.example')
    delegates = await asyncio.to_thread(
        call_api, served, f'/api/v1/forums/{forum_id}/delegates?per_page=20', token=organiser
    )
    codes = [d['code'] for d in delegates['items']]
    events: asyncio.Queue = asyncio.Queue()
    client = socketio.AsyncClient(reconnection=False)
    client.on('snapshot', lambda data: events.put_nowait(('snapshot', data)), namespace='/live')
    client.on('question', lambda data: events.put_nowait(('question', data)), namespace='/live')
    await client.connect(
        served.url,
        namespaces=['/live'],
        transports=transports,
        auth={'forum_id': forum_id, 'code': codes[0]},
        wait_timeout=WAIT_SECONDS,
    )
    try:
        name, snapshot = await asyncio.wait_for(events.get(), WAIT_SECONDS)
        assert name == 'snapshot'
        if transports[0] == 'polling':
            deadline = time.monotonic() + WAIT_SECONDS
            while client.transport() != 'websocket' and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            assert client.transport() == 'websocket'
        sent = []
        for code in codes[1:4]:
            body = {'text': f'Câu hỏi của đại biểu {code}', 'code': code}
            question = await asyncio.to_thread(
                call_api, served, f'/api/v1/forums/{forum_id}/questions', body=body
            )
            for status in ('approved', 'current', 'answered'):
                await asyncio.to_thread(
                    call_api,
                    served,
                    f'/api/v1/questions/{question["id"]}',
                    method='PATCH',
                    token=moderator,
                    body={'status': status},
                )
                sent.append((question['id'], status))
        received = []
        while len(received) < len(sent):
            name, data = await asyncio.wait_for(events.get(), WAIT_SECONDS)
            if name == 'question' and not data.get('mine'):
                received.append(data)
        assert [(q['id'], q['status']) for q in received] == sent
        versions = [q['version'] for q in received]
        assert versions == list(range(snapshot['version'] + 1, snapshot['version'] + 10))
        assert received[0]['text'].startswith('Câu hỏi của đại biểu')
    finally:
        await client.disconnect()
