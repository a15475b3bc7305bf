# Sourced by scripts/build-pkg.sh and scripts/build-pkg-names.sh: the rustc flags of the
# package's Wasm. Panic and error messages name the source file of the crate they come from,
# and each such path began with the registry folder of this machine
# (~/.cargo/registry/src/index.crates.io-<hash>/: 270 of them, ~3 KB gzip); it is cut, so a
# path reads `libp2p-core-0.44.0/src/upgrade/apply.rs` and the package is the same wherever
# it is built.
for registry in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
  [ -d "$registry" ] || continue
  RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }--remap-path-prefix=$registry="
done
export RUSTFLAGS="${RUSTFLAGS:-}"
