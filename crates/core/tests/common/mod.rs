//! An in-memory Fluence network: client engines wired to one relay engine, each with
//! the real AquaVM. Particles cross "the wire" as encoded frames, so the codec is in the
//! loop. Shared by the integration tests and the benchmark.
#![allow(dead_code)]

use std::collections::HashMap;

use fluence_core::particle::{Particle, NOX_MAX_FRAME};
use fluence_core::{Engine, EngineConfig, Event, KeyPair, RequestId};
use serde_json::Value;

mod air;

/// A settled call: request, particle id, result.
pub type Settled = (RequestId, String, Result<Value, fluence_core::CallError>);

/// A relay and its connected clients.
pub struct Net {
    pub relay: Engine,
    pub clients: HashMap<String, Engine>,
    /// Unix ms, advanced by hand.
    pub now: u64,
    /// Completed calls per peer, in order.
    pub completed: HashMap<String, Vec<Settled>>,
    /// Particles the relay could not deliver: (to, particle id).
    pub undeliverable: Vec<(String, String)>,
    /// Console lines: (peer, line).
    pub console: Vec<(String, String)>,
    /// Frames that crossed the wire.
    pub frames: usize,
}

impl Net {
    pub fn new(now: u64) -> Self {
        let relay = Engine::new(KeyPair::from_seed([200; 32]), EngineConfig::relay());
        Net {
            relay,
            clients: HashMap::new(),
            now,
            completed: HashMap::new(),
            undeliverable: Vec::new(),
            console: Vec::new(),
            frames: 0,
        }
    }

    pub fn relay_id(&self) -> String {
        self.relay.peer_id().to_string()
    }

    /// Connects a new client with a key from `seed`; returns its PeerId.
    pub fn add_client(&mut self, seed: u8) -> String {
        let key = KeyPair::from_seed([seed; 32]);
        let id = key.peer_id().to_string();
        let engine = Engine::new(key, EngineConfig::client(self.relay_id()));
        self.clients.insert(id.clone(), engine);
        id
    }

    pub fn client(&mut self, id: &str) -> &mut Engine {
        self.clients.get_mut(id).expect("known client")
    }

    fn engine(&mut self, id: &str) -> Option<&mut Engine> {
        if self.relay.peer_id() == id {
            Some(&mut self.relay)
        } else {
            self.clients.get_mut(id)
        }
    }

    /// Runs every engine until nothing moves.
    pub fn pump(&mut self) {
        loop {
            let mut moved = false;
            let mut ids: Vec<String> = self.clients.keys().cloned().collect();
            ids.push(self.relay_id());
            for id in ids {
                let now = self.now;
                let e = self.engine(&id).expect("listed");
                if e.process(now, 64) > 0 {
                    moved = true;
                }
                let mut events = Vec::new();
                while let Some(ev) = e.poll_event() {
                    events.push(ev);
                }
                for ev in events {
                    moved = true;
                    self.deliver(&id, ev);
                }
            }
            if !moved {
                break;
            }
        }
    }

    fn deliver(&mut self, from: &str, ev: Event) {
        match ev {
            Event::Send { to, particle, .. } => {
                let frame = particle.to_frame();
                for dest in to {
                    let now = self.now;
                    self.frames += 1;
                    let p = Particle::from_frame(&frame, NOX_MAX_FRAME).expect("valid frame");
                    // A client reaches only its relay; the relay reaches its clients.
                    let reachable = from == self.relay.peer_id() || dest == self.relay.peer_id();
                    match self.engine(&dest).filter(|_| reachable) {
                        Some(e) => {
                            let _ = e.handle_particle(p, now);
                        }
                        None => self.undeliverable.push((dest, p.id)),
                    }
                }
            }
            Event::Completed {
                request,
                particle_id,
                result,
            } => self.completed.entry(from.to_string()).or_default().push((
                request,
                particle_id,
                result,
            )),
            Event::Console { line, .. } => self.console.push((from.to_string(), line)),
        }
    }

    /// Moves the clock forward and fires what is due.
    pub fn advance(&mut self, ms: u64) {
        self.now += ms;
        let now = self.now;
        self.relay.handle_timeout(now);
        for e in self.clients.values_mut() {
            e.handle_timeout(now);
        }
        self.pump();
    }

    /// Takes the result of `request` made by `peer`, if it settled.
    pub fn take_result(
        &mut self,
        peer: &str,
        request: RequestId,
    ) -> Option<Result<Value, fluence_core::CallError>> {
        let list = self.completed.get_mut(peer)?;
        let pos = list.iter().position(|(r, _, _)| *r == request)?;
        Some(list.remove(pos).2)
    }

    /// How many results `peer` got for `request` (must never exceed one).
    pub fn result_count(&self, peer: &str, request: RequestId) -> usize {
        self.completed
            .get(peer)
            .map_or(0, |l| l.iter().filter(|(r, _, _)| *r == request).count())
    }
}
