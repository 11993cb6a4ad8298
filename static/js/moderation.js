// The moderators' desk: pending items, the approved queue (drag and drop, or up and down), the
// item on screen and the archive, kept live from /live so that several moderators work at once.
// Every action is one call of the JSON API; the result comes back to everyone (this page too) as
// a `question` event. Cards are kept and updated in place, so an edit in progress survives
// another moderator's action. User text is only ever set with textContent.
import { connectLive } from './live-client.js';
import { api, apiError, request } from './api-client.js';
import { clock as clockOf, el, fill, pageData, setChildren, showLiveState } from './dom.js';
import { queueOrder } from './queue-common.js';

const root = document.getElementById('moderation');
const { labels, text: T, timezone } = pageData('moderation-data');
const forumId = Number(root.dataset.forumId);
const token = root.dataset.token;
const clock = clockOf(timezone);

const items = new Map(); // id → the staff's view of every item
const cards = new Map(); // id → its card element
const busy = new Set(); // ids with a request in flight
const selected = new Set(); // ids picked for a merge
const lists = Object.fromEntries([...root.querySelectorAll('[data-list]')].map((list) => [list.dataset.list, list]));

// Talking to the API ----------------------------------------------------------------------------

let errorTimer = null;
function showError(message) {
  const box = root.querySelector('[data-part="error"]');
  box.textContent = message;
  box.classList.remove('d-none');
  clearTimeout(errorTimer);
  errorTimer = setTimeout(() => box.classList.add('d-none'), 8000);
}

async function act(id, path, method, body) {
  busy.add(id);
  refreshActions();
  const result = await api(path, { method, body, token });
  busy.delete(id);
  refreshActions();
  if (!result.ok) {
    const error = apiError(result);
    if (result.status === 401) showError(T.expired);
    else if (error.code === 'network') showError(T.network);
    else showError(error.message || T.failed);
  }
  return result.ok;
}

const moderate = (id, changes) => act(id, `/questions/${id}`, 'PATCH', changes);

/** The 0-based place in the approved queue (current item included) before `beforeId`. */
function positionBefore(movingId, beforeId) {
  const queue = queueOrder([...items.values()]).filter((q) => q.id !== movingId);
  if (beforeId === null || beforeId === undefined) return queue.length;
  const index = queue.findIndex((q) => q.id === beforeId);
  return index < 0 ? queue.length : index;
}

// Cards -----------------------------------------------------------------------------------------

function button(label, onClick, { style = 'outline-secondary', testid, title } = {}) {
  const node = el('button', { className: `btn btn-sm btn-${style}`, text: label, attrs: { type: 'button', 'data-testid': testid, title } });
  node.addEventListener('click', onClick);
  return node;
}

function slot(card, name) {
  return card.querySelector(`[data-slot="${name}"]`);
}

function newCard(id) {
  const card = el('article', { className: 'card qa-card', dataset: { id } },
    el('div', { className: 'card-body p-2' },
      el('div', { className: 'd-flex flex-wrap align-items-center gap-1 small mb-1' },
        el('span', { className: 'qa-rank fw-bold', dataset: { slot: 'rank' } }),
        el('div', { className: 'd-flex flex-wrap align-items-center gap-1 flex-grow-1', dataset: { slot: 'meta' } })),
      el('div', { className: 'qa-text', dataset: { slot: 'text', testid: 'text' } }),
      el('div', { className: 'small text-body-secondary', dataset: { slot: 'original' } }),
      el('div', { className: 'small qa-who', dataset: { slot: 'author' } }),
      el('div', { className: 'small qa-answer', dataset: { slot: 'answer' } }),
      el('div', { className: 'd-flex flex-wrap gap-1 mt-2', dataset: { slot: 'actions' } }),
      el('div', { dataset: { slot: 'panel' } })));
  const handle = () => card.querySelector('.qa-drag');
  card.addEventListener('mousedown', (event) => { card.draggable = Boolean(handle() && handle().contains(event.target)); });
  card.addEventListener('touchstart', () => { card.draggable = false; }, { passive: true });
  card.addEventListener('dragstart', (event) => {
    if (!card.draggable) { event.preventDefault(); return; }
    event.dataTransfer.effectAllowed = 'move';
    event.dataTransfer.setData('text/plain', String(id));
    card.classList.add('is-dragging');
  });
  card.addEventListener('dragend', () => { card.draggable = false; card.classList.remove('is-dragging'); clearDropMarks(); });
  cards.set(id, card);
  return card;
}

function fillCard(card, item) {
  card.dataset.status = item.status;
  const time = item.created_at ? clock.format(new Date(item.created_at)) : '';
  setChildren(slot(card, 'meta'),
    el('span', { className: 'text-body-secondary', text: `#${item.id}` }),
    el('span', { className: 'badge text-bg-light border', text: labels.kinds[item.kind] || item.kind }),
    item.mode === 'oral' ? el('span', { className: 'badge text-bg-info', text: labels.modes.oral }) : null,
    item.held_for_review ? el('span', { className: 'badge text-bg-danger', dataset: { testid: 'held' }, text: T.held }) : null,
    item.on_behalf ? el('span', { className: 'badge text-bg-light border', text: T.on_behalf }) : null,
    item.status === 'answered' || item.status === 'dismissed'
      ? el('span', { className: `badge qa-status qa-status-${item.status}`, text: labels.statuses[item.status] }) : null,
    el('span', { className: 'ms-auto text-body-secondary', dataset: { testid: 'votes' }, text: fill(T.votes, { count: item.votes }) }),
    el('span', { className: 'text-body-secondary', text: time }),
  );
  slot(card, 'text').textContent = item.text;
  setChildren(slot(card, 'original'), (item.original_text && item.original_text !== item.text
    ? [el('span', { className: 'fst-italic', text: `${T.edited} ` }), el('span', { text: item.original_text })] : []));
  const author = item.author || {};
  setChildren(slot(card, 'author'),
    el('span', { className: 'fw-semibold', text: author.name || '' }),
    author.position ? el('span', { text: `, ${author.position}` }) : null,
    author.body ? el('span', { text: ` – ${author.body}` }) : null,
    el('span', { className: 'text-body-secondary', text: ` · ${item.venue.name} (${labels.tiers[item.venue.tier] || item.venue.tier})` }),
  );
  setChildren(slot(card, 'answer'),
    item.answered_by ? el('div', { className: 'fw-semibold', text: fill(T.answered_by_line, { name: item.answered_by }) }) : null,
    item.response ? el('div', { text: item.response }) : null,
  );
  fillActions(card, item);
  const panel = slot(card, 'panel');
  if (panel.dataset.for && !panel.dataset.for.split(' ').includes(item.status)) closePanel(card);
}

function fillActions(card, item) {
  const id = item.id;
  const actions = [];
  const status = item.status;
  if (status === 'approved') {
    actions.push(el('span', { className: 'qa-drag btn btn-sm btn-light border', text: '⠿', attrs: { title: T.drag, 'aria-hidden': 'true' } }));
    actions.push(button('↑', () => moveBy(id, -1), { testid: 'up', title: T.up }));
    actions.push(button('↓', () => moveBy(id, +1), { testid: 'down', title: T.down }));
  }
  if (status === 'pending') {
    actions.push(button(T.approve, () => moderate(id, { status: 'approved' }), { style: 'success', testid: 'approve' }));
  }
  if (status === 'approved') {
    actions.push(button(T.to_screen, () => moderate(id, { status: 'current' }), { style: 'primary', testid: 'to-screen' }));
  }
  if (status === 'approved' || status === 'current') {
    actions.push(button(T.answered, () => openAnswer(card, item), { style: 'success', testid: 'answered' }));
  }
  if (status === 'current') {
    actions.push(button(T.off_screen, () => moderate(id, { status: 'approved' }), { testid: 'off-screen' }));
  }
  if (status === 'pending' || status === 'approved' || status === 'current') {
    actions.push(button(T.edit, () => openEdit(card, item), { testid: 'edit' }));
  }
  if (status === 'approved') {
    actions.push(button(T.to_pending, () => moderate(id, { status: 'pending' }), { testid: 'to-pending' }));
  }
  if (status === 'pending' || status === 'approved' || status === 'current') {
    actions.push(button(T.dismiss, () => moderate(id, { status: 'dismissed' }), { style: 'outline-danger', testid: 'dismiss' }));
  }
  if (status === 'answered') {
    actions.push(button(T.edit_answer, () => openAnswer(card, item), { testid: 'edit-answer' }));
    actions.push(button(T.restore, () => moderate(id, { status: 'approved' }), { testid: 'restore' }));
  }
  if (status === 'dismissed' && !item.merged_into_id) {
    actions.push(button(T.restore, () => moderate(id, { status: 'pending' }), { testid: 'restore' }));
  }
  if (status === 'pending' || status === 'approved') {
    const box = el('input', { className: 'form-check-input', attrs: { type: 'checkbox', id: `merge-${id}`, 'data-testid': 'merge-pick' } });
    box.checked = selected.has(id);
    box.addEventListener('change', () => {
      if (box.checked) selected.add(id); else selected.delete(id);
      refreshActions();
    });
    actions.push(el('div', { className: 'form-check form-check-inline ms-1 mb-0 small' }, box,
      el('label', { className: 'form-check-label', text: T.merge_pick, attrs: { for: `merge-${id}` } })));
  }
  const others = [...selected].filter((other) => other !== id);
  if (others.length && ['pending', 'approved', 'current'].includes(status) && !selected.has(id)) {
    actions.push(button(fill(T.merge_here, { count: others.length }), () => merge(id, others), { style: 'warning', testid: 'merge-here' }));
  }
  const slotNode = slot(card, 'actions');
  setChildren(slotNode, actions);
  slotNode.querySelectorAll('button').forEach((node) => { node.disabled = busy.has(id); });
}

function refreshActions() {
  for (const [id, card] of cards) {
    if (items.has(id)) fillActions(card, items.get(id));
  }
}

// Inline forms: edit the text, mark answered ------------------------------------------------------

function closePanel(card) {
  const panel = slot(card, 'panel');
  panel.replaceChildren();
  delete panel.dataset.for;
}

function openPanel(card, validFor, ...content) {
  const panel = slot(card, 'panel');
  panel.dataset.for = validFor;
  setChildren(panel, el('div', { className: 'border-top mt-2 pt-2' }, ...content));
  const first = panel.querySelector('textarea, input');
  if (first) first.focus();
}

function openEdit(card, item) {
  const area = el('textarea', { className: 'form-control form-control-sm mb-2', attrs: { rows: 3, 'aria-label': T.edit, 'data-testid': 'edit-text' } });
  area.value = item.text;
  const save = async (approve) => {
    const changes = { text: area.value.trim() };
    if (approve) changes.status = 'approved';
    if (await moderate(item.id, changes)) closePanel(card);
  };
  openPanel(card, 'pending approved current', area, el('div', { className: 'd-flex flex-wrap gap-1' },
    item.status === 'pending' ? button(T.save_approve, () => save(true), { style: 'success', testid: 'save-approve' }) : null,
    button(T.save, () => save(false), { style: 'primary', testid: 'save' }),
    button(T.cancel, () => closePanel(card))));
}

function openAnswer(card, item) {
  const who = el('input', { className: 'form-control form-control-sm mb-2', attrs: { list: 'qa-officials', maxlength: 200, placeholder: T.answered_by, 'aria-label': T.answered_by, 'data-testid': 'answered-by' } });
  who.value = item.answered_by || '';
  const response = el('textarea', { className: 'form-control form-control-sm mb-2', attrs: { rows: 2, maxlength: 5000, placeholder: T.response, 'aria-label': T.response, 'data-testid': 'response' } });
  response.value = item.response || '';
  const save = async () => {
    const changes = { answered_by: who.value.trim(), response: response.value.trim() };
    if (item.status !== 'answered') changes.status = 'answered';
    if (await moderate(item.id, changes)) closePanel(card);
  };
  openPanel(card, 'approved current answered', who, response, el('div', { className: 'd-flex flex-wrap gap-1' },
    button(item.status === 'answered' ? T.save : T.answer_save, save, { style: 'success', testid: 'answer-save' }),
    button(T.cancel, () => closePanel(card))));
}

// Ordering and merging --------------------------------------------------------------------------

function approvedIds() {
  return queueOrder([...items.values()]).filter((q) => q.status === 'approved').map((q) => q.id);
}

function moveBy(id, step) {
  const order = approvedIds();
  const index = order.indexOf(id);
  if (index < 0) return;
  if (step < 0 && index > 0) moderate(id, { position: positionBefore(id, order[index - 1]) });
  if (step > 0 && index < order.length - 1) moderate(id, { position: positionBefore(id, order[index + 2] ?? null) });
}

async function merge(targetId, duplicates) {
  if (await act(targetId, `/questions/${targetId}/merge`, 'POST', { duplicates })) {
    selected.clear();
    refreshActions();
  }
}

function clearDropMarks() {
  lists.approved.querySelectorAll('.drop-before').forEach((node) => node.classList.remove('drop-before'));
  lists.approved.classList.remove('drop-end');
}

/** The approved card the dragged one would land before, or null for the end. */
function dropTarget(y, draggedId) {
  const candidates = [...lists.approved.querySelectorAll('.qa-card')].filter((card) => Number(card.dataset.id) !== draggedId);
  return candidates.find((card) => {
    const box = card.getBoundingClientRect();
    return y < box.top + box.height / 2;
  }) || null;
}

let draggedId = null;
lists.approved.addEventListener('dragstart', (event) => { draggedId = Number(event.target.closest('.qa-card')?.dataset.id); });
lists.approved.addEventListener('dragover', (event) => {
  if (draggedId === null) return;
  event.preventDefault();
  event.dataTransfer.dropEffect = 'move';
  clearDropMarks();
  const target = dropTarget(event.clientY, draggedId);
  if (target) target.classList.add('drop-before');
  else lists.approved.classList.add('drop-end');
});
lists.approved.addEventListener('dragleave', (event) => {
  if (!lists.approved.contains(event.relatedTarget)) clearDropMarks();
});
lists.approved.addEventListener('drop', (event) => {
  event.preventDefault();
  const id = draggedId;
  draggedId = null;
  const target = dropTarget(event.clientY, id);
  clearDropMarks();
  if (id === null || Number.isNaN(id)) return;
  const beforeId = target ? Number(target.dataset.id) : null;
  const order = approvedIds();
  const here = order.indexOf(id);
  const stays = beforeId === null ? here === order.length - 1 : order[here + 1] === beforeId;
  if (!stays) moderate(id, { position: positionBefore(id, beforeId) });
});
document.addEventListener('dragend', () => { draggedId = null; });

// Columns ---------------------------------------------------------------------------------------

function archiveFilter() {
  return root.querySelector('[data-part="archive-filter"]:checked').value;
}

function columns() {
  const all = [...items.values()].filter((q) => !q.merged_into_id);
  const filter = archiveFilter();
  const byTime = (key) => (a, b) => String(b[key]).localeCompare(String(a[key])) || b.id - a.id;
  return {
    current: all.filter((q) => q.status === 'current'),
    pending: all.filter((q) => q.status === 'pending')
      .sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)) || a.id - b.id),
    approved: queueOrder(all).filter((q) => q.status === 'approved'),
    archive: all.filter((q) => (q.status === 'answered' || q.status === 'dismissed') && (filter === 'all' || q.status === filter))
      .sort(byTime('updated_at')),
    archiveCount: all.filter((q) => q.status === 'answered' || q.status === 'dismissed').length,
  };
}

function place() {
  const wanted = columns();
  const shown = new Set();
  ['current', 'pending', 'approved', 'archive'].forEach((name) => {
    const list = lists[name];
    wanted[name].forEach((item, index) => {
      const card = cards.get(item.id);
      shown.add(item.id);
      slot(card, 'rank').textContent = name === 'approved' ? `${index + 1}.` : '';
      if (list.children[index] !== card) list.insertBefore(card, list.children[index] || null);
    });
    while (list.children.length > wanted[name].length) list.lastElementChild.remove();
    const empty = wanted[name].length === 0;
    list.classList.toggle('is-empty', empty);
    list.dataset.empty = empty ? (name === 'current' ? T.nothing_current : T.empty) : '';
  });
  for (const [id, card] of cards) {
    if (!shown.has(id)) card.remove();
  }
  root.querySelector('[data-count="pending"]').textContent = String(wanted.pending.length);
  root.querySelector('[data-count="approved"]').textContent = String(wanted.approved.length);
  root.querySelector('[data-count="archive"]').textContent = String(wanted.archiveCount);
}

function show(item) {
  items.set(item.id, item);
  fillCard(cards.get(item.id) || newCard(item.id), item);
}

// The names setting -----------------------------------------------------------------------------

const namesForm = root.querySelector('[data-part="names-form"]');
const namesBox = namesForm.querySelector('input[type="checkbox"]');
let savingNames = false;
namesBox.addEventListener('change', async () => {
  const feedback = namesForm.querySelector('[data-part="names-feedback"]');
  feedback.textContent = '';
  savingNames = true;
  const data = new FormData(namesForm);
  const answer = await request(namesForm.action, { method: 'POST', form: data });
  if (answer.ok && answer.data) {
    namesBox.checked = answer.data.show_names;
    feedback.textContent = T.names_saved;
  } else {
    namesBox.checked = !namesBox.checked;
    showError(T.failed);
  }
  savingNames = false;
});

// Live ------------------------------------------------------------------------------------------

connectLive({
  auth: { forum_id: forumId, token },
  onSnapshot: (snapshot) => {
    items.clear();
    const ids = new Set();
    (snapshot.questions || []).forEach((item) => { ids.add(item.id); show(item); });
    for (const id of [...cards.keys()]) {
      if (!ids.has(id)) { cards.get(id).remove(); cards.delete(id); }
    }
    if (!savingNames && typeof snapshot.show_names === 'boolean') namesBox.checked = snapshot.show_names;
    place();
  },
  onQuestion: (item) => { show(item); place(); },
  onStatus: (state) => showLiveState(root.querySelector('[data-testid="live-status"]'), state, T),
});
root.querySelectorAll('[data-part="archive-filter"]').forEach((input) => input.addEventListener('change', place));
