// The attendance board (organisers, the hub's big screen): totals, per tier, a chart and every
// bridge point, following the live channel (live-client.js): the `snapshot` on (re)connect and
// after a gap in the versions, then each coalesced `attendance` event. A `partial` event has
// the totals and tiers but only the bridge points that changed (their `venue_id` and the
// changed fields), merged into the rows already shown; the others replace every row.
import { clock as clockOf, fill, pageData, showLiveState } from './dom.js';
import { connectLive } from './live-client.js';

const root = document.getElementById('board');
const initial = pageData('board-data');
const T = initial.text;
const forumId = Number(root.dataset.forumId);
const clock = clockOf(root.dataset.timezone, { seconds: true });
const part = (name) => root.querySelector(`[data-part="${name}"]`);

let latest = initial.attendance;
// Every bridge point's row as last known, by venue_id, in the table's order.
let venues = new Map();

/** Why a bridge point needs the hub's attention: no roll-call answer, a problem, nobody in. */
function reasons(venue) {
  const found = [];
  if (venue.connection_status === 'not_checked') found.push(T.reason_not_checked);
  if (venue.connection_status === 'problem') found.push(T.reason_problem);
  if (venue.invited > 0 && venue.checked_in === 0) found.push(T.reason_empty);
  return found;
}

function setFields(row, values) {
  row.querySelectorAll('[data-field]').forEach((cell) => {
    const key = cell.dataset.field;
    if (key in values && typeof values[key] === 'number') cell.textContent = String(values[key]);
  });
}

const venueBody = part('venues').querySelector('tbody');
const venueRows = new Map([...venueBody.querySelectorAll('tr[data-venue-id]')].map((row) => [Number(row.dataset.venueId), row]));

function venueRow(venue) {
  let row = venueRows.get(venue.venue_id);
  if (row) return row;
  // A bridge point added after the page was opened.
  row = venueBody.querySelector('tr[data-venue-id]')?.cloneNode(true) || document.createElement('tr');
  row.dataset.venueId = String(venue.venue_id);
  row.querySelector('[data-field="name"]').textContent = venue.name;
  row.querySelector('[data-field="district"]')?.remove();
  row.querySelector('[data-field="tier"]').textContent = initial.tiers[venue.tier] || venue.tier;
  row.querySelector('[data-field="status_note"]').textContent = '';
  venueBody.append(row);
  venueRows.set(venue.venue_id, row);
  return row;
}

function showVenue(venue) {
  const row = venueRow(venue);
  setFields(row, venue);
  const badge = row.querySelector('[data-field="connection_status"]');
  // The roll call's note travels with the counts (a partial event keeps the one it had).
  row.querySelector('[data-field="status_note"]').textContent = venue.status_note || '';
  badge.dataset.status = venue.connection_status; // its colour: forum.css
  badge.textContent = initial.connection[venue.connection_status] || venue.connection_status;
  const why = reasons(venue);
  row.dataset.attention = why.length ? '1' : '0';
  row.querySelector('[data-field="reasons"]').textContent = why.join(', ');
  row.classList.toggle('table-danger', venue.connection_status === 'problem');
  row.classList.toggle('table-warning', why.length > 0 && venue.connection_status !== 'problem');
  return why.length > 0;
}

const filter = part('attention-filter');
function applyFilter() {
  venueRows.forEach((row) => row.classList.toggle('d-none', filter.checked && row.dataset.attention !== '1'));
}
filter.addEventListener('change', applyFilter);

function showTotals(summary) {
  root.querySelectorAll('[data-total]').forEach((cell) => {
    const key = cell.dataset.total;
    if (key === 'percent') {
      cell.textContent = summary.invited ? `(${Math.round((summary.checked_in * 100) / summary.invited)}%)` : '';
    } else if (key in summary) {
      cell.textContent = String(summary[key]);
    }
  });
  const tierBody = part('tiers').querySelector('tbody');
  Object.entries(summary.by_tier).forEach(([tier, counts]) => {
    const row = tierBody.querySelector(`tr[data-tier="${tier}"]`);
    if (row) setFields(row, counts);
  });
}

// The chart ----------------------------------------------------------------------------------

const modeSelect = part('chart-mode');
let chart = null;

function chartData(summary) {
  const groups = new Map();
  const mode = modeSelect ? modeSelect.value : 'tier';
  if (mode === 'district') {
    summary.by_venue.forEach((venue) => {
      const label = initial.districts[venue.venue_id] || T.hub;
      const group = groups.get(label) || { invited: 0, checked_in: 0 };
      group.invited += venue.invited;
      group.checked_in += venue.checked_in;
      groups.set(label, group);
    });
  } else {
    Object.entries(summary.by_tier).forEach(([tier, counts]) => {
      if (counts.venues) groups.set(initial.tiers[tier] || tier, counts);
    });
  }
  return {
    labels: [...groups.keys()],
    invited: [...groups.values()].map((g) => g.invited),
    present: [...groups.values()].map((g) => g.checked_in),
    horizontal: mode === 'district',
  };
}

function showChart(summary) {
  if (typeof window.Chart !== 'function') return; // the page still works without the chart
  const data = chartData(summary);
  if (chart && chart.options.indexAxis === (data.horizontal ? 'y' : 'x')) {
    chart.data.labels = data.labels;
    chart.data.datasets[0].data = data.invited;
    chart.data.datasets[1].data = data.present;
    chart.update();
    return;
  }
  chart?.destroy();
  chart = new window.Chart(part('chart'), {
    type: 'bar',
    data: {
      labels: data.labels,
      datasets: [
        { label: T.invited, data: data.invited, backgroundColor: '#adb5bd' },
        { label: T.present, data: data.present, backgroundColor: '#198754' },
      ],
    },
    options: {
      indexAxis: data.horizontal ? 'y' : 'x',
      responsive: true,
      maintainAspectRatio: false,
      animation: { duration: 250 },
      scales: { [data.horizontal ? 'x' : 'y']: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
}
modeSelect?.addEventListener('change', () => showChart(latest));

// Everything ---------------------------------------------------------------------------------

/** Take in the event's rows: all of them, or (partial) the changed fields of some; the rows to redraw. */
function updateVenues(summary) {
  if (!summary.partial) {
    venues = new Map(summary.by_venue.map((venue) => [venue.venue_id, { ...venue }]));
    return [...venues.values()];
  }
  return summary.by_venue.map((change) => {
    const venue = { ...(venues.get(change.venue_id) || {}), ...change };
    venues.set(change.venue_id, venue);
    return venue;
  });
}

function showAttendance(summary, ts) {
  const changed = updateVenues(summary);
  latest = { ...summary, by_venue: [...venues.values()] };
  showTotals(latest);
  changed.forEach(showVenue);
  const attention = latest.by_venue.filter((venue) => reasons(venue).length > 0).length;
  root.querySelector('[data-testid="attention-count"]').textContent = attention ? fill(T.attention, { count: attention }) : '';
  applyFilter();
  showChart(latest);
  if (ts) root.querySelector('[data-testid="updated-at"]').textContent = fill(T.updated, { time: clock.format(new Date(ts * 1000)) });
}

function setLive(state) {
  showLiveState(root.querySelector('[data-testid="live-status"]'), state, T);
}

showAttendance(initial.attendance);

connectLive({
  auth: { forum_id: forumId, token: root.dataset.token },
  // The whole state, whatever was missed meanwhile (a reconnection, a gap in the versions).
  onSnapshot: (snapshot) => { if (snapshot.attendance) showAttendance(snapshot.attendance, snapshot.ts); },
  onAttendance: (event) => showAttendance(event, event.ts),
  onStatus: setLive,
});

part('fullscreen').addEventListener('click', () => {
  if (document.fullscreenElement) document.exitFullscreen();
  else root.requestFullscreen?.().catch(() => {});
});
