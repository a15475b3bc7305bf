#!/usr/bin/env bash
# Builds the npm package `fluence-client` into pkg/ (wasm-pack, web target, the size-optimised `wasm`
# profile of Cargo.toml) and prints its size
# (wasm + JS glue, raw and gzip -9).
#   bash scripts/build-pkg.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/wasm-flags.sh
# From an empty folder: no module of an earlier layout stays behind to be served or imported.
rm -rf pkg
wasm-pack build --profile wasm --target web --out-dir pkg --out-name fluence_client >/dev/null
# binaryen's wasm-opt from the npm registry (tests/package.json; Debian's binaryen 108 breaks
# wasm-bindgen's externref table). -O1: -13 KB gzip; -O2, -O3, -Os and -Oz make the module
# smaller raw but larger after gzip (+40-50 KB), which is what a browser downloads.
wasm_opt=tests/node_modules/binaryen/bin/wasm-opt
[ -x "$wasm_opt" ] || { echo "build-pkg: $wasm_opt missing; run scripts/setup.sh" >&2; exit 1; }
"$wasm_opt" -O1 --enable-bulk-memory --enable-bulk-memory-opt --enable-reference-types \
  --enable-nontrapping-float-to-int --enable-sign-ext --enable-multivalue --enable-mutable-globals \
  pkg/fluence_client_bg.wasm -o pkg/fluence_client_bg.wasm
# Export the FluenceError class (defined in js/errors.js, copied by wasm-bindgen into
# pkg/snippets/) from the bindings (index.js re-exports it); its type is declared in the
# generated .d.ts.
snippet=$(cd pkg && find snippets -name errors.js | head -n 1)
[ -n "$snippet" ] || { echo "build-pkg: js/errors.js snippet missing" >&2; exit 1; }
printf '\nexport { FluenceError } from "./%s";\n' "$snippet" >>pkg/fluence_client.js
# The package entry (index.js: Fluence, v5_callFunction, …; bundled, as are the bindings with
# the snippet and worker.js), its README and package.json.
node scripts/package.mjs
bash scripts/size.sh
