// Tiny DOM helpers: elements are built with text nodes only (never
// innerHTML), so server or user text cannot become markup.
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

export function show(...nodes: Node[]) {
  const app = document.getElementById('app')!;
  app.replaceChildren(...nodes);
  const first = app.querySelector<HTMLElement>('h1');
  if (first) { first.tabIndex = -1; first.focus(); }
}

export function field(label: string, input: HTMLElement, hint?: HTMLElement): HTMLElement {
  const id = 'f-' + label.toLowerCase().replace(/[^a-z]+/g, '-');
  input.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), input, hint ?? null);
}

export function message(text: string, kind: 'error' | 'info' = 'error'): HTMLElement {
  return h('p', { class: 'msg ' + kind, role: kind === 'error' ? 'alert' : 'status' }, text);
}

export function location(l: { city: string; region: string; country: string } | null): string {
  if (!l) return 'Unknown';
  return [l.city, l.region, l.country].filter((x) => x).join(', ') || 'Unknown';
}

export function when(iso: string): string {
  return new Date(iso).toLocaleString();
}
