#!/usr/bin/env bash
# Builds the release app (installing what is missing first) and serves it on
# http://127.0.0.1:${PORT:-8080}/ — open it and choose "load demo data" (加载演示数据).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$PATH"
trunk build --release
exec node scripts/serve.mjs --dir dist --port "${PORT:-8080}" --base "${BASE:-/}"
