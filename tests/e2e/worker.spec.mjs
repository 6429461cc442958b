// The heavy analyses run in the Web Worker: the value page computes on 100,000 customers
// and 1,000,000 order lines while the page keeps answering clicks (each click handled in
// under 100 ms), a run can be cancelled and leaves nothing behind, and the worker works
// offline (the service worker precaches it).
import { expect } from '@playwright/test';
import { test, goOffline, guardNetwork, guardErrors, loadDemo, shot } from './helpers.mjs';

/** Records, for every click on the page, how long it waited before its handler ran. */
async function watchClicks(page) {
  await page.evaluate(() => {
    window.__clickDelays = [];
    document.addEventListener('click', (e) => window.__clickDelays.push(performance.now() - e.timeStamp), true);
    window.__longest = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
    }).observe({ type: 'longtask' });
  });
}

test('value analysis at 100k + 1M in the worker: clicks answered, cancel leaves nothing', async ({ page, context }) => {
  test.setTimeout(600_000);
  const network = guardNetwork(context);
  const errors = guardErrors(page);
  await page.goto('./?demo=100000x1000000#/');
  await expect(page.getByTestId('welcome')).toBeVisible();
  await page.getByTestId('welcome-demo').click();
  await expect(page.getByTestId('page-overview')).toBeVisible({ timeout: 300_000 });
  await expect(page.getByTestId('busy')).toHaveCount(0, { timeout: 300_000 });
  await expect(page.getByTestId('count-customers')).toContainText('100,000');
  await page.goto('./?demo=100000x1000000#/value');
  await expect(page.getByTestId('value-empty')).toBeVisible();

  // First run: cancelled while it works. Nothing is shown afterwards.
  await page.getByTestId('value-compute').click();
  await expect(page.getByTestId('busy-cancel')).toBeVisible();
  await page.getByTestId('busy-cancel').click();
  await expect(page.getByTestId('busy')).toHaveCount(0, { timeout: 5_000 });
  await expect(page.getByTestId('value-results')).toHaveCount(0);
  await expect(page.getByTestId('value-empty')).toBeVisible();

  // Second run, to the end, clicking meanwhile.
  await watchClicks(page);
  await page.getByTestId('value-compute').click();
  await expect(page.getByTestId('busy-cancel')).toBeVisible();
  let clicks = 0;
  while ((await page.getByTestId('busy').count()) > 0 && clicks < 40) {
    await page.mouse.click(20, 840);
    clicks += 1;
    await page.waitForTimeout(250);
  }
  await expect(page.getByTestId('value-results')).toBeVisible({ timeout: 300_000 });
  // The results show part by part and the charts draw after: the longest task is read
  // once the last part (the customer table) is there and the charts had time to draw.
  await expect(page.getByTestId('value-customer-table')).toBeVisible();
  await page.waitForTimeout(1000);
  const delays = await page.evaluate(() => window.__clickDelays);
  const longest = await page.evaluate(() => window.__longest);
  console.log(`worker value run at 100k + 1M: ${delays.length} clicks, slowest handled after ${Math.max(...delays).toFixed(1)} ms; longest main-thread task ${longest.toFixed(0)} ms`);
  expect(delays.length).toBeGreaterThan(2);
  expect(Math.max(...delays)).toBeLessThan(100);
  await shot(page, '60-value-100k-worker');
  errors();
  network();
});

test('the worker is precached: the value analysis runs offline', async ({ page, context }) => {
  const network = guardNetwork(context);
  await loadDemo(page);
  await goOffline(page, context);
  await page.reload();
  await page.goto('./#/value');
  await page.getByTestId('value-compute').click();
  await expect(page.getByTestId('value-results')).toBeVisible({ timeout: 90_000 });
  const cached = await page.evaluate(async () => {
    for (const key of await caches.keys()) {
      const c = await caches.open(key);
      if ((await c.keys()).some((r) => r.url.includes('clientscope-worker_bg'))) return true;
    }
    return false;
  });
  expect(cached, 'the worker wasm is in the offline cache').toBe(true);
  await expect(page.getByTestId('abc-row-A')).toBeVisible();
  await shot(page, '61-value-offline-worker');
  await context.setOffline(false);
  network();
});
