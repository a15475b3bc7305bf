#!/usr/bin/env bash
# Installs what the build and the tests need, where it is missing. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

have() { command -v "$1" >/dev/null 2>&1; }
apt_install() {
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
  else
    echo "missing: $* (install them with apt-get, or run as root)" >&2
    exit 1
  fi
}

have cargo || { echo "cargo (Rust) is required: https://rustup.rs" >&2; exit 1; }
rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
if ! have node || ! have npm; then apt_install nodejs npm; fi
# Headless browser tests: Debian's Chromium and its driver.
if ! have chromium || ! have chromedriver; then apt_install chromium chromium-driver; fi

# wasm-bindgen-cli must be exactly the wasm-bindgen version in Cargo.lock.
wb_version=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $wb_version"; then
  cargo install --locked --quiet wasm-bindgen-cli --version "$wb_version"
fi
have wasm-pack || cargo install --locked --quiet wasm-pack
# Coverage-guided fuzzing (scripts/fuzz.sh), on stable Rust with RUSTC_BOOTSTRAP=1.
have cargo-fuzz || cargo install --locked --quiet cargo-fuzz --version 0.13.2

# Node tooling for the tests (the Aqua compiler), pinned by tests/package-lock.json.
if [ ! -d tests/node_modules ] || [ tests/package-lock.json -nt tests/node_modules ]; then
  npm --prefix tests ci --no-audit --no-fund --loglevel=error
fi
