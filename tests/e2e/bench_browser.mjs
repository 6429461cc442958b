// What the browser benchmarks share (not a test): the release build served on a port,
// headless Chromium, and a record of the page's long tasks.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Serves dist/ (or BENCH_DIST) on BENCH_PORT (or `port`) and launches Chromium. */
export async function startBench(port) {
  const p = Number(process.env.BENCH_PORT || port);
  const server = spawn('node', ['scripts/serve.mjs', '--dir', process.env.BENCH_DIST || 'dist', '--port', String(p)], { cwd: root, stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 800));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return { port: p, server, browser };
}

/** Starts recording the page's long tasks as [start, duration] in `window.__tasks`. */
export async function watchLongTasks(page) {
  await page.evaluate(() => {
    window.__tasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__tasks.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: false });
  });
}

/** The longest task recorded between two of the page's clock readings (ms, rounded). */
export async function longestTask(page, from, to) {
  const tasks = await page.evaluate(() => window.__tasks);
  return Math.round(Math.max(0, ...tasks.filter(([t]) => t >= from && (to === undefined || t < to)).map(([, d]) => d)));
}
