// Password help (U14): a new-password field with show/hide, a generator
// (shown in clear once, hidden again as soon as the user types), a copy
// button and a strength meter that is red (not accepted), amber (fair) or
// green (strong), with zxcvbn's warning and suggestions from the server.
import { Answer, call } from './api';
import { field, h } from './dom';
import { t } from './i18n';

function strengthMeter(pw: HTMLInputElement, email: () => string): HTMLElement {
  const bar = h('meter', { min: '0', max: '4', low: '2', high: '3', optimum: '4', value: '0', 'aria-label': t('web.pwhelp.strength'), 'data-level': 'none' });
  const words = h('span', { class: 'strength-word', 'aria-live': 'polite' }, '');
  const tips = h('ul', { class: 'tips' });
  let timer = 0;
  let asked = 0;
  pw.addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(async () => {
      const mine = ++asked;
      if (!pw.value) { words.textContent = ''; tips.replaceChildren(); bar.setAttribute('value', '0'); bar.dataset.level = 'none'; return; }
      try {
        const { data } = await call<Answer<'passwordStrength', 200>>('POST', '/v1/password/strength', { password: pw.value, email: email() || undefined });
        if (mine !== asked) return;  // an older answer must not overwrite a newer one
        const level = !data.acceptable ? 'red' : data.score >= 3 ? 'green' : 'amber';
        // A password the server refuses never shows more than a red bar.
        bar.setAttribute('value', String(data.acceptable ? data.score : Math.min(data.score, 1)));
        bar.dataset.level = level;
        words.dataset.level = level;
        const named = t('web.pwhelp.level', { score: data.score });
        words.textContent = data.acceptable ? named : t('web.pwhelp.levelRefused', { level: named });
        tips.replaceChildren(...[data.warning, ...data.suggestions].filter((x) => x).map((x) => h('li', {}, x)));
      } catch { /* the meter is advisory */ }
    }, 200);
  });
  return h('div', { class: 'strength' }, bar, words, tips);
}

function generate(): string {
  const alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!#$%&*+-=?@^_~';
  const out: string[] = [];
  const b = new Uint32Array(1);
  while (out.length < 20) {  // rejection sampling: every character equally likely
    crypto.getRandomValues(b);
    if (b[0] < Math.floor(2 ** 32 / alphabet.length) * alphabet.length) out.push(alphabet[b[0] % alphabet.length]);
  }
  return out.join('');
}

// A new-password field with its help; `email` feeds the meter's check.
export function newPasswordField(label: string, email: () => string): { el: HTMLElement; input: HTMLInputElement } {
  const pw = h('input', { type: 'password', name: 'new-password', autocomplete: 'new-password' }) as HTMLInputElement;
  const toggle = h('button', { type: 'button', class: 'small', 'aria-pressed': 'false' }) as HTMLButtonElement;
  const setShown = (shown: boolean) => {
    pw.type = shown ? 'text' : 'password';
    toggle.textContent = shown ? t('web.pwhelp.hide') : t('web.pwhelp.show');
    toggle.setAttribute('aria-pressed', String(shown));
    toggle.setAttribute('aria-label', shown ? t('web.pwhelp.hideLabel') : t('web.pwhelp.showLabel'));
  };
  setShown(false);
  toggle.addEventListener('click', () => setShown(pw.type === 'password'));
  const copied = h('span', { class: 'hint', role: 'status' });
  const copy = h('button', { type: 'button', class: 'small', 'aria-label': t('web.pwhelp.copyLabel'), onclick: async () => {
    try { await navigator.clipboard.writeText(pw.value); copied.textContent = t('web.pwhelp.copied'); } catch { copied.textContent = t('web.pwhelp.copyRefused'); }
  } }, t('web.pwhelp.copy'));
  // Shown by the generator: hidden again at the first key the user types.
  let shownByGenerator = false;
  toggle.addEventListener('click', () => { shownByGenerator = false; });
  const gen = h('button', { type: 'button', class: 'link', onclick: () => {
    pw.value = generate();
    setShown(true);
    shownByGenerator = true;
    pw.dispatchEvent(new Event('input', { bubbles: true }));
  } }, t('web.pwhelp.generate'));
  pw.addEventListener('input', (ev) => {
    copied.textContent = '';
    if (ev.isTrusted && shownByGenerator) { setShown(false); shownByGenerator = false; }
  });
  const meter = strengthMeter(pw, email);
  const el = field(label, pw, meter);
  el.insertBefore(h('div', { class: 'pw-tools' }, toggle, copy, gen, copied), meter);
  return { el, input: pw };
}

// A current-password field with show/hide only.
export function passwordField(label: string, autocomplete = 'current-password'): { el: HTMLElement; input: HTMLInputElement } {
  const pw = h('input', { type: 'password', name: 'password', autocomplete }) as HTMLInputElement;
  return { el: field(label, pw), input: pw };
}
