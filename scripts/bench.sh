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
echo "== browser (release wasm, headless Chromium)"
WASM_BINDGEN_TEST_TIMEOUT=1800 cargo test --release --target wasm32-unknown-unknown --test bench_store -- --nocapture
echo "== UI with 100,000 customers (release build, headless Chromium)"
trunk build --release
cargo run --release --bin clientscope-cli -- demo --out target/bench-large --customers 100000 --orders 300000
node tests/e2e/bench_ui.mjs target/bench-large/clientscope-demo-backup.json
