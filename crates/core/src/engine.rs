//! The particle state machine: the heart of a Fluence peer, without any I/O.
//!
//! **Inputs**: particles from the network ([`Engine::handle_particle`]), new particles
//! from the app ([`Engine::call_air`]), results of local services that answered later
//! ([`Engine::resolve_call`]), send failures ([`Engine::send_failed`]) and the current time,
//! which every input carries and [`Engine::handle_timeout`] advances.
//!
//! **Outputs**: [`Event`]s from [`Engine::poll_event`] — particles to send, completions and
//! errors for callers, console lines — and the next instant the engine wants to be woken
//! at, [`Engine::poll_timeout`]. Work is done by [`Engine::process`], which runs AquaVM.
//!
//! **Lanes.** Per-particle state lives in a lane keyed by the particle's signature
//! (spec §3.5). AquaVM runs are serialized per lane (the engine is single-threaded and a
//! lane runs one interpretation at a time), and `prev_data` is kept per lane. A lane and
//! everything attached to it — pending calls, timers, particle-scoped handlers, the
//! caller's request — is freed at `timestamp + ttl`.
//!
//! **Non-zero `ret_code`.** AquaVM reports catchable errors nobody caught with codes
//! 10000..20000; the data it returns then is still a valid, merged trace. The engine
//! always keeps that data as the lane's `prev_data` (as nox does, spec §6.3), so later
//! hops of the same particle merge against the real trace. On a **relay** it then routes
//! and runs calls as nox does. On a **client** it stops that step and rejects the caller
//! with [`CallError::Interpreter`], as js-client does (§5.2). For every other non-zero
//! code (preparation errors, uncatchable errors, farewell errors) `prev_data` is left
//! unchanged — a malformed incoming `data` cannot wipe the lane's state — nothing is sent,
//! no call runs, and the caller is rejected.
//!
//! **Order of inputs on a lane.** A lane's inputs (received data, call results) are kept
//! in arrival order. A **client** feeds AquaVM one input per run — received data alone, or
//! one call result — as js-client 0.9.0 does; programs whose outcome depends on how many
//! results one run sees (a stream canonicalized while other results are ready) then give
//! what they give on js-client. A **relay** feeds the oldest received data together with
//! every ready result, as nox does.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

use serde_json::{json, Value};
use tracing::{debug, info, warn};

use crate::avm::{self, AvmLimits, CallRequest, CallResult};
use crate::builtins::{self, Flavor, Outcome};
use crate::error::{CallError, RejectReason};
use crate::keys::KeyPair;
use crate::particle::Particle;
use crate::services::{
    CallParams, CallToken, Found, Handler, Registry, Reply, Scoped, ScopedEntry, ServiceCall,
};

/// Identifies a call started with [`Engine::call_air`].
pub type RequestId = u64;

/// Names the particle of an [`Event::Send`]: the host hands it back with
/// [`Engine::send_failed`] when the particle could not be sent, so nothing is decoded again.
/// Tokens of the engine are small numbers (lane ids count up from 1); a host may use
/// values from `SendToken::HOST_MIN` up for sends of its own, which the engine ignores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SendToken(pub u64);

impl SendToken {
    /// The first token value reserved for hosts (never one of the engine's).
    pub const HOST_MIN: u64 = 1 << 63;
}

/// Which side of the network this engine plays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// A client connected to one relay: every outgoing particle goes to the relay;
    /// builtins answer as js-client's; a caught-nowhere error stops the step.
    Client {
        /// The relay's PeerId (served as `getDataSrv.-relay-`).
        relay: String,
    },
    /// A relay: particles go to each of `next_peer_pks`; builtins answer as nox's.
    Relay,
}

/// Engine settings.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Client or relay.
    pub role: Role,
    /// Limits passed to AquaVM.
    pub limits: AvmLimits,
    /// Most particles (lanes) held at once; more are rejected.
    pub max_particles: usize,
    /// Most received copies of one particle waiting for AquaVM; more are rejected.
    pub max_backlog: usize,
    /// TTL of particles created by [`Engine::call_air`] when the call gives none.
    pub default_ttl_ms: u32,
    /// How far ahead of this peer's clock a received particle's timestamp may be, in ms;
    /// particles stamped further ahead are dropped ([`RejectReason::FromTheFuture`]).
    /// nox 0.28.2 has no such check (it executes a particle stamped a year ahead).
    pub max_future_ms: u64,
}

/// The default of [`EngineConfig::max_future_ms`]: 60 s.
pub const DEFAULT_MAX_FUTURE_MS: u64 = 60_000;

impl EngineConfig {
    /// Client defaults: js-client's limits and its default TTL of 7000 ms.
    pub fn client(relay: impl Into<String>) -> Self {
        EngineConfig {
            role: Role::Client {
                relay: relay.into(),
            },
            limits: AvmLimits::JS,
            max_particles: 10_000,
            max_backlog: 64,
            default_ttl_ms: 7_000,
            max_future_ms: DEFAULT_MAX_FUTURE_MS,
        }
    }

    /// Relay defaults: nox's limits.
    pub fn relay() -> Self {
        EngineConfig {
            role: Role::Relay,
            limits: AvmLimits::NOX,
            max_particles: 100_000,
            max_backlog: 64,
            default_ttl_ms: 7_000,
            max_future_ms: DEFAULT_MAX_FUTURE_MS,
        }
    }
}

/// How [`Engine::call_air`] settles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallMode {
    /// Resolves with the arguments of `callbackSrv.response`.
    Response,
    /// Resolves with `null` the first time an interpretation leaves no local work
    /// (for Aqua functions that return nothing).
    FireAndForget,
}

/// Options of [`Engine::call_air`].
#[derive(Default)]
pub struct CallOptions {
    /// TTL in ms; the engine's default when `None`.
    pub ttl_ms: Option<u32>,
    /// `FireAndForget` when true, else `Response`.
    pub fire_and_forget: bool,
    /// Particle-scoped `callbackSrv.<name>` handlers (Aqua arrow arguments).
    pub callbacks: Vec<(String, Handler)>,
    /// The particle's timestamp when it is not `now`. A particle stamped before `now`
    /// with a TTL that long longer stays valid for a peer whose clock is off this one's
    /// (the client's connection check measures the relay's clock so); the call still
    /// expires at `timestamp + ttl`.
    pub timestamp: Option<u64>,
}

/// Something the host must act on.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Send `particle` (with its new data) to each of `to`. A client always gets its
    /// relay here; a relay gets the next peers, to which it may or may not be connected.
    Send {
        /// Destination PeerIds.
        to: Vec<String>,
        /// The particle to send.
        particle: Particle,
        /// Hand it back to [`Engine::send_failed`] if the particle cannot be sent.
        token: SendToken,
    },
    /// A call started with [`Engine::call_air`] settled.
    Completed {
        /// The request.
        request: RequestId,
        /// Its particle.
        particle_id: String,
        /// The value, or a typed error.
        result: Result<Value, CallError>,
    },
    /// `run-console.print` output.
    Console {
        /// The particle that printed.
        particle_id: String,
        /// The text.
        line: String,
    },
}

struct Lane {
    /// The particle's immutable fields (its `data` is not used).
    particle: Particle,
    prev_data: Vec<u8>,
    deadline: u64,
    /// Received data waiting to be merged, oldest first, with its arrival number.
    inbox: VecDeque<(u64, Vec<u8>)>,
    /// Call results ready to be fed back, oldest first, with their arrival numbers.
    ready: VecDeque<(u64, u32, CallResult)>,
    /// The next arrival number (orders `inbox` against `ready`).
    arrivals: u64,
    /// Calls whose handlers answer later, with their `service.function`.
    pending: HashMap<u32, String>,
    /// A newly created particle waiting for its first run.
    fresh: bool,
    request: Option<(RequestId, CallMode)>,
    queued: bool,
    /// Who the particle last came from (the connection's peer; this peer for its own
    /// calls): a relay takes runs round-robin by it.
    source: String,
}

/// The lanes waiting for a run. A relay takes them round-robin by the peer each particle
/// came from, so a peer that floods waits behind its own particles, not behind others'
/// (RELIABILITY.md); a client takes them in arrival order (as js-client).
#[derive(Default)]
struct WorkQueue {
    fair: bool,
    fifo: VecDeque<u64>,
    by_source: HashMap<String, VecDeque<u64>>,
    sources: VecDeque<String>,
    len: usize,
}

impl WorkQueue {
    fn push(&mut self, lane: u64, source: &str) {
        self.len += 1;
        if !self.fair {
            self.fifo.push_back(lane);
            return;
        }
        match self.by_source.get_mut(source) {
            Some(q) => q.push_back(lane),
            None => {
                self.by_source
                    .insert(source.to_string(), VecDeque::from([lane]));
                self.sources.push_back(source.to_string());
            }
        }
    }

    fn pop(&mut self) -> Option<u64> {
        let lane = if self.fair {
            let source = self.sources.pop_front()?;
            let q = self.by_source.get_mut(&source)?;
            let lane = q.pop_front();
            if q.is_empty() {
                self.by_source.remove(&source);
            } else {
                self.sources.push_back(source);
            }
            lane
        } else {
            self.fifo.pop_front()
        };
        if lane.is_some() {
            self.len -= 1;
        }
        lane
    }

    fn len(&self) -> usize {
        self.len
    }

    fn clear(&mut self) {
        let fair = self.fair;
        *self = WorkQueue {
            fair,
            ..WorkQueue::default()
        };
    }
}

/// What one AquaVM run is fed: received data, and call results by call id.
type RunInputs = (Vec<u8>, Vec<(u32, CallResult)>);

impl Lane {
    fn has_work(&self) -> bool {
        self.fresh || !self.inbox.is_empty() || !self.ready.is_empty()
    }

    fn push_data(&mut self, data: Vec<u8>) {
        self.inbox.push_back((self.arrivals, data));
        self.arrivals += 1;
    }

    fn push_result(&mut self, call_id: u32, result: CallResult) {
        self.ready.push_back((self.arrivals, call_id, result));
        self.arrivals += 1;
    }

    /// The inputs of the next run: `(data, call results)`, or `None` when there is no
    /// work. `one_per_run` (a client): the oldest input alone; else (a relay) the oldest
    /// data with every ready result.
    fn next_inputs(&mut self, one_per_run: bool) -> Option<RunInputs> {
        let fresh = std::mem::take(&mut self.fresh);
        if one_per_run {
            let data_first = match (self.inbox.front(), self.ready.front()) {
                (Some((d, _)), Some((r, _, _))) => d < r,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => return fresh.then(|| (Vec::new(), Vec::new())),
            };
            return Some(if data_first {
                let (_, d) = self.inbox.pop_front().expect("checked");
                (d, Vec::new())
            } else {
                let (_, id, r) = self.ready.pop_front().expect("checked");
                (Vec::new(), vec![(id, r)])
            });
        }
        let data = match self.inbox.pop_front() {
            Some((_, d)) => d,
            None if !self.ready.is_empty() || fresh => Vec::new(),
            None => return None,
        };
        let results = self.ready.drain(..).map(|(_, id, r)| (id, r)).collect();
        Some((data, results))
    }
}

/// A sans-IO Fluence peer. See the module documentation.
pub struct Engine {
    key: KeyPair,
    config: EngineConfig,
    flavor: Flavor,
    lanes: HashMap<u64, Lane>,
    by_signature: HashMap<Vec<u8>, u64>,
    /// The lanes of particles this peer started (`call_air`), by particle id: a foreign
    /// particle reusing one of these ids is dropped (it would share, and at its TTL free,
    /// the call's particle-scoped handlers).
    own_ids: HashMap<String, u64>,
    deadlines: BTreeSet<(u64, u64)>,
    /// `(at, seq) → (lane, call id, value)` for `peer.timeout`.
    timers: BTreeSet<(u64, u64)>,
    timer_payload: HashMap<u64, (u64, u32, Value)>,
    work: WorkQueue,
    events: VecDeque<Event>,
    registry: Registry,
    requests: HashMap<RequestId, u64>,
    next_lane: u64,
    next_request: RequestId,
    next_timer: u64,
    runs: u64,
    sig_guard: Option<SigGuard>,
    external_addresses: Vec<String>,
}

/// A security guard of the builtin `sig.sign`: whether this call may sign (js-client's
/// `Sig.securityGuard`). See [`Engine::set_sig_guard`].
pub type SigGuard = Box<dyn Fn(&CallParams) -> bool>;

impl Engine {
    /// A new engine for the peer with key `key`.
    pub fn new(key: KeyPair, config: EngineConfig) -> Self {
        let flavor = match config.role {
            Role::Client { .. } => Flavor::Js,
            Role::Relay => Flavor::Nox,
        };
        let work = WorkQueue {
            fair: config.role == Role::Relay,
            ..WorkQueue::default()
        };
        Engine {
            key,
            config,
            flavor,
            lanes: HashMap::new(),
            by_signature: HashMap::new(),
            own_ids: HashMap::new(),
            deadlines: BTreeSet::new(),
            timers: BTreeSet::new(),
            timer_payload: HashMap::new(),
            work,
            events: VecDeque::new(),
            registry: Registry::default(),
            requests: HashMap::new(),
            next_lane: 1,
            next_request: 1,
            next_timer: 1,
            runs: 0,
            sig_guard: None,
            external_addresses: Vec::new(),
        }
    }

    /// This peer's PeerId.
    pub fn peer_id(&self) -> &str {
        self.key.peer_id()
    }

    /// This peer's key.
    pub fn key(&self) -> &KeyPair {
        &self.key
    }

    /// The configuration.
    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    /// Registers a global handler for `service.function`, replacing any previous one.
    /// A global handler takes precedence over a builtin of the same name.
    pub fn register_service(&mut self, service: &str, function: &str, handler: Handler) {
        self.registry.register(service, function, handler);
    }

    /// Removes every global handler of `service`. Returns whether there was one.
    pub fn unregister_service(&mut self, service: &str) -> bool {
        self.registry.unregister(service)
    }

    /// Sets the security guard of the builtin `sig.sign` (`None`: js-client's default,
    /// [`builtins::default_sig_guard`]). A user service registered as `sig` still
    /// overrides the builtin entirely.
    pub fn set_sig_guard(&mut self, guard: Option<SigGuard>) {
        self.sig_guard = guard;
    }

    /// The addresses (multiaddrs) `peer.identify` reports as this peer's
    /// `external_addresses` (nox's `--external-address` / `--external-ip`).
    pub fn set_external_addresses(&mut self, addresses: Vec<String>) {
        self.external_addresses = addresses;
    }

    /// The addresses `peer.identify` reports.
    pub fn external_addresses(&self) -> &[String] {
        &self.external_addresses
    }

    /// Whether a global service with that id is registered.
    pub fn has_service(&self, service: &str) -> bool {
        self.registry.has_service(service)
    }

    /// Registers a handler for `service.function` that serves only particle `particle_id`;
    /// it is removed when that particle's TTL runs out.
    pub fn register_particle_handler(
        &mut self,
        particle_id: &str,
        service: &str,
        function: &str,
        handler: Handler,
    ) {
        let entry = ScopedEntry {
            own_only: false,
            handler: Scoped::User(handler),
        };
        self.registry
            .register_scoped(particle_id, service, function, entry);
    }

    /// Accepts a particle from the network: drops it with a reason when it is expired or
    /// wrongly signed, or when the engine is full; else queues its data on its lane.
    pub fn handle_particle(&mut self, particle: Particle, now: u64) -> Result<(), RejectReason> {
        let from = particle.init_peer_id.clone();
        self.handle_particle_from(particle, &from, now)
    }

    /// [`Engine::handle_particle`] for a particle that arrived from peer `from` (the
    /// connection's peer): a relay takes queued runs round-robin by it.
    pub fn handle_particle_from(
        &mut self,
        particle: Particle,
        from: &str,
        now: u64,
    ) -> Result<(), RejectReason> {
        let result = self.accept(particle, from, now);
        if let Err(reason) = &result {
            match reason {
                RejectReason::Expired { .. } => info!(target: "particle", "dropped: {reason}"),
                RejectReason::FromTheFuture { .. } | RejectReason::IdReuse { .. } => {
                    warn!(target: "particle", "dropped: {reason}")
                }
                _ => warn!(target: "particle", "dropped: {reason}"),
            }
        }
        result
    }

    fn accept(&mut self, particle: Particle, from: &str, now: u64) -> Result<(), RejectReason> {
        let deadline = match particle.deadline() {
            Some(d) if d > now => d,
            d => {
                return Err(RejectReason::Expired {
                    particle_id: particle.id,
                    deadline: d.unwrap_or(u64::MAX),
                    now,
                })
            }
        };
        if particle.timestamp > now.saturating_add(self.config.max_future_ms) {
            return Err(RejectReason::FromTheFuture {
                particle_id: particle.id,
                timestamp: particle.timestamp,
                now,
                allowance_ms: self.config.max_future_ms,
            });
        }
        // A particle coming back to a lane (the same signature over the same signed fields:
        // a call of ours returning, or a hop back through us) was verified, or signed by us,
        // when the lane began: verifying it again (the costliest step of a round trip after
        // AquaVM) proves nothing new. Anything else is verified.
        let lane_id = self.by_signature.get(&particle.signature).copied();
        let known = lane_id.is_some_and(|id| {
            self.lanes
                .get(&id)
                .is_some_and(|l| l.particle.same_signed_fields(&particle))
        });
        if !known {
            if let Err(source) = particle.verify() {
                return Err(RejectReason::BadSignature {
                    particle_id: particle.id,
                    source,
                });
            }
        }
        debug!(target: "particle", id = %particle.id, from = %particle.init_peer_id, "received");
        if let Some(lane_id) = lane_id {
            let lane = self.lanes.get_mut(&lane_id).expect("index is consistent");
            if lane.inbox.len() >= self.config.max_backlog {
                return Err(RejectReason::Backlog {
                    particle_id: particle.id,
                    limit: self.config.max_backlog,
                });
            }
            lane.push_data(particle.data);
            if lane.source != from {
                lane.source = from.to_string();
            }
            self.enqueue(lane_id);
            return Ok(());
        }
        if self.own_ids.contains_key(&particle.id) {
            return Err(RejectReason::IdReuse {
                particle_id: particle.id,
                init_peer_id: particle.init_peer_id,
            });
        }
        if self.lanes.len() >= self.config.max_particles {
            return Err(RejectReason::TooManyParticles {
                particle_id: particle.id,
                limit: self.config.max_particles,
            });
        }
        let mut particle = particle;
        let data = std::mem::take(&mut particle.data);
        let lane_id = self.new_lane(particle, deadline, None);
        let lane = self.lanes.get_mut(&lane_id).expect("just created");
        lane.fresh = false;
        lane.source = from.to_string();
        lane.push_data(data);
        self.enqueue(lane_id);
        Ok(())
    }

    /// Starts a new particle running `script`, with `args` served as `getDataSrv.<name>`
    /// and the relay as `getDataSrv.-relay-`. The result arrives as [`Event::Completed`]
    /// with the returned [`RequestId`]; the particle id is returned too.
    pub fn call_air(
        &mut self,
        script: &str,
        args: Vec<(String, Value)>,
        options: CallOptions,
        now: u64,
    ) -> Result<(RequestId, String), CallError> {
        let ttl = options.ttl_ms.unwrap_or(self.config.default_ttl_ms);
        if ttl == 0 {
            return Err(CallError::InvalidArgument(
                "ttl must be greater than zero".into(),
            ));
        }
        if script.trim().is_empty() {
            return Err(CallError::InvalidArgument("the AIR script is empty".into()));
        }
        let mut seen = HashSet::new();
        for (name, _) in &args {
            if name.is_empty() || name == "-relay-" || !seen.insert(name.as_str()) {
                return Err(CallError::InvalidArgument(format!(
                    "invalid or duplicate argument name {name:?}"
                )));
            }
        }
        // Callbacks are `callbackSrv.<name>`, beside the engine's own `callbackSrv.response`.
        let mut seen_cb = HashSet::new();
        for (name, _) in &options.callbacks {
            if name.is_empty() || name == "response" || !seen_cb.insert(name.as_str()) {
                return Err(CallError::InvalidArgument(format!(
                    "invalid or duplicate callback name {name:?}"
                )));
            }
        }
        let id = new_uuid().map_err(CallError::InvalidArgument)?;
        if self.lanes.len() >= self.config.max_particles {
            return Err(CallError::Send {
                particle_id: id,
                message: format!("{} particles already in flight", self.config.max_particles),
            });
        }
        let timestamp = options.timestamp.unwrap_or(now);
        let particle =
            Particle::new_signed(&self.key, id.clone(), script.to_string(), timestamp, ttl);
        let deadline = particle.deadline().ok_or_else(|| {
            CallError::InvalidArgument(format!("timestamp {timestamp} + ttl {ttl} overflows"))
        })?;
        let request = self.next_request;
        self.next_request += 1;
        let mode = if options.fire_and_forget {
            CallMode::FireAndForget
        } else {
            CallMode::Response
        };
        let relay = match &self.config.role {
            Role::Client { relay } => relay.clone(),
            Role::Relay => self.key.peer_id().to_string(),
        };
        // Served only to this particle, which we signed: a foreign particle reusing the
        // id gets nothing of it.
        let reg = &mut self.registry;
        let mut own = |service: &str, function: &str, handler: Scoped| {
            let entry = ScopedEntry {
                own_only: true,
                handler,
            };
            reg.register_scoped(&id, service, function, entry);
        };
        own("getDataSrv", "-relay-", Scoped::Data(json!(relay)));
        for (name, value) in args {
            own("getDataSrv", &name, Scoped::Data(value));
        }
        for (name, h) in options.callbacks {
            own("callbackSrv", &name, Scoped::User(h));
        }
        own("callbackSrv", "response", Scoped::Response(request));
        own("errorHandlingSrv", "error", Scoped::Error(request));
        let lane = self.new_lane(particle, deadline, Some((request, mode)));
        self.own_ids.insert(id.clone(), lane);
        self.requests.insert(request, lane);
        self.enqueue(lane);
        Ok((request, id))
    }

    /// Hands in the result of a call whose handler answered [`Reply::Later`].
    /// Returns false when the call is unknown: already answered, or its particle expired.
    pub fn resolve_call(&mut self, token: CallToken, result: Result<Value, String>) -> bool {
        let Some(lane) = self.lanes.get_mut(&token.lane) else {
            debug!(target: "particle", "late result for call {} of a freed particle", token.call_id);
            return false;
        };
        if lane.pending.remove(&token.call_id).is_none() {
            return false;
        }
        lane.push_result(
            token.call_id,
            match result {
                Ok(v) => CallResult::ok(v),
                Err(e) => CallResult::err(e),
            },
        );
        self.enqueue(token.lane);
        true
    }

    /// Reports that the particle of an [`Event::Send`] (named by its `token`) could not be
    /// handed to the network: its caller, if it is ours and still waiting, is rejected with
    /// [`CallError::Send`]. Unknown tokens (the particle expired meanwhile, or a host's
    /// own) are ignored.
    pub fn send_failed(&mut self, token: SendToken, message: &str) {
        let Some(lane) = self.lanes.get(&token.0) else {
            debug!(target: "particle", "send failed for a freed particle: {message}");
            return;
        };
        let particle_id = lane.particle.id.clone();
        warn!(target: "particle", id = %particle_id, "send failed: {message}");
        let err = CallError::Send {
            particle_id,
            message: message.to_string(),
        };
        self.finish(token.0, Err(err));
    }

    /// Advances time: frees expired particles (rejecting their callers with
    /// [`CallError::TtlExpired`]) and fires due `peer.timeout` timers.
    pub fn handle_timeout(&mut self, now: u64) {
        while let Some(&(at, lane_id)) = self.deadlines.first() {
            if at > now {
                break;
            }
            self.expire(lane_id);
        }
        while let Some(&(at, seq)) = self.timers.first() {
            if at > now {
                break;
            }
            self.timers.remove(&(at, seq));
            if let Some((lane, call_id, value)) = self.timer_payload.remove(&seq) {
                self.resolve_call(CallToken { lane, call_id }, Ok(value));
            }
        }
    }

    /// The earliest instant (Unix ms) at which [`Engine::handle_timeout`] has work.
    pub fn poll_timeout(&self) -> Option<u64> {
        let d = self.deadlines.first().map(|(at, _)| *at);
        let t = self.timers.first().map(|(at, _)| *at);
        match (d, t) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Whether [`Engine::process`] has work.
    pub fn has_work(&self) -> bool {
        self.work.len() > 0
    }

    /// How many particles (lanes) wait for an AquaVM run: a host stops taking particles
    /// from the network while this is high (backpressure).
    pub fn queued_runs(&self) -> usize {
        self.work.len()
    }

    /// Runs queued work: at most `max_runs` AquaVM interpretations. Returns how many ran.
    pub fn process(&mut self, now: u64, max_runs: usize) -> usize {
        let mut n = 0;
        while n < max_runs {
            let Some(lane_id) = self.work.pop() else {
                break;
            };
            let Some(lane) = self.lanes.get_mut(&lane_id) else {
                continue;
            };
            lane.queued = false;
            if lane.deadline <= now {
                self.expire(lane_id);
                continue;
            }
            if self.step(lane_id, now) {
                n += 1;
            }
            if self.lanes.get(&lane_id).is_some_and(Lane::has_work) {
                self.enqueue(lane_id);
            }
        }
        n
    }

    /// The next output, if any.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// How many particles (lanes) the engine holds.
    pub fn particle_count(&self) -> usize {
        self.lanes.len()
    }

    /// How many [`Engine::call_air`] calls are unsettled.
    pub fn pending_requests(&self) -> usize {
        self.requests.len()
    }

    /// How many particle-scoped handlers are registered.
    pub fn particle_handler_count(&self) -> usize {
        self.registry.scoped_count()
    }

    /// How many `peer.timeout` timers are armed.
    pub fn timer_count(&self) -> usize {
        self.timers.len()
    }

    /// How many AquaVM interpretations ran so far.
    pub fn interpretations(&self) -> u64 {
        self.runs
    }

    /// Stops everything: every unsettled call is rejected with [`CallError::Cancelled`]
    /// and all particle state is freed. Global handlers stay registered.
    pub fn shutdown(&mut self, reason: &str) {
        let ids: Vec<u64> = self.lanes.keys().copied().collect();
        for lane_id in ids {
            if let Some(lane) = self.lanes.get(&lane_id).filter(|l| l.request.is_some()) {
                let err = CallError::Cancelled {
                    particle_id: lane.particle.id.clone(),
                    message: reason.to_string(),
                };
                self.finish(lane_id, Err(err));
            }
            self.free(lane_id);
        }
        self.work.clear();
    }

    fn new_lane(
        &mut self,
        particle: Particle,
        deadline: u64,
        request: Option<(RequestId, CallMode)>,
    ) -> u64 {
        let id = self.next_lane;
        self.next_lane += 1;
        self.by_signature.insert(particle.signature.clone(), id);
        self.deadlines.insert((deadline, id));
        self.lanes.insert(
            id,
            Lane {
                particle,
                prev_data: Vec::new(),
                deadline,
                inbox: VecDeque::new(),
                ready: VecDeque::new(),
                arrivals: 0,
                pending: HashMap::new(),
                fresh: true,
                request,
                queued: false,
                source: String::new(),
            },
        );
        id
    }

    fn enqueue(&mut self, lane_id: u64) {
        if let Some(lane) = self.lanes.get_mut(&lane_id) {
            if !lane.queued && lane.has_work() {
                lane.queued = true;
                self.work.push(lane_id, &lane.source);
            }
        }
    }

    fn expire(&mut self, lane_id: u64) {
        if let Some(lane) = self.lanes.get(&lane_id) {
            let id = &lane.particle.id;
            if !lane.pending.is_empty() {
                let mut names: Vec<&str> = lane.pending.values().map(String::as_str).collect();
                names.sort_unstable();
                warn!(
                    target: "particle",
                    "particle {id} expired while local service calls were unanswered: {} \
                     (a handler's promise never settled within the particle's ttl)",
                    names.join(", ")
                );
            }
            if lane.request.is_some() {
                info!(target: "particle", %id, "expired after ttl of {}ms", lane.particle.ttl);
                let err = CallError::TtlExpired {
                    particle_id: id.clone(),
                    ttl: lane.particle.ttl,
                };
                self.finish(lane_id, Err(err));
            } else {
                debug!(target: "particle", %id, "state freed at ttl");
            }
        }
        self.free(lane_id);
    }

    /// Frees a lane and everything attached to it.
    fn free(&mut self, lane_id: u64) {
        let Some(lane) = self.lanes.remove(&lane_id) else {
            return;
        };
        self.by_signature.remove(&lane.particle.signature);
        if self.own_ids.get(&lane.particle.id) == Some(&lane_id) {
            self.own_ids.remove(&lane.particle.id);
        }
        self.deadlines.remove(&(lane.deadline, lane_id));
        self.registry.remove_scoped(&lane.particle.id);
        if let Some((req, _)) = lane.request {
            self.requests.remove(&req);
        }
        let timers: Vec<u64> = self
            .timer_payload
            .iter()
            .filter(|(_, (l, _, _))| *l == lane_id)
            .map(|(seq, _)| *seq)
            .collect();
        for seq in timers {
            self.timer_payload.remove(&seq);
            self.timers.retain(|(_, s)| *s != seq);
        }
    }

    /// Settles the lane's request, once.
    fn finish(&mut self, lane_id: u64, result: Result<Value, CallError>) {
        let Some(lane) = self.lanes.get_mut(&lane_id) else {
            return;
        };
        let Some((request, _)) = lane.request.take() else {
            if let Err(e) = result {
                warn!(target: "particle", id = %lane.particle.id, "{e}");
            }
            return;
        };
        self.requests.remove(&request);
        self.events.push_back(Event::Completed {
            request,
            particle_id: lane.particle.id.clone(),
            result,
        });
    }

    /// One AquaVM run on a lane. Returns whether AquaVM ran.
    fn step(&mut self, lane_id: u64, now: u64) -> bool {
        let is_relay = self.config.role == Role::Relay;
        let lane = self.lanes.get_mut(&lane_id).expect("caller checked");
        let Some((data, results)) = lane.next_inputs(!is_relay) else {
            return false;
        };
        self.runs += 1;
        let outcome = avm::run(
            &self.key,
            &lane.particle,
            data,
            lane.prev_data.clone(),
            &results,
            self.config.limits,
        );
        let particle_id = lane.particle.id.clone();
        let outcome = match outcome {
            Ok(o) => o,
            Err(e) => {
                let err = CallError::Interpreter {
                    particle_id,
                    ret_code: -1,
                    message: e.to_string(),
                };
                self.finish(lane_id, Err(err));
                return true;
            }
        };
        if outcome.ret_code != 0 {
            let keep = outcome.is_uncaught_catchable();
            if keep {
                lane.prev_data = outcome.data.clone();
            }
            let err = CallError::Interpreter {
                particle_id,
                ret_code: outcome.ret_code,
                message: outcome.error_message.clone(),
            };
            if !(keep && is_relay) {
                self.finish(lane_id, Err(err));
                return true;
            }
            warn!(target: "particle", "{err}; routing on as nox does");
        } else {
            lane.prev_data = outcome.data.clone();
        }
        if !outcome.next_peer_pks.is_empty() {
            let mut p = lane.particle.clone();
            p.data = outcome.data;
            let to = match &self.config.role {
                Role::Client { relay } => vec![relay.clone()],
                Role::Relay => outcome.next_peer_pks,
            };
            let token = SendToken(lane_id);
            self.events.push_back(Event::Send {
                to,
                particle: p,
                token,
            });
        }
        let no_calls = outcome.call_requests.is_empty();
        for req in outcome.call_requests {
            self.dispatch(lane_id, req, now);
        }
        let lane = self.lanes.get(&lane_id).expect("dispatch keeps lanes");
        if no_calls
            && lane.pending.is_empty()
            && lane.ready.is_empty()
            && matches!(lane.request, Some((_, CallMode::FireAndForget)))
        {
            self.finish(lane_id, Ok(Value::Null));
        }
        true
    }

    /// Routes one call request: particle-scoped handler, global handler, builtin, or an
    /// error result.
    fn dispatch(&mut self, lane_id: u64, req: CallRequest, now: u64) {
        let lane = self.lanes.get(&lane_id).expect("caller checked");
        let p = &lane.particle;
        let call = ServiceCall {
            token: CallToken {
                lane: lane_id,
                call_id: req.call_id,
            },
            service_id: req.service_id,
            function_name: req.function_name,
            args: req.arguments,
            params: CallParams {
                particle_id: p.id.clone(),
                init_peer_id: p.init_peer_id.clone(),
                timestamp: p.timestamp,
                ttl: p.ttl,
                signature: p.signature.clone(),
                tetraplets: req.tetraplets,
            },
        };
        let own = call.params.init_peer_id == self.key.peer_id();
        let reply = match self.registry.find(
            &call.params.particle_id,
            own,
            &call.service_id,
            &call.function_name,
        ) {
            Found::Scoped(Scoped::User(h)) | Found::Global(h) => h(&call),
            Found::Scoped(Scoped::Data(v)) => Reply::Ok(v.clone()),
            Found::Scoped(Scoped::Response(request)) => {
                let request = *request;
                let value = match call.args.len() {
                    0 => Value::Null,
                    1 => call.args[0].clone(),
                    _ => Value::Array(call.args.clone()),
                };
                self.finish_request(lane_id, request, Ok(value));
                Reply::Ok(json!({}))
            }
            Found::Scoped(Scoped::Error(request)) => {
                let request = *request;
                let error = call.args.first().cloned().unwrap_or(Value::Null);
                let message = match error.get("message") {
                    Some(Value::String(m)) => m.clone(),
                    _ if error.is_null() => "Unknown error happened in the Aqua script".into(),
                    _ => error.to_string(),
                };
                let err = CallError::Aqua {
                    particle_id: call.params.particle_id.clone(),
                    message,
                    error,
                };
                self.finish_request(lane_id, request, Err(err));
                Reply::Ok(json!({}))
            }
            // A registered service without that function: a builtin of the same name
            // still answers (so a host may override single builtin functions).
            Found::NoFunction => self.builtin(lane_id, &call, now).unwrap_or_else(|| {
                Reply::Err(format!(
                    "Service with id '{}' has no function '{}'",
                    call.service_id, call.function_name
                ))
            }),
            Found::NoService => self
                .builtin(lane_id, &call, now)
                .unwrap_or_else(|| Reply::Err(self.no_service_message(&call))),
        };
        let lane = self.lanes.get_mut(&lane_id).expect("caller checked");
        match reply {
            Reply::Ok(v) => lane.push_result(req.call_id, CallResult::ok(v)),
            Reply::Err(e) => lane.push_result(req.call_id, CallResult::err(e)),
            Reply::Later => {
                let name = format!("{}.{}", call.service_id, call.function_name);
                lane.pending.insert(req.call_id, name);
            }
        }
    }

    fn finish_request(
        &mut self,
        lane_id: u64,
        request: RequestId,
        result: Result<Value, CallError>,
    ) {
        let matches = self
            .lanes
            .get(&lane_id)
            .and_then(|l| l.request)
            .is_some_and(|(r, _)| r == request);
        if matches {
            self.finish(lane_id, result);
        }
    }

    /// A builtin's reply; `None` when no builtin service has that id.
    fn builtin(&mut self, lane_id: u64, call: &ServiceCall, now: u64) -> Option<Reply> {
        let guard = self.sig_guard.as_ref().map(|g| move || g(&call.params));
        let ctx = builtins::Context {
            flavor: self.flavor,
            now_ms: now,
            key: &self.key,
            init_peer_id: &call.params.init_peer_id,
            tetraplets: &call.params.tetraplets,
            particle_id: &call.params.particle_id,
            sign_allowed: guard.as_ref().map(|g| g as &dyn Fn() -> bool),
            external_addresses: &self.external_addresses,
        };
        Some(
            match builtins::call(&ctx, &call.service_id, &call.function_name, &call.args)? {
                Outcome::Ok(v) => Reply::Ok(v),
                Outcome::Err(e) => Reply::Err(e),
                Outcome::Print { line, value } => {
                    info!(target: "run-console", "{line}");
                    self.events.push_back(Event::Console {
                        particle_id: call.params.particle_id.clone(),
                        line,
                    });
                    Reply::Ok(value)
                }
                Outcome::Timeout { delay_ms, value } => {
                    let seq = self.next_timer;
                    self.next_timer += 1;
                    self.timers.insert((now.saturating_add(delay_ms), seq));
                    self.timer_payload
                        .insert(seq, (lane_id, call.token.call_id, value));
                    Reply::Later
                }
            },
        )
    }

    fn no_service_message(&self, call: &ServiceCall) -> String {
        match self.flavor {
            Flavor::Nox => format!(
                "Service with id '{}' not found (function {})",
                call.service_id, call.function_name
            ),
            Flavor::Js => format!(
                "No service found for service call: serviceId='{}', fnName='{}' args='{}'",
                call.service_id,
                call.function_name,
                Value::Array(call.args.clone())
            ),
        }
    }
}

/// A random UUID v4 string.
fn new_uuid() -> Result<String, String> {
    let mut b = [0u8; 16];
    getrandom::getrandom(&mut b).map_err(|e| format!("random source failed: {e}"))?;
    Ok(uuid::Builder::from_random_bytes(b).into_uuid().to_string())
}

#[cfg(test)]
mod tests {
    use super::WorkQueue;

    fn drain(q: &mut WorkQueue) -> Vec<u64> {
        std::iter::from_fn(|| q.pop()).collect()
    }

    #[test]
    fn a_relay_takes_runs_round_robin_by_source_and_a_client_in_arrival_order() {
        let fill = |q: &mut WorkQueue| {
            for lane in 1..=5 {
                q.push(lane, "flooder");
            }
            q.push(10, "a");
            q.push(20, "b");
            q.push(11, "a");
        };
        let mut fair = WorkQueue {
            fair: true,
            ..WorkQueue::default()
        };
        fill(&mut fair);
        assert_eq!(fair.len(), 8);
        assert_eq!(drain(&mut fair), vec![1, 10, 20, 2, 11, 3, 4, 5]);
        assert_eq!(fair.len(), 0);
        let mut fifo = WorkQueue::default();
        fill(&mut fifo);
        assert_eq!(drain(&mut fifo), vec![1, 2, 3, 4, 5, 10, 20, 11]);
        fill(&mut fair);
        fair.clear();
        assert_eq!((fair.len(), fair.pop(), fair.fair), (0, None, true));
    }
}
