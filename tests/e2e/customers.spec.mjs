// Create, edit and delete customers: validation in place, persistence across reloads,
// user text never rendered as HTML, delete confirmed and undoable.
import { expect } from '@playwright/test';
import { test, guardNetwork, guardErrors, loadDemo, shot } from './helpers.mjs';

const XSS = '<img src=x onerror=alert(1)>';

test('add a customer (XSS name), reload, edit, delete and undo', async ({ page, context }) => {
  const network = guardNetwork(context);
  const errors = guardErrors(page); // alert() would show up here as a dialog
  await loadDemo(page);
  await page.goto('./#/customers/new');
  await expect(page.getByTestId('page-customer-form')).toBeVisible();

  // Empty name: the validator's message shows beside the field, nothing is stored.
  await page.getByTestId('customer-save').click();
  await expect(page.getByTestId('error-name')).toBeVisible();
  await shot(page, '10-form-validation');

  await page.getByTestId('field-name').fill(XSS);
  await page.getByTestId('field-code').fill('TEST-001');
  await page.getByTestId('field-city').fill('杭州市');
  await page.getByTestId('field-region').selectOption('East');
  await page.getByTestId('field-owner').fill('测试经理');
  await page.getByTestId('customer-save').click();
  await expect(page.getByTestId('page-customer')).toBeVisible();
  await expect(page.getByTestId('customer-name')).toHaveText(XSS);

  await page.reload();
  await expect(page.getByTestId('customer-name')).toHaveText(XSS);
  await expect(page.locator('img[src=x]')).toHaveCount(0);
  await page.goto('./#/customers');
  await page.getByTestId('customer-search').fill('TEST-001');
  await expect(page.getByTestId('customer-count')).toContainText('1 / 2,001');
  await expect(page.getByTestId('customer-row').first()).toContainText(XSS);
  await expect(page.locator('img[src=x]')).toHaveCount(0);
  await shot(page, '11-xss-name-as-text');

  // Edit: a terminated customer needs a reason (validated in place).
  await page.getByTestId('customer-row').first().click();
  await page.getByTestId('customer-edit').click();
  await page.getByTestId('field-status').selectOption('Terminated');
  await page.getByTestId('customer-save').click();
  await expect(page.getByTestId('error-termination_reason')).toBeVisible();
  await page.getByTestId('field-termination-reason').fill('迁出服务区域');
  await page.getByTestId('customer-save').click();
  await expect(page.getByTestId('page-customer')).toContainText('迁出服务区域');

  // Delete asks first; cancel keeps it.
  await page.getByTestId('customer-delete').click();
  await expect(page.getByTestId('confirm-dialog')).toBeVisible();
  await shot(page, '12-delete-confirm');
  await page.getByTestId('confirm-cancel').click();
  await expect(page.getByTestId('customer-name')).toHaveText(XSS);
  // Confirm deletes; undo restores.
  await page.getByTestId('customer-delete').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('page-customers')).toBeVisible();
  await expect(page.getByTestId('customer-count')).toContainText('0 / 2,000');
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('customer-count')).toContainText('1 / 2,001');
  await page.reload();
  await page.getByTestId('customer-search').fill('TEST-001');
  await expect(page.getByTestId('customer-count')).toContainText('1 / 2,001');

  // Deleting a demo customer removes its order lines too, and undo brings them back.
  await page.goto('./#/overview');
  // The order lines load after the customers; the figure reads "…" until they are in.
  await expect(page.getByTestId('count-orders').locator('.stat-value')).toHaveText(/^[0-9,]+$/);
  const ordersBefore = await page.getByTestId('count-orders').locator('.stat-value').textContent();
  expect(Number(ordersBefore.replace(/,/g, ''))).toBeGreaterThan(0);
  await page.goto('./#/customers');
  await page.getByTestId('customer-search').fill('KH00001');
  await page.getByTestId('customer-row').first().click();
  await page.getByTestId('customer-delete').click();
  await page.getByTestId('confirm-ok').click();
  await page.getByTestId('undo').click();
  await page.goto('./#/overview');
  await expect(page.getByTestId('count-orders').locator('.stat-value')).toHaveText(ordersBefore);
  network();
  errors();
});
