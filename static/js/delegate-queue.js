// The delegate's page: send a question, an opinion or a proposal (written, or a request to speak),
// follow their own items and the approved queue live, and vote once per item.
// User text is only ever set with textContent.
import { connectLive } from './live-client.js';
import { api, apiError } from './api-client.js';
import { el, fill, pageData, setChildren, showLiveState } from './dom.js';
import { authorLine, queueOrder, voteOrder } from './queue-common.js';

const root = document.getElementById('qa');
const { labels, text: T } = pageData('qa-data');
const forumId = Number(root.dataset.forumId);
const code = root.dataset.code;
const maxLength = Number(root.dataset.maxLength);
const part = (name) => root.querySelector(`[data-part="${name}"]`);

const mine = new Map(); // id → the sender's view of their item
const items = new Map(); // id → the public view of an approved, current or answered item
let showNames = true;

// Votes cast from this browser; the server refuses a second one anyway (409).
const votedKey = `forum-qa-voted-${forumId}-${root.dataset.delegateId}`;
const voted = new Set((() => {
  try { return JSON.parse(localStorage.getItem(votedKey) || '[]'); } catch { return []; }
})());
function rememberVote(id) {
  voted.add(id);
  try { localStorage.setItem(votedKey, JSON.stringify([...voted])); } catch { /* private mode */ }
}

// Rendering -----------------------------------------------------------------------------------

function kindBadges(item) {
  return [
    el('span', { className: 'badge text-bg-light border', text: labels.kinds[item.kind] || item.kind }),
    item.mode === 'oral' ? el('span', { className: 'badge text-bg-info', text: labels.modes.oral }) : null,
  ];
}

function myStatus(item) {
  const seen = items.get(item.id);
  return seen ? seen.status : item.status;
}

function renderMine() {
  const list = part('mine');
  const rows = [...mine.values()].sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)) || b.id - a.id);
  if (!rows.length) {
    setChildren(list, el('li', { className: 'text-body-secondary small', text: T.no_mine }));
    return;
  }
  setChildren(list, rows.map((item) => {
    const status = myStatus(item);
    const seen = items.get(item.id);
    return el('li', { className: 'qa-item', dataset: { id: item.id, status } },
      el('div', { className: 'd-flex flex-wrap gap-1 mb-1' },
        kindBadges(item),
        el('span', { className: `badge qa-status qa-status-${status}`, dataset: { testid: 'my-status' }, text: T.my_status[status] || status })),
      el('div', { className: 'qa-text', text: item.text }),
      seen && seen.status === 'answered' && (seen.answered_by || seen.response)
        ? el('div', { className: 'qa-answer small' },
          seen.answered_by ? el('div', { className: 'fw-semibold', text: fill(T.answered_by, { name: seen.answered_by }) }) : null,
          seen.response ? el('div', { text: seen.response }) : null)
        : null);
  }));
}

function voteButton(item) {
  const done = voted.has(item.id);
  const button = el('button', {
    className: `btn btn-sm ${done ? 'btn-success' : 'btn-outline-primary'}`,
    text: done ? T.voted : T.vote,
    attrs: { type: 'button', disabled: done, 'data-testid': 'vote' },
  });
  button.addEventListener('click', () => vote(item.id, button));
  return button;
}

function queueRow(item) {
  const author = authorLine(item, showNames);
  return el('li', { className: `qa-item${item.status === 'current' ? ' qa-current' : ''}`, dataset: { id: item.id, status: item.status } },
    el('div', { className: 'd-flex flex-wrap gap-1 mb-1' },
      item.status === 'current' ? el('span', { className: 'badge text-bg-danger', text: T.now }) : null,
      kindBadges(item)),
    el('div', { className: 'qa-text', text: item.text }),
    el('div', { className: 'small text-body-secondary' },
      author ? el('span', { className: 'qa-author', dataset: { testid: 'author' }, text: `${author} · ` }) : null,
      el('span', { text: item.venue.name })),
    el('div', { className: 'd-flex align-items-center gap-2 mt-1' },
      el('span', { className: 'small', dataset: { testid: 'votes' }, text: fill(T.votes, { count: item.votes }) }),
      voteButton(item)));
}

function answeredRow(item) {
  const author = authorLine(item, showNames);
  return el('li', { className: 'qa-item', dataset: { id: item.id, status: item.status } },
    el('div', { className: 'd-flex flex-wrap gap-1 mb-1' }, kindBadges(item)),
    el('div', { className: 'qa-text', text: item.text }),
    el('div', { className: 'small text-body-secondary' },
      author ? el('span', { className: 'qa-author', text: `${author} · ` }) : null,
      el('span', { text: item.venue.name })),
    item.answered_by || item.response
      ? el('div', { className: 'qa-answer small' },
        item.answered_by ? el('div', { className: 'fw-semibold', text: fill(T.answered_by, { name: item.answered_by }) }) : null,
        item.response ? el('div', { text: item.response }) : null)
      : null);
}

function renderQueue() {
  const all = [...items.values()];
  const byVotes = root.querySelector('[data-part="order"]:checked')?.value === 'votes';
  const queue = byVotes ? voteOrder(all) : queueOrder(all);
  if (!byVotes) {
    // On screen first, then the moderators' order.
    queue.sort((a, b) => (b.status === 'current') - (a.status === 'current'));
  }
  const list = part('queue');
  setChildren(list, (queue.length ? queue.map(queueRow) : [el('li', { className: 'text-body-secondary small', text: T.no_queue })]));
  const answered = all.filter((q) => q.status === 'answered')
    .sort((a, b) => String(b.answered_at).localeCompare(String(a.answered_at)));
  setChildren(part('answered'), answered.map(answeredRow));
  part('answered-count').textContent = String(answered.length);
}

function render() {
  renderQueue();
  renderMine();
}

// Live ----------------------------------------------------------------------------------------

function onSnapshot(snapshot) {
  showNames = Boolean(snapshot.show_names);
  items.clear();
  (snapshot.questions || []).forEach((q) => items.set(q.id, q));
  mine.clear();
  (snapshot.my_questions || []).forEach((q) => mine.set(q.id, q));
  render();
}

function onQuestion(event) {
  if (event.mine) {
    mine.set(event.id, event);
  } else if (event.visible === false) {
    items.delete(event.id);
    // Withdrawn from the queue: for its sender it waits again (a dismissal is silent).
    if (mine.has(event.id)) mine.get(event.id).status = 'pending';
  } else {
    items.set(event.id, event);
    if (mine.has(event.id)) Object.assign(mine.get(event.id), { status: event.status, text: event.text });
  }
  render();
}

const liveBadge = root.querySelector('[data-testid="live-status"]');
connectLive({
  auth: { forum_id: forumId, code },
  onSnapshot,
  onQuestion,
  onStatus: (state) => showLiveState(liveBadge, state, T),
});
root.querySelectorAll('[data-part="order"]').forEach((input) => input.addEventListener('change', renderQueue));

// Voting --------------------------------------------------------------------------------------

async function vote(id, button) {
  const feedback = part('vote-feedback');
  feedback.textContent = '';
  button.disabled = true;
  const result = await api(`/questions/${id}/votes`, { method: 'POST', body: { code } });
  if (result.ok) {
    rememberVote(id);
    if (items.has(id)) items.get(id).votes = result.data.votes;
  } else {
    const error = apiError(result);
    if (error.code === 'already_voted') {
      rememberVote(id);
    } else {
      feedback.textContent = error.code === 'network' ? T.network : (error.message || T.failed);
    }
  }
  renderQueue();
}

// Sending -------------------------------------------------------------------------------------

const form = part('ask-form');
if (form) {
  const textarea = form.querySelector('textarea');
  const count = part('count');
  const feedback = part('feedback');
  const submit = form.querySelector('button[type="submit"]');
  const showCount = () => { count.textContent = fill(T.chars, { count: textarea.value.length, max: maxLength }); };
  const say = (message, state) => {
    feedback.textContent = message;
    feedback.dataset.state = state;
    feedback.className = `small mb-2 ${state === 'error' ? 'text-danger' : state === 'sent' ? 'text-success' : 'text-body-secondary'}`;
  };
  textarea.addEventListener('input', showCount);
  showCount();

  form.addEventListener('submit', async (submitEvent) => {
    submitEvent.preventDefault();
    const body = textarea.value.trim();
    if (!body) { say(T.empty_text, 'error'); textarea.focus(); return; }
    if (body.length > maxLength) { say(fill(T.too_long, { max: maxLength }), 'error'); return; }
    submit.disabled = true;
    say(T.sending, 'sending');
    const kind = form.querySelector('input[name="kind"]:checked').value;
    const mode = form.querySelector('input[name="mode"]:checked').value;
    const result = await api(`/forums/${forumId}/questions`, { method: 'POST', body: { text: body, kind, mode, code } });
    submit.disabled = false;
    if (result.ok) {
      if (!mine.has(result.data.id)) {
        mine.set(result.data.id, { id: result.data.id, text: body, kind, mode, status: result.data.status, created_at: new Date().toISOString() });
      }
      textarea.value = '';
      showCount();
      say(T.sent, 'sent');
      renderMine();
      return;
    }
    const error = apiError(result);
    // The server explains too short, too long, too fast and a closed forum in the reader's language.
    const known = ['too_short', 'too_long', 'rate_limited', 'forum_closed'];
    let message = T.failed;
    if (known.includes(error.code) && error.message) message = error.message;
    else if (error.code === 'network') message = T.network;
    say(message, 'error');
    if (error.code === 'forum_closed') submit.disabled = true;
  });
}
