// What every web suite shares: the real twostepd (its mail written as
// files), Debian's Chromium through playwright-core (never a downloaded
// browser), the codes from the mail files, and `shot`: a screenshot of a
// screen at 375 px and 1280 px in tests/web/results/, with axe-core run at
// both widths (no serious or critical violation allowed).
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { createRequire } from 'node:module';

const here = path.dirname(new URL(import.meta.url).pathname);
export const root = path.resolve(here, '..', '..');
const require = createRequire(path.join(root, 'web', 'package.json'));
const { chromium } = require('playwright-core');
const { AxeBuilder } = require('@axe-core/playwright');
const TWOSTEPD = process.env.TWOSTEPD ?? path.join(root, 'build', 'twostepd');
// Another build of the web app (e.g. the previous one, to see these tests fail on it).
const WEB_DIST = process.env.WEB_DIST ?? path.join(root, 'web', 'dist');
export const results = path.join(here, 'results');
export const STRONG = 'correct horse battery staple 42';
export const ADMIN = 'admin-token-for-web-tests-0123456789';

export const env = { server: null, base: '', dir: '', browser: null };

async function startServer() {
  env.dir = mkdtempSync(path.join(tmpdir(), 'twostep-web-'));
  const geo = path.join(env.dir, 'geoip');
  mkdirSync(geo);
  execFileSync('perl', [path.join(root, 'tests', 'geoip', 'make_test_mmdb.pl'), geo]);
  const config = path.join(env.dir, 'twostep.toml');
  writeFileSync(config, `
data_dir = "${env.dir}/var"
[server]
listen = "127.0.0.1:0"
management_listen = ""
trusted_proxies = ["127.0.0.1"]
[web]
dir = "${WEB_DIST}"
[geoip]
databases = ["${geo}/nested.mmdb"]
[security]
argon2_iterations = 1
argon2_memory_kib = 8192
registrations_per_ip_hour = 100000
resets_per_ip_hour = 100000
mails_per_mailbox_hour = 100000
[admin]
token = "${ADMIN}"
[testing]
manual_clock = true
`);
  env.server = spawn(TWOSTEPD, ['--config', config], { env: { ...process.env }, stdio: ['ignore', 'pipe', 'ignore'] });
  const lines = readline.createInterface({ input: env.server.stdout });
  env.base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('twostepd did not start')), 20000);
    lines.on('line', (l) => { const m = /^listening on (http:\/\/\S+)$/.exec(l); if (m) { clearTimeout(timer); resolve(m[1]); } });
  });
}

export function useServerAndBrowser() {
  before(async () => {
    await startServer();
    env.browser = await chromium.launch({
      executablePath: '/usr/bin/chromium', headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
             '--disable-component-update', '--disable-sync'] });
  });
  after(async () => {
    await env.browser?.close();
    env.server?.kill('SIGTERM');
  });
}

const used = new Set();
// The newest unused code mailed to `email` (mail files are written by the server).
export async function codeFor(email, subject) {
  const mailDir = path.join(env.dir, 'var', 'mail');
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    let files = [];
    try { files = readdirSync(mailDir).filter((f) => f.endsWith('.eml')).sort(); } catch {}
    for (const f of files.reverse()) {
      if (used.has(f)) continue;
      const text = readFileSync(path.join(mailDir, f), 'utf8');
      if (!text.includes(`To: ${email}\r\n`) || (subject && !text.includes(`Subject: ${subject}`))) continue;
      const body = mailText(text);
      const m = /^\s*(\d{6})\s*$/m.exec(body);
      if (m) { used.add(f); return m[1]; }
    }
    await new Promise((r) => setTimeout(r, 50));  // bounded wait for the mail file
  }
  throw new Error(`no code mailed to ${email}`);
}

export function mailText(eml) {
  const part = eml.split('Content-Type: text/plain; charset=utf-8')[1];
  return Buffer.from(part.split('\r\n\r\n')[1].split('--')[0].replace(/\s/g, ''), 'base64').toString();
}

// axe-core on the page as it is: no serious or critical violation.
export async function axe(page, name) {
  const r = await new AxeBuilder({ page }).analyze();
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), []);
}

// Each screen at phone and desktop width (screenshot and axe), then back to
// the page's own size.
export async function shot(page, name) {
  mkdirSync(results, { recursive: true });
  const own = page.viewportSize();
  for (const width of [375, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(results, `${name}-${width}.png`), fullPage: true });
    await axe(page, `${name}-${width}`);
  }
  await page.setViewportSize(own);
}

// `options`: more browser context options, e.g. { locale: 'zh-TW', timezoneId: 'Asia/Taipei' }.
export async function device(width, headers = {}, userAgent = undefined, options = {}) {
  const context = await env.browser.newContext({ viewport: { width, height: 900 }, extraHTTPHeaders: headers, userAgent, ...options });
  const page = await context.newPage();
  page.on('dialog', (d) => d.accept());
  // Nothing may leave for another origin, and the CSP must never have to refuse anything.
  page.foreign = [];
  page.on('request', (r) => { if (!r.url().startsWith(env.base) && !r.url().startsWith('data:')) page.foreign.push(r.url()); });
  page.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) page.foreign.push('CSP: ' + m.text()); });
  await page.goto(env.base + '/');
  return page;
}

// A new account; the web app signs it in right after the email is verified.
export async function signUp(page, email, screenshot = false) {
  await page.goto(env.base + '/#/signup');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(STRONG);
  await page.getByText('Strong').or(page.getByText('Very strong')).first().waitFor();
  if (screenshot) await shot(page, 'signup');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Verify your email' }).waitFor();
  if (screenshot) await shot(page, 'verify-email');
  await page.getByLabel('Verification code').fill(await codeFor(email));  // sent on the sixth digit
  await page.getByRole('heading', { name: 'Me' }).waitFor();
}

export async function signIn(page, email, password = STRONG, screenshot = false) {
  await page.goto(env.base + '/#/signin');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  if (screenshot) await shot(page, 'signin');
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function signOut(page) {
  await page.goto(env.base + '/#/home');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
}

export async function turnOnTwoStep(page, email, screenshot = false) {
  await page.goto(env.base + '/#/security');
  const sw = page.getByRole('switch', { name: 'Two-Step Verification' });
  await sw.click();
  await page.getByLabel('Code from the email').fill(await codeFor(email, 'Your kasa code to turn on'));
  await page.getByText('Two-Step Verification is on.').waitFor();
  if (screenshot) await shot(page, 'login-security');
}

export async function advance(seconds) {
  const r = await fetch(env.base + '/v1/admin/clock', { method: 'POST', headers: { Authorization: 'Bearer ' + ADMIN, 'Content-Type': 'application/json' }, body: JSON.stringify({ advance_s: seconds }) });
  assert.equal(r.status, 204);
}
