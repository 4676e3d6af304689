#!/usr/bin/env bash
# Builds the Python tab's module (python/: RustPython on the runtime) into target/web-extra/python,
# which the site copies to dist/python (index.html). Run by Trunk before every build (Trunk.toml),
# so `trunk build` and `trunk serve` always carry a module built from the same runtime as the page.
# Incremental: a second run with nothing changed takes a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

./scripts/python-deps.sh
out=target/web-extra/python
mkdir -p "$out"
(cd python && cargo build --release --target wasm32-unknown-unknown --quiet)
wasm=python/target/wasm32-unknown-unknown/release/pp_python.wasm
stamp="$out/.built-from"
if [ "$(cat "$stamp" 2>/dev/null)" != "$(stat -c %Y "$wasm")" ]; then
  wasm-bindgen --target web --no-typescript --out-dir "$out" "$wasm"
  stat -c %Y "$wasm" > "$stamp"
fi
