// Entry point: routes the hash to a screen.
import './styles.css';
import { store } from './api';
import { boot, changePassword, home, security, signIn, signUp, takePasswordNote } from './views';

function route() {
  const r = window.location.hash || '#/home';
  const needsSession = ['#/home', '#/security', '#/password'].includes(r);
  if (needsSession && !store.signedIn()) return signIn();
  if (r === '#/signup') return signUp();
  if (r === '#/signin') return signIn();
  if (r === '#/security') return security();
  if (r === '#/password') return changePassword(takePasswordNote());
  return home();
}

window.addEventListener('hashchange', route);
boot();
route();
