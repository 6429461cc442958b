// The import wizard on top of the demo data: a GBK CSV of customers (encoding detected,
// overridden and set back; a column mapped by hand; rejected rows seen and downloaded;
// merge rule switched), then an .xlsx of order lines (sheet chosen, unknown customer
// created or skipped), each confirmed and seen in the data; the second import is undone
// from the toast and the first through the Data page's snapshot list, which brings the
// counts back. Screenshots of every step go to artifacts/5x-*.png.
// Fixtures: tests/data/import/{customers-gbk.csv,orders.xlsx}, built by
// tests/data/import/make_e2e_fixtures.py.
import { expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, ARTIFACTS, guardNetwork, guardErrors, loadDemo, counts, shot } from './helpers.mjs';

const DATA = resolve(dirname(fileURLToPath(import.meta.url)), '../data/import');
const stat = (page, id) => page.getByTestId(id).locator('.stat-value');

test('import wizard: GBK customers and XLSX order lines, mapping fixed by hand, rejected rows, confirm, undo', async ({ page, context }) => {
  const network = guardNetwork(context);
  const errors = guardErrors(page);
  await loadDemo(page);
  const before = await counts(page);
  expect(before.customers).toBe('2000');

  // From the Data page into the wizard.
  await page.goto('./#/data');
  await page.getByTestId('open-import-wizard').click();
  await expect(page.getByTestId('page-import')).toBeVisible();
  await shot(page, '50-import-start');

  // 1. The GBK file: detected, garbled when forced to UTF-8, right again on "detect".
  await page.getByTestId('import-file').setInputFiles(resolve(DATA, 'customers-gbk.csv'));
  await expect(page.getByTestId('import-file-info')).toContainText('gbk');
  await expect(page.getByTestId('import-raw-preview')).toContainText('杭州西湖阀门有限公司');
  await page.getByTestId('import-encoding').selectOption('utf-8');
  await expect(page.getByTestId('import-malformed')).toBeVisible();
  await expect(page.getByTestId('import-raw-preview')).not.toContainText('杭州西湖阀门有限公司');
  await page.getByTestId('import-encoding').selectOption('');
  await expect(page.getByTestId('import-raw-preview')).toContainText('杭州西湖阀门有限公司');
  await expect(page.getByTestId('import-malformed')).toHaveCount(0);
  await shot(page, '51-import-file-gbk');
  await page.getByTestId('import-next').click();

  // 2. What it holds.
  await page.getByTestId('import-kind-customers').click();
  await shot(page, '52-import-kind');
  await page.getByTestId('import-next').click();

  // 3. Mapping: 负责销售 (account manager) is not guessed; map it by hand.
  await expect(page.getByTestId('import-mapping')).toBeVisible();
  await expect(page.getByTestId('map-name')).toHaveValue('客户名称');
  await expect(page.getByTestId('map-code')).toHaveValue('客户编号');
  await expect(page.getByTestId('map-owner')).toHaveValue('');
  await page.getByTestId('map-owner').selectOption('负责销售');
  await expect(page.getByTestId('map-row-owner')).toContainText('张伟');
  await shot(page, '53-import-mapping');
  await page.getByTestId('import-check').click();

  // 4. Review: 4 new, 1 update (KH00001), 1 rejected row with two bad cells.
  await expect(page.getByTestId('import-plan')).toBeVisible();
  await expect(stat(page, 'plan-add')).toHaveText('4');
  await expect(stat(page, 'plan-update')).toHaveText('1');
  await expect(stat(page, 'plan-reject')).toHaveText('1');
  await expect(page.getByTestId('import-rows')).toContainText('7');
  const rejected = page.getByTestId('rejected-row');
  await expect(rejected).toHaveCount(2);
  await expect(rejected.nth(0)).toContainText('信用等级');
  await expect(rejected.nth(0)).toContainText('Z');
  await expect(rejected.nth(0)).toContainText('不是允许的值');
  await expect(rejected.nth(1)).toContainText('2024-02-30');
  await expect(rejected.nth(1)).toContainText('日期不存在');
  await expect(rejected.nth(0).locator('td').first()).toHaveText('4');
  // Full-width code and spaces are folded; the hand-mapped column is imported.
  const preview = page.getByTestId('import-preview-table');
  await expect(preview).toContainText('NEW005');
  await expect(preview).toContainText('广州珠江贸易有限公司');
  await expect(preview).toContainText('李娜');
  await shot(page, '54-import-review-customers');
  await page.getByTestId('import-rejected').screenshot({ path: resolve(ARTIFACTS, '54b-import-rejected.png') });

  // The report as CSV (UTF-8 with BOM).
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-rejected-csv').click()]);
  expect(download.suggestedFilename()).toBe('customers-gbk-rejected.csv');
  const report = readFileSync(await download.path());
  expect([...report.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const reportText = report.toString('utf8');
  expect(reportText).toContain('行号,列,值,原因');
  expect(reportText).toContain('4,建立关系日期,2024-02-30,日期不存在');

  // Merge rule "skip" keeps KH00001 as it is.
  await page.getByTestId('merge-skip').check();
  await expect(stat(page, 'plan-update')).toHaveText('0');
  await expect(stat(page, 'plan-skip')).toHaveText('1');
  await page.getByTestId('merge-update').check();
  await expect(stat(page, 'plan-update')).toHaveText('1');

  await page.getByTestId('import-confirm').click();
  await expect(page.getByTestId('import-done')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('toast')).toContainText('导入完成');
  await expect(page.getByTestId('busy')).toHaveCount(0);
  await shot(page, '55-import-done');

  // The customers are there.
  await page.getByTestId('import-done-customers').click();
  await expect(page.getByTestId('customer-count')).toContainText('2,004');
  await page.getByTestId('customer-search').fill('杭州西湖阀门');
  await expect(page.getByTestId('customer-row')).toHaveCount(1);
  await expect(page.getByTestId('customer-row')).toContainText('李娜');
  await page.getByTestId('customer-search').fill('KH00001');
  await expect(page.getByTestId('customer-row').first()).toContainText('华东测试更新有限公司');
  await page.getByTestId('customer-search').fill('');

  // 1-4 again with the workbook of order lines.
  await page.goto('./#/data/import');
  await page.getByTestId('import-file').setInputFiles(resolve(DATA, 'orders.xlsx'));
  await expect(page.getByTestId('import-sheet')).toBeVisible();
  await expect(page.getByTestId('import-file-info')).toContainText('2');
  await page.getByTestId('import-sheet').selectOption('订单明细');
  await expect(page.getByTestId('import-raw-preview')).toContainText('NEW404');
  await expect(page.getByTestId('import-raw-preview')).toContainText('2024-03-05');
  await shot(page, '56-import-file-xlsx');
  await page.getByTestId('import-next').click();
  await page.getByTestId('import-kind-orders').click();
  await page.getByTestId('import-next').click();
  await expect(page.getByTestId('map-date')).toHaveValue('下单日期');
  await expect(page.getByTestId('map-amount')).toHaveValue('金额（元）');
  await expect(page.getByTestId('map-customer_code')).toHaveValue('客户编号');
  await page.setViewportSize({ width: 375, height: 800 });
  await shot(page, '57-import-mapping-phone');
  await page.setViewportSize({ width: 1280, height: 860 });
  await page.getByTestId('import-check').click();
  await expect(page.getByTestId('import-unknown')).toBeVisible();
  await expect(page.getByTestId('unknown-customer')).toHaveCount(1);
  await expect(page.getByTestId('unknown-customer')).toContainText('未知新客户');
  await expect(stat(page, 'plan-reject')).toHaveText('1');
  // Create (default): 3 lines + the pending one + its new customer.
  await expect(stat(page, 'plan-add')).toHaveText('5');
  await page.getByTestId('unknown-skip').check();
  await expect(stat(page, 'plan-add')).toHaveText('3');
  await expect(stat(page, 'plan-skip')).toHaveText('1');
  await page.getByTestId('unknown-create').check();
  await expect(stat(page, 'plan-add')).toHaveText('5');
  await expect(page.getByTestId('import-preview-table')).toContainText('12000');
  await expect(page.getByTestId('import-preview-table')).not.toContainText('12000.0');
  await expect(page.getByTestId('import-preview-table')).toContainText('2024-04-18'); // serial 45400
  await shot(page, '58-import-review-orders');
  await page.getByTestId('import-confirm').click();
  await expect(page.getByTestId('import-done')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('toast')).toContainText('导入完成');

  // Undo from the toast: the snapshot taken before the order lines comes back.
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('toast')).toContainText('已恢复快照', { timeout: 60_000 });
  await expect(page.getByTestId('busy')).toHaveCount(0);
  const afterUndo = await counts(page);
  expect(afterUndo.customers).toBe('2004');
  expect(afterUndo.orders).toBe(before.orders);

  // Undo the customer import through the Data page: the oldest snapshot ("before a file
  // import" of the demo data) restores the counts of the start.
  await page.goto('./#/data');
  const snaps = page.getByTestId('snapshots').locator('li');
  await expect(snaps).toHaveCount(3);
  await expect(snaps.nth(2)).toContainText('文件导入前');
  await page.getByTestId('snapshots').screenshot({ path: resolve(ARTIFACTS, '59-import-snapshots.png') });
  // Dismiss the toast of the undo so that the next one is the restore's.
  await page.getByTestId('toast').getByRole('button', { name: '关闭' }).click();
  await expect(page.getByTestId('toast')).toHaveCount(0);
  await snaps.nth(2).getByTestId('snapshot-restore').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('toast')).toContainText('已恢复快照', { timeout: 60_000 });
  await expect(page.getByTestId('busy')).toHaveCount(0);
  const restored = await counts(page);
  expect(restored).toEqual(before);

  network();
  errors();
});

test('customer list exports Excel-safe CSV in UTF-8 with BOM or GBK', async ({ page, context }) => {
  const network = guardNetwork(context);
  const errors = guardErrors(page);
  await loadDemo(page);
  await page.goto('./#/customers');
  await page.getByTestId('customer-search').fill('KH00001');
  await expect(page.getByTestId('customer-count')).not.toContainText('2,000 /');
  const shown = await page.getByTestId('customer-row').count();
  let [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('customers-export-csv').click()]);
  let bytes = readFileSync(await download.path());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.toString('utf8').trim().split('\r\n');
  expect(lines[0]).toContain('编号,名称');
  expect(lines.length - 1).toBe(shown);
  expect(lines[1]).toContain('KH00001');
  await page.getByTestId('customers-export-encoding').selectOption('gbk');
  [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('customers-export-csv').click()]);
  bytes = readFileSync(await download.path());
  expect(bytes[0]).not.toBe(0xef);
  const text = new TextDecoder('gbk').decode(bytes);
  expect(text.split('\r\n')[0]).toContain('编号,名称');
  await shot(page, '60-customers-export');
  network();
  errors();
});

test('order lines naming customers by id (as the CLI writes them) match the stored customers, not new ones', async ({ page, context }) => {
  const network = guardNetwork(context);
  const errors = guardErrors(page);
  await loadDemo(page);
  await page.goto('./#/data');
  await page.getByTestId('open-import-wizard').click();
  // Not the Data page's backup `import-file`, which may still be shown right after the click.
  const wizard = page.getByTestId('page-import');
  await expect(wizard).toBeVisible();
  const csv = 'customer_id,date,amount\r\nC000001,2026-05-02,120.5\r\nC000002,2026-05-03,80\r\nC000003,2026-05-04,0\r\n';
  await wizard.getByTestId('import-file').setInputFiles({ name: 'orders-by-id.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(page.getByTestId('import-raw-preview')).toContainText('C000001');
  await page.getByTestId('import-next').click();
  await page.getByTestId('import-kind-orders').click();
  await page.getByTestId('import-next').click();
  // The values are ids: the suggestion follows them and says how many match each way.
  await expect(page.getByTestId('import-match-by')).toHaveValue('Id');
  await expect(page.getByTestId('import-match-counts')).toContainText('按 ID 匹配 3 个');
  await shot(page, '58-import-match-by-id');
  await page.getByTestId('import-check').click();
  await expect(page.getByTestId('import-plan')).toBeVisible();
  await expect(page.getByTestId('import-unknown')).toHaveCount(0);
  await expect(stat(page, 'plan-add')).toHaveText('3');
  await expect(stat(page, 'plan-reject')).toHaveText('0');
  // Matching by name instead finds none of them: they become unknown customers.
  await page.getByTestId('import-prev').click();
  await page.getByTestId('import-match-by').selectOption('Name');
  await expect(page.getByTestId('import-match-counts')).toContainText('按 ID 匹配 3 个');
  await page.getByTestId('import-check').click();
  await expect(page.getByTestId('unknown-customer')).toHaveCount(3);
  network();
  errors();
});
