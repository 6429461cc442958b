// Browser benchmark (not a test): PLS path model with 1,000 bootstrap resamples on 5,000
// respondents × 30 questions, run through the Satisfaction page of the release build in
// headless Chromium. Prints the import time, the fit + bootstrap time and how responsive
// the page stayed (animation-frame gaps and the longest main-thread task while the fit and
// the bootstrap ran in the worker pool, one worker per core).
//   cargo run --release -p clientscope-core --example satisfaction_bench_data -- /tmp/sat_bench.json
//   trunk build --release && node tests/e2e/bench_satisfaction.mjs /tmp/sat_bench.json [PORT]
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdirSync } from 'node:fs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const file = process.argv[2];
if (!file) {
  console.error('usage: node tests/e2e/bench_satisfaction.mjs BACKUP.json [PORT]');
  process.exit(2);
}
const port = Number(process.argv[3] || 8793);
const artifacts = resolve(root, 'tests/e2e/artifacts');
mkdirSync(artifacts, { recursive: true });
const server = spawn('node', ['scripts/serve.mjs', '--dir', 'dist', '--port', String(port)], { cwd: root, stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 800));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const report = (label, ms) => console.log(`bench satisfaction: ${label}: ${Math.round(ms)} ms`);
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(900_000);
  const base = `http://127.0.0.1:${port}/`;
  await page.goto(base);
  await page.getByTestId('welcome-empty').click();
  await page.goto(`${base}#/data`);
  let t = Date.now();
  await page.getByTestId('import-file').setInputFiles(file);
  await page.getByTestId('import-preview').waitFor();
  await page.getByTestId('import-confirm').click();
  await page.getByTestId('toast').filter({ hasText: /导入完成|Import/ }).waitFor();
  report('import the backup', Date.now() - t);

  t = Date.now();
  await page.goto(`${base}#/satisfaction/B001/analysis`);
  await page.getByTestId('sat-results').waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-testid=busy]'));
  report('open the analysis (CSI with 1,000 bootstrap resamples, NPS, zones, IPA, alpha)', Date.now() - t);

  await page.getByTestId('sat-pls-resamples').fill('1000');
  await page.getByTestId('sat-pls-resamples').press('Tab');
  // Record animation-frame gaps while the model runs.
  await page.evaluate(() => {
    window.__gaps = [];
    window.__longest = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
    }).observe({ type: 'longtask' });
    let last = performance.now();
    window.__frames = true;
    const step = (now) => { window.__gaps.push(now - last); last = now; if (window.__frames) requestAnimationFrame(step); };
    requestAnimationFrame(step);
  });
  t = Date.now();
  await page.getByTestId('sat-pls-run').click();
  await page.getByTestId('sat-pls-paths').waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-testid=busy]'));
  report('PLS fit + 1,000 bootstrap resamples, 5,000 × 30 (path scheme, standardized)', Date.now() - t);
  const gaps = await page.evaluate(() => { window.__frames = false; return window.__gaps; });
  const worst = Math.max(...gaps);
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  console.log(`bench satisfaction: frames while running: ${gaps.length}, mean gap ${mean.toFixed(1)} ms, worst ${worst.toFixed(0)} ms, ${gaps.filter((g) => g > 100).length} gaps over 100 ms`);
  console.log(`bench satisfaction: longest main-thread task during the PLS run: ${(await page.evaluate(() => window.__longest)).toFixed(0)} ms; pool of ${await page.evaluate(() => Math.min(Math.max(navigator.hardwareConcurrency || 1, 1), 4))} workers`);
  console.log(`bench satisfaction: ${(await page.getByTestId('sat-pls-stated').textContent()).trim()}`);
  const pls = page.getByTestId('sat-pls');
  await pls.scrollIntoViewIfNeeded();
  await pls.screenshot({ path: resolve(artifacts, 'sat-20-pls.png') });
  await page.getByTestId('chart-sat-paths').screenshot({ path: resolve(artifacts, 'sat-21-chart-paths.png') });
  await page.getByTestId('chart-sat-ipa-derived').screenshot({ path: resolve(artifacts, 'sat-22-chart-ipa-derived.png') });
} finally {
  await browser.close();
  server.kill();
}
