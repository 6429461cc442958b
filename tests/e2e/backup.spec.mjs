// Backups: export → delete all → import gives the same counts; damaged files are refused
// with a message naming the problem and the stored data stays intact; snapshots restore.
import { expect } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test, guardNetwork, guardErrors, loadDemo, counts, shot, ARTIFACTS } from './helpers.mjs';

async function exportBackup(page) {
  await page.goto('./#/data');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-backup').click()]);
  expect(download.suggestedFilename()).toMatch(/^clientscope-backup-\d{8}-\d{4}\.json$/);
  const path = resolve(ARTIFACTS, download.suggestedFilename());
  await download.saveAs(path);
  return path;
}

async function importFile(page, path, mode = 'merge') {
  await page.goto('./#/data');
  await page.getByTestId('import-file').setInputFiles(path);
}

test('export, delete all, import: the same counts; snapshots restore', async ({ page, context }) => {
  const network = guardNetwork(context);
  const errors = guardErrors(page);
  await loadDemo(page);
  const before = await counts(page);
  const t0 = Date.now();
  const file = await exportBackup(page);
  console.log(`export of the demo backup: ${Date.now() - t0} ms, ${readFileSync(file).length} bytes`);
  await expect(page.getByTestId('last-backup')).toBeVisible();
  const text = readFileSync(file, 'utf8');
  const header = JSON.parse(text);
  expect(header.format).toBe('clientscope-backup');
  expect(header.counts.customers).toBe(2000);
  expect(header.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);

  await page.getByTestId('delete-all').click();
  await expect(page.getByTestId('confirm-dialog')).toBeVisible();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('toast')).toContainText('已删除全部数据');
  expect((await counts(page)).customers).toBe('0');

  const t1 = Date.now();
  await importFile(page, file);
  await expect(page.getByTestId('import-preview')).toBeVisible();
  await expect(page.getByTestId('import-plan')).toContainText('2000');
  await shot(page, '20-import-preview');
  await page.getByTestId('mode-replace').check();
  await page.getByTestId('import-confirm').click();
  await expect(page.getByTestId('toast')).toContainText('导入完成');
  await expect(page.getByTestId('busy')).toHaveCount(0);
  console.log(`import of the demo backup: ${Date.now() - t1} ms`);
  expect(await counts(page)).toEqual(before);
  await page.reload();
  expect(await counts(page)).toEqual(before);

  // The snapshot taken before "delete all" holds the demo; the one before the import is empty.
  await page.goto('./#/data');
  await expect(page.getByTestId('snapshots')).toBeVisible();
  await shot(page, '21-snapshots');
  await page.getByTestId('delete-all').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('toast')).toContainText('已删除全部数据');
  await page.getByTestId('snapshot-restore').first().click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('toast')).toContainText('已恢复快照');
  expect(await counts(page)).toEqual(before);
  network();
  errors();
});

test('damaged backups are refused with a clear message and the data stays intact', async ({ page }) => {
  await loadDemo(page);
  const before = await counts(page);
  const file = await exportBackup(page);
  const good = readFileSync(file, 'utf8');
  const header = JSON.parse(good);
  const cases = [
    ['truncated', good.slice(0, Math.floor(good.length / 2)), /第\s*\d+\s*行|行\s*\d+|line/i],
    ['not-json', 'PK\u0003\u0004 this is a zip, not JSON', /JSON/],
    ['wrong-format', good.replace('"clientscope-backup"', '"some-other-app"'), /some-other-app/],
    ['newer-version', good.replace(`"format_version":${header.format_version}`, '"format_version":99'), /99/],
    ['changed-checksum', good.replace(/"amount":(\d)/, '"amount":9$1'), /校验|checksum/i],
    ['empty', '', /意外结束|空/],
  ];
  for (const [name, content, pattern] of cases) {
    const path = resolve(ARTIFACTS, `damaged-${name}.json`);
    writeFileSync(path, content);
    await importFile(page, path);
    const err = page.getByTestId('import-error');
    await expect(err, name).toBeVisible();
    await expect(err, name).toContainText(pattern);
    await expect(page.getByTestId('import-preview')).toHaveCount(0);
    if (name === 'truncated') await shot(page, '22-damaged-backup-message');
  }
  expect(await counts(page)).toEqual(before);
});
