// Issue 12: a panic ends in a screen that says the data is safe and reloads into the app
// with the data intact; a browser killed in the middle of a large write (the demo at
// 30,000 customers + 300,000 lines replacing 2,000 customers, one transaction) comes back
// with either the old data or the complete new data, consistent counts, and a message that
// the write was cut off when it was.
import { expect, chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test, allowConsoleErrors, loadDemo, counts, shot } from './helpers.mjs';
import { BASE } from './playwright.config.mjs';

test('a panic shows the "your data is safe" screen; reload returns to the data', async ({ page }) => {
  allowConsoleErrors(/panicked at .*panic_for_test/s); // the hook logs the panic it shows
  await loadDemo(page);
  await page.evaluate(() => {
    try { window.wasmBindings.panic_for_test(); } catch (_) { /* the wasm instance aborts */ }
  });
  await expect(page.getByTestId('crash')).toBeVisible();
  await expect(page.getByTestId('crash')).toContainText('您的数据是安全的');
  await expect(page.getByTestId('crash')).toContainText('panic_for_test');
  await shot(page, 'crash-screen');
  await page.getByTestId('crash-reload').click();
  expect((await counts(page)).customers).toBe('2000');
});

/** The overview's counts, once they are numbers (the page has no baseURL here). */
async function countsAt(page) {
  await page.goto(`${BASE}#/overview`);
  const read = async (id) => {
    const value = page.getByTestId(id).locator('.stat-value');
    await expect(value).toHaveText(/^[0-9,]+$/, { timeout: 60_000 });
    return (await value.textContent()).replace(/,/g, '');
  };
  return { customers: await read('count-customers'), orders: await read('count-orders') };
}

/** Starts Debian's Chromium on a profile folder, as a person's browser, and connects. */
async function launch(profile, port) {
  const proc = spawn('/usr/bin/chromium', [
    '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, `--remote-debugging-port=${port}`, 'about:blank',
  ], { stdio: 'ignore', detached: true });
  for (let i = 0; ; i += 1) {
    try {
      const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
      return { proc, browser, page: browser.contexts()[0].pages()[0] || await browser.contexts()[0].newPage() };
    } catch (e) {
      if (i > 100) throw e;
      await sleep(100);
    }
  }
}

/** Kills the browser and every helper process it started (its process group), and waits. */
async function kill(proc) {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  try { process.kill(-proc.pid, 'SIGKILL'); } catch (_) { proc.kill('SIGKILL'); }
  await exited;
}

test('a browser killed during a large write comes back with the old data and says so', async () => {
  test.setTimeout(300_000);
  const profile = mkdtempSync(join(tmpdir(), 'clientscope-kill-'));
  try {
    let { proc, browser, page } = await launch(profile, 9341);
    await page.goto(BASE);
    await page.getByTestId('welcome-demo').click();
    await expect(page.getByTestId('busy')).toHaveCount(0, { timeout: 90_000 });
    const before = await countsAt(page);
    expect(before.customers).toBe('2000');
    // The large demo replaces everything in one transaction; kill the browser while it writes.
    await page.goto(`${BASE}?demo=30000x300000#/data`);
    await page.getByTestId('load-demo').click();
    await page.getByTestId('confirm-ok').click();
    await expect(page.getByTestId('busy')).toContainText(/正在写入/, { timeout: 120_000 });
    await sleep(300);
    await kill(proc);
    await browser.close().catch(() => {});

    ({ proc, browser, page } = await launch(profile, 9342));
    await page.goto(`${BASE}#/overview`);
    await expect(page.getByTestId('page-overview')).toBeVisible();
    const toast = page.getByTestId('toast');
    const after = await countsAt(page);
    // All or nothing: the old 2,000 customers with their lines, or the whole new set.
    expect(['2000', '30000']).toContain(after.customers);
    if (after.customers === '2000') {
      expect(after.orders).toBe(before.orders);
      await expect(toast).toContainText('被中断');
      await shot(page, 'killed-write-message');
    } else {
      expect(after.orders).toBe('300000');
    }
    console.log(`killed during the write: after the restart ${after.customers} customers, ${after.orders} order lines`);
    await browser.close();
    await kill(proc);
  } finally {
    // Chromium's helper processes can still be writing to the profile for a moment after the
    // browser is gone; retry the removal rather than fail a test whose checks have passed.
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
});

test('storage cleared by the browser: the app says so, with the last backup and the persistent-storage state, and restores', async ({ page, context }, info) => {
  await loadDemo(page);
  const before = await counts(page);
  await page.goto('./#/data');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-backup').click()]);
  const file = info.outputPath('before-eviction.json');
  await download.saveAs(file);
  await expect(page.getByTestId('last-backup')).toBeVisible();

  // What the browser does when it evicts the site: IndexedDB gone, localStorage kept.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.clearDataForOrigin', { origin: new URL(page.url()).origin, storageTypes: 'indexeddb' });
  // The open tab loses its connection and says so instead of failing at the next save.
  await expect(page.getByTestId('fatal')).toContainText('被删除');
  await page.reload();
  const notice = page.getByTestId('evicted');
  await expect(notice).toContainText('浏览器的存储已被清除');
  await expect(notice).toContainText(/保存着 [0-9,]{6,} 条记录/);
  await expect(page.getByTestId('evicted-backup')).toContainText('最近一次备份');
  await expect(page.getByTestId('evicted-persist')).not.toBeEmpty();
  await shot(page, 'evicted-notice');
  // Still said after another reload, until the user acts.
  await page.reload();
  await expect(notice).toBeVisible();
  await page.getByTestId('evicted-restore').click();
  await expect(page.getByTestId('page-data')).toBeVisible();
  await page.getByTestId('import-file').setInputFiles(file);
  await page.getByTestId('mode-replace').check();
  await page.getByTestId('import-confirm').click();
  await expect(page.getByTestId('toast')).toContainText('导入完成', { timeout: 60_000 });
  expect(await counts(page)).toEqual(before);
  await page.reload();
  await expect(notice).toHaveCount(0);
  console.log(`eviction: ${before.customers} customers before, 0 after the clearing, ${(await counts(page)).customers} after the restore`);
});
