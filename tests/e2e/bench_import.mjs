// Browser import benchmark (not a test): imports 1,000,000 order lines from CSV and from
// XLSX through the import wizard of the release build (dist/) in headless Chromium, each
// in a fresh browser context, and prints rows/s for reading the file, checking every row
// (decode, parse, validate: the wizard's "check all rows") and writing (snapshot-free on an
// empty database, one IndexedDB transaction), plus the longest main-thread task seen
// during the import (the page must not freeze).
//   cargo run --release -p clientscope-core --example import_bench_files -- target/bench-import
//   node tests/e2e/bench_import.mjs target/bench-import
import { resolve } from 'node:path';
import { startBench, watchLongTasks, longestTask } from './bench_browser.mjs';

const dir = resolve(process.argv[2] || 'target/bench-import');
const N = 1_000_000;
// BENCH_DIST: another build's folder.
const { port, server, browser } = await startBench(8791);
const report = (label, ms, rows) =>
  console.log(`bench import: ${label}: ${(ms / 1000).toFixed(1)} s${rows ? `, ${Math.round(rows / (ms / 1000)).toLocaleString('en')} rows/s` : ''}`);

async function run(file, label) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  page.setDefaultTimeout(1_800_000);
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.getByTestId('welcome-empty').click();
  await page.goto(`http://127.0.0.1:${port}/#/data/import`);
  await page.getByTestId('page-import').waitFor();
  await watchLongTasks(page);
  // The page's clock at each step's start, to say in which step the longest task fell.
  const mark = () => page.evaluate(() => performance.now());
  const m0 = await mark();
  const t0 = Date.now();
  await page.getByTestId('import-file').setInputFiles(resolve(dir, file));
  await page.getByTestId('import-raw-preview').waitFor();
  const t1 = Date.now();
  const m1 = await mark();
  report(`${label}: read the file and show the first rows`, t1 - t0);
  await page.getByTestId('import-next').click();
  await page.getByTestId('import-kind-orders').click();
  await page.getByTestId('import-next').click();
  const t2 = Date.now();
  const m2 = await mark();
  await page.getByTestId('import-check').click();
  await page.getByTestId('import-plan').waitFor();
  const t3 = Date.now();
  const m3 = await mark();
  report(`${label}: check all ${N.toLocaleString('en')} rows (decode, parse, validate)`, t3 - t2, N);
  const add = await page.getByTestId('plan-add').locator('.stat-value').textContent();
  console.log(`bench import: ${label}: plan add ${add} (lines + created customers)`);
  await page.getByTestId('import-confirm').click();
  await page.getByTestId('import-done').waitFor();
  const t4 = Date.now();
  report(`${label}: write (one IndexedDB transaction) and update the page`, t4 - t3, N);
  report(`${label}: whole import, file chosen to done (without the user's clicks)`, t1 - t0 + (t4 - t2), N);
  const longest = (from, to) => longestTask(page, from, to);
  console.log(`bench import: ${label}: longest main-thread task during the import: ${await longest(m0)} ms (reading ${await longest(m0, m1)} ms, checking ${await longest(m2, m3)} ms, writing ${await longest(m3)} ms)`);
  await context.close();
}

try {
  await run('orders-1m.csv', 'CSV 1M lines');
  await run('orders-1m.xlsx', 'XLSX 1M lines');
} finally {
  await browser.close();
  server.kill();
}
