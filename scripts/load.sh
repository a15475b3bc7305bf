#!/usr/bin/env bash
# Runs the load generator against the release relay binary on a free loopback port.
# Build first: cargo build --release -p fluence-relay --bins --examples
#   bash scripts/load.sh [--clients N] [--particles M] [--in-flight K]
set -euo pipefail
cd "$(dirname "$0")/.."
RELAY_LOG_LEVEL=warn exec bash scripts/with-relay.sh bash -c 'timeout 300 target/release/examples/load --relay "$FLUENCE_TEST_RELAY" "$@"' load "$@"
