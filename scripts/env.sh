# Sourced by the scripts: the tools the project installs, first on PATH.
# binaryen's wasm-opt from npm must shadow Debian's (too old for threaded wasm).
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# The pinned nightly (rust-toolchain.toml), for commands that run outside this checkout.
PP_NIGHTLY=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)

# Runs "$@" with clippy's driver as the compiler of the workspace's own crates
# (RUSTC_WORKSPACE_WRAPPER: in the root workspace the page's crates; in python/, a workspace of
# its own, the module's crate alone, RustPython and the runtime's crates getting no lints there),
# with clippy's arguments in CLIPPY_ARGS, the variable through which `cargo clippy` itself
# hands `-- -D warnings` to the driver. A build that is also the lint: the code is compiled
# once, not checked again on the side.
with_clippy_as_rustc() {
  env RUSTC_WORKSPACE_WRAPPER="$(rustup which --toolchain "$PP_NIGHTLY" clippy-driver)" \
    CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__" "$@"
}

# `cargo "$@"` in python/, linted as it builds (scripts/test.sh, scripts/build-extras.sh).
python_cargo_linted() {
  (cd python && with_clippy_as_rustc cargo "$@")
}

# The same for the module's native build (its tests; the caller passes --manifest-path), run
# from `/`: cargo reads .cargo/config.toml from the directory it runs in, and this checkout's
# rebuilds std (build-std, which wasm32's atomics need), natively a minute for nothing;
# `--config 'unstable.build-std=[]'` cannot take it away, as cargo joins lists. rustup too
# picks the toolchain by directory, so it is named.
python_native_cargo_linted() {
  (cd / && with_clippy_as_rustc cargo "+$PP_NIGHTLY" "$@")
}
