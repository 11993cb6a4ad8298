// A bridge point's operators: register a question, an opinion or a request to speak for a person
// in the room (through the API with their token), follow this point's items and the speaking
// order across tiers, live. User text is only ever set with textContent.
import { connectLive } from './live-client.js';
import { api, apiError } from './api-client.js';
import { el, fill, pageData, setChildren, showLiveState } from './dom.js';
import { authorLine, renderSpeakingOrder } from './queue-common.js';

const root = document.getElementById('venue-questions');
const { labels, text: T } = pageData('venue-questions-data');
const forumId = Number(root.dataset.forumId);
const venueId = Number(root.dataset.venueId);
const token = root.dataset.token;
const part = (name) => root.querySelector(`[data-part="${name}"]`);
// The queue as the audience sees it (the other points' public items, names as the forum shows
// them) and this operator's own points' items in full (`own_point`), kept apart so that the
// public view of an own item never hides its author.
const queue = new Map();
const own = new Map();

function render() {
  const speakers = part('speakers');
  const visible = [...queue.values()].filter((q) => q.visible && !own.has(q.id))
    .concat([...own.values()].filter((q) => q.visible));
  // The operator prepares the person at their point: their own speakers are named.
  if (!renderSpeakingOrder(speakers, visible, { labels, showNames: true, venueId, text: T })) {
    setChildren(speakers, el('li', { className: 'text-body-secondary small', text: T.no_speakers }));
  }
  const mine = [...own.values()].filter((q) => q.venue.id === venueId && !q.merged_into_id)
    .sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)) || b.id - a.id);
  setChildren(part('own'), (mine.length ? mine.map((item) => el('li', { className: 'qa-item', dataset: { id: item.id, status: item.status } },
    el('div', { className: 'd-flex flex-wrap gap-1 mb-1' },
      el('span', { className: 'badge text-bg-light border', text: labels.kinds[item.kind] || item.kind }),
      item.mode === 'oral' ? el('span', { className: 'badge text-bg-info', text: labels.modes.oral }) : null,
      el('span', { className: `badge qa-status qa-status-${item.status}`, dataset: { testid: 'status' }, text: labels.statuses[item.status] || item.status }),
      el('span', { className: 'small text-body-secondary', text: fill(T.votes, { count: item.votes }) })),
    el('div', { className: 'qa-text', text: item.text }),
    el('div', { className: 'small text-body-secondary', text: authorLine(item) }))) : [el('li', { className: 'text-body-secondary small', text: T.no_items })]));
}

function keep(item) {
  // In full: an operator's own point's item, or any item for the desk (who may open this page).
  const full = item.own_point || 'on_behalf' in item;
  if (full && item.venue && item.venue.id === venueId) own.set(item.id, item);
  else if (item.visible) queue.set(item.id, item);
  else queue.delete(item.id);
}

connectLive({
  auth: { forum_id: forumId, token },
  onSnapshot: (snapshot) => {
    queue.clear();
    own.clear();
    (snapshot.questions || []).forEach(keep);
    render();
  },
  onQuestion: (item) => { keep(item); render(); },
  onStatus: (state) => showLiveState(root.querySelector('[data-testid="live-status"]'), state, T),
});

const form = part('register-form');
if (form) {
  const feedback = part('feedback');
  const submit = form.querySelector('button[type="submit"]');
  const say = (message, state) => {
    feedback.textContent = message;
    feedback.dataset.state = state;
    feedback.className = `small mb-2 ${state === 'error' ? 'text-danger' : state === 'sent' ? 'text-success' : 'text-body-secondary'}`;
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = (name) => form.elements[name].value.trim();
    if (!value('author_name')) { say(T.name_required, 'error'); form.elements.author_name.focus(); return; }
    if (!value('text')) { say(T.empty_text, 'error'); form.elements.text.focus(); return; }
    submit.disabled = true;
    say(T.sending, 'sending');
    const result = await api(`/forums/${forumId}/questions`, {
      method: 'POST',
      token,
      body: {
        venue_id: venueId,
        author_name: value('author_name'),
        author_position: value('author_position'),
        author_body: value('author_body'),
        kind: form.elements.kind.value,
        mode: form.elements.mode.value,
        text: value('text'),
      },
    });
    submit.disabled = false;
    if (result.ok) {
      form.reset();
      form.elements.mode.value = 'oral';
      say(fill(T.sent, { id: result.data.id }), 'sent');
      form.elements.author_name.focus();
      return;
    }
    const error = apiError(result);
    if (result.status === 401) say(T.expired, 'error');
    else if (error.code === 'network') say(T.network, 'error');
    else say(error.message || T.failed, 'error');
  });
}
