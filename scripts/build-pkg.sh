#!/usr/bin/env bash
# Builds the npm package into pkg/ (wasm-pack, web target, release) and prints its size
# (wasm + JS glue, raw and gzip -9).
#   bash scripts/build-pkg.sh
set -euo pipefail
cd "$(dirname "$0")/.."
wasm-pack build --release --target web --out-dir pkg --out-name fluence_client >/dev/null
# Debian's wasm-opt (binaryen 108) shrinks the module by ~15% but breaks wasm-bindgen's
# externref table ("WebAssembly.Table.grow(): failed to grow table"), so it is not run.
bash scripts/size.sh
