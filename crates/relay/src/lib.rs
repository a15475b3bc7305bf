//! # fluence-relay
//!
//! A native, nox-compatible Fluence relay built on [`fluence_core`] (the `fluence-relay`
//! binary; see `server`), plus a native client on the same core used by the tests and the
//! load generator (see `client`).

#![deny(missing_docs)]

pub mod client;
mod hostile;
pub mod runtime;
pub mod server;

pub use fluence_net::{protocol, wire};

/// Wall-clock time in Unix milliseconds: the `now` the core engine is given.
pub(crate) fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}
