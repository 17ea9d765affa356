// Bollard's dashboard: one event stream (GET /v1/events, server-sent events read with fetch so that the token
// travels in the Authorization header, never in an address), state kept in memory, one render per animation frame.
'use strict';

const TOKEN_KEY = 'bollard.token';
const MAX_DECISIONS = 200;
const MAX_POINTS = 60;
const STATE_SYMBOL = { ready: '●', starting: '◌', draining: '↓', unhealthy: '✕', stopped: '■' };

const state = { services: new Map(), replicas: new Map(), hosts: new Map(), decisions: [], traffic: new Map() };
let token = sessionStorage.getItem(TOKEN_KEY);
let lastEventId = null;
let stream = null;
let retryTimer = null;
let renderQueued = false;
// What changed since the last render: the overview updates traffic and replicas in place when that is all.
const dirty = { all: true, services: false, traffic: false, replicas: new Set() };
// Measured by the browser tests: how long each render took.
window.bollardRender = { count: 0, lastMs: 0, maxMs: 0, recentMs: [] };

const $ = (id) => document.getElementById(id);
const esc = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const short = (v) => (v || '').slice(0, 12);
const pct = (x, digits = 1) => `${(x * 100).toFixed(digits)}%`;
const stateClass = (s) => `s-${String(s || 'unknown').toLowerCase().replace(/[^a-z]/g, '')}`;

function setConnection(text) { $('connection').textContent = text; }

// ---- sign-in -------------------------------------------------------------------------------------------------

$('signin-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const value = $('token').value.trim();
  if (!value) return;
  $('signin-error').textContent = '';
  token = value;
  connect(true);
});

$('signout').addEventListener('click', () => signOut(''));

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  token = null;
  lastEventId = null;
  if (stream) stream.abort();
  clearTimeout(retryTimer);
  for (const m of [state.services, state.replicas, state.hosts, state.traffic]) m.clear();
  state.decisions = [];
  $('app').replaceChildren();
  $('app').hidden = true;
  $('nav').hidden = true;
  $('signout').hidden = true;
  $('signin').hidden = false;
  $('signin-error').textContent = message;
  $('token').value = '';
  setConnection('');
}

function signedIn() {
  sessionStorage.setItem(TOKEN_KEY, token);
  $('signin').hidden = true;
  $('app').hidden = false;
  $('nav').hidden = false;
  $('signout').hidden = false;
}

// ---- the event stream ----------------------------------------------------------------------------------------

async function connect(signingIn) {
  clearTimeout(retryTimer);
  if (stream) stream.abort();
  const controller = new AbortController();
  stream = controller;
  const headers = { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' };
  if (lastEventId !== null) headers['Last-Event-ID'] = lastEventId;
  setConnection('connecting…');
  let response;
  try {
    response = await fetch('/v1/events', { headers, signal: controller.signal, cache: 'no-store' });
  } catch (e) {
    if (controller.signal.aborted) return;
    return reconnectLater(signingIn ? 'The agent cannot be reached.' : null);
  }
  if (response.status === 401) {
    signOut(signingIn ? 'The token was not accepted: check the token file and try again.' : 'The token is no longer accepted: sign in again.');
    return;
  }
  if (!response.ok) {
    return reconnectLater(signingIn ? `The agent answered ${response.status}.` : null);
  }
  signedIn();
  setConnection('live');
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        handleFrame(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  } catch (e) {
    if (controller.signal.aborted) return;
  }
  if (!controller.signal.aborted) reconnectLater(null);
}

function reconnectLater(message) {
  if (message) { $('signin-error').textContent = message; }
  setConnection('reconnecting…');
  // One reconnect after a drop, resuming from the last event: not a polling loop.
  retryTimer = setTimeout(() => token && connect(false), 2000);
}

function handleFrame(frame) {
  let id = null, type = 'message', data = '';
  for (const line of frame.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') type = value;
    else if (field === 'data') data += data ? `\n${value}` : value;
  }
  if (!data) return;
  apply(type, JSON.parse(data));
  if (id !== null) lastEventId = id;
  scheduleRender();
}

function apply(type, data) {
  if (type === 'traffic') dirty.traffic = true;
  else if (type === 'replica' || type === 'replica-removed') dirty.replicas.add(data.id);
  else dirty.all = true;
  switch (type) {
    case 'snapshot':
      state.services = new Map(data.services.map((s) => [s.name, s]));
      state.replicas = new Map(data.replicas.map((r) => [r.id, r]));
      state.hosts = new Map(data.hosts.map((h) => [h.name, h]));
      state.decisions = data.decisions.slice(-MAX_DECISIONS);
      state.traffic = new Map(Object.entries(data.traffic || {}));
      break;
    case 'service': state.services.set(data.name, data); break;
    case 'service-removed': state.services.delete(data.name); state.traffic.delete(data.name); break;
    case 'replica': state.replicas.set(data.id, data); break;
    case 'replica-removed': state.replicas.delete(data.id); break;
    case 'host': state.hosts.set(data.name, data); break;
    case 'host-removed': state.hosts.delete(data.name); break;
    case 'decision':
      state.decisions.push(data);
      if (state.decisions.length > MAX_DECISIONS) state.decisions.splice(0, state.decisions.length - MAX_DECISIONS);
      break;
    case 'traffic':
      for (const [service, point] of Object.entries(data)) {
        const points = state.traffic.get(service) || [];
        if (!points.length || points[points.length - 1].at !== point.at) points.push(point);
        if (points.length > MAX_POINTS) points.splice(0, points.length - MAX_POINTS);
        state.traffic.set(service, points);
      }
      break;
  }
}

// ---- rendering -----------------------------------------------------------------------------------------------

window.addEventListener('hashchange', () => { dirty.all = true; scheduleRender(); });

function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    if ($('app').hidden) return;
    const started = performance.now();
    render();
    const ms = performance.now() - started;
    const r = window.bollardRender;
    r.count++; r.lastMs = ms; r.maxMs = Math.max(r.maxMs, ms);
    r.recentMs.push(ms);
    if (r.recentMs.length > 100) r.recentMs.shift();
  });
}

function route() {
  const hash = decodeURIComponent(location.hash.slice(1) || '/');
  const service = hash.match(/^\/service\/(.+)$/);
  if (service) return { page: 'service', name: service[1] };
  if (hash === '/cluster') return { page: 'cluster' };
  return { page: 'overview' };
}

function render() {
  const where = route();
  for (const a of document.querySelectorAll('nav a')) {
    if (a.dataset.page === where.page) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  const changes = { all: dirty.all, traffic: dirty.traffic, replicas: [...dirty.replicas] };
  dirty.all = false; dirty.traffic = false; dirty.replicas.clear();
  if (where.page === 'overview' && !changes.all && $('services') && updateOverviewInPlace(changes)) return;
  const focused = document.activeElement && document.activeElement.id;
  $('app').innerHTML = where.page === 'service' ? servicePage(where.name) : where.page === 'cluster' ? clusterPage() : overviewPage();
  if (focused && $(focused)) $(focused).focus();
}

// Traffic and replica changes on the overview, without rebuilding it: new sparkline points and values, and each
// changed replica's chip. False when the change does not fit in place (a replica added, removed or moved).
function updateOverviewInPlace(changes) {
  const chips = [];
  for (const id of changes.replicas) {
    const r = state.replicas.get(id);
    const li = document.querySelector(`li.replica[data-replica="${CSS.escape(id)}"]`);
    if (!r || !li || li.closest('.host').dataset.host !== r.host) return false;
    chips.push([li, r]);
  }
  if (changes.traffic) {
    for (const row of document.querySelectorAll('#services tbody tr[data-service]')) {
      const points = state.traffic.get(row.dataset.service);
      const now = latest(points);
      for (const cell of row.querySelectorAll('td[data-metric]')) {
        const metric = METRICS[cell.dataset.metric];
        const line = sparkPoints(points, metric.pick);
        const svg = cell.querySelector('svg');
        if (!line) continue;
        let polyline = svg.querySelector('polyline');
        if (!polyline) { polyline = document.createElementNS('http://www.w3.org/2000/svg', 'polyline'); svg.appendChild(polyline); }
        polyline.setAttribute('points', line.coords);
        svg.setAttribute('aria-label', `${metric.label} over the last ${line.count} s, peak ${line.max.toFixed(1)}`);
        cell.querySelector('.value').textContent = now ? metric.text(now) : '–';
      }
    }
  }
  for (const [li, r] of chips) li.outerHTML = chip(r);
  return true;
}

const METRICS = {
  rps: { pick: (p) => p.rps, label: 'requests per second', text: (p) => p.rps.toFixed(1) },
  p95: { pick: (p) => p.p95Ms, label: 'p95 latency', text: (p) => `${p.p95Ms.toFixed(0)} ms` },
  errors: { pick: (p) => p.errorRatio, label: 'error ratio', text: (p) => pct(p.errorRatio) },
};

function sparkPoints(points, pick) {
  if (!points || points.length < 2) return null;
  const values = points.map(pick);
  const max = Math.max(...values, 1e-9);
  const start = MAX_POINTS - values.length;
  return { coords: values.map((v, i) => `${start + i},${(19 - (v / max) * 18).toFixed(1)}`).join(' '), max, count: values.length };
}

function sparkline(points, pick, label, cls = '') {
  const line = sparkPoints(points, pick);
  if (!line) return `<svg class="spark ${cls}" viewBox="0 0 60 20" preserveAspectRatio="none" role="img" aria-label="${esc(label)}: no data yet"></svg>`;
  return `<svg class="spark ${cls}" viewBox="0 0 60 20" preserveAspectRatio="none" role="img" aria-label="${esc(label)} over the last ${line.count} s, peak ${line.max.toFixed(1)}"><polyline points="${line.coords}"/></svg>`;
}

function weightBars(service) {
  const weights = service.weights || [];
  if (!weights.length) return '<span class="muted">unknown</span>';
  return `<div class="weights" data-testid="weights" data-service="${esc(service.name)}">${weights.map((w) => `
    <div class="weight" data-version="${esc(w.version)}" data-weight="${w.percent}">
      <svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"><rect class="track" width="100" height="10"/><rect class="fill" width="${Math.max(0, Math.min(100, w.percent))}" height="10"/></svg>
      <span><code>${esc(short(w.version))}</code> ${esc(w.percent)}%</span>
    </div>`).join('')}</div>`;
}

function latest(points) { return points && points.length ? points[points.length - 1] : null; }

function badge(text) { return `<span class="badge ${stateClass(text)}">${esc(text)}</span>`; }

function overviewPage() {
  const services = [...state.services.values()].sort((a, b) => a.name.localeCompare(b.name));
  const rows = services.map((s) => {
    const points = state.traffic.get(s.name);
    const now = latest(points);
    const rollout = s.rollout && !['Succeeded'].includes(s.rollout.phase) ? ` ${badge(s.rollout.phase === 'RolledBack' ? 'rolled back' : s.rollout.phase.toLowerCase())}` : '';
    return `<tr data-service="${esc(s.name)}">
      <th scope="row"><a href="#/service/${encodeURIComponent(s.name)}">${esc(s.name)}</a></th>
      <td>${badge(s.health)}${rollout}</td>
      <td class="num" data-testid="replica-count">${esc(s.healthyReplicas ?? '?')} / ${esc(s.replicas)}</td>
      <td>${weightBars(s)}</td>
      ${['rps', 'p95', 'errors'].map((m) => `<td class="num${m === 'rps' ? '' : ' wide'}" data-metric="${m}">${sparkline(points, METRICS[m].pick, METRICS[m].label, m === 'errors' ? 'errors' : '')} <span class="value">${now ? METRICS[m].text(now) : '–'}</span></td>`).join('')}
      <td class="num wide">${s.expectedAvailability == null ? '–' : pct(s.expectedAvailability, 4)}</td>
    </tr>`;
  }).join('');
  return `<h1>Services</h1>
    <div class="table-wrap"><table id="services">
      <caption class="muted">${services.length} service(s); traffic through this agent's balancer, one point a second over the last minute</caption>
      <thead><tr><th scope="col">Service</th><th scope="col">Health</th><th scope="col">Healthy / desired</th><th scope="col">Versions and weights</th>
        <th scope="col">Req/s</th><th scope="col" class="wide">p95</th><th scope="col" class="wide">Errors</th><th scope="col" class="wide" title="expected availability">Availability</th></tr></thead>
      <tbody>${rows || '<tr><td colspan="8" class="muted">No service is desired.</td></tr>'}</tbody>
    </table></div>
    <h2>Where replicas run</h2>
    ${zoneGrid([...state.replicas.values()])}`;
}

function zoneGrid(replicas) {
  const zones = new Map();
  for (const h of state.hosts.values()) {
    if (!zones.has(h.zone)) zones.set(h.zone, new Map());
    zones.get(h.zone).set(h.name, { host: h, replicas: [] });
  }
  for (const r of replicas) {
    if (!zones.has(r.zone)) zones.set(r.zone, new Map());
    const hosts = zones.get(r.zone);
    if (!hosts.has(r.host)) hosts.set(r.host, { host: { name: r.host, zone: r.zone, reachable: true, containers: 0 }, replicas: [] });
    hosts.get(r.host).replicas.push(r);
  }
  if (!zones.size) return '<p class="muted">No host observed yet.</p>';
  const zoneNames = [...zones.keys()].sort();
  return `<div class="grid" id="zones">${zoneNames.map((zone) => `
    <section class="card zone" data-zone="${esc(zone)}" aria-label="zone ${esc(zone)}">
      <h3>${esc(zone)}</h3>
      ${[...zones.get(zone).values()].sort((a, b) => a.host.name.localeCompare(b.host.name)).map(({ host, replicas: rs }) => `
        <div class="host" data-host="${esc(host.name)}">
          <header><span>${esc(host.name)}</span>${host.reachable ? '' : badge('unreachable')}</header>
          <ul class="replicas">${rs.sort((a, b) => (a.service + a.id).localeCompare(b.service + b.id)).map(chip).join('') || '<li class="muted">no replica</li>'}
          </ul>
        </div>`).join('')}
    </section>`).join('')}</div>`;
}

function chip(r) {
  return `<li class="replica ${stateClass(r.state)}" data-replica="${esc(r.id)}" data-state="${esc(r.state)}" data-service="${esc(r.service)}" title="${esc(r.service)} ${esc(r.id)}: ${esc(r.state)}, version ${esc(short(r.version))}">` +
    `<span aria-hidden="true">${STATE_SYMBOL[r.state] || '?'}</span> ${esc(r.service)} <code>${esc(r.id.slice(0, 6))}</code> ${esc(r.state)}</li>`;
}

function age(created) {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(created)) / 1000));
  return s < 90 ? `${s} s` : s < 5400 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`;
}

function servicePage(name) {
  const s = state.services.get(name);
  if (!s) return `<p><a href="#/">← Services</a></p><h1>${esc(name)}</h1><p class="muted">No such service in the desired state.</p>`;
  const replicas = [...state.replicas.values()].filter((r) => r.service === name).sort((a, b) => (a.zone + a.id).localeCompare(b.zone + b.id));
  const points = state.traffic.get(name);
  const now = latest(points);
  const versions = now ? now.versions : [];
  const decisions = state.decisions.filter((d) => d.service === name).slice().reverse();
  return `<p><a href="#/">← Services</a></p>
    <h1>${esc(s.name)} ${badge(s.health)}</h1>
    <p class="muted">image <code>${esc(s.image)}</code>, version <code>${esc(short(s.version))}</code>, replicas ${esc(s.healthyReplicas ?? '?')} healthy of ${esc(s.replicas)}${s.expectedAvailability == null ? '' : `, expected availability ${pct(s.expectedAvailability, 4)}`}</p>
    ${rolloutCard(s)}
    <h2>Traffic per version</h2>
    ${weightBars(s)}
    <div class="table-wrap"><table id="versions">
      <thead><tr><th scope="col">Version</th><th scope="col">Req/s</th><th scope="col">p95</th><th scope="col">Errors</th><th scope="col">In flight</th></tr></thead>
      <tbody>${versions.map((v) => `<tr data-version="${esc(v.version)}"><td><code>${esc(short(v.version))}</code></td>
        <td class="num">${sparkline(points, (p) => (p.versions.find((x) => x.version === v.version) || { rps: 0 }).rps, `requests per second of ${short(v.version)}`)} ${v.rps.toFixed(1)}</td>
        <td class="num">${v.p95Ms.toFixed(0)} ms</td><td class="num">${pct(v.errorRatio)}</td><td class="num">${v.inFlight}</td></tr>`).join('') || '<tr><td colspan="5" class="muted">No traffic in the last second.</td></tr>'}</tbody>
    </table></div>
    <h2>Replicas</h2>
    <div class="table-wrap"><table id="replicas">
      <thead><tr><th scope="col">Replica</th><th scope="col">Host</th><th scope="col">Zone</th><th scope="col">Version</th><th scope="col">State</th><th scope="col">Age</th></tr></thead>
      <tbody>${replicas.map((r) => `<tr data-replica="${esc(r.id)}" data-state="${esc(r.state)}"><td><code>${esc(r.id)}</code></td><td>${esc(r.host)}</td><td>${esc(r.zone)}</td>
        <td><code>${esc(short(r.version))}</code></td><td>${badge(r.state)}</td><td class="num">${age(r.created)}</td></tr>`).join('') || '<tr><td colspan="6" class="muted">No replica.</td></tr>'}</tbody>
    </table></div>
    <h2>Decisions</h2>
    <ol class="decisions" id="decisions" aria-live="polite">${decisions.map((d) => `<li data-action="${esc(d.action)}">
      <span class="what">${esc(d.action)}</span>${d.subject ? ` <code>${esc(d.subject)}</code>` : ''} <span class="muted">${esc(new Date(d.at).toLocaleTimeString())}${d.outcome === 'ok' ? '' : ` · ${esc(d.outcome)}`}</span>
      <div class="reason">${esc(d.reason)}</div></li>`).join('') || '<li class="muted">No decision yet.</li>'}</ol>`;
}

function rolloutCard(s) {
  const r = s.rollout;
  if (!r) return '<section class="card" id="rollout"><h2>Rollout</h2><p class="muted">No rollout.</p></section>';
  const phase = r.phase === 'RolledBack' ? 'rolled back' : r.phase.toLowerCase();
  const steps = Array.from({ length: r.totalSteps }, (_, i) => {
    const n = i + 1;
    const cls = n < r.step || (r.phase === 'Succeeded') ? 'done' : n === r.step ? 'current' : '';
    return `<li class="step ${cls}"${n === r.step ? ' aria-current="step"' : ''}>${n}</li>`;
  }).join('');
  const running = !['Succeeded', 'Aborted', 'RolledBack'].includes(r.phase);
  const analyses = state.decisions.filter((d) => d.service === s.name && d.subject === r.toVersion && /analysis|rolling back/.test(d.action + ' ' + d.reason));
  const button = (command, enabled) => `<button type="button" id="cmd-${command}" data-command="${command}" data-service="${esc(s.name)}"${enabled ? '' : ' disabled'}>${command[0].toUpperCase()}${command.slice(1)}</button>`;
  return `<section class="card" id="rollout" data-phase="${esc(r.phase)}">
    <h2>Rollout ${badge(phase)}</h2>
    <p>${esc(r.strategy)} from <code>${esc(short(r.fromVersion))}</code> to <code>${esc(short(r.toVersion))}</code>, step <span id="rollout-step">${r.step}</span> of ${r.totalSteps}</p>
    <ol class="steps" aria-label="steps">${steps}</ol>
    <p id="rollout-message">${esc(r.message || '')}</p>
    <h3>Analysis</h3>
    <ul class="analysis" id="analysis">${analyses.map((d) => `<li><span class="badge ${d.outcome === 'Fail' || /failed/.test(d.reason) ? 's-unhealthy' : 's-ready'}">${esc(d.outcome === 'ok' ? d.action : d.outcome)}</span> ${esc(new Date(d.at).toLocaleTimeString())} ${esc(d.reason)}</li>`).join('') || '<li class="muted">No analysis result yet.</li>'}</ul>
    <div class="actions">${button('pause', running && r.phase !== 'Paused')}${button('resume', r.phase === 'Paused')}${button('promote', running)}${button('abort', running)}${button('undo', !running)}</div>
    <p id="action-result" role="status"></p>
  </section>`;
}

function clusterPage() {
  const hosts = [...state.hosts.values()].sort((a, b) => (a.zone + a.name).localeCompare(b.zone + b.name));
  return `<h1>Hosts</h1>
    <div class="table-wrap"><table id="hosts">
      <thead><tr><th scope="col">Host</th><th scope="col">Zone</th><th scope="col">Reachable</th><th scope="col">Containers</th></tr></thead>
      <tbody>${hosts.map((h) => `<tr data-host="${esc(h.name)}"><td>${esc(h.name)}</td><td>${esc(h.zone)}</td>
        <td>${h.reachable ? badge('ready').replace('>ready<', '>yes<') : `${badge('unreachable')} <span class="muted">${esc(h.why || '')}</span>`}</td><td class="num">${h.containers}</td></tr>`).join('') || '<tr><td colspan="4" class="muted">No host observed yet (this agent does not reconcile).</td></tr>'}</tbody>
    </table></div>`;
}

// ---- rollout commands ----------------------------------------------------------------------------------------

let lastActionResult = '';

document.addEventListener('click', (e) => {
  const button = e.target.closest('button[data-command]');
  if (!button) return;
  const { command, service } = button.dataset;
  const dialog = $('confirm');
  $('confirm-text').textContent = `${command[0].toUpperCase()}${command.slice(1)} the rollout of ${service}?`;
  dialog.returnValue = '';
  dialog.onclose = () => { if (dialog.returnValue === 'ok') runCommand(service, command); };
  dialog.showModal();
  $('confirm-ok').focus();
});

async function runCommand(service, command) {
  showActionResult(`${command}…`);
  try {
    const response = await fetch(`/v1/services/${encodeURIComponent(service)}/rollout/${command}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'X-Bollard-Actor': 'dashboard' },
    });
    if (response.status === 401) { signOut('The token is no longer accepted: sign in again.'); return; }
    const body = await response.json().catch(() => ({}));
    showActionResult(response.ok ? `${command}: done, the rollout is ${String(body.phase).toLowerCase()}` : `${command} refused: ${body.detail || response.status}`);
  } catch (e) {
    showActionResult(`${command} failed: the agent cannot be reached`);
  }
}

function showActionResult(text) {
  lastActionResult = text;
  const p = $('action-result');
  if (p) p.textContent = text;
}

// Keep the last action's result across renders.
new MutationObserver(() => { const p = $('action-result'); if (p && !p.textContent) p.textContent = lastActionResult; })
  .observe($('app'), { childList: true });

if (token) connect(false);
