// Trunk post_build hook (runs in the staging directory's parent with TRUNK_STAGING_DIR set).
// 1. The Content-Security-Policy allows no inline script, but trunk injects its start-up
//    code inline. Replace it by boot-<hash>.js, which starts the whole app or, on a first
//    visit, the small welcome (see boot() below).
// 2. Write the service worker's precache list and a build version into sw.js, so it caches
//    exactly this build's (hashed) files and a new build is a new cache.
import { readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createHash } from 'node:crypto';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) { console.error('post-build: TRUNK_STAGING_DIR is not set'); process.exit(1); }

const indexPath = join(dir, 'index.html');
let html = readFileSync(indexPath, 'utf8');
const inline = /<script type="module"[^>]*>([\s\S]*?)<\/script>/;
const m = html.match(inline);
if (m && !/\ssrc=/.test(m[0])) {
  // trunk's start-up code names the whole app's hashed files; the boot script below
  // decides whether to start it or the small first-visit welcome.
  const js = m[1].match(/from '\.\/([^']+\.js)'/);
  const wasm = m[1].match(/module_or_path: '\.\/([^']+\.wasm)'/);
  if (!js || !wasm) { console.error('post-build: trunk\'s start-up code changed shape'); process.exit(1); }
  const code = boot(js[1], wasm[1]);
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const name = `boot-${hash}.js`;
  writeFileSync(join(dir, name), code);
  html = html.replace(m[0], `<script type="module" src="./${name}"></script>`);
  // No preload of the whole app: a first visit downloads only the welcome (see boot()).
  html = html.replace(/<link rel="modulepreload"[^>]*>/g, '').replace(/<link rel="preload"[^>]*type="application\/wasm"[^>]*>/g, '');
  writeFileSync(indexPath, html);
}
if (/<script(?![^>]*\ssrc=)[^>]*>/.test(html)) {
  console.error('post-build: an inline <script> is left in index.html; the CSP would block it');
  process.exit(1);
}

// The boot script. A browser where Clientscope was used (the welcome was passed, or its
// database exists), or an address naming a view, starts the whole app (about 2.2 MB gzip).
// A first visit starts the welcome of src/first_visit.rs instead (a wasm of its own, a
// fraction of the size), which hands over through window.clientscopeEnter when the user
// chooses; the service worker, registered once the welcome is up, meanwhile caches the
// whole app for the next step and for offline use.
function boot(appJs, appWasm) {
  return `const APP_JS = './${appJs}';
const APP_WASM = './${appWasm}';
const WELCOME_JS = './clientscope-welcome.js';
const WELCOME_WASM = './clientscope-welcome_bg.wasm';

async function startApp() {
  const bindings = await import(APP_JS);
  const wasm = await bindings.default({ module_or_path: APP_WASM });
  window.wasmBindings = bindings;
  dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
}

function startWelcome() {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = WELCOME_JS;
    script.onload = () => wasm_bindgen({ module_or_path: WELCOME_WASM }).then(resolve, reject);
    script.onerror = reject;
    document.head.append(script);
  });
}

async function usedBefore() {
  if (location.hash.length > 2) return true;
  try {
    const ui = JSON.parse(localStorage.getItem('clientscope.ui') || 'null');
    if (ui && ui.started) return true;
  } catch (_) { /* unreadable: decide by the database */ }
  try {
    if (indexedDB.databases) return (await indexedDB.databases()).some((d) => d.name === 'clientscope');
  } catch (_) { /* not allowed: treat as a first visit */ }
  return false;
}

let entering = null;
window.clientscopeEnter = () => {
  entering ??= (async () => {
    const lang = document.documentElement.lang === 'en' ? 'en' : 'zh';
    const note = document.createElement('div');
    note.className = 'page-loading';
    note.textContent = lang === 'en' ? 'Loading…' : '正在加载…';
    document.body.replaceChildren(note);
    await startApp();
    note.remove();
  })();
  return entering;
};

if (await usedBefore()) {
  await startApp();
} else {
  await startWelcome();
  if ('serviceWorker' in navigator) {
    setTimeout(() => navigator.serviceWorker.register('./sw.js').catch(() => {}), 3000);
  }
}
`;
}

const files = [];
const walk = (d) => {
  for (const f of readdirSync(d)) {
    const p = join(d, f);
    if (statSync(p).isDirectory()) walk(p);
    else files.push(relative(dir, p).split('\\').join('/'));
  }
};
walk(dir);
const precache = files.filter((f) => f !== 'sw.js').sort();
const version = createHash('sha256');
for (const f of precache) version.update(f).update(readFileSync(join(dir, f)));
const swPath = join(dir, 'sw.js');
const sw = readFileSync(swPath, 'utf8')
  .replace('__BUILD_VERSION__', version.digest('hex').slice(0, 16))
  .replace('__PRECACHE__', JSON.stringify(['./', ...precache.map((f) => './' + f)]));
writeFileSync(swPath, sw);
console.log(`post-build: ${precache.length} files precached`);
