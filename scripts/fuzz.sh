#!/usr/bin/env bash
# Coverage-guided fuzzing (cargo fuzz / libFuzzer, AddressSanitizer) of every decoder:
# fuzz/fuzz_targets/*.rs. Stable Rust runs it with RUSTC_BOOTSTRAP=1 (no nightly here).
#
#   bash scripts/fuzz.sh --smoke        each target for a bounded time (default 20 s) on the
#                                       committed corpus (fuzz/corpus); new inputs go to a
#                                       scratch folder, the committed corpus is left as it is.
#                                       The README test command runs this.
#   bash scripts/fuzz.sh --long         each target for 1,000,000 executions (--runs N),
#                                       starting from the committed corpus and the generated
#                                       seeds; then the corpus is minimized back into
#                                       fuzz/corpus (cargo fuzz cmin). RELIABILITY.md's figures.
#   options: --seconds S (smoke), --runs N (long), --target T (one target only)
#
# Inputs that once crashed a target are kept in fuzz/regressions/<target>/ and given to every
# run of it, smoke and long, beside the corpus.
#
# Per target it prints one line: executions, coverage (edges, features), corpus size, peak
# RSS. Any crash, panic, hang (10 s per input), or allocation over 512 MB (malloc limit) is
# a failure: libFuzzer stops, the input is saved under fuzz/artifacts/<target>/, and this
# script exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=""
seconds=20
runs=1000000
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) mode=smoke ;;
    --long) mode=long ;;
    --seconds) seconds="$2"; shift ;;
    --runs) runs="$2"; shift ;;
    --target) only="$2"; shift ;;
    *) echo "fuzz.sh: unknown argument $1 (use --smoke or --long; see the header)" >&2; exit 2 ;;
  esac
  shift
done
[ -n "$mode" ] || { echo "fuzz.sh: say --smoke or --long" >&2; exit 2; }

export RUSTC_BOOTSTRAP=1
command -v cargo-fuzz >/dev/null 2>&1 || { echo "fuzz.sh: cargo-fuzz is missing: bash scripts/setup.sh installs it" >&2; exit 1; }

targets=$(sed -n 's/^name = "\(.*\)"$/\1/p' fuzz/Cargo.toml | grep -v '^fluence-fuzz$' | grep -v '^seeds$')
[ -z "$only" ] || targets="$only"

cargo fuzz build -O 2>&1 | grep -v '^ *Compiling' || true
test -x fuzz/target/x86_64-unknown-linux-gnu/release/frame || { echo "fuzz.sh: cargo fuzz build failed" >&2; exit 1; }

if [ "$mode" = long ]; then
  cargo run --quiet --locked --manifest-path fuzz/Cargo.toml --example seeds
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
flags=(-timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=512 -max_len=4096 -print_final_stats=1)
printf '%-14s %12s %8s %8s %8s %10s %8s\n' target executions exec/s edges features corpus rss_mb
for t in $targets; do
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t" "$scratch/$t"
  log="$scratch/$t.log"
  # fuzz/regressions/<target>/: inputs that once crashed a target, run every time.
  regressions=()
  [ ! -d "fuzz/regressions/$t" ] || regressions=("fuzz/regressions/$t")
  if [ "$mode" = smoke ]; then
    set -- "$scratch/$t" "fuzz/corpus/$t" "${regressions[@]}" -- "${flags[@]}" -max_total_time="$seconds"
  else
    set -- "$scratch/$t" "fuzz/corpus/$t" "${regressions[@]}" "fuzz/seeds/$t" -- "${flags[@]}" -runs="$runs"
  fi
  if ! cargo fuzz run -O "$t" "$@" >"$log" 2>&1; then
    tail -40 "$log" >&2
    echo "fuzz.sh: target $t FAILED; the input is in fuzz/artifacts/$t/" >&2
    exit 1
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log")
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1)
  edges=$(sed -n 's/.* cov: \([0-9]*\) .*/\1/p' <<<"$done_line")
  features=$(sed -n 's/.* ft: \([0-9]*\) .*/\1/p' <<<"$done_line")
  corpus=$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\) .*/\1/p' <<<"$done_line")
  printf '%-14s %12s %8s %8s %8s %10s %8s\n' "$t" "$execs" "$rate" "$edges" "$features" "$corpus" "$rss"
  if [ "$mode" = long ]; then
    # Everything found goes back, minimized, into the committed corpus.
    cp -n "$scratch/$t"/* "fuzz/corpus/$t"/ 2>/dev/null || true
    cp -n "fuzz/seeds/$t"/* "fuzz/corpus/$t"/ 2>/dev/null || true
    cargo fuzz cmin -O "$t" "fuzz/corpus/$t" -- -max_len=4096 >"$scratch/$t.cmin.log" 2>&1 \
      || { tail -20 "$scratch/$t.cmin.log" >&2; exit 1; }
    echo "  corpus minimized: $(ls "fuzz/corpus/$t" | wc -l) files in fuzz/corpus/$t"
  fi
done
echo "fuzz: every target ran with 0 crashes, 0 hangs, 0 allocations over the limit"
