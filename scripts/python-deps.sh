#!/usr/bin/env bash
# The Python module's two changed dependencies, made from the registry's crates (checked
# against their checksums) into python/vendor/, idempotently; python/Cargo.toml points
# `[patch.crates-io]` at them:
#
# - rustpython-vm 0.6.0, patched with python/patches/rustpython-vm-0.6.0.patch: an embedder's
#   hook at the bytecode safepoint (the simulated GIL's hand-over; nothing else in RustPython
#   runs our code every few instructions on wasm32), `Instant::now()` (which panics on
#   wasm32-unknown-unknown) kept out of the garbage collector's stop-the-world, and a
#   `rerun-if-changed` on a file outside the crate removed (it rebuilt the crate every time).
# - rustpython-pylib 0.6.0 (the frozen standard library), without the packages that cannot
#   run in a web worker (GUI, mail and HTTP servers, package installers, native
#   libraries the wasm build lacks; `multiprocessing` until processes run in Python): the
#   module stays under its size budget (BENCHMARKS.md). Importing one of them is a plain
#   ModuleNotFoundError.
set -euo pipefail
cd "$(dirname "$0")/.."

# What the pylib copy leaves out (paths under its Lib/).
PYLIB_PRUNED=(
  idlelib tkinter turtledemo turtle.py ensurepip venv pydoc_data
  email http xmlrpc wsgiref mailbox.py smtplib.py imaplib.py poplib.py ftplib.py
  socketserver.py webbrowser.py sqlite3 dbm ctypes multiprocessing
)

# fetch NAME VERSION SHA256: the crate's archive in python/vendor (from cargo's cache or
# static.crates.io), checked.
fetch() {
  local crate=$1 version=$2 sha=$3 archive="python/vendor/$1-$2.crate"
  mkdir -p python/vendor
  if [ "$(sha256sum "$archive" 2>/dev/null | cut -d' ' -f1)" != "$sha" ]; then
    local cached
    cached=$(ls "$HOME"/.cargo/registry/cache/*/"$crate-$version.crate" 2>/dev/null | head -1 || true)
    if [ -n "$cached" ]; then
      cp "$cached" "$archive"
    else
      curl -sSfL -o "$archive" "https://static.crates.io/crates/$crate/$crate-$version.crate"
    fi
    echo "$sha  $archive" | sha256sum -c --quiet -
  fi
  rm -rf "python/vendor/$crate-$version"
  # Extracted files dated now (-m), not as archived: cargo then sees a changed copy as changed.
  tar xzmf "$archive" -C python/vendor
}

# rustpython-vm: patched.
VM=python/vendor/rustpython-vm-0.6.0
PATCH=python/patches/rustpython-vm-0.6.0.patch
stamp="$(sha256sum "$PATCH" | cut -d' ' -f1)"
if [ "$(cat "$VM/.patched" 2>/dev/null)" != "$stamp" ]; then
  fetch rustpython-vm 0.6.0 0f5e6290260601ddbba6cbe917df9d24725aa6664f61c5bdc1ba24db9c81f346
  git apply --directory="$VM" --unsafe-paths "$PATCH" 2>/dev/null || (cd "$VM" && git apply -p1 "$OLDPWD/$PATCH")
  echo "$stamp" > "$VM/.patched"
  echo "[python-deps] rustpython-vm 0.6.0 extracted and patched ($PATCH)"
fi

# rustpython-pylib: pruned.
PYLIB=python/vendor/rustpython-pylib-0.6.0
stamp="$(printf '%s\n' "${PYLIB_PRUNED[@]}" | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$PYLIB/.pruned" 2>/dev/null)" != "$stamp" ]; then
  fetch rustpython-pylib 0.6.0 1a90d294a244005c8ee19bb3c2ae6682fc72c3a5dae749b5fb603989b4ba5d65
  for path in "${PYLIB_PRUNED[@]}"; do rm -rf "${PYLIB:?}/Lib/$path"; done
  echo "$stamp" > "$PYLIB/.pruned"
  echo "[python-deps] rustpython-pylib 0.6.0 extracted, ${#PYLIB_PRUNED[@]} packages left out"
fi
