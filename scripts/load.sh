#!/usr/bin/env bash
# Runs the load generator against the release relay binary on a free loopback port.
# Build first: cargo build --release -p fluence-relay --bins --examples
#   bash scripts/load.sh [--clients N] [--particles M] [--in-flight K] [--total-in-flight T] [--flooder]
# The relay's RSS is printed at start, peak and end.
set -euo pipefail
cd "$(dirname "$0")/.."
RELAY_LOG_LEVEL=warn exec bash scripts/with-relay.sh bash -c 'timeout 600 target/release/examples/load --relay "$FLUENCE_TEST_RELAY" --relay-pid "$FLUENCE_TEST_RELAY_PID" "$@"' load "$@"
