// The visits page on the demo data at 375 px, offline (issue 11 §3): today's plan in time
// order for one account manager, the daily target edited, an outcome logged with a next
// step that becomes a planned visit, a visit planned from a customer's page with the five
// elements, the planned visits exported as an .ics file (checked: VCALENDAR, the visit's
// SUMMARY escaped, CRLF) and the visit log as CSV. Screenshots in zh and en at 375 and
// 1280 px go to tests/e2e/artifacts (look at them).
import { expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test, ARTIFACTS, goOffline, guardErrors, guardNetwork, loadDemo, shot } from './helpers.mjs';

// The demo's last day is the browser's today and its visits are in UTC+8: run the browser
// in Shanghai so that both agree whatever time it is on the machine.
test.use({ viewport: { width: 375, height: 812 }, timezoneId: 'Asia/Shanghai' });

/** `YYYY-MM-DD` + n days. */
function addDays(iso, n) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

async function dismissToast(page) {
  const toast = page.getByTestId('toast');
  if (await toast.count()) await toast.locator('button.ghost').click();
  await expect(toast).toHaveCount(0);
}

test('visits: day plan, log an outcome with a next step, plan from a customer, export .ics', async ({ page, context }) => {
  test.setTimeout(300_000);
  const network = guardNetwork(context);
  const errors = guardErrors(page);
  await loadDemo(page);
  await goOffline(page, context);

  await page.goto('./#/visits');
  await expect(page.getByTestId('page-visits')).toBeVisible();
  const today = await page.getByTestId('visit-date').inputValue();
  expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);

  // One account manager: four done this morning, one cancelled, five planned this afternoon.
  const owner = page.getByTestId('visit-owner');
  const ownerName = await owner.locator('option').nth(1).getAttribute('value');
  await owner.selectOption(ownerName);
  const items = page.getByTestId('visit-item');
  await expect(items.first()).toBeVisible();
  expect(await items.count()).toBeGreaterThanOrEqual(10);
  expect(await page.locator('[data-testid=visit-item][data-status=planned]').count()).toBeGreaterThanOrEqual(5);
  expect(await page.locator('[data-testid=visit-item][data-status=done]').count()).toBeGreaterThanOrEqual(4);
  expect(await page.locator('[data-testid=visit-item][data-status=cancelled]').count()).toBeGreaterThanOrEqual(1);
  // In time order.
  const times = await page.locator('[data-testid=visit-item] .visit-time').allTextContents();
  const starts = times.filter((t) => /^\d\d:\d\d/.test(t)).map((t) => t.slice(0, 5));
  expect(starts).toEqual([...starts].sort());
  await expect(page.getByTestId('target-new')).toContainText('目标 7');
  await expect(page.getByTestId('target-follow-up')).toContainText('目标 3');
  await shot(page, 'visits-01-day-zh-375');

  // The daily target is editable and kept.
  await page.getByTestId('visit-target-edit').click();
  await page.getByTestId('visit-target-new').fill('5');
  await page.getByTestId('visit-target-new').press('Tab');
  await expect(page.getByTestId('target-new')).toContainText('目标 5');

  // Log the outcome of the first planned visit, with a next step in three days at 10:30.
  const planned = page.locator('[data-testid=visit-item][data-status=planned]').first();
  const plannedId = await planned.getAttribute('data-id');
  await planned.getByTestId('visit-log').click();
  const dialog = page.getByTestId('visit-log-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('log-outcome').fill('客户同意下月试用新品');
  await dialog.getByTestId('log-next-action').fill('送样品并演示');
  const nextDay = addDays(today, 3);
  await dialog.getByTestId('log-next-date').fill(nextDay);
  await dialog.getByTestId('log-next-time').fill('10:30');
  await shot(page, 'visits-02-log-zh-375');
  await dialog.getByTestId('visit-dialog-save').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('toast')).toContainText(nextDay);
  await expect(page.locator(`[data-testid=visit-item][data-id="${plannedId}"]`)).toHaveAttribute('data-status', 'done');
  await expect(page.locator(`[data-testid=visit-item][data-id="${plannedId}"]`)).toContainText('客户同意下月试用新品');
  await dismissToast(page);

  // The next step is a planned visit on its day, at its time.
  await page.getByTestId('visit-date').fill(nextDay);
  const next = page.locator('[data-testid=visit-item][data-status=planned]', { hasText: '送样品并演示' });
  await expect(next).toHaveCount(1);
  await expect(next.locator('.visit-time')).toContainText('10:30');
  await page.getByTestId('visit-today').click();
  await expect(page.getByTestId('visit-date')).toHaveValue(today);

  // Plan a visit from a customer's page (the customer of the visit just logged).
  await page.locator(`[data-testid=visit-item][data-id="${plannedId}"]`).getByTestId('visit-customer').click();
  await expect(page.getByTestId('page-customer')).toBeVisible();
  const customerName = await page.getByTestId('customer-name').textContent();
  await page.getByTestId('customer-plan-visit').click();
  const plan = page.getByTestId('visit-plan-dialog');
  await expect(plan).toBeVisible();
  // The five elements come filled from the customer.
  await expect(plan.getByTestId('plan-purpose')).toHaveValue('例行拜访');
  await expect(plan.getByTestId('plan-method')).toHaveValue('上门拜访');
  await expect(plan.getByTestId('plan-reason')).not.toHaveValue('');
  await expect(plan.getByTestId('plan-owner')).toHaveValue(ownerName);
  await plan.getByTestId('plan-date').fill(today);
  await plan.getByTestId('plan-time').fill('17:15');
  await plan.getByTestId('plan-purpose').fill('介绍新产品线,讨论年度框架协议;含分号');
  await plan.getByTestId('plan-location').fill('客户总部 3楼会议室');
  await shot(page, 'visits-03-plan-from-customer-zh-375');
  await plan.getByTestId('visit-dialog-save').click();
  await expect(plan).toHaveCount(0);
  await expect(page.getByTestId('toast')).toContainText(customerName.trim());
  await expect(page.getByTestId('customer-interaction').filter({ hasText: '介绍新产品线' })).toHaveCount(1);
  await dismissToast(page);

  // Back on the visits page (the owner filter and the target were kept), it is in the plan.
  await page.goto('./#/visits');
  await expect(page.getByTestId('visit-owner')).toHaveValue(ownerName);
  await expect(page.getByTestId('target-new')).toContainText('目标 5');
  const mine = page.locator('[data-testid=visit-item][data-status=planned]', { hasText: '介绍新产品线' });
  await expect(mine).toHaveCount(1);
  await expect(mine.locator('.visit-time')).toContainText('17:15');

  // Follow-up lists and referrals are there.
  await expect(page.getByTestId('visit-due')).toBeVisible();
  await expect(page.getByTestId('not-contacted-total')).toContainText('30');
  await expect(page.getByTestId('referrer-row').first()).toBeVisible();

  // Export the planned visits as iCalendar.
  const [ics] = await Promise.all([page.waitForEvent('download'), page.getByTestId('visit-export-ics').click()]);
  expect(ics.suggestedFilename()).toMatch(/\.ics$/);
  const icsPath = resolve(ARTIFACTS, 'visits.ics');
  await ics.saveAs(icsPath);
  const text = readFileSync(icsPath, 'utf8');
  expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
  expect(text.trimEnd().endsWith('END:VCALENDAR')).toBe(true);
  expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/); // CRLF only
  for (const line of text.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
  const unfolded = text.replace(/\r\n[ \t]/g, '');
  expect(unfolded).toContain('VERSION:2.0');
  expect(unfolded).toContain('BEGIN:VTIMEZONE');
  expect(unfolded).toContain('SUMMARY:介绍新产品线\\,讨论年度框架协议\\;含分号');
  expect(unfolded).toContain('SUMMARY:送样品并演示');
  expect(unfolded).toMatch(/DTSTART;TZID=Asia\/Shanghai:\d{8}T171500/);
  // Only planned visits of this owner: the logged one is gone, every event is planned.
  expect(unfolded).not.toContain(`UID:${plannedId}@`);

  // The visit log as CSV.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('visit-export-csv').click()]);
  const csvPath = resolve(ARTIFACTS, 'visits.csv');
  await csv.saveAs(csvPath);
  const csvText = readFileSync(csvPath).toString('utf8').replace(/^\uFEFF/, '');
  expect(csvText.split('\r\n')[0]).toBe('customer_id,start,end,kind,status,purpose,who,method,reason,owner,location');
  expect(csvText).toContain('送样品并演示');
  await dismissToast(page);

  // Screenshots: zh and en at 375 and 1280 px.
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'visits-04-day-after-zh-375');
  await page.getByTestId('visit-due').scrollIntoViewIfNeeded();
  await shot(page, 'visits-05-due-zh-375');
  await page.getByTestId('visit-referrals').scrollIntoViewIfNeeded();
  await shot(page, 'visits-06-referrals-zh-375');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.getByTestId('lang-switch').click();
  await expect(page.getByTestId('target-new')).toContainText('of 5');
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'visits-07-day-en-375');
  await page.locator('[data-testid=visit-item][data-status=planned]').first().getByTestId('visit-log').click();
  await shot(page, 'visits-08-log-en-375');
  await page.getByTestId('visit-dialog-close').click();
  await page.setViewportSize({ width: 1280, height: 860 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'visits-09-day-en-1280');
  await page.getByTestId('visit-due').scrollIntoViewIfNeeded();
  await shot(page, 'visits-10-lists-en-1280');
  await page.getByTestId('lang-switch').click();
  await expect(page.getByTestId('target-new')).toContainText('目标 5');
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'visits-11-day-zh-1280');
  await page.getByTestId('visit-plan-new').click();
  await page.getByTestId('plan-customer-search').fill(customerName.trim().slice(0, 2));
  await expect(page.getByTestId('plan-customer-option').first()).toBeVisible();
  await page.getByTestId('plan-customer-option').first().click();
  await expect(page.getByTestId('plan-purpose')).toHaveValue('例行拜访');
  await shot(page, 'visits-12-plan-zh-1280');
  await page.getByTestId('visit-dialog-close').click();

  await context.setOffline(false);
  network();
  errors();
});

// Issue 11 §3: a visit planned from the value page's decline-warning list 高危客户预警 comes
// with the decline as its purpose and reason, and is in the plan of its day; the chosen day
// is in the address (`#/visits?day=…`), so a reload shows the same day.
test('visits: plan from the decline-warning list; the day survives a reload', async ({ page, context }) => {
  test.setTimeout(300_000);
  const network = guardNetwork(context);
  const errors = guardErrors(page);
  await loadDemo(page);

  // Run the value analysis, as value.spec does.
  await page.goto('./#/value');
  await expect(page.getByTestId('page-value')).toBeVisible();
  await page.getByTestId('value-compute').click();
  await expect(page.getByTestId('busy')).toHaveCount(0, { timeout: 90_000 });
  await expect(page.getByTestId('value-results')).toBeVisible();

  // Plan a visit to the first customer of the warning list.
  const row = page.getByTestId('list-warning-row').first();
  await row.scrollIntoViewIfNeeded();
  const customerId = await row.getAttribute('data-id');
  const customerName = (await row.getByTestId('value-customer-link').innerText()).trim();
  await shot(page, 'visits-plan-from-warning-01-list-zh-375');
  // The list's CSV holds the list, not the buttons.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('list-warning-csv').click()]);
  const csvPath = resolve(ARTIFACTS, 'visits-plan-from-warning-list.csv');
  await csv.saveAs(csvPath);
  const csvLines = readFileSync(csvPath).toString('utf8').replace(/^\uFEFF/, '').split('\r\n');
  expect(csvLines[0].startsWith('客户,')).toBe(true);
  expect(csvLines[1].startsWith(customerName)).toBe(true);
  expect(csvLines.join('\n')).not.toContain('安排拜访');
  await dismissToast(page);
  await row.getByTestId('list-plan-visit').click();
  const plan = page.getByTestId('visit-plan-dialog');
  await expect(plan).toBeVisible();
  await expect(plan.locator('h2')).toContainText(customerName);
  // Pre-filled with the decline: purpose, reason, method.
  await expect(plan.getByTestId('plan-purpose')).toHaveValue('了解采购下降原因');
  await expect(plan.getByTestId('plan-reason')).toHaveValue('客户进入衰退期（高危客户预警）');
  await expect(plan.getByTestId('plan-method')).toHaveValue('上门拜访');
  const today = await plan.getByTestId('plan-date').inputValue();
  expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  const day = addDays(today, 2);
  await plan.getByTestId('plan-date').fill(day);
  await plan.getByTestId('plan-time').fill('09:30');
  await shot(page, 'visits-plan-from-warning-02-dialog-zh-375');
  await plan.getByTestId('visit-dialog-save').click();
  await expect(plan).toHaveCount(0);
  await expect(page.getByTestId('toast')).toContainText(customerName);
  await expect(page.getByTestId('toast')).toContainText(day);
  await dismissToast(page);

  // The same dialog in English says the same in English.
  await page.getByTestId('lang-switch').click();
  await page.getByTestId('list-warning-row').first().getByTestId('list-plan-visit').click();
  await expect(plan.getByTestId('plan-reason')).toHaveValue('The customer is in decline (decline warning)');
  await shot(page, 'visits-plan-from-warning-03-dialog-en-375');
  await plan.getByTestId('visit-dialog-close').click();
  await page.getByTestId('lang-switch').click();

  // On the visits page, choosing the day puts it in the address; the visit is planned there.
  await page.goto('./#/visits');
  await expect(page.getByTestId('page-visits')).toBeVisible();
  await expect(page.getByTestId('visit-date')).toHaveValue(today);
  expect(page.url()).not.toContain('day=');
  await page.getByTestId('visit-date').fill(day);
  await expect.poll(() => page.url()).toContain(`#/visits?day=${day}`);
  // (The demo plans such visits too: this one is the customer's at 09:30.)
  const mine = page
    .locator('[data-testid=visit-item][data-status=planned]', { hasText: '了解采购下降原因' })
    .filter({ has: page.locator(`[data-testid=visit-customer][href="#/customers/${customerId}"]`) })
    .filter({ has: page.locator('.visit-time', { hasText: '09:30' }) });
  await expect(mine).toHaveCount(1);

  // A reload (and so a shared link) shows the same day with the visit.
  await page.reload();
  await expect(page.getByTestId('page-visits')).toBeVisible();
  await expect(page.getByTestId('visit-date')).toHaveValue(day);
  await expect(mine).toHaveCount(1);
  await mine.scrollIntoViewIfNeeded();
  await shot(page, 'visits-plan-from-warning-04-day-after-reload-zh-375');
  // Today again: the address follows, without a new history entry.
  const entries = await page.evaluate(() => history.length);
  await page.getByTestId('visit-today').click();
  await expect.poll(() => page.url()).toContain(`day=${today}`);
  expect(await page.evaluate(() => history.length)).toBe(entries);

  network();
  errors();
});
