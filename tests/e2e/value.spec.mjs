// The value page on the demo data: compute, see the ABC table and the charts, change the
// as-of date and an ABC threshold, recompute and see the figures change, export the CSV
// and a chart as PNG, and save a screenshot of every chart (look at them).
import { expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test, ARTIFACTS, guardNetwork, guardErrors, loadDemo, shot } from './helpers.mjs';

const CHARTS = ['chart-pareto', 'chart-rfm-segments', 'chart-rf-heat', 'chart-fr-expected', 'chart-fr-alive', 'chart-value-matrix', 'chart-relationship'];

async function compute(page) {
  await page.getByTestId('value-compute').click();
  await expect(page.getByTestId('busy')).toHaveCount(0, { timeout: 90_000 });
  await expect(page.getByTestId('value-results')).toBeVisible();
  await expect(page.getByTestId('value-stale')).toHaveCount(0);
}

async function abcFigures(page) {
  return page.getByTestId('abc-table').locator('tbody').innerText();
}

/** A chart's canvas holds more than one colour (it was drawn). */
async function drawn(page, testid) {
  return page.getByTestId(testid).evaluate((c) => {
    const ctx = c.getContext('2d');
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 4 * 97) seen.add(`${d[i]},${d[i + 1]},${d[i + 2]}`);
    return seen.size;
  });
}

async function shootCharts(page, prefix) {
  for (const id of CHARTS) {
    const chart = page.getByTestId(id);
    await chart.scrollIntoViewIfNeeded();
    await expect.poll(() => drawn(page, id)).toBeGreaterThan(3);
    await chart.screenshot({ path: resolve(ARTIFACTS, `${prefix}-${id}.png`) });
  }
}

test('value page: compute, change as-of date and ABC threshold, export', async ({ page, context }) => {
  const network = guardNetwork(context);
  const errors = guardErrors(page);
  await loadDemo(page);
  await page.goto('./#/value');
  await expect(page.getByTestId('page-value')).toBeVisible();
  await expect(page.getByTestId('value-empty')).toBeVisible();
  // Nothing is computed before the button is pressed.
  await expect(page.getByTestId('value-results')).toHaveCount(0);

  await compute(page);
  const stated1 = await page.getByTestId('value-stated').innerText();
  expect(stated1).toContain('80%');
  await expect(page.getByTestId('abc-row-A')).toBeVisible();
  const abc1 = await abcFigures(page);
  const stages1 = await page.getByTestId('stage-table').innerText();
  // Shares of the metric add up to about 100 %; every class has customers on the demo.
  for (const c of ['A', 'B', 'C']) {
    await expect(page.getByTestId(`abc-row-${c}`).getByTestId('abc-count')).not.toHaveText('0');
  }
  await expect(page.getByTestId('fit-bgnbd')).toContainText('r');
  await expect(page.getByTestId('fit-bgnbd-summary')).toBeVisible();
  await expect(page.getByTestId('fit-gg-summary')).toBeVisible();
  await expect(page.getByTestId('value-customer-row')).toHaveCount(50);
  await shot(page, '40-value-top');
  await shootCharts(page, '41-value');
  await page.getByTestId('list-warning').scrollIntoViewIfNeeded();
  await shot(page, '42-value-lists');
  await page.screenshot({ path: resolve(ARTIFACTS, '44-value-full-page.png'), fullPage: true });
  for (const [id, name] of [['fit-bgnbd', '45-value-fits'], ['matrix-table', '46-value-matrix'], ['grade-table', '47-value-grades-stages'], ['value-customer-table', '48-value-customer-table']]) {
    const card = page.locator('.card', { has: page.getByTestId(id) });
    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: resolve(ARTIFACTS, `${name}.png`) });
  }

  // A link in the customer table opens the customer.
  const firstLink = page.getByTestId('value-customer-table').getByTestId('value-customer-link').first();
  await expect(firstLink).toHaveAttribute('href', /#\/customers\//);
  // Clicking a dot of the value matrix opens that customer: find the right-most gold dot.
  const matrix = page.getByTestId('chart-value-matrix');
  await matrix.scrollIntoViewIfNeeded();
  const dot = await matrix.evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let best = null;
    for (let y = 0; y < c.height; y++) {
      for (let x = 0; x < c.width; x++) {
        const i = 4 * (y * c.width + x);
        const [r, g, b] = [d[i], d[i + 1], d[i + 2]];
        if (r > 190 && g > 140 && g < 215 && b < 150 && (!best || x > best.x)) best = { x, y };
      }
    }
    const k = c.clientWidth / c.width;
    return best && { x: (best.x - 6) * k, y: best.y * k };
  });
  expect(dot).not.toBeNull();
  await matrix.click({ position: dot });
  await expect(page.getByTestId('page-customer')).toBeVisible();
  // Back on the value page the result is still there (same data, no recomputation).
  await page.goBack();
  await expect(page.getByTestId('value-results')).toBeVisible();
  await expect(page.getByTestId('value-stated')).toHaveText(stated1);

  // Pagination: the second page starts at rank 51.
  await page.getByTestId('value-page-next').click();
  await expect(page.getByTestId('value-page')).toContainText('2');
  await expect(page.getByTestId('value-customer-row').first().locator('td').first()).toHaveText('51');
  await page.getByTestId('value-page-prev').click();
  await expect(page.getByTestId('value-customer-row').first().locator('td').first()).toHaveText('1');

  // Change the as-of date (a year back) and the A threshold (80 → 70 %).
  const asOf = await page.getByTestId('value-as-of').inputValue();
  const earlier = `${Number(asOf.slice(0, 4)) - 1}${asOf.slice(4)}`;
  await page.getByTestId('value-as-of').fill(earlier);
  await page.getByTestId('value-abc-a').fill('70');
  await page.getByTestId('value-abc-a').press('Tab');
  await expect(page.getByTestId('value-stale')).toBeVisible();
  await compute(page);
  const stated2 = await page.getByTestId('value-stated').innerText();
  expect(stated2).toContain(earlier);
  expect(stated2).toContain('70%');
  const abc2 = await abcFigures(page);
  expect(abc2).not.toEqual(abc1);
  expect(await page.getByTestId('stage-table').innerText()).not.toEqual(stages1);
  await shootCharts(page, '43-value-earlier');

  // The parameters are remembered across a reload.
  await page.reload();
  await expect(page.getByTestId('value-as-of')).toHaveValue(earlier);
  await expect(page.getByTestId('value-abc-a')).toHaveValue('70');
  await compute(page);

  // CSV export: UTF-8 with BOM, a header and one row per customer.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('value-export-csv').click()]);
  expect(csv.suggestedFilename()).toBe(`clientscope-value-${earlier}.csv`);
  const csvPath = resolve(ARTIFACTS, 'value.csv');
  await csv.saveAs(csvPath);
  const bytes = readFileSync(csvPath);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.toString('utf8').trim().split('\r\n');
  expect(lines.length).toBe(2001);
  expect(lines[0]).toContain('ABC');

  // PNG export of a chart.
  await page.getByTestId('chart-pareto-png').scrollIntoViewIfNeeded();
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('chart-pareto-png').click()]);
  expect(png.suggestedFilename()).toMatch(/\.png$/);
  const pngPath = resolve(ARTIFACTS, 'value-pareto-export.png');
  await png.saveAs(pngPath);
  expect([...readFileSync(pngPath).subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]);

  // English: the results follow the language at once.
  await page.getByTestId('lang-switch').click();
  await expect(page.getByTestId('value-stated')).toContainText('As of');
  await expect(page.getByTestId('abc-table')).toContainText('% of customers');
  await page.getByTestId('value-stated').scrollIntoViewIfNeeded();
  await shot(page, '4a-value-english');
  await page.getByTestId('lang-switch').click();
  await expect(page.getByTestId('value-stated')).toContainText('截至');

  // Phone width: the results fit without horizontal overflow.
  await page.setViewportSize({ width: 375, height: 760 });
  await page.waitForTimeout(200);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'horizontal overflow on the value page').toBeLessThanOrEqual(1);
  await page.getByTestId('value-stated').scrollIntoViewIfNeeded();
  await shot(page, '49-value-phone');

  network();
  errors();
});

test('value page: model checks, relationship matrix, RFM grid, and the value on a customer page', async ({ page, context }) => {
  const network = guardNetwork(context);
  const errors = guardErrors(page);
  await loadDemo(page);
  await page.goto('./#/value');
  await compute(page);

  // Every result table exports as CSV: the ABC table gives its header and the 3 classes.
  const [abcCsv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('abc-table-csv').click()]);
  const abcPath = resolve(ARTIFACTS, 'value-abc-table.csv');
  await abcCsv.saveAs(abcPath);
  const abcBytes = readFileSync(abcPath);
  expect([...abcBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const abcLines = abcBytes.toString('utf8').trim().split('\r\n');
  expect(abcLines.length).toBe(4);
  expect(abcLines[1].startsWith('A,')).toBe(true);

  // Calibration vs holdout: default split half a year back; the chart and table appear.
  await page.getByTestId('holdout-run').scrollIntoViewIfNeeded();
  await page.getByTestId('holdout-run').click();
  await expect(page.getByTestId('busy')).toHaveCount(0, { timeout: 90_000 });
  await expect(page.getByTestId('holdout-summary')).toBeVisible();
  await expect(page.getByTestId('holdout-table').locator('tbody tr')).toHaveCount(8);
  await expect.poll(() => drawn(page, 'chart-holdout')).toBeGreaterThan(3);
  await page.getByTestId('chart-holdout').screenshot({ path: resolve(ARTIFACTS, '4b-value-chart-holdout.png') });
  const checks = page.getByTestId('value-checks');
  await checks.screenshot({ path: resolve(ARTIFACTS, '4c-value-model-checks.png') });
  // A split after the as-of date is refused with a message.
  const asOf = await page.getByTestId('value-as-of').inputValue();
  await page.getByTestId('holdout-split').fill(asOf);
  await page.getByTestId('holdout-run').click();
  await expect(page.getByTestId('holdout-error')).toBeVisible();

  // Relationship matrix: click the biggest bubble, see its customers.
  const rel = page.getByTestId('chart-relationship');
  await rel.scrollIntoViewIfNeeded();
  await expect(page.getByTestId('relationship-table')).toBeVisible();
  const bubble = await rel.evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    // A bubble: the first row with 24 strongly coloured pixels in a row (text strokes are thinner).
    const coloured = (x, y) => {
      const i = 4 * (y * c.width + x);
      const [r, g, b] = [d[i], d[i + 1], d[i + 2]];
      return Math.max(r, g, b) - Math.min(r, g, b) > 60 && Math.max(r, g, b) < 240;
    };
    for (let y = 0; y < c.height; y++) {
      let run = 0;
      for (let x = 0; x < c.width; x++) {
        run = coloured(x, y) ? run + 1 : 0;
        if (run === 24) {
          const k = c.clientWidth / c.width;
          return { x: (x - 12) * k, y: (y + 8) * k };
        }
      }
    }
    return null;
  });
  expect(bubble).not.toBeNull();
  await rel.click({ position: bubble });
  await expect(page.getByTestId('relationship-cell')).toBeVisible();
  await page.getByTestId('value-relationship').screenshot({ path: resolve(ARTIFACTS, '4d-value-relationship.png') });

  // RFM grid: rename the R=5, FM=5 cell to "loyal": champions disappear from the counts.
  const segTable = page.getByTestId('rfm-segment-table');
  const before = await segTable.innerText();
  await page.getByTestId('rfm-editor').locator('summary').click();
  await page.getByTestId('rfm-cell-55').selectOption('loyal');
  await page.getByTestId('rfm-cell-54').selectOption('loyal');
  await expect(page.getByTestId('value-stale')).toBeVisible();
  await page.getByTestId('rfm-editor').screenshot({ path: resolve(ARTIFACTS, '4e-value-rfm-grid.png') });
  await compute(page);
  const after = await segTable.innerText();
  expect(after).not.toEqual(before);
  // Fixed cut points: bad input is refused with a message, good input recomputes.
  await page.getByTestId('rfm-scoring').selectOption('fixed');
  await page.getByTestId('rfm-r-cuts').fill('90, 30, 180, 365');
  await page.getByTestId('rfm-r-cuts').press('Tab');
  await expect(page.getByTestId('value-field-error')).toBeVisible();
  await page.getByTestId('rfm-r-cuts').fill('30, 90, 180, 365');
  await page.getByTestId('rfm-r-cuts').press('Tab');
  await expect(page.getByTestId('value-field-error')).toHaveCount(0);
  await compute(page);
  await expect(page.getByTestId('rfm-bins')).toContainText('0 – 30');
  await page.getByTestId('rfm-grid-reset').click();
  await page.getByTestId('rfm-scoring').selectOption('quintiles');
  await compute(page);

  // A customer's page shows its value now and one period earlier.
  const link = page.getByTestId('value-customer-table').getByTestId('value-customer-link').first();
  await link.click();
  await expect(page.getByTestId('page-customer')).toBeVisible();
  await expect(page.getByTestId('customer-value-table')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('customer-value-table')).toContainText('ABC');
  await page.getByTestId('customer-value').screenshot({ path: resolve(ARTIFACTS, '4f-customer-value.png') });

  network();
  errors();
});
