#!/usr/bin/env bash
# Builds the package as scripts/build-pkg.sh does (the `wasm` profile) but with the wasm's
# function names kept, into target/pkg-names/: for the benchmark's per-crate size table and
# its CPU profile (tests/bench/), never shipped. Its own target dir (target/names) keeps the
# release build's cache intact.
#   bash scripts/build-pkg-names.sh
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f pkg/index.js ] || { echo "build-pkg-names: pkg/ missing; run scripts/build-pkg.sh" >&2; exit 1; }
source scripts/wasm-flags.sh
CARGO_PROFILE_WASM_STRIP=false CARGO_TARGET_DIR=target/names \
  cargo build --locked --profile wasm --target wasm32-unknown-unknown -p fluence-client
out=target/pkg-names
rm -rf "$out"
wasm-bindgen --target web --out-dir "$out" --out-name fluence_client \
  target/names/wasm32-unknown-unknown/wasm/fluence_client.wasm
snippet=$(cd "$out" && find snippets -name errors.js | head -n 1)
[ -n "$snippet" ] || { echo "build-pkg-names: js/errors.js snippet missing" >&2; exit 1; }
printf '\nexport { FluenceError } from "./%s";\n' "$snippet" >>"$out/fluence_client.js"
# The package's own modules, as scripts/package.mjs copies them into pkg/.
for f in pkg/*.js; do
  case "$(basename "$f")" in fluence_client.js | wasm-inline.js) ;; *) cp "$f" "$out/" ;; esac
done
echo "build-pkg-names: $out/fluence_client_bg.wasm ($(wc -c <"$out/fluence_client_bg.wasm") B, names kept)"
