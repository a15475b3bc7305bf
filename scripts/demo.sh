#!/usr/bin/env bash
# Runs the secret chat demo: installs what is missing, builds the Wasm package and the
# relay, starts the relay and a static server on 127.0.0.1 and prints the URL to open in
# two tabs. Ctrl-C stops everything it started.
#   bash scripts/demo.sh [--port 8080] [--ws-port 9990]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "demo: building the relay and the Wasm package (the first build takes a few minutes)"
cargo build --locked --release -p fluence-relay --bin fluence-relay
bash scripts/build-pkg.sh
exec node scripts/demo.mjs "$@"
