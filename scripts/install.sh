#!/usr/bin/env bash
# Installs every tool the project needs, idempotently: a second run checks and skips.
# Called by scripts/serve.sh and scripts/test.sh; safe to run by hand.
#
# Cargo installs run from $HOME so this checkout's .cargo/config.toml (build-std) does not apply.
# Versions come from the project's own files where they can: the Rust toolchain from
# rust-toolchain.toml, wasm-bindgen-cli from Cargo.lock (it must equal the crate exactly),
# npm packages from package-lock.json. Nothing here downloads a browser: Chromium,
# chromedriver, Firefox ESR and WebKitGTK's driver come from Debian.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS

TRUNK_VERSION=0.22.1
WASM_PACK_VERSION=0.15.1

say() { printf '[install] %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }

# --- Debian packages -----------------------------------------------------------------
missing=()
dpkg -s chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s chromium-driver >/dev/null 2>&1 || missing+=(chromium-driver)
dpkg -s firefox-esr >/dev/null 2>&1 || missing+=(firefox-esr)
# WebKit, Safari's engine: WebKitGTK's own W3C WebDriver and MiniBrowser, headless on Xvfb.
dpkg -s webkit2gtk-driver >/dev/null 2>&1 || missing+=(webkit2gtk-driver)
dpkg -s xvfb >/dev/null 2>&1 || missing+=(xvfb)
# Chinese glyphs for the browsers (the tutorial and the interface in Chinese, in screenshots).
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
  say "apt-get install ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
else
  say "chromium, chromium-driver, firefox-esr, webkit2gtk-driver, xvfb, fonts-noto-cjk: present"
fi

# --- Rust toolchains -----------------------------------------------------------------
source scripts/env.sh
nightly=$PP_NIGHTLY
if ! rustup run "$nightly" rustc -V >/dev/null 2>&1; then
  say "rustup toolchain install $nightly"
  rustup toolchain install "$nightly" --profile minimal
fi
# Cheap when present; rust-toolchain.toml's components and targets are not auto-added
# because RUSTUP_AUTO_INSTALL=0 on these machines.
rustup component add rust-src --toolchain "$nightly" >/dev/null 2>&1
rustup target add wasm32-unknown-unknown --toolchain "$nightly" >/dev/null 2>&1
rustup component add rustfmt clippy --toolchain stable >/dev/null 2>&1 || true
# Clippy runs on the wasm build too (scripts/test.sh), with the pinned nightly.
rustup component add clippy --toolchain "$nightly" >/dev/null 2>&1
# So that a plain `cargo fmt` in the checkout (the pinned nightly) works too.
rustup component add rustfmt --toolchain "$nightly" >/dev/null 2>&1 || true
say "rust: stable $(rustc +stable -V | cut -d' ' -f2), $nightly with rust-src, rustfmt, clippy and wasm32"

# --- cargo-installed tools -------------------------------------------------------------
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print}' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | cut -d' ' -f2)" != "$bindgen_version" ]; then
  # Not --locked: wasm-bindgen-cli's own lockfile asks for a webpki-roots the registry lacks.
  say "cargo install wasm-bindgen-cli@$bindgen_version (several minutes)"
  (cd "$HOME" && cargo +stable install --force wasm-bindgen-cli --version "=$bindgen_version")
else
  say "wasm-bindgen-cli $bindgen_version: present"
fi

if [ "$(trunk --version 2>/dev/null | cut -d' ' -f2)" != "$TRUNK_VERSION" ]; then
  # trunk 0.22 needs a newer rustc than stable 1.95.
  say "cargo install trunk@$TRUNK_VERSION (about 15 minutes)"
  (cd "$HOME" && cargo "+$nightly" install --locked --force trunk --version "=$TRUNK_VERSION")
else
  say "trunk $TRUNK_VERSION: present"
fi

if [ "$(wasm-pack --version 2>/dev/null | cut -d' ' -f2)" != "$WASM_PACK_VERSION" ]; then
  say "cargo install wasm-pack@$WASM_PACK_VERSION (about 5 minutes)"
  (cd "$HOME" && cargo +stable install --locked --force wasm-pack --version "=$WASM_PACK_VERSION")
else
  say "wasm-pack $WASM_PACK_VERSION: present"
fi

# The native test runner: each test in a process of its own, with a deadline
# (.config/nextest.toml). The machines bring it; a machine without it gets it from crates.io.
if ! cargo nextest --version >/dev/null 2>&1; then
  say "cargo install cargo-nextest (several minutes)"
  (cd "$HOME" && cargo +stable install --locked cargo-nextest)
else
  say "cargo-nextest $(cargo nextest --version 2>/dev/null | head -1 | cut -d' ' -f2): present"
fi

# --- npm packages (playwright-core, puppeteer-core, binaryen's wasm-opt, esbuild, CodeMirror)
# Debian's wasm-opt (binaryen 108) cannot parse the threaded output; binaryen from npm can.
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.lock-sum 2>/dev/null)" != "$lock_sum" ]; then
  say "npm ci"
  PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > node_modules/.lock-sum
else
  say "node_modules: up to date"
fi

# --- the Python module's patched dependency (rustpython-vm, python/vendor) ------------
./scripts/python-deps.sh

say "done in $((SECONDS - started)) s"
