//! # fluence-client
//!
//! The browser-facing crate: a thin `wasm-bindgen` layer over [`fluence_core`]. It
//! converts types and errors and owns the browser transport (rust-libp2p over
//! `websocket-websys`, noise, yamux, identify, ping); everything else lives in the
//! sans-IO core, tested natively.
//!
//! JS API: `KeyPair`, `FluenceClient` (browser only) and errors carrying `code` and
//! `particleId` (see `error`).

use wasm_bindgen::prelude::*;

#[cfg(target_arch = "wasm32")]
mod client;
mod convert;
mod error;

#[cfg(target_arch = "wasm32")]
pub use client::FluenceClient;
pub use error::{make_error, ErrorCode};

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

/// An Ed25519 key pair: the peer's identity. There is no getter for the secret.
#[wasm_bindgen]
#[derive(Clone)]
pub struct KeyPair {
    inner: fluence_core::KeyPair,
}

#[wasm_bindgen]
impl KeyPair {
    /// A random key pair.
    pub fn random() -> Result<KeyPair, JsValue> {
        fluence_core::KeyPair::random()
            .map(|inner| KeyPair { inner })
            .map_err(|e| make_error(ErrorCode::InvalidArgument, &e.to_string(), None))
    }

    /// The key pair of a 32-byte Ed25519 seed.
    #[wasm_bindgen(js_name = fromSeed)]
    pub fn from_seed(seed: &[u8]) -> Result<KeyPair, JsValue> {
        fluence_core::KeyPair::from_seed_slice(seed)
            .map(|inner| KeyPair { inner })
            .map_err(|e| make_error(ErrorCode::InvalidArgument, &e.to_string(), None))
    }

    /// The key pair of a base64-encoded 32-byte seed.
    #[wasm_bindgen(js_name = fromBase64Sk)]
    pub fn from_base64_sk(sk: &str) -> Result<KeyPair, JsValue> {
        fluence_core::KeyPair::from_base64_sk(sk)
            .map(|inner| KeyPair { inner })
            .map_err(|e| make_error(ErrorCode::InvalidArgument, &e.to_string(), None))
    }

    /// The key pair of a base58-encoded 32-byte seed.
    #[wasm_bindgen(js_name = fromBase58Sk)]
    pub fn from_base58_sk(sk: &str) -> Result<KeyPair, JsValue> {
        fluence_core::KeyPair::from_base58_sk(sk)
            .map(|inner| KeyPair { inner })
            .map_err(|e| make_error(ErrorCode::InvalidArgument, &e.to_string(), None))
    }

    /// The PeerId, `12D3KooW…`.
    #[wasm_bindgen(getter, js_name = peerId)]
    pub fn peer_id(&self) -> String {
        self.inner.peer_id().to_string()
    }
}

impl KeyPair {
    /// The core key.
    pub fn core(&self) -> &fluence_core::KeyPair {
        &self.inner
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(interpreter_version(), "0.63.0");
        assert!(!version().is_empty());
    }

    #[test]
    fn key_pairs() {
        let k = KeyPair::from_base64_sk("7h48PQ/f1rS9TxacmgODxbD42Il9B3KC117jvOPppPE=")
            .unwrap_or_else(|_| panic!("valid"));
        assert_eq!(
            k.peer_id(),
            "12D3KooWANqfCDrV79MZdMnMqTvDdqSAPSxdgFY1L6DCq2DVGB4D"
        );
        let k = KeyPair::from_seed(&[1; 32]).unwrap_or_else(|_| panic!("valid"));
        assert_eq!(
            k.peer_id(),
            "12D3KooWK99VoVxNE7XzyBwXEzW7xhK7Gpv85r9F3V3fyKSUKPH5"
        );
    }
}
