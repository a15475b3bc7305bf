//! # fluence-client
//!
//! The browser-facing crate: a thin `wasm-bindgen` layer over [`fluence_core`]. It
//! converts types and errors and will own the browser transport (libp2p over
//! WebSocket); everything else lives in the sans-IO core, tested natively.
//!
//! Status: the JS API (`FluenceClient`, `KeyPair`, `FluenceError`) is built in the
//! browser-client issue; today this crate exports only version information.

use wasm_bindgen::prelude::*;

/// The version of the AquaVM interpreter linked in (`0.63.0`).
#[wasm_bindgen(js_name = interpreterVersion)]
pub fn interpreter_version() -> String {
    fluence_core::avm::interpreter_version()
}

/// This package's version.
#[wasm_bindgen(js_name = version)]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn versions() {
        assert_eq!(super::interpreter_version(), "0.63.0");
        assert!(!super::version().is_empty());
    }
}
