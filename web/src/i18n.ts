// The web app's languages (issue #24, SPEC U17, docs/I18N.md "Web app").
// Messages come from the one catalog, locales/<lang>/{common,web}.json,
// imported at build time (one chunk per file, so a page loads only its own
// language; nothing is fetched at run time beyond the app's own scripts)
// and rendered with intl-messageformat. Dates, times and numbers use Intl
// in the chosen language, times in the account's zone once it is known.
import { IntlMessageFormat } from 'intl-messageformat';

// The menu's order and each language's own name for itself.
export const LANGUAGES = [
  ['en', 'English'], ['zh-Hant', '繁體中文'], ['zh-Hans', '简体中文'], ['de', 'Deutsch'],
  ['fr', 'Français'], ['es', 'Español'], ['ja', '日本語'], ['cs', 'Čeština'],
] as const;
export type Lang = (typeof LANGUAGES)[number][0];
const CODES: readonly string[] = LANGUAGES.map(([code]) => code);

export function isLang(x: unknown): x is Lang { return typeof x === 'string' && CODES.includes(x); }

type Catalog = Record<string, string>;
const files = import.meta.glob<Catalog>('../../locales/*/{common,web}.json', { import: 'default' });

let lang: Lang = 'en';
let zone: string | undefined;  // undefined: the browser's own zone
let catalog: Catalog = {};
let formats = new Map<string, IntlMessageFormat>();

const loaded = new Map<Lang, Promise<Catalog>>();

function load(l: Lang): Promise<Catalog> {
  let c = loaded.get(l);
  if (!c) {
    c = Promise.all(['common', 'web'].map((area) => files[`../../locales/${l}/${area}.json`]?.() ?? {}))
      .then((parts) => Object.assign({}, ...parts) as Catalog);
    loaded.set(l, c);
  }
  return c;
}

// Loads a language and makes it the page's: later t() calls and <html lang>.
export async function useLanguage(l: Lang): Promise<void> {
  const [english, own] = await Promise.all([load('en'), load(l)]);
  // English fills any gap (the catalog test keeps every language complete).
  catalog = { ...english, ...own };
  formats = new Map();
  lang = l;
  document.documentElement.lang = l;
  document.title = t('web.app.title');
}

export function language(): Lang { return lang; }

// The account's IANA zone; an unknown name leaves the browser's zone.
export function useTimeZone(tz: string | undefined) {
  try { zone = tz ? new Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone : undefined; } catch { zone = undefined; }
}

export function browserTimeZone(): string { return Intl.DateTimeFormat().resolvedOptions().timeZone; }

export type Args = Record<string, string | number>;

// The message `key` with its arguments. ICU syntax only: tags like <b> are
// text (the C++ side has no tags either), and the result is always put in
// the page as text (dom.ts never uses innerHTML).
export function t(key: string, args?: Args): string {
  if (!(key in catalog)) return key;  // never parsed: it may be any text (a note kept from an older version)
  let f = formats.get(key);
  if (!f) {
    f = new IntlMessageFormat(catalog[key], lang, undefined, { ignoreTag: true });
    formats.set(key, f);
  }
  return String(f.format(args));
}

export function hasMessage(key: string): boolean { return key in catalog; }

// "Dec 2, 2026, 10:15 AM GMT+1" in the chosen language and the account's
// zone. `zoneName: 'long'` ("… Central European Standard Time") where one
// time decides something (the sign-in request), as in the mails.
export function when(iso: string, zoneName: 'short' | 'long' = 'short'): string {
  return new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
    timeZoneName: zoneName, timeZone: zone }).format(new Date(iso));
}

// A list of names joined the language's way ("A, B, and C"; "A、B和C").
export function list(items: string[]): string {
  return new Intl.ListFormat(lang, { type: 'conjunction' }).format(items);
}

// The best of the eight for the browser's preference list, e.g. zh-TW and
// zh-HK → zh-Hant, zh and zh-CN → zh-Hans, de-AT → de; nothing fits → en.
export function bestLanguage(preferred: readonly string[]): Lang {
  for (const tag of preferred) {
    let loc: Intl.Locale;
    try { loc = new Intl.Locale(tag).maximize(); } catch { continue; }
    if (loc.language === 'zh') return loc.script === 'Hant' ? 'zh-Hant' : 'zh-Hans';
    if (isLang(loc.language)) return loc.language;
  }
  return 'en';
}
