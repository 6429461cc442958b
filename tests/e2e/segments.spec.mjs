// The segments page on the demo data (issue 6): build segments from two attributes, see the
// cross-tab and its charts, sort, drill down, save a segment and export CSV; run k-means
// with the curves, name a cluster and save it; score the evaluation matrix, mark a target,
// write its positioning and fill the perceptual map; reload and find it all there.
// Screenshots of every chart go to tests/e2e/artifacts (look at them).
import { expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test, ARTIFACTS, guardNetwork, guardErrors, loadDemo, shot } from './helpers.mjs';

/** A chart's canvas holds more than a few colours (it was drawn). */
async function drawn(page, testid) {
  return page.getByTestId(testid).evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 4 * 97) seen.add(`${d[i]},${d[i + 1]},${d[i + 2]}`);
    return seen.size;
  });
}

/** Dismisses a toast, if one is shown, so that it does not cover a screenshot. */
async function dismissToast(page) {
  const toast = page.getByTestId('toast');
  if (await toast.count()) await toast.locator('button.ghost').click();
  await expect(toast).toHaveCount(0);
}

async function shootChart(page, id, name) {
  await dismissToast(page);
  const chart = page.getByTestId(id);
  await chart.scrollIntoViewIfNeeded();
  await expect.poll(() => drawn(page, id)).toBeGreaterThan(3);
  await chart.screenshot({ path: resolve(ARTIFACTS, `${name}.png`) });
}

async function idle(page) {
  await expect(page.getByTestId('busy')).toHaveCount(0, { timeout: 120_000 });
}

const num = (s) => Number(s.replace(/[,%\s]/g, ''));

test('segments page: segment, cluster, evaluate, target, position, reload', async ({ page, context }) => {
  test.setTimeout(300_000);
  const network = guardNetwork(context);
  const errors = guardErrors(page);
  await loadDemo(page);
  await page.goto('./#/segments');
  await expect(page.getByTestId('page-segments')).toBeVisible();

  // --- Segments: region × benefit sought.
  await page.getByTestId('seg-dim-0').selectOption('region');
  await page.getByTestId('seg-dim-1').selectOption('attr:benefit');
  await page.getByTestId('seg-compute').click();
  await idle(page);
  await expect(page.getByTestId('seg-results')).toBeVisible();
  const rows = page.getByTestId('crosstab-row');
  expect(await rows.count()).toBeGreaterThan(6);
  await expect(page.getByTestId('crosstab-total')).toContainText('2,000');
  await expect(rows.first()).toContainText('·');
  // The customers of the rows add up to the total.
  const counts = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.children[1].textContent.replace(/,/g, ''))));
  expect(counts.reduce((a, b) => a + b, 0)).toBe(2000);
  // Sort by customers, descending then ascending.
  await page.getByTestId('sort-Customers').click();
  const desc = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.children[1].textContent.replace(/,/g, ''))));
  expect(desc).toEqual([...desc].sort((a, b) => b - a));
  await page.getByTestId('sort-Customers').click();
  const asc = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.children[1].textContent.replace(/,/g, ''))));
  expect(asc).toEqual([...asc].sort((a, b) => a - b));
  await shot(page, '60-segments-crosstab');
  await shootChart(page, 'chart-seg-bars', '61-segments-bars');
  await shootChart(page, 'chart-seg-bubbles', '62-segments-bubbles');

  // CSV export: BOM, header, one line per segment and the total.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('seg-export-csv').click()]);
  const csvPath = resolve(ARTIFACTS, 'segments.csv');
  await csv.saveAs(csvPath);
  const bytes = readFileSync(csvPath);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.toString('utf8').trim().split('\r\n');
  expect(lines.length).toBe(counts.length + 2);
  expect(lines[0]).toContain('细分市场');

  // PNG export of a chart.
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('chart-seg-bars-png').click()]);
  expect(png.suggestedFilename()).toMatch(/\.png$/);

  // Drill down into the largest segment (sort descending first), and save it.
  await page.getByTestId('sort-Customers').click();
  const biggest = await rows.first().locator('td').first().innerText();
  const biggestCount = num(await rows.first().locator('td').nth(1).innerText());
  await page.getByTestId('crosstab-drill').first().click();
  await expect(page.getByTestId('seg-drill')).toContainText(biggest);
  await expect(page.getByTestId('seg-drill-customer').first()).toHaveAttribute('href', /#\/customers\//);
  expect(await page.getByTestId('seg-drill-customer').count()).toBe(Math.min(50, biggestCount));
  // The pager reaches the customers after the first 50 (an unbraced '>=' in its disabled=
  // attribute once printed source text and left it disabled).
  expect(biggestCount).toBeGreaterThan(50);
  await expect(page.getByTestId('seg-drill-next')).toBeEnabled();
  await expect(page.getByTestId('seg-drill-next')).not.toContainText('=');
  const firstOnPage1 = await page.getByTestId('seg-drill-customer').first().innerText();
  await page.getByTestId('seg-drill-next').click();
  await expect(page.getByTestId('seg-drill-customer').first()).not.toHaveText(firstOnPage1);
  expect(await page.getByTestId('seg-drill-customer').count()).toBe(Math.min(50, biggestCount - 50));
  await page.getByTestId('seg-drill-prev').click();
  await expect(page.getByTestId('seg-drill-customer').first()).toHaveText(firstOnPage1);
  await page.getByTestId('seg-save').click();
  await expect(page.getByTestId('toast')).toContainText('名称');
  await page.getByTestId('seg-save-name').fill('重点区域');
  await page.getByTestId('seg-save').click();
  await expect(page.getByTestId('saved-segment')).toHaveCount(1);
  await expect(page.getByTestId('saved-segment').first()).toContainText(String(biggestCount));
  await page.getByTestId('seg-drill').scrollIntoViewIfNeeded();
  await dismissToast(page);
  await shot(page, '63-segments-drill-saved');

  // Bad band edges get a message saying where.
  await page.getByTestId('seg-dim-2').selectOption('num:revenue');
  await page.getByTestId('seg-edges-2').fill('1000, abc');
  await page.getByTestId('seg-edges-2').press('Tab');
  await page.getByTestId('seg-compute').click();
  await expect(page.getByTestId('seg-error')).toContainText('变量3');
  await page.getByTestId('seg-dim-2').selectOption('');

  // --- Clusters: the default measures (recency, frequency, monetary), standardized.
  await page.getByTestId('seg-tab-clusters').click();
  await page.getByTestId('cluster-run').click();
  await idle(page);
  await expect(page.getByTestId('cluster-results')).toBeVisible();
  await expect(page.getByTestId('cluster-stated')).toContainText('标准化');
  const k = Number(await page.getByTestId('cluster-k').inputValue());
  expect(k).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId('cluster-profile')).toHaveCount(k);
  await shootChart(page, 'chart-elbow', '64-clusters-elbow');
  await shootChart(page, 'chart-silhouette', '65-clusters-silhouette');
  await page.getByTestId('cluster-x').selectOption('2');
  await page.getByTestId('cluster-y').selectOption('1');
  await shootChart(page, 'chart-cluster-scatter', '66-clusters-scatter');
  const sizes = await page.getByTestId('cluster-profile').evaluateAll((trs) => trs.map((tr) => Number(tr.children[1].textContent.replace(/,/g, ''))));
  const clusterSize = sizes[0];
  await page.getByTestId('cluster-name').first().fill('聚类一');
  await page.getByTestId('cluster-save').first().click();
  await expect(page.getByTestId('toast')).toContainText('聚类一');
  await page.getByTestId('cluster-profiles').scrollIntoViewIfNeeded();
  await dismissToast(page);
  await shot(page, '67-clusters-profiles');

  // Back on Segments, both saved segments are listed; the cluster has its size.
  await page.getByTestId('seg-tab-segments').click();
  await expect(page.getByTestId('saved-segment')).toHaveCount(2);
  await expect(page.getByTestId('saved-segment').nth(1)).toContainText(clusterSize.toLocaleString('en-US'));

  // --- Evaluate: suggestions, two scores, a weight, a target.
  await page.getByTestId('seg-tab-evaluate').click();
  await expect(page.getByTestId('eval-row')).toHaveCount(2);
  await page.getByTestId('eval-suggest').click();
  await idle(page);
  await expect(page.getByTestId('toast')).toContainText('建议');
  const first = page.getByTestId('eval-row').first();
  await expect(first.getByTestId('eval-score-market_size')).not.toHaveValue('');
  await first.getByTestId('eval-score-measurability').selectOption('4');
  await first.getByTestId('eval-score-strategic_fit').selectOption('5');
  await page.getByTestId('eval-weight-strategic_fit').fill('2');
  await page.getByTestId('eval-weight-strategic_fit').press('Tab');
  await expect(first.getByTestId('eval-total')).not.toHaveText('—');
  await expect(first.getByTestId('eval-rank')).not.toHaveText('—');
  await first.getByTestId('eval-target').check();
  const total = await first.getByTestId('eval-total').innerText();
  await dismissToast(page);
  await shot(page, '68-evaluate-matrix');
  await shootChart(page, 'chart-evaluation', '69-evaluate-chart');

  // --- Positioning of the target, and the perceptual map.
  await page.getByTestId('seg-tab-positioning').click();
  await expect(page.getByTestId('positioning-target')).toHaveCount(1);
  await expect(page.getByTestId('positioning-target')).toContainText('重点区域');
  await page.getByTestId('positioning-statement').fill('为重点区域注重质量的客户提供最可靠的供应和最快的服务响应');
  await page.getByTestId('positioning-statement').press('Tab');
  await page.getByTestId('positioning-product').fill('高纯度产品线');
  await page.getByTestId('positioning-product').press('Tab');
  await page.getByTestId('map-x-label').fill('价格');
  await page.getByTestId('map-x-label').press('Tab');
  await page.getByTestId('map-y-label').fill('质量');
  await page.getByTestId('map-y-label').press('Tab');
  const offers = [['本公司', '6', '8.5'], ['竞争者甲', '4', '6'], ['竞争者乙', '8', '7']];
  for (const [i, [name, x, y]] of offers.entries()) {
    await page.getByTestId('map-add').click();
    const row = page.getByTestId('map-offer').nth(i);
    await row.getByTestId('map-offer-name').fill(name);
    await row.getByTestId('map-offer-name').press('Tab');
    await row.getByTestId('map-offer-x').fill(x);
    await row.getByTestId('map-offer-x').press('Tab');
    await row.getByTestId('map-offer-y').fill(y);
    await row.getByTestId('map-offer-y').press('Tab');
  }
  await expect(page.getByTestId('map-offer').first().getByTestId('map-offer-own')).toBeChecked();
  await shootChart(page, 'chart-perceptual-map', '6a-positioning-map');
  await page.getByTestId('positioning-target').scrollIntoViewIfNeeded();
  await shot(page, '6b-positioning');

  // --- Reload: everything is still there, and the tab is remembered.
  await page.reload();
  await expect(page.getByTestId('positioning-statement')).toHaveValue('为重点区域注重质量的客户提供最可靠的供应和最快的服务响应');
  await expect(page.getByTestId('positioning-product')).toHaveValue('高纯度产品线');
  await expect(page.getByTestId('map-offer')).toHaveCount(3);
  await expect(page.getByTestId('map-offer').nth(2).getByTestId('map-offer-name')).toHaveValue('竞争者乙');
  await expect.poll(() => drawn(page, 'chart-perceptual-map')).toBeGreaterThan(3);
  await page.getByTestId('seg-tab-evaluate').click();
  const first2 = page.getByTestId('eval-row').first();
  await expect(first2.getByTestId('eval-target')).toBeChecked();
  await expect(first2.getByTestId('eval-score-measurability')).toHaveValue('4');
  await expect(first2.getByTestId('eval-total')).toHaveText(total);
  await expect(page.getByTestId('eval-weight-strategic_fit')).toHaveValue('2');
  await page.getByTestId('seg-tab-segments').click();
  await expect(page.getByTestId('saved-segment-name')).toHaveText(['重点区域', '聚类一']);
  // The saved segments count their members again after the inputs are rebuilt.
  await page.getByTestId('seg-compute').click();
  await idle(page);
  await expect(page.getByTestId('saved-segment').nth(1)).toContainText(clusterSize.toLocaleString('en-US'));

  // A saved segment filters the customer list: the cluster shows exactly its members.
  await page.goto('./#/customers');
  await expect(page.getByTestId('customer-count')).toContainText('2,000');
  await page.getByTestId('filter-segment').selectOption('聚类一');
  await expect(page.getByTestId('customer-count')).toContainText(clusterSize.toLocaleString('en-US'));
  await shot(page, '6e-customers-filtered-by-segment');
  await page.getByTestId('filter-segment').selectOption('');
  await expect(page.getByTestId('customer-count')).toContainText('2,000 / 2,000');
  await page.goto('./#/segments');
  await expect(page.getByTestId('saved-segment-name')).toHaveText(['重点区域', '聚类一']);
  await page.getByTestId('seg-compute').click();
  await idle(page);

  // English follows at once.
  await page.getByTestId('lang-switch').click();
  await expect(page.getByTestId('seg-tab-clusters')).toHaveText('Clusters');
  await expect(page.getByTestId('crosstab')).toContainText('Customers');
  await shot(page, '6c-segments-english');
  await page.getByTestId('lang-switch').click();

  // Phone width: no horizontal overflow of the page.
  await page.setViewportSize({ width: 375, height: 760 });
  await page.waitForTimeout(200);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'horizontal overflow on the segments page').toBeLessThanOrEqual(1);
  await shot(page, '6d-segments-phone');

  network();
  errors();
});
