// The door of a bridge point: camera, a USB/Bluetooth scanner (it types the QR's URL and Enter),
// a typed short code, a name search and walk-ins, all answered in one big panel.
//
// Every scan takes one road, online or not: it gets a nonce (the server's idempotency key), is
// stored in IndexedDB, then sent. A network failure or a 5xx leaves it queued; the queue is
// retried on `online` and every few seconds, so a retried upload is still one check-in.
import { api } from './api-client.js';
import { clock as clockOf, el, fill, pageData } from './dom.js';
import * as queue from './scan-queue.js';

const RETRY_MS = 5000;
const SEND_TIMEOUT_MS = 10000;
const CAMERA_REPEAT_MS = 3000; // the same code seen again within 3 s is the same scan
const RECENT_MAX = 10;
const SHORT_CODE = /^[A-Z0-9]{8}$/i;

const root = document.getElementById('scanner');
const T = pageData('scan-text');
const forumId = Number(root.dataset.forumId);
const venueId = Number(root.dataset.venueId);
const userId = Number(root.dataset.userId);
const token = root.dataset.token;
const clock = clockOf(root.dataset.timezone);

const part = (name) => root.querySelector(`[data-part="${name}"]`);
const hhmm = (iso) => (iso ? clock.format(new Date(iso)) : '');
const element = (tag, className, text) => el(tag, { className, text });

function newNonce() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // Plain HTTP on a closed network is not a secure context: no randomUUID, but this works.
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// Sending ------------------------------------------------------------------------------------

/** POST to the API. `retry` means "keep it queued": no network, a 5xx, or no JSON answer. */
async function post(path, body) {
  const { status, data } = await api(path, { method: 'POST', body, token, timeoutMs: SEND_TIMEOUT_MS });
  // An answer without our JSON (a proxy's or captive portal's page) is no answer at all.
  const ours = data !== null && typeof data === 'object' && (status < 400 || 'error' in data);
  if (status === 0 || status >= 500 || [401, 408, 429].includes(status) || !ours) return { retry: true, status };
  return { status, data };
}

const inFlight = new Set();
let current = null; // the nonce the big panel is about

async function deliver(entry, { late }) {
  if (inFlight.has(entry.nonce)) return 'busy';
  inFlight.add(entry.nonce);
  try {
    const answer = await post(entry.path, entry.body);
    part('auth-problem').classList.toggle('d-none', answer.status !== 401);
    if (answer.retry) {
      if (current === entry.nonce) paintPanel({ state: 'queued', title: T.queued, name: scanned(entry).name, details: [T.queued_details, ...scanned(entry).details] }, entry);
      return 'queued';
    }
    await queue.remove(entry.nonce);
    showAnswer(entry, answer, { late });
    return 'answered';
  } finally {
    inFlight.delete(entry.nonce);
    await refreshPending();
  }
}

async function submit(path, body, label, { labelIsName = false } = {}) {
  const nonce = body.nonce || newNonce();
  const entry = { nonce, user_id: userId, path, body: { ...body, nonce }, label, label_is_name: labelIsName, created_at: Date.now() };
  current = nonce;
  paintPanel({ state: 'sending', title: T.sending, ...scanned(entry) }, entry);
  try {
    await queue.put(entry); // stored before it is sent: a lost answer never loses the scan
  } catch (error) {
    console.warn('The scan could not be stored on this device', error);
  }
  await refreshPending();
  return deliver(entry, { late: false });
}

let flushing = false;
async function flush() {
  if (flushing) return;
  flushing = true;
  try {
    const mine = (await queue.list()).filter((entry) => entry.user_id === userId);
    for (const entry of mine) {
      if ((await deliver(entry, { late: true })) === 'queued') break; // still offline
    }
  } catch (error) {
    console.warn('Waiting scans not sent', error);
  } finally {
    flushing = false;
  }
}

async function refreshPending() {
  const count = (await queue.list().catch(() => [])).filter((entry) => entry.user_id === userId).length;
  const pending = root.querySelector('[data-testid="pending-count"]');
  pending.dataset.count = String(count);
  pending.textContent = count ? fill(T.pending, { count }) : T.pending_none;
}

// Answers ------------------------------------------------------------------------------------

function describe(entry, { status, data }) {
  if (status === 200 || status === 201) {
    const { delegate, checkin } = data;
    const who = [delegate.position, delegate.body].filter(Boolean).join(' – ');
    if (data.status === 'already_checked_in') {
      const first = data.first || checkin;
      return {
        state: 'already', title: T.already, name: delegate.full_name,
        details: [who, fill(T.already_details, { time: hhmm(first.checked_in_at), venue: first.venue, by: first.by || '—' })],
      };
    }
    const badges = [];
    if (delegate.walk_in) badges.push(T.walk_in);
    if (checkin.other_venue) badges.push(T.other_venue_badge);
    return {
      state: 'checked_in', title: T.checked_in, name: delegate.full_name,
      details: [who, `${T.bridge_point}: ${delegate.venue}`, ...badges],
    };
  }
  const error = data.error || {};
  if (status === 409 && error.code === 'other_venue') {
    const delegate = error.details?.delegate;
    return {
      state: 'confirm', title: fill(T.confirm_title, { venue: error.details?.delegate_venue || '' }),
      name: delegate?.full_name || entry.label,
      details: delegate ? [[delegate.position, delegate.body].filter(Boolean).join(' – ')] : [error.message],
      confirm: true,
    };
  }
  const titles = { unknown_code: T.unknown_code, revoked_code: T.revoked_code };
  return { state: 'error', title: titles[error.code] || T.refused, ...scanned(entry), details: [error.message, ...scanned(entry).details] };
}

/** What was scanned, for panels that have no delegate to show: a name as the name, a code below. */
function scanned(entry) {
  return entry.label_is_name ? { name: entry.label, details: [] } : { name: '', details: [fill(T.scanned, { code: entry.label })] };
}

function confirmButtons(entry) {
  const yes = element('button', 'btn btn-dark btn-lg', T.confirm_yes);
  yes.type = 'button';
  yes.addEventListener('click', () => {
    // The refused request did not use the nonce: the same one is sent again, now confirmed.
    submit(entry.path, { ...entry.body, confirm_other_venue: true }, entry.label, { labelIsName: entry.label_is_name });
    focusInput();
  });
  const no = element('button', 'btn btn-outline-dark btn-lg', T.confirm_no);
  no.type = 'button';
  no.addEventListener('click', () => {
    paintPanel({ state: 'idle', title: T.ready, name: '', details: [] }, null);
    focusInput();
  });
  return [yes, no];
}

function paintPanel(view, entry) {
  const panel = root.querySelector('[data-testid="scan-result"]');
  panel.dataset.state = view.state;
  part('title').textContent = view.title;
  part('name').textContent = view.name || '';
  part('details').replaceChildren(...view.details.filter(Boolean).map((line) => element('div', '', line)));
  part('actions').replaceChildren(...(view.confirm ? confirmButtons(entry) : []));
}

const VIBRATION = { checked_in: [120], already: [80, 80, 80], confirm: [80, 80, 80], error: [400] };

function showAnswer(entry, answer, { late }) {
  const view = describe(entry, answer);
  if (current === entry.nonce) {
    paintPanel(view, entry);
    if (navigator.vibrate) navigator.vibrate(VIBRATION[view.state] || 0);
  }
  addRecent(entry, view, late);
}

function addRecent(entry, view, late) {
  const item = element('li', 'list-group-item scan-recent-item');
  item.dataset.state = view.state;
  const head = element('div', 'small');
  head.append(element('span', 'text-body-secondary', `${hhmm(new Date().toISOString())} · `), element('span', 'fw-semibold', view.title));
  if (late) head.append(' ', element('span', 'badge text-bg-secondary', T.late));
  item.append(head);
  if (view.name) item.append(element('div', 'fw-semibold', view.name));
  const details = view.details.filter(Boolean).join(' · ');
  if (details) item.append(element('div', 'small', details));
  if (view.confirm) {
    const actions = element('div', 'd-flex gap-2 mt-1');
    actions.append(...confirmButtons(entry));
    actions.querySelectorAll('.btn').forEach((b) => b.classList.replace('btn-lg', 'btn-sm'));
    item.append(actions);
  }
  const list = part('recent');
  list.prepend(item);
  while (list.children.length > RECENT_MAX) list.lastElementChild.remove();
  part('recent-empty').classList.add('d-none');
}

// The field a hardware scanner types into ------------------------------------------------------

const input = document.getElementById('scan-input');
const hardware = part('hardware-scanner');
const keepFocus = () => hardware.checked || window.matchMedia('(pointer: fine)').matches;
const focusInput = () => { if (keepFocus()) input.focus({ preventScroll: true }); };

function submitCode(value) {
  const code = value.trim();
  if (!code) return null;
  const method = SHORT_CODE.test(code) ? 'short_code' : 'qr';
  const label = code.length > 60 ? `${code.slice(0, 57)}…` : code;
  return submit(`/forums/${forumId}/checkins`, { code, venue_id: venueId, method, confirm_other_venue: false }, label);
}

part('scan-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const value = input.value;
  input.value = '';
  submitCode(value);
  input.focus({ preventScroll: true });
});

// Focus left for nowhere (a tap on the page): give it back, or scanner keystrokes are lost.
input.addEventListener('blur', () => setTimeout(() => {
  if (!document.activeElement || document.activeElement === document.body) focusInput();
}, 0));
document.addEventListener('keydown', (event) => {
  const active = document.activeElement;
  if ((active && active !== document.body) || !keepFocus()) return;
  if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
    input.focus({ preventScroll: true });
    input.value += event.key;
    event.preventDefault();
  }
});

// A Bluetooth scanner on a phone: keep the on-screen keyboard down while it types.
hardware.checked = localStorage.getItem('forum.hardwareScanner') === '1';
const applyHardwareMode = () => { input.inputMode = hardware.checked ? 'none' : 'text'; };
applyHardwareMode();
hardware.addEventListener('change', () => {
  localStorage.setItem('forum.hardwareScanner', hardware.checked ? '1' : '0');
  applyHardwareMode();
  focusInput();
});

// The camera ---------------------------------------------------------------------------------

const cameraBox = part('camera');
const video = cameraBox.querySelector('video');
const canvas = cameraBox.querySelector('canvas');
const cameraButton = part('camera-toggle');
let stream = null;
let frameRequest = null;
let lastFrameAt = 0;
let lastCode = '';
let lastCodeAt = 0;

function decodeFrame(now) {
  frameRequest = requestAnimationFrame(decodeFrame);
  if (now - lastFrameAt < 120 || video.readyState < video.HAVE_CURRENT_DATA || !video.videoWidth) return;
  lastFrameAt = now;
  const scale = Math.min(1, 720 / video.videoWidth);
  const width = Math.round(video.videoWidth * scale);
  const height = Math.round(video.videoHeight * scale);
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  context.drawImage(video, 0, 0, width, height);
  const found = window.jsQR(context.getImageData(0, 0, width, height).data, width, height, { inversionAttempts: 'dontInvert' });
  const code = found?.data?.trim();
  if (!code) return;
  const repeated = code === lastCode && now - lastCodeAt < CAMERA_REPEAT_MS;
  lastCode = code;
  lastCodeAt = now; // held in front of the camera: still the same scan
  if (!repeated) submitCode(code);
}

async function startCamera() {
  part('camera-error').textContent = '';
  if (!navigator.mediaDevices?.getUserMedia || typeof window.jsQR !== 'function') {
    part('camera-error').textContent = T.camera_unavailable;
    return;
  }
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false });
  } catch (error) {
    part('camera-error').textContent = fill(T.camera_denied, { error: error.name || error });
    return;
  }
  video.srcObject = stream;
  cameraBox.classList.remove('d-none');
  cameraButton.textContent = T.camera_off;
  await video.play().catch(() => {});
  frameRequest = requestAnimationFrame(decodeFrame);
}

function stopCamera() {
  if (frameRequest) cancelAnimationFrame(frameRequest);
  frameRequest = null;
  if (stream) stream.getTracks().forEach((track) => track.stop());
  stream = null;
  video.srcObject = null;
  cameraBox.classList.add('d-none');
  cameraButton.textContent = T.camera_on;
}

cameraButton.addEventListener('click', () => (stream ? stopCamera() : startCamera()));
document.addEventListener('visibilitychange', () => { if (document.hidden) stopCamera(); });
window.addEventListener('pagehide', stopCamera);

// Name search --------------------------------------------------------------------------------

const searchInput = part('search-input');
const searchResults = part('search-results');
const searchStatus = part('search-status');
let searchTimer = null;
let searchSequence = 0;

function searchItem(person) {
  const item = element('li', 'list-group-item d-flex align-items-center gap-2 px-0');
  item.dataset.delegateId = String(person.id);
  const text = element('div', 'flex-fill');
  text.append(element('div', 'fw-semibold', person.full_name));
  const who = [person.position, person.body].filter(Boolean).join(' – ');
  if (who) text.append(element('div', 'small', who));
  if (person.venue_id !== venueId) text.append(element('div', 'small text-body-secondary', fill(T.search_other_venue, { venue: person.venue })));
  if (person.checkin) {
    const state = element('div', 'small fw-semibold text-warning-emphasis', fill(T.search_checked_in, { time: hhmm(person.checkin.checked_in_at), venue: person.checkin.venue }));
    state.dataset.checkedIn = '1';
    text.append(state);
  }
  const button = element('button', `btn btn-lg text-nowrap ${person.checkin ? 'btn-outline-secondary' : 'btn-success'}`, T.check_in);
  button.type = 'button';
  button.addEventListener('click', async () => {
    await submit(`/forums/${forumId}/checkins`,
      { delegate_id: person.id, venue_id: venueId, method: 'search', confirm_other_venue: false },
      person.full_name, { labelIsName: true });
    runSearch();
  });
  item.append(text, button);
  return item;
}

async function runSearch() {
  const q = searchInput.value.trim();
  const sequence = ++searchSequence;
  if (q.length < 2) {
    searchResults.replaceChildren();
    searchStatus.textContent = q ? T.search_short : '';
    return;
  }
  const params = new URLSearchParams({ q, limit: '20' });
  const answer = await api(`/forums/${forumId}/checkins/search?${params}`, { token });
  if (!answer.ok || !answer.data) {
    if (sequence === searchSequence) searchStatus.textContent = T.search_offline;
    return;
  }
  const page = answer.data;
  if (sequence !== searchSequence) return; // a newer search is on its way
  searchResults.replaceChildren(...page.items.map(searchItem));
  searchStatus.textContent = page.total ? fill(T.search_count, { shown: page.items.length, total: page.total }) : T.search_none;
}

searchInput.addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(runSearch, 250);
});

// Walk-ins -----------------------------------------------------------------------------------

const walkInForm = part('walk-in-form');
walkInForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const form = new FormData(walkInForm);
  const value = (name) => String(form.get(name) || '').trim();
  if (!value('full_name')) return;
  submit(`/forums/${forumId}/walk-ins`,
    { full_name: value('full_name'), position: value('position'), body: value('body'), venue_id: venueId },
    value('full_name'), { labelIsName: true });
  walkInForm.reset();
  part('walk-in').open = false;
  focusInput();
});

// Roll call: "connected" or "problem" ----------------------------------------------------------

function showStatus(status) {
  const badge = part('status-badge');
  badge.dataset.status = status; // its colour: forum.css
  badge.textContent = T.status_labels[status] || status;
}

showStatus(part('status-badge').dataset.status);
root.querySelectorAll('[data-status-value]').forEach((button) => {
  button.addEventListener('click', async () => {
    const message = part('status-message');
    const answer = await post(`/venues/${venueId}/status`, { status: button.dataset.statusValue, note: part('status-note').value.trim() });
    if (answer.retry || answer.status !== 200) {
      message.className = 'small mt-1 text-danger';
      message.textContent = answer.data?.error?.message || T.status_failed;
      return;
    }
    showStatus(answer.data.connection_status);
    part('status-time').textContent = hhmm(answer.data.status_reported_at);
    message.className = 'small mt-1 text-success';
    message.textContent = fill(T.status_sent, { time: hhmm(answer.data.status_reported_at) });
  });
});

// Start: send what earlier visits left behind, then keep trying ------------------------------

window.addEventListener('online', flush);
setInterval(flush, RETRY_MS);
refreshPending().then(flush);
focusInput();
