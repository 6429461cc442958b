// NOT YET RUN (h-hostile ran out of time before a trunk build): rename to *.spec.mjs once it passes.
// Long texts (issue 12): a customer with an unbroken 200-character name (the name limit)
// and a 2,000-character unbroken note does not widen the page on a 375 px phone: form,
// detail page and list stay within the screen; the inputs stop at the core's limits and
// the note shows its character count in both languages.
import { test, expect } from '@playwright/test';
import { guardErrors, loadDemo, shot } from './helpers.mjs';

test.use({ viewport: { width: 375, height: 780 } });

async function noHorizontalOverflow(page, where) {
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  expect(scroll, `${where}: scrollWidth ${scroll} > clientWidth ${client}`).toBeLessThanOrEqual(client);
}

test('a 2,000-character unbroken note and a 200-character name keep the page within 375 px', async ({ page }) => {
  const errors = guardErrors(page);
  await loadDemo(page);
  await page.goto('./#/customers/new');
  await expect(page.getByTestId('page-customer-form')).toBeVisible();

  // The name input stops at the core's 200 characters (maxlength).
  const name = page.getByTestId('field-name');
  await expect(name).toHaveAttribute('maxlength', '200');
  await name.pressSequentially('W'.repeat(210), { delay: 0 });
  await expect(name).toHaveValue('W'.repeat(200));
  const longName = `LONG${'W'.repeat(196)}`;
  await name.fill(longName);
  await page.getByTestId('field-code').fill('LONG-001');

  const note = page.getByTestId('field-notes');
  await expect(note).toHaveAttribute('maxlength', '20000');
  const longNote = 'N'.repeat(2000);
  await note.fill(longNote);
  const counter = page.getByTestId('char-count');
  await expect(counter).toHaveText('已输入 2000/20000 字');
  await noHorizontalOverflow(page, 'form');
  await note.scrollIntoViewIfNeeded();
  await shot(page, '90-longtext-form-375');

  await page.getByTestId('customer-save').click();
  await expect(page.getByTestId('page-customer')).toBeVisible();
  await expect(page.getByTestId('customer-name')).toHaveText(longName);
  await expect(page.getByTestId('page-customer')).toContainText(longNote);
  await noHorizontalOverflow(page, 'detail');
  await shot(page, '91-longtext-detail-375');
  // The heading wraps inside the screen rather than running off it.
  const box = await page.getByTestId('customer-name').boundingBox();
  expect(box.x + box.width).toBeLessThanOrEqual(375);

  await page.goto('./#/customers');
  await page.getByTestId('customer-search').fill('LONG-001');
  await expect(page.getByTestId('customer-row')).toHaveCount(1);
  await noHorizontalOverflow(page, 'list');
  await shot(page, '92-longtext-list-375');

  // English: the counter speaks English; the edit form with the note stays within the screen.
  await page.getByTestId('customer-row').first().click();
  await page.getByTestId('customer-edit').click();
  await expect(page.getByTestId('page-customer-form')).toBeVisible();
  await page.getByTestId('lang-switch').click();
  await expect(page.getByTestId('char-count')).toHaveText('2000/20000 characters');
  await noHorizontalOverflow(page, 'edit form (en)');
  errors();
});
