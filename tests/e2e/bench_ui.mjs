// UI benchmark (not a test; run by scripts/bench.sh): imports a large backup
// (100,000 customers) through the Data page of the release build in headless Chromium and
// prints how long the import, the first list render, a search, a sort and scrolling take.
//   node tests/e2e/bench_ui.mjs BACKUP.json
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const file = process.argv[2];
const port = 8799;
const server = spawn('node', ['scripts/serve.mjs', '--dir', 'dist', '--port', String(port)], { cwd: root, stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 800));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const report = (label, ms) => console.log(`bench ui: ${label}: ${Math.round(ms)} ms`);
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  page.setDefaultTimeout(600_000);
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.getByTestId('welcome-empty').click();
  await page.goto(`http://127.0.0.1:${port}/#/data`);
  let t = Date.now();
  await page.getByTestId('import-file').setInputFiles(file);
  await page.getByTestId('import-preview').waitFor();
  report('read + validate the backup file', Date.now() - t);
  t = Date.now();
  await page.getByTestId('import-confirm').click();
  await page.getByTestId('toast').filter({ hasText: '导入完成' }).waitFor();
  report('import (snapshot + one IndexedDB transaction)', Date.now() - t);

  t = Date.now();
  await page.reload();
  await page.getByTestId('page-data').waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-testid=busy]'));
  report('start-up: open and read everything from IndexedDB', Date.now() - t);

  t = Date.now();
  await page.getByTestId('nav-customers').click();
  await page.getByTestId('customer-row').first().waitFor();
  report('customer list first render (100k)', Date.now() - t);
  const count = await page.getByTestId('customer-count').textContent();
  console.log(`bench ui: ${count.trim()}`);

  t = Date.now();
  await page.getByTestId('customer-search').fill('上海');
  await page.waitForFunction(() => !document.querySelector('[data-testid=customer-count]').textContent.includes('100,000 /'));
  report('search "上海" (filter 100k)', Date.now() - t);
  await page.getByTestId('customer-search').fill('');
  await page.waitForFunction(() => document.querySelector('[data-testid=customer-count]').textContent.includes('100,000 /'));

  t = Date.now();
  await page.getByRole('columnheader').nth(1).click(); // name
  await page.waitForTimeout(50);
  report('sort by name (100k)', Date.now() - t);

  // Scroll the virtualised list for 2 s, counting frames and long frames.
  const frames = await page.evaluate(async () => {
    const el = document.querySelector('[data-testid=customer-scroller]');
    const times = [];
    const start = performance.now();
    await new Promise((done) => {
      const step = (now) => {
        times.push(now);
        el.scrollTop += 400;
        if (now - start < 2000) requestAnimationFrame(step); else done();
      };
      requestAnimationFrame(step);
    });
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    return { frames: gaps.length, mean: gaps.reduce((a, b) => a + b, 0) / gaps.length, worst: Math.max(...gaps), long: gaps.filter((g) => g > 50).length };
  });
  console.log(`bench ui: scrolling 100k rows: ${frames.frames} frames in 2 s, mean ${frames.mean.toFixed(1)} ms, worst ${frames.worst.toFixed(0)} ms, ${frames.long} frames over 50 ms`);
  await page.screenshot({ path: resolve(root, 'tests/e2e/artifacts/bench-100k-customers.png') });
} finally {
  await browser.close();
  server.kill();
}
