# Sourced by the scripts: the tools the project installs, first on PATH.
# binaryen's wasm-opt from npm must shadow Debian's (too old for threaded wasm).
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# `cargo "$@"` in python/, linted as it builds (scripts/test.sh): clippy's driver compiles the
# module's own crate (RUSTC_WORKSPACE_WRAPPER; RustPython and the runtime's crates, which are
# not the command's package, get no lints), with clippy's arguments in CLIPPY_ARGS, the
# variable through which `cargo clippy` itself hands `-- -D warnings` to the driver. A build
# that is also the lint: RustPython's tree is compiled once, not checked again on the side.
python_cargo_linted() {
  (cd python && RUSTC_WORKSPACE_WRAPPER="$(rustup which clippy-driver)" \
    CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__" cargo "$@")
}
