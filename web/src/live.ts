// The browser as a trusted device: a WebSocket to /v1/notifications shows
// incoming code requests in a banner with "This wasn't me" (deny), and
// reacts at once when this browser is signed out elsewhere.
import { Schemas, authed, refresh, store } from './api';
import { h, location, when } from './dom';
import { reconnectDelay } from './reconnect';

let socket: WebSocket | null = null;
let attempt = 0;
let stopped = true;

export interface LiveHooks { signedOut: (reason: string) => void; denied: () => void }

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

function hideBanner() {
  const b = document.getElementById('banner')!;
  b.hidden = true;
  b.replaceChildren();
}

async function connect(hooks: LiveHooks) {
  if (stopped || socket) return;
  if (!store.token && !(await refresh())) return;
  const ws = new WebSocket((location_.protocol === 'https:' ? 'wss://' : 'ws://') + location_.host + '/v1/notifications');
  socket = ws;
  ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token: store.token }));
  ws.onmessage = (ev) => {
    const m = JSON.parse(ev.data) as Schemas['ServerMessage'];
    if (m.type === 'ready') { attempt = 0; showPending(hooks); }
    else if (m.type === 'verification_code') showRequest(m, hooks);
    else if (m.type === 'challenge_resolved') {
      const b = document.getElementById('banner')!;
      if (b.dataset.challenge === m.challenge_id) hideBanner();
    } else if (m.type === 'signed_out') { stopped = true; hooks.signedOut(m.reason); }
    else if (m.type === 'error' && m.code === 'unauthorized') { refresh(); }
  };
  ws.onclose = () => {
    if (socket === ws) socket = null;
    if (stopped) return;
    setTimeout(() => connect(hooks), reconnectDelay(attempt++, Math.random()));
  };
}

const location_ = window.location;

// After each (re)connect: a request that arrived while this browser was
// away (a server restart, a dropped network) still shows.
async function showPending(hooks: LiveHooks) {
  try {
    const r = await authed<Schemas['VerificationCodeMessage'][]>('GET', '/v1/notifications/pending');
    const newest = r.status === 200 ? r.data[r.data.length - 1] : undefined;
    if (newest && document.getElementById('banner')!.dataset.challenge !== newest.challenge_id)
      showRequest(newest, hooks);
  } catch { /* not a trusted device, or offline again: the live channel still works */ }
}

function showRequest(m: Schemas['VerificationCodeMessage'], hooks: LiveHooks) {
  const b = document.getElementById('banner')!;
  const dev = m.requester.device;
  b.dataset.challenge = m.challenge_id;
  const deny = h('button', { class: 'danger', type: 'button', onclick: async () => {
    try {
      await authed('POST', `/v1/challenges/${m.challenge_id}/deny`);
      hideBanner();
      hooks.denied();
    } catch (e) { b.append(h('p', { role: 'alert' }, (e as Error).message)); }
  } }, "This wasn't me");
  b.replaceChildren(
    h('h2', {}, 'Sign-in request'),
    h('p', { class: 'code', 'aria-label': 'Verification code ' + m.code.split('').join(' ') }, m.code),
    h('dl', {},
      h('dt', {}, 'Device'), h('dd', {}, `${dev.name} (${dev.model}, ${dev.os})`),
      h('dt', {}, 'App'), h('dd', {}, `${dev.app} ${dev.app_version}`),
      h('dt', {}, 'IP address'), h('dd', {}, m.requester.ip),
      h('dt', {}, 'Location'), h('dd', { class: 'location' }, location(m.requester.location) + ' (approximate)'),
      h('dt', {}, 'Time'), h('dd', {}, when(m.requested_at))),
    h('div', { class: 'actions' }, deny,
      h('button', { type: 'button', onclick: hideBanner }, 'Dismiss')));
  b.hidden = false;
}
