// The catalog as the web app reads it (issue #24, docs/I18N.md): for every
// area (common, mail, web, cli) every key of en is in every language and
// no language has a key en lacks, keys start with their area, each
// translation uses exactly the arguments of the English message, and every
// message parses with intl-messageformat (the library the web app renders
// with). The C++ catalog test checks the same files with icu::MessageFormat.
// Also: every literal key the web app's code asks for exists in en.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '..', '..');
const require = createRequire(path.join(root, 'web', 'package.json'));
const { parse, TYPE } = require('@formatjs/icu-messageformat-parser');
const { IntlMessageFormat } = require('intl-messageformat');

export const LANGUAGES = ['en', 'zh-Hant', 'zh-Hans', 'de', 'fr', 'es', 'ja', 'cs'];
const AREAS = ['common', 'mail', 'web', 'cli'];
const locales = path.join(root, 'locales');

// The argument names a message uses, nested plural/select branches included.
export function argumentNames(message) {
  const names = new Set();
  const walk = (elements) => {
    for (const el of elements) {
      if (el.type === TYPE.literal || el.type === TYPE.pound) continue;
      names.add(el.value);
      if (el.options) for (const o of Object.values(el.options)) walk(o.value);
      if (el.children) walk(el.children);
    }
  };
  walk(parse(message, { ignoreTag: true }));
  return [...names].sort();
}

// Every problem of one area's files, as readable lines (empty: all good).
export function problems(area, files) {
  const out = [];
  const en = files.en;
  for (const [lang, messages] of Object.entries(files)) {
    for (const [key, message] of Object.entries(messages)) {
      if (!key.startsWith(area + '.')) out.push(`${lang}/${area}: key ${key} does not start with "${area}."`);
      if (typeof message !== 'string') { out.push(`${lang}/${area}: ${key} is not a string`); continue; }
      try {
        new IntlMessageFormat(message, lang, undefined, { ignoreTag: true });
      } catch (e) { out.push(`${lang}/${area}: ${key} does not parse: ${e.message}`); continue; }
      // As in the C++ test: an ASCII apostrophe starts quoted text in ICU; words use ’.
      if (message.includes("'")) out.push(`${lang}/${area}: ${key} has an ASCII apostrophe (use ’)`);
      if (!(key in en)) { out.push(`${lang}/${area}: ${key} is not in en`); continue; }
      if (lang === 'en') continue;
      const want = argumentNames(en[key]).join(', '), got = argumentNames(message).join(', ');
      if (want !== got) out.push(`${lang}/${area}: ${key} uses {${got}}, en uses {${want}}`);
    }
    for (const key of Object.keys(en)) if (!(key in messages)) out.push(`${lang}/${area}: ${key} is missing`);
  }
  return out;
}

function readArea(area) {
  const files = {};
  for (const lang of LANGUAGES) {
    const file = path.join(locales, lang, area + '.json');
    files[lang] = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  }
  return files;
}

test('the catalog has the eight languages and nothing else', () => {
  assert.deepEqual(readdirSync(locales).sort(), [...LANGUAGES].sort());
});

for (const area of AREAS) {
  test(`${area}: every language complete, same arguments, every message parses`, (t) => {
    if (!existsSync(path.join(locales, 'en', area + '.json'))) return t.skip(`no locales/en/${area}.json yet`);
    assert.deepEqual(problems(area, readArea(area)), []);
  });
}

test('the web app asks only for keys that exist in en', () => {
  const en = { ...readArea('common').en, ...readArea('web').en };
  const src = path.join(root, 'web', 'src');
  const asked = new Set();
  for (const f of readdirSync(src).filter((f) => f.endsWith('.ts'))) {
    const code = readFileSync(path.join(src, f), 'utf8');
    for (const m of code.matchAll(/'((?:web|common)\.[A-Za-z0-9_.-]+)'/g)) {
      // A prefix ('web.problem.' + code, `web.ended.${state}.title`): some key must start with it.
      if (m[1].endsWith('.')) assert.ok(Object.keys(en).some((k) => k.startsWith(m[1])), `${f}: no key starts with ${m[1]}`);
      else asked.add(m[1]);
    }
    for (const m of code.matchAll(/`((?:web|common)\.[A-Za-z0-9_.-]*)\$\{/g))
      assert.ok(Object.keys(en).some((k) => k.startsWith(m[1])), `${f}: no key starts with ${m[1]}`);
  }
  assert.ok(asked.size > 100, `only ${asked.size} keys found: is the pattern still right?`);
  assert.deepEqual([...asked].filter((k) => !(k in en)), []);
});

// The checks themselves catch what they are for.
test('the checks find a missing key, a changed argument, an extra key, an apostrophe and a broken message', () => {
  const files = {
    en: { 'web.a': 'Hi {name}', 'web.b': '{n, plural, one {# code} other {# codes}}' },
    de: { 'web.a': 'Hallo {nom}', 'web.c': "it's" },
    fr: { 'web.a': 'Salut {name', 'web.b': '{n, plural, one {# code} other {# codes}}' },
  };
  assert.deepEqual(problems('web', files).sort(), [
    'de/web: web.a uses {nom}, en uses {name}',
    'de/web: web.b is missing',
    'de/web: web.c is not in en',
    "de/web: web.c has an ASCII apostrophe (use ’)",
    'fr/web: web.a does not parse: EXPECT_ARGUMENT_CLOSING_BRACE',
  ].sort());
  assert.deepEqual(problems('mail', { en: { 'web.x': 'y' } }), ['en/mail: key web.x does not start with "mail."']);
  assert.deepEqual(argumentNames('{a} {b, select, x {{c}} other {#}}'), ['a', 'b', 'c']);
});
