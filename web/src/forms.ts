// Forms and their checks: empty and too-long fields are caught in the page
// (with the limit in words), each error is tied to its field
// (aria-describedby) and focus goes to the first one; server problems are
// put in human words.
import { ApiError } from './api';
import { focusFirst, h, message, setError } from './dom';

export function errorText(e: unknown): string {
  if (!(e instanceof ApiError)) return 'Cannot reach the server. Check your connection and try again.';
  const p = e.problem;
  if (p.code === 'rate_limited')
    return p.retry_after ? `Too many attempts. Try again in ${waitWords(p.retry_after)}.` : 'Too many attempts. Try again later.';
  const tooLong = /^Field '(\w+)' is too long/.exec(p.detail ?? '');
  if (tooLong) return `The ${tooLong[1].replace(/_/g, ' ')} you entered is too long.`;
  return p.detail;
}

export function waitWords(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const m = Math.ceil(seconds / 60);
  return `${m} minute${m === 1 ? '' : 's'}`;
}

export interface Check { input: HTMLInputElement; empty: string; max?: number; tooLong?: string }

// Marks every field that fails its check; true when all pass.
export function checkFields(checks: Check[]): boolean {
  let ok = true;
  for (const c of checks) {
    const v = c.input.value;
    if (!v.trim()) { setError(c.input, c.empty); ok = false; }
    else if (c.max && [...v].length > c.max) { setError(c.input, c.tooLong ?? `Use at most ${c.max} characters.`); ok = false; }
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
  ({ input: i, empty: 'Enter your email address.', max: 320, tooLong: 'An email address has at most 320 characters.' });
export const PASSWORD_CHECK = (i: HTMLInputElement, empty = 'Enter your password.'): Check =>
  ({ input: i, empty, max: 1024, tooLong: 'A password has at most 1024 characters.' });
export const NEW_PASSWORD_CHECK = (i: HTMLInputElement): Check =>
  ({ input: i, empty: 'Choose a password.', max: 128, tooLong: 'Use at most 128 characters.' });
export const CODE_CHECK = (i: HTMLInputElement): Check => ({ input: i, empty: 'Enter the 6-digit code.' });
