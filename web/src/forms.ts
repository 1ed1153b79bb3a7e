// Forms and their checks: empty and too-long fields are caught in the page
// (with the limit in words), each error is tied to its field
// (aria-describedby) and focus goes to the first one; server problems are
// put in human words.
import { ApiError } from './api';
import { focusFirst, h, message, setError } from './dom';
import { t } from './i18n';

// A problem's words come from the catalog by its stable `code` (the
// server's `detail` is English and for logs and API users).
export function errorText(e: unknown): string {
  if (!(e instanceof ApiError)) return t('web.error.offline');
  const p = e.problem;
  if (p.code === 'rate_limited' && p.retry_after) return t('web.error.rateLimitedFor', { wait: waitWords(p.retry_after) });
  if (p.code === 'error') return t('web.error.status', { status: p.status });
  const tooLong = /^Field '(\w+)' is too long/.exec(p.detail ?? '');
  if (tooLong && FIELD_WORDS[tooLong[1]]) return t('web.error.fieldTooLong', { field: t(FIELD_WORDS[tooLong[1]]) });
  return t('web.problem.' + p.code);
}

// The request fields a person types, by their API name.
const FIELD_WORDS: Record<string, string> = {
  email: 'web.field.email', password: 'web.field.password', current_password: 'web.field.currentPassword',
  new_password: 'web.field.newPassword', code: 'web.field.code',
};

export function waitWords(seconds: number): string {
  return seconds < 60 ? t('web.wait.seconds', { n: seconds }) : t('web.wait.minutes', { n: Math.ceil(seconds / 60) });
}

export interface Check { input: HTMLInputElement; empty: string; max?: number; tooLong?: string }

// Marks every field that fails its check; true when all pass.
export function checkFields(checks: Check[]): boolean {
  let ok = true;
  for (const c of checks) {
    const v = c.input.value;
    if (!v.trim()) { setError(c.input, c.empty); ok = false; }
    else if (c.max && [...v].length > c.max) { setError(c.input, c.tooLong ?? t('web.check.tooLong', { max: c.max })); ok = false; }
  }
  return ok;
}

export function form(onSubmit: (f: HTMLFormElement) => Promise<void>, checks: () => Check[], ...children: Node[]): HTMLFormElement {
  const f = h('form', { novalidate: true }, ...children) as HTMLFormElement;
  let busy = false;
  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (busy) return;
    f.querySelectorAll(':scope > .msg').forEach((m) => m.remove());
    if (!checkFields(checks())) { focusFirst(f); return; }
    const button = f.querySelector('button[type=submit]') as HTMLButtonElement | null;
    busy = true;
    if (button) button.disabled = true;
    try {
      await onSubmit(f);
      // A field the answer found wrong gets the focus.
      if (f.isConnected && f.querySelector('[aria-invalid="true"]')) focusFirst(f);
    } catch (e) { f.append(message(errorText(e))); } finally {
      busy = false;
      if (button) button.disabled = false;
    }
  });
  // A message about the previous attempt goes as soon as the user edits.
  f.addEventListener('input', () => f.querySelectorAll(':scope > .msg.error').forEach((m) => m.remove()));
  return f;
}

export function input(type: string, name: string, extra: Record<string, string | boolean> = {}): HTMLInputElement {
  return h('input', { type, name, ...extra }) as HTMLInputElement;
}

export const EMAIL_CHECK = (i: HTMLInputElement): Check =>
  ({ input: i, empty: t('web.check.emailEmpty'), max: 320, tooLong: t('web.check.emailTooLong', { max: 320 }) });
export const PASSWORD_CHECK = (i: HTMLInputElement, empty = t('web.check.passwordEmpty')): Check =>
  ({ input: i, empty, max: 1024, tooLong: t('web.check.passwordTooLong', { max: 1024 }) });
export const NEW_PASSWORD_CHECK = (i: HTMLInputElement): Check =>
  ({ input: i, empty: t('web.check.newPasswordEmpty'), max: 128, tooLong: t('web.check.tooLong', { max: 128 }) });
export const CODE_CHECK = (i: HTMLInputElement): Check => ({ input: i, empty: t('web.check.codeEmpty') });
