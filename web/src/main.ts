// Entry point: hash routes (Back and Forward work, a reload keeps the
// step), and the session's start and end.
import './styles.css';
import { Session, authed, store } from './api';
import { changePassword, home, refreshLists, security, setAccountHooks } from './account';
import { flow } from './flow';
import { redrawLive, startLive, stopLive } from './live';
import { followAccount, languageMenu, startLanguage, visitorLanguage } from './language';
import { codeStep, forgot, go, reset, signIn, signUp, verifyEmail, whenSignedIn } from './visitor';
import { t } from './i18n';

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

async function signedIn(s: Session) {
  store.save(s);
  flow.clear();
  await followAccount();  // the first signed-in screen already speaks the account's language
  boot();
  go('#/home');
}

export async function signedOutBy(reason: string) {
  store.clear();
  stopLive();
  if (reason === 'device_removed') store.deviceSecret = '';
  document.getElementById('who')!.textContent = '';
  history.replaceState(null, '', '#/signin');
  await visitorLanguage();
  signIn(t(reason === 'device_removed' ? 'web.signedOut.deviceRemoved' : reason === 'password_changed' ? 'web.signedOut.passwordChanged'
    : reason === 'session_ended' ? 'web.signedOut.sessionEnded' : 'web.signedOut.other'));
}

async function signOut() {
  try { await authed('DELETE', '/v1/sessions/current'); } catch { /* signed out either way */ }
  store.clear();
  stopLive();
  document.getElementById('who')!.textContent = '';
  await visitorLanguage();
  go('#/signin');
}

// A note for the next change-password screen (after a deny).
let passwordNote = '';
function takePasswordNote(): string { const n = passwordNote; passwordNote = ''; return n; }

function boot() {
  document.getElementById('who')!.textContent = store.signedIn() ? store.email : '';
  if (store.signedIn() && store.deviceSecret)
    startLive({ signedOut: signedOutBy, changed: refreshLists, denied: () => {
      passwordNote = 'web.password.deniedNote';
      if (window.location.hash === '#/password') changePassword(takePasswordNote());
      else go('#/password');
    } });
}

// The language first (its messages are loaded before the first screen),
// then the screen; a signed-in page asks the account's language and
// redraws when it differs.
async function start() {
  await startLanguage();
  document.querySelector('header.bar')!.append(languageMenu(() => { route(); redrawLive(); }));
  whenSignedIn(signedIn);
  setAccountHooks({ signedOutBy, signOut, deviceSecretChanged: boot });
  window.addEventListener('hashchange', route);
  boot();
  route();
  if (store.signedIn() && await followAccount()) { route(); redrawLive(); }
}

start();
