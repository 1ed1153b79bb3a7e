// End-to-end tests of the web app in Debian's Chromium (playwright-core,
// never a downloaded browser) against the real twostepd: browser contexts
// are devices. Screenshots (and axe-core checks) of each screen at 375 px
// and 1280 px go to tests/web/results/ (tests/web/support.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { STRONG, codeFor, device, env, shot, signIn, signUp, turnOnTwoStep, useServerAndBrowser } from './support.mjs';

useServerAndBrowser();

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

test('two devices: the sign-in request with its map, Allow, trust, live lists, removal signs out at once', async () => {
  const email = `web-${Date.now()}@example.com`;
  const a = await device(1280);
  await signUp(a, email, true);
  await shot(a, 'home');
  await turnOnTwoStep(a, email, false);

  const b = await device(375, { 'X-Forwarded-For': '203.0.113.9' }, IPHONE);
  await signIn(b, email, STRONG, true);
  await b.getByText('We sent a code to 1 trusted device.').waitFor();
  assert.match(await b.getByRole('button', { name: /Resend \(\d+ s\)/ }).textContent(), /Resend \(\d+ s\)/);
  assert.equal(await b.getByRole('button', { name: /Resend/ }).isDisabled(), true);
  const field = b.getByLabel('Verification code');
  assert.equal(await field.getAttribute('autocomplete'), 'one-time-code');
  assert.equal(await b.evaluate(() => document.activeElement?.getAttribute('name')), 'code');  // focus on the code
  await shot(b, 'code-step');
  // A reload keeps the step.
  await b.reload();
  await b.getByText('We sent a code to 1 trusted device.').waitFor();

  // The trusted browser: who and where first, the code only after Allow.
  const banner = a.locator('#banner');
  await banner.getByRole('heading', { name: 'Sign-in request' }).waitFor();
  assert.equal(await banner.locator('.code').count(), 0);
  const text = await banner.textContent();
  assert.match(text, /203\.0\.113\.9/);
  assert.match(text, /London, England, United Kingdom/);
  assert.match(text, /Safari on iPhone \(Safari 17, iPhone\)/);
  await banner.locator('svg.world-map .dot[data-country="GB"]').waitFor();
  assert.equal(await banner.getByRole('img', { name: /Map: the request comes from near London/ }).count(), 1);
  await a.goto(env.base + '/#/security');
  await a.getByRole('heading', { name: 'Login Activity' }).waitFor();
  await shot(a, 'sign-in-request');
  await banner.getByRole('button', { name: 'Allow' }).click();
  const code = (await banner.locator('.code').textContent()).trim();
  assert.match(code, /^\d{6}$/);
  await shot(a, 'sign-in-request-code');

  const wrong = code === '000000' ? '111111' : '000000';
  await field.fill(wrong);  // sent on the sixth digit
  await b.getByText('That code is not correct. 4 attempts left.').waitFor();
  const described = await field.getAttribute('aria-describedby');
  assert.match(await b.locator('#' + described.split(' ')[0]).textContent(), /4 attempts left/);
  await shot(b, 'wrong-code');
  await field.fill(code.slice(0, 3) + ' ' + code.slice(3));  // pasted with a space: all six digits kept
  await b.getByRole('heading', { name: 'Me' }).waitFor();
  await banner.waitFor({ state: 'hidden' });

  // A's lists follow without a reload: the new device signed in elsewhere.
  const row = a.locator('.device', { hasText: 'Safari on iPhone' }).filter({ hasText: 'London' });
  await row.waitFor();
  await a.locator('#login-activity td', { hasText: 'Signed in with a code from a trusted device' }).first().waitFor();
  assert.equal(await a.locator('#login-activity td', { hasText: 'invalid_code' }).count(), 0);
  await a.locator('#login-activity svg.world-map .dot[data-country="GB"]').waitFor();
  await shot(a, 'login-security');
  // On a phone the activity is stacked: no sideways scrolling.
  await a.setViewportSize({ width: 375, height: 900 });
  assert.ok(await a.evaluate(() => document.documentElement.scrollWidth <= 375));
  await a.setViewportSize({ width: 1280, height: 900 });

  await b.goto(env.base + '/#/home');
  await row.getByRole('button', { name: /Remove/ }).click();  // confirmation accepted
  await b.getByText('This browser was removed from your trusted devices').waitFor();
  await b.getByRole('heading', { name: 'Sign in' }).waitFor();
  await shot(b, 'signed-out');
  assert.deepEqual([...a.foreign, ...b.foreign], []);
  await a.context().close();
  await b.context().close();
});

test('the Two-Step switch is a real switch; switching on again asks for the password', async () => {
  const email = `web-again-${Date.now()}@example.com`;
  const a = await device(1280);
  await signUp(a, email);
  await a.goto(env.base + '/#/security');
  const sw = a.getByRole('switch', { name: 'Two-Step Verification' });
  assert.equal(await sw.getAttribute('aria-checked'), 'false');
  assert.equal(await sw.textContent(), 'Two-Step VerificationOff');
  await sw.click();
  // Waiting for the code: still off, and it says so.
  await a.getByLabel('Code from the email').waitFor();
  assert.equal(await sw.getAttribute('aria-checked'), 'false');
  assert.match(await sw.textContent(), /Off$/);
  assert.equal(await a.getByRole('button', { name: 'Turn off' }).count(), 0);
  await shot(a, 'two-step-turning-on');
  await a.getByLabel('Code from the email').fill(await codeFor(email, 'Your kasa code to turn on'));
  await a.getByText('Two-Step Verification is on.').waitFor();
  assert.equal(await a.getByRole('switch', { name: 'Two-Step Verification' }).getAttribute('aria-checked'), 'true');
  assert.match(await a.getByRole('switch').textContent(), /On$/);

  await a.getByRole('switch').click();
  await a.getByLabel('Password', { exact: true }).fill(STRONG);
  await shot(a, 'two-step-turning-off');
  await a.getByRole('button', { name: 'Turn off' }).click();
  await a.getByText('Two-Step Verification is off.').waitFor();
  assert.equal(await a.getByRole('switch').getAttribute('aria-checked'), 'false');
  // The mailbox was proven the first time: now the password is asked.
  await a.getByRole('switch').click();
  await a.getByLabel('Password', { exact: true }).fill(STRONG);
  await a.getByRole('button', { name: 'Turn on' }).click();
  await a.getByText('Two-Step Verification is on.').waitFor();
  assert.equal(await a.getByRole('switch').getAttribute('aria-checked'), 'true');
  await a.context().close();
});

test('moved to email replaces the request; a deny reaches the new device at once, with Start over', async () => {
  const email = `web-deny-${Date.now()}@example.com`;
  const a = await device(375);
  await signUp(a, email);
  await turnOnTwoStep(a, email);

  const c = await device(1280);
  // Keyboard only: focus starts at the heading, Tab walks the form, Enter submits.
  await c.goto(env.base + '/#/signin');
  await c.getByRole('heading', { name: 'Sign in' }).waitFor();
  await c.keyboard.press('Tab');
  await c.keyboard.type(email);
  await c.keyboard.press('Tab');
  await c.keyboard.type(STRONG);
  await c.keyboard.press('Enter');
  await c.getByText('We sent a code to 1 trusted device.').waitFor();
  const banner = a.locator('#banner');
  await banner.getByRole('heading', { name: 'Sign-in request' }).waitFor();
  await banner.getByRole('button', { name: 'Allow' }).click();
  await banner.locator('.code').waitFor();
  await c.getByRole('button', { name: 'Did not receive a code? Receive code via Email' }).click();
  await c.getByText(/We sent a code to .\*\*\*@example\.com\./).waitFor();
  await shot(c, 'code-by-email');
  // The trusted screen no longer shows the dead app code.
  await banner.getByRole('heading', { name: 'Sign-in request moved to email' }).waitFor();
  assert.equal(await banner.locator('.code').count(), 0);
  await shot(a, 'request-moved-to-email');
  await banner.getByRole('button', { name: 'OK' }).click();

  const d = await device(1280);
  await signIn(d, email);
  await d.getByText('We sent a code to 1 trusted device.').waitFor();
  await banner.getByRole('heading', { name: 'Sign-in request' }).waitFor();
  await banner.getByRole('button', { name: "This wasn’t me" }).click();
  // The new device learns it without submitting anything.
  await d.getByText('This sign-in was denied from a trusted device.').waitFor();
  await shot(d, 'sign-in-denied');
  await d.getByRole('button', { name: 'Start over' }).click();
  await d.getByRole('heading', { name: 'Sign in' }).waitFor();

  await a.getByText('You denied a sign-in').waitFor();
  await a.getByRole('heading', { name: 'Change password' }).waitFor();
  await a.getByLabel('Current password').fill(STRONG);
  await a.getByRole('button', { name: 'Generate a strong password' }).click();
  await a.getByText(/Very strong|Strong/).first().waitFor();
  await shot(a, 'change-password');
  await a.context().close();
  await c.context().close();
  await d.context().close();
});

// A sign-in made elsewhere, straight to the API, from `ip` (the server
// trusts loopback's X-Forwarded-For in these tests).
async function signInElsewhere(email, ip, name) {
  const device = { id: `elsewhere-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`, name, model: 'ThinkPad',
    os: 'Linux', app: 'kasa', app_version: '1.0' };
  const r = await fetch(env.base + '/v1/sessions', { method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': ip },
    body: JSON.stringify({ email, password: STRONG, device }) });
  assert.equal(r.status, 200);
}

test('an untrusted browser on Login Security follows sign-ins elsewhere; a dot per place on the map', async () => {
  const email = `web-follow-${Date.now()}@example.com`;
  const u = await device(1280, { 'X-Forwarded-For': '203.0.113.9' });  // London
  const sockets = [];
  u.on('websocket', (ws) => sockets.push(ws.url()));
  await signUp(u, email);  // Two-Step off: this browser is not a trusted device
  await u.goto(env.base + '/#/security');
  const activity = u.locator('#login-activity');
  await activity.locator('td', { hasText: 'London' }).first().waitFor();
  assert.equal(await activity.locator('svg.world-map .dot').count(), 1);
  await u.evaluate(() => { window.notReloaded = true; });

  // Two places in one country: a second dot, not a second highlight of the country only.
  await signInElsewhere(email, '2001:db8:3::7', 'Laptop in Manchester');
  await activity.locator('td', { hasText: 'Laptop in Manchester' }).first().waitFor({ timeout: 25000 });
  await activity.locator('svg.world-map .dot[data-place="Manchester, England, United Kingdom"]').waitFor();
  assert.equal(await activity.locator('svg.world-map .dot[data-country="GB"]').count(), 2);
  assert.equal(await u.evaluate(() => window.notReloaded), true);  // redrawn in place, not reloaded
  assert.deepEqual(sockets, []);  // no live socket: an untrusted browser has none
  await shot(u, 'login-activity-two-places');
  assert.deepEqual(u.foreign, []);
  await u.context().close();
});

test('Login Security says when mail to the address could not be delivered', async () => {
  const email = `web-bounce-${Date.now()}@example.com`;
  const a = await device(1280);
  await signUp(a, email);  // signed in once the email is verified
  // What the outbox records after an SMTP 5xx (tests/integration/test_mail_bounce.py
  // drives the real refusal); here only the screen is under test.
  execFileSync('sqlite3', [path.join(env.dir, 'var', 'twostep.db'),
    `UPDATE accounts SET email_undeliverable_since = 1 WHERE email = '${email}'`]);
  await a.goto(env.base + '/#/security');
  await a.getByRole('alert').filter({ hasText: 'We could not deliver mail to w***@example.com' }).waitFor();
  await shot(a, 'login-security-undeliverable');
  await a.context().close();
});

test('the server sends the web app with strict security headers', async () => {
  const r = await fetch(env.base + '/');
  assert.equal(r.status, 200);
  const csp = r.headers.get('content-security-policy');
  assert.match(csp, /script-src 'self'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
  const html = await r.text();
  assert.doesNotMatch(html, /<script>(?!<)/);
  const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)[1];
  const js = await fetch(env.base + asset);
  assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.match(js.headers.get('cache-control'), /immutable/);
  assert.equal((await fetch(env.base + '/#/security')).status, 200);
  assert.equal((await fetch(env.base + '/v1/nope')).status, 404);
});
