// End-to-end tests of the web app in Debian's Chromium (playwright-core,
// never a downloaded browser) against the real twostepd: two browser
// contexts are two devices. Screenshots of each screen at 375 px and
// 1280 px go to tests/web/results/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { createRequire } from 'node:module';

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '..', '..');
const require = createRequire(path.join(root, 'web', 'package.json'));
const { chromium } = require('playwright-core');
const TWOSTEPD = process.env.TWOSTEPD ?? path.join(root, 'build', 'twostepd');
const results = path.join(here, 'results');
const STRONG = 'correct horse battery staple 42';

let server, base, dir, browser;

async function startServer() {
  dir = mkdtempSync(path.join(tmpdir(), 'twostep-web-'));
  const geo = path.join(dir, 'geoip');
  mkdirSync(geo);
  execFileSync('perl', [path.join(root, 'tests', 'geoip', 'make_test_mmdb.pl'), geo]);
  const config = path.join(dir, 'twostep.toml');
  writeFileSync(config, `
data_dir = "${dir}/var"
[server]
listen = "127.0.0.1:0"
management_listen = ""
trusted_proxies = ["127.0.0.1"]
[web]
dir = "${root}/web/dist"
[geoip]
databases = ["${geo}/nested.mmdb"]
[security]
argon2_iterations = 1
argon2_memory_kib = 8192
`);
  const env = { ...process.env };
  server = spawn(TWOSTEPD, ['--config', config], { env, stdio: ['ignore', 'pipe', 'ignore'] });
  const lines = readline.createInterface({ input: server.stdout });
  base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('twostepd did not start')), 20000);
    lines.on('line', (l) => { const m = /^listening on (http:\/\/\S+)$/.exec(l); if (m) { clearTimeout(timer); resolve(m[1]); } });
  });
}

// The newest code mailed to `email` (mail files are written by the server).
async function codeFor(email, subject) {
  const mailDir = path.join(dir, 'var', 'mail');
  const deadline = Date.now() + 20000;
  const seen = new Set(codeFor.used ?? []);
  while (Date.now() < deadline) {
    let files = [];
    try { files = readdirSync(mailDir).filter((f) => f.endsWith('.eml')).sort(); } catch {}
    for (const f of files.reverse()) {
      if (seen.has(f)) continue;
      const text = readFileSync(path.join(mailDir, f), 'utf8');
      if (!text.includes(`To: ${email}\r\n`) || (subject && !text.includes(`Subject: ${subject}`))) continue;
      const part = text.split('Content-Type: text/plain; charset=utf-8')[1];
      const body = Buffer.from(part.split('\r\n\r\n')[1].split('--')[0].replace(/\s/g, ''), 'base64').toString();
      const m = /\b(\d{6})\b/.exec(body);
      if (m) { (codeFor.used ??= []).push(f); return m[1]; }
    }
    await new Promise((r) => setTimeout(r, 50));  // bounded wait for the mail file
  }
  throw new Error(`no code mailed to ${email}`);
}

// Each screen at phone and desktop width, then back to the page's own size.
async function shot(page, name) {
  mkdirSync(results, { recursive: true });
  const own = page.viewportSize();
  for (const width of [375, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(results, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize(own);
}

async function device(width, headers = {}) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, extraHTTPHeaders: headers });
  const page = await context.newPage();
  page.on('dialog', (d) => d.accept());
  await page.goto(base + '/');
  return page;
}

before(async () => {
  await startServer();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'] });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

async function signUp(page, email) {
  await page.goto(base + '/#/signup');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(STRONG);
  await page.getByText('Strong').or(page.getByText('Very strong')).first().waitFor();
  await shot(page, 'signup');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Verify your email' }).waitFor();
  await page.getByLabel('Code').fill(await codeFor(email));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByText('Your email is verified').waitFor();
}

async function signIn(page, email) {
  await page.goto(base + '/#/signin');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(STRONG);
  await shot(page, 'signin');
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function turnOnTwoStep(page, email) {
  await page.goto(base + '/#/security');
  await page.getByRole('switch').check();
  await page.getByLabel('Code from the email').fill(await codeFor(email, 'Your kasa code to turn on'));
  await page.getByRole('button', { name: 'Turn on' }).click();
  await page.getByText('Codes go to your trusted devices').waitFor();
  await shot(page, 'login-security');
}

test('two devices: live code, trust, location, removal signs out at once', async () => {
  const email = `web-${Date.now()}@example.com`;
  const a = await device(1280);
  await signUp(a, email);
  await signIn(a, email);
  await a.getByRole('heading', { name: 'Me' }).waitFor();
  await shot(a, 'home');
  await turnOnTwoStep(a, email);

  const b = await device(375, { 'X-Forwarded-For': '203.0.113.9' });
  await signIn(b, email);
  await b.getByText('We sent a code to 1 trusted device.').waitFor();
  assert.match(await b.getByRole('button', { name: /Resend \(\d+ s\)/ }).textContent(), /Resend \(\d+ s\)/);
  assert.equal(await b.getByRole('button', { name: /Resend/ }).isDisabled(), true);
  await shot(b, 'code-step');

  const banner = a.locator('#banner');
  await banner.getByText('Sign-in request').waitFor();
  const code = (await banner.locator('.code').textContent()).trim();
  assert.match(code, /^\d{6}$/);
  assert.match(await banner.textContent(), /203\.0\.113\.9/);
  assert.match(await banner.textContent(), /London, England, United Kingdom/);
  await shot(a, 'banner');

  const wrong = code === '000000' ? '111111' : '000000';
  await b.getByLabel('Verification code').fill(wrong);
  await b.getByRole('button', { name: 'Verify' }).click();
  await b.getByText('That code is not correct. 4 attempts left.').waitFor();
  await shot(b, 'wrong-code');
  await b.getByLabel('Verification code').fill(code);  // "Trust this device" is ticked
  await b.getByRole('button', { name: 'Verify' }).click();
  await b.getByRole('heading', { name: 'Me' }).waitFor();
  await banner.waitFor({ state: 'hidden' });

  await a.goto(base + '/#/home');
  await a.goto(base + '/#/security');
  const row = a.locator('.device', { hasText: 'Chrome' }).filter({ hasText: 'London' });
  await row.waitFor();
  await shot(a, 'trusted-devices');
  await b.goto(base + '/#/home');
  await row.getByRole('button', { name: /Remove/ }).click();  // confirmation accepted
  await b.getByText('This browser was removed from your trusted devices').waitFor();
  await b.getByRole('heading', { name: 'Sign in' }).waitFor();
  await shot(b, 'signed-out');
  await a.context().close();
  await b.context().close();
});

test('switching Two-Step on again asks for the password', async () => {
  const email = `web-again-${Date.now()}@example.com`;
  const a = await device(1280);
  await signUp(a, email);
  await signIn(a, email);
  await a.getByRole('heading', { name: 'Me' }).waitFor();
  await turnOnTwoStep(a, email);
  await a.getByRole('switch').uncheck();
  await a.getByLabel('Password', { exact: true }).fill(STRONG);
  await a.getByRole('button', { name: 'Turn off' }).click();
  // The screen is drawn anew from the server's answer (the label follows it).
  await a.locator('label[for="two-step"]', { hasText: 'Off' }).waitFor();
  // The mailbox was proven the first time: now the password is asked.
  await a.getByRole('switch').check();
  await a.getByLabel('Password', { exact: true }).fill(STRONG);
  await a.getByRole('button', { name: 'Turn on' }).click();
  await a.locator('label[for="two-step"]', { hasText: 'On' }).waitFor();
  assert.equal(await a.locator('#two-step').isChecked(), true);
  await a.getByText('Codes go to your trusted devices').waitFor();
  await a.context().close();
});

test('switch to email, and deny from the trusted device', async () => {
  const email = `web-deny-${Date.now()}@example.com`;
  const a = await device(375);
  await signUp(a, email);
  await signIn(a, email);
  await a.getByRole('heading', { name: 'Me' }).waitFor();
  await turnOnTwoStep(a, email);

  const c = await device(1280);
  // Keyboard only: focus starts at the heading, Tab walks the form, Enter submits.
  await c.goto(base + '/#/signin');
  await c.getByRole('heading', { name: 'Sign in' }).waitFor();
  await c.keyboard.press('Tab');
  await c.keyboard.type(email);
  await c.keyboard.press('Tab');
  await c.keyboard.type(STRONG);
  await c.keyboard.press('Enter');
  await c.getByText('We sent a code to 1 trusted device.').waitFor();
  await c.getByRole('button', { name: 'Did not receive a code? Receive code via Email' }).click();
  await c.getByText(/We sent a code to .\*\*\*@example\.com\./).waitFor();
  await shot(c, 'code-by-email');
  const emailed = await codeFor(email, 'Your kasa sign-in verification code');

  const banner = a.locator('#banner');
  await banner.getByText('Sign-in request').waitFor();
  await banner.getByRole('button', { name: "This wasn't me" }).click();
  await a.getByText('You denied a sign-in').waitFor();
  await a.getByRole('heading', { name: 'Change password' }).waitFor();
  await a.getByLabel('New password').fill('x');
  await a.getByRole('button', { name: 'Generate a strong password' }).click();
  await a.getByText(/Very strong|Strong/).first().waitFor();
  await shot(a, 'change-password');

  await c.getByLabel('Verification code').fill(emailed);
  await c.getByRole('button', { name: 'Verify' }).click();
  await c.getByText('This sign-in was denied from a trusted device.').waitFor();
  await a.context().close();
  await c.context().close();
});

test('Login Security says when mail to the address could not be delivered', async () => {
  const email = `web-bounce-${Date.now()}@example.com`;
  const a = await device(1280);
  await signUp(a, email);
  await signIn(a, email);
  await a.getByRole('heading', { name: 'Me' }).waitFor();
  // What the outbox records after an SMTP 5xx (tests/integration/test_mail_bounce.py
  // drives the real refusal); here only the screen is under test.
  execFileSync('sqlite3', [path.join(dir, 'var', 'twostep.db'),
    `UPDATE accounts SET email_undeliverable_since = 1 WHERE email = '${email}'`]);
  await a.goto(base + '/#/security');
  await a.getByRole('alert').filter({ hasText: `We could not deliver mail to w***@example.com` }).waitFor();
  await shot(a, 'login-security-undeliverable');
  await a.context().close();
});

test('the server sends the web app with strict security headers', async () => {
  const r = await fetch(base + '/');
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
  const js = await fetch(base + asset);
  assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.match(js.headers.get('cache-control'), /immutable/);
  assert.equal((await fetch(base + '/#/security')).status, 200);
  assert.equal((await fetch(base + '/v1/nope')).status, 404);
});
