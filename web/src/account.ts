// The screens of a signed-in user: Me, Login Security (the Two-Step
// switch, Trusted Devices, Login Activity with its map), Change password.
import { Answer, ApiError, Challenge, authed, store } from './api';
import { codeInput } from './code';
import { field, h, location, message, setError, show, when } from './dom';
import { CODE_CHECK, NEW_PASSWORD_CHECK, PASSWORD_CHECK, errorText, form } from './forms';
import { newPasswordField, passwordField } from './password_help';
import { watchLists } from './list_watch';
import { worldMap } from './worldmap';

type Security = Answer<'getSecurity', 200>;
type Devices = Answer<'listTrustedDevices', 200>;
type Activity = Answer<'loginActivity', 200>;

export interface AccountHooks {
  signedOutBy: (reason: string) => void;
  deviceSecretChanged: () => void;
  signOut: () => void;
}
let hooks: AccountHooks;
export function setAccountHooks(h: AccountHooks) { hooks = h; }

export function home() {
  show(h('h1', {}, 'Me'),
    h('nav', { 'aria-label': 'Account' }, h('ul', { class: 'menu' },
      h('li', {}, h('a', { href: '#/security' }, 'View account › Login Security')),
      h('li', {}, h('a', { href: '#/password' }, 'Change password')),
      h('li', {}, h('button', { type: 'button', class: 'link', onclick: () => hooks.signOut() }, 'Sign out')))));
}

function back(): HTMLElement {
  return h('p', { class: 'back' }, h('a', { href: '#/home' }, '‹ Me'));
}

export async function security(note = '') {
  show(back(), h('h1', {}, 'Login Security'), h('p', {}, 'Loading…'));
  try {
    const [{ data: sec }, lists] = await Promise.all([authed<Security>('GET', '/v1/account/security'), loadLists()]);
    if (window.location.hash !== '#/security') return;
    show(back(), h('h1', {}, 'Login Security'), ...mailNotice(sec), twoStepSection(sec, note), ...lists);
    watchLists(() => window.location.hash === '#/security', refreshLists);
  } catch (e) {
    if (e instanceof ApiError && e.problem.status === 401) return hooks.signedOutBy('session_ended');
    if (!(e instanceof ApiError)) console.error(e);
    show(back(), h('h1', {}, 'Login Security'), message(errorText(e)));
  }
}

// After a receiving server refused mail to the account's address for good.
function mailNotice(sec: Security): HTMLElement[] {
  if (sec.email_deliverable) return [];
  return [message(`We could not deliver mail to ${sec.email_masked}. Codes and notices by email may not arrive.`)];
}

let shownLists = '';  // the answers on screen, to redraw only what changed
let reading = false;
let readAgain = false;  // a change was announced while a read was under way

async function loadLists(): Promise<HTMLElement[]> {
  const [{ data: devices }, { data: activity }] = await Promise.all([
    authed<Devices>('GET', '/v1/account/trusted-devices'),
    authed<Activity>('GET', '/v1/account/login-activity?limit=20')]);
  shownLists = JSON.stringify([devices, activity]);
  return [devicesSection(devices), activitySection(activity)];
}

// A device signed in or a request ended elsewhere: the lists are redrawn
// in place (the switch and any form being filled stay as they are), and
// only when they changed (focus and a screen reader's place are kept).
export async function refreshLists() {
  if (window.location.hash !== '#/security') return;
  if (reading) { readAgain = true; return; }
  const old = document.querySelectorAll('#app section.list');
  if (!old.length) return;
  reading = true;
  readAgain = false;
  try {
    const before = shownLists;
    const fresh = await loadLists();
    if (shownLists === before) return;
    const now = document.querySelectorAll('#app section.list');
    now.forEach((s, i) => s.replaceWith(fresh[i]));
  } catch { /* the next event, poll or a reload tries again */ } finally {
    reading = false;
    if (readAgain) void refreshLists();
  }
}

function twoStepSection(sec: Security, note: string): HTMLElement {
  const ts = sec.two_step;
  const title = h('h2', { id: 'two-step-title' }, 'Two-Step Verification');
  if (!ts.available && !ts.enabled) return h('section', {}, title, h('p', {}, 'Not available for your account yet.'));
  const state = h('span', { class: 'state', 'aria-hidden': 'true' }, ts.enabled ? 'On' : 'Off');
  const sw = h('button', { type: 'button', role: 'switch', id: 'two-step', class: 'switch', 'aria-checked': String(ts.enabled) },
    h('span', { class: 'switch-name' }, 'Two-Step Verification'), h('span', { class: 'knob', 'aria-hidden': 'true' }), state) as HTMLButtonElement;
  const area = h('div', { class: 'switch-area' });
  const done = (text: string) => security(text);
  const cancel = h('button', { type: 'button', onclick: () => { area.replaceChildren(); sw.disabled = false; sw.focus(); } }, 'Cancel');
  sw.addEventListener('click', async () => {
    area.replaceChildren();
    sw.disabled = true;
    if (ts.enabled) return area.append(turnOffForm(done, cancel));
    try {
      const r = await authed<Answer<'setTwoStep', 200> | Challenge>('POST', '/v1/account/two-step', { enabled: true }).catch((e) => {
        if (e instanceof ApiError && e.problem.code === 'password_required') return null;
        throw e;
      });
      if (r === null) return area.append(turnOnWithPassword(done, cancel));
      if (r.status === 200) {
        const on = r.data as Answer<'setTwoStep', 200>;
        if (on.device_secret) { store.deviceSecret = on.device_secret; hooks.deviceSecretChanged(); }
        return done('Two-Step Verification is on.');
      }
      area.append(turnOnWithCode(r.data as Challenge, done, cancel));
      area.querySelector<HTMLInputElement>('input')?.focus();
    } catch (e) { sw.disabled = false; area.append(message(errorText(e))); }
  });
  return h('section', {}, title, note ? message(note, 'info') : h('span'), sw,
    h('p', { class: 'hint' }, ts.enabled
      ? `On: a new device needs a code from ${ts.default_method === 'app' ? 'your trusted devices' : 'your email'}.`
      : 'Off: your password alone signs you in.'), area);
}

function turnOnWithCode(challenge: Challenge, done: (t: string) => void, cancel: HTMLElement): HTMLElement {
  const code = codeInput();
  return h('div', {}, h('p', {}, `To turn it on, enter the code we sent to ${challenge.destination}.`), form(async () => {
    const v = await authed<Answer<'verifyTwoStep', 200>>('POST', '/v1/account/two-step/verify', { challenge_id: challenge.challenge_id, code: code.value });
    store.deviceSecret = v.data.device_secret;
    hooks.deviceSecretChanged();
    done('Two-Step Verification is on. This browser is now a trusted device.');
  }, () => [CODE_CHECK(code)], field('Code from the email', code),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Turn on'), cancel)));
}

function turnOnWithPassword(done: (t: string) => void, cancel: HTMLElement): HTMLElement {
  const pw = passwordField('Password');
  pw.input.dataset.autofocus = '';
  const f = form(async () => {
    try {
      const v = await authed<Answer<'setTwoStep', 200>>('POST', '/v1/account/two-step', { enabled: true, password: pw.input.value });
      if (v.data.device_secret) { store.deviceSecret = v.data.device_secret; hooks.deviceSecretChanged(); }
      done('Two-Step Verification is on.');
    } catch (e) {
      if (e instanceof ApiError && e.problem.code === 'invalid_credentials') return setError(pw.input, 'That password is not correct.');
      throw e;
    }
  }, () => [PASSWORD_CHECK(pw.input)], h('p', {}, 'To turn it on, enter your password.'), pw.el,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Turn on'), cancel));
  setTimeout(() => pw.input.focus());
  return f;
}

function turnOffForm(done: (t: string) => void, cancel: HTMLElement): HTMLElement {
  const pw = passwordField('Password');
  const f = form(async () => {
    try {
      await authed('POST', '/v1/account/two-step', { enabled: false, password: pw.input.value });
      done('Two-Step Verification is off.');
    } catch (e) {
      if (e instanceof ApiError && e.problem.code === 'invalid_credentials') return setError(pw.input, 'That password is not correct.');
      throw e;
    }
  }, () => [PASSWORD_CHECK(pw.input)], h('p', {}, 'Turning it off lets anyone with your password sign in. Enter your password to turn it off.'),
    pw.el, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'danger' }, 'Turn off'), cancel));
  setTimeout(() => pw.input.focus());
  return f;
}

function devicesSection(devices: Devices): HTMLElement {
  const list = h('ul', { class: 'devices' });
  for (const d of devices) {
    const x = h('button', { type: 'button', class: 'remove', 'aria-label': `Remove ${d.name} (${d.model})`, onclick: async () => {
      if (!window.confirm(`Remove ${d.name}? It will be signed out at once and need a code to sign in again.`)) return;
      try {
        await authed('DELETE', `/v1/account/trusted-devices/${d.id}`);
        if (d.current) return hooks.signedOutBy('device_removed');
        refreshLists();
      } catch (e) { list.append(message(errorText(e))); }
    } }, '×');
    list.append(h('li', { class: 'device', 'data-id': d.id },
      h('div', {}, h('strong', {}, `${d.name} (${d.model})${d.current ? ' – this device' : ''}`),
        h('span', {}, `${d.app} · trusted ${when(d.trusted_at)} · last seen ${when(d.last_seen_at)}`),
        h('span', { class: 'location' }, location(d.location))), x));
  }
  return h('section', { class: 'list', id: 'trusted-devices' }, h('h2', {}, 'Trusted Devices'), devices.length ? list : h('p', {}, 'No trusted devices.'));
}

const EVENT_WORDS: Record<string, Record<string, string>> = {
  sign_in: { success: 'Signed in', failed: 'Wrong password', challenged: 'Password right, code asked' },
  challenge_sent: { sent: 'Code sent', resent: 'Code sent again' },
  code_failed: { invalid_code: 'Wrong code entered' },
  challenge_denied: { denied: 'Sign-in denied ("This wasn\'t me")' },
  device_removed: { removed: 'Trusted device removed' },
  two_step_change: { enabled: 'Two-Step Verification turned on', disabled: 'Two-Step Verification turned off' },
  password_change: { success: 'Password changed' },
  password_reset: { success: 'Password reset by email' },
};

export function activityWords(e: { event: string; outcome: string; method?: string }): string {
  const words = EVENT_WORDS[e.event]?.[e.outcome] ?? (e.event + ' ' + e.outcome).replace(/_/g, ' ');
  if (e.event === 'sign_in' && e.outcome === 'success' && e.method === 'app') return words + ' with a code from a trusted device';
  if (e.event === 'sign_in' && e.outcome === 'success' && e.method === 'email') return words + ' with a code by email';
  if (e.event === 'challenge_sent' && e.method) return words + (e.method === 'email' ? ' by email' : ' to trusted devices');
  return words;
}

function activitySection(events: Activity): HTMLElement {
  const cols = ['Time', 'What happened', 'Device', 'App', 'IP address', 'Location', 'Device status'];
  const rows = events.map((e) => h('tr', {},
    ...[when(e.at), activityWords(e as { event: string; outcome: string; method?: string }), e.device.name || '–', e.app || '–', e.ip,
      location(e.location), e.trusted ? 'Trusted' : 'Not trusted'].map((text, i) => h('td', { 'data-label': cols[i] }, text))));
  const places = events.filter((e) => e.location).map((e) => ({ ...e.location!, label: location(e.location) }));
  const names = [...new Set(places.map((p) => p.label))];
  return h('section', { class: 'list', id: 'login-activity' }, h('h2', {}, 'Login Activity'),
    worldMap(places, names.length ? `Map of recent activity: ${names.join('; ')}` : 'Map of recent activity: no known places'),
    h('table', { class: 'activity' },
      h('caption', { class: 'visually-hidden' }, 'Recent sign-ins and code requests, newest first'),
      h('thead', {}, h('tr', {}, ...cols.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, ...rows)));
}

export function changePassword(note = '') {
  const current = passwordField('Current password');
  const fresh = newPasswordField('New password', () => store.email);
  const others = h('input', { type: 'checkbox', id: 'others', checked: true }) as HTMLInputElement;
  show(back(), h('h1', {}, 'Change password'), note ? message(note, 'info') : h('span'),
    form(async (f) => {
      if (fresh.input.value === current.input.value) return setError(fresh.input, 'Choose a password different from your current one.');
      try {
        await authed('POST', '/v1/account/password', { current_password: current.input.value, new_password: fresh.input.value, sign_out_other_devices: others.checked });
      } catch (e) {
        if (e instanceof ApiError && e.problem.code === 'invalid_credentials') return setError(current.input, 'That is not your current password.');
        if (e instanceof ApiError && e.problem.code === 'weak_password') return setError(fresh.input, e.problem.detail);
        throw e;
      }
      f.replaceChildren(message('Your password was changed.', 'info'),
        h('div', { class: 'actions' }, h('a', { href: '#/security', class: 'button primary', 'data-autofocus': true }, 'Back to Login Security'),
          h('a', { href: '#/home', class: 'button' }, 'Back to Me')));
      f.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    }, () => [PASSWORD_CHECK(current.input, 'Enter your current password.'), NEW_PASSWORD_CHECK(fresh.input)],
    current.el, fresh.el, h('div', { class: 'check' }, others, h('label', { for: 'others' }, 'Sign out all other devices')),
    h('button', { type: 'submit', class: 'primary' }, 'Change password')));
}
