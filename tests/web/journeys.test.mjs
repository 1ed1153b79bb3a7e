// The journeys of issue #17 that had dead ends or stale screens, each as a
// step that failed before the fix: shared refreshes, Forgot password, the
// unverified sign-in, reloads, Back, unknown routes, password help, errors
// and focus. Real twostepd, Debian's Chromium (tests/web/support.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STRONG, codeFor, device, env, shot, signIn, signUp, useServerAndBrowser } from './support.mjs';

useServerAndBrowser();

test('reloading Login Security keeps the session: concurrent refreshes share one request', async () => {
  const email = `web-reload-${Date.now()}@example.com`;
  const a = await device(1280);
  await signUp(a, email);
  let refreshes = 0;
  a.on('request', (r) => { if (r.url().endsWith('/v1/sessions/refresh')) refreshes++; });
  for (let i = 0; i < 3; i++) {
    refreshes = 0;
    await a.goto(env.base + '/#/security');
    await a.reload();
    await a.getByRole('heading', { name: 'Trusted Devices' }).waitFor();
    assert.equal(refreshes, 1, 'one refresh per page load');
  }
  assert.equal(await a.getByText('Please sign in again').count(), 0);
  await a.context().close();
});

test('Forgot password: from the sign-in form to a new password and back to sign in', async () => {
  const email = `web-forgot-${Date.now()}@example.com`;
  const a = await device(375);
  await signUp(a, email);
  await a.getByRole('button', { name: 'Sign out' }).click();
  await a.getByLabel('Email', { exact: true }).fill(email);
  await a.getByRole('link', { name: 'Forgot password?' }).click();
  await a.getByRole('heading', { name: 'Forgot password' }).waitFor();
  assert.equal(await a.getByRole('button', { name: 'Sign out' }).count(), 0);
  await shot(a, 'forgot-password');
  await a.getByRole('button', { name: 'Send code' }).click();  // the address is prefilled
  await a.getByRole('heading', { name: 'Choose a new password' }).waitFor();
  await a.reload();  // the step survives a reload
  await a.getByRole('heading', { name: 'Choose a new password' }).waitFor();
  await a.getByLabel('Code from the email').fill((await codeFor(email, 'Your kasa password reset code')).replace(/(\d{3})/, '$1-'));
  assert.match(await a.getByLabel('Code from the email').inputValue(), /^\d{6}$/);  // the dash is dropped
  const fresh = STRONG + ' renewed';
  await a.getByLabel('New password').fill(fresh);
  await shot(a, 'reset-password');
  await a.getByRole('button', { name: 'Change password' }).click();
  await a.getByText('Your password was changed. Sign in with your new password.').waitFor();
  await shot(a, 'password-reset-done');
  await a.getByRole('link', { name: 'Sign in' }).click();
  await signIn(a, email, fresh);
  await a.getByRole('heading', { name: 'Me' }).waitFor();
  await a.context().close();
});

test('no dead ends: unverified sign-in, reloads, Back, unknown routes, a way back after a change', async () => {
  const email = `web-dead-${Date.now()}@example.com`;
  const r = await fetch(env.base + '/v1/accounts', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: STRONG, app: 'kasa' }) });
  assert.equal(r.status, 202);
  await codeFor(email);  // the first code, never used
  const a = await device(375);
  for (const route of ['#/nope', '#/home', '#/security']) {
    await a.goto(env.base + '/' + route);
    await a.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.equal(await a.getByRole('button', { name: 'Sign out' }).count(), 0, route);
  }
  // Back works inside the app.
  await a.getByRole('link', { name: 'Create an account' }).click();
  await a.getByRole('heading', { name: 'Create account' }).waitFor();
  await a.goBack();
  await a.getByRole('heading', { name: 'Sign in' }).waitFor();

  await signIn(a, email);
  await a.getByRole('heading', { name: 'Verify your email' }).waitFor();
  await a.getByText('Your email is not verified yet. We sent you a new code.').waitFor();
  await a.reload();
  await a.getByRole('heading', { name: 'Verify your email' }).waitFor();
  await a.getByLabel('Verification code').fill(await codeFor(email));
  // After a reload the password is gone: the sign-in form comes prefilled.
  await a.getByText('Your email is verified. Sign in to continue.').waitFor();
  assert.equal(await a.getByLabel('Email', { exact: true }).inputValue(), email);
  await a.getByLabel('Password', { exact: true }).fill(STRONG);
  await a.getByRole('button', { name: 'Sign in' }).click();
  await a.getByRole('heading', { name: 'Me' }).waitFor();

  await a.getByRole('link', { name: 'Change password' }).click();
  await a.getByLabel('Current password').fill(STRONG);
  await a.getByLabel('New password').fill(STRONG + ' again');
  await a.getByRole('button', { name: 'Change password' }).click();
  await a.getByText('Your password was changed.').waitFor();
  await a.getByRole('link', { name: 'Back to Login Security' }).click();
  await a.getByRole('heading', { name: 'Login Security' }).waitFor();
  await a.goBack();
  await a.getByRole('heading', { name: 'Change password' }).waitFor();
  await a.context().close();
});

test('password help: meter colours, generator hidden again on typing, show/hide, copy, current refused', async () => {
  const email = `web-pw-${Date.now()}@example.com`;
  const a = await device(1280);
  await a.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.base });
  await signUp(a, email);
  await a.goto(env.base + '/#/password');
  const meter = a.locator('meter');
  const fresh = a.getByLabel('New password');
  await fresh.fill('password1');
  await a.getByText('– not accepted').waitFor();
  assert.equal(await meter.getAttribute('data-level'), 'red');
  await fresh.fill(STRONG + ' more words');
  await a.locator('meter[data-level="green"]').waitFor();
  await a.getByRole('button', { name: 'Generate a strong password' }).click();
  assert.equal(await fresh.getAttribute('type'), 'text');
  await fresh.press('End');
  await fresh.press('x');
  assert.equal(await fresh.getAttribute('type'), 'password');
  await a.getByRole('button', { name: 'Show password' }).click();
  assert.equal(await fresh.getAttribute('type'), 'text');
  await a.getByRole('button', { name: 'Hide password' }).click();
  assert.equal(await fresh.getAttribute('type'), 'password');
  await a.getByRole('button', { name: 'Copy password' }).click();
  await a.getByText('Copied.').waitFor();
  assert.equal(await a.evaluate(() => navigator.clipboard.readText()), await fresh.inputValue());

  await a.getByLabel('Current password').fill(STRONG);
  await fresh.fill(STRONG);
  await a.getByRole('button', { name: 'Change password' }).click();
  const error = a.getByText('Choose a password different from your current one.');
  await error.waitFor();
  const described = await fresh.getAttribute('aria-describedby');
  assert.ok(described.split(' ').includes(await error.getAttribute('id')));
  assert.equal(await a.evaluate(() => document.activeElement?.id), await fresh.getAttribute('id'));
  await shot(a, 'password-errors');
  await fresh.fill(STRONG + ' other');  // a stale error goes as soon as the field changes
  assert.equal(await error.isVisible(), false);
  await a.context().close();
});

test('errors are checked in the page, tied to their fields, focused, in human words; long emails wrap', async () => {
  const a = await device(375);
  await a.goto(env.base + '/#/signin');
  await a.getByRole('button', { name: 'Sign in' }).click();
  const email = a.getByLabel('Email', { exact: true });
  await a.getByText('Enter your email address.').waitFor();
  await a.getByText('Enter your password.').waitFor();
  assert.equal(await email.getAttribute('aria-invalid'), 'true');
  assert.equal(await a.evaluate(() => document.activeElement?.getAttribute('type')), 'email');
  const ids = (await email.getAttribute('aria-describedby')).split(' ');
  assert.equal(await a.locator('#' + ids[0]).textContent(), 'Enter your email address.');
  await shot(a, 'signin-errors');
  // The focus ring is strong: 3 px.
  assert.equal(await a.evaluate(() => getComputedStyle(document.activeElement).outlineWidth), '3px');
  await email.fill('ann@example.com');
  await a.getByLabel('Password', { exact: true }).fill('x'.repeat(1100));
  await a.getByRole('button', { name: 'Sign in' }).click();
  await a.getByText('A password has at most 1024 characters.').waitFor();

  const long = `a-very-long-address-that-keeps-going-${Date.now()}@subdomain.example-mail-provider.com`;
  await a.goto(env.base + '/#/signup');
  await a.getByLabel('Email', { exact: true }).fill(long);
  await a.getByLabel('Password', { exact: true }).fill(STRONG);
  await a.getByRole('button', { name: 'Create account' }).click();
  await a.getByRole('heading', { name: 'Verify your email' }).waitFor();
  assert.ok(await a.evaluate(() => document.documentElement.scrollWidth <= 375), 'no sideways scroll at 375 px');
  await a.getByLabel('Verification code').fill(await codeFor(long));
  await a.getByRole('heading', { name: 'Me' }).waitFor();
  assert.ok(await a.evaluate(() => document.documentElement.scrollWidth <= 375), 'no sideways scroll at 375 px');
  await shot(a, 'home-long-email');
  await a.context().close();
});
