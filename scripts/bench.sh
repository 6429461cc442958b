#!/usr/bin/env bash
# Prints the speed figures (not a test): native core timings at full size, then IndexedDB
# and backup figures in headless Chromium for the demo set and for 100k customers + 1M
# order lines.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$PATH" CHROMEDRIVER=/usr/bin/chromedriver
echo "== native (release)"
cargo test --release -p clientscope-core --lib full_size_timings -- --ignored --nocapture
echo "== browser (release wasm, headless Chromium)"
WASM_BINDGEN_TEST_TIMEOUT=1800 cargo test --release --target wasm32-unknown-unknown --test bench_store -- --nocapture
echo "== UI with 100,000 customers (release build, headless Chromium)"
trunk build --release
cargo run --release --bin clientscope-cli -- demo --out target/bench-large --customers 100000 --orders 300000
node tests/e2e/bench_ui.mjs target/bench-large/clientscope-demo-backup.json
