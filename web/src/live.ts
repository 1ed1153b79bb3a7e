// The browser as a trusted device: a WebSocket to /v1/notifications.
// A code request is shown as a sign-in request: first who and where
// (device, app, IP, approximate place on a world map, time) with Allow and
// "This wasn't me"; the code only after Allow. `challenge_resolved`
// replaces the request (moved to email) or clears it (used, denied,
// expired), so no screen shows a dead code; lists on screen are refreshed.
import { Schemas, authed, refresh, store } from './api';
import { h, location, time } from './dom';
import { errorText } from './forms';
import { t } from './i18n';
import { worldMap } from './worldmap';
import { reconnectDelay } from './reconnect';

let socket: WebSocket | null = null;
let attempt = 0;
let stopped = true;

export interface LiveHooks { signedOut: (reason: string) => void; denied: () => void; changed: () => void }

export function startLive(hooks: LiveHooks) {
  stopped = false;
  connect(hooks);
}

export function stopLive() {
  stopped = true;
  socket?.close();
  socket = null;
  hideBanner();
}

function banner(): HTMLElement { return document.getElementById('banner')!; }

function hideBanner() {
  const b = banner();
  b.hidden = true;
  b.replaceChildren();
  shown = null;
  delete b.dataset.challenge;
}

async function connect(hooks: LiveHooks) {
  if (stopped || socket) return;
  if (!store.token && !(await refresh())) return;
  if (stopped || socket) return;
  const ws = new WebSocket((window.location.protocol === 'https:' ? 'wss://' : 'ws://') + window.location.host + '/v1/notifications');
  socket = ws;
  ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token: store.token }));
  ws.onmessage = (ev) => {
    const m = JSON.parse(ev.data) as Schemas['ServerMessage'];
    if (m.type === 'ready') { attempt = 0; showPending(hooks); }
    else if (m.type === 'verification_code') { showRequest(m, hooks); hooks.changed(); }
    else if (m.type === 'challenge_resolved') { resolved(m); hooks.changed(); }
    else if (m.type === 'signed_out') { stopped = true; hooks.signedOut(m.reason); }
    else if (m.type === 'error' && m.code === 'unauthorized') { store.clear(); refresh(); }
  };
  ws.onclose = () => {
    if (socket === ws) socket = null;
    if (stopped) return;
    setTimeout(() => connect(hooks), reconnectDelay(attempt++, Math.random()));
  };
}

function resolved(m: Schemas['ChallengeResolvedMessage']) {
  const b = banner();
  if (b.dataset.challenge !== m.challenge_id) return;
  if (m.outcome !== 'moved_to_email') return hideBanner();
  shown = null;  // the moved notice stays as it is when the language changes
  b.replaceChildren(h('h2', {}, t('web.request.movedTitle')),
    h('p', {}, t('web.request.movedText')),
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: hideBanner }, t('web.request.ok'))));
  b.querySelector('button')?.focus();
}

// After each (re)connect: a request that arrived while this browser was
// away (a server restart, a dropped network) still shows.
async function showPending(hooks: LiveHooks) {
  try {
    const r = await authed<Schemas['VerificationCodeMessage'][]>('GET', '/v1/notifications/pending');
    const newest = r.status === 200 ? r.data[r.data.length - 1] : undefined;
    if (newest && banner().dataset.challenge !== newest.challenge_id)
      showRequest(newest, hooks);
  } catch { /* not a trusted device, or offline again: the live channel still works */ }
}

// The request on screen, to draw it again in another language.
let shown: { m: Schemas['VerificationCodeMessage']; hooks: LiveHooks } | null = null;

export function redrawLive() {
  if (shown && banner().dataset.challenge === shown.m.challenge_id && !banner().hidden) showRequest(shown.m, shown.hooks, false);
}

function showRequest(m: Schemas['VerificationCodeMessage'], hooks: LiveHooks, focus = true) {
  const b = banner();
  shown = { m, hooks };
  const dev = m.requester.device;
  const place = location(m.requester.location);
  b.dataset.challenge = m.challenge_id;
  const status = h('p', { role: 'status', class: 'status' });
  const deny = h('button', { class: 'danger', type: 'button', onclick: async () => {
    try {
      await authed('POST', `/v1/challenges/${m.challenge_id}/deny`);
      hideBanner();
      hooks.denied();
    } catch (e) { status.textContent = errorText(e); }
  } }, t('common.action.deny'));
  const allow = h('button', { class: 'primary', type: 'button', onclick: () => {
    const digits = m.code.split('').join(' ');
    actions.replaceChildren(
      h('p', { class: 'hint' }, t('web.request.enterOn', { device: dev.name })),
      h('p', { class: 'code', 'aria-label': t('web.request.codeLabel', { digits }) }, m.code),
      h('div', { class: 'actions' }, h('button', { type: 'button', onclick: hideBanner }, t('web.request.done')), deny));
    (actions.querySelector('.code') as HTMLElement).tabIndex = -1;
    (actions.querySelector('.code') as HTMLElement).focus();
  } }, t('common.action.allow'));
  const actions = h('div', { class: 'request-actions' },
    h('p', {}, t('web.request.question')),
    h('div', { class: 'actions' }, allow, deny));
  const mapPlaces = m.requester.location ? [{ ...m.requester.location, label: place }] : [];
  b.replaceChildren(
    h('div', { class: 'request' },
      h('div', { class: 'request-text' },
        h('h2', { id: 'request-title' }, t('web.request.title')),
        h('p', {}, t('web.request.someone', { device: dev.name })),
        h('dl', {},
          h('dt', {}, t('web.request.device')), h('dd', {}, t('web.request.deviceValue', { name: dev.name, model: dev.model, os: dev.os })),
          h('dt', {}, t('web.request.app')), h('dd', {}, `${dev.app} ${dev.app_version}`),
          h('dt', {}, t('web.request.ip')), h('dd', {}, m.requester.ip),
          h('dt', {}, t('web.request.near')), h('dd', { class: 'location' }, t('web.request.nearValue', { place })),
          h('dt', {}, t('web.request.time')), h('dd', {}, time(m.requested_at, 'long'))),
        actions, status),
      worldMap(mapPlaces, t('web.request.map', { place }), true)));
  b.hidden = false;
  if (focus) allow.focus();
}
