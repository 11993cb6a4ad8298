// The live channel (Socket.IO namespace /live), shared by every page that follows it.
//
// The server sends a `snapshot` (the whole state the caller may see) on every (re)connection and
// whenever it is asked to `resync`; then `question` and `attendance` events, each with the
// `version` of its stream (staff or audience, whichever this connection follows). This client
// keeps the last version applied:
//   - an event with a version at most the last one is old news and is ignored;
//   - an event more than one ahead means something was missed: it asks for a `resync` and holds
//     the events that arrive meanwhile, then applies those newer than the new snapshot (and asks
//     again if they still leave a gap);
//   - a sender's own items (`mine: true`) and an operator's own point's items (`own_point: true`)
//     travel outside the stream and are always applied.
// State for tests and the curious: `window.__live` (version, snapshots, resyncs, ignored, feed).
import { io } from '/static/vendor/socket.io/socket.io.esm.min.js';

const RESYNC_RETRY_MS = 5000;
const MAX_HELD = 1000;

/**
 * Follow /live. `auth` is {forum_id, token} for staff or {forum_id, code} for a delegate.
 * Callbacks: onSnapshot(snapshot), onQuestion(event), onAttendance(event), onStatus(state) with
 * state one of 'connecting', 'live', 'offline', 'refused'. Returns the client (see window.__live).
 */
export function connectLive({ auth, onSnapshot, onQuestion, onAttendance, onStatus } = {}) {
  const handlers = { question: onQuestion, attendance: onAttendance };
  const stats = { version: null, snapshots: 0, resyncs: 0, events: 0, ignored: 0 };
  let waiting = true; // for a snapshot: on connecting, after a gap
  let held = [];
  let retry = null;

  const status = (state) => onStatus && onStatus(state);
  const socket = io('/live', { auth, transports: ['websocket', 'polling'] });

  function dispatch(name, event) {
    stats.events += 1;
    const handler = handlers[name];
    if (handler) handler(event);
  }

  function hold(name, event) {
    held.push([name, event]);
    if (held.length > MAX_HELD) held = held.slice(-MAX_HELD); // the snapshot will cover the rest
  }

  function resync() {
    waiting = true;
    stats.resyncs += 1;
    if (socket.connected) socket.emit('resync');
    clearTimeout(retry);
    // A lost request or snapshot must not leave the page frozen.
    retry = setTimeout(() => { if (waiting && socket.connected) resync(); }, RESYNC_RETRY_MS);
  }

  function receive(name, event, replayed = false) {
    if (!event || typeof event !== 'object') return;
    if (event.mine || event.own_point) {
      // The sender's own item, or the operator's point's: outside the stream (its version is
      // only a mark).
      if (stats.version === null) hold(name, event);
      else dispatch(name, event);
      return;
    }
    if (waiting) { hold(name, event); return; }
    if (typeof event.version !== 'number' || event.version <= stats.version) {
      stats.ignored += 1;
      return;
    }
    if (event.version > stats.version + 1) {
      // Held for after the snapshot; one that still leaves a gap after it is not held again
      // (the next snapshot covers it if it was real), so a stray event cannot loop resyncs.
      if (!replayed) hold(name, event);
      resync();
      return;
    }
    stats.version = event.version;
    dispatch(name, event);
  }

  function applySnapshot(snapshot) {
    clearTimeout(retry);
    waiting = false;
    stats.version = typeof snapshot.version === 'number' ? snapshot.version : 0;
    stats.snapshots += 1;
    if (onSnapshot) onSnapshot(snapshot);
    const pending = held.sort((a, b) => (a[1].version || 0) - (b[1].version || 0));
    held = [];
    pending.forEach(([name, event]) => receive(name, event, true));
  }

  // The server emits the snapshot while accepting the connection, so socket.io delivers it
  // before 'connect': only a disconnection starts the wait for the next one.
  socket.on('connect', () => status('live'));
  socket.on('disconnect', (reason) => {
    waiting = true;
    // The server closed it (a revoked token or code): socket.io does not reconnect.
    status(reason === 'io server disconnect' ? 'refused' : 'offline');
  });
  socket.on('connect_error', () => status(socket.active ? 'offline' : 'refused'));
  socket.on('snapshot', applySnapshot);
  socket.on('question', (event) => receive('question', event));
  socket.on('attendance', (event) => receive('attendance', event));
  status('connecting');

  const client = {
    socket,
    get version() { return stats.version; },
    get snapshots() { return stats.snapshots; },
    get resyncs() { return stats.resyncs; },
    get events() { return stats.events; },
    get ignored() { return stats.ignored; },
    get waiting() { return waiting; },
    /** Hand an event to the client as if the server had sent it (tests, diagnostics). */
    feed: (name, event) => receive(name, event),
    resync,
  };
  window.__live = client;
  return client;
}
