// NOT YET RUN (h-hostile ran out of time before a trunk build): rename to *.spec.mjs once it passes.
// Hostile backups (issue 12): the import refuses a file over 512 MiB from its size alone,
// duplicate keys, numbers out of range, deep nesting and bytes that are not UTF-8, each
// with its own message, and nothing stored changes; the same backup saved as UTF-16 (LE
// and BE, with a byte-order mark) or UTF-8 with a mark is read like the plain file.
import { test, expect } from '@playwright/test';
import { readFileSync, writeFileSync, openSync, ftruncateSync, closeSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { guardErrors, loadDemo, counts, shot, ARTIFACTS } from './helpers.mjs';

function utf16(text, little) {
  const out = Buffer.alloc(2 + text.length * 2);
  const put = (i, u) => (little ? out.writeUInt16LE(u, i) : out.writeUInt16BE(u, i));
  put(0, 0xfeff);
  for (let i = 0; i < text.length; i += 1) put(2 + 2 * i, text.charCodeAt(i));
  return out;
}

test('hostile backups are refused with their own message; other encodings are read; nothing stored changes', async ({ page }) => {
  const errors = guardErrors(page);
  await loadDemo(page);
  const before = await counts(page);
  await page.goto('./#/data');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-backup').click()]);
  const good = resolve(ARTIFACTS, 'hostile-good.json');
  await download.saveAs(good);
  const text = readFileSync(good, 'utf8');

  const amount = text.indexOf('"amount":') + '"amount":'.length;
  const amountEnd = amount + text.slice(amount).search(/[,}]/);
  const customers = text.indexOf('"customers":[{') + '"customers":[{'.length;
  const big = resolve(ARTIFACTS, 'hostile-300mib.json');
  const fd = openSync(big, 'w');
  ftruncateSync(fd, 600 * 1024 * 1024); // sparse: nothing written, nothing to read
  closeSync(fd);
  const refused = [
    ['too-large', big, /文件大小为 600 MB，超过备份文件的上限 512 MB，未读取/],
    ['duplicate-key', Buffer.from(`${text.slice(0, customers)}"name":"甲",${text.slice(customers)}`), /第 1 条客户记录（customers\[0\]）中的键“name”出现了两次/],
    ['out-of-range', Buffer.from(`${text.slice(0, amount)}1e400${text.slice(amountEnd)}`), /交易记录（orders\[0\]）的字段「金额」的数字 1e400 超出可表示的范围/],
    ['deep', Buffer.from(`${'['.repeat(100000)}${']'.repeat(100000)}`), /嵌套超过 64 层/],
    ['gbk', Buffer.concat([Buffer.from('{"format": "'), Buffer.from([0xbb, 0xaa, 0xb6, 0xab]), Buffer.from('"}')]), /不是 UTF-8 文本（第 12 字节处编码无效）/],
  ];
  for (const [name, content, pattern] of refused) {
    let path = content;
    if (typeof content !== 'string') {
      path = resolve(ARTIFACTS, `hostile-${name}.json`);
      writeFileSync(path, content);
    }
    await page.goto('./#/data');
    await page.getByTestId('import-file').setInputFiles(path);
    const err = page.getByTestId('import-error');
    await expect(err, name).toBeVisible();
    await expect(err, name).toContainText(pattern);
    await expect(page.getByTestId('import-preview'), name).toHaveCount(0);
    if (name === 'duplicate-key') await shot(page, '93-hostile-duplicate-key');
  }
  rmSync(big);

  // The same backup as UTF-8 with a byte-order mark and as UTF-16 LE / BE: the same plan.
  for (const [name, bytes] of [
    ['utf8-bom', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
    ['utf16le', utf16(text, true)],
    ['utf16be', utf16(text, false)],
  ]) {
    const path = resolve(ARTIFACTS, `hostile-${name}.json`);
    writeFileSync(path, bytes);
    await page.goto('./#/data');
    await page.getByTestId('import-file').setInputFiles(path);
    await expect(page.getByTestId('import-preview'), name).toBeVisible();
    await expect(page.getByTestId('import-plan'), name).toContainText('2000');
    await expect(page.getByTestId('import-error'), name).toHaveCount(0);
  }
  // Nothing was imported: every count is what it was.
  expect(await counts(page)).toEqual(before);
  errors();
});
