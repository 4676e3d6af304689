#!/usr/bin/env bash
# The Python module's changed dependencies, made from the registry's crates (checked
# against their checksums) into python/vendor/, idempotently; python/Cargo.toml points
# `[patch.crates-io]` at them:
#
# - rustpython-vm 0.6.0, patched with python/patches/rustpython-vm-0.6.0.patch: an embedder's
#   hook at the bytecode safepoint (the simulated GIL's hand-over; nothing else in RustPython
#   runs our code every few instructions on wasm32), `Instant::now()` (which panics on
#   wasm32-unknown-unknown) kept out of the garbage collector's stop-the-world, a
#   `rerun-if-changed` on a file outside the crate removed (it rebuilt the crate every time),
#   and `types.FunctionType(code, globals, None)` as CPython's (cloudpickle rebuilds a child's
#   functions that way).
# - rustpython-ruff_python_parser 0.16.5, patched onto the Unicode tables rustpython-unicode
#   already brings (for `unicodedata`): unicode_names2 3 instead of 1 for a `\N{...}` escape's
#   name (the module held both versions' name tables, 0.8 MB each) and icu_normalizer instead
#   of unicode-normalization for an identifier's NFKC form (0.1 MB of tables).
# - rustpython-compiler-core 0.6.0, patched to freeze a module's bytecode as marshalled, not
#   lz4-compressed: gzip, as the module is served, makes less of lz4's output than of the
#   bytes themselves.
# - malachite-nz 0.12.0 (Python's integers), patched so that on wasm32 a big number times a
#   limb multiplies 32-bit halves inline instead of calling `__multi3` for a 128-bit product.
# - rustpython-pylib 0.6.0 (the frozen standard library), without the packages that cannot
#   run in a web worker (GUI, mail and HTTP servers, package installers, native
#   libraries the wasm build lacks): the module stays under its size budget (BENCHMARKS.md).
#   Importing one of them is a plain ModuleNotFoundError. Its `multiprocessing` is made the
#   playground's: CPython's pure-Python parts that work as they are (process.py, pool.py,
#   managers.py, context.py, util.py, dummy/...), with python/patches/multiprocessing.patch
#   (the default start method is fork; no subprocess), and ours for what lies on the OS
#   (python/lib/multiprocessing/: processes, pipes, queues, locks, shared values, over the
#   runtime's through the native `_pp_mp`); what needs an OS we do not have is left out
#   (forkserver, resource tracker, shared_memory, the mmap heap).
# - cloudpickle (PyPI, pinned by hash) beside it: how a child gets its parent's `__main__`
#   (functions, classes and lambdas by value), as a fork gives it; with
#   python/patches/cloudpickle.patch, which imports dataclasses, logging, typing, uuid and
#   platform only where they are used (they were 300 ms of each child's start in the browser).
# - Then the library is split (scripts/split-stdlib.py): the modules python/frozen-modules.txt
#   names stay in Lib/ (frozen into the module); the rest moves to python/vendor/pylib-lazy/,
#   which the site serves as python/lib/ and the module fetches at a first import.
set -euo pipefail
cd "$(dirname "$0")/.."

# What the pylib copy leaves out (paths under its Lib/).
PYLIB_PRUNED=(
  idlelib tkinter turtledemo turtle.py ensurepip venv pydoc_data
  email http xmlrpc wsgiref mailbox.py smtplib.py imaplib.py poplib.py ftplib.py
  socketserver.py webbrowser.py sqlite3 dbm ctypes
  multiprocessing/forkserver.py multiprocessing/popen_forkserver.py multiprocessing/popen_spawn_win32.py
  multiprocessing/resource_tracker.py multiprocessing/resource_sharer.py multiprocessing/shared_memory.py
  multiprocessing/heap.py
)
# Ours, over CPython's (python/lib/multiprocessing/), and our changes to CPython's own files.
MP_OURS=python/lib/multiprocessing
MP_PATCH=python/patches/multiprocessing.patch
CLOUDPICKLE_VERSION=3.1.2
CLOUDPICKLE_SHA=9acb47f6afd73f60dc1df93bb801b472f05ff42fa6c84167d25cb206be1fbf4a
# Its heavy imports made lazy: a child imports it to rebuild its parent's functions.
CLOUDPICKLE_PATCH=python/patches/cloudpickle.patch
# What stays frozen in the module; the rest of Lib/ moves to LAZY, fetched at first import.
FROZEN_LIST=python/frozen-modules.txt
LAZY=python/vendor/pylib-lazy

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

# apply DIR PATCH: a patch of ours (paths a/..., b/... relative to DIR), checked to apply.
apply() {
  git apply --directory="$1" --unsafe-paths "$2" 2>/dev/null || (cd "$1" && git apply -p1 "$OLDPWD/$2")
}

# patched NAME VERSION SHA256: the crate extracted and python/patches/NAME-VERSION.patch
# applied, again only when the patch changed.
patched() {
  local dir="python/vendor/$1-$2" patch="python/patches/$1-$2.patch" stamp
  stamp="$(sha256sum "$patch" | cut -d' ' -f1)"
  if [ "$(cat "$dir/.patched" 2>/dev/null)" != "$stamp" ]; then
    fetch "$1" "$2" "$3"
    apply "$dir" "$patch"
    echo "$stamp" > "$dir/.patched"
    echo "[python-deps] $1 $2 extracted and patched ($patch)"
  fi
}
patched rustpython-vm 0.6.0 0f5e6290260601ddbba6cbe917df9d24725aa6664f61c5bdc1ba24db9c81f346
patched rustpython-ruff_python_parser 0.16.5 480eec9ac4dda77b6724f0c9a54a81d3c57868d6a707c3d7c5133fd83c933f66
patched rustpython-compiler-core 0.6.0 eb32abe513ebec41ece35d8865fed562f1d262525a085593f927863729c1e863
patched malachite-nz 0.12.0 ec0b3ad1a8d2a722fbfad2e1fc7c5044f7ab38e027240cfbcb086a62ca95c9c2

# cloudpickle's wheel, from PyPI (or pip's cache), checked.
cloudpickle_wheel() {
  local wheel="python/vendor/cloudpickle-$CLOUDPICKLE_VERSION-py3-none-any.whl"
  if [ "$(sha256sum "$wheel" 2>/dev/null | cut -d' ' -f1)" != "$CLOUDPICKLE_SHA" ]; then
    python3 -m pip download --quiet --no-deps --only-binary=:all: -d python/vendor "cloudpickle==$CLOUDPICKLE_VERSION"
    echo "$CLOUDPICKLE_SHA  $wheel" | sha256sum -c --quiet -
  fi
  echo "$wheel"
}

# rustpython-pylib: pruned, its multiprocessing ours, cloudpickle beside it.
PYLIB=python/vendor/rustpython-pylib-0.6.0
stamp="$( (printf '%s\n' "${PYLIB_PRUNED[@]}" "$CLOUDPICKLE_VERSION"; cat "$MP_PATCH" "$CLOUDPICKLE_PATCH" "$MP_OURS"/*.py "$FROZEN_LIST" scripts/split-stdlib.py) | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$PYLIB/.pruned" 2>/dev/null)" != "$stamp" ] || [ ! -f "$LAZY/index.txt" ]; then
  fetch rustpython-pylib 0.6.0 1a90d294a244005c8ee19bb3c2ae6682fc72c3a5dae749b5fb603989b4ba5d65
  for path in "${PYLIB_PRUNED[@]}"; do rm -rf "${PYLIB:?}/Lib/$path"; done
  cp "$MP_OURS"/*.py "$PYLIB/Lib/multiprocessing/"
  apply "$PYLIB/Lib" "$MP_PATCH"
  wheel=$(cloudpickle_wheel)
  rm -rf "$PYLIB/Lib/cloudpickle"
  python3 -c "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); [z.extract(n, sys.argv[2]) for n in z.namelist() if n.startswith('cloudpickle/')]" "$wheel" "$PYLIB/Lib"
  apply "$PYLIB/Lib" "$CLOUDPICKLE_PATCH"
  touch "$PYLIB"/Lib/cloudpickle/*.py "$PYLIB"/Lib/multiprocessing/*.py
  python3 scripts/split-stdlib.py "$PYLIB/Lib" "$LAZY" "$FROZEN_LIST"
  echo "$stamp" > "$PYLIB/.pruned"
  echo "[python-deps] rustpython-pylib 0.6.0 extracted, ${#PYLIB_PRUNED[@]} paths left out, multiprocessing ours, cloudpickle $CLOUDPICKLE_VERSION"
fi
