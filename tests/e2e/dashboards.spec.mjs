// The dashboards on the Overview (issue 11 §4, SPEC §8) on the demo data, at 375 px and
// offline as a manager on the road would open them: computed in the worker when asked, the scope (one account manager) kept in the address and computed
// again from it after a reload, every tile opening exactly the list behind it (customers,
// complaints, visits), the scorecard re-ranked by its weights without a new analysis, a
// refused weighting said in words, and the A4 print. Screenshots (zh and en, 1280 and
// 375 px, print) go to tests/e2e/artifacts/dashboard-*.png; the print to dashboard.pdf.
import { expect } from '@playwright/test';
import { resolve } from 'node:path';
import { statSync } from 'node:fs';
import { test, ARTIFACTS, goOffline, guardErrors, guardNetwork, loadDemo, shot } from './helpers.mjs';

test.use({ viewport: { width: 375, height: 812 }, timezoneId: 'Asia/Shanghai' });

/** The counts of the tiles whose test id starts with `prefix`, by test id. */
async function tiles(page, prefix) {
  return page.locator(`[data-testid^="${prefix}"][data-count]`).evaluateAll((els) =>
    Object.fromEntries(els.map((e) => [e.dataset.testid, Number(e.dataset.count)])));
}

const sum = (o) => Object.values(o).reduce((a, b) => a + b, 0);

async function compute(page) {
  await page.getByTestId('dash-run').click();
  await expect(page.getByTestId('busy')).toHaveCount(0, { timeout: 120_000 });
  await expect(page.getByTestId('tile-abc-A')).toBeVisible();
}

/** Opens a tile's list and checks it shows exactly the tile's count; comes back. */
async function opensItsList(page, testid, count) {
  await page.getByTestId(testid).click();
  await expect(page.getByTestId('pick-chip').first()).toBeVisible();
  const hash = await page.evaluate(() => location.hash);
  if (hash.startsWith('#/customers')) {
    await expect(page.getByTestId('customer-count')).toContainText(`共 ${count.toLocaleString('en-US')} /`);
  } else if (hash.startsWith('#/complaints')) {
    await expect(page.getByTestId('complaint-item')).toHaveCount(Math.min(count, 100));
  } else if (hash.startsWith('#/visits')) {
    await expect(page.getByTestId('pick-row')).toHaveCount(count);
  } else {
    throw new Error(`${testid} opened ${hash}`);
  }
  await page.goBack();
  // Back on the Overview the last result shows at once (same records, same choice).
  await expect(page.getByTestId(testid)).toBeVisible();
}

test('dashboards change and every tile opens its list', async ({ page, context }) => {
  test.setTimeout(600_000);
  const network = guardNetwork(context);
  const errors = guardErrors(page);
  await loadDemo(page);
  await goOffline(page, context);
  await page.goto('./#/overview');
  // Nothing is computed until asked.
  await expect(page.getByTestId('dash-not-computed')).toBeVisible();
  await compute(page);
  await page.screenshot({ path: resolve(ARTIFACTS, 'dashboard-375-zh.png'), fullPage: true });

  // Whole company: every customer is in one ABC class, one stage and one grade (or in
  // "not classified"), so the three breakdowns add up to the same count.
  const abc = await tiles(page, 'tile-abc-');
  const stage = await tiles(page, 'tile-stage-');
  const grade = await tiles(page, 'tile-grade-');
  expect(sum(abc)).toBe(2000);
  expect(sum(stage)).toBe(2000);
  expect(sum(grade)).toBe(2000);
  await expect(page.getByTestId('tile-csi')).toBeVisible();
  await expect(page.getByTestId('score-row').first()).toBeVisible();
  const owners = await page.getByTestId('score-row').count();
  expect(owners).toBeGreaterThan(1);

  // One account manager: every figure narrows, and the scope goes into the address.
  const scope = page.getByTestId('dash-scope');
  const owner = await scope.locator('option[value^="owner:"]').first().getAttribute('value');
  await scope.selectOption(owner);
  await expect(page.getByTestId('dash-stale')).toBeVisible();
  await compute(page);
  await expect(page.getByTestId('dash-stale')).toHaveCount(0);
  const mine = await tiles(page, 'tile-abc-');
  expect(sum(mine)).toBeGreaterThan(0);
  expect(sum(mine)).toBeLessThan(2000);
  await expect(page.getByTestId('score-row')).toHaveCount(1);
  const url = page.url();
  expect(decodeURIComponent(url)).toContain(`owner=${owner.slice('owner:'.length)}`);
  expect(url).toMatch(/from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}/);

  // The address alone brings the same dashboard back (computed without a click).
  await page.reload();
  await expect(page.getByTestId('tile-abc-A')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('busy')).toHaveCount(0, { timeout: 120_000 });
  await expect(scope).toHaveValue(owner);
  expect(await tiles(page, 'tile-abc-')).toEqual(mine);

  // Back to the whole company, this year: every non-empty tile opens exactly its list.
  await scope.selectOption('');
  await page.getByTestId('dash-period').selectOption('year');
  await compute(page);
  const all = await tiles(page, 'tile-');
  const opened = [];
  for (const [testid, count] of Object.entries(all)) {
    if (count === 0 || testid === 'tile-revenue') continue;
    await opensItsList(page, testid, count);
    opened.push(testid);
  }
  // The revenue tile's list is the period's buyers.
  await opensItsList(page, 'tile-revenue', all['tile-revenue']);
  expect(opened.length).toBeGreaterThan(10);
  for (const kind of ['tile-abc-', 'tile-stage-', 'tile-grade-', 'tile-complaints-', 'tile-visits-']) {
    expect(opened.some((t) => t.startsWith(kind)), kind).toBe(true);
  }

  // The scorecard: revenue alone decides (min-max: the first has 100, the last 0), and
  // an all-zero weighting is refused in words.
  for (const m of ['growth', 'csi', 'complaints_on_time', 'retention', 'visits']) {
    await page.getByTestId(`weight-${m}`).fill('0');
    await page.getByTestId(`weight-${m}`).dispatchEvent('change');
  }
  await page.getByTestId('weight-revenue').fill('1');
  await page.getByTestId('weight-revenue').dispatchEvent('change');
  const scores = await page.getByTestId('score-score').allTextContents();
  expect(scores[0]).toBe('100.0');
  expect(scores[scores.length - 1]).toBe('0.0');
  await page.getByTestId('weight-revenue').fill('0');
  await page.getByTestId('weight-revenue').dispatchEvent('change');
  await expect(page.getByTestId('weight-error')).toBeVisible();
  await page.getByTestId('weight-csi').fill('3');
  await page.getByTestId('weight-csi').dispatchEvent('change');
  await expect(page.getByTestId('weight-error')).toHaveCount(0);

  // The visit target (visits per active customer per month): doubled, every manager's target
  // for the period doubles and the done visits stay; a negative one is refused in words.
  const targets = async () => (await page.getByTestId('score-visits').evaluateAll((cells) =>
    cells.map((c) => [c.closest('tr').dataset.owner, Number(c.dataset.target), Number(c.dataset.visits)])))
    .sort();
  const single = await targets();
  expect(single.some(([, t]) => t > 0)).toBe(true);
  await page.getByTestId('dash-visit-rate').fill('2');
  await page.getByTestId('dash-visit-rate').dispatchEvent('change');
  await expect.poll(async () => (await targets()).map(([o, t, v]) => [o, t / 2, v])).toEqual(single);
  await page.getByTestId('dash-visit-rate').fill('-1');
  await page.getByTestId('dash-visit-rate').dispatchEvent('change');
  await expect(page.getByTestId('visit-rate-error')).toBeVisible();
  await expect(page.getByTestId('dash-visit-rate')).toHaveValue('-1');
  await page.getByTestId('dash-visit-rate').fill('1');
  await page.getByTestId('dash-visit-rate').dispatchEvent('change');
  await expect(page.getByTestId('visit-rate-error')).toHaveCount(0);
  await expect.poll(targets).toEqual(single);

  // A4 print for the weekly meeting.
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: resolve(ARTIFACTS, 'dashboard-print.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  const pdf = resolve(ARTIFACTS, 'dashboard.pdf');
  await page.pdf({ path: pdf, format: 'A4', printBackground: true });
  expect(statSync(pdf).size).toBeGreaterThan(10_000);

  // No wider than the phone; then English, and a desktop.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(1);
  await page.getByTestId('lang-switch').click();
  await expect(page.getByTestId('dash-run')).toHaveText('Recompute');
  await page.screenshot({ path: resolve(ARTIFACTS, 'dashboard-375-en.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: resolve(ARTIFACTS, 'dashboard-1280-en.png'), fullPage: true });
  await page.getByTestId('lang-switch').click();
  await shot(page, 'dashboard-1280-zh');
  await context.setOffline(false);

  errors();
  network();
});
