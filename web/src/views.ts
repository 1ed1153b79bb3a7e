// The screens of the app, as functions that render into #app.
import { Answer, ApiError, Challenge, Input, Session, authed, call, device, store } from './api';
import { field, h, location, message, show, when } from './dom';
import { startLive, stopLive } from './live';

export function go(route: string) { window.location.hash = route; }

function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.problem.detail;
  return 'Cannot reach the server. Check your connection and try again.';
}

function form(onSubmit: (f: HTMLFormElement) => Promise<void>, ...children: Node[]): HTMLFormElement {
  const f = h('form', { novalidate: true }, ...children) as HTMLFormElement;
  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    f.querySelectorAll('.msg').forEach((m) => m.remove());
    const button = f.querySelector('button[type=submit]') as HTMLButtonElement | null;
    if (button) button.disabled = true;
    try { await onSubmit(f); } catch (e) { f.append(message(errorText(e))); } finally { if (button) button.disabled = false; }
  });
  return f;
}

function input(type: string, name: string, extra: Record<string, string | boolean> = {}): HTMLInputElement {
  return h('input', { type, name, required: true, ...extra }) as HTMLInputElement;
}

// A live strength meter (zxcvbn on the server) under a new-password field.
function strengthMeter(pw: HTMLInputElement, email: () => string): HTMLElement {
  const bar = h('meter', { min: '0', max: '4', value: '0', 'aria-label': 'Password strength' });
  const words = h('span', { class: 'strength-word', 'aria-live': 'polite' }, '');
  const tips = h('ul', { class: 'tips' });
  let timer = 0;
  pw.addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(async () => {
      if (!pw.value) { words.textContent = ''; tips.replaceChildren(); bar.setAttribute('value', '0'); return; }
      try {
        const { data } = await call<Answer<'passwordStrength', 200>>('POST', '/v1/password/strength', { password: pw.value, email: email() || undefined });
        bar.setAttribute('value', String(data.score));
        words.textContent = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'][data.score] + (data.acceptable ? '' : ' – not accepted');
        tips.replaceChildren(...[data.warning, ...data.suggestions].filter((x) => x).map((x) => h('li', {}, x)));
      } catch { /* the meter is advisory */ }
    }, 200);
  });
  return h('div', { class: 'strength' }, bar, words, tips);
}

function generateButton(pw: HTMLInputElement): HTMLElement {
  return h('button', { type: 'button', class: 'link', onclick: () => {
    const alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!#$%&*+-=?@^_~';
    const out: string[] = [];
    const b = new Uint32Array(1);
    while (out.length < 20) {  // rejection sampling: every character equally likely
      crypto.getRandomValues(b);
      if (b[0] < Math.floor(2 ** 32 / alphabet.length) * alphabet.length) out.push(alphabet[b[0] % alphabet.length]);
    }
    pw.value = out.join('');
    pw.type = 'text';
    pw.dispatchEvent(new Event('input'));
  } }, 'Generate a strong password');
}

export function signUp() {
  const email = input('email', 'email', { autocomplete: 'email' });
  const pw = input('password', 'password', { autocomplete: 'new-password', minlength: '8' });
  show(h('h1', {}, 'Create account'),
    form(async () => {
      const { data } = await call<{ challenge_id: string }>('POST', '/v1/accounts', { email: email.value, password: pw.value, app: 'kasa' });
      emailCode(email.value, data.challenge_id);
    }, field('Email', email), field('Password', pw, strengthMeter(pw, () => email.value)), generateButton(pw),
      h('button', { type: 'submit', class: 'primary' }, 'Create account')),
    h('p', {}, 'Already have an account? ', h('a', { href: '#/signin' }, 'Sign in')));
}

function codeInput(): HTMLInputElement {
  const c = input('text', 'code', { inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: '6', pattern: '[0-9]{6}' });
  // Accept a pasted code with spaces or dashes.
  c.addEventListener('input', () => { c.value = c.value.replace(/\D/g, '').slice(0, 6); });
  return c;
}

function emailCode(email: string, challengeId: string) {
  const code = codeInput();
  show(h('h1', {}, 'Verify your email'), h('p', {}, `We sent a 6-digit code to ${email}.`),
    form(async () => {
      await call('POST', '/v1/accounts/verify-email', { challenge_id: challengeId, code: code.value });
      signIn('Your email is verified. Sign in to continue.');
    }, field('Code', code), h('button', { type: 'submit', class: 'primary' }, 'Verify')));
}

export function signIn(note = '') {
  const email = input('email', 'email', { autocomplete: 'username' });
  email.value = store.email;
  const pw = input('password', 'password', { autocomplete: 'current-password' });
  show(h('h1', {}, 'Sign in'), note ? message(note, 'info') : h('span'),
    form(async () => {
      const body: Input<'signIn'> = { email: email.value, password: pw.value, device: device() };
      if (store.deviceSecret) body.device_secret = store.deviceSecret;
      const r = await call<Session | Challenge>('POST', '/v1/sessions', body);
      if (r.status === 202) return codeStep(r.data as Challenge);
      signedIn(r.data as Session);
    }, field('Email', email), field('Password', pw), h('button', { type: 'submit', class: 'primary' }, 'Sign in')),
    h('p', {}, 'New here? ', h('a', { href: '#/signup' }, 'Create an account')));
}

function codeStep(challenge: Challenge) {
  const code = codeInput();
  const trust = h('input', { type: 'checkbox', name: 'trust', checked: true }) as HTMLInputElement;
  const where = h('p', { class: 'destination' });
  const resend = h('button', { type: 'button' }) as HTMLButtonElement;
  const toEmail = h('button', { type: 'button', class: 'link' }, 'Did not receive a code? Receive code via Email') as HTMLButtonElement;
  const status = h('p', { role: 'status', class: 'status' });
  let left = challenge.resend_in;
  const render = () => {
    where.textContent = `We sent a code to ${challenge.destination}.`;
    resend.disabled = left > 0;
    resend.textContent = left > 0 ? `Resend (${left} s)` : 'Resend';
    toEmail.hidden = challenge.method === 'email';
    // Not offered as if it worked after the address refused mail; it may still be tried.
    toEmail.textContent = challenge.methods.includes('email') ? 'Did not receive a code? Receive code via Email'
      : 'Try email anyway (we could not deliver mail to your address recently)';
  };
  const tick = window.setInterval(() => { if (left > 0) { left--; render(); } }, 1000);
  const again = async (method: string) => {
    try {
      const { data } = await call<Challenge>('POST', `/v1/challenges/${challenge.challenge_id}/resend`, { method });
      challenge = data; left = data.resend_in; status.textContent = 'A new code is on its way.';
    } catch (e) {
      if (e instanceof ApiError && e.problem.retry_after) left = e.problem.retry_after;
      status.textContent = errorText(e);
    }
    render();
  };
  resend.addEventListener('click', () => again(challenge.method));
  toEmail.addEventListener('click', () => again('email'));
  render();
  show(h('h1', {}, 'Two-Step Verification'), where,
    form(async (f) => {
      try {
        const { data } = await call<Session>('POST', `/v1/challenges/${challenge.challenge_id}/verify`, { code: code.value, trust_device: trust.checked });
        clearInterval(tick);
        signedIn(data);
      } catch (e) {
        if (e instanceof ApiError && e.problem.code === 'invalid_code') {
          f.append(message(`That code is not correct. ${e.problem.attempts_left} attempts left.`));
          code.value = '';
          code.focus();
          return;
        }
        throw e;
      }
    }, field('Verification code', code),
      h('div', { class: 'check' }, trust, h('label', { for: 'trust' }, 'Trust this device')),
      h('button', { type: 'submit', class: 'primary' }, 'Verify')),
    h('div', { class: 'actions' }, resend, toEmail), status);
  trust.id = 'trust';
}

function signedIn(s: Session) {
  store.save(s);
  go('#/home');
  boot();
}

export function signedOutBy(reason: string) {
  store.clear();
  stopLive();
  if (reason === 'device_removed') store.deviceSecret = '';
  signIn(reason === 'device_removed' ? 'This browser was removed from your trusted devices and signed out.'
    : reason === 'password_changed' ? 'Your password was changed: sign in again.' : 'You were signed out.');
}

// A note for the next change-password screen (after a deny).
let passwordNote = '';
export function takePasswordNote(): string { const n = passwordNote; passwordNote = ''; return n; }

export function boot() {
  document.getElementById('who')!.textContent = store.signedIn() ? store.email : '';
  if (store.signedIn() && store.deviceSecret)
    startLive({ signedOut: signedOutBy, denied: () => {
      passwordNote = 'You denied a sign-in: whoever tried knows your password. Change it now.';
      if (window.location.hash === '#/password') changePassword(takePasswordNote());
      else go('#/password');
    } });
}

export function home() {
  show(h('h1', {}, 'Me'),
    h('nav', { 'aria-label': 'Account' }, h('ul', { class: 'menu' },
      h('li', {}, h('a', { href: '#/security' }, 'View account › Login Security')),
      h('li', {}, h('a', { href: '#/password' }, 'Change password')),
      h('li', {}, h('button', { type: 'button', class: 'link', onclick: signOut }, 'Sign out')))));
}

async function signOut() {
  try { await authed('DELETE', '/v1/sessions/current'); } catch { /* signed out either way */ }
  store.clear();
  stopLive();
  document.getElementById('who')!.textContent = '';
  go('#/signin');
}

export async function security() {
  show(h('h1', {}, 'Login Security'), h('p', {}, 'Loading…'));
  try {
    const [{ data: sec }, { data: devices }, { data: activity }] = await Promise.all([
      authed<Answer<'getSecurity', 200>>('GET', '/v1/account/security'),
      authed<Answer<'listTrustedDevices', 200>>('GET', '/v1/account/trusted-devices'),
      authed<Answer<'loginActivity', 200>>('GET', '/v1/account/login-activity?limit=20')]);
    show(h('h1', {}, 'Login Security'), ...mailNotice(sec), twoStepSection(sec), devicesSection(devices), activitySection(activity));
  } catch (e) {
    if (e instanceof ApiError && e.problem.status === 401) return signIn('Please sign in again.');
    show(h('h1', {}, 'Login Security'), message(errorText(e)));
  }
}

// After a receiving server refused mail to the account's address for good.
function mailNotice(sec: Answer<'getSecurity', 200>): HTMLElement[] {
  if (sec.email_deliverable) return [];
  return [message(`We could not deliver mail to ${sec.email_masked}. Codes and notices by email may not arrive.`)];
}

function twoStepSection(sec: Answer<'getSecurity', 200>): HTMLElement {
  const ts = sec.two_step;
  if (!ts.available && !ts.enabled) return h('section', {}, h('h2', {}, 'Two-Step Verification'), h('p', {}, 'Not available for your account yet.'));
  const sw = h('input', { type: 'checkbox', role: 'switch', id: 'two-step', checked: ts.enabled }) as HTMLInputElement;
  const area = h('div');
  sw.addEventListener('change', async () => {
    area.replaceChildren();
    if (sw.checked) {
      try {
        const r = await authed<Answer<'setTwoStep', 200> | Challenge>('POST', '/v1/account/two-step', { enabled: true }).catch((e) => {
          if (e instanceof ApiError && e.problem.code === 'password_required') return null;
          throw e;
        });
        if (r === null) {
          // A later switch-on: the mailbox was proven before, the password is asked instead.
          const pw = input('password', 'password', { autocomplete: 'current-password' });
          area.append(form(async () => {
            const v = await authed<Answer<'setTwoStep', 200>>('POST', '/v1/account/two-step', { enabled: true, password: pw.value });
            if (v.data.device_secret) store.deviceSecret = v.data.device_secret;
            boot();
            security();
          }, field('Password', pw), h('button', { type: 'submit', class: 'primary' }, 'Turn on'),
            h('button', { type: 'button', onclick: () => { sw.checked = false; area.replaceChildren(); } }, 'Cancel')));
          return;
        }
        if (r.status === 200) {
          const on = r.data as Answer<'setTwoStep', 200>;
          if (on.device_secret) store.deviceSecret = on.device_secret;
          boot();
          return security();
        }
        const challenge = r.data as Challenge;  // 202: the first switch-on, confirmed by an email code
        const code = codeInput();
        area.append(h('p', {}, `We sent a code to ${challenge.destination} to confirm.`), form(async () => {
          const v = await authed<Answer<'verifyTwoStep', 200>>('POST', '/v1/account/two-step/verify', { challenge_id: challenge.challenge_id, code: code.value });
          store.deviceSecret = v.data.device_secret;
          boot();
          security();
        }, field('Code from the email', code), h('button', { type: 'submit', class: 'primary' }, 'Turn on')));
      } catch (e) { sw.checked = false; area.append(message(errorText(e))); }
    } else {
      const pw = input('password', 'password', { autocomplete: 'current-password' });
      area.append(form(async () => {
        await authed('POST', '/v1/account/two-step', { enabled: false, password: pw.value });
        security();
      }, field('Password', pw), h('button', { type: 'submit', class: 'danger' }, 'Turn off'),
        h('button', { type: 'button', onclick: () => { sw.checked = true; area.replaceChildren(); } }, 'Cancel')));
    }
  });
  return h('section', {}, h('h2', {}, 'Two-Step Verification'),
    h('div', { class: 'switch' }, sw, h('label', { for: 'two-step' }, ts.enabled ? 'On' : 'Off')),
    h('p', { class: 'hint' }, `Codes go to ${ts.default_method === 'app' ? 'your trusted devices' : 'your email'}.`), area);
}

function devicesSection(devices: Answer<'listTrustedDevices', 200>): HTMLElement {
  const list = h('ul', { class: 'devices' });
  for (const d of devices) {
    const x = h('button', { type: 'button', class: 'remove', 'aria-label': `Remove ${d.name} (${d.model})`, onclick: async () => {
      if (!window.confirm(`Remove ${d.name}? It will be signed out at once and need a code to sign in again.`)) return;
      try {
        await authed('DELETE', `/v1/account/trusted-devices/${d.id}`);
        if (d.current) return signedOutBy('device_removed');
        security();
      } catch (e) { list.append(message(errorText(e))); }
    } }, '×');
    list.append(h('li', { class: 'device', 'data-id': d.id },
      h('div', {}, h('strong', {}, `${d.name} (${d.model})${d.current ? ' – this device' : ''}`),
        h('span', {}, `${d.app} · trusted ${when(d.trusted_at)} · last seen ${when(d.last_seen_at)}`),
        h('span', { class: 'location' }, location(d.location))), x));
  }
  return h('section', {}, h('h2', {}, 'Trusted Devices'), devices.length ? list : h('p', {}, 'No trusted devices.'));
}

function activitySection(events: Answer<'loginActivity', 200>): HTMLElement {
  const rows = events.map((e) => h('tr', {},
    h('td', {}, when(e.at)), h('td', {}, e.event.replace(/_/g, ' ')), h('td', {}, e.device.name || '–'),
    h('td', {}, e.app || '–'), h('td', {}, e.ip), h('td', { class: 'location' }, location(e.location)),
    h('td', {}, e.outcome + (e.trusted ? ' (trusted)' : ''))));
  return h('section', {}, h('h2', {}, 'Login Activity'), h('div', { class: 'scroll' }, h('table', {},
    h('thead', {}, h('tr', {}, ...['Time', 'Event', 'Device', 'App', 'IP', 'Location', 'Outcome'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, ...rows))));
}

export function changePassword(note = '') {
  const current = input('password', 'current', { autocomplete: 'current-password' });
  const fresh = input('password', 'new', { autocomplete: 'new-password' });
  const others = h('input', { type: 'checkbox', id: 'others', checked: true }) as HTMLInputElement;
  show(h('h1', {}, 'Change password'), note ? message(note, 'info') : h('span'),
    form(async (f) => {
      await authed('POST', '/v1/account/password', { current_password: current.value, new_password: fresh.value, sign_out_other_devices: others.checked });
      f.replaceChildren(message('Your password was changed.', 'info'));
    }, field('Current password', current), field('New password', fresh, strengthMeter(fresh, () => store.email)),
      generateButton(fresh), h('div', { class: 'check' }, others, h('label', { for: 'others' }, 'Sign out all other devices')),
      h('button', { type: 'submit', class: 'primary' }, 'Change password')));
}
