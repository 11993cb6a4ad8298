// Small helpers every page script shares: its embedded data, building elements (user text only
// ever through textContent), filling interface texts, clocks in the forum's time zone, and the
// live channel's state badge.

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

/** A 24-hour clock (HH:MM, or HH:MM:SS with `seconds`) in the forum's time zone. */
export function clock(timeZone, { seconds = false } = {}) {
  const options = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone };
  if (seconds) options.second = '2-digit';
  return new Intl.DateTimeFormat('vi-VN', options);
}

/** Show the live channel's state in a badge (texts: live, connecting, offline, refused). */
export function showLiveState(badge, state, text) {
  if (!badge) return;
  badge.dataset.live = state; // its colour: forum.css
  badge.textContent = text[state] || state;
}
