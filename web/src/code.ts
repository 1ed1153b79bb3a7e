// The code field: one input that behaves like six boxes. It keeps digits
// only, so "617 244" or "617-244" pasted or typed becomes 617244 (the
// spaces are removed before anything is cut), and the form is sent as soon
// as the sixth digit is there. autocomplete="one-time-code" lets the
// phone offer a code from a message.
import { h } from './dom';

export function codeInput(autosubmit = true): HTMLInputElement {
  const c = h('input', { type: 'text', name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code',
    maxlength: '32', spellcheck: 'false', class: 'code-input', 'data-autofocus': true }) as HTMLInputElement;
  let sent = '';
  c.addEventListener('input', () => {
    const digits = c.value.replace(/\D/g, '').slice(0, 6);
    if (c.value !== digits) c.value = digits;
    c.dataset.filled = String(digits.length);
    if (autosubmit && digits.length === 6 && digits !== sent) {
      sent = digits;  // a wrong code is not sent twice by the same input
      c.form?.requestSubmit();
    }
    if (digits.length < 6) sent = '';
  });
  return c;
}
