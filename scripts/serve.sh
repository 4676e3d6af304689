#!/usr/bin/env bash
# Installs whatever is missing, builds the playground (release) and serves it on
# http://127.0.0.1:${PORT:-8080}/ with the cross-origin isolation headers (Trunk.toml).
# Trunk rebuilds and reloads the page when a source file changes.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install.sh
source scripts/env.sh
exec trunk serve --release --offline --address 127.0.0.1 --port "${PORT:-8080}"
