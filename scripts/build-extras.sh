#!/usr/bin/env bash
# Builds what the site loads lazily, into target/web-extra (index.html copies it into dist):
#   python/  the Python tab's module (python/: RustPython on the runtime), its wasm-bindgen
#            glue, and manifest.json (the files' names, versioned by content, and the wasm's
#            size, for the progress bar); lib/, the standard library's modules that are not
#            frozen into the module, which it fetches at their first import (python/src/stdlib.rs);
#   editor/  the Python tab's editor (CodeMirror 6, www/editor/editor.js bundled by esbuild);
#   catalogue/catalogue.json  the examples' text and sources, for the page where the
#            playground cannot start (www/loader.js), written by a native run of
#            tools/catalogue_json.rs.
# Trunk runs it before every build (Trunk.toml), so the site always carries a module built
# from the same runtime as the page. Incremental: with nothing changed it takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

./scripts/python-deps.sh
out=target/web-extra
mkdir -p "$out/python" "$out/editor" "$out/catalogue"

# The Python module. (Nightly and build-std come from .cargo/config.toml, as for the page.)
# The test command sets PP_LINT_PYTHON=1: this build is then also the module's wasm lint.
if [ "${PP_LINT_PYTHON:-}" = 1 ]; then
  python_cargo_linted build --release --target wasm32-unknown-unknown --quiet
else
  (cd python && cargo build --release --target wasm32-unknown-unknown --quiet)
fi
wasm=python/target/wasm32-unknown-unknown/release/pp_python.wasm
stamp="$out/.python-built-from"
if [ "$(cat "$stamp" 2>/dev/null)" != "$(stat -c %Y "$wasm")" ]; then
  # No name or producers sections: they are a fifth of the module, and nothing reads them.
  # The snippets afresh: a snippet no longer used would be shipped on.
  rm -rf "$out/python/snippets"
  wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
    --out-dir "$out/python" "$wasm"
  version=$(sha256sum "$out/python/pp_python_bg.wasm" | cut -c1-16)
  bytes=$(stat -c %s "$out/python/pp_python_bg.wasm")
  printf '{"wasm":"pp_python_bg.wasm?v=%s","glue":"pp_python.js?v=%s","bytes":%s}\n' \
    "$version" "$version" "$bytes" > "$out/python/manifest.json"
  stat -c %Y "$wasm" > "$stamp"
fi

# The standard library beyond the frozen modules, as the module's index lists it (the same
# tree the module was built against: scripts/python-deps.sh made both).
rm -rf "$out/python/lib"
cp -r python/vendor/pylib-lazy "$out/python/lib"
rm "$out/python/lib/index.txt"

# The catalogue, natively, with the stable toolchain the native tests use (their
# dependencies' build serves it; stable ignores the build-std of .cargo/config.toml). Not
# through the test command's clippy driver (the pinned nightly's), which Trunk hands down.
env -u RUSTC_WORKSPACE_WRAPPER -u CLIPPY_ARGS cargo +stable run --quiet --example catalogue-json -- \
  "$out/catalogue/catalogue.json"

# The editor.
esbuild www/editor/editor.js --bundle --minify --format=esm --log-level=warning \
  --outfile="$out/editor/editor.js"
