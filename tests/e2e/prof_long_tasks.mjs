// Profiling tool (not a test, not run by CI): records the page's main thread with CDP
// sampling while one heavy step runs, and prints the long tasks (≥ 50 ms) of that step
// with the functions sampled inside each (self and inclusive), or, with WHOLE=1, the whole
// step's profile. Use a build whose wasm keeps its names (trunk with data-wasm-opt="0").
//   BENCH_DIST=<dist> node tests/e2e/prof_long_tasks.mjs backup target/bench-backup/clientscope-demo-backup.json
//   BENCH_DIST=<dist> node tests/e2e/prof_long_tasks.mjs csv target/bench-import/orders-1m.csv
//   BENCH_DIST=<dist> node tests/e2e/prof_long_tasks.mjs value
// backup: the Data page's backup import, from "import" to done; csv: the import wizard's
// write of an order-line file, from "import" to done; value: the value analysis of the
// 100k + 1M demo set, from "compute" to one second after the results show.
// MIN: the shortest task to print (ms, default 40); BENCH_PORT: the port.
import { resolve } from 'node:path';
import { startBench, watchLongTasks } from './bench_browser.mjs';

const [scenario, file] = [process.argv[2], process.argv[3] && resolve(process.argv[3])];
const MIN = Number(process.env.MIN || 40);
if (!['backup', 'csv', 'value'].includes(scenario)) {
  console.error('usage: prof_long_tasks.mjs backup|csv|value [FILE]');
  process.exit(2);
}
const { port, server, browser } = await startBench(8791);
const base = `http://127.0.0.1:${port}/`;

/** Gets the page to just before the step; returns the function that runs the step. */
async function prepare(page) {
  if (scenario === 'value') {
    await page.goto(`${base}?demo=100000x1000000#/`);
    await page.getByTestId('welcome-demo').click();
    await page.getByTestId('page-overview').waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-testid=busy]'));
    await page.goto(`${base}?demo=100000x1000000#/value`);
    await page.getByTestId('value-empty').waitFor();
    await watchLongTasks(page);
    return async () => {
      await page.getByTestId('value-compute').click();
      await page.getByTestId('value-results').waitFor();
      await page.waitForTimeout(1000);
    };
  }
  await page.goto(base);
  await page.getByTestId('welcome-empty').click();
  if (scenario === 'backup') {
    await page.goto(`${base}#/data`);
    await page.getByTestId('export-backup').waitFor();
    await watchLongTasks(page);
    await page.getByTestId('import-file').setInputFiles(file);
    await page.getByTestId('import-preview').waitFor();
    return async () => {
      await page.getByTestId('import-confirm').click();
      await page.getByTestId('import-preview').waitFor({ state: 'detached' });
      await page.getByTestId('busy').waitFor({ state: 'detached' });
    };
  }
  await page.goto(`${base}#/data/import`);
  await page.getByTestId('page-import').waitFor();
  await watchLongTasks(page);
  await page.getByTestId('import-file').setInputFiles(file);
  await page.getByTestId('import-raw-preview').waitFor();
  await page.getByTestId('import-next').click();
  await page.getByTestId('import-kind-orders').click();
  await page.getByTestId('import-next').click();
  await page.getByTestId('import-check').click();
  await page.getByTestId('import-plan').waitFor();
  return async () => {
    await page.getByTestId('import-confirm').click();
    await page.getByTestId('import-done').waitFor();
  };
}

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  page.setDefaultTimeout(1_800_000);
  const step = await prepare(page);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  // The profile's clock and the page's differ: both are taken as starting together here
  // (a few milliseconds apart), and each window is widened by 5 ms on either side.
  const t0 = await page.evaluate(() => performance.now());
  await step();
  const { profile } = await cdp.send('Profiler.stop');
  const tasks = (await page.evaluate(() => window.__tasks)).filter(([t]) => t >= t0);
  console.log('long tasks (start ms after the step began + duration):', tasks.map(([s, d]) => `${Math.round(s - t0)}+${Math.round(d)}`).join(' ') || 'none');
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  let t = profile.startTime;
  const times = profile.timeDeltas.map((d) => (t += d));
  const name = (x) => `${x.callFrame.functionName || '(anon)'} ${x.callFrame.url.split('/').pop()}`;
  const windows = process.env.WHOLE ? [[t0, (times[times.length - 1] - profile.startTime) / 1000]] : tasks.filter(([, d]) => d >= MIN);
  for (const [s, d] of windows) {
    const from = profile.startTime + (s - t0) * 1000, to = from + d * 1000;
    const self = new Map(), incl = new Map();
    let n = 0;
    profile.samples.forEach((id, i) => {
      if (times[i] < from - 5000 || times[i] > to + 5000) return;
      n++;
      const top = name(byId.get(id));
      self.set(top, (self.get(top) || 0) + 1);
      const seen = new Set();
      for (let x = id; x !== undefined; x = parent.get(x)) {
        const nm = name(byId.get(x));
        if (!seen.has(nm)) { seen.add(nm); incl.set(nm, (incl.get(nm) || 0) + 1); }
      }
    });
    console.log(`\n${Math.round(s - t0)}+${Math.round(d)} ms: ${n} samples`);
    const list = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `  ${v}\t${k}`).join('\n');
    console.log(`self:\n${list(self)}\ninclusive:\n${list(incl)}`);
  }
} finally {
  await browser.close();
  server.kill();
}
