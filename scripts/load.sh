#!/usr/bin/env bash
# Starts the release relay binary on a free loopback port, runs the load generator
# against it with the given arguments, stops the relay. Build first:
#   cargo build --release -p fluence-relay --bins --examples
set -euo pipefail
cd "$(dirname "$0")/.."
relay_bin="${FLUENCE_RELAY_BIN:-target/release/fluence-relay}"
log="$(mktemp)"
coproc RELAY { exec "$relay_bin" --listen-ip 127.0.0.1 --ws-port 0 --log-level warn 2>"$log"; }
relay_pid=$RELAY_PID
trap 'kill "$relay_pid" 2>/dev/null || true; wait "$relay_pid" 2>/dev/null || true; rm -f "$log"' EXIT
read -r -t 10 addr <&"${RELAY[0]}" || { echo "the relay printed no address" >&2; cat "$log" >&2; exit 1; }
status=0
timeout 300 target/release/examples/load --relay "$addr" "$@" || status=$?
if [ "$status" != 0 ]; then
  echo "--- relay log (warnings) ---" >&2
  tail -n 50 "$log" >&2
fi
exit "$status"
