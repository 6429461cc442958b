// The work that splits runs on a pool of workers sized by navigator.hardwareConcurrency:
// the PLS bootstrap (resamples shared out) and the k-means curves (k shared out). The same
// seed gives the same figures whatever the pool's size: each run is made once with a pool
// of one worker (hardwareConcurrency forced to 1) and once with four, and the pages' result
// tables must read the same. A PLS run can be cancelled and leaves no result behind.
// Fixture: tests/e2e/fixtures/pls-400.json, written by
//   cargo run --release -p clientscope-core --example satisfaction_bench_data -- tests/e2e/fixtures/pls-400.json 400
// (one survey with the ACSI-like path model, 400 respondents × 30 questions).
import { expect } from '@playwright/test';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, guardNetwork, guardErrors, loadDemo, openFresh, shot } from './helpers.mjs';

const FIXTURE = resolve(dirname(fileURLToPath(import.meta.url)), 'fixtures/pls-400.json');

/** Makes the page see `n` logical cores (the pool's size follows). */
async function cores(page, n) {
  await page.addInitScript((n) => Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => n }), n);
}

async function importFixture(page) {
  await openFresh(page);
  await page.getByTestId('welcome-empty').click();
  await page.goto('./#/data');
  await page.getByTestId('import-file').setInputFiles(FIXTURE);
  await page.getByTestId('import-preview').waitFor();
  await page.getByTestId('import-confirm').click();
  await expect(page.getByTestId('toast').filter({ hasText: /导入完成|Import/ })).toBeVisible({ timeout: 60_000 });
}

/** Runs PLS with 300 resamples and returns the text of the path table and its statement. */
async function runPls(page) {
  await page.goto('./#/satisfaction/B001/analysis');
  await expect(page.getByTestId('sat-results')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('busy')).toHaveCount(0, { timeout: 60_000 });
  await page.getByTestId('sat-pls-resamples').fill('300');
  await page.getByTestId('sat-pls-resamples').press('Tab');
  await page.getByTestId('sat-pls-run').click();
  await expect(page.getByTestId('sat-pls-paths')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('busy')).toHaveCount(0, { timeout: 120_000 });
  return {
    paths: (await page.getByTestId('sat-pls-paths').textContent()).trim(),
    stated: (await page.getByTestId('sat-pls-stated').textContent()).trim(),
  };
}

test('PLS bootstrap on a pool of 4 workers equals the run on 1; a run can be cancelled', async ({ browser }) => {
  test.setTimeout(300_000);
  const results = [];
  for (const n of [1, 4]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const network = guardNetwork(context);
    const errors = guardErrors(page);
    await cores(page, n);
    await importFixture(page);
    if (n === 4) {
      // Cancelled while it works: no result, a message.
      await page.goto('./#/satisfaction/B001/analysis');
      await expect(page.getByTestId('sat-results')).toBeVisible({ timeout: 60_000 });
      await expect(page.getByTestId('busy')).toHaveCount(0, { timeout: 60_000 });
      await page.getByTestId('sat-pls-resamples').fill('5000');
      await page.getByTestId('sat-pls-resamples').press('Tab');
      await page.getByTestId('sat-pls-run').click();
      await expect(page.getByTestId('busy-cancel')).toBeVisible();
      await page.getByTestId('busy-cancel').click();
      await expect(page.getByTestId('busy')).toHaveCount(0, { timeout: 5_000 });
      await expect(page.getByTestId('sat-pls-paths')).toHaveCount(0);
    }
    const r = await runPls(page);
    expect(r.stated).toContain('300');
    results.push(r);
    if (n === 4) {
      await page.getByTestId('sat-pls').scrollIntoViewIfNeeded();
      await page.getByTestId('sat-pls').screenshot({ path: resolve(dirname(fileURLToPath(import.meta.url)), 'artifacts/70-pls-pool.png') });
    }
    errors();
    network();
    await context.close();
  }
  expect(results[1].paths).toEqual(results[0].paths);
  expect(results[1].stated).toEqual(results[0].stated);
});

test('k-means curves on a pool of 4 workers equal the run on 1', async ({ browser }) => {
  test.setTimeout(300_000);
  const results = [];
  for (const n of [1, 4]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = guardErrors(page);
    await cores(page, n);
    await loadDemo(page);
    await page.goto('./#/segments');
    await page.getByTestId('seg-tab-clusters').click();
    await page.getByTestId('cluster-run').click();
    await expect(page.getByTestId('cluster-results')).toBeVisible({ timeout: 120_000 });
    const k = await page.getByTestId('cluster-k').inputValue();
    const profiles = await page.getByTestId('cluster-profiles').textContent();
    results.push({ k, profiles });
    if (n === 4) await shot(page, '71-clusters-pool');
    errors();
    await context.close();
  }
  expect(results[1]).toEqual(results[0]);
});
