// Painel: the admins' live dashboard. Plain browser JavaScript, no framework, no build step.
// Signs in against Cognito (USER_PASSWORD_AUTH), opens the painel WebSocket with the ID token, asks for a
// snapshot, then follows every event live; it reconnects by itself when the connection drops.
'use strict';

const STATUSES = ['RECEIVED', 'PROCESSING', 'COMPLETED', 'REJECTED', 'CANCELLED'];
const LABELS = {
  RECEIVED: 'Recebidos',
  PROCESSING: 'Em processamento',
  COMPLETED: 'Concluídos',
  REJECTED: 'Rejeitados',
  CANCELLED: 'Cancelados',
};
const RANK = { RECEIVED: 0, PROCESSING: 1, COMPLETED: 2, REJECTED: 2, CANCELLED: 2 };
const STATUS_OF_EVENT = {
  OrderPlaced: 'RECEIVED',
  OrderProcessing: 'PROCESSING',
  OrderCompleted: 'COMPLETED',
  OrderRejected: 'REJECTED',
  OrderCancelled: 'CANCELLED',
};

const state = {
  config: null,
  socket: null,
  retry: 0,
  orders: new Map(), // orderId → { orderId, status, placedAt, updatedAt, total }
  alerts: new Map(), // productId → alert
  perMinute: { endMinute: 0, counts: new Array(60).fill(0) },
  feed: [],
  selectedOrder: null,
  timeline: [],
  trace: { orderId: null, spans: [], truncated: false },
  view: 'live',
  ops: { queues: [], stuck: [], stuckMinutes: 15, partners: [], at: null, result: '' },
};

const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c ?? '')));
  return node;
};
const money = (cents) =>
  typeof cents === 'number' ? `R$ ${(cents / 100).toFixed(2).replace('.', ',')}` : '—';
const time = (iso) => (iso ? new Date(iso).toLocaleTimeString('pt-BR') : '');

// ---- Cognito -------------------------------------------------------------------------------------------
// The pool's issuer is `<endpoint>/<poolId>`: the same on AWS and on the local cloud's Cognito.
function cognitoEndpoint() {
  return state.config.cognitoIssuer.replace(/\/[^/]+\/?$/, '/');
}

async function cognito(action, body) {
  const res = await fetch(cognitoEndpoint(), {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `AWSCognitoIdentityProviderService.${action}`,
    },
    body: JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(json.message || json.__type || `HTTP ${res.status}`);
  return json;
}

function tokenClaims(token) {
  try {
    return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
  } catch {
    return {};
  }
}

async function signIn(email, password) {
  const res = await cognito('InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: state.config.clientId,
    AuthParameters: { USERNAME: email, PASSWORD: password },
  });
  if (!res.AuthenticationResult) throw new Error('Esta conta precisa concluir um desafio de login.');
  const groups = tokenClaims(res.AuthenticationResult.IdToken)['cognito:groups'] || [];
  if (!groups.includes('admins')) throw new Error('Somente administradores podem abrir o painel.');
  sessionStorage.setItem('painel.idToken', res.AuthenticationResult.IdToken);
  sessionStorage.setItem('painel.refreshToken', res.AuthenticationResult.RefreshToken || '');
}

/** A valid ID token: the stored one, refreshed when it is about to expire; null when sign-in is needed. */
async function idToken() {
  const token = sessionStorage.getItem('painel.idToken');
  if (token && (tokenClaims(token).exp || 0) * 1000 > Date.now() + 60_000) return token;
  const refresh = sessionStorage.getItem('painel.refreshToken');
  if (!refresh) return null;
  try {
    const res = await cognito('InitiateAuth', {
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: state.config.clientId,
      AuthParameters: { REFRESH_TOKEN: refresh },
    });
    sessionStorage.setItem('painel.idToken', res.AuthenticationResult.IdToken);
    return res.AuthenticationResult.IdToken;
  } catch {
    return null;
  }
}

function signOut() {
  sessionStorage.removeItem('painel.idToken');
  sessionStorage.removeItem('painel.refreshToken');
  if (state.socket) {
    state.socket.onclose = null;
    state.socket.close();
  }
  showSignIn();
}

// ---- WebSocket -----------------------------------------------------------------------------------------
function setConnection(text, on) {
  const badge = $('connection');
  badge.textContent = text;
  badge.className = `status ${on ? 'on' : 'off'}`;
  badge.dataset.state = on ? 'online' : 'offline';
}

async function connect() {
  const token = await idToken();
  if (!token) return showSignIn();
  showDashboard();
  setConnection('conectando…', false);
  const socket = new WebSocket(`${state.config.webSocketUrl}?token=${encodeURIComponent(token)}`);
  state.socket = socket;
  let opened = false;
  socket.onopen = () => {
    opened = true;
    state.retry = 0;
    setConnection('ao vivo', true);
    socket.send(JSON.stringify({ action: 'snapshot' }));
    if (state.selectedOrder) {
      socket.send(JSON.stringify({ action: 'timeline', orderId: state.selectedOrder }));
      socket.send(JSON.stringify({ action: 'trace', orderId: state.selectedOrder }));
    }
    if (state.view === 'operations') refreshOperations();
  };
  socket.onmessage = (message) => {
    try {
      onMessage(JSON.parse(message.data));
    } catch (error) {
      console.error('Bad message', error);
    }
  };
  socket.onclose = () => {
    if (state.socket !== socket) return;
    // Refused before opening: the token may have expired; drop it so the next try refreshes it.
    if (!opened) sessionStorage.removeItem('painel.idToken');
    const delay = Math.min(15_000, 500 * 2 ** state.retry++);
    setConnection(`reconectando em ${Math.round(delay / 1000)} s`, false);
    setTimeout(connect, delay);
  };
}

// ---- State -----------------------------------------------------------------------------------------------
function currentMinute() {
  return Math.floor(Date.now() / 60_000);
}

function shiftPerMinute() {
  const now = currentMinute();
  const shift = now - state.perMinute.endMinute;
  if (shift > 0) {
    state.perMinute.counts = state.perMinute.counts
      .slice(Math.min(shift, 60))
      .concat(new Array(Math.min(shift, 60)).fill(0));
    state.perMinute.endMinute = now;
  }
}

function applyStatus(orderId, status, at, extra = {}) {
  const current = state.orders.get(orderId);
  if (current && RANK[current.status] >= RANK[status]) {
    state.orders.set(orderId, { ...current, ...extra, placedAt: current.placedAt || extra.placedAt });
    return;
  }
  state.orders.set(orderId, { ...(current || { orderId }), ...extra, status, updatedAt: at });
}

function onEvent(event) {
  state.feed.unshift(event);
  state.feed.length = Math.min(state.feed.length, 200);
  const data = event.data || {};
  const status = STATUS_OF_EVENT[event.type];
  if (status && data.orderId) {
    const extra = {};
    if (event.type === 'OrderPlaced') {
      extra.placedAt = event.occurredAt;
      shiftPerMinute();
      const age = currentMinute() - Math.floor(Date.parse(event.occurredAt) / 60_000);
      if (age >= 0 && age < 60) state.perMinute.counts[59 - age] += 1;
    }
    if (typeof data.total === 'number') extra.total = data.total;
    applyStatus(data.orderId, status, event.occurredAt, extra);
  }
  if (
    (event.type === 'ProductCreated' || event.type === 'ProductUpdated') &&
    typeof data.available === 'number'
  ) {
    if (data.available <= state.config.lowStockThreshold)
      state.alerts.set(data.productId, {
        productId: data.productId,
        sku: data.sku,
        name: data.name,
        available: data.available,
        reason: 'low-stock',
      });
    else state.alerts.delete(data.productId);
  }
  if (event.type === 'StockReserved')
    for (const item of data.items || [])
      if (typeof item.availableAfter === 'number' && item.availableAfter <= state.config.lowStockThreshold)
        state.alerts.set(item.productId, {
          ...state.alerts.get(item.productId),
          productId: item.productId,
          available: item.availableAfter,
          reason: 'low-stock',
        });
  if (event.type === 'StockReservationFailed')
    for (const u of data.unavailable || [])
      state.alerts.set(u.productId, {
        productId: u.productId,
        available: u.available,
        reason: 'reservation-failed',
      });
  if (data.orderId && data.orderId === state.selectedOrder) state.timeline.push(event);
}

function onMessage(message) {
  if (message.type === 'snapshot') {
    state.orders = new Map(message.recentOrders.map((o) => [o.orderId, o]));
    state.alerts = new Map(message.stockAlerts.map((a) => [a.productId, a]));
    state.perMinute = {
      endMinute: Math.floor(Date.parse(message.at) / 60_000),
      counts: message.ordersPerMinute,
    };
    state.feed = message.recentEvents.slice();
  } else if (message.type === 'timeline') {
    if (message.orderId === state.selectedOrder) state.timeline = message.events;
  } else if (message.type === 'trace') {
    if (message.orderId === state.selectedOrder)
      state.trace = { orderId: message.orderId, spans: message.spans, truncated: message.truncated };
  } else if (message.type === 'ops.queues') {
    state.ops.queues = message.queues;
    state.ops.at = message.at;
  } else if (message.type === 'ops.stuck') {
    state.ops.stuck = message.orders;
    state.ops.stuckMinutes = message.olderThanMinutes;
  } else if (message.type === 'ops.partners') {
    state.ops.partners = message.partners;
  } else if (message.type === 'ops.replayed') {
    const failed = message.results.filter((r) => r.error).map((r) => `${r.service}: ${r.error}`);
    state.ops.result =
      `${message.replayed} evento(s) reenviado(s) para ${message.orderId}` +
      (failed.length ? ` (falhou: ${failed.join('; ')})` : '');
  } else if (message.type === 'ops.redriven') {
    state.ops.result = `${message.moved} mensagem(ns) devolvida(s) para ${shortName(message.source.split('/').pop())}`;
    refreshOperations();
  } else if (message.type === 'error' || message.type === 'subscribed') {
    console.info('painel', message);
    if (message.type === 'error' && state.view === 'operations') state.ops.result = message.message;
    else return;
  } else if (message.type && message.occurredAt) {
    onEvent(message);
  }
  render();
}

// ---- Rendering -----------------------------------------------------------------------------------------
function render() {
  shiftPerMinute();
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0]));
  const dayAgo = Date.now() - 24 * 3600_000;
  for (const o of state.orders.values())
    if (!o.placedAt || Date.parse(o.placedAt) >= dayAgo) counts[o.status] += 1;
  $('status-counts').replaceChildren(
    ...STATUSES.map((s) => el('div', { class: 'card', 'data-status': s }, LABELS[s], el('b', {}, counts[s]))),
  );

  const svg = $('per-minute');
  const max = Math.max(1, ...state.perMinute.counts);
  svg.replaceChildren(
    ...state.perMinute.counts.map((n, i) => {
      const rect = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
      const h = (n / max) * 76;
      rect.setAttribute('x', String(i * 10 + 1));
      rect.setAttribute('y', String(80 - h));
      rect.setAttribute('width', '8');
      rect.setAttribute('height', String(h));
      rect.appendChild(document.createElementNS('http://www.w3.org/2000/svg', 'title')).textContent =
        `${n} pedido(s)`;
      return rect;
    }),
  );

  const orders = [...state.orders.values()].sort((a, b) =>
    (b.placedAt || b.updatedAt || '').localeCompare(a.placedAt || a.updatedAt || ''),
  );
  $('orders').tBodies[0].replaceChildren(
    ...orders.slice(0, 100).map((o) => {
      const row = el(
        'tr',
        { 'data-order-id': o.orderId },
        el('td', {}, o.orderId),
        el('td', {}, el('span', { class: `badge ${o.status}`, 'data-status': o.status }, o.status)),
        el('td', {}, money(o.total)),
        el('td', {}, time(o.updatedAt)),
      );
      row.addEventListener('click', () => selectOrder(o.orderId));
      return row;
    }),
  );

  $('alerts').replaceChildren(
    ...(state.alerts.size
      ? [...state.alerts.values()].map((a) =>
          el(
            'li',
            { 'data-product-id': a.productId },
            `${a.name || a.productId}: ${a.available} disponível(is)`,
            a.reason === 'reservation-failed' ? ' (reserva falhou)' : '',
          ),
        )
      : [el('li', {}, 'Nenhum alerta')]),
  );

  $('timeline-order').textContent = state.selectedOrder || '(clique num pedido)';
  $('timeline').replaceChildren(
    ...state.timeline.map((e) => el('li', {}, `${time(e.occurredAt)} ${e.type}`)),
  );
  renderTrace();

  renderOperations();

  $('feed').replaceChildren(
    ...state.feed
      .slice(0, 50)
      .map((e) =>
        el(
          'li',
          { 'data-type': e.type },
          `${time(e.occurredAt)} ${e.type}${e.data && e.data.orderId ? ` · ${e.data.orderId}` : ''}`,
        ),
      ),
  );
}

// ---- Operations ----------------------------------------------------------------------------------------
function send(message) {
  if (state.socket && state.socket.readyState === WebSocket.OPEN) state.socket.send(JSON.stringify(message));
}

function refreshOperations() {
  send({ action: 'ops.queues' });
  send({ action: 'ops.stuck', olderThanMinutes: state.ops.stuckMinutes });
  send({ action: 'ops.partners' });
}

function replayOrder(orderId) {
  state.ops.result = 'reenviando…';
  send({ action: 'ops.replay', orderId });
  render();
}

function redrive(queue, messageId) {
  state.ops.result = 'devolvendo…';
  send({ action: 'ops.redrive', queue, ...(messageId ? { messageId } : {}) });
  render();
}

const age = (seconds) =>
  seconds >= 3600
    ? `${Math.floor(seconds / 3600)} h`
    : seconds >= 60
      ? `${Math.floor(seconds / 60)} min`
      : `${seconds} s`;

function renderOperations() {
  $('ops-at').textContent = state.ops.at ? `lido às ${time(state.ops.at)}` : '';
  $('ops-result').textContent = state.ops.result;
  $('dlqs').tBodies[0].replaceChildren(
    ...state.ops.queues.map((q) => {
      const all = el('button', { type: 'button', class: 'redrive-all' }, 'Devolver todas');
      all.disabled = !q.source || q.depth === 0;
      all.title = q.source
        ? `para ${shortName(q.source.split('/').pop())}`
        : 'sem fila de origem: use o outbox:replay';
      all.addEventListener('click', () => redrive(q.name));
      return el(
        'tr',
        { 'data-queue': q.name, 'data-depth': String(q.depth) },
        el('td', {}, q.service),
        el('td', { title: q.name }, shortName(q.name)),
        el('td', {}, q.depth),
        el('td', {}, q.depth ? age(q.oldestAgeSeconds) : '—'),
        el(
          'td',
          {},
          el('span', { class: `badge ${q.alarm === 'ALARM' ? 'REJECTED' : 'COMPLETED'}` }, q.alarm),
        ),
        el('td', {}, all),
      );
    }),
  );
  $('dlq-messages').replaceChildren(
    ...state.ops.queues.flatMap((q) =>
      q.messages.map((m) => {
        const one = el('button', { type: 'button', class: 'redrive-one' }, 'Devolver');
        one.disabled = !q.source;
        one.addEventListener('click', () => redrive(q.name, m.messageId));
        const order = m.orderId ? el('a', { href: '#', class: 'order-link' }, m.orderId) : '';
        if (order)
          order.addEventListener(
            'click',
            (e) => (e.preventDefault(), showView('live'), selectOrder(m.orderId)),
          );
        return el(
          'li',
          { 'data-message-id': m.messageId, 'data-queue': q.name },
          `${shortName(q.name)} · ${m.eventType} · `,
          order,
          m.reference ? ` ${m.reference}` : '',
          ` · ${m.lastError} · ${time(m.sentAt)} `,
          one,
        );
      }),
    ),
  );
  $('stuck-minutes').textContent = state.ops.stuckMinutes;
  $('stuck').replaceChildren(
    ...(state.ops.stuck.length
      ? state.ops.stuck.map((o) => {
          const link = el('a', { href: '#', class: 'order-link' }, o.orderId);
          // The order's timeline and X-Ray trace are on the live view.
          link.addEventListener(
            'click',
            (e) => (e.preventDefault(), showView('live'), selectOrder(o.orderId)),
          );
          const again = el('button', { type: 'button', class: 'replay' }, 'Reenviar eventos');
          again.addEventListener('click', () => replayOrder(o.orderId));
          return el(
            'li',
            { 'data-order-id': o.orderId },
            link,
            ` ${o.status} há ${age(o.stuckForSeconds)} `,
            again,
          );
        })
      : [el('li', {}, 'Nenhum pedido parado')]),
  );
  $('partners').tBodies[0].replaceChildren(
    ...state.ops.partners.map((p) =>
      el(
        'tr',
        { 'data-partner-id': p.partnerId },
        el('td', {}, p.partnerId),
        el('td', {}, p.ordersToday),
        el('td', {}, p.completedToday),
        el('td', {}, p.rejectedToday),
        el('td', {}, p.callbackFailures),
        el('td', { class: 'quota' }, p.quota ? `${p.quota.used} / ${p.quota.limit}` : '—'),
      ),
    ),
  );
}

function showView(view) {
  state.view = view;
  $('dashboard-view').hidden = view !== 'live';
  $('operations-view').hidden = view !== 'operations';
  $('tab-live').setAttribute('aria-pressed', String(view === 'live'));
  $('tab-operations').setAttribute('aria-pressed', String(view === 'operations'));
  if (view === 'operations') refreshOperations();
  render();
}

// An order's X-Ray trace as a timeline: one row per segment (function, API stage) and subsegment (each
// AWS call), indented by depth, its bar placed and sized on the order's whole span of time.
function renderTrace() {
  const { spans, orderId, truncated } = state.trace;
  $('trace-refresh').hidden = !state.selectedOrder;
  if (orderId !== state.selectedOrder || !spans.length) {
    $('trace').replaceChildren(
      el('li', {}, state.selectedOrder ? 'Nenhum segmento (ainda) para este pedido' : ''),
    );
    return;
  }
  const start = Math.min(...spans.map((s) => s.start));
  const total = Math.max(0.001, Math.max(...spans.map((s) => s.end)) - start);
  const pct = (n) => `${((n / total) * 100).toFixed(2)}%`;
  $('trace').replaceChildren(
    ...spans.map((s) =>
      el(
        'li',
        {
          class: `span depth-${Math.min(s.depth, 3)}${s.fault ? ' fault' : s.error ? ' error' : ''}`,
          'data-origin': s.origin,
          'data-depth': String(s.depth),
        },
        el(
          'span',
          { class: 'span-name', title: `${s.name} ${s.origin}` },
          `${shortName(s.name)}${s.origin ? ` · ${s.origin.replace(/^AWS::/, '')}` : ''}`,
        ),
        el('span', { class: 'span-time' }, `${Math.round((s.end - s.start) * 1000)} ms`),
        el(
          'span',
          { class: 'span-track' },
          el('span', {
            class: 'span-bar',
            style: `margin-left:${pct(s.start - start)};width:${pct(Math.max(s.end - s.start, total / 500))}`,
          }),
        ),
      ),
    ),
    ...(truncated ? [el('li', {}, '… (mais segmentos)')] : []),
  );
}

// `OrderPlatform-dev-Pedidos-PlaceOrderFunctionF3BF3D1E` → `Pedidos-PlaceOrder`.
const shortName = (name) => name.replace(/^OrderPlatform-[^-]+-/, '').replace(/Function[0-9A-F]{8}$/, '');

function requestTrace(orderId) {
  if (state.socket && state.socket.readyState === WebSocket.OPEN)
    state.socket.send(JSON.stringify({ action: 'trace', orderId }));
}

function selectOrder(orderId) {
  state.selectedOrder = orderId;
  state.timeline = [];
  state.trace = { orderId: null, spans: [], truncated: false };
  render();
  if (state.socket && state.socket.readyState === WebSocket.OPEN)
    state.socket.send(JSON.stringify({ action: 'timeline', orderId }));
  requestTrace(orderId);
}

function showSignIn() {
  $('sign-in-view').hidden = false;
  $('dashboard-view').hidden = true;
  $('operations-view').hidden = true;
  $('tabs').hidden = true;
  $('sign-out').hidden = true;
  setConnection('desconectado', false);
}

function showDashboard() {
  $('sign-in-view').hidden = true;
  $('dashboard-view').hidden = state.view !== 'live';
  $('operations-view').hidden = state.view !== 'operations';
  $('tabs').hidden = false;
  $('sign-out').hidden = false;
}

async function main() {
  state.config = await (await fetch('config.json', { cache: 'no-store' })).json();
  state.config.lowStockThreshold = state.config.lowStockThreshold ?? 10;
  state.perMinute.endMinute = currentMinute();
  $('sign-in').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('sign-in-error').textContent = '';
    try {
      await signIn($('email').value.trim(), $('password').value);
      await connect();
    } catch (error) {
      $('sign-in-error').textContent = error.message;
    }
  });
  $('sign-out').addEventListener('click', signOut);
  $('tab-live').addEventListener('click', () => showView('live'));
  $('tab-operations').addEventListener('click', () => showView('operations'));
  $('ops-refresh').addEventListener('click', refreshOperations);
  $('replay-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const orderId = $('replay-order').value.trim();
    if (orderId) replayOrder(orderId);
  });
  $('trace-refresh').addEventListener(
    'click',
    () => state.selectedOrder && requestTrace(state.selectedOrder),
  );
  render();
  await connect();
}

main().catch((error) => {
  document.body.prepend(el('p', { class: 'error' }, `O painel não carregou: ${error.message}`));
});
