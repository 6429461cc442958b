// A minimal static file server for dist/ (no dependencies): the app is a static site, and
// this serves it the way any static host would, optionally under a sub-path, on 127.0.0.1.
//   node scripts/serve.mjs [--dir dist] [--port 8080] [--base /tools/clientscope/] [--gzip]
// --gzip compresses text and wasm for clients that accept it (level 6, as common static
// hosts do), for measuring what a first visit downloads.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { join, normalize, extname, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1] && !all[i + 1].startsWith('--') ? all[i + 1] : true]] : acc), [])
);
const gzip = args.gzip === true || args.gzip === 'true';
const compressible = new Set(['.html', '.js', '.mjs', '.css', '.wasm', '.json', '.webmanifest', '.svg']);
const gzipped = new Map();
const root = resolve(args.dir || 'dist');
const port = Number(args.port || 8080);
let base = args.base || '/';
if (!base.endsWith('/')) base += '/';
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json',
  '.webmanifest': 'application/manifest+json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
};

createServer(async (req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (!url.pathname.startsWith(base)) {
    res.writeHead(302, { Location: base });
    return res.end();
  }
  let rel = decodeURIComponent(url.pathname.slice(base.length)) || 'index.html';
  const path = normalize(join(root, rel));
  if (!path.startsWith(root)) { res.writeHead(403); return res.end(); }
  try {
    const s = await stat(path);
    const file = s.isDirectory() ? join(path, 'index.html') : path;
    let body = await readFile(file);
    const headers = {
      'Content-Type': types[extname(file)] || 'application/octet-stream',
      // Like a typical static host: hashed files may be cached, the rest revalidated.
      'Cache-Control': /-[0-9a-f]{16}(_bg)?\.(js|wasm|css)$/.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
    if (gzip && compressible.has(extname(file)) && /\bgzip\b/.test(req.headers['accept-encoding'] || '')) {
      const key = `${file}:${s.mtimeMs}`;
      if (!gzipped.has(key)) gzipped.set(key, gzipSync(body, { level: 6 }));
      body = gzipped.get(key);
      headers['Content-Encoding'] = 'gzip';
      headers['Vary'] = 'Accept-Encoding';
    }
    headers['Content-Length'] = body.length;
    res.writeHead(200, headers);
    res.end(body);
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  }
}).listen(port, '127.0.0.1', () => console.log(`serving ${root} at http://127.0.0.1:${port}${base}`));
