// Which of the eight languages the app speaks (SPEC U17): the account's
// once signed in; before that the one chosen in this browser's menu, else
// the browser's own (navigator.languages). Choosing in the menu while
// signed in changes the account (PATCH /v1/account), so mails and the CLI
// follow. Times are shown in the account's zone once it is known.
import { Answer, Input, authed, store } from './api';
import { h } from './dom';
import { LANGUAGES, Lang, bestLanguage, isLang, language, t, useLanguage, useTimeZone } from './i18n';

const CHOSEN = 'twostep.lang';            // localStorage: the menu's choice in this browser
const ACCOUNT_LANG = 'twostep.locale';    // sessionStorage: the account's, with the session
const ACCOUNT_ZONE = 'twostep.time_zone';

// The language and zone to start with, before anything is asked.
export async function startLanguage(): Promise<void> {
  const account = store.signedIn() ? sessionStorage.getItem(ACCOUNT_LANG) : null;
  const chosen = localStorage.getItem(CHOSEN);
  useTimeZone(store.signedIn() ? sessionStorage.getItem(ACCOUNT_ZONE) ?? undefined : undefined);
  await useLanguage(isLang(account) ? account : isLang(chosen) ? chosen : bestLanguage(navigator.languages));
}

// Takes the signed-in account's language and zone (GET /v1/account);
// true when the language on screen changed.
export async function followAccount(): Promise<boolean> {
  let data: Answer<'getAccount', 200>;
  try { ({ data } = await authed<typeof data>('GET', '/v1/account')); } catch { return false; }
  sessionStorage.setItem(ACCOUNT_ZONE, data.time_zone);
  useTimeZone(data.time_zone);
  if (!isLang(data.locale)) return false;  // a language newer than this app: keep the current one
  sessionStorage.setItem(ACCOUNT_LANG, data.locale);
  if (data.locale === language()) return false;
  await useLanguage(data.locale);
  return true;
}

let relabel = () => {};

// Signed out: the visitor's language again (this browser's choice or its own).
export async function visitorLanguage(): Promise<void> {
  await startLanguage();
  relabel();
}

// The menu in the header: each language by its own name. `redraw` puts
// the screen up again in the new language.
export function languageMenu(redraw: () => void): HTMLElement {
  const label = h('label', { for: 'language', class: 'visually-hidden' });
  const select = h('select', { id: 'language', name: 'language' },
    ...LANGUAGES.map(([code, name]) => h('option', { value: code, lang: code }, name))) as HTMLSelectElement;
  relabel = () => { label.textContent = t('common.language.label'); select.value = language(); };
  relabel();
  select.addEventListener('change', async () => {
    const l = select.value as Lang;
    localStorage.setItem(CHOSEN, l);
    await useLanguage(l);
    relabel();
    redraw();
    if (!store.signedIn()) return;
    sessionStorage.setItem(ACCOUNT_LANG, l);
    // The screen has switched either way; when the account could not be
    // changed, the next sign-in shows its language again.
    const change: Input<'updateAccount'> = { locale: l };
    try { await authed('PATCH', '/v1/account', change); } catch (e) { console.error(e); }
  });
  return h('span', { class: 'language' }, label, select);
}
