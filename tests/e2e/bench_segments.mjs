// Segments benchmark (not a test; for scripts/bench.sh): imports a large backup (100,000
// customers) through the Data page of the release build in headless Chromium, then runs
// the k-means curves (k = 2..10, 4 restarts each, seed 42, standardized) on 6 measures per
// customer on the Clusters tab, and prints how long it takes and how long the longest gap
// between animation frames was while it ran (the page must not freeze).
//   node tests/e2e/bench_segments.mjs BACKUP.json [PORT]
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const file = process.argv[2];
const port = Number(process.argv[3] || 8792);
const COLUMNS = ['revenue', 'gross_profit', 'order_lines', 'recency_days', 'frequency', 'monetary'];
const server = spawn('node', ['scripts/serve.mjs', '--dir', 'dist', '--port', String(port)], { cwd: root, stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 800));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const report = (label, ms) => console.log(`bench segments: ${label}: ${Math.round(ms)} ms`);

/** Starts recording the gaps between animation frames. */
const watchFrames = (page) => page.evaluate(() => {
  window.__gaps = [];
  window.__watch = true;
  let last = performance.now();
  const step = (now) => {
    window.__gaps.push(now - last);
    last = now;
    if (window.__watch) requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
});
const stopFrames = (page) => page.evaluate(() => {
  window.__watch = false;
  const g = window.__gaps;
  return { frames: g.length, worst: Math.max(...g), long: g.filter((x) => x > 200).length };
});

async function runClustering(page, label) {
  await watchFrames(page);
  const t = Date.now();
  await page.getByTestId('cluster-run').click();
  await page.getByTestId('busy').waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-testid=busy]'), null, { timeout: 1_800_000 });
  await page.getByTestId('cluster-fit').waitFor();
  const ms = Date.now() - t;
  const f = await stopFrames(page);
  report(label, ms);
  console.log(`bench segments:   ${f.frames} frames, longest gap ${Math.round(f.worst)} ms, ${f.long} gaps over 200 ms`);
  console.log(`bench segments:   ${(await page.getByTestId('cluster-stated').innerText()).trim()}`);
}

try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  page.setDefaultTimeout(1_800_000);
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.getByTestId('welcome-empty').click();
  await page.goto(`http://127.0.0.1:${port}/#/data`);
  let t = Date.now();
  await page.getByTestId('import-file').setInputFiles(file);
  await page.getByTestId('import-preview').waitFor();
  await page.getByTestId('import-confirm').click();
  await page.getByTestId('toast').filter({ hasText: '导入完成' }).waitFor();
  report('import the backup (setup, not part of the figure)', Date.now() - t);

  await page.goto(`http://127.0.0.1:${port}/#/segments`);
  await page.getByTestId('seg-tab-clusters').click();
  for (const c of COLUMNS) await page.getByTestId(`cluster-col-${c}`).check();
  const customers = await page.evaluate(() => document.querySelector('[data-testid=page-segments]') !== null);
  if (!customers) throw new Error('segments page not shown');
  // First run: builds the inputs (period totals, the value analysis, CSI) and clusters.
  await runClustering(page, 'inputs (period totals, value analysis, CSI of 100k customers) + the same k-means');
  // Second run: the inputs are kept, so this is k-means alone.
  await runClustering(page, 'k-means k = 2..10, 100,000 customers × 6 measures (customers missing a measure are left out, see the line below; 4 restarts per k, silhouette on a 5,000-row sample)');
  await page.getByTestId('chart-cluster-scatter').scrollIntoViewIfNeeded();
  await page.screenshot({ path: resolve(root, 'tests/e2e/artifacts/bench-segments-100k.png') });
} finally {
  await browser.close();
  server.kill();
}
