// Browser backup benchmark (not a test): imports a JSON backup of 100,000 customers and
// 1,000,000 order lines through the Data page of the release build (dist/) in headless
// Chromium into an empty database, then exports it again, and prints the time of each
// step (checking the file: read, parse, validate, plan; importing: apply, write, update
// the page; exporting) and the longest main-thread task during each.
//   cargo run --release --bin clientscope-cli -- demo --out target/bench-backup --customers 100000 --orders 1000000
//   node tests/e2e/bench_backup.mjs target/bench-backup/clientscope-demo-backup.json
import { resolve } from 'node:path';
import { startBench, watchLongTasks, longestTask } from './bench_browser.mjs';

const file = resolve(process.argv[2] || 'target/bench-backup/clientscope-demo-backup.json');
// BENCH_DIST: another build's folder.
const { port, server, browser } = await startBench(8792);

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(1_800_000);
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.getByTestId('welcome-empty').click();
  await page.goto(`http://127.0.0.1:${port}/#/data`);
  await page.getByTestId('export-backup').waitFor();
  await watchLongTasks(page);
  const mark = () => page.evaluate(() => performance.now());
  const longest = (from, to) => longestTask(page, from, to);
  const step = (label, ms, task) => console.log(`bench backup: ${label}: ${(ms / 1000).toFixed(1)} s, longest main-thread task ${task} ms`);

  const m0 = await mark();
  const t0 = Date.now();
  await page.getByTestId('import-file').setInputFiles(file);
  await page.getByTestId('import-preview').waitFor();
  const t1 = Date.now();
  const m1 = await mark();
  step('check the file (read, parse, validate, plan)', t1 - t0, await longest(m0, m1));
  await page.getByTestId('import-confirm').click();
  await page.getByTestId('import-preview').waitFor({ state: 'detached' });
  await page.getByTestId('busy').waitFor({ state: 'detached' });
  const t2 = Date.now();
  const m2 = await mark();
  step('import (apply, snapshot, write, update the page)', t2 - t1, await longest(m1, m2));
  console.log(`bench backup: whole import ${((t2 - t0) / 1000).toFixed(1)} s (target 5 s)`);

  const download = page.waitForEvent('download');
  const t3 = Date.now();
  await page.getByTestId('export-backup').click();
  const d = await download;
  await d.path();
  const t4 = Date.now();
  const m4 = await mark();
  step('export (serialise, offer the download)', t4 - t3, await longest(m2, m4));
  await context.close();
} finally {
  await browser.close();
  server.kill();
}
