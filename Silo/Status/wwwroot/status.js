'use strict';
// The silo's status page. Polls the JSON API once a second and redraws; plain ES2020, no dependencies.
// Data reaches the page only through textContent and attributes, never as markup.

const POLL_MS = 1000;
const FETCH_TIMEOUT_MS = 4000;
const EXPIRIES_REFRESH_MS = 60000;
const SVG_NS = 'http://www.w3.org/2000/svg';
const FLUSH_REASONS = ['window', 'size', 'idle', 'shutdown', 'disabled'];
const SIDE_FIELDS = ['oi', 'iv', 'delta', 'gamma', 'theta', 'vega', 'last_price'];

const CHARTS = [
  { id: 'throughput', unit: '/s', digits: 0, series: [
    { key: 'ticks_per_s', label: 'ticks', cls: 's1' },
    { key: 'option_ticks_per_s', label: 'option ticks', cls: 's2' },
    { key: 'snapshots_per_s', label: 'snapshots', cls: 's3' }] },
  { id: 'processing', unit: 'µs', digits: 2, series: [
    { key: 'processing_p50_us', label: 'p50', cls: 's1' },
    { key: 'processing_p99_us', label: 'p99', cls: 's4' }] },
  { id: 'e2e', unit: 'ms', digits: 2, series: [
    { key: 'e2e_p50_ms', label: 'p50', cls: 's1' },
    { key: 'e2e_p99_ms', label: 'p99', cls: 's4' }] },
  { id: 'batches', unit: '/s', digits: 0, series: [
    { key: 'batches_per_s', label: 'batches', cls: 's2' }] },
];

const state = {
  endpoints: null,
  underlying: 'NIFTY',
  expiry: '',
  nearest: '',
  expiries: [],
  expiriesFor: '',
  expiriesAt: 0,
  windowSeconds: 300,
  range: 15,
  chainVersion: 0,
  scrollToAtm: true,
};

const $ = (id) => document.getElementById(id);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function svgEl(tag, attributes) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);
const fixed = (v, digits) => (isNumber(v) ? v.toFixed(digits) : '—');
const grouped = (v, digits = 0) => (isNumber(v)
  ? v.toLocaleString('en-IN', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '—');
const compact = (v) => (isNumber(v)
  ? v.toLocaleString('en-US', { notation: 'compact', maximumFractionDigits: 2 }) : '—');
const clock = (ms) => new Date(ms).toLocaleTimeString('en-GB', { hour12: false });

function ago(ms) {
  if (!isNumber(ms)) return '—';
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  return `${Math.floor(seconds / 3600)} h ago`;
}

async function getJson(path) {
  try {
    const response = await fetch(path, {
      cache: 'no-store', headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    if (!response.ok) {
      let error = `HTTP ${response.status}`;
      try {
        const body = await response.json();
        if (body && typeof body.error === 'string') error = body.error;
      } catch {
        // Not JSON: keep the status.
      }
      return { ok: false, status: response.status, error };
    }
    return { ok: true, status: response.status, data: await response.json() };
  } catch {
    return { ok: false, status: 0, error: 'unreachable' };
  }
}

// Which routes the silo serves, so the page asks only for endpoints that exist (a 404 is a console error).
async function loadEndpoints() {
  const result = await getJson('/api/endpoints');
  if (result.ok && Array.isArray(result.data.endpoints)) state.endpoints = new Set(result.data.endpoints);
}

const has = (route) => state.endpoints !== null && state.endpoints.has(route);

function setState(id, ok, message) {
  const node = $(`state-${id}`);
  node.textContent = ok ? '' : 'unavailable';
  node.title = ok ? '' : message || '';
  node.className = ok ? 'state' : 'state bad';
  const panel = node.closest('.panel');
  if (panel) panel.classList.toggle('stale', !ok);
}

// ---- status: header, KPIs, charts, flushes, errors ------------------------------------------------------------

function renderStatus(result) {
  const connection = $('connection');
  const ids = ['throughput', 'processing', 'e2e', 'batches-chart', 'flushes', 'errors'];
  if (!result.ok) {
    connection.textContent = 'unavailable';
    connection.className = 'badge bad';
    connection.title = result.error;
    ids.forEach((id) => setState(id, false, result.error));
    document.body.classList.add('offline');
    return;
  }

  connection.textContent = 'live';
  connection.className = 'badge ok';
  connection.title = '';
  document.body.classList.remove('offline');
  ids.forEach((id) => setState(id, true));
  const { silo_id: siloId, samples } = result.data;
  $('silo-id').textContent = siloId;
  document.title = `${siloId} — ticker dashboard`;
  if (!Array.isArray(samples) || samples.length === 0) {
    $('updated').textContent = 'no samples yet';
    return;
  }

  const last = samples[samples.length - 1];
  $('updated').textContent = clock(last.at);
  $('updated').dataset.at = String(last.at);
  renderKpis(samples, last);
  const windowed = samples.filter((s) => s.at >= last.at - state.windowSeconds * 1000);
  for (const chart of CHARTS) drawChart(chart, windowed, last.at);
  renderFlushes(last);
  renderErrors(samples, last);
}

function minuteAgo(samples, last) {
  for (const s of samples) if (s.at >= last.at - 60000) return s;
  return samples[0];
}

function renderKpis(samples, last) {
  const first = minuteAgo(samples, last);
  const batches = last.batches_flushed - first.batches_flushed;
  const snapshots = samples.filter((s) => s.at > first.at).reduce((sum, s) => sum + s.snapshots_per_s, 0);
  $('kpi-ticks').textContent = grouped(last.ticks_per_s);
  $('kpi-options').textContent = `${grouped(last.option_ticks_per_s)} options`;
  $('kpi-snapshots').textContent = grouped(last.snapshots_per_s);
  $('kpi-batch-size').textContent = batches > 0 ? `${(snapshots / batches).toFixed(1)} per batch (1 min)` : '— per batch';
  $('kpi-batches').textContent = grouped(last.batches_per_s, 1);
  $('kpi-batches-total').textContent = `${grouped(last.batches_flushed)} in all`;
  $('kpi-processing').textContent = `${fixed(last.processing_p50_us, 1)} / ${fixed(last.processing_p99_us, 1)} µs`;
  $('kpi-e2e').textContent = `${fixed(last.e2e_p50_ms, 2)} / ${fixed(last.e2e_p99_ms, 2)} ms`;
  $('kpi-grains').textContent = grouped(last.active_grains);
  $('kpi-total').textContent = `${grouped(last.total_ticks)} ticks in all`;
  const errors = last.invalid_ticks + last.processing_errors;
  $('kpi-errors').textContent = grouped(errors);
  $('kpi-errors').classList.toggle('bad', errors > 0);
}

// A step of 1, 2 or 5 × 10^k that splits [0, max] into about four parts.
function niceStep(max) {
  const raw = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].find((m) => m * magnitude >= raw) * magnitude;
}

function drawChart(chart, samples, lastAt) {
  const svg = $(`chart-${chart.id}`);
  // Draw in the element's own pixels, so text and lines are never stretched.
  const width = svg.clientWidth || 600;
  const height = svg.clientHeight || 150;
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const left = 52;
  const right = 8;
  const top = 8;
  const bottom = 20;
  const span = state.windowSeconds * 1000;
  const x = (at) => left + ((at - (lastAt - span)) / span) * (width - left - right);

  let max = 0;
  for (const s of samples) for (const series of chart.series) if (isNumber(s[series.key])) max = Math.max(max, s[series.key]);
  const step = niceStep(max > 0 ? max : 1);
  const yMax = Math.max(step, Math.ceil(max / step) * step);
  const y = (v) => top + (1 - v / yMax) * (height - top - bottom);

  const nodes = [];
  for (let v = 0; v <= yMax + step / 2; v += step) {
    nodes.push(svgEl('line', { x1: left, x2: width - right, y1: y(v), y2: y(v), class: 'gridline' }));
    const label = svgEl('text', { x: left - 6, y: y(v) + 4, class: 'axis', 'text-anchor': 'end' });
    label.textContent = compact(v);
    nodes.push(label);
  }
  const tickSeconds = state.windowSeconds <= 60 ? 15 : 60;
  for (let t = 0; t <= state.windowSeconds; t += tickSeconds) {
    const label = svgEl('text', { x: x(lastAt - t * 1000), y: height - 4, class: 'axis', 'text-anchor': t === 0 ? 'end' : 'middle' });
    label.textContent = t === 0 ? 'now' : (tickSeconds < 60 ? `−${t}s` : `−${t / 60}m`);
    nodes.push(label);
  }
  for (const series of chart.series) {
    const points = samples.filter((s) => isNumber(s[series.key]))
      .map((s) => `${x(s.at).toFixed(1)},${y(s[series.key]).toFixed(1)}`);
    if (points.length > 0) nodes.push(svgEl('polyline', { points: points.join(' '), class: `line ${series.cls}` }));
  }
  svg.replaceChildren(...nodes);
  svg.dataset.points = String(samples.length);
  svg.dataset.last = String(lastAt);

  const last = samples[samples.length - 1];
  $(`legend-${chart.id}`).replaceChildren(...chart.series.map((series) => {
    const item = el('li');
    item.append(el('span', `swatch ${series.cls}`), el('span', null, series.label),
      el('strong', null, `${chart.digits === 0 ? grouped(last[series.key]) : fixed(last[series.key], chart.digits)} ${chart.unit}`));
    return item;
  }));
}

function renderFlushes(last) {
  const counts = FLUSH_REASONS.map((reason) => (last.flushes_by_reason || {})[reason] || 0);
  const total = counts.reduce((a, b) => a + b, 0);
  $('flushes').replaceChildren(...FLUSH_REASONS.map((reason, i) => {
    const row = el('div', 'bar-row');
    row.dataset.reason = reason;
    const track = el('div', 'bar-track');
    const fill = el('div', `bar-fill r-${reason}`);
    fill.style.width = `${total > 0 ? (100 * counts[i]) / total : 0}%`;
    track.append(fill);
    row.append(el('span', 'bar-label', reason), track,
      el('span', 'num', grouped(counts[i])), el('span', 'num dim', total > 0 ? `${((100 * counts[i]) / total).toFixed(1)}%` : '—'));
    return row;
  }));
}

function renderErrors(samples, last) {
  const first = minuteAgo(samples, last);
  const rows = [
    ['validation (dropped ticks)', last.invalid_ticks, last.invalid_ticks - first.invalid_ticks],
    ['processing', last.processing_errors, last.processing_errors - first.processing_errors],
  ];
  const seen = last.total_ticks + last.invalid_ticks;
  $('errors').tBodies[0].replaceChildren(...rows.map(([kind, total, recent]) => {
    const row = el('tr', recent > 0 ? 'bad' : (total > 0 ? 'warn' : null));
    row.append(el('td', null, kind), el('td', 'num', grouped(total)), el('td', 'num', grouped(recent)),
      el('td', 'num', seen > 0 ? `${((100 * total) / seen).toFixed(3)}%` : '—'));
    return row;
  }));
}

// ---- cluster ----------------------------------------------------------------------------------------------------

function renderCluster(cluster, status) {
  let silos;
  let owners;
  let source;
  if (cluster && cluster.ok && Array.isArray(cluster.data.silos)) {
    silos = cluster.data.silos;
    owners = Array.isArray(cluster.data.queues) ? cluster.data.queues : [];
    source = `${silos.length} silo${silos.length === 1 ? '' : 's'} in the cluster`;
  } else if (status.ok) {
    const shards = Array.from({ length: status.data.shards }, (_, i) => i);
    silos = [{ silo_id: status.data.silo_id, address: window.location.host, last_heartbeat_ms: null, queues: shards }];
    owners = shards.map((queue) => ({ queue, owner: status.data.silo_id }));
    source = cluster ? `cluster view unavailable (${cluster.error}); showing this silo` : 'single silo (no cluster table)';
  } else {
    setState('cluster', false, status.error);
    return;
  }

  setState('cluster', true);
  $('cluster-source').textContent = source;
  const palette = new Map(silos.map((silo, i) => [silo.silo_id, i % 6]));
  $('silos').tBodies[0].replaceChildren(...silos.map((silo) => {
    const row = el('tr');
    const name = el('td', 'wrap');
    name.append(el('span', `swatch owner-${palette.get(silo.silo_id)}`), el('span', null, silo.silo_id));
    row.append(name, el('td', 'wrap', silo.address || '—'), el('td', null, heartbeat(silo.last_heartbeat_ms)),
      el('td', 'num', Array.isArray(silo.queues) ? silo.queues.length : '—'));
    return row;
  }));
  $('shards').replaceChildren(...owners.map(({ queue, owner }) => {
    const box = el('span', palette.has(owner) ? `shard owner-${palette.get(owner)}` : 'shard unowned', queue);
    box.title = owner ? `queue ${queue}: ${owner}` : `queue ${queue}: nobody reads it`;
    box.dataset.shard = String(queue);
    return box;
  }));
}

// last_heartbeat_ms: a Unix time in ms, or an age in ms when small.
function heartbeat(value) {
  if (!isNumber(value)) return 'this page';
  return ago(value > 1e12 ? Date.now() - value : value);
}

// ---- accounts ---------------------------------------------------------------------------------------------------

function renderAccounts(result) {
  if (!result.ok) {
    setState('accounts', false, result.error);
    return;
  }
  setState('accounts', true);
  const accounts = Array.isArray(result.data.accounts) ? result.data.accounts : [];
  const body = $('accounts').tBodies[0];
  if (accounts.length === 0) {
    const row = el('tr');
    const cell = el('td', 'dim', 'no accounts');
    cell.colSpan = 8;
    row.append(cell);
    body.replaceChildren(row);
    return;
  }
  body.replaceChildren(...accounts.map((a) => {
    // The silo holding the account's lease; none while it changes hands or when nobody may stream it.
    const silo = typeof a.silo === 'string' ? el('td', 'wrap', a.silo) : el('td', 'dim', 'none');
    if (typeof a.silo_address === 'string') silo.title = a.silo_address;
    const row = el('tr', a.active ? null : 'warn');
    row.append(el('td', 'wrap', a.account_id), el('td', a.active ? 'good' : 'bad', a.active ? 'active' : 'inactive'), silo,
      el('td', 'num', `${a.connected}/${a.connections}`), el('td', 'num', grouped(a.instruments)),
      el('td', 'num', grouped(a.ticks)), el('td', 'num', grouped(a.reconnects)),
      el('td', 'num', a.last_tick_us > 0 ? ago(Date.now() - a.last_tick_us / 1000) : 'never'));
    return row;
  }));
}

// ---- option chain -----------------------------------------------------------------------------------------------

async function loadChain() {
  const version = state.chainVersion;
  const stale = state.expiriesFor !== state.underlying || Date.now() - state.expiriesAt > EXPIRIES_REFRESH_MS;
  if (stale && has('/api/expiries/{underlying}')) {
    const result = await getJson(`/api/expiries/${encodeURIComponent(state.underlying)}`);
    if (result.ok && version === state.chainVersion) {
      state.expiries = result.data.expiries;
      state.nearest = result.data.nearest;
      state.expiriesFor = state.underlying;
      state.expiriesAt = Date.now();
      if (state.expiry && !state.expiries.includes(state.expiry)) state.expiry = '';
      fillExpiries();
    }
  }
  const query = state.expiry ? `?expiry=${encodeURIComponent(state.expiry)}` : '';
  const result = await getJson(`/api/chain/${encodeURIComponent(state.underlying)}${query}`);
  return { version, result };
}

function fillExpiries() {
  const select = $('expiry');
  select.replaceChildren(...state.expiries.map((expiry) => {
    const option = el('option', null, expiry === state.nearest ? `${expiry} (nearest)` : expiry);
    option.value = expiry;
    return option;
  }));
  select.value = state.expiry || state.nearest;
}

function renderChain({ version, result }) {
  if (version !== state.chainVersion) return;
  if (!result.ok) {
    setState('chain', false, result.error);
    return;
  }
  setState('chain', true);
  const chain = result.data;
  const strikes = Array.isArray(chain.strikes) ? chain.strikes : [];
  const spot = chain.underlying_price;
  let atm = -1;
  if (isNumber(spot)) {
    strikes.forEach((row, i) => {
      if (atm < 0 || Math.abs(row.strike - spot) < Math.abs(strikes[atm].strike - spot)) atm = i;
    });
  }
  const centre = atm >= 0 ? atm : Math.floor(strikes.length / 2);
  const shown = state.range > 0 ? strikes.slice(Math.max(0, centre - state.range), centre + state.range + 1) : strikes;

  $('chain-underlying').textContent = chain.underlying;
  $('chain-spot').textContent = grouped(spot, 2);
  $('chain-expiry').textContent = chain.expiry;
  $('chain-atm').textContent = atm >= 0 ? grouped(strikes[atm].strike) : '—';
  $('chain-count').textContent = `${shown.length} of ${strikes.length} strikes`;
  $('chain-updated').textContent = clock(Date.now());
  if (state.expiries.length === 0 && !$('expiry').options.length) {
    state.nearest = chain.expiry;
    state.expiries = [chain.expiry];
    fillExpiries();
  }

  const atmStrike = atm >= 0 ? strikes[atm].strike : null;
  const body = $('chain').tBodies[0];
  body.replaceChildren(...shown.map((row) => {
    const tr = el('tr', row.strike === atmStrike ? 'atm' : null);
    tr.dataset.strike = String(row.strike);
    const callItm = isNumber(spot) && row.strike < spot;
    const putItm = isNumber(spot) && row.strike > spot;
    tr.append(...SIDE_FIELDS.map((f) => sideCell(row.call, 'call', f, callItm)));
    tr.append(el('td', 'strike', grouped(row.strike)));
    tr.append(...SIDE_FIELDS.slice().reverse().map((f) => sideCell(row.put, 'put', f, putItm)));
    return tr;
  }));
  if (state.scrollToAtm) {
    state.scrollToAtm = false;
    // Centre the ATM row in the table's own scroll box (scrollIntoView would scroll the whole page too).
    const atmRow = body.querySelector('tr.atm');
    const box = $('chain').parentElement;
    if (atmRow) box.scrollTop = atmRow.offsetTop - (box.clientHeight - atmRow.offsetHeight) / 2;
  }
}

function sideCell(side, name, field, itm) {
  const cell = el('td', itm ? 'num itm' : 'num', formatField(side, field));
  cell.dataset.field = `${name}.${field}`;
  if (side && field === 'iv' && side.iv_status !== 'ok') cell.title = `IV ${side.iv_status}`;
  if (side && field === 'last_price') cell.title = side.tradingsymbol || '';
  return cell;
}

function formatField(side, field) {
  if (!side) return '·';
  const v = side[field];
  switch (field) {
    case 'oi': return grouped(v);
    case 'iv': return isNumber(v) ? (v * 100).toFixed(2) : '—';
    case 'delta': return fixed(v, 3);
    case 'gamma': return fixed(v, 5);
    default: return fixed(v, 2);
  }
}

function chainChanged() {
  state.chainVersion += 1;
  state.scrollToAtm = true;
  refreshChain();
}

async function refreshChain() {
  renderChain(await loadChain());
}

// ---- the loop ---------------------------------------------------------------------------------------------------

async function poll() {
  const started = performance.now();
  try {
    if (state.endpoints === null) await loadEndpoints();
    const [status, cluster, accounts, chain] = await Promise.all([
      getJson('/api/status'),
      has('/api/cluster') ? getJson('/api/cluster') : Promise.resolve(null),
      getJson('/api/accounts'),
      loadChain(),
    ]);
    renderStatus(status);
    renderCluster(cluster, status);
    renderAccounts(accounts);
    renderChain(chain);
  } catch (error) {
    // A bug in rendering must not stop the page; report it once per poll.
    console.error('dashboard: render failed', error);
  } finally {
    setTimeout(poll, Math.max(100, POLL_MS - (performance.now() - started)));
  }
}

function start() {
  $('window').addEventListener('change', (e) => { state.windowSeconds = Number(e.target.value); });
  $('range').addEventListener('change', (e) => { state.range = Number(e.target.value); chainChanged(); });
  $('underlying').addEventListener('change', (e) => {
    state.underlying = e.target.value;
    state.expiry = '';
    state.expiries = [];
    $('expiry').replaceChildren();
    chainChanged();
  });
  $('expiry').addEventListener('change', (e) => {
    state.expiry = e.target.value === state.nearest ? '' : e.target.value;
    chainChanged();
  });
  poll();
}

document.addEventListener('DOMContentLoaded', start);
