#!/usr/bin/env bash
# Lighthouse 12.2.3 (the last line for Node 20), mobile profile (its default: a mid-range
# phone, simulated slow 4G), first visit, performance only, against a build served with
# gzip as a static host serves it. Prints the score and the figures behind it. Not a test.
#   scripts/lighthouse.sh [dist] [port]
set -euo pipefail
cd "$(dirname "$0")/.."
DIST=${1:-dist}
PORT=${2:-8794}
[ -x target/lh/node_modules/.bin/lighthouse ] || npm install --prefix target/lh --no-audit --no-fund lighthouse@12.2.3 >/dev/null
node scripts/serve.mjs --dir "$DIST" --port "$PORT" --base /tools/clientscope/ --gzip >/dev/null &
SERVER=$!
trap 'kill $SERVER' EXIT
sleep 0.5
CHROME_PATH=/usr/bin/chromium target/lh/node_modules/.bin/lighthouse "http://127.0.0.1:$PORT/tools/clientscope/" \
  --quiet --only-categories=performance --output=json --output-path=target/lh/report.json \
  --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync" >/dev/null
node -e '
const r = JSON.parse(require("fs").readFileSync("target/lh/report.json", "utf8"));
const a = r.audits, v = (k) => a[k].displayValue;
console.log(`Lighthouse mobile, first visit: performance ${r.categories.performance.score} (target 0.9); FCP ${v("first-contentful-paint")}, LCP ${v("largest-contentful-paint")}, TBT ${v("total-blocking-time")}, CLS ${v("cumulative-layout-shift")}, SI ${v("speed-index")}; transfer ${v("total-byte-weight")}`);
'
