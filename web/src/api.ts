// The twostepd HTTP API from the browser. Where each secret lives (OWASP
// guidance for browser apps; see docs/DESIGN.md "Web app"):
//  - access token: memory only (gone on reload; a refresh brings a new one);
//  - refresh token: sessionStorage (this tab only; dies with the tab);
//  - install id and device secret: localStorage (the browser is a device and
//    must stay the same device, like a phone app's keychain entry).
// The strict CSP (no inline script, connect-src 'self') limits what an
// injected script could do with them.

// The shapes of the API, generated from docs/openapi.yaml
// (bash scripts/openapi.sh types; the test suite fails when it is stale).
import type { components, operations } from './api-types';
import { language, t } from './i18n';
export type Schemas = components['schemas'];
// The JSON body an operation answers with `status`.
export type Answer<Op extends keyof operations, Status extends number> =
  operations[Op]['responses'] extends { [K in Status]: { content: { 'application/json': infer T } } } ? T : never;
// The JSON body an operation takes.
export type Input<Op extends keyof operations> =
  operations[Op] extends { requestBody: { content: { 'application/json': infer T } } } ? T : never;
export type Challenge = Schemas['Challenge'];
export type Session = Schemas['Session'];
// The problem fields the app reads; `code` is 'error' for answers without a problem body.
export type Problem = Pick<Schemas['Problem'], 'status' | 'detail' | 'attempts_left' | 'retry_after' | 'challenge_id'> &
  { code: Schemas['ProblemCode'] | 'error' };

export class ApiError extends Error {
  constructor(public problem: Problem) { super(problem.detail); }
}

let accessToken = '';

function randomId(): string {
  const b = new Uint8Array(12);
  crypto.getRandomValues(b);
  return 'web-' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export function installId(): string {
  let id = localStorage.getItem('twostep.install_id');
  if (!id) { id = randomId(); localStorage.setItem('twostep.install_id', id); }
  return id;
}

// "Safari on iPhone", "Chrome on Windows": what the owner recognises in
// Trusted Devices, Login Activity and the sign-in request (the server shows
// the description the device sends). Model: the browser and its version.
export function browserName(ua: string): { browser: string; version: string; os: string } {
  const pick = (re: RegExp) => re.exec(ua)?.[1] ?? '';
  const os = /iPhone/.test(ua) ? 'iPhone' : /iPad/.test(ua) ? 'iPad' : /Android/.test(ua) ? 'Android'
    : /Windows/.test(ua) ? 'Windows' : /Mac OS X|Macintosh/.test(ua) ? 'Mac' : /CrOS/.test(ua) ? 'ChromeOS'
    : /Linux/.test(ua) ? 'Linux' : '';
  if (/Edg\//.test(ua)) return { browser: 'Edge', version: pick(/Edg\/(\d+)/), os };
  if (/Firefox\/|FxiOS\//.test(ua)) return { browser: 'Firefox', version: pick(/(?:Firefox|FxiOS)\/(\d+)/), os };
  if (/CriOS\//.test(ua)) return { browser: 'Chrome', version: pick(/CriOS\/(\d+)/), os };
  if (/Chrome\//.test(ua)) return { browser: 'Chrome', version: pick(/Chrome\/(\d+)/), os };
  if (/Safari\//.test(ua)) return { browser: 'Safari', version: pick(/Version\/(\d+)/), os };
  return { browser: '', version: '', os };
}

// The name is in the language on screen when the device signs in (as a
// phone names itself in its owner's language); browser and system names
// are proper names.
export function device() {
  const b = browserName(navigator.userAgent);
  const browser = b.browser || t('web.device.unknownBrowser');
  return { id: installId(), name: t('web.device.name', { browser, os: b.os || t('web.device.unknownOs') }),
           model: (browser + ' ' + b.version).trim(), os: b.os || 'Web', app: 'kasa', app_version: 'web-1.0' };
}

export const store = {
  get email() { return sessionStorage.getItem('twostep.email') ?? ''; },
  get refresh() { return sessionStorage.getItem('twostep.refresh') ?? ''; },
  get deviceSecret() { return localStorage.getItem('twostep.device_secret') ?? ''; },
  set deviceSecret(v: string) { if (v) localStorage.setItem('twostep.device_secret', v); else localStorage.removeItem('twostep.device_secret'); },
  get token() { return accessToken; },
  save(s: Session) {
    accessToken = s.access_token;
    sessionStorage.setItem('twostep.refresh', s.refresh_token);
    sessionStorage.setItem('twostep.email', s.account.email);
    if (s.device_secret) store.deviceSecret = s.device_secret;
  },
  clear() {
    accessToken = '';
    sessionStorage.removeItem('twostep.refresh');
    sessionStorage.removeItem('twostep.email');
    // The account's language and zone (language.ts) go with the session.
    sessionStorage.removeItem('twostep.locale');
    sessionStorage.removeItem('twostep.time_zone');
  },
  signedIn() { return !!store.refresh; },
};

async function send(method: string, path: string, body?: unknown, token?: string): Promise<Response> {
  // The language on screen: the server words password warnings and
  // weak_password refusals in it (issue #24; a CORS-safelisted header).
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': language() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = 'Bearer ' + token;
  return fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store', credentials: 'omit' });
}

async function parse<T>(r: Response): Promise<T> {
  const text = await r.text();
  const data = text ? JSON.parse(text) : null;
  if (!r.ok && r.status !== 202) throw new ApiError({ status: r.status, ...(data ?? { code: 'error', detail: `HTTP ${r.status}` }) });
  return data as T;
}

export async function call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; data: T }> {
  const r = await send(method, path, body);
  return { status: r.status, data: await parse<T>(r) };
}

// Concurrent callers share one refresh: the server rotates the refresh
// token on every use and treats a second use of the old one as theft
// (the whole family is revoked), so two parallel refreshes signed the user out.
let refreshing: Promise<boolean> | null = null;

export function refresh(): Promise<boolean> {
  if (!refreshing) refreshing = refreshOnce().finally(() => { refreshing = null; });
  return refreshing;
}

async function refreshOnce(): Promise<boolean> {
  const token = store.refresh;
  if (!token) return false;
  let r: Response;
  try { r = await send('POST', '/v1/sessions/refresh', { refresh_token: token }); } catch { return false; }
  if (!r.ok) { if (r.status === 401 || r.status === 400) store.clear(); return false; }
  store.save(await r.json());
  return true;
}

// An authenticated call; refreshes the access token once when it expired.
export async function authed<T>(method: string, path: string, body?: unknown): Promise<{ status: number; data: T }> {
  if (!store.token && !(await refresh())) throw new ApiError({ status: 401, code: 'unauthorized', detail: 'no session' });
  const used = store.token;
  let r = await send(method, path, body, used);
  // Another call may have refreshed meanwhile: retry with its token first.
  if (r.status === 401 && (store.token !== used || (await refresh()))) r = await send(method, path, body, store.token);
  if (r.status === 401) store.clear();
  return { status: r.status, data: await parse<T>(r) };
}
