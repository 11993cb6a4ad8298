// Helpers shared by the live queue's pages: building elements (user text only ever through
// textContent), calling the API, ordering the queue, and the speaking order across tiers.

/** Parse the JSON a page embeds for its script (labels, texts, settings). */
export function pageData(id) {
  return JSON.parse(document.getElementById(id).textContent);
}

/**
 * An element: `el('span', {className: 'badge', text: 'x', dataset: {id: 1}, attrs: {title: 't'}},
 * child, ...)`. `text` is set with textContent, never parsed as HTML.
 */
export function el(tag, options = {}, ...children) {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.text !== undefined && options.text !== null) node.textContent = String(options.text);
  Object.entries(options.dataset || {}).forEach(([key, value]) => { node.dataset[key] = String(value); });
  Object.entries(options.attrs || {}).forEach(([key, value]) => {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value === true ? '' : String(value));
  });
  children.flat().forEach((child) => {
    if (child === null || child === undefined || child === false) return;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  });
  return node;
}

/** Replace the children of `node`, leaving out null, undefined and false (conditional parts). */
export function setChildren(node, ...children) {
  node.replaceChildren(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
}

/** Fill `{name}` placeholders of an interface text. */
export function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (all, key) => (key in values ? String(values[key]) : all));
}

/** Call the JSON API; resolves to {ok, status, data}, with status 0 when the network failed. */
export async function api(path, { method = 'GET', body, token } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    const response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
    let data = null;
    try { data = await response.json(); } catch { data = null; }
    return { ok: response.ok, status: response.status, data };
  } catch {
    return { ok: false, status: 0, data: null };
  }
}

/** The error code and message of an API answer ({"error": {"code", "message"}}). */
export function apiError(result) {
  const error = (result.data && result.data.error) || {};
  return { code: error.code || (result.status === 0 ? 'network' : 'error'), message: error.message || '' };
}

const byQueue = (a, b) => (a.position - b.position)
  || String(a.created_at).localeCompare(String(b.created_at)) || (a.id - b.id);

/** Approved and current items in the moderators' order (as the server orders them). */
export function queueOrder(items) {
  return items.filter((q) => q.status === 'approved' || q.status === 'current').sort(byQueue);
}

/** The same items by votes, then the moderators' order. */
export function voteOrder(items) {
  return queueOrder(items).sort((a, b) => (b.votes - a.votes) || byQueue(a, b));
}

/** Who speaks, in order: requests to speak that are on screen or approved. */
export function speakingOrder(items) {
  const queue = queueOrder(items).filter((q) => q.mode === 'oral');
  return [...queue.filter((q) => q.status === 'current'), ...queue.filter((q) => q.status !== 'current')];
}

/** "Name, position – body" of an item's author, or '' when names are hidden. */
export function authorLine(item, showNames = true) {
  if (!showNames || !item.author || !item.author.name) return '';
  const { name, position, body } = item.author;
  return name + (position ? `, ${position}` : '') + (body ? ` – ${body}` : '');
}

/**
 * Fill `list` (an <ol>) with the speaking order: number, bridge point and tier, the person when
 * names are shown; the rows of `venueId` marked (the operator's own speakers).
 */
export function renderSpeakingOrder(list, items, { labels, showNames, venueId, text }) {
  const order = speakingOrder(items);
  setChildren(list, order.map((item, index) => {
    const own = venueId && item.venue.id === venueId;
    const author = authorLine(item, showNames);
    return el('li', {
      className: `speaking-item${item.status === 'current' ? ' is-current' : ''}${own ? ' is-own' : ''}`,
      dataset: { id: item.id, venueId: item.venue.id, status: item.status },
    },
    el('span', { className: 'speaking-number', text: index + 1 }),
    el('span', { className: 'speaking-body' },
      el('span', { className: 'speaking-venue', text: item.venue.name }),
      el('span', { className: 'speaking-tier', text: ` · ${labels.tiers[item.venue.tier] || item.venue.tier}` }),
      author ? el('span', { className: 'speaking-author', text: author }) : null,
      item.status === 'current' ? el('span', { className: 'speaking-now', text: text.speaking_now }) : null,
      own && text.own_venue ? el('span', { className: 'speaking-own', text: text.own_venue }) : null));
  }));
  return order.length;
}

/** Show the connection state in a badge (texts: live, connecting, offline, refused). */
export function showLiveState(badge, state, text) {
  if (!badge) return;
  badge.dataset.live = state; // its colour: forum.css
  badge.textContent = text[state] || state;
}
