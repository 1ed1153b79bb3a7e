// The screens before a session: sign up, verify the email, sign in, the
// code step (which watches its challenge), Forgot password.
import { ApiError, Challenge, Input, Session, call, device, store } from './api';
import { codeInput } from './code';
import { field, h, message, setError, show } from './dom';
import { flow } from './flow';
import { CODE_CHECK, EMAIL_CHECK, NEW_PASSWORD_CHECK, PASSWORD_CHECK, errorText, form, input } from './forms';
import { newPasswordField, passwordField } from './password_help';
import { browserTimeZone, language, t } from './i18n';

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
  const pw = newPasswordField(t('web.field.password'), () => email.value);
  show(h('h1', {}, t('web.signup.title')),
    form(async () => {
      // The account speaks the language on screen, in the browser's zone (SPEC U17).
      const body: Input<'register'> = { email: email.value, password: pw.input.value, app: 'kasa', locale: language(), time_zone: browserTimeZone() };
      const { data } = await call<{ challenge_id: string }>('POST', '/v1/accounts', body);
      flow.rememberPassword(pw.input.value);
      flow.set({ kind: 'verify', email: email.value, challenge_id: data.challenge_id });
      go('#/verify');
    }, () => [EMAIL_CHECK(email), NEW_PASSWORD_CHECK(pw.input)],
    field(t('web.field.email'), email), pw.el, h('button', { type: 'submit', class: 'primary' }, t('web.signup.submit'))),
    h('p', {}, t('web.signup.haveAccount'), ' ', h('a', { href: '#/signin' }, t('common.action.sign_in'))));
}

export function verifyEmail() {
  const f = flow.get();
  if (!f || f.kind !== 'verify') return signIn();
  const code = codeInput();
  show(h('h1', {}, t('web.verify.title')), f.note ? message(t(f.note), 'info') : h('span'),
    h('p', { class: 'destination' }, t('web.verify.sent', { email: f.email })),
    form(async () => {
      await call('POST', '/v1/accounts/verify-email', { challenge_id: f.challenge_id, code: code.value });
      const password = flow.password();
      flow.clear();
      // Sign in at once with the password just typed; after a reload it is
      // gone, and the sign-in form comes prefilled instead.
      if (password) return startSignIn(f.email, password, t('web.verify.done'));
      signIn(t('web.verify.doneSignIn'), f.email);
    }, () => [CODE_CHECK(code)], field(t('web.field.code'), code), h('button', { type: 'submit', class: 'primary' }, t('web.verify.submit'))),
    h('p', {}, h('a', { href: '#/signin', onclick: () => flow.clear() }, t('web.verify.otherAccount'))));
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
                 note: 'web.problem.email_not_verified' });
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
  const pw = passwordField(t('web.field.password'));
  show(h('h1', {}, t('common.action.sign_in')), note ? message(note, 'info') : h('span'),
    form(async () => startSignIn(email.value, pw.input.value), () => [EMAIL_CHECK(email), PASSWORD_CHECK(pw.input)],
      field(t('web.field.email'), email), pw.el,
      h('p', { class: 'forgot' }, h('a', { href: '#/forgot', onclick: () => { typedEmail = email.value; } }, t('common.action.forgot_password'))),
      h('button', { type: 'submit', class: 'primary' }, t('common.action.sign_in'))),
    h('p', {}, t('web.signin.newHere'), ' ', h('a', { href: '#/signup' }, t('web.signin.createLink'))));
  if (prefill) pw.input.setAttribute('data-autofocus', '');
}

// Where a dead challenge leaves the user: what happened and Start over.
// `state`: denied, expired, exhausted or verified (web.ended.<state>.*).
function deadEnd(state: string) {
  flow.clear();
  const known = ['denied', 'expired', 'exhausted', 'verified'].includes(state) ? state : 'expired';
  show(h('h1', {}, t(`web.ended.${known}.title`)), message(t(`web.ended.${known}.text`)),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', 'data-autofocus': true, onclick: () => go('#/signin') }, t('web.ended.startOver'))));
}

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

// "We sent a code to 2 trusted devices." / "… to a***@example.com.": the
// server's `destination` for the app is its English count; the count is
// what this screen needs.
function sentTo(c: Challenge): string {
  const devices = c.method === 'app' ? /^(\d+) /.exec(c.destination) : null;
  return devices ? t('web.code.sentToDevices', { count: Number(devices[1]) }) : t('web.code.sentTo', { destination: c.destination });
}

export function codeStep() {
  const f = flow.get();
  if (!f || f.kind !== 'code') return signIn();
  let challenge = f.challenge;
  const code = codeInput();
  const trust = h('input', { type: 'checkbox', name: 'trust', id: 'trust', checked: true }) as HTMLInputElement;
  const where = h('p', { class: 'destination' });
  const resend = h('button', { type: 'button' }) as HTMLButtonElement;
  const toEmail = h('button', { type: 'button', class: 'link' }) as HTMLButtonElement;
  const status = h('p', { role: 'status', class: 'status' });
  let left = challenge.resend_in;
  const render = () => {
    where.textContent = sentTo(challenge);
    resend.disabled = left > 0;
    resend.textContent = left > 0 ? t('web.code.resendIn', { seconds: left }) : t('web.code.resend');
    toEmail.hidden = challenge.method === 'email';
    // Not offered as if it worked after the address refused mail; it may still be tried.
    toEmail.textContent = challenge.methods.includes('email') ? t('web.code.toEmail', { noCode: t('common.action.no_code') }) : t('web.code.toEmailAnyway');
  };
  const tick = window.setInterval(() => {
    if (window.location.hash !== '#/code') return clearInterval(tick);
    if (left > 0) { left--; render(); }
  }, 1000);
  const keep = (c: Challenge) => { challenge = c; flow.set({ kind: 'code', email: f.email, challenge: c }); };
  const again = async (method: string) => {
    try {
      const { data } = await call<Challenge>('POST', `/v1/challenges/${challenge.challenge_id}/resend`, { method });
      keep(data); left = data.resend_in; status.textContent = t('web.code.newCodeSent');
    } catch (e) {
      if (e instanceof ApiError && e.problem.retry_after) left = e.problem.retry_after;
      status.textContent = errorText(e);
    }
    render();
  };
  resend.addEventListener('click', () => again(challenge.method));
  toEmail.addEventListener('click', () => again('email'));
  render();
  const ended = (state: string) => { clearInterval(tick); watching++; deadEnd(state); };
  show(h('h1', {}, t('common.product.two_step_verification')), where,
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
          setError(code, t('web.code.wrong', { left: n }));
          code.focus();
          return;
        }
        if (e instanceof ApiError && e.problem.code === 'challenge_denied') return ended('denied');
        if (e instanceof ApiError && e.problem.code === 'challenge_expired') return ended('expired');
        throw e;
      }
    }, () => [CODE_CHECK(code)], field(t('web.field.code'), code),
      h('div', { class: 'check' }, trust, h('label', { for: 'trust' }, t('web.code.trust'))),
      h('button', { type: 'submit', class: 'primary' }, t('web.code.submit'))),
    h('div', { class: 'actions' }, resend, toEmail), status,
    h('p', {}, h('a', { href: '#/signin', onclick: () => flow.clear() }, t('web.code.cancel'))));
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
  show(h('h1', {}, t('web.forgot.title')),
    h('p', {}, t('web.forgot.intro')),
    form(async () => {
      const { data } = await call<{ challenge_id: string }>('POST', '/v1/password/reset', { email: email.value });
      flow.set({ kind: 'reset', email: email.value, challenge_id: data.challenge_id });
      go('#/reset');
    }, () => [EMAIL_CHECK(email)], field(t('web.field.email'), email), h('button', { type: 'submit', class: 'primary' }, t('web.forgot.submit'))),
    h('p', {}, h('a', { href: '#/signin' }, t('web.forgot.back'))));
}

export function reset() {
  const f = flow.get();
  if (!f || f.kind !== 'reset') return forgot();
  const code = codeInput(false);  // six digits must not send the form before the password
  const pw = newPasswordField(t('web.field.newPassword'), () => f.email);
  const codeField = field(t('web.field.emailCode'), code);
  const f2 = form(async () => {
    await call('POST', '/v1/password/reset/confirm', { challenge_id: f.challenge_id, code: code.value, new_password: pw.input.value });
    flow.clear();
    show(h('h1', {}, t('web.reset.doneTitle')), message(t('web.reset.done'), 'info'),
      h('div', { class: 'actions' }, h('a', { href: '#/signin', class: 'button primary', 'data-autofocus': true }, t('common.action.sign_in'))));
  }, () => [CODE_CHECK(code), NEW_PASSWORD_CHECK(pw.input)], codeField, pw.el,
    h('button', { type: 'submit', class: 'primary' }, t('web.reset.submit')));
  show(h('h1', {}, t('web.reset.title')),
    h('p', { class: 'destination' }, t('web.reset.sent', { email: f.email })), f2,
    h('p', {}, h('a', { href: '#/forgot', onclick: () => flow.clear() }, t('web.reset.newCode'))));
}
