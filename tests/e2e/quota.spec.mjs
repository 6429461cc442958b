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
