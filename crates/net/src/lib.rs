//! # fluence-net
//!
//! The Fluence particle protocol (`/fluence/particle/2.0.0`) on rust-libp2p: a
//! `NetworkBehaviour` that hands every particle substream to its owner ([`protocol`]) and
//! the frame I/O on a substream ([`wire`]). Runtime-agnostic (futures only), so the native
//! relay and client (tokio) and the browser client (wasm32) share it.

#![deny(missing_docs)]

pub mod protocol;
pub mod wire;

pub use protocol::{Event, Outgoing, ParticleProtocol};
pub use wire::PROTOCOL;
