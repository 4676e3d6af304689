# Sourced by the scripts: the tools the project installs, first on PATH.
# binaryen's wasm-opt from npm must shadow Debian's (too old for threaded wasm).
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
