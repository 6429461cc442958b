// The first visit downloads only the small welcome (src/first_visit.rs), not the whole app,
// and hands over to the whole app on every choice, carrying the language and the choice.
// The server compresses with gzip as static hosts do (playwright.config.mjs), so the sizes
// below are what a phone would download.
import { expect } from '@playwright/test';
import { test, guardErrors, guardNetwork, shot } from './helpers.mjs';

const BUDGET = 700 * 1024;
const WHOLE_APP_WASM = /\/clientscope-[0-9a-f]{8,16}_bg\.wasm$/;

function recordDownloads(page) {
  const files = [];
  page.on('requestfinished', async (req) => {
    const sizes = await req.sizes().catch(() => null);
    if (sizes) files.push({ url: req.url(), bytes: sizes.responseBodySize + sizes.responseHeadersSize });
  });
  return files;
}

test('a first visit downloads the welcome within the budget, not the whole app', async ({ page, context }) => {
  const network = guardNetwork(context);
  const errors = guardErrors(page);
  const files = recordDownloads(page);
  await page.goto('./');
  await expect(page.getByTestId('welcome')).toBeVisible();
  // Interactive: the language switch answers.
  await page.getByTestId('lang-switch').click();
  await expect(page.locator('.welcome h1')).toHaveText('Welcome to Clientscope');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await shot(page, 'first-load-welcome-en');
  const before = [...files];
  const total = before.reduce((s, f) => s + f.bytes, 0);
  console.log(`first visit before the welcome is interactive: ${total} B in ${before.length} files`);
  expect(before.filter((f) => WHOLE_APP_WASM.test(f.url)), 'the whole app was downloaded').toEqual([]);
  expect(total).toBeLessThanOrEqual(BUDGET);

  // Choosing hands over to the whole app, in the language chosen on the welcome.
  await page.getByTestId('welcome-empty').click();
  await expect(page.getByTestId('page-customers')).toBeVisible();
  await expect(page.getByTestId('nav-customers')).toHaveText('Customers');
  expect(files.some((f) => WHOLE_APP_WASM.test(f.url))).toBe(true);

  // From now on this browser starts the whole app directly.
  await page.reload();
  await expect(page.getByTestId('page-customers')).toBeVisible();
  await expect(page.getByTestId('nav-overview')).toBeVisible();
  network();
  errors();
});

test('a first visit to an address naming a view starts the whole app', async ({ page }) => {
  const errors = guardErrors(page);
  await page.goto('./#/import');
  await expect(page.getByTestId('nav-overview')).toBeVisible();
  errors();
});

test('following the welcome\'s import link opens the import wizard', async ({ page }) => {
  const errors = guardErrors(page);
  await page.goto('./');
  await page.getByTestId('welcome-import-file').click();
  await expect(page.getByTestId('nav-overview')).toBeVisible();
  await expect(page.getByTestId('page-import')).toBeVisible();
  errors();
});
