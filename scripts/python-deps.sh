#!/usr/bin/env bash
# The Python module's one patched dependency, made from the registry and a patch of this
# repository, idempotently: rustpython-vm 0.6.0 (crates.io, checked against its checksum),
# extracted into python/vendor/ and patched with python/patches/rustpython-vm-0.6.0.patch.
# The patch adds an embedder's hook at the bytecode safepoint (the simulated GIL's hand-over;
# nothing else in RustPython runs our code every few instructions on wasm32) and keeps
# `Instant::now()` (which panics on wasm32-unknown-unknown) out of the garbage collector's
# stop-the-world. python/Cargo.toml points `[patch.crates-io]` at the result.
set -euo pipefail
cd "$(dirname "$0")/.."

CRATE=rustpython-vm
VERSION=0.6.0
SHA256=0f5e6290260601ddbba6cbe917df9d24725aa6664f61c5bdc1ba24db9c81f346
PATCH=python/patches/$CRATE-$VERSION.patch
DEST=python/vendor/$CRATE-$VERSION
stamp="$(sha256sum "$PATCH" | cut -d' ' -f1)"

if [ "$(cat "$DEST/.patched" 2>/dev/null)" = "$stamp" ]; then
  exit 0
fi

archive="python/vendor/$CRATE-$VERSION.crate"
mkdir -p python/vendor
if [ "$(sha256sum "$archive" 2>/dev/null | cut -d' ' -f1)" != "$SHA256" ]; then
  cached=$(ls "$HOME"/.cargo/registry/cache/*/"$CRATE-$VERSION.crate" 2>/dev/null | head -1 || true)
  if [ -n "$cached" ]; then
    cp "$cached" "$archive"
  else
    curl -sSfL -o "$archive" "https://static.crates.io/crates/$CRATE/$CRATE-$VERSION.crate"
  fi
  echo "$SHA256  $archive" | sha256sum -c --quiet -
fi

rm -rf "$DEST"
tar xzf "$archive" -C python/vendor
git apply --directory="$DEST" --unsafe-paths "$PATCH" 2>/dev/null || (cd "$DEST" && git apply -p1 "$OLDPWD/$PATCH")
echo "$stamp" > "$DEST/.patched"
echo "[python-deps] $CRATE $VERSION extracted and patched ($PATCH)"
