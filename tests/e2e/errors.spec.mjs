// Errors in the user's language (issue 12): an error a user meets is said in Chinese while the
// interface is Chinese and in English once it is switched, with no internal codes or library
// English in it; errors kept from the worker (both languages) follow a later switch without
// a rerun; the import preview shows enumerations by their labels (中间商, not `dealer`).
import { expect } from '@playwright/test';
import { test, guardNetwork, guardErrors, loadDemo, shot } from './helpers.mjs';

const CJK = /[\u4e00-\u9fff]/;
/** Chinese text: some Chinese, and no English word of four letters or more (units and
 *  names such as RFM or k-means are shorter or hyphenated). */
function expectChinese(text) {
  expect(text, text).toMatch(CJK);
  expect(text.match(/\b[a-z]{4,}\b/gi) || [], text).toEqual([]);
}
function expectEnglish(text) {
  expect(text, text).not.toMatch(CJK);
  expect(text, text).toMatch(/[a-z]{4,}/i);
}
/** No internal codes or library words. */
function expectNoInternals(text) {
  for (const w of ['recursion limit', 'Cannot detect', 'invalid type', 'missing field', 'unknown variant', 'end_customer', 'InvalidParam', 'Some(', 'None']) {
    expect(text, text).not.toContain(w);
  }
}

async function switchTo(page, lang) {
  const want = lang === 'en' ? 'en' : 'zh-CN';
  if ((await page.locator('html').getAttribute('lang')) !== want) await page.getByTestId('lang-switch').first().click();
  await expect(page.locator('html')).toHaveAttribute('lang', want);
}

test('value and segment errors are said in the current language', async ({ page, context }) => {
  const network = guardNetwork(context);
  const errors = guardErrors(page);
  await loadDemo(page);
  const seen = {};
  for (const lang of ['zh', 'en']) {
    await switchTo(page, lang);
    await page.goto('./#/value');
    await page.getByTestId('value-compute').click();
    await expect(page.getByTestId('value-results')).toBeVisible({ timeout: 90_000 });
    // Fixed RFM cut points out of order: refused with a message at the field.
    await page.getByTestId('rfm-editor').locator('summary').click();
    await page.getByTestId('rfm-scoring').selectOption('fixed');
    await page.getByTestId('rfm-r-cuts').fill('90, 30, 180, 365');
    await page.getByTestId('rfm-r-cuts').press('Tab');
    const field = await page.getByTestId('value-field-error').innerText();
    await page.getByTestId('rfm-scoring').selectOption('quintiles');
    // A holdout split on the as-of date: refused.
    const asOf = await page.getByTestId('value-as-of').inputValue();
    await page.getByTestId('holdout-split').fill(asOf);
    await page.getByTestId('holdout-run').click();
    const holdout = await page.getByTestId('holdout-error').innerText();
    if (lang === 'zh') await shot(page, 'errors-01-holdout-zh');
    // k-means with no measure chosen.
    await page.goto('./#/segments');
    await page.getByTestId('seg-tab-clusters').click();
    for (const box of await page.getByTestId('cluster-columns').locator('input[type=checkbox]').all()) {
      if (await box.isChecked()) await box.uncheck();
    }
    await page.getByTestId('cluster-run').click();
    const cluster = await page.getByTestId('cluster-error').innerText();
    seen[lang] = { field, holdout, cluster };
    for (const text of [field, holdout, cluster]) {
      (lang === 'zh' ? expectChinese : expectEnglish)(text);
      expectNoInternals(text);
    }
  }
  // The cluster error is kept in both languages: switching back says it in Chinese at once.
  await switchTo(page, 'zh');
  await expect(page.getByTestId('cluster-error')).toHaveText(seen.zh.cluster);
  console.log(`errors in both languages: ${JSON.stringify(seen)}`);
  errors();
  network();
});

test('the import preview shows enumerations by their labels, in the current language', async ({ page, context }) => {
  const network = guardNetwork(context);
  const errors = guardErrors(page);
  await loadDemo(page);
  const csv = '客户名称,客户类型,所在区域\n语言测试甲公司,dealer,east\n语言测试乙公司,终端顾客,华南\n';
  for (const lang of ['zh', 'en']) {
    await switchTo(page, lang);
    await page.goto('./#/data');
    await page.getByTestId('open-import-wizard').click();
    // The Data page has an `import-file` of its own (the backup's): right after the click it
    // may still be shown, and a file given to it never reaches the wizard, whose Next then
    // stays disabled for ever (seen in 3 of 40 tries; the likely CI timeout). Choose the wizard's.
    const wizard = page.getByTestId('page-import');
    await expect(wizard).toBeVisible();
    await wizard.getByTestId('import-file').setInputFiles({ name: 'kinds.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.getByTestId('import-next').click();
    await page.getByTestId('import-kind-customers').click();
    await page.getByTestId('import-next').click();
    await expect(page.getByTestId('import-mapping')).toBeVisible();
    await page.getByTestId('map-kind').selectOption('客户类型');
    await page.getByTestId('map-region').selectOption('所在区域');
    await page.getByTestId('import-check').click();
    const preview = page.getByTestId('import-preview-table');
    await expect(preview).toContainText('语言测试甲公司');
    const text = await preview.innerText();
    if (lang === 'zh') {
      for (const label of ['中间商', '终端顾客', '华东', '华南']) expect(text).toContain(label);
      await shot(page, 'errors-02-import-labels-zh');
    } else {
      expect(text).toMatch(/dealer/i);
      expect(text).toMatch(/end customer/i);
      expect(text).not.toMatch(/中间商|终端顾客|华东|华南/);
    }
    expect(text).not.toContain('end_customer');
    expect(text).not.toMatch(/\beast\b/);
  }
  errors();
  network();
});
