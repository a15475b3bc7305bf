#!/usr/bin/env bash
# Runs the demo. Today: the secret-chat flow on the core's in-memory network, in the
# terminal (the browser demo in www/ comes with the browser client).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo run --locked --release -p fluence-core --example chat
