// Start-up benchmark (not a test; run by scripts/bench.sh): the department's size stored in
// IndexedDB (the demo set, 200,000 customers and 2,000,000 order lines unless SIZE says
// otherwise, e.g. SIZE=100000x1000000), then the page reloaded on the customer list, as a
// person opening the app again. Prints, from the reload's start (navigation start):
//   - the customer list shown (its first row), and a search typed then answered (the list
//     is interactive);
//   - everything read: the order lines, then the other records (`data-loading` gone from
//     the page's main element);
//   - the longest main-thread task meanwhile;
//   - memory after start: the page's wasm memory and the JS heap in use after a garbage
//     collection (`performance.memory`, precise with --enable-precise-memory-info).
//   BENCH_DIST=<dist> node tests/e2e/bench_start.mjs
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { root } from './bench_browser.mjs';

const SIZE = process.env.SIZE || '200000x2000000';
const RUNS = Number(process.env.RUNS || 3);
const port = Number(process.env.BENCH_PORT || 8793);
const server = spawn('node', ['scripts/serve.mjs', '--dir', process.env.BENCH_DIST || 'dist', '--port', String(port)], { cwd: root, stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 800));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-precise-memory-info', '--js-flags=--expose-gc'],
});
const base = `http://127.0.0.1:${port}/`;
const mb = (b) => `${Math.round(b / 1e6)} MB`;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  // Keeps the app's wasm instance (its memory) and records long tasks from the first moment.
  await context.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (e) => { window.__wasm = e.detail.wasm; });
    window.__tasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__tasks.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  });
  const page = await context.newPage();
  page.setDefaultTimeout(3_600_000);
  let t = Date.now();
  await page.goto(`${base}?demo=${SIZE}#/`);
  await page.getByTestId('welcome-demo').click();
  await page.getByTestId('page-overview').waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-testid=busy]'), null, { polling: 500 });
  console.log(`bench start: demo ${SIZE} generated and stored in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  for (let run = 1; run <= RUNS; run++) {
    await page.goto(`${base}#/customers`);
    await page.getByTestId('customer-row').first().waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-testid=busy]'), null, { polling: 200 });
    // The reload: timed from the navigation's start, on the page's own clock.
    await page.reload({ waitUntil: 'commit' });
    await page.getByTestId('customer-row').first().waitFor();
    const shown = await page.evaluate(() => performance.now());
    // Interactive: a search typed now is answered (the list narrows to that customer).
    const code = (await page.getByTestId('customer-row').nth(1).locator('.c-code').textContent()).trim();
    await page.getByTestId('customer-search').fill(code);
    await page.waitForFunction((want) => {
      const rows = [...document.querySelectorAll('[data-testid=customer-row] .c-code')];
      return rows.length >= 1 && rows.length <= 20 && rows.every((r) => r.textContent.includes(want));
    }, code, { polling: 'raf' });
    const answered = await page.evaluate(() => performance.now());
    await page.waitForFunction(() => !document.querySelector('[data-testid=busy], main[data-loading]'), null, { polling: 'raf' });
    const read = await page.evaluate(() => performance.now());
    const longest = await page.evaluate(() => Math.round(Math.max(0, ...window.__tasks.map(([, d]) => d))));
    await page.waitForTimeout(1000);
    const mem = await page.evaluate(() => {
      if (window.gc) window.gc();
      return { wasm: window.__wasm?.memory?.buffer?.byteLength || 0, js: performance.memory?.usedJSHeapSize || 0 };
    });
    console.log(`bench start ${SIZE}, run ${run}: customer list shown ${Math.round(shown)} ms, search answered ${Math.round(answered)} ms, everything read ${Math.round(read)} ms after the reload began (target: interactive list ≤ 2,000 ms); longest main-thread task ${longest} ms; memory after start: wasm ${mb(mem.wasm)} + JS heap ${mb(mem.js)} = ${mb(mem.wasm + mem.js)} (target ≤ 400 MB)`);
  }
} finally {
  await browser.close();
  server.kill();
}
