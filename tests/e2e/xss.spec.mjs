// Hostile text typed by a user (issue 12): markup and script in a customer's name and notes,
// a complaint's description and a visit's purpose and location are shown as text on every
// page that shows them (never parsed as HTML, never run); the CSV export neutralises a
// leading "=" (formula injection) and the .ics export escapes what would otherwise end a
// property or add one. The pages' console must stay clean (helpers.mjs's `test`).
import { expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { test, guardNetwork, guardErrors, loadDemo, shot } from './helpers.mjs';

const NAME = '=HYPERLINK("http://x.invalid","点击")<img src=x onerror="window.__xss=1">';
const NOTES = '</textarea><script>window.__xss=2</script><svg onload="window.__xss=3">';
const DESC = '<iframe srcdoc="<script>parent.__xss=4</script>"></iframe>包装破损';
const PURPOSE = '新品推介, 样品; 报价\\<b onmouseover="window.__xss=5">';
const LOCATION = '"><a href="javascript:window.__xss=6">东门</a>';

async function noInjection(page) {
  expect(await page.evaluate(() => window.__xss)).toBeUndefined();
  await expect(page.locator('img[src=x], iframe, svg[onload], a[href^="javascript"], b[onmouseover]')).toHaveCount(0);
}

test('hostile text stays text on every page and in the CSV and .ics exports', async ({ page, context }) => {
  test.setTimeout(240_000);
  const network = guardNetwork(context);
  const errors = guardErrors(page); // an alert() would fail the test as a dialog
  await loadDemo(page);

  // A customer with a hostile name and notes.
  await page.goto('./#/customers/new');
  await page.getByTestId('field-name').fill(NAME);
  await page.getByTestId('field-code').fill('XSS-1');
  await page.getByTestId('field-city').fill('杭州市');
  await page.getByTestId('field-region').selectOption('East');
  await page.getByTestId('field-owner').fill('测试经理');
  await page.getByTestId('field-notes').fill(NOTES);
  await page.getByTestId('customer-save').click();
  await expect(page.getByTestId('page-customer')).toBeVisible();
  await expect(page.getByTestId('customer-name')).toHaveText(NAME);
  await expect(page.getByTestId('page-customer')).toContainText(NOTES);
  await noInjection(page);
  await shot(page, 'xss-01-customer');

  // The list and its CSV export: the name is one text cell that Excel will not run.
  await page.goto('./#/customers');
  await page.getByTestId('customer-search').fill('XSS-1');
  await expect(page.getByTestId('customer-row')).toHaveCount(1);
  await expect(page.getByTestId('customer-row').first()).toContainText(NAME);
  await noInjection(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('customers-export-csv').click()]);
  const csv = readFileSync(await download.path()).toString('utf8');
  const row = csv.split('\r\n').find((l) => l.includes('XSS-1'));
  expect(row).toContain(`"'=HYPERLINK(""http://x.invalid"",""点击"")<img src=x onerror=""window.__xss=1"">"`);
  expect(row).not.toMatch(/(^|,)"?=/);

  // A complaint with a hostile description: detail and list.
  await page.goto('./#/complaints');
  await page.getByTestId('cmp-tab-register').click();
  await page.getByTestId('register-customer-search').fill('XSS-1');
  await page.getByTestId('register-customer-option').first().click();
  await expect(page.getByTestId('register-customer')).toContainText(NAME);
  await page.getByTestId('register-severity-major').click();
  await page.getByTestId('register-description').fill(DESC);
  await page.getByTestId('register-submit').click();
  await expect(page.getByTestId('complaint-detail')).toContainText(DESC);
  await noInjection(page);
  await shot(page, 'xss-02-complaint');

  // A visit planned from the customer's page with a hostile purpose and location.
  await page.goto('./#/customers');
  await page.getByTestId('customer-search').fill('XSS-1');
  await page.getByTestId('customer-row').first().click();
  await page.getByTestId('customer-plan-visit').click();
  const plan = page.getByTestId('visit-plan-dialog');
  await expect(plan).toBeVisible();
  await plan.getByTestId('plan-purpose').fill(PURPOSE);
  await plan.getByTestId('plan-location').fill(LOCATION);
  const day = await plan.getByTestId('plan-date').inputValue();
  await plan.getByTestId('visit-dialog-save').click();
  await expect(plan).toHaveCount(0);
  await expect(page.getByTestId('customer-interaction').filter({ hasText: PURPOSE })).toHaveCount(1);
  await noInjection(page);

  await page.goto('./#/visits');
  await page.getByTestId('visit-owner').selectOption('测试经理');
  await page.getByTestId('visit-date').fill(day);
  const item = page.locator('[data-testid=visit-item]', { hasText: PURPOSE });
  await expect(item).toHaveCount(1);
  await expect(item).toContainText(NAME);
  await noInjection(page);
  await shot(page, 'xss-03-visits');

  // The .ics: every unfolded line is one property; the text is escaped (RFC 5545 3.3.11).
  const [ics] = await Promise.all([page.waitForEvent('download'), page.getByTestId('visit-export-ics').click()]);
  const lines = readFileSync(await ics.path(), 'utf8').replace(/\r\n[ \t]/g, '').split('\r\n').filter((l) => l);
  for (const l of lines) expect(l).toMatch(/^[A-Z][A-Z0-9-]*[;:]/);
  expect(lines).toContain('SUMMARY:新品推介\\, 样品\\; 报价\\\\<b onmouseover="window.__xss=5">');
  expect(lines).toContain('LOCATION:"><a href="javascript:window.__xss=6">东门</a>');

  // After a reload everything is still text.
  await page.reload();
  await expect(item).toHaveCount(1);
  await noInjection(page);
  network();
  errors();
});

const SEGMENT = '<img src=x onerror="window.__xss=7">重点区域';
const STATEMENT = '<script>window.__xss=8</script>为重点客户提供最快的响应';
const LABEL = '服务<svg onload="window.__xss=9">态度';

test('hostile segment names, positioning statements and survey labels stay text, also in the printed report', async ({ page, context }) => {
  test.setTimeout(300_000);
  const network = guardNetwork(context);
  const errors = guardErrors(page);
  await loadDemo(page);

  // A saved segment with a hostile name: listed, evaluated, targeted, positioned.
  await page.goto('./#/segments');
  await page.getByTestId('seg-dim-0').selectOption('region');
  await page.getByTestId('seg-compute').click();
  await expect(page.getByTestId('seg-results')).toBeVisible({ timeout: 90_000 });
  await page.getByTestId('crosstab-drill').first().click();
  await page.getByTestId('seg-save-name').fill(SEGMENT);
  await page.getByTestId('seg-save').click();
  await expect(page.getByTestId('saved-segment').first()).toContainText(SEGMENT);
  await noInjection(page);
  await page.getByTestId('seg-tab-evaluate').click();
  const row = page.getByTestId('eval-row').first();
  await expect(row).toContainText(SEGMENT);
  await row.getByTestId('eval-target').check();
  await page.getByTestId('seg-tab-positioning').click();
  await expect(page.getByTestId('positioning-target')).toContainText(SEGMENT);
  await page.getByTestId('positioning-statement').fill(STATEMENT);
  await page.getByTestId('positioning-statement').press('Tab');
  await noInjection(page);
  await shot(page, 'xss-04-positioning');

  // The customer list's segment filter offers it by name.
  await page.goto('./#/customers');
  await expect(page.locator('option', { hasText: SEGMENT })).toHaveCount(1);
  await noInjection(page);

  // A survey question renamed to markup: design, analysis, report and its print view.
  await page.goto('./#/satisfaction');
  const gas = page.getByTestId('sat-survey-row').filter({ hasText: '天然气' });
  await gas.getByTestId('sat-open-analysis').click();
  await page.getByTestId('sat-tab-design').click();
  const label = page.getByTestId('sat-node').nth(2).getByTestId('sat-node-label');
  await label.fill(LABEL);
  await label.press('Tab');
  await expect(page.getByTestId('sat-preview')).toContainText(LABEL);
  await page.getByTestId('sat-tab-analysis').click();
  await expect(page.getByTestId('sat-results')).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('busy')).toHaveCount(0, { timeout: 90_000 });
  await expect(page.getByTestId('sat-results')).toContainText(LABEL);
  await noInjection(page);
  await page.getByTestId('sat-tab-report').click();
  await expect(page.getByTestId('sat-report-tree')).toContainText(LABEL, { timeout: 90_000 });
  await page.emulateMedia({ media: 'print' });
  await noInjection(page);
  await page.screenshot({ path: 'tests/e2e/artifacts/xss-05-report-print.png', fullPage: true });
  await page.emulateMedia({ media: 'screen' });

  // After a reload, all of it is still text.
  await page.reload();
  await expect(page.getByTestId('sat-report-tree')).toContainText(LABEL, { timeout: 90_000 });
  await page.goto('./#/segments');
  await page.getByTestId('seg-tab-positioning').click();
  await expect(page.getByTestId('positioning-statement')).toHaveValue(STATEMENT);
  await noInjection(page);
  errors();
  network();
});
