// What the live queue's pages share: ordering the queue, the author's line, and the speaking
// order across tiers (elements, texts and the API: dom.js and api-client.js).
import { el, setChildren } from './dom.js';

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
