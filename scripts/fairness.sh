#!/usr/bin/env bash
# Fairness under a flood: 20 normal clients (one particle in flight each) through a fresh
# relay, once alone and once beside a flooder (one client with 1,000 in flight, as fast as
# the relay takes them), alternately, `--rounds` times (default 1). Prints each run's p99 and
# the ratio with / without (target ≤ 2; a figure, not asserted: timings on a shared machine
# are noisy). Fails if any particle is lost or duplicated, or the flooder's calls fail.
# Build first: cargo build --release -p fluence-relay --bins --examples
#   bash scripts/fairness.sh [--rounds N] [--particles M]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=1
particles=200
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift ;;
    --particles) particles="$2"; shift ;;
    *) echo "fairness.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
p99() { sed -n 's/.* p99 \([0-9.]*\) ms.*/\1/p' <<<"$1"; }
alone=()
flooded=()
for _ in $(seq "$rounds"); do
  out=$(bash scripts/load.sh --clients 20 --particles "$particles" --in-flight 1)
  alone+=("$(p99 "$out")")
  out=$(bash scripts/load.sh --clients 20 --particles "$particles" --in-flight 1 --flooder)
  grep '^load: flooder' <<<"$out"
  if ! grep -q '^load: flooder.* 0 failed' <<<"$out"; then
    echo "fairness: FAILED: the flooder's calls failed (it must get backpressure, not errors)" >&2
    exit 1
  fi
  flooded+=("$(p99 "$out")")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
a=$(median "${alone[@]}")
f=$(median "${flooded[@]}")
ratio=$(awk -v a="$a" -v f="$f" 'BEGIN {printf "%.2f", f / a}')
echo "fairness: normal clients' p99 ${a} ms alone, ${f} ms beside the flooder (median of ${rounds}; runs: alone ${alone[*]}, flooded ${flooded[*]}): ratio ${ratio} (target <= 2)"
