#!/usr/bin/env bash
# Runs a command with a fresh relay (the release binary) on a free loopback port; its
# multiaddr is in FLUENCE_TEST_RELAY, its pid in FLUENCE_TEST_RELAY_PID. The relay is stopped afterwards; its log is shown
# when the command fails.
#   bash scripts/with-relay.sh <command> [args…]
set -euo pipefail
cd "$(dirname "$0")/.."
relay_bin="${FLUENCE_RELAY_BIN:-target/release/fluence-relay}"
log="$(mktemp)"
coproc RELAY { exec "$relay_bin" --listen-ip 127.0.0.1 --ws-port 0 --log-level "${RELAY_LOG_LEVEL:-info}" 2>"$log"; }
relay_pid=$RELAY_PID
trap 'kill "$relay_pid" 2>/dev/null || true; wait "$relay_pid" 2>/dev/null || true; rm -f "$log"' EXIT
read -r -t 10 addr <&"${RELAY[0]}" || { echo "the relay printed no address" >&2; cat "$log" >&2; exit 1; }
status=0
FLUENCE_TEST_RELAY="$addr" FLUENCE_TEST_RELAY_PID="$relay_pid" "$@" || status=$?
if [ "$status" != 0 ]; then
  echo "--- relay log (last 50 lines) ---" >&2
  tail -n 50 "$log" >&2
fi
exit "$status"
