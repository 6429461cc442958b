#!/usr/bin/env bash
# Installs what building and testing Clientscope needs on a fresh Debian 12 machine with
# rustup stable and Node 20, from the package registries only. Idempotent: every step first
# checks whether its tool is already there at the right version, so a second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# 1. The wasm target (a no-op when present).
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# 2. trunk, pinned: 0.22.x needs a newer rustc than this machine can have.
if ! trunk --version 2>/dev/null | grep -q " ${TRUNK_VERSION}$"; then
  log "installing trunk ${TRUNK_VERSION} (takes ~11 min on 2 cores)"
  cargo install trunk --version "${TRUNK_VERSION}" --locked
fi

# 3. wasm-bindgen-cli must equal the wasm-bindgen that Cargo.lock resolved. Installed
#    without --locked: its own lock names a webpki-roots version the registry does not serve.
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q " ${WB_VERSION}$"; then
  log "installing wasm-bindgen-cli ${WB_VERSION} (takes ~4 min)"
  cargo install wasm-bindgen-cli --version "${WB_VERSION}"
fi

# 4. Chromium and ChromeDriver from Debian (Playwright's own browser download fails here),
#    and a small CJK font so that screenshots of the Chinese UI show text, not boxes.
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || [ ! -d /usr/share/fonts/truetype/wqy ]; then
  log "installing chromium, chromium-driver and fonts-wqy-microhei from Debian"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    chromium chromium-driver fonts-wqy-microhei
fi

# 5. npm packages (Playwright, binaryen's wasm-opt 132), pinned by package-lock.json.
#    Debian's binaryen 108 silently breaks the module, so wasm-opt comes from npm.
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.clientscope-lock; then
  log "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund
  cp package-lock.json node_modules/.clientscope-lock
fi
# 6. A Python venv with openpyxl (PyPI), which scripts/check_xlsx.py opens the exported
#    workbooks with (tests/e2e/xlsx.spec.mjs). In .venv (git-ignored); made once.
OPENPYXL_VERSION=3.1.5
if ! .venv/bin/python -c "import openpyxl, sys; sys.exit(openpyxl.__version__ != '${OPENPYXL_VERSION}')" 2>/dev/null; then
  log "making .venv with openpyxl ${OPENPYXL_VERSION}"
  if ! python3 -c "import ensurepip, venv" 2>/dev/null; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-venv
  fi
  rm -rf .venv
  python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check "openpyxl==${OPENPYXL_VERSION}"
fi
log "ready"
