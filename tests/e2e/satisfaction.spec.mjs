// The satisfaction pages. (1) At phone width with the network off: build a small survey,
// fill two questionnaires, reload, see the answers kept, open the analysis and its charts.
// (2) On the demo data at desktop width: the analysis, design (weights three ways, AHP
// warning), breakdowns, benchmark with a target, and the printable report. Screenshots of
// every chart go to artifacts/ (look at them).
import { expect } from '@playwright/test';
import { resolve } from 'node:path';
import { test, ARTIFACTS, goOffline, guardNetwork, guardErrors, loadDemo, shot } from './helpers.mjs';

/** A chart's canvas holds more than a few colours (it was drawn). */
async function drawn(page, testid) {
  return page.getByTestId(testid).evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 4 * 97) seen.add(`${d[i]},${d[i + 1]},${d[i + 2]}`);
    return seen.size;
  });
}

async function shootChart(page, testid, name) {
  const chart = page.getByTestId(testid);
  await chart.scrollIntoViewIfNeeded();
  await expect.poll(() => drawn(page, testid)).toBeGreaterThan(3);
  await chart.screenshot({ path: resolve(ARTIFACTS, `${name}.png`) });
}

async function idle(page) {
  await expect(page.getByTestId('busy')).toHaveCount(0, { timeout: 120_000 });
}

test.describe('phone, offline', () => {
  test.use({ viewport: { width: 375, height: 740 } });

  test('build a survey, fill two questionnaires offline, reload, analyse', async ({ page, context }) => {
    const network = guardNetwork(context);
    const errors = guardErrors(page);
    await page.goto('./');
    await page.getByTestId('welcome-empty').click();
    // Let the service worker take control, then cut the network.
    await goOffline(page, context);

    await page.goto('./#/satisfaction');
    await expect(page.getByTestId('sat-empty')).toBeVisible();
    // Creating without a name says what is missing.
    await page.getByTestId('sat-create').click();
    await expect(page.getByTestId('sat-create-error')).toBeVisible();
    await page.getByTestId('sat-new-name').fill('门店满意度');
    await page.getByTestId('sat-new-template').selectOption('blank');
    await page.getByTestId('sat-create').click();
    await expect(page.getByTestId('sat-design')).toBeVisible();
    await expect(page.getByTestId('sat-survey-name')).toHaveText('门店满意度');

    // Tree: root, group, question 1. Add a second question to the group: weights 1 + 1.
    const nodes = page.getByTestId('sat-node');
    await expect(nodes).toHaveCount(3);
    await nodes.nth(1).getByTestId('sat-node-add').click();
    await expect(nodes).toHaveCount(4);
    // Each rename is stored (the preview shows it) before the next one is typed: the tree
    // is redrawn when a save lands, which would drop a half-typed label.
    await nodes.nth(3).getByTestId('sat-node-label').fill('服务态度');
    await nodes.nth(3).getByTestId('sat-node-label').press('Tab');
    await expect(page.getByTestId('sat-preview')).toContainText('服务态度');
    await nodes.nth(2).getByTestId('sat-node-label').fill('产品质量');
    await nodes.nth(2).getByTestId('sat-node-label').press('Tab');
    await expect(page.getByTestId('sat-preview')).toContainText('产品质量');
    await expect(page.getByTestId('sat-weight-warning')).toBeVisible();
    await page.getByTestId('sat-normalise').click();
    await expect(page.getByTestId('sat-weight-warning')).toHaveCount(0);
    await expect(nodes.nth(3).getByTestId('sat-node-weight')).toHaveValue('0.5');
    // Reorder: service attitude first.
    await nodes.nth(3).getByTestId('sat-node-up').click();
    await expect(nodes.nth(2).getByTestId('sat-node-label')).toHaveValue('服务态度');
    await expect(page.getByTestId('sat-preview-item')).toHaveCount(2);
    await shot(page, 'sat-01-design-phone');

    // Respondent 1: anonymous, all answered.
    await page.getByTestId('sat-tab-entry').click();
    await expect(page.getByTestId('sat-entry-start')).toBeVisible();
    await page.getByTestId('sat-segment-gender').selectOption('female');
    await page.getByTestId('sat-start').click();
    await expect(page.getByTestId('sat-question')).toHaveText('服务态度');
    await shot(page, 'sat-02-entry-question-phone');
    await page.getByTestId('sat-answer').nth(0).click(); // 满意
    await expect(page.getByTestId('sat-question')).toHaveText('产品质量');
    await page.getByTestId('sat-answer').nth(1).click(); // 较满意
    await page.getByTestId('sat-answer').nth(0).click(); // repurchase: 满意
    await expect(page.getByTestId('sat-question')).toContainText('推荐');
    await page.getByTestId('sat-answer').nth(1).click(); // recommend 9
    await expect(page.getByTestId('sat-done')).toBeVisible();
    await page.getByTestId('sat-next-respondent').click();

    // Respondent 2: answer one question, then the tab is "closed" (reload).
    await expect(page.getByTestId('sat-entry-start')).toBeVisible();
    await page.getByTestId('sat-start').click();
    await expect(page.getByTestId('sat-question')).toHaveText('服务态度');
    await page.getByTestId('sat-answer').nth(2).click(); // 一般
    await expect(page.getByTestId('sat-question')).toHaveText('产品质量');
    const url = page.url();
    await page.reload();
    expect(page.url()).toBe(url);
    // Resumes at the first unanswered question; the given answer is kept.
    await expect(page.getByTestId('sat-question')).toHaveText('产品质量');
    await page.getByTestId('sat-prev').click();
    await expect(page.getByTestId('sat-answer').nth(2)).toHaveClass(/chosen/);
    await page.getByTestId('sat-skip').click();
    await page.getByTestId('sat-answer-na').click(); // not applicable
    await page.getByTestId('sat-answer').nth(3).click(); // repurchase 较不满意
    await page.getByTestId('sat-answer').nth(4).click(); // recommend 6
    await expect(page.getByTestId('sat-done')).toBeVisible();
    await shot(page, 'sat-03-entry-done-phone');

    // Reload again (offline): both responses are there.
    await page.goto('./#/satisfaction');
    await page.reload();
    await expect(page.getByTestId('sat-row-responses')).toHaveText('2');
    await page.getByTestId('sat-open-entry').click();
    await expect(page.getByTestId('sat-recent-response')).toHaveCount(2);
    await expect(page.getByTestId('sat-recent-response').filter({ hasText: '2/2' })).toHaveCount(2);

    // Analysis: service attitude (100, 60) = 80; quality (80, n/a) = 80 → CSI 80.
    await page.getByTestId('sat-tab-analysis').click();
    await idle(page);
    await expect(page.getByTestId('sat-csi').locator('.stat-value')).toHaveText('80.0');
    await expect(page.getByTestId('sat-nps').locator('.stat-value')).toHaveText('0.0');
    await expect(page.getByTestId('sat-stated')).toContainText('不计入');
    await shot(page, 'sat-04-analysis-phone');
    await shootChart(page, 'chart-sat-scores', 'sat-04-chart-scores-phone');
    await shootChart(page, 'chart-sat-zones', 'sat-04-chart-zones-phone');
    await context.setOffline(false);
    network();
    errors();
  });
});

test('demo data: analysis, weights, breakdowns, benchmark, report', async ({ page, context }) => {
  const network = guardNetwork(context);
  const errors = guardErrors(page);
  await loadDemo(page);
  await page.goto('./#/satisfaction');
  // The natural-gas survey (400 responses) and the CCSI one with its path model (300).
  await expect(page.getByTestId('sat-survey-row')).toHaveCount(2);
  const gas = page.getByTestId('sat-survey-row').filter({ hasText: '天然气' });
  await expect(gas.getByTestId('sat-row-responses')).toHaveText('400');
  await shot(page, 'sat-10-list');

  await gas.getByTestId('sat-open-analysis').click();
  await idle(page);
  await expect(page.getByTestId('sat-results')).toBeVisible();
  const csi = Number(await page.getByTestId('sat-csi').locator('.stat-value').textContent());
  expect(csi).toBeGreaterThan(40);
  expect(csi).toBeLessThan(100);
  await expect(page.getByTestId('sat-node-row')).toHaveCount(12);
  await expect(page.getByTestId('sat-alpha-table').locator('tbody tr')).toHaveCount(3);
  await expect(page.getByTestId('sat-pls-none')).toBeVisible();
  await shot(page, 'sat-11-analysis');
  for (const id of ['chart-sat-scores', 'chart-sat-zones', 'chart-sat-ipa', 'chart-sat-groups', 'chart-sat-trend']) {
    await shootChart(page, id, `sat-12-${id}`);
  }
  // Breakdown by customer group.
  await page.getByTestId('sat-group-by').selectOption('kind');
  await expect(page.getByTestId('sat-group-row').first()).toBeVisible();
  await shootChart(page, 'chart-sat-groups', 'sat-12-chart-sat-groups-kind');
  // Target value → benchmark line.
  await page.getByTestId('sat-target').fill('85');
  await page.getByTestId('sat-target').press('Tab');
  await expect(page.getByTestId('sat-benchmark-table').locator('tbody tr')).toHaveCount(3);
  await shootChart(page, 'chart-sat-benchmark', 'sat-12-chart-sat-benchmark');
  // CSV export of the indicator table.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('sat-csv-nodes').click()]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);

  // Design: weights three ways, an inconsistent AHP judgement is named.
  await page.getByTestId('sat-tab-design').click();
  // Drag the second first-level indicator onto the first: they swap places.
  const labels = page.getByTestId('sat-node').getByTestId('sat-node-label');
  const second = await labels.nth(4).inputValue();
  const rows = page.getByTestId('sat-node');
  const before = await labels.evaluateAll((els) => els.map((e) => e.value));
  await rows.nth(4).dragTo(rows.nth(1));
  await expect.poll(async () => (await labels.evaluateAll((els) => els.map((e) => e.value))).join('|')).not.toBe(before.join('|'));
  expect(await labels.nth(1).inputValue()).toBe(second);
  await expect(page.getByTestId('sat-weights-table').locator('tbody tr')).toHaveCount(3);
  const selects = page.getByTestId('sat-ahp-select');
  await expect(selects).toHaveCount(3);
  await selects.nth(0).selectOption({ label: '9' }); // supply ≫ repair
  await selects.nth(1).selectOption({ label: '1/9' }); // meter ≫ supply
  await selects.nth(2).selectOption({ label: '9' }); // repair ≫ meter: circular
  await expect(page.getByTestId('sat-ahp-warning')).toBeVisible();
  await page.getByTestId('sat-weights').scrollIntoViewIfNeeded();
  await page.getByTestId('sat-weights').screenshot({ path: resolve(ARTIFACTS, 'sat-13-weights.png') });

  // Report with improvement actions, kept after a reload.
  await page.getByTestId('sat-tab-report').click();
  await idle(page);
  await expect(page.getByTestId('sat-report-results')).toContainText('CSI');
  await page.getByTestId('sat-actions').fill('维修及时性：增加夜间值班人员。');
  await page.getByTestId('sat-actions-save').click();
  await expect(page.getByTestId('sat-actions-saved')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('sat-actions')).toHaveValue('维修及时性：增加夜间值班人员。');
  await shot(page, 'sat-14-report');
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: resolve(ARTIFACTS, 'sat-15-report-print.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });

  // English: the same analysis with English texts.
  await page.getByTestId('lang-switch').click();
  await page.getByTestId('sat-tab-analysis').click();
  await idle(page);
  await expect(page.getByTestId('sat-csi')).toContainText('Customer satisfaction index');
  await expect(page.getByTestId('sat-stated')).toContainText('never counted as zero');
  await shot(page, 'sat-16-analysis-en');
  await shootChart(page, 'chart-sat-zones', 'sat-16-chart-zones-en');
  await page.getByTestId('lang-switch').click();
  network();
  errors();
});
