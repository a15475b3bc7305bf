//! # fluence-relay
//!
//! A native, nox-compatible Fluence relay built on [`fluence_core`] (the `fluence-relay`
//! binary; see `server`), plus a native client on the same core used by the tests and the
//! load generator (see `client`).

#![deny(missing_docs)]

pub mod client;
pub mod server;

pub use fluence_net::{protocol, wire};
