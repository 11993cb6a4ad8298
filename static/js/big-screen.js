// The big screen of the hub or of a bridge point: the item on screen (with its sender when the
// forum shows names), the next approved items, and the speaking order across tiers, live.
import { connectLive } from './live-client.js';
import { clock as clockOf, el, pageData, setChildren, showLiveState } from './dom.js';
import { authorLine, queueOrder, renderSpeakingOrder } from './queue-common.js';

const root = document.getElementById('screen');
const { labels, text: T, next_items: nextCount } = pageData('screen-data');
const venueId = Number(root.dataset.venueId);
const part = (name) => root.querySelector(`[data-part="${name}"]`);
const items = new Map();
let showNames = true;

function fromLine(item) {
  return `${item.venue.name} · ${labels.tiers[item.venue.tier] || item.venue.tier}`;
}

function kindLine(item) {
  const kind = labels.kinds[item.kind] || item.kind;
  return item.mode === 'oral' ? `${kind} · ${labels.modes.oral}` : kind;
}

function render() {
  const all = [...items.values()];
  const current = all.find((q) => q.status === 'current');
  const box = root.querySelector('[data-testid="screen-current"]');
  box.dataset.state = current ? 'current' : 'empty';
  box.dataset.id = current ? String(current.id) : '';
  part('current-kind').textContent = current ? kindLine(current) : '';
  part('current-text').textContent = current ? current.text : T.nothing_current;
  part('current-author').textContent = current ? authorLine(current, showNames) : '';
  part('current-from').textContent = current ? fromLine(current) : '';

  const next = queueOrder(all).filter((q) => q.status === 'approved').slice(0, nextCount);
  setChildren(part('next'), (next.length ? next.map((item) => {
    const author = authorLine(item, showNames);
    return el('li', { className: `screen-next-item${item.venue.id === venueId ? ' is-own' : ''}`, dataset: { id: item.id } },
      el('div', { className: 'screen-next-kind', text: kindLine(item) }),
      el('div', { className: 'screen-next-text', text: item.text }),
      el('div', { className: 'screen-next-from', text: author ? `${author} · ${fromLine(item)}` : fromLine(item) }));
  }) : [el('li', { className: 'screen-empty', text: T.no_next })]));

  const speakers = part('speakers');
  if (!renderSpeakingOrder(speakers, all, { labels, showNames, venueId, text: T })) {
    setChildren(speakers, el('li', { className: 'screen-empty', text: T.no_speakers }));
  }
}

connectLive({
  auth: { forum_id: Number(root.dataset.forumId), token: root.dataset.token },
  onSnapshot: (snapshot) => {
    showNames = Boolean(snapshot.show_names);
    items.clear();
    (snapshot.questions || []).forEach((q) => { if (q.visible) items.set(q.id, q); });
    render();
  },
  onQuestion: (item) => {
    // Staff events carry every change; the screen shows only what the audience may see.
    if (item.visible) items.set(item.id, item);
    else items.delete(item.id);
    render();
  },
  onStatus: (state) => showLiveState(root.querySelector('[data-testid="live-status"]'), state, T),
});

const clock = clockOf(root.dataset.timezone);
const tick = () => { part('clock').textContent = clock.format(new Date()); };
tick();
setInterval(tick, 10_000);

part('fullscreen').addEventListener('click', () => {
  if (document.fullscreenElement) document.exitFullscreen();
  else document.documentElement.requestFullscreen?.().catch(() => {});
});
