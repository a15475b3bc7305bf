#!/usr/bin/env bash
# Prints the release package size: wasm + the JS a page loads (bindings, entry), raw and gzip -9 (a browser downloads
# the gzip figure). Budget 860 KB gzip (first set at the reached 866 KB + ~1.6%; 879 KB since js-client's whole surface is in;
# 885 KB since the hardening of issue 13: the clock check, the future-stamp drop, the streaming frame read,
# the stream eviction, the ping check, the fair queue); 870 KB since issue 12 (reached 860 KB: AquaVM's
# fluence-keypair vendored without secp256k1 and RSA on wasm32, registry paths remapped); 860 KB
# with the package's JS bundled into two modules (reached 853.9 KB),
# goal 600 KB; the official client makes a browser
# download 3,077,757 B gzip before its first particle. Exits 1 when over the budget.
set -euo pipefail
cd "$(dirname "$0")/.."
total_raw=0
total_gz=0
# A page without a bundler loads these three: index.js (core.js, the worker proxy, its protocol
# module, vite.js and compat.js with the relay lists bundled in by scripts/package.mjs; a bundler
# drops the parts of js-client's surface an app does not import) and the bindings (the error
# snippet bundled in).
for f in pkg/fluence_client_bg.wasm pkg/fluence_client.js pkg/index.js; do
  [ -f "$f" ] || { echo "size: $f missing; run scripts/build-pkg.sh" >&2; exit 1; }
  raw=$(wc -c <"$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  printf 'size: %-60s %9d B raw %9d B gzip -9\n' "$f" "$raw" "$gz"
  total_raw=$((total_raw + raw))
  total_gz=$((total_gz + gz))
done
printf 'size: %-60s %9d B raw %9d B gzip -9\n' "total" "$total_raw" "$total_gz"
budget=860000
verdict="within"
[ "$total_gz" -le "$budget" ] || verdict="OVER"
printf 'size: budget %d B gzip: %s (goal 600000 B; js-client: 3077757 B)\n' "$budget" "$verdict"
# A size is not a timing: going over the budget fails the build.
[ "$verdict" = within ]
