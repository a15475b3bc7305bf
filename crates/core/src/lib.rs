//! # fluence-core
//!
//! The sans-IO heart of `fluence-client` and of its local relay: keys, the particle
//! codec, the AquaVM driver, the service registry, builtins and the particle state
//! machine. Nothing here touches sockets, JS or the wall clock: time comes in as an
//! argument, particles to send come out as values. The wire and behaviour contract is
//! `shared/spec/fluence-protocol.md`.

#![deny(missing_docs)]

pub mod aqua;
pub mod avm;
pub mod builtins;
pub mod engine;
pub mod error;
pub mod keys;
pub mod particle;
pub mod services;
pub mod session;

pub use engine::{
    CallMode, CallOptions, Engine, EngineConfig, Event, RequestId, Role, SendToken, SigGuard,
    DEFAULT_MAX_FUTURE_MS,
};
pub use error::{CallError, DecodeError, KeyError, RejectReason};
pub use keys::KeyPair;
pub use particle::Particle;
pub use services::{CallParams, CallToken, Handler, Reply, ServiceCall};
pub use session::{Action as SessionAction, ConnectionState, Session, SessionConfig};
