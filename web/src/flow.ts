// The step a visitor is in (verify the email, enter a sign-in code, reset
// the password), kept in sessionStorage so a reload or Back/Forward shows
// the same step again. The password a user just typed is kept in memory
// only (never stored): it signs them in after the email is verified, and
// after a reload they type it again.
import type { Challenge } from './api';

export type Flow =
  | { kind: 'verify'; email: string; challenge_id: string; note?: string }
  | { kind: 'code'; email: string; challenge: Challenge }
  | { kind: 'reset'; email: string; challenge_id: string };

const KEY = 'twostep.flow';
let typedPassword = '';

export const flow = {
  get(): Flow | null {
    try { return JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Flow | null; } catch { return null; }
  },
  set(f: Flow) { sessionStorage.setItem(KEY, JSON.stringify(f)); },
  clear() { sessionStorage.removeItem(KEY); typedPassword = ''; },
  rememberPassword(p: string) { typedPassword = p; },
  password(): string { return typedPassword; },
};
