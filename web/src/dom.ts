// Tiny DOM helpers: elements are built with text nodes only (never
// innerHTML), so server or user text cannot become markup.
import { t, when } from './i18n';

type Attrs = Record<string, string | boolean | ((e: Event) => void)>;

export function h(tag: string, attrs: Attrs = {}, ...children: (Node | string | null | false)[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v as EventListener);
    else if (v === true) el.setAttribute(k, '');
    else if (v !== false) el.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== false) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

// Draws a screen. Focus goes where the user acts next: the first field
// with an error, else the element marked data-autofocus (a code field),
// else the heading (so a screen reader announces the new screen).
export function show(...nodes: Node[]) {
  const app = document.getElementById('app')!;
  app.replaceChildren(...nodes);
  focusFirst(app);
}

export function focusFirst(root: HTMLElement) {
  const target = root.querySelector<HTMLElement>('[aria-invalid="true"]') ??
    root.querySelector<HTMLElement>('[data-autofocus]') ?? root.querySelector<HTMLElement>('h1');
  if (!target) return;
  if (target.tagName === 'H1') target.tabIndex = -1;
  target.focus();
}

let fieldSeq = 0;

// A labelled input with a hint and an error line tied to it by
// aria-describedby; setError/clearError below fill that line.
export function field(label: string, input: HTMLElement, hint?: HTMLElement): HTMLElement {
  const id = input.id || 'f-' + label.toLowerCase().replace(/[^a-z]+/g, '-') + '-' + ++fieldSeq;
  input.id = id;
  const error = h('p', { class: 'field-error', id: id + '-error', hidden: true });
  const described = [id + '-error'];
  if (hint) { hint.id = hint.id || id + '-hint'; described.push(hint.id); }
  input.setAttribute('aria-describedby', described.join(' '));
  input.addEventListener('input', () => clearError(input));
  return h('div', { class: 'field' }, h('label', { for: id }, label), input, error, hint ?? null);
}

export function setError(input: HTMLElement, text: string) {
  const line = document.getElementById(input.id + '-error');
  input.setAttribute('aria-invalid', 'true');
  if (line) { line.textContent = text; line.hidden = false; }
}

export function clearError(input: HTMLElement) {
  const line = document.getElementById(input.id + '-error');
  input.removeAttribute('aria-invalid');
  if (line) { line.textContent = ''; line.hidden = true; }
}

export function message(text: string, kind: 'error' | 'info' = 'error'): HTMLElement {
  return h('p', { class: 'msg ' + kind, role: kind === 'error' ? 'alert' : 'status' }, text);
}

export function location(l: { city: string; region: string; country: string } | null): string {
  // Names as GeoIP (city, region) and the server (country) give them, in that order.
  const known = l ? [l.city, l.region, l.country].filter((x) => x) : [];
  return known.length ? known.join(', ') : t('common.location.unknown');
}

// A time as people read it (language and zone of the account), with the
// instant itself in datetime= for machines.
export function time(iso: string, zoneName: 'short' | 'long' = 'short'): HTMLElement {
  return h('time', { datetime: iso }, when(iso, zoneName));
}
