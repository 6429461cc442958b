// First run: welcome → demo → the list shows 2,000 customers; every page renders at
// desktop and phone width; no request leaves 127.0.0.1.
import { expect } from '@playwright/test';
import { test, guardNetwork, guardErrors, loadDemo, shot } from './helpers.mjs';

const PAGES = [
  ['overview', 'page-overview'], ['customers', 'page-customers'], ['value', 'page-value'],
  ['segments', 'page-segments'], ['satisfaction', 'page-satisfaction'], ['complaints', 'page-complaints'],
  ['visits', 'page-visits'], ['data', 'page-data'], ['settings', 'page-settings'],
];

test('first run with the demo data, every page, desktop and phone', async ({ page, context }) => {
  const network = guardNetwork(context);
  const errors = guardErrors(page);
  const t0 = Date.now();
  await page.goto('./');
  await expect(page.getByTestId('welcome')).toBeVisible();
  console.log(`time to interactive (welcome screen shown): ${Date.now() - t0} ms`);
  await shot(page, '01-welcome');
  await loadDemo(page);
  await shot(page, '02-overview');

  await page.getByTestId('nav-customers').click();
  await expect(page.getByTestId('customer-count')).toContainText('2,000 / 2,000');
  await expect(page.getByTestId('customer-row').first()).toBeVisible();
  // Virtualised: only the rows in view exist in the DOM.
  expect(await page.getByTestId('customer-row').count()).toBeLessThan(80);

  for (const [route, id] of PAGES) {
    await page.goto(`./#/${route}`);
    await expect(page.getByTestId(id)).toBeVisible();
    await page.waitForTimeout(150);
    await shot(page, `03-desktop-${route}`);
  }
  // Unbuilt capabilities say what comes there and invent no figures.
  await page.goto('./#/value');
  await expect(page.getByTestId('page-value')).toContainText('ABC');

  await page.setViewportSize({ width: 375, height: 760 });
  for (const [route, id] of PAGES) {
    await page.goto(`./#/${route}`);
    await expect(page.getByTestId(id)).toBeVisible();
    await page.waitForTimeout(150);
    // Nothing may overflow the phone's width.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `horizontal overflow on ${route}`).toBeLessThanOrEqual(1);
    await shot(page, `04-phone-${route}`);
  }
  await page.goto('./#/customers');
  await page.getByTestId('customer-row').first().click();
  await expect(page.getByTestId('page-customer')).toBeVisible();
  await shot(page, '05-phone-customer');
  network();
  errors();
});

test('search, filter and sort the customer list; reload keeps the view', async ({ page, context }) => {
  const network = guardNetwork(context);
  await loadDemo(page);
  await page.getByTestId('nav-customers').click();
  await expect(page.getByTestId('customer-count')).toContainText('2,000');
  const search = page.getByTestId('customer-search');
  await search.fill('上海');
  await expect(page.getByTestId('customer-count')).not.toContainText('2,000 / 2,000');
  const shown = await page.getByTestId('customer-row').first().textContent();
  expect(shown).toContain('上海');
  await search.fill('');
  await page.getByTestId('filter-region').selectOption('East');
  await expect(page.getByTestId('customer-row').first()).toContainText('华东');
  await page.getByTestId('filter-region').selectOption('');
  // Sort by revenue, descending first: the top row has the largest revenue.
  await page.getByRole('columnheader', { name: /累计销售额/ }).click();
  const revenues = await page.locator('[data-testid=customer-row] .c-revenue').allTextContents();
  const nums = revenues.slice(0, 10).map((s) => Number(s.replace(/,/g, '')));
  expect([...nums].sort((a, b) => b - a)).toEqual(nums);
  // Scroll deep into the list: rows far down render.
  await page.getByTestId('customer-scroller').evaluate((el) => { el.scrollTop = 1999 * 40; });
  await page.waitForTimeout(200);
  await expect(page.getByTestId('customer-row').last()).toBeVisible();
  await shot(page, '06-customers-sorted-by-revenue');
  await page.reload();
  await expect(page.getByTestId('page-customers')).toBeVisible();
  network();
});

test('English is complete and remembered across reloads', async ({ page }) => {
  await loadDemo(page);
  await page.getByTestId('lang-switch').click();
  await expect(page.getByTestId('nav-customers')).toHaveText('Customers');
  await expect(page.getByTestId('nav-data')).toHaveText('Data & backup');
  await page.reload();
  await expect(page.getByTestId('nav-customers')).toHaveText('Customers');
  await page.goto('./#/customers');
  await expect(page.getByTestId('customer-count')).toContainText('2,000 of 2,000 customers');
  // No Chinese UI text in the chrome of the page when English is chosen (data stays as is).
  const head = await page.locator('.topbar .nav').textContent();
  expect(head).not.toMatch(/[\u4e00-\u9fff]/);
  await shot(page, '07-english-customers');
  await page.goto('./#/data');
  await expect(page.getByTestId('page-data')).toContainText('Export full backup');
  await shot(page, '08-english-data');
});
