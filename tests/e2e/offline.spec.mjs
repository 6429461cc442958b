// Offline: after one load the service worker serves the app; with the network off a
// reload still opens it with all data.
import { expect } from '@playwright/test';
import { test, goOffline, guardNetwork, loadDemo, shot } from './helpers.mjs';

test('load once, go offline, reload: the app works', async ({ page, context }) => {
  const network = guardNetwork(context);
  await loadDemo(page);
  // Wait until the service worker controls the page and has cached this build.
  await goOffline(page, context);
  await page.reload();
  await expect(page.getByTestId('page-overview')).toBeVisible();
  await expect(page.getByTestId('count-customers')).toContainText('2,000');
  await page.goto('./#/customers');
  await expect(page.getByTestId('customer-count')).toContainText('2,000 / 2,000');
  await shot(page, '30-offline-customers');
  await context.setOffline(false);
  network();
});

test('the manifest and icons are there for installing', async ({ page }) => {
  await page.goto('./');
  const manifest = await page.evaluate(async () => (await fetch('manifest.webmanifest')).json());
  expect(manifest.start_url).toBe('./');
  expect(manifest.icons.map((i) => i.sizes)).toContain('512x512');
  for (const icon of manifest.icons) {
    const status = await page.evaluate(async (src) => (await fetch(src)).status, icon.src);
    expect(status, icon.src).toBe(200);
  }
});
