#!/usr/bin/env bash
# Builds the npm package `fluence-client` into pkg/ (wasm-pack, web target, the size-optimised `wasm`
# profile of Cargo.toml) and prints its size
# (wasm + JS glue, raw and gzip -9).
#   bash scripts/build-pkg.sh
set -euo pipefail
cd "$(dirname "$0")/.."
wasm-pack build --profile wasm --target web --out-dir pkg --out-name fluence_client >/dev/null
# Export the FluenceError class (defined in js/errors.js, copied by wasm-bindgen into
# pkg/snippets/) from the bindings (index.js re-exports it); its type is declared in the
# generated .d.ts.
snippet=$(cd pkg && find snippets -name errors.js | head -n 1)
[ -n "$snippet" ] || { echo "build-pkg: js/errors.js snippet missing" >&2; exit 1; }
printf '\nexport { FluenceError } from "./%s";\n' "$snippet" >>pkg/fluence_client.js
# The package entry (index.js: Fluence, v5_callFunction, …), its README and package.json.
node scripts/package.mjs
# Debian's wasm-opt (binaryen 108) shrinks the module by ~15% but breaks wasm-bindgen's
# externref table ("WebAssembly.Table.grow(): failed to grow table"), so it is not run.
bash scripts/size.sh
