// The screens before a session: sign up, verify the email, sign in, the
// code step (which watches its challenge), Forgot password.
import { ApiError, Challenge, Input, Session, call, device, store } from './api';
import { codeInput } from './code';
import { field, h, message, setError, show } from './dom';
import { flow } from './flow';
import { CODE_CHECK, EMAIL_CHECK, NEW_PASSWORD_CHECK, PASSWORD_CHECK, errorText, form, input } from './forms';
import { newPasswordField, passwordField } from './password_help';

export function go(route: string) {
  if (window.location.hash === route) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else window.location.hash = route;
}

let onSignedIn: (s: Session) => void = () => {};
export function whenSignedIn(f: (s: Session) => void) { onSignedIn = f; }

function emailInput(value = ''): HTMLInputElement {
  const e = input('email', 'email', { autocomplete: 'username', spellcheck: 'false' });
  e.value = value;
  return e;
}

export function signUp() {
  const email = emailInput();
  const pw = newPasswordField('Password', () => email.value);
  show(h('h1', {}, 'Create account'),
    form(async () => {
      const { data } = await call<{ challenge_id: string }>('POST', '/v1/accounts', { email: email.value, password: pw.input.value, app: 'kasa' });
      flow.rememberPassword(pw.input.value);
      flow.set({ kind: 'verify', email: email.value, challenge_id: data.challenge_id });
      go('#/verify');
    }, () => [EMAIL_CHECK(email), NEW_PASSWORD_CHECK(pw.input)],
    field('Email', email), pw.el, h('button', { type: 'submit', class: 'primary' }, 'Create account')),
    h('p', {}, 'Already have an account? ', h('a', { href: '#/signin' }, 'Sign in')));
}

export function verifyEmail() {
  const f = flow.get();
  if (!f || f.kind !== 'verify') return signIn();
  const code = codeInput();
  show(h('h1', {}, 'Verify your email'), f.note ? message(f.note, 'info') : h('span'),
    h('p', { class: 'destination' }, `We sent a 6-digit code to ${f.email}.`),
    form(async () => {
      await call('POST', '/v1/accounts/verify-email', { challenge_id: f.challenge_id, code: code.value });
      const password = flow.password();
      flow.clear();
      // Sign in at once with the password just typed; after a reload it is
      // gone, and the sign-in form comes prefilled instead.
      if (password) return startSignIn(f.email, password, 'Your email is verified.');
      signIn('Your email is verified. Sign in to continue.', f.email);
    }, () => [CODE_CHECK(code)], field('Verification code', code), h('button', { type: 'submit', class: 'primary' }, 'Verify')),
    h('p', {}, h('a', { href: '#/signin', onclick: () => flow.clear() }, 'Use another account')));
}

// POST /v1/sessions and what follows: a session, the code step, or the
// email verification of an account that was never verified.
async function startSignIn(email: string, password: string, note = '') {
  const body: Input<'signIn'> = { email, password, device: device() };
  if (store.deviceSecret) body.device_secret = store.deviceSecret;
  try {
    const r = await call<Session | Challenge>('POST', '/v1/sessions', body);
    if (r.status === 202) {
      flow.set({ kind: 'code', email, challenge: r.data as Challenge });
      return go('#/code');
    }
    flow.clear();
    onSignedIn(r.data as Session);
  } catch (e) {
    if (e instanceof ApiError && e.problem.code === 'email_not_verified' && e.problem.challenge_id) {
      flow.rememberPassword(password);
      flow.set({ kind: 'verify', email, challenge_id: e.problem.challenge_id,
                 note: 'Your email is not verified yet. We sent you a new code.' });
      return go('#/verify');
    }
    if (note) return signIn(note + ' ' + errorText(e), email);
    throw e;
  }
}

// The address typed on the sign-in form, for "Forgot password?".
let typedEmail = '';

export function signIn(note = '', prefill = '') {
  const email = emailInput(prefill || store.email);
  const pw = passwordField('Password');
  show(h('h1', {}, 'Sign in'), note ? message(note, 'info') : h('span'),
    form(async () => startSignIn(email.value, pw.input.value), () => [EMAIL_CHECK(email), PASSWORD_CHECK(pw.input)],
      field('Email', email), pw.el,
      h('p', { class: 'forgot' }, h('a', { href: '#/forgot', onclick: () => { typedEmail = email.value; } }, 'Forgot password?')),
      h('button', { type: 'submit', class: 'primary' }, 'Sign in')),
    h('p', {}, 'New here? ', h('a', { href: '#/signup' }, 'Create an account')));
  if (prefill) pw.input.setAttribute('data-autofocus', '');
}

// Where a dead challenge leaves the user: what happened and Start over.
function deadEnd(title: string, text: string) {
  flow.clear();
  show(h('h1', {}, title), message(text),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', 'data-autofocus': true, onclick: () => go('#/signin') }, 'Start over')));
}

const ENDED: Record<string, [string, string]> = {
  denied: ['Sign-in denied', 'This sign-in was denied from a trusted device.'],
  expired: ['Code expired', 'This code request has expired. Start over to get a new code.'],
  exhausted: ['Too many wrong codes', 'Too many wrong codes were entered. Start over to get a new code.'],
  verified: ['Code already used', 'This code was already used. Start over to sign in.'],
};

let watching = 0;

// The new device watches its challenge (GET ?wait=25) while the code step
// is on screen, and reacts at once to a denial, the expiry, a used-up
// challenge or a move to email.
async function watch(id: string, onChange: (state: string, c: Partial<Challenge>) => void) {
  const mine = ++watching;
  let pause = 1000;
  while (mine === watching && window.location.hash === '#/code') {
    try {
      const { data } = await call<{ state: string } & Partial<Challenge>>('GET', `/v1/challenges/${id}?wait=25`);
      if (mine !== watching) return;
      pause = 1000;
      onChange(data.state, data);
      if (data.state !== 'pending') return;
    } catch (e) {
      if (e instanceof ApiError && e.problem.status === 404) return onChange('expired', {});
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(pause * 2, 30000);
    }
  }
}

export function codeStep() {
  const f = flow.get();
  if (!f || f.kind !== 'code') return signIn();
  let challenge = f.challenge;
  const code = codeInput();
  const trust = h('input', { type: 'checkbox', name: 'trust', id: 'trust', checked: true }) as HTMLInputElement;
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
  const tick = window.setInterval(() => {
    if (window.location.hash !== '#/code') return clearInterval(tick);
    if (left > 0) { left--; render(); }
  }, 1000);
  const keep = (c: Challenge) => { challenge = c; flow.set({ kind: 'code', email: f.email, challenge: c }); };
  const again = async (method: string) => {
    try {
      const { data } = await call<Challenge>('POST', `/v1/challenges/${challenge.challenge_id}/resend`, { method });
      keep(data); left = data.resend_in; status.textContent = 'A new code is on its way.';
    } catch (e) {
      if (e instanceof ApiError && e.problem.retry_after) left = e.problem.retry_after;
      status.textContent = errorText(e);
    }
    render();
  };
  resend.addEventListener('click', () => again(challenge.method));
  toEmail.addEventListener('click', () => again('email'));
  render();
  const ended = (state: string) => { clearInterval(tick); watching++; const [t, x] = ENDED[state] ?? ENDED.expired; deadEnd(t, x); };
  show(h('h1', {}, 'Two-Step Verification'), where,
    form(async () => {
      try {
        const { data } = await call<Session>('POST', `/v1/challenges/${challenge.challenge_id}/verify`, { code: code.value, trust_device: trust.checked });
        clearInterval(tick);
        watching++;
        flow.clear();
        onSignedIn(data);
      } catch (e) {
        if (e instanceof ApiError && e.problem.code === 'invalid_code') {
          const n = e.problem.attempts_left ?? 0;
          if (n === 0) return ended('exhausted');
          code.value = '';
          setError(code, `That code is not correct. ${n} attempt${n === 1 ? '' : 's'} left.`);
          code.focus();
          return;
        }
        if (e instanceof ApiError && e.problem.code === 'challenge_denied') return ended('denied');
        if (e instanceof ApiError && e.problem.code === 'challenge_expired') return ended('expired');
        throw e;
      }
    }, () => [CODE_CHECK(code)], field('Verification code', code),
      h('div', { class: 'check' }, trust, h('label', { for: 'trust' }, 'Trust this device')),
      h('button', { type: 'submit', class: 'primary' }, 'Verify')),
    h('div', { class: 'actions' }, resend, toEmail), status,
    h('p', {}, h('a', { href: '#/signin', onclick: () => flow.clear() }, 'Cancel and start over')));
  watch(challenge.challenge_id, (state, c) => {
    if (state !== 'pending') return ended(state);
    if (c.method && c.method !== challenge.method) {
      keep({ ...challenge, method: c.method, destination: c.destination ?? challenge.destination });
      render();
    }
  });
}

export function forgot() {
  const email = emailInput(typedEmail || store.email);
  show(h('h1', {}, 'Forgot password'),
    h('p', {}, 'Enter the email address of your account. We will send you a code to choose a new password.'),
    form(async () => {
      const { data } = await call<{ challenge_id: string }>('POST', '/v1/password/reset', { email: email.value });
      flow.set({ kind: 'reset', email: email.value, challenge_id: data.challenge_id });
      go('#/reset');
    }, () => [EMAIL_CHECK(email)], field('Email', email), h('button', { type: 'submit', class: 'primary' }, 'Send code')),
    h('p', {}, h('a', { href: '#/signin' }, 'Back to sign in')));
}

export function reset() {
  const f = flow.get();
  if (!f || f.kind !== 'reset') return forgot();
  const code = codeInput(false);  // six digits must not send the form before the password
  const pw = newPasswordField('New password', () => f.email);
  const codeField = field('Code from the email', code);
  const f2 = form(async () => {
    await call('POST', '/v1/password/reset/confirm', { challenge_id: f.challenge_id, code: code.value, new_password: pw.input.value });
    flow.clear();
    show(h('h1', {}, 'Password changed'), message('Your password was changed. Sign in with your new password.', 'info'),
      h('div', { class: 'actions' }, h('a', { href: '#/signin', class: 'button primary', 'data-autofocus': true }, 'Sign in')));
  }, () => [CODE_CHECK(code), NEW_PASSWORD_CHECK(pw.input)], codeField, pw.el,
    h('button', { type: 'submit', class: 'primary' }, 'Change password'));
  show(h('h1', {}, 'Choose a new password'),
    h('p', { class: 'destination' }, `If ${f.email} has an account, we sent a 6-digit code to it.`), f2,
    h('p', {}, h('a', { href: '#/forgot', onclick: () => flow.clear() }, 'Send a new code')));
}
