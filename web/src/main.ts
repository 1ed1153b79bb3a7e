// Entry point: hash routes (Back and Forward work, a reload keeps the
// step), and the session's start and end.
import './styles.css';
import { Session, authed, store } from './api';
import { changePassword, home, refreshLists, security, setAccountHooks } from './account';
import { flow } from './flow';
import { startLive, stopLive } from './live';
import { codeStep, forgot, go, reset, signIn, signUp, verifyEmail, whenSignedIn } from './visitor';

const VISITOR: Record<string, () => void> = {
  '#/signin': () => signIn(), '#/signup': signUp, '#/forgot': forgot, '#/reset': reset,
  '#/verify': verifyEmail, '#/code': codeStep,
};
const SIGNED_IN: Record<string, () => void> = {
  '#/home': home, '#/security': () => security(), '#/password': () => changePassword(takePasswordNote()),
};

function route() {
  const r = window.location.hash || (store.signedIn() ? '#/home' : '#/signin');
  if (store.signedIn()) return (SIGNED_IN[r] ?? home)();
  // A visitor never sees the signed-in menu: unknown and signed-in routes sign in first.
  (VISITOR[r] ?? (() => signIn()))();
}

function signedIn(s: Session) {
  store.save(s);
  flow.clear();
  boot();
  go('#/home');
}

export function signedOutBy(reason: string) {
  store.clear();
  stopLive();
  if (reason === 'device_removed') store.deviceSecret = '';
  document.getElementById('who')!.textContent = '';
  history.replaceState(null, '', '#/signin');
  signIn(reason === 'device_removed' ? 'This browser was removed from your trusted devices and signed out.'
    : reason === 'password_changed' ? 'Your password was changed: sign in again.'
    : reason === 'session_ended' ? 'Please sign in again.' : 'You were signed out.');
}

async function signOut() {
  try { await authed('DELETE', '/v1/sessions/current'); } catch { /* signed out either way */ }
  store.clear();
  stopLive();
  document.getElementById('who')!.textContent = '';
  go('#/signin');
}

// A note for the next change-password screen (after a deny).
let passwordNote = '';
function takePasswordNote(): string { const n = passwordNote; passwordNote = ''; return n; }

function boot() {
  document.getElementById('who')!.textContent = store.signedIn() ? store.email : '';
  if (store.signedIn() && store.deviceSecret)
    startLive({ signedOut: signedOutBy, changed: refreshLists, denied: () => {
      passwordNote = 'You denied a sign-in: whoever tried knows your password. Change it now.';
      if (window.location.hash === '#/password') changePassword(takePasswordNote());
      else go('#/password');
    } });
}

whenSignedIn(signedIn);
setAccountHooks({ signedOutBy, signOut, deviceSecretChanged: boot });
window.addEventListener('hashchange', route);
boot();
route();
