//! # fluence-client
//!
//! The browser-facing crate: a thin `wasm-bindgen` layer over [`fluence_core`] and
//! [`fluence_net`]'s driver loop. By role: `api` (the JS API, `FluenceClient`), `config`
//! (its config), `state` (connection state and listeners), `service` (JS functions as
//! services), `host` (the browser host of the driver loop), `runtime` (the loop's runtime
//! seam on wasm-bindgen-futures), `websocket` (our transport over `globalThis.WebSocket`),
//! `error`, `convert`, `log`, `aqua`. Everything else lives in the sans-IO core, tested
//! natively.
//!
//! JS API: `KeyPair`, `FluenceClient` (browser only) and errors carrying `code` and
//! `particleId` (see `error`).

use wasm_bindgen::prelude::*;

#[cfg(target_arch = "wasm32")]
mod api;
#[cfg(target_arch = "wasm32")]
mod aqua;
#[cfg(target_arch = "wasm32")]
mod config;
mod convert;
mod error;
#[cfg(target_arch = "wasm32")]
mod host;
#[cfg(target_arch = "wasm32")]
mod log;
#[cfg(target_arch = "wasm32")]
mod runtime;
#[cfg(target_arch = "wasm32")]
mod service;
#[cfg(target_arch = "wasm32")]
mod state;
#[cfg(target_arch = "wasm32")]
mod websocket;

#[cfg(target_arch = "wasm32")]
pub use api::FluenceClient;
pub use error::{make_error, ErrorCode};

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Every rejected promise of this package carries a FluenceError. */
export class FluenceError extends Error {
  constructor(code: FluenceErrorCode, message: string, particleId?: string | null, relay?: string | null);
  readonly name: "FluenceError";
  readonly code: FluenceErrorCode;
  /** The particle the error concerns, or null. */
  readonly particleId: string | null;
  /** The relay's multiaddr for connection errors, or null. */
  readonly relay: string | null;
  /** AQUA: the error object AquaVM produced (also spread: error_code, instruction, peer_id). */
  readonly aquaError?: JSONValue;
  readonly error_code?: number;
  readonly instruction?: string;
  readonly peer_id?: string;
  /** TYPE_MISMATCH: where (argument name, then `?`, `[i]` or field names), what was expected, what was given. */
  readonly path?: string[];
  readonly expected?: string;
  readonly given?: string;
}
export type FluenceErrorCode =
  | "TTL_EXPIRED" | "INTERPRETER" | "SEND" | "CONNECTION"
  | "INVALID_ARGUMENT" | "AQUA" | "CANCELLED" | "TYPE_MISMATCH" | "LOAD"
  | "CLOCK_SKEW";
export type ConnectionState =
  | "connecting" | "connected" | "reconnecting" | "disconnecting" | "disconnected";
export type LogLevel = "off" | "error" | "warn" | "info" | "debug" | "trace";
export interface ClientConfig {
  /** The client's identity; random when absent. */
  keyPair?: KeyPair | { type?: "Ed25519"; source: "random" | Uint8Array };
  /** TTL of particles made by callAir, ms (default 7000). */
  defaultTtlMs?: number;
  /** How long connect() waits for the relay, ms (default 10000). */
  dialTimeoutMs?: number;
  /**
   * How far off the relay's clock this machine's may be, ms (default 60000): received
   * particles stamped further in the future are dropped with a logged reason, and connect()
   * fails with a CLOCK_SKEW error (both clocks in its message) when the connection check
   * finds the relay's clock further off.
   */
  clockSkewAllowanceMs?: number;
  /** js-client's connection options. */
  connectionOptions?: {
    /** The dial timeout (used when the top-level dialTimeoutMs is absent). */
    dialTimeoutMs?: number;
    /**
     * Skip the connection check: after connecting, connect() makes one `op.identity`
     * round trip through the relay and fails with a CONNECTION error when the relay does
     * not answer (default false).
     */
    skipCheckConnection?: boolean;
    /** How long the connection check may take, ms (default: the dial timeout). */
    checkConnectionTimeoutMs?: number;
    /** Accepted for js-client's sake; no effect (streams are bounded by the particle protocol). */
    maxInboundStreams?: number;
    /** Accepted for js-client's sake; no effect. */
    maxOutboundStreams?: number;
  };
  /** Accepted for js-client's sake; no effect: AquaVM is linked in, nothing is downloaded. */
  CDNUrl?: string;
  /**
   * Who may call the builtin `sig.sign` (js-client's `Sig.securityGuard`): gets the call's
   * CallParams, signs only when it returns true. Default: js-client's guard (particles
   * started by this client, data from trust-graph / registry functions), also exported
   * as `defaultSigGuard(peerId)`. Not available with `worker` (it is called synchronously).
   */
  sigSecurityGuard?: (params: CallParams) => boolean;
  /** js-client's debug options. */
  debug?: {
    /** Print each new particle's id on the console, as js-client does. */
    printParticleId?: boolean;
  };
  /** Re-dial with exponential backoff when the relay connection drops (default true). */
  reconnect?: boolean;
  /** Console log level (default "warn"). */
  logLevel?: LogLevel;
  /**
   * The WebSocket constructor to dial with (default: the runtime's `globalThis.WebSocket`;
   * a page, a worker and Node.js >= 22 have one). For older runtimes, e.g. the `ws`
   * package's `WebSocket`.
   */
  WebSocket?: new (url: string) => unknown;
  /**
   * Run the client (network and AquaVM) in a Web Worker: `true` starts the package's
   * worker.js, or pass a `Worker` started on it. `createClient` / `Fluence.connect` then
   * give a `WorkerClient`; service handlers and callbacks still run in the page.
   * (`FluenceClient.connect` connects in this thread and refuses the option.)
   */
  worker?: boolean | { postMessage(message: unknown): void; terminate(): void };
}
export type JSONValue = null | boolean | number | string | JSONValue[] | { [key: string]: JSONValue };
export interface SecurityTetraplet {
  peer_pk: string;
  service_id: string;
  function_name: string;
  lens: string;
}
/** The last argument of every service handler (js-client's ParticleContext). */
export interface CallParams {
  particleId: string;
  initPeerId: string;
  timestamp: number;
  ttl: number;
  signature: Uint8Array;
  /** One list per argument. */
  tetraplets: SecurityTetraplet[][];
}
/** A service function: the call's arguments, then CallParams. Throw or reject to fail the call. */
export type ServiceHandler = (...args: [...JSONValue[], CallParams]) => JSONValue | void | Promise<JSONValue | void>;
export type ServiceImpl = { [fnName: string]: ServiceHandler };
/** An Aqua type descriptor, as the Aqua compiler emits it. */
export type AquaType =
  | { tag: "nil" }
  | { tag: "scalar"; name: "u8" | "u16" | "u32" | "u64" | "i8" | "i16" | "i32" | "i64" | "f32" | "f64" | "bool" | "string" }
  | { tag: "option"; type: AquaType }
  | { tag: "array"; type: AquaType }
  | { tag: "struct"; name: string; fields: Record<string, AquaType> }
  | { tag: "labeledProduct"; fields: Record<string, AquaType> }
  | { tag: "unlabeledProduct"; items: AquaType[] }
  | { tag: "topType" }
  | { tag: "bottomType" }
  | { tag: "arrow"; domain: AquaType; codomain: AquaType };
export interface CallAirOptions {
  /** Particle TTL, ms (default: the client's defaultTtlMs). */
  ttlMs?: number;
  /**
   * Resolve with null once the script leaves no local work (no response expected), as
   * js-client's `fireAndForget` (default false: wait for `callbackSrv.response`).
   */
  fireAndForget?: boolean;
}
"#;

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

/// An Ed25519 key pair: the peer's identity. No property shows the secret; only the
/// explicit `toEd25519PrivateKey()` returns it (for apps that persist an identity).
#[wasm_bindgen]
pub struct KeyPair {
    inner: fluence_core::KeyPair,
    handle: u32,
}

thread_local! {
    /// Live key pairs by handle, so `FluenceClient.connect({ keyPair })` can find the Rust
    /// key behind a JS object without trusting anything but a number it looks up.
    static KEYS: std::cell::RefCell<std::collections::HashMap<u32, fluence_core::KeyPair>> =
        Default::default();
    static NEXT_HANDLE: std::cell::Cell<u32> = const { std::cell::Cell::new(1) };
}

impl Drop for KeyPair {
    fn drop(&mut self) {
        KEYS.with(|k| k.borrow_mut().remove(&self.handle));
    }
}

#[wasm_bindgen]
impl KeyPair {
    /// A random key pair.
    pub fn random() -> Result<KeyPair, JsValue> {
        fluence_core::KeyPair::random()
            .map(KeyPair::wrap)
            .map_err(|e| make_error(ErrorCode::InvalidArgument, &e.to_string(), None))
    }

    /// The key pair of a 32-byte Ed25519 seed.
    #[wasm_bindgen(js_name = fromSeed)]
    pub fn from_seed(seed: &[u8]) -> Result<KeyPair, JsValue> {
        fluence_core::KeyPair::from_seed_slice(seed)
            .map(KeyPair::wrap)
            .map_err(|e| make_error(ErrorCode::InvalidArgument, &e.to_string(), None))
    }

    /// The key pair of a base64-encoded 32-byte seed.
    #[wasm_bindgen(js_name = fromBase64Sk)]
    pub fn from_base64_sk(sk: &str) -> Result<KeyPair, JsValue> {
        fluence_core::KeyPair::from_base64_sk(sk)
            .map(KeyPair::wrap)
            .map_err(|e| make_error(ErrorCode::InvalidArgument, &e.to_string(), None))
    }

    /// The key pair of a base58-encoded 32-byte seed.
    #[wasm_bindgen(js_name = fromBase58Sk)]
    pub fn from_base58_sk(sk: &str) -> Result<KeyPair, JsValue> {
        fluence_core::KeyPair::from_base58_sk(sk)
            .map(KeyPair::wrap)
            .map_err(|e| make_error(ErrorCode::InvalidArgument, &e.to_string(), None))
    }

    /// An opaque number identifying this key pair inside the package (not secret).
    #[wasm_bindgen(getter, js_name = __handle)]
    pub fn handle(&self) -> u32 {
        self.handle
    }

    /// The PeerId, `12D3KooW…`.
    #[wasm_bindgen(getter, js_name = peerId)]
    pub fn peer_id(&self) -> String {
        self.inner.peer_id().to_string()
    }

    /// js-client's `KeyPair.randomEd25519()`: a random key pair (a promise, as there).
    #[wasm_bindgen(js_name = randomEd25519, unchecked_return_type = "Promise<KeyPair>")]
    pub fn random_ed25519() -> js_sys::Promise {
        settled(KeyPair::random().map(JsValue::from))
    }

    /// js-client's `KeyPair.fromEd25519SK(seed)`: the key pair of a 32-byte seed (a
    /// promise, as there; rejects with `INVALID_ARGUMENT` for anything else).
    #[wasm_bindgen(js_name = fromEd25519SK, unchecked_return_type = "Promise<KeyPair>")]
    pub fn from_ed25519_sk(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] seed: JsValue,
    ) -> js_sys::Promise {
        settled(
            bytes_arg(&seed, "seed")
                .and_then(|seed| KeyPair::from_seed(&seed))
                .map(JsValue::from),
        )
    }

    /// js-client's `KeyPair.verifyWithPublicKey`: checks `signature` over `message` with
    /// a public key in libp2p's protobuf encoding (what `getPublicKey()` returns).
    #[wasm_bindgen(js_name = verifyWithPublicKey)]
    pub fn verify_with_public_key(
        #[wasm_bindgen(js_name = publicKey, unchecked_param_type = "Uint8Array")]
        public_key: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] message: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] signature: JsValue,
    ) -> Result<bool, JsValue> {
        let public_key = bytes_arg(&public_key, "publicKey")?;
        let message = bytes_arg(&message, "message")?;
        let signature = bytes_arg(&signature, "signature")?;
        fluence_core::keys::verify_with_public_key(&public_key, &message, &signature)
            .map_err(|e| make_error(ErrorCode::InvalidArgument, &e.to_string(), None))
    }

    /// js-client's `getPeerId()`: the PeerId, `12D3KooW…`.
    #[wasm_bindgen(js_name = getPeerId)]
    pub fn get_peer_id(&self) -> String {
        self.peer_id()
    }

    /// js-client's `getPublicKey()`: the public key in libp2p's protobuf encoding (36
    /// bytes: `08 01 12 20` then the 32-byte Ed25519 key).
    #[wasm_bindgen(js_name = getPublicKey)]
    pub fn get_public_key(&self) -> Vec<u8> {
        self.inner.public_key_protobuf()
    }

    /// js-client's `toEd25519PrivateKey()`: the 32-byte seed, the secret itself. For an
    /// app that persists its identity (restore it with `fromEd25519SK` or `keyPair: {
    /// type: "Ed25519", source }`); there is no property that shows it.
    #[wasm_bindgen(js_name = toEd25519PrivateKey)]
    pub fn to_ed25519_private_key(&self) -> Vec<u8> {
        self.inner.to_seed().to_vec()
    }

    /// js-client's `signBytes(data)`: the 64-byte Ed25519 signature of `data`.
    #[wasm_bindgen(js_name = signBytes, unchecked_return_type = "Promise<Uint8Array>")]
    pub fn sign_bytes(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] data: JsValue,
    ) -> js_sys::Promise {
        settled(
            bytes_arg(&data, "data")
                .map(|d| js_sys::Uint8Array::from(&self.inner.sign(&d)[..]).into()),
        )
    }

    /// js-client's `verify(data, signature)`: whether `signature` is this key's over `data`.
    #[wasm_bindgen(unchecked_return_type = "Promise<boolean>")]
    pub fn verify(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] data: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] signature: JsValue,
    ) -> js_sys::Promise {
        settled(bytes_arg(&data, "data").and_then(|d| {
            let signature = bytes_arg(&signature, "signature")?;
            Ok(JsValue::from_bool(self.inner.verify(&d, &signature)))
        }))
    }
}

/// A promise already settled with `result`.
fn settled(result: Result<JsValue, JsValue>) -> js_sys::Promise {
    match result {
        Ok(v) => js_sys::Promise::resolve(&v),
        Err(e) => js_sys::Promise::reject(&e),
    }
}

/// The bytes of a `Uint8Array` argument; anything else is an `INVALID_ARGUMENT` error.
fn bytes_arg(v: &JsValue, what: &str) -> Result<Vec<u8>, JsValue> {
    use wasm_bindgen::JsCast;
    v.dyn_ref::<js_sys::Uint8Array>()
        .map(js_sys::Uint8Array::to_vec)
        .ok_or_else(|| {
            make_error(
                ErrorCode::InvalidArgument,
                &format!("{what} must be a Uint8Array, got {}", convert::describe(v)),
                None,
            )
        })
}

impl KeyPair {
    fn wrap(inner: fluence_core::KeyPair) -> KeyPair {
        let handle = NEXT_HANDLE.with(|n| {
            let h = n.get();
            n.set(h.wrapping_add(1).max(1));
            h
        });
        KEYS.with(|k| k.borrow_mut().insert(handle, inner.clone()));
        KeyPair { inner, handle }
    }

    /// The core key.
    pub fn core(&self) -> &fluence_core::KeyPair {
        &self.inner
    }

    /// The key of the live `KeyPair` with this handle.
    pub fn by_handle(handle: u32) -> Option<fluence_core::KeyPair> {
        KEYS.with(|k| k.borrow().get(&handle).cloned())
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
