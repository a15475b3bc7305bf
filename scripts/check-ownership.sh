#!/usr/bin/env bash
# Fails if frame I/O or engine runs appear outside the one place that owns them:
#   read_frame / write_frame: crates/net/src/wire.rs (defined) and protocol.rs (the
#     connection handler, the only caller; fuzz/fuzz_targets/frame.rs fuzzes read_frame and
#     is not a host);
#   Engine::process: crates/net/src/driver.rs (the one driver loop). The core's own
#     in-memory network tests (crates/core/tests, benches) drive the sans-IO engine
#     directly and are not hosts, so they are not checked.
#   bash scripts/check-ownership.sh
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
# forbid <what> <regex> <allowed path regex...>: fails when a tracked or new .rs file
# outside the allowed ones matches.
forbid() {
  local what=$1 regex=$2
  shift 2
  local allowed=()
  for a in "$@"; do allowed+=(-e "$a"); done
  local found
  found=$(git ls-files -co --exclude-standard '*.rs' | grep -v "${allowed[@]}" | xargs grep -nE "$regex" || true)
  if [ -n "$found" ]; then
    echo "$what:" >&2
    echo "$found" >&2
    status=1
  fi
}
forbid "frame I/O outside crates/net's connection handler" '\b(read_frame|write_frame)\b' \
  '^crates/net/src/wire.rs$' '^crates/net/src/protocol.rs$' '^fuzz/fuzz_targets/frame.rs$'
forbid "Engine::process outside the driver loop (crates/net/src/driver.rs)" '\.process\(' \
  '^crates/net/src/driver.rs$' '^crates/core/'
[ "$status" = 0 ] && echo "ownership: frame I/O only in the connection handler, engine runs only in the driver loop"
exit "$status"
