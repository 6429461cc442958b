// Prints what a first visit downloads before the welcome screen is interactive (wasm, JS,
// CSS, HTML; gzip as a static host serves it: scripts/serve.mjs --gzip), file by file,
// and what the service worker fetches afterwards for offline use. A figure, not a test:
//   node tests/e2e/bench_first_load.mjs [dist] [port]
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

const dist = process.argv[2] || 'dist';
const port = Number(process.argv[3] || 8796);
const base = `http://127.0.0.1:${port}/tools/clientscope/`;
const server = spawn('node', ['scripts/serve.mjs', '--dir', dist, '--port', String(port), '--base', '/tools/clientscope/', '--gzip'], { stdio: 'ignore' });
await sleep(500);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  const files = [];
  let interactive = false;
  page.on('requestfinished', async (req) => {
    const sizes = await req.sizes().catch(() => null);
    if (!sizes) return;
    files.push({ url: req.url().replace(base, ''), bytes: sizes.responseBodySize + sizes.responseHeadersSize, before: !interactive });
  });
  const t0 = Date.now();
  await page.goto(base);
  const demo = page.getByTestId('welcome-demo');
  await demo.waitFor({ state: 'visible' });
  // Interactive: the button is enabled and the wasm behind it answers (the language switch
  // changes the text).
  const title = await page.locator('.welcome h1').textContent();
  await page.getByTestId('lang-switch').click();
  await page.waitForFunction((t) => document.querySelector('.welcome h1')?.textContent !== t, title);
  await page.getByTestId('lang-switch').click();
  const ms = Date.now() - t0;
  await sleep(300);
  interactive = true;
  const before = files.filter((f) => f.before);
  let total = 0;
  for (const f of before.sort((a, b) => b.bytes - a.bytes)) {
    total += f.bytes;
    console.log(`  ${String(f.bytes).padStart(9)} B  ${f.url || '(index.html)'}`);
  }
  const whole = before.some((f) => /^clientscope-[0-9a-f]{8,16}_bg\.wasm/.test(f.url));
  console.log(`first visit before the welcome is interactive: ${total} B (${(total / 1024).toFixed(0)} KB) in ${before.length} files, ${ms} ms on localhost; target 700 KB; the whole app's wasm ${whole ? 'WAS' : 'was not'} among them`);
  // The service worker registers 3 s after the welcome is up and caches the whole app.
  await sleep(6000);
  const sw = await page.evaluate(async () => (await caches.keys()).length);
  console.log(`service worker caches after 6 s: ${sw}`);
} finally {
  await browser.close();
  server.kill();
}
