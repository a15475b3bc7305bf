#!/usr/bin/env bash
# Fails if frame I/O or engine runs appear outside the one place that owns them:
#   read_frame / write_frame: crates/net/src/wire.rs (defined) and protocol.rs (the
#     connection handler, the only caller);
#   Engine::process: crates/net/src/driver.rs (the one driver loop). The core's own
#     in-memory network tests (crates/core/tests, benches) drive the sans-IO engine
#     directly and are not hosts, so they are not checked.
#   bash scripts/check-ownership.sh
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
frames=$(git ls-files -co --exclude-standard '*.rs' \
  | grep -v -e '^crates/net/src/wire.rs$' -e '^crates/net/src/protocol.rs$' \
  | xargs grep -nE '\b(read_frame|write_frame)\b' || true)
if [ -n "$frames" ]; then
  echo "frame I/O outside crates/net's connection handler:" >&2
  echo "$frames" >&2
  status=1
fi
runs=$(git ls-files -co --exclude-standard '*.rs' \
  | grep -v -e '^crates/net/src/driver.rs$' -e '^crates/core/' \
  | xargs grep -nE '\.process\(' || true)
if [ -n "$runs" ]; then
  echo "Engine::process outside the driver loop (crates/net/src/driver.rs):" >&2
  echo "$runs" >&2
  status=1
fi
[ "$status" = 0 ] && echo "ownership: frame I/O only in the connection handler, engine runs only in the driver loop"
exit "$status"
