//! The service registry: global handlers by `(service id, function name)` and
//! particle-scoped handlers by particle id (spec §5.5).
//!
//! A handler answers at once ([`Reply::Ok`], [`Reply::Err`]) or later
//! ([`Reply::Later`]); in the latter case the host keeps the call's [`CallToken`] and
//! hands the result to [`crate::Engine::resolve_call`] when it has one.

use std::collections::HashMap;

use serde_json::Value;

use crate::avm::SecurityTetraplet;

/// Identifies one pending service call inside the engine. Opaque and cheap to copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CallToken {
    pub(crate) lane: u64,
    pub(crate) call_id: u32,
}

impl CallToken {
    /// AquaVM's id of the call within its particle.
    pub fn call_id(&self) -> u32 {
        self.call_id
    }
}

/// What a handler learns about the particle that called it (js-client's `ParticleContext`).
#[derive(Debug, Clone, PartialEq)]
pub struct CallParams {
    /// Particle id.
    pub particle_id: String,
    /// PeerId that created the particle.
    pub init_peer_id: String,
    /// Particle creation time, Unix ms.
    pub timestamp: u64,
    /// Particle TTL, ms.
    pub ttl: u32,
    /// The particle's signature (64 bytes).
    pub signature: Vec<u8>,
    /// One list of tetraplets per argument.
    pub tetraplets: Vec<Vec<SecurityTetraplet>>,
}

/// One call of a local service.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceCall {
    /// Hand this to [`crate::Engine::resolve_call`] to answer later.
    pub token: CallToken,
    /// Service id.
    pub service_id: String,
    /// Function name.
    pub function_name: String,
    /// Arguments.
    pub args: Vec<Value>,
    /// Particle context.
    pub params: CallParams,
}

/// A handler's answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// Success with a value (`ret_code 0`).
    Ok(Value),
    /// Failure with the handler's own message (`ret_code 1`).
    Err(String),
    /// The result will come through [`crate::Engine::resolve_call`].
    Later,
}

/// A service function implementation.
pub type Handler = Box<dyn FnMut(&ServiceCall) -> Reply>;

/// Particle-scoped entries: user handlers and the engine's own `callAir` plumbing.
pub(crate) enum Scoped {
    User(Handler),
    /// `getDataSrv.<arg>`: a fixed value.
    Data(Value),
    /// `callbackSrv.response` of a request.
    Response(u64),
    /// `errorHandlingSrv.error` of a request.
    Error(u64),
}

/// Global and particle-scoped handlers.
#[derive(Default)]
pub(crate) struct Registry {
    global: HashMap<String, HashMap<String, Handler>>,
    scoped: HashMap<String, HashMap<(String, String), ScopedEntry>>,
}

/// A particle-scoped entry. `own_only` entries serve only particles this peer created
/// (and so signed): a foreign particle that reuses the id of one of ours cannot read
/// our call arguments or settle our call.
pub(crate) struct ScopedEntry {
    pub(crate) own_only: bool,
    pub(crate) handler: Scoped,
}

/// What a lookup found.
pub(crate) enum Found<'a> {
    Scoped(&'a mut Scoped),
    Global(&'a mut Handler),
    /// The service exists but has no such function.
    NoFunction,
    /// Nothing registered under that service id.
    NoService,
}

impl Registry {
    pub(crate) fn register(&mut self, service: &str, function: &str, h: Handler) {
        self.global
            .entry(service.to_string())
            .or_default()
            .insert(function.to_string(), h);
    }

    pub(crate) fn unregister(&mut self, service: &str) -> bool {
        self.global.remove(service).is_some()
    }

    pub(crate) fn has_service(&self, service: &str) -> bool {
        self.global.contains_key(service)
    }

    pub(crate) fn register_scoped(
        &mut self,
        particle_id: &str,
        service: &str,
        function: &str,
        entry: ScopedEntry,
    ) {
        self.scoped
            .entry(particle_id.to_string())
            .or_default()
            .insert((service.to_string(), function.to_string()), entry);
    }

    pub(crate) fn remove_scoped(&mut self, particle_id: &str) {
        self.scoped.remove(particle_id);
    }

    pub(crate) fn scoped_count(&self) -> usize {
        self.scoped.values().map(HashMap::len).sum()
    }

    /// Particle-scoped first, then global (js-client's order). `own` tells whether the
    /// calling particle was created by this peer.
    pub(crate) fn find(
        &mut self,
        particle_id: &str,
        own: bool,
        service: &str,
        function: &str,
    ) -> Found<'_> {
        let key = (service.to_string(), function.to_string());
        if self
            .scoped
            .get(particle_id)
            .and_then(|m| m.get(&key))
            .is_some_and(|e| own || !e.own_only)
        {
            let e = self
                .scoped
                .get_mut(particle_id)
                .and_then(|m| m.get_mut(&key))
                .expect("checked above");
            return Found::Scoped(&mut e.handler);
        }
        match self.global.get_mut(service) {
            Some(fns) => match fns.get_mut(function) {
                Some(h) => Found::Global(h),
                None => Found::NoFunction,
            },
            None => Found::NoService,
        }
    }
}
