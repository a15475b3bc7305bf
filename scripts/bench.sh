#!/usr/bin/env bash
# fluence-client and the official @fluencelabs/js-client 0.9.0 side by side in headless Chromium
# against the local relay (tests/bench/bench.mjs): prints one table, writes BENCHMARKS.md and
# benchmarks.svg. Nothing is asserted on time.
#   bash scripts/bench.sh             3 cold loads of each client (~5 min), the per-crate size
#                                     table (builds target/pkg-names) and the CPU profile
#   bash scripts/bench.sh --loads 5   more loads
#   bash scripts/bench.sh --particles 100000 --clients ours
#                                     the memory phase: PSS before, after 100,000 more calls, and
#                                     after their TTL (one client only: printed, nothing written)
#   bash scripts/bench.sh --smoke     one short load each, written under tests/output/bench/
#                                     (the README test command runs this)
# Needs what scripts/setup.sh installs, pkg/ (scripts/build-pkg.sh) and the release relay.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f pkg/index.js ] || bash scripts/build-pkg.sh
[ -x target/release/fluence-relay ] || cargo build --release --locked -p fluence-relay
case " $* " in
  *" --smoke "*) ;;
  *) bash scripts/build-pkg-names.sh ;;
esac
# Node 24 from the npm registry (tests/package.json; the profile's DevTools client uses its
# global WebSocket).
exec tests/node_modules/node24/bin/node tests/bench/bench.mjs "$@"
