// Trunk post_build hook (runs in the staging directory's parent with TRUNK_STAGING_DIR set).
// 1. The Content-Security-Policy allows no inline script, but trunk injects its start-up
//    code inline. Move it into boot-<hash>.js and load that file instead.
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
  const code = m[1].trim() + '\n';
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const name = `boot-${hash}.js`;
  writeFileSync(join(dir, name), code);
  html = html.replace(m[0], `<script type="module" src="./${name}"></script>`);
  writeFileSync(indexPath, html);
}
if (/<script(?![^>]*\ssrc=)[^>]*>/.test(html)) {
  console.error('post-build: an inline <script> is left in index.html; the CSP would block it');
  process.exit(1);
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
