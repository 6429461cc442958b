// A full disk: with the origin's quota forced tiny (Chrome DevTools Protocol), writing
// the demo fails; the user sees the quota message and the data already stored is intact.
import { expect } from '@playwright/test';
import { test, counts, shot } from './helpers.mjs';

test('quota exceeded while writing: message shown, nothing half-written', async ({ page, context }) => {
  await page.goto('./');
  const cdp = await context.newCDPSession(page);
  const origin = new URL(page.url()).origin;
  // 2 MB: room for one customer, not for the demo's 60,000 order lines.
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 2 * 1024 * 1024 });
  await page.reload();
  await expect(page.getByTestId('welcome')).toBeVisible();
  await page.getByTestId('welcome-empty').click();
  await page.goto('./#/customers/new');
  await page.getByTestId('field-name').fill('配额测试客户');
  await page.getByTestId('customer-save').click();
  await expect(page.getByTestId('page-customer')).toBeVisible();

  await page.goto('./#/data');
  await page.getByTestId('load-demo').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('toast')).toContainText(/存储空间已满/, { timeout: 90_000 });
  await shot(page, '40-quota-exceeded');
  await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  await page.reload();
  const c = await counts(page);
  expect(c.customers).toBe('1');
  expect(c.orders).toBe('0');
});

test('quota exceeded while writing an import: nothing written, and confirming again once there is room imports every line', async ({ page, context }) => {
  test.setTimeout(180_000);
  await page.goto('./');
  const cdp = await context.newCDPSession(page);
  const origin = new URL(page.url()).origin;
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 2 * 1024 * 1024 });
  await page.reload();
  await page.getByTestId('welcome-empty').click();
  // 60,000 order lines for 50 customers not stored yet (created on import).
  let csv = '客户编号,客户名称,日期,金额\n';
  for (let i = 0; i < 60_000; i++) csv += `Q${i % 50},配额客户${i % 50},2026-${String((i % 12) + 1).padStart(2, '0')}-15,${(i % 997) + 0.5}\n`;
  await page.goto('./#/data/import');
  await page.getByTestId('import-file').setInputFiles({ name: 'quota-orders.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByTestId('import-raw-preview').waitFor();
  await page.getByTestId('import-next').click();
  await page.getByTestId('import-kind-orders').click();
  await page.getByTestId('import-next').click();
  await page.getByTestId('import-check').click();
  await page.getByTestId('import-plan').waitFor();
  await page.getByTestId('import-confirm').click();
  await expect(page.getByTestId('toast')).toContainText(/存储空间已满/, { timeout: 90_000 });
  // The review is still there with every record: room made, confirm again.
  await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  await page.getByTestId('import-confirm').click();
  await page.getByTestId('import-done').waitFor({ timeout: 90_000 });
  await page.reload();
  const c = await counts(page);
  expect(c.customers).toBe('50');
  expect(c.orders).toBe('60000');
});
