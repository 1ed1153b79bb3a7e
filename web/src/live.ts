// The browser as a trusted device: a WebSocket to /v1/notifications.
// A code request is shown as a sign-in request: first who and where
// (device, app, IP, approximate place on a world map, time) with Allow and
// "This wasn't me"; the code only after Allow. `challenge_resolved`
// replaces the request (moved to email) or clears it (used, denied,
// expired), so no screen shows a dead code; lists on screen are refreshed.
import { Schemas, authed, refresh, store } from './api';
import { h, location, when } from './dom';
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
  b.replaceChildren(h('h2', {}, 'Sign-in request moved to email'),
    h('p', {}, 'The person signing in asked for the code by email. The code shown here no longer works.'),
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: hideBanner }, 'OK')));
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

function showRequest(m: Schemas['VerificationCodeMessage'], hooks: LiveHooks) {
  const b = banner();
  const dev = m.requester.device;
  const place = location(m.requester.location);
  b.dataset.challenge = m.challenge_id;
  const status = h('p', { role: 'status', class: 'status' });
  const deny = h('button', { class: 'danger', type: 'button', onclick: async () => {
    try {
      await authed('POST', `/v1/challenges/${m.challenge_id}/deny`);
      hideBanner();
      hooks.denied();
    } catch (e) { status.textContent = (e as Error).message; }
  } }, "This wasn't me");
  const allow = h('button', { class: 'primary', type: 'button', onclick: () => {
    const digits = m.code.split('').join(' ');
    actions.replaceChildren(
      h('p', { class: 'hint' }, `Enter this code on ${dev.name}:`),
      h('p', { class: 'code', 'aria-label': 'Verification code ' + digits }, m.code),
      h('div', { class: 'actions' }, h('button', { type: 'button', onclick: hideBanner }, 'Done'), deny));
    (actions.querySelector('.code') as HTMLElement).tabIndex = -1;
    (actions.querySelector('.code') as HTMLElement).focus();
  } }, 'Allow');
  const actions = h('div', { class: 'request-actions' },
    h('p', {}, 'Is this you? Allow shows the code to enter on that device.'),
    h('div', { class: 'actions' }, allow, deny));
  const mapPlaces = m.requester.location ? [{ ...m.requester.location, label: place }] : [];
  b.replaceChildren(
    h('div', { class: 'request' },
      h('div', { class: 'request-text' },
        h('h2', { id: 'request-title' }, 'Sign-in request'),
        h('p', {}, `Someone is signing in to your account on ${dev.name}.`),
        h('dl', {},
          h('dt', {}, 'Device'), h('dd', {}, `${dev.name} (${dev.model}, ${dev.os})`),
          h('dt', {}, 'App'), h('dd', {}, `${dev.app} ${dev.app_version}`),
          h('dt', {}, 'IP address'), h('dd', {}, m.requester.ip),
          h('dt', {}, 'Near'), h('dd', { class: 'location' }, place + ' (approximate)'),
          h('dt', {}, 'Time'), h('dd', {}, when(m.requested_at))),
        actions, status),
      worldMap(mapPlaces, `Map: the request comes from near ${place}`, true)));
  b.hidden = false;
  allow.focus();
}
