#!/usr/bin/env bash
# Runs every test of fluence-client. Works on a fresh machine: installs what it needs.
#   bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

step() { printf '\n=== %s\n' "$*"; }

step "prerequisites"
bash scripts/setup.sh

step "format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo clippy --locked --target wasm32-unknown-unknown -p fluence-client --all-targets -- -D warnings
bash scripts/check-ownership.sh

step "Aqua: the checked-in AIR and the demo's compiled chat protocol equal the compiler's output"
node tests/compile-aqua.mjs --check
node tests/compile-www-aqua.mjs --check

step "unit and in-memory network tests (native)"
cargo test --workspace --locked
# The vendored AquaVM crate with tests of our own (its memos, vendor/PATCHES.md).
cargo test --locked -p air-interpreter-signatures

step "the core and the wasm crate build for wasm32-unknown-unknown"
cargo check --locked --target wasm32-unknown-unknown -p fluence-core -p fluence-net -p fluence-client

step "release build of the relay and the load generator"
cargo build --release --locked -p fluence-relay --bins --examples
export FLUENCE_RELAY_BIN="$PWD/target/release/fluence-relay"

step "interop: the official @fluencelabs/js-client 0.9.0 against our relay"
node --test tests/relay/*.test.mjs

step "browser client in headless Chromium against the relay (wasm-pack test)"
bash scripts/with-relay.sh env CHROMEDRIVER="$(command -v chromedriver)" wasm-pack test --headless --chrome

step "the npm package (pkg/, web target, release) and its size (figures printed)"
bash scripts/build-pkg.sh

step "the package in Node.js (installed from npm pack): Node 24 and 22 from the npm registry, the machine's Node 20 without WebSocket; interop with Node, browser and js-client peers, a relay restart, the process exits after disconnect(), the Aqua-compiled scenario"
tests/node_modules/node24/bin/node --test tests/node/*.test.mjs

step "browser client from pkg/ in Chromium via Playwright: API surface, reconnect after a relay restart, interop with js-client both ways, state listeners, the client in Web Workers (an app's own, and the page-side proxy), hardening (a clock minutes off: CLOCK_SKEW; failing handlers; the relay SIGKILLed with 100 calls in flight; a hostile relay: bad frames, forged particles, reused ids, particles attacking AquaVM, stream floods)"
node --test tests/browser/*.test.mjs

step "browser benchmark: connect times; 300 calls in flight on the main thread and through the worker proxy (figures printed; nothing is asserted about time)"
node tests/browser/bench.mjs

step "benchmark side by side with the official js-client 0.9.0, smoke mode (scripts/bench.sh --smoke: one short cold load each in Chromium without DevTools, the table, BENCHMARKS.md and plot written under tests/output/bench/, a CPU profile; figures printed, nothing is asserted about time)"
bash scripts/bench.sh --smoke

step "Aqua-compiled code (aqua-api + aqua-to-js, compiled now) on js-client 0.9.0 and on fluence-client (plain page, Vite 7 build and dev server, each also through the worker proxy): same results; typed errors"
node --test tests/aqua-compat/*.test.mjs

step "an app written for js-client's API (relay lists, KeyPair and ./keypair, callAquaFunction, registerService, createClient; not compiled Aqua) on js-client 0.9.0 (Node) and on fluence-client (Chromium, import map alias): same results; signatures verified both ways"
node --test tests/js-client-app/*.test.mjs

step "bundlers with zero config, each app installing the npm pack tarball, one callAir through the relay in Chromium: Vite 8/7 (build + dev) and 6 (dev), webpack 5, esbuild (ESM, IIFE), Rollup, Next.js 16 (Turbopack, webpack); tsc --strict; publint; arethetypeswrong"
node --test tests/bundlers/*.test.mjs

step "the secret chat demo (www/): two pages chat through the demo's relay, delivery marks, an offline peer, Ctrl-C, a relay restart (screenshots: tests/output/demo/)"
node --test tests/demo/*.test.mjs

step "TypeScript: the package's types describe the API, aqua-to-js's TypeScript output and js-client's types as apps use them (tsc --strict)"
tests/node_modules/.bin/tsc -p tests/browser/tsconfig.json
tests/node_modules/.bin/tsc -p tests/aqua-compat/tsconfig.json
tests/node_modules/.bin/tsc -p tests/js-client-app/tsconfig.json

step "faults: 1,000 calls from the package in Node 24 through a proxy that cuts the connection at random points (every promise settles once, none pending after TTL + 1 s, heap back to its baseline); a relay that stops answering (ping notices, re-dial)"
tests/node_modules/node24/bin/node --expose-gc --test tests/faults/*.test.mjs

step "fuzzing, bounded: every cargo fuzz target for 20 s on the committed corpus and the inputs that once crashed it (scripts/fuzz.sh --smoke; the 1,000,000-execution runs: RELIABILITY.md)"
bash scripts/fuzz.sh --smoke --seconds 20

step "load: native clients through the relay binary on loopback, relay RSS at start, peak and end (figures printed; 0 lost, 0 duplicated asserted; 200 x 1,000: RELIABILITY.md)"
bash scripts/load.sh --clients 20 --particles 200 --in-flight 8
bash scripts/load.sh --clients 50 --particles 100 --in-flight 10 --total-in-flight 500

step "fairness: 20 normal clients alone and beside a flooder with 1,000 in flight (p99 ratio printed, target <= 2, not asserted; 0 lost, 0 duplicated and the flooder's calls answered asserted)"
bash scripts/fairness.sh --rounds 1

step "benchmark (prints figures; nothing is asserted about time)"
cargo bench --locked -p fluence-core --bench core -- --rounds 1000

step "all tests passed"
