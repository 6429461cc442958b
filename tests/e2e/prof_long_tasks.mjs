// Profiling tool (not a test, not run by CI): records the page's main thread with CDP
// sampling while one heavy step runs, and prints the long tasks (≥ 50 ms) of that step
// with the functions sampled inside each (self and inclusive), or, with WHOLE=1, the whole
// step's profile. Use a build whose wasm keeps its names (trunk with data-wasm-opt="0").
//   BENCH_DIST=<dist> node tests/e2e/prof_long_tasks.mjs backup target/bench-backup/clientscope-demo-backup.json
//   BENCH_DIST=<dist> node tests/e2e/prof_long_tasks.mjs csv target/bench-import/orders-1m.csv
//   BENCH_DIST=<dist> node tests/e2e/prof_long_tasks.mjs value
//   BENCH_DIST=<dist> node tests/e2e/prof_long_tasks.mjs start
// backup: the Data page's backup import, from "import" to done; csv: the import wizard's
// write of an order-line file, from "import" to done; value: the value analysis of the
// 100k + 1M demo set, from "compute" to one second after the results show; start: a reload
// on the customer list with the demo set of SIZE (default 200000x2000000) stored, to 1.5 s
// after everything is read.
// MIN: the shortest task to print (ms, default 40); BENCH_PORT: the port. TRACE=1 also
// records a Chromium trace and prints the page's main-thread tasks over MIN exactly as the
// browser ran them (their timers, microtasks, layout and paint, with the functions sampled
// inside each): the sampled windows above are widened by 5 ms and can take in a neighbour.
import { resolve } from 'node:path';
import { startBench, watchLongTasks } from './bench_browser.mjs';

const [scenario, file] = [process.argv[2], process.argv[3] && resolve(process.argv[3])];
const MIN = Number(process.env.MIN || 40);
if (!['backup', 'csv', 'value', 'start'].includes(scenario)) {
  console.error('usage: prof_long_tasks.mjs backup|csv|value|start [FILE]');
  process.exit(2);
}
const { port, server, browser } = await startBench(8791);
const base = `http://127.0.0.1:${port}/`;

/** Gets the page to just before the step; returns the function that runs the step. */
async function prepare(page) {
  if (scenario === 'start') {
    const size = process.env.SIZE || '200000x2000000';
    await page.goto(`${base}?demo=${size}#/`);
    await page.getByTestId('welcome-demo').click();
    await page.getByTestId('page-overview').waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-testid=busy]'), null, { polling: 500 });
    await page.goto(`${base}#/customers`);
    await page.getByTestId('customer-row').first().waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-testid=busy]'), null, { polling: 500 });
    await page.addInitScript(() => {
      window.__tasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__tasks.push([e.startTime, e.duration]);
      }).observe({ type: 'longtask', buffered: true });
    });
    return async () => {
      await page.reload({ waitUntil: 'commit' });
      await page.getByTestId('customer-row').first().waitFor();
      await page.waitForFunction(() => !document.querySelector('[data-testid=busy], main[data-loading]'), null, { polling: 200 });
      await page.waitForTimeout(1500);
    };
  }
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
  const events = [];
  let traced;
  // A reload starts the page's clock again: its tasks are told by the trace alone.
  if (process.env.TRACE || scenario === 'start') {
    cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
    traced = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
  }
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  // The profile's clock and the page's differ: both are taken as starting together here
  // (a few milliseconds apart), and each window is widened by 5 ms on either side.
  const t0 = await page.evaluate(() => performance.now());
  await step();
  const { profile } = await cdp.send('Profiler.stop');
  if (traced) {
    await cdp.send('Tracing.end');
    await traced;
  }
  const tasks = (await page.evaluate(() => window.__tasks)).filter(([t]) => scenario === 'start' || t >= t0);
  console.log('long tasks (start ms after the step began + duration):', tasks.map(([s, d]) => `${Math.round(s - t0)}+${Math.round(d)}`).join(' ') || 'none');
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  let t = profile.startTime;
  const times = profile.timeDeltas.map((d) => (t += d));
  const name = (x) => `${x.callFrame.functionName || '(anon)'} ${x.callFrame.url.split('/').pop()}`;
  const windows = scenario === 'start' ? [] : process.env.WHOLE ? [[t0, (times[times.length - 1] - profile.startTime) / 1000]] : tasks.filter(([, d]) => d >= MIN);
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
  if (traced) {
    // The page's main thread; trace and profile share the browser's monotonic clock (µs).
    const main = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
    const onMain = (e) => main.has(`${e.pid}:${e.tid}`);
    const runs = events.filter((e) => e.name === 'RunTask' && onMain(e) && e.dur > MIN * 1000);
    console.log(`\ntrace: ${runs.length} main-thread tasks over ${MIN} ms`);
    const kinds = ['TimerFire', 'HandlePostMessage', 'EventDispatch', 'RunMicrotasks', 'UpdateLayoutTree', 'Layout', 'Paint', 'MajorGC', 'MinorGC'];
    for (const t of runs) {
      const inside = events.filter((e) => onMain(e) && e !== t && e.dur && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur);
      const sum = new Map();
      for (const e of inside) if (kinds.includes(e.name)) sum.set(e.name, (sum.get(e.name) || 0) + e.dur);
      const frames = new Map();
      profile.samples.forEach((id, i) => {
        if (times[i] < t.ts || times[i] > t.ts + t.dur) return;
        const seen = new Set();
        for (let x = id; x !== undefined; x = parent.get(x)) {
          const nm = name(byId.get(x));
          if (nm.includes('clientscope') && !seen.has(nm)) { seen.add(nm); frames.set(nm, (frames.get(nm) || 0) + 1); }
        }
      });
      console.log(`task ${(t.dur / 1000).toFixed(1)} ms: ${[...sum].map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`).join(', ')}`);
      console.log([...frames].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, v]) => `  ${v}\t${k}`).join('\n'));
    }
  }
} finally {
  await browser.close();
  server.kill();
}
