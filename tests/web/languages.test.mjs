// The web app in other languages (issue #24, SPEC U17): the main journey in
// Traditional Chinese (a browser set to zh-TW in Asia/Taipei) and in German,
// each screen at 375 px (screenshots and axe in tests/web/results/, and no
// element wider than its box); a browser in another language and zone that
// signs in to the account speaks the account's language with times in the
// account's zone; the language menu switches and changes the account.
// Expected words come from the catalog itself (locales/<lang>/*.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { STRONG, codeFor, device, env, root, shot, useServerAndBrowser } from './support.mjs';

useServerAndBrowser();

const { IntlMessageFormat } = createRequire(path.join(root, 'web', 'package.json'))('intl-messageformat');
const catalogs = {};
// A message of the catalog as the app renders it.
function msg(lang, key, args) {
  catalogs[lang] ??= Object.assign({}, ...['common', 'web'].map((a) =>
    JSON.parse(readFileSync(path.join(root, 'locales', lang, a + '.json'), 'utf8'))));
  assert.ok(key in catalogs[lang], `${lang} ${key}`);
  return String(new IntlMessageFormat(catalogs[lang][key], lang, undefined, { ignoreTag: true }).format(args));
}

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

// At 375 px nothing is wider than the screen or than its own box (long
// German words, CJK lines); form fields scroll their own text and the
// visually hidden captions clip on purpose.
async function fitsPhone(page, name) {
  const own = page.viewportSize();
  await page.setViewportSize({ width: 375, height: 900 });
  const wide = await page.evaluate(() => {
    const out = [];
    // Clipped to a 1 px box for screen readers only (.visually-hidden, the stacked table's head).
    const forScreenReaders = (e) => {
      for (let x = e; x; x = x.parentElement)
        if (x.getBoundingClientRect().width <= 1 && (getComputedStyle(x).overflow === 'hidden' || getComputedStyle(x).clipPath !== 'none')) return true;
      return false;
    };
    if (document.documentElement.scrollWidth > document.documentElement.clientWidth) out.push('page ' + document.documentElement.scrollWidth);
    for (const el of document.querySelectorAll('body *')) {
      if (!(el instanceof HTMLElement) || ['INPUT', 'SELECT', 'OPTION', 'TEXTAREA'].includes(el.tagName) || forScreenReaders(el)) continue;
      if (el.scrollWidth > el.clientWidth && getComputedStyle(el).display !== 'inline')
        out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className} ${el.scrollWidth}>${el.clientWidth}: ${el.textContent.slice(0, 40)}`);
    }
    return out;
  });
  assert.deepEqual(wide, [], name);
  await page.setViewportSize(own);
}

async function phoneShot(page, name) {
  await fitsPhone(page, name);
  await shot(page, name);
}

// The hour and minute of `iso` in a zone `offset` hours east of UTC without
// daylight saving time (Asia/Taipei: +8), on a 12-hour clock as zh-Hant shows it.
function taipeiClock(iso) {
  const d = new Date(Date.parse(iso) + 8 * 3600e3);
  const h = d.getUTCHours();
  return { h12: h % 12 || 12, mm: String(d.getUTCMinutes()).padStart(2, '0'), half: h < 12 ? '上午' : '下午' };
}

// The text of a <time> on screen is the instant in Taipei time, with the zone.
async function assertTaipeiTime(locator) {
  const iso = await locator.getAttribute('datetime');
  const text = await locator.textContent();
  const { h12, mm, half } = taipeiClock(iso);
  assert.match(text, new RegExp(`${half}0?${h12}:${mm}`), `${text} is ${iso} in Taipei`);
  assert.match(text, /GMT\+8|台北/, text);
}

async function signUpIn(page, lang, email, zone) {
  await page.goto(env.base + '/#/signup');
  await page.getByRole('heading', { name: msg(lang, 'web.signup.title') }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
  await page.getByLabel(msg(lang, 'web.field.email'), { exact: true }).fill(email);
  // The server's password words come in the language on screen (issue #24).
  await page.getByLabel(msg(lang, 'web.field.password'), { exact: true }).fill('password');
  await page.locator('.tips li', { hasText: msg(lang, 'common.password.warning.common') }).waitFor();
  await page.getByLabel(msg(lang, 'web.field.password'), { exact: true }).fill(STRONG);
  await page.locator('.strength-word[data-level="green"]').waitFor();
  await phoneShot(page, `${lang}-signup`);
  const registration = page.waitForRequest((r) => r.url().endsWith('/v1/accounts') && r.method() === 'POST');
  await page.getByRole('button', { name: msg(lang, 'web.signup.submit'), exact: true }).click();
  // The account is made in the language on screen and the browser's zone.
  const request = await registration;
  const body = request.postDataJSON();
  assert.deepEqual([body.locale, body.time_zone], [lang, zone]);
  assert.equal(request.headers()['accept-language'], lang);
  await page.getByRole('heading', { name: msg(lang, 'web.verify.title') }).waitFor();
  await phoneShot(page, `${lang}-verify-email`);
  await page.getByLabel(msg(lang, 'web.field.code'), { exact: true }).fill(await codeFor(email));
  await page.getByRole('heading', { name: msg(lang, 'web.home.title'), exact: true }).waitFor();
  await phoneShot(page, `${lang}-home`);
  return request;
}

async function turnOnTwoStep(page, lang, email) {
  await page.goto(env.base + '/#/security');
  await page.getByRole('switch', { name: msg(lang, 'common.product.two_step_verification') }).click();
  await page.getByLabel(msg(lang, 'web.field.emailCode')).fill(await codeFor(email));
  await page.getByText(msg(lang, 'web.twoStep.isOnTrusted')).waitFor();
}

async function signInAs(page, lang, email) {
  await page.goto(env.base + '/#/signin');
  await page.getByLabel(msg(lang, 'web.field.email'), { exact: true }).fill(email);
  await page.getByLabel(msg(lang, 'web.field.password'), { exact: true }).fill(STRONG);
  await page.getByRole('button', { name: msg(lang, 'common.action.sign_in'), exact: true }).click();
}

test('zh-TW in Asia/Taipei: the account speaks Traditional Chinese, on the trusted screen and in Login Security, in Taipei time', async () => {
  const zh = 'zh-Hant';
  const email = `web-zh-${Date.now()}@example.com`;
  const taiwan = { locale: 'zh-TW', timezoneId: 'Asia/Taipei' };
  const a = await device(375, {}, undefined, taiwan);  // Accept-Language: zh-TW
  const registration = await signUpIn(a, zh, email, 'Asia/Taipei');
  // The browser's zh-TW chose the language; the app sends the one on screen
  // (issue #24: the server's password words follow it).
  assert.equal(await registration.headerValue('accept-language'), 'zh-Hant');

  // A browser in English in New York that signs in to this account follows
  // the account: Traditional Chinese, times in Taipei; signed out, its own language again.
  const c = await device(1280, {}, undefined, { locale: 'en-US', timezoneId: 'America/New_York' });
  await c.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
  await signInAs(c, 'en', email);
  await c.getByRole('heading', { name: msg(zh, 'web.home.title'), exact: true }).waitFor();
  assert.equal(await c.evaluate(() => document.documentElement.lang), zh);
  await c.goto(env.base + '/#/security');
  const firstRow = c.locator('#login-activity tbody tr').first();
  await firstRow.waitFor();
  await assertTaipeiTime(firstRow.locator('time'));
  await c.getByRole('link', { name: msg(zh, 'web.back.me') }).click();
  await c.getByRole('button', { name: msg(zh, 'common.action.sign_out') }).click();
  await c.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
  await c.context().close();

  await turnOnTwoStep(a, zh, email);
  const b = await device(375, { 'X-Forwarded-For': '203.0.113.9' }, IPHONE, taiwan);
  await signInAs(b, zh, email);
  await b.getByText(msg(zh, 'web.code.sentToDevices', { count: 1 })).waitFor();
  await phoneShot(b, 'zh-Hant-code-step');

  // The trusted screen: the request in Traditional Chinese, its time in Taipei.
  const banner = a.locator('#banner');
  await banner.getByRole('heading', { name: msg(zh, 'web.request.title') }).waitFor();
  await banner.getByText(msg(zh, 'web.request.question')).waitFor();
  await assertTaipeiTime(banner.locator('time'));
  // The place: city and region as GeoIP gives them, the country in the account's language (CLDR).
  await banner.locator('.location', { hasText: 'London, England, 英國' }).waitFor();
  assert.equal(await banner.getByRole('button', { name: msg(zh, 'common.action.deny') }).count(), 1);
  await a.goto(env.base + '/#/security');
  await a.getByRole('heading', { name: msg(zh, 'common.product.login_activity') }).waitFor();
  await phoneShot(a, 'zh-Hant-sign-in-request');
  await banner.getByRole('button', { name: msg(zh, 'common.action.allow') }).click();
  const code = (await banner.locator('.code').textContent()).trim();
  await banner.getByText(msg(zh, 'web.request.enterOn', { device: msg(zh, 'web.device.name', { browser: 'Safari', os: 'iPhone' }) })).waitFor();
  await b.getByLabel(msg(zh, 'web.field.code'), { exact: true }).fill(code);
  await b.getByRole('heading', { name: msg(zh, 'web.home.title'), exact: true }).waitFor();

  // Login Security in Traditional Chinese: the new sign-in, in Taipei time.
  const signedIn = a.locator('#login-activity tr', { hasText: msg(zh, 'common.activity.sign_in.success', { method: 'app' }) }).first();
  await signedIn.waitFor();
  await assertTaipeiTime(signedIn.locator('time'));
  await a.getByRole('heading', { name: msg(zh, 'common.product.trusted_devices') }).waitFor();
  await a.getByRole('heading', { name: msg(zh, 'common.product.login_security') }).waitFor();
  await phoneShot(a, 'zh-Hant-login-security');

  // The menu: German now, and the account with it (the other device follows on its next load).
  const patched = a.waitForResponse((r) => r.url().endsWith('/v1/account') && r.request().method() === 'PATCH');
  await a.getByLabel(msg(zh, 'common.language.label')).selectOption('de');
  await a.getByRole('heading', { name: msg('de', 'common.product.login_security') }).waitFor();
  assert.equal(await a.evaluate(() => document.documentElement.lang), 'de');
  assert.equal((await patched).status(), 200);
  await phoneShot(a, 'menu-de-login-security');
  await b.reload();
  await b.getByRole('heading', { name: msg('de', 'web.home.title'), exact: true }).waitFor();
  assert.deepEqual([...a.foreign, ...b.foreign], []);
  await a.context().close();
  await b.context().close();
});

test('de in Europe/Berlin: the journey in German fits a phone', async () => {
  const de = 'de';
  const email = `web-de-${Date.now()}@example.com`;
  const germany = { locale: 'de-DE', timezoneId: 'Europe/Berlin' };
  const a = await device(375, {}, undefined, germany);
  await signUpIn(a, de, email, 'Europe/Berlin');
  await turnOnTwoStep(a, de, email);
  await phoneShot(a, 'de-login-security');

  const b = await device(375, { 'X-Forwarded-For': '203.0.113.9' }, IPHONE, germany);
  await b.getByRole('heading', { name: msg(de, 'common.action.sign_in'), exact: true }).waitFor();
  await phoneShot(b, 'de-signin');
  await signInAs(b, de, email);
  await b.getByText(msg(de, 'web.code.sentToDevices', { count: 1 })).waitFor();
  await phoneShot(b, 'de-code-step');
  const banner = a.locator('#banner');
  await banner.getByRole('heading', { name: msg(de, 'web.request.title') }).waitFor();
  await phoneShot(a, 'de-sign-in-request');
  await banner.getByRole('button', { name: msg(de, 'common.action.deny') }).click();
  await b.getByText(msg(de, 'web.ended.denied.text')).waitFor();
  await phoneShot(b, 'de-sign-in-denied');
  await a.getByRole('heading', { name: msg(de, 'web.password.title') }).waitFor();
  await a.getByText(msg(de, 'web.password.deniedNote')).waitFor();
  await a.getByLabel(msg(de, 'web.field.currentPassword')).fill(STRONG);
  await a.getByRole('button', { name: msg(de, 'web.pwhelp.generate') }).click();
  await a.locator('.strength-word[data-level="green"]').waitFor();
  await phoneShot(a, 'de-change-password');
  assert.deepEqual([...a.foreign, ...b.foreign], []);
  await a.context().close();
  await b.context().close();
});

test('before sign-in: the browser’s language picks the best of the eight; a choice in the menu stays in this browser', async () => {
  const cases = [['zh-HK', 'zh-Hant'], ['zh-CN', 'zh-Hans'], ['zh', 'zh-Hans'], ['de-AT', 'de'], ['fr-CA', 'fr'], ['es-MX', 'es'],
    ['ja-JP', 'ja'], ['cs-CZ', 'cs'], ['pt-BR', 'en'], ['en-GB', 'en']];
  for (const [browser, lang] of cases) {
    const p = await device(375, {}, undefined, { locale: browser });
    await p.getByRole('heading', { name: msg(lang, 'common.action.sign_in'), exact: true }).waitFor();
    assert.equal(await p.evaluate(() => document.documentElement.lang), lang, browser);
    assert.equal(await p.title(), msg(lang, 'web.app.title'));
    assert.equal(await p.getByLabel(msg(lang, 'common.language.label')).inputValue(), lang);
    await p.context().close();
  }
  const p = await device(375, {}, undefined, { locale: 'en-US' });
  await p.getByLabel('Language').selectOption('ja');
  await p.getByRole('heading', { name: msg('ja', 'common.action.sign_in'), exact: true }).waitFor();
  await p.getByRole('link', { name: msg('ja', 'web.signin.createLink') }).click();
  await p.getByRole('heading', { name: msg('ja', 'web.signup.title') }).waitFor();
  await phoneShot(p, 'ja-signup');
  await p.reload();
  await p.getByRole('heading', { name: msg('ja', 'web.signup.title') }).waitFor();
  assert.equal(await p.evaluate(() => document.documentElement.lang), 'ja');
  await p.context().close();
});
