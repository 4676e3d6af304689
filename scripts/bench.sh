#!/usr/bin/env bash
# Installs whatever is missing, builds the site (release), and runs the benchmark: the
# playground in headless Chromium beside plain JS, native Rust and CPython, in one run.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install.sh >/dev/null
source scripts/env.sh
trunk build --release --offline >/dev/null
node scripts/bench.mjs
node scripts/bench-python.mjs
node scripts/bench-processes.mjs
node scripts/bench-page.mjs
node scripts/bench-results.mjs
