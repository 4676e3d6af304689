#!/usr/bin/env bash
# Installs whatever is missing, then runs every test: format (Rust and JavaScript), the
# JavaScript's lint and types, the crates' shape (no module cycles, the browser only in the
# platform and web crates and ui), lint (clippy, native and wasm), native
# (cargo test on std threads; the Python module's tests run Python programs, the tutorial's
# and CPython's lock and queue tests, through the same harness), browser (wasm-pack test in
# headless Chromium, real web workers on shared memory) and end to end (the built site, the
# Python module in it, in Chromium, Firefox ESR and WebKitGTK). Prints how long each took.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
step() { printf '\n== %s\n' "$*"; }
timings=()
timed() {
  local name=$1; shift
  local t0=$SECONDS
  "$@"
  timings+=("$(printf '%-28s %4d s' "$name" $((SECONDS - t0)))")
}

step "install"
timed install ./scripts/install.sh
source scripts/env.sh

step "format (cargo fmt --check)"
timed format cargo +stable fmt --all -- --check
timed format-python bash -c 'cd python && cargo +stable fmt -- --check'

step "JavaScript: format, lint, types (Prettier, ESLint, TypeScript over JSDoc)"
timed format-js npm run --silent format:js
timed lint-js npm run --silent lint:js
timed types-js npm run --silent typecheck:js

step "shape (node scripts/check-structure.mjs: no module cycles in any crate, the browser only where it belongs)"
timed shape node scripts/check-structure.mjs

step "lint (cargo clippy --all-targets natively, warnings are errors; for wasm, as it builds)"
timed lint-native cargo +stable clippy --workspace --all-targets --quiet -- -D warnings
# For wasm, the workspace is linted as it is built, below: the browser tests' build (every test
# target, and the crates under them) and the site's (the page as it ships) run clippy's driver
# as the workspace's compiler (with_clippy_as_rustc, scripts/env.sh). A check pass of its own
# (`cargo clippy --target wasm32-unknown-unknown --all-targets`) took 102 s of a clean run,
# mostly checking yew and web-sys once more. The Python module (python/, a workspace of its
# own) likewise: its native tests' build and its wasm build (in `trunk build`) are its two
# clippy passes (python_cargo_linted); two check passes over all of RustPython took minutes.
export PP_LINT_PYTHON=1

step "docs (cargo doc: every intra-doc link resolves)"
timed docs env RUSTDOCFLAGS="-D rustdoc::broken_intra_doc_links -D rustdoc::private_intra_doc_links" \
  cargo +stable doc --workspace --no-deps --quiet

step "native tests (cargo nextest: each test in a process of its own, with a deadline)"
# .config/nextest.toml: a test still running after 60 s is killed; a thread that panics where
# nobody expects it ends its test's process at once.
timed native cargo +stable nextest run --workspace --cargo-quiet --status-level fail
timed native-doc cargo +stable test --workspace --doc --quiet
# Natively, without rebuilding std (python_native_cargo_linted, scripts/env.sh); the tests built
# optimized but in 16 codegen units, not the wasm build's one (python/Cargo.toml's native-test
# profile: a clean build took 5m48s, against 9m58s with the release profile of then, whose fat
# LTO the test binaries got, 2 cores, 2026-12-05; the
# README's Tests section has the latest clean run). Linted as it builds.
timed native-python python_native_cargo_linted nextest run --manifest-path "$PWD/python/Cargo.toml" \
  --cargo-profile native-test --config-file "$PWD/.config/nextest.toml" --cargo-quiet --status-level fail

step "browser tests (wasm-pack test, headless Chromium)"
# The runner's timeout covers the whole browser suite.
export WASM_BINDGEN_TEST_TIMEOUT=600
timed browser with_clippy_as_rustc wasm-pack test --headless --chrome --chromedriver /usr/bin/chromedriver

step "build (trunk build --release)"
timed build with_clippy_as_rustc trunk build --release --offline

# One suite, three engines, each timed apart (the README's browser table says what each runs;
# drivers.test.mjs holds all three drivers to one contract).
step "end-to-end tests: Chromium (Playwright)"
mapfile -t chromium_tests < <(ls tests/e2e/*.test.mjs | grep -v -e firefox.test -e webkit.test)
timed e2e-chromium node --test "${chromium_tests[@]}"
step "end-to-end tests: Firefox ESR (Puppeteer, WebDriver BiDi)"
timed e2e-firefox node --test tests/e2e/firefox.test.mjs
step "end-to-end tests: WebKitGTK (WebDriver, on Xvfb)"
timed e2e-webkit node --test tests/e2e/webkit.test.mjs

step "done"
printf '%s\n' "${timings[@]}"
printf '%-28s %4d s\n' total $((SECONDS - started))
