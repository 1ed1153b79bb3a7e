// The screens of a signed-in user: Me, Login Security (the Two-Step
// switch, Trusted Devices, Login Activity with its map), Change password.
import { Answer, ApiError, Challenge, authed, store } from './api';
import { codeInput } from './code';
import { field, h, location, message, setError, show, time } from './dom';
import { hasMessage, list, t, when } from './i18n';
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
  show(h('h1', {}, t('web.home.title')),
    h('nav', { 'aria-label': t('web.nav.account') }, h('ul', { class: 'menu' },
      h('li', {}, h('a', { href: '#/security' }, t('web.home.security'))),
      h('li', {}, h('a', { href: '#/password' }, t('web.home.password'))),
      h('li', {}, h('button', { type: 'button', class: 'link', onclick: () => hooks.signOut() }, t('common.action.sign_out'))))));
}

function back(): HTMLElement {
  return h('p', { class: 'back' }, h('a', { href: '#/home' }, t('web.back.me')));
}

export async function security(note = '') {
  show(back(), h('h1', {}, t('common.product.login_security')), h('p', {}, t('web.security.loading')));
  try {
    const [{ data: sec }, lists] = await Promise.all([authed<Security>('GET', '/v1/account/security'), loadLists()]);
    if (window.location.hash !== '#/security') return;
    show(back(), h('h1', {}, t('common.product.login_security')), ...mailNotice(sec), twoStepSection(sec, note), ...lists);
    watchLists(() => window.location.hash === '#/security', refreshLists);
  } catch (e) {
    if (e instanceof ApiError && e.problem.status === 401) return hooks.signedOutBy('session_ended');
    if (!(e instanceof ApiError)) console.error(e);
    show(back(), h('h1', {}, t('common.product.login_security')), message(errorText(e)));
  }
}

// After a receiving server refused mail to the account's address for good.
function mailNotice(sec: Security): HTMLElement[] {
  if (sec.email_deliverable) return [];
  return [message(t('web.security.undeliverable', { email: sec.email_masked }))];
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
  const title = h('h2', { id: 'two-step-title' }, t('common.product.two_step_verification'));
  if (!ts.available && !ts.enabled) return h('section', {}, title, h('p', {}, t('web.twoStep.unavailable')));
  const state = h('span', { class: 'state', 'aria-hidden': 'true' }, ts.enabled ? t('common.state.on') : t('common.state.off'));
  const sw = h('button', { type: 'button', role: 'switch', id: 'two-step', class: 'switch', 'aria-checked': String(ts.enabled) },
    h('span', { class: 'switch-name' }, t('common.product.two_step_verification')), h('span', { class: 'knob', 'aria-hidden': 'true' }), state) as HTMLButtonElement;
  const area = h('div', { class: 'switch-area' });
  const done = (text: string) => security(text);
  const cancel = h('button', { type: 'button', onclick: () => { area.replaceChildren(); sw.disabled = false; sw.focus(); } }, t('web.twoStep.cancel'));
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
        return done(t('web.twoStep.isOn'));
      }
      area.append(turnOnWithCode(r.data as Challenge, done, cancel));
      area.querySelector<HTMLInputElement>('input')?.focus();
    } catch (e) { sw.disabled = false; area.append(message(errorText(e))); }
  });
  return h('section', {}, title, note ? message(note, 'info') : h('span'), sw,
    h('p', { class: 'hint' }, ts.enabled ? t('web.twoStep.onHint', { method: ts.default_method ?? 'email' }) : t('web.twoStep.offHint')), area);
}

function turnOnWithCode(challenge: Challenge, done: (t: string) => void, cancel: HTMLElement): HTMLElement {
  const code = codeInput();
  return h('div', {}, h('p', {}, t('web.twoStep.codeSent', { destination: challenge.destination })), form(async () => {
    const v = await authed<Answer<'verifyTwoStep', 200>>('POST', '/v1/account/two-step/verify', { challenge_id: challenge.challenge_id, code: code.value });
    store.deviceSecret = v.data.device_secret;
    hooks.deviceSecretChanged();
    done(t('web.twoStep.isOnTrusted'));
  }, () => [CODE_CHECK(code)], field(t('web.field.emailCode'), code),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('web.twoStep.turnOn')), cancel)));
}

function turnOnWithPassword(done: (t: string) => void, cancel: HTMLElement): HTMLElement {
  const pw = passwordField(t('web.field.password'));
  pw.input.dataset.autofocus = '';
  const f = form(async () => {
    try {
      const v = await authed<Answer<'setTwoStep', 200>>('POST', '/v1/account/two-step', { enabled: true, password: pw.input.value });
      if (v.data.device_secret) { store.deviceSecret = v.data.device_secret; hooks.deviceSecretChanged(); }
      done(t('web.twoStep.isOn'));
    } catch (e) {
      if (e instanceof ApiError && e.problem.code === 'invalid_credentials') return setError(pw.input, t('web.twoStep.wrongPassword'));
      throw e;
    }
  }, () => [PASSWORD_CHECK(pw.input)], h('p', {}, t('web.twoStep.turnOnPassword')), pw.el,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('web.twoStep.turnOn')), cancel));
  setTimeout(() => pw.input.focus());
  return f;
}

function turnOffForm(done: (t: string) => void, cancel: HTMLElement): HTMLElement {
  const pw = passwordField(t('web.field.password'));
  const f = form(async () => {
    try {
      await authed('POST', '/v1/account/two-step', { enabled: false, password: pw.input.value });
      done(t('web.twoStep.isOff'));
    } catch (e) {
      if (e instanceof ApiError && e.problem.code === 'invalid_credentials') return setError(pw.input, t('web.twoStep.wrongPassword'));
      throw e;
    }
  }, () => [PASSWORD_CHECK(pw.input)], h('p', {}, t('web.twoStep.turnOffWarning')),
    pw.el, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'danger' }, t('web.twoStep.turnOff')), cancel));
  setTimeout(() => pw.input.focus());
  return f;
}

function devicesSection(devices: Devices): HTMLElement {
  const items = h('ul', { class: 'devices' });
  for (const d of devices) {
    const x = h('button', { type: 'button', class: 'remove', 'aria-label': t('web.devices.remove', { name: d.name, model: d.model }), onclick: async () => {
      if (!window.confirm(t('web.devices.confirmRemove', { name: d.name }))) return;
      try {
        await authed('DELETE', `/v1/account/trusted-devices/${d.id}`);
        if (d.current) return hooks.signedOutBy('device_removed');
        refreshLists();
      } catch (e) { items.append(message(errorText(e))); }
    } }, '×');
    items.append(h('li', { class: 'device', 'data-id': d.id },
      h('div', {}, h('strong', {}, t(d.current ? 'web.devices.nameCurrent' : 'web.devices.name', { name: d.name, model: d.model })),
        h('span', {}, t('web.devices.details', { app: d.app, trusted: when(d.trusted_at), seen: when(d.last_seen_at) })),
        h('span', { class: 'location' }, location(d.location))), x));
  }
  return h('section', { class: 'list', id: 'trusted-devices' }, h('h2', {}, t('common.product.trusted_devices')), devices.length ? items : h('p', {}, t('web.devices.none')));
}

// What happened, in the shared vocabulary (common.activity.<event>.<outcome>,
// the same words as the CLI and the mails); a pair this app does not know
// yet is named by the API's own words.
export function activityWords(e: { event: string; outcome: string; method?: string }): string {
  const key = `common.activity.${e.event}.${e.outcome}`;
  return hasMessage(key) ? t(key, { method: e.method ?? 'none' }) : t('common.activity.other', { event: e.event, outcome: e.outcome });
}

function activitySection(events: Activity): HTMLElement {
  const cols = ['time', 'what', 'device', 'app', 'ip', 'location', 'status'].map((c) => t('web.activity.col.' + c));
  const rows = events.map((e) => h('tr', {},
    ...[time(e.at), activityWords(e as { event: string; outcome: string; method?: string }), e.device.name || '–', e.app || '–', e.ip,
      location(e.location), e.trusted ? t('common.device.trusted') : t('common.device.not_trusted')].map((x, i) => h('td', { 'data-label': cols[i] }, x))));
  const places = events.filter((e) => e.location).map((e) => ({ ...e.location!, label: location(e.location) }));
  const names = [...new Set(places.map((p) => p.label))];
  return h('section', { class: 'list', id: 'login-activity' }, h('h2', {}, t('common.product.login_activity')),
    worldMap(places, names.length ? t('web.activity.mapPlaces', { places: list(names) }) : t('web.activity.mapNone')),
    h('table', { class: 'activity' },
      h('caption', { class: 'visually-hidden' }, t('web.activity.caption')),
      h('thead', {}, h('tr', {}, ...cols.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, ...rows)));
}

export function changePassword(note = '') {
  const current = passwordField(t('web.field.currentPassword'));
  const fresh = newPasswordField(t('web.field.newPassword'), () => store.email);
  const others = h('input', { type: 'checkbox', id: 'others', checked: true }) as HTMLInputElement;
  show(back(), h('h1', {}, t('web.password.title')), note ? message(t(note), 'info') : h('span'),
    form(async (f) => {
      if (fresh.input.value === current.input.value) return setError(fresh.input, t('web.password.sameAsCurrent'));
      try {
        await authed('POST', '/v1/account/password', { current_password: current.input.value, new_password: fresh.input.value, sign_out_other_devices: others.checked });
      } catch (e) {
        if (e instanceof ApiError && e.problem.code === 'invalid_credentials') return setError(current.input, t('web.password.wrongCurrent'));
        if (e instanceof ApiError && e.problem.code === 'weak_password') return setError(fresh.input, errorText(e));
        throw e;
      }
      f.replaceChildren(message(t('web.password.changed'), 'info'),
        h('div', { class: 'actions' }, h('a', { href: '#/security', class: 'button primary', 'data-autofocus': true },
          t('web.password.backToSecurity', { security: t('common.product.login_security') })),
          h('a', { href: '#/home', class: 'button' }, t('web.password.backToMe'))));
      f.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    }, () => [PASSWORD_CHECK(current.input, t('web.check.currentPasswordEmpty')), NEW_PASSWORD_CHECK(fresh.input)],
    current.el, fresh.el, h('div', { class: 'check' }, others, h('label', { for: 'others' }, t('web.password.signOutOthers'))),
    h('button', { type: 'submit', class: 'primary' }, t('web.password.submit'))));
}
