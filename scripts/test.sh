#!/usr/bin/env bash
# Runs every test of Clientscope, installing what is missing first (scripts/setup.sh):
#   1. native: core unit/property/reference tests, the CLI, i18n and routing;
#   2. storage tests in headless Chromium (wasm-bindgen-test);
#   3. the release build (trunk), then Playwright end-to-end tests against it, served on
#      127.0.0.1 under a sub-path. Screenshots land in tests/e2e/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "native tests: core, CLI, i18n, routing"
cargo test --workspace 2>&1 | tee -a "$LOG"

step "storage tests in headless Chromium (wasm-bindgen-test)"
# The runner's 20 s default covers the whole suite; a busy machine needs more.
WASM_BINDGEN_TEST_TIMEOUT=180 cargo test --target wasm32-unknown-unknown --test store 2>&1 | tee -a "$LOG"

step "release build (trunk)"
trunk build --release

step "end-to-end tests (Playwright, Chromium)"
npx playwright test --config tests/e2e/playwright.config.mjs 2>&1 | tee -a "$LOG"

# One closing line over all runners.
passed=$(grep -hoE '([0-9]+) passed' "$LOG" | awk '{s+=$1} END {print s+0}')
failed=$(grep -hoE '([0-9]+) failed' "$LOG" | awk '{s+=$1} END {print s+0}')
echo
echo "tests: ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
