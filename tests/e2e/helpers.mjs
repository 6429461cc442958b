// Shared steps of the end-to-end specs (a small page-object layer over data-testid hooks).
import { test as base, expect } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

/** The specs' `test`: Playwright's, plus an automatic check that no page of the test's
 *  browser context wrote an error to the console (a CSP refusal, a failed request, a panic,
 *  a library's complaint) or threw uncaught. A test that provokes an error on purpose names
 *  the messages it expects with `allowConsoleErrors(/pattern/)`; anything else fails it. */
export const test = base.extend({
  consoleErrors: [async ({ context }, use, info) => {
    const seen = [];
    const watch = (page) => {
      page.on('console', (msg) => {
        if (msg.type() !== 'error') return;
        const at = msg.location();
        seen.push(`${msg.text()}${at && at.url ? ` (${at.url}:${at.lineNumber})` : ''}`);
      });
      page.on('pageerror', (e) => seen.push(`uncaught: ${e.message}`));
    };
    context.pages().forEach(watch);
    context.on('page', watch);
    await use(seen);
    const allowed = info.annotations.filter((a) => a.type === 'console-error-allowed').map((a) => new RegExp(...JSON.parse(a.description)));
    const unexpected = seen.filter((m) => !allowed.some((re) => re.test(m)));
    expect(unexpected, 'console errors (allow expected ones with allowConsoleErrors)').toEqual([]);
  }, { auto: true }],
});

/** Lets the running test write console errors matching any of `patterns`. */
export function allowConsoleErrors(...patterns) {
  for (const re of patterns) base.info().annotations.push({ type: 'console-error-allowed', description: JSON.stringify([re.source, re.flags]) });
}

/** Fails the test if any request leaves 127.0.0.1 (the app must make none of its own). */
export function guardNetwork(context) {
  const foreign = [];
  context.on('request', (req) => {
    const url = new URL(req.url());
    if (!['http:', 'https:'].includes(url.protocol)) return; // blob:, data:
    if (url.hostname !== '127.0.0.1') foreign.push(req.url());
  });
  return () => expect(foreign, 'requests that left 127.0.0.1').toEqual([]);
}

/** Collects uncaught page errors. */
export function guardErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => { errors.push(`unexpected dialog: ${d.message()}`); d.dismiss(); });
  return () => expect(errors, 'page errors').toEqual([]);
}

export async function shot(page, name) {
  await page.screenshot({ path: resolve(ARTIFACTS, `${name}.png`), fullPage: false });
}

export async function openFresh(page) {
  await page.goto('./');
  await expect(page.getByTestId('welcome')).toBeVisible();
}

export async function loadDemo(page) {
  await openFresh(page);
  await page.getByTestId('welcome-demo').click();
  await expect(page.getByTestId('page-overview')).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('busy')).toHaveCount(0, { timeout: 90_000 });
  await expect(page.getByTestId('count-customers')).toContainText('2,000');
}

export async function counts(page) {
  await page.goto('./#/overview');
  await expect(page.getByTestId('page-overview')).toBeVisible();
  // The order lines load after the customers: their figure reads "…" until they are in.
  const read = async (id) => {
    const value = page.getByTestId(id).locator('.stat-value');
    await expect(value).toHaveText(/^[0-9,]+$/);
    return (await value.textContent()).replace(/,/g, '');
  };
  return {
    customers: await read('count-customers'),
    orders: await read('count-orders'),
    contacts: await read('count-contacts'),
    complaints: await read('count-complaints'),
    interactions: await read('count-interactions'),
    responses: await read('count-responses'),
  };
}

/** Waits until the service worker is active and controls the page, then cuts the network
 *  (the caller turns it back on with `context.setOffline(false)`). */
export async function goOffline(page, context) {
  await page.waitForFunction(async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    return !!(reg && reg.active && reg.active.state === 'activated');
  });
  // A reload that races the activation can still come back uncontrolled (seen once in 18
  // runs on a loaded machine): reload again rather than wait for ever.
  for (let attempt = 1; ; attempt += 1) {
    await page.reload();
    try {
      await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 15_000 });
      break;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
  // Chrome loads the favicon (icon.svg) on its own, after the page, and not through the
  // service worker: if the network goes off first, it logs a failed load that is not the
  // app's (seen once in CI). Let the page's loads finish first, and accept that one message.
  await page.waitForLoadState('networkidle');
  allowConsoleErrors(/ERR_INTERNET_DISCONNECTED \(\S*\/icon\.svg:0\)$/);
  await context.setOffline(true);
}
