#!/usr/bin/env bash
# Prints the speed figures (not a test): native core timings at full size, then IndexedDB
# and backup figures in headless Chromium for the demo set and for 100k customers + 1M
# order lines.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$PATH" CHROMEDRIVER=/usr/bin/chromedriver
echo "== native (release)"
cargo test --release -p clientscope-core --lib demo::tests::full_size_timings -- --ignored --nocapture
echo "== value analysis, 100k customers + ~1M lines: native vs browser (same set, same code)"
VLOG=$(mktemp)
cargo test --release -p clientscope-core --lib value_full_size_timings -- --ignored --nocapture 2>&1 | tee -a "$VLOG"
WASM_BINDGEN_TEST_TIMEOUT=1800 cargo test --release --target wasm32-unknown-unknown --test bench_value -- --nocapture 2>&1 | tee -a "$VLOG"
for unit in week day; do
  n=$(grep -oE "BENCH value-native-$unit [0-9.]+" "$VLOG" | awk '{print $3}' | tail -1)
  w=$(grep -oE "BENCH value-wasm-$unit [0-9.]+" "$VLOG" | awk '{print $3}' | tail -1)
  if [ -n "$n" ] && [ -n "$w" ]; then
    awk -v u="$unit" -v n="$n" -v w="$w" 'BEGIN { printf "value analysis (%s): native %.0f ms, wasm %.0f ms, wasm/native %.2fx (target: native < 1000 ms, ratio < 2)\n", u, n, w, w / n }'
  fi
done
rm -f "$VLOG"
echo "== clientscope-cli value vs pandas + lifetimes, the whole process, same CSV (100k customers, ~0.9M lines, unit day)"
cargo run --release -p clientscope-core --example value_bench_csv -- target/bench-value/orders.csv
cargo build --release --bin clientscope-cli
[ -x target/peer-venv/bin/python ] || { python3 -m venv target/peer-venv && target/peer-venv/bin/pip install -q pandas lifetimes; }
t0=$(date +%s.%N)
CLIENTSCOPE_TIMINGS=1 target/release/clientscope-cli value --orders target/bench-value/orders.csv --as-of 2026-06-30 --unit day --json > target/bench-value/ours.json
t1=$(date +%s.%N)
target/peer-venv/bin/python scripts/peer_value.py target/bench-value/orders.csv 2026-06-30 day target/bench-value/peer.json
t2=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "value CLI %.2f s, pandas+lifetimes %.2f s, ratio %.1fx (target 20x)\n", b - a, c - b, (c - b) / (b - a) }'
echo "== browser (release wasm, headless Chromium)"
WASM_BINDGEN_TEST_TIMEOUT=1800 WASM_BINDGEN_TEST_WEBDRIVER_JSON=tests/bench_webdriver.json cargo test --release --target wasm32-unknown-unknown --test bench_store -- --nocapture
echo "== first visit: what downloads before the welcome is interactive (gzip), then Lighthouse (mobile)"
trunk build --release
node tests/e2e/bench_first_load.mjs dist 8796
scripts/lighthouse.sh dist 8794
echo "== reload to an interactive customer list with 200,000 customers + 2,000,000 order lines stored; memory after start (Chromium)"
node tests/e2e/bench_start.mjs
echo "== value analysis in the Web Worker at 100k customers + 1M lines: clicks during the run, longest main-thread task (Playwright)"
npx playwright test --config tests/e2e/playwright.config.mjs worker.spec.mjs 2>&1 | grep -E "worker value run|passed|failed"
echo "== UI with 100,000 customers (release build, headless Chromium)"
cargo run --release --bin clientscope-cli -- demo --out target/bench-large --customers 100000 --orders 300000
node tests/e2e/bench_ui.mjs target/bench-large/clientscope-demo-backup.json
echo "== import of 1,000,000 order lines: native, then in the browser (CSV and XLSX)"
cargo run --release -p clientscope-core --example import_bench_files -- target/bench-import
BENCH_PORT=8799 node tests/e2e/bench_import.mjs target/bench-import
echo "== backup of 100,000 customers + 1,000,000 order lines: import and export through the Data page (Chromium)"
cargo run --release --bin clientscope-cli -- demo --out target/bench-backup --customers 100000 --orders 1000000
cargo run --release -p clientscope-core --example backup_parse_time -- target/bench-backup/clientscope-demo-backup.json 1
BENCH_PORT=8792 node tests/e2e/bench_backup.mjs target/bench-backup/clientscope-demo-backup.json
echo "== k-means k = 2..10 on 100,000 customers: native (100,000 x 6), then in the browser"
cargo test --release -p clientscope-core --lib kmeans_timing_100k -- --ignored --nocapture
node tests/e2e/bench_segments.mjs target/bench-large/clientscope-demo-backup.json 8798
echo "== PLS + 1,000 bootstrap resamples, 5,000 respondents x 30 items: native, then in the browser"
cargo test --release -p clientscope-core --lib pls_timing -- --ignored --nocapture
cargo run --release -p clientscope-core --example satisfaction_bench_data -- target/bench-satisfaction.json
node tests/e2e/bench_satisfaction.mjs target/bench-satisfaction.json 8797
