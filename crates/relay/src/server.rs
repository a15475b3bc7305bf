//! The relay: tokio + rust-libp2p around a relay-role [`fluence_core::Engine`].
//!
//! The relay is a [`Host`] of the one driver loop (`fluence_net::driver`), which owns the
//! swarm and the engine. The particle protocol's connection handlers read and write the
//! frames (bounded by `max_frame`, `max_inbound_streams` per connection, `read_timeout`);
//! when the engine falls behind by `inbound_queue` particles the loop stops taking frames,
//! so readers wait, and so do the senders behind them (backpressure). Outbound, each particle
//! gets its own substream; at most `outbound_queue_per_peer` per connection may wait for
//! one, more are dropped with a log line.

use std::collections::HashSet;
use std::net::IpAddr;
use std::str::FromStr;
use std::time::Duration;

use crate::hostile;
use crate::runtime::Tokio;

use fluence_core::particle::NOX_MAX_FRAME;
use fluence_core::{Engine, EngineConfig, KeyPair, Particle, Reply, SendToken};
use libp2p::multiaddr::Protocol;
use libp2p::swarm::{NetworkBehaviour, SwarmEvent};
use libp2p::{connection_limits, identify, noise, ping, tcp, yamux, Multiaddr, PeerId, Swarm};
use serde_json::json;
use tracing::{debug, info, warn};

use fluence_net::driver::{self, Driver, Flow, Host, Io, ParticleBehaviour};
use fluence_net::protocol::{self, Limits, ParticleProtocol};
use fluence_net::wire::PROTOCOL;

/// Relay settings.
#[derive(Debug, Clone)]
pub struct RelayConfig {
    /// Address to listen on.
    pub listen_ip: IpAddr,
    /// WebSocket port (0 = any free port).
    pub ws_port: u16,
    /// Plain TCP port, if any (0 = any free port).
    pub tcp_port: Option<u16>,
    /// The relay's key.
    pub key: KeyPair,
    /// Largest accepted frame payload.
    pub max_frame: usize,
    /// Most connections one peer may hold.
    pub max_connections_per_peer: u32,
    /// Particles waiting for AquaVM above which the relay stops reading from the network
    /// until it catches up (backpressure).
    pub inbound_queue: usize,
    /// Particles waiting for a substream on one connection before more are dropped.
    pub outbound_queue_per_peer: usize,
    /// Inbound particle streams being read at once on one connection; more are dropped.
    pub max_inbound_streams: usize,
    /// How long reading or writing one particle stream may take.
    pub read_timeout: Duration,
    /// Close connections idle for this long (ping keeps live ones open regardless).
    pub idle_timeout: Duration,
    /// Addresses the relay is reachable at from outside (nox's `external_multiaddresses`):
    /// reported by `peer.identify` and by libp2p identify.
    pub external_addresses: Vec<Multiaddr>,
    /// The relay's public IP (nox's `external_address`): each listen address with its IP
    /// replaced by this one is reported as an external address too.
    pub external_ip: Option<IpAddr>,
    /// How far ahead of the relay's clock a particle's timestamp may be (ms); particles
    /// stamped further ahead are dropped with a logged reason (nox has no such check).
    pub clock_skew_allowance_ms: u64,
    /// Test mode (`--hostile`): serve the `hostile` service, whose functions make the relay
    /// attack the calling client with bad input (`crates/relay/src/hostile.rs`).
    pub hostile: bool,
}

impl RelayConfig {
    /// Defaults: 127.0.0.1, WebSocket port 9990, no TCP, nox's frame limit (100 MiB),
    /// nox's 5 connections per peer and its 128-particle inbound queue.
    pub fn new(key: KeyPair) -> Self {
        RelayConfig {
            listen_ip: IpAddr::from([127, 0, 0, 1]),
            ws_port: 9990,
            tcp_port: None,
            key,
            max_frame: NOX_MAX_FRAME,
            max_connections_per_peer: 5,
            inbound_queue: 128,
            outbound_queue_per_peer: 256,
            max_inbound_streams: 256,
            read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(24 * 3600),
            external_addresses: Vec::new(),
            external_ip: None,
            clock_skew_allowance_ms: fluence_core::DEFAULT_MAX_FUTURE_MS,
            hostile: false,
        }
    }
}

/// The relay's libp2p behaviours.
#[derive(NetworkBehaviour)]
struct Behaviour {
    identify: identify::Behaviour,
    ping: ping::Behaviour,
    limits: connection_limits::Behaviour,
    particles: ParticleProtocol,
}

impl ParticleBehaviour for Behaviour {
    fn particles(&mut self) -> &mut ParticleProtocol {
        &mut self.particles
    }

    fn particle_event(ev: BehaviourEvent) -> Result<protocol::Event, BehaviourEvent> {
        match ev {
            BehaviourEvent::Particles(p) => Ok(p),
            other => Err(other),
        }
    }
}

/// Errors starting the relay.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// Building the transport or listening failed.
    #[error("{0}")]
    Transport(String),
}

fn addr(ip: IpAddr, port: u16) -> Multiaddr {
    let mut a = Multiaddr::empty();
    a.push(match ip {
        IpAddr::V4(v4) => Protocol::Ip4(v4),
        IpAddr::V6(v6) => Protocol::Ip6(v6),
    });
    a.push(Protocol::Tcp(port));
    a
}

/// A started relay, listening.
pub struct Relay {
    swarm: Swarm<Behaviour>,
    engine: Engine,
    config: RelayConfig,
    connected: std::rc::Rc<std::cell::RefCell<HashSet<PeerId>>>,
    hostile: Option<hostile::Moves>,
}

impl Relay {
    /// Builds the swarm and starts listening.
    pub async fn start(config: RelayConfig) -> Result<Relay, StartError> {
        let err = |e: &dyn std::fmt::Display| StartError::Transport(e.to_string());
        let mut swarm = libp2p::SwarmBuilder::with_existing_identity(config.key.to_libp2p())
            .with_tokio()
            .with_tcp(
                tcp::Config::default().nodelay(true),
                noise::Config::new,
                yamux::Config::default,
            )
            .map_err(|e| err(&e))?
            .with_websocket(noise::Config::new, yamux::Config::default)
            .await
            .map_err(|e| err(&e))?
            .with_behaviour(|key| Behaviour {
                identify: identify::Behaviour::new(
                    identify::Config::new(PROTOCOL.to_string(), key.public())
                        .with_agent_version(format!("fluence-relay/{}", env!("CARGO_PKG_VERSION"))),
                ),
                ping: ping::Behaviour::new(ping::Config::new()),
                limits: connection_limits::Behaviour::new(
                    connection_limits::ConnectionLimits::default()
                        .with_max_established_per_peer(Some(config.max_connections_per_peer)),
                ),
                particles: ParticleProtocol::new(if config.hostile {
                    // Test mode: room for floods of streams well past a client's bounds.
                    Limits {
                        max_outbound_streams: hostile::MAX_STREAMS + 256,
                        max_queued_sends: hostile::MAX_STREAMS + 256,
                        ..Limits::relay()
                    }
                } else {
                    Limits {
                        max_frame: config.max_frame,
                        max_inbound_streams: config.max_inbound_streams,
                        max_queued_sends: config.outbound_queue_per_peer,
                        io_timeout: config.read_timeout,
                        ..Limits::relay()
                    }
                }),
            })
            .map_err(|e| err(&e))?
            .with_swarm_config(|c| c.with_idle_connection_timeout(config.idle_timeout))
            .build();
        let mut ws = addr(config.listen_ip, config.ws_port);
        ws.push(Protocol::Ws("/".into()));
        swarm.listen_on(ws).map_err(|e| err(&e))?;
        if let Some(port) = config.tcp_port {
            swarm
                .listen_on(addr(config.listen_ip, port))
                .map_err(|e| err(&e))?;
        }
        let mut engine_config = EngineConfig::relay();
        engine_config.max_future_ms = config.clock_skew_allowance_ms;
        let mut engine = Engine::new(config.key.clone(), engine_config);
        engine.set_external_addresses(
            config
                .external_addresses
                .iter()
                .map(|a| a.to_string())
                .collect(),
        );
        for a in &config.external_addresses {
            swarm.add_external_address(a.clone());
        }
        let hostile = config.hostile.then(|| {
            warn!("HOSTILE test mode: the `hostile` service attacks the clients that call it");
            let moves = hostile::Moves::default();
            hostile::register(&mut engine, &moves);
            moves
        });
        let mut relay = Relay {
            swarm,
            engine,
            connected: Default::default(),
            config,
            hostile,
        };
        relay.register_peer_builtins();
        Ok(relay)
    }

    /// The relay's PeerId.
    pub fn peer_id(&self) -> PeerId {
        *self.swarm.local_peer_id()
    }

    /// `peer.is_connected` answered from the live connection table, as nox does.
    fn register_peer_builtins(&mut self) {
        let connected = self.connected.clone();
        self.engine.register_service(
            "peer",
            "is_connected",
            Box::new(
                move |call| match call.args.first().and_then(|v| v.as_str()) {
                    Some(s) => match PeerId::from_str(s) {
                        Ok(p) => Reply::Ok(json!(connected.borrow().contains(&p))),
                        Err(e) => Reply::Err(format!("invalid PeerId {s:?}: {e}")),
                    },
                    None => Reply::Err("expected a PeerId string argument".into()),
                },
            ),
        );
    }

    /// Runs until `shutdown` resolves. Calls `on_listen` once with each listen address
    /// (with `/p2p/<relay>` appended) as the swarm reports it.
    pub async fn run(
        self,
        shutdown: impl std::future::Future<Output = ()>,
        on_listen: impl FnMut(&Multiaddr),
    ) {
        let host = RelayHost {
            peer_id: self.peer_id(),
            connected: self.connected,
            on_listen,
            external_ip: self.config.external_ip,
            hostile: self.hostile,
            hostile_sent: 0,
        };
        let mut driver = Driver::new(self.engine, self.swarm, host)
            .with_max_queued_runs(self.config.inbound_queue);
        let stop = Box::pin(futures::stream::once(shutdown));
        driver.run(&Tokio::new(), stop).await;
    }
}

/// The relay as a host of the one driver loop.
struct RelayHost<F> {
    peer_id: PeerId,
    connected: std::rc::Rc<std::cell::RefCell<HashSet<PeerId>>>,
    on_listen: F,
    external_ip: Option<IpAddr>,
    /// `--hostile`: the moves queued by `hostile.*` calls.
    hostile: Option<hostile::Moves>,
    /// Bad inputs sent so far (their send tokens).
    hostile_sent: u64,
}

impl<F> RelayHost<F> {
    /// Makes the queued hostile moves (before the particle that asked for them goes on).
    fn make_hostile_moves(&mut self, io: &mut Io<'_, Behaviour>) {
        let Some(moves) = &self.hostile else {
            return;
        };
        let queued: Vec<hostile::Move> = moves.borrow_mut().drain(..).collect();
        for m in queued {
            let w = hostile::wire(m);
            let count = w.frames.len() + w.unfinished.len();
            warn!(target: "network", peer = %w.peer, "HOSTILE: sending {count} bad inputs");
            let particles = io.swarm.behaviour_mut().particles();
            for (what, frame) in w.frames {
                self.hostile_sent += 1;
                particles.send(w.peer, hostile::outgoing(self.hostile_sent, what, frame));
            }
            for (what, frame) in w.unfinished {
                self.hostile_sent += 1;
                particles
                    .send_unfinished(w.peer, hostile::outgoing(self.hostile_sent, what, frame));
            }
        }
    }
}

impl<F: FnMut(&Multiaddr)> Host for RelayHost<F> {
    type Behaviour = Behaviour;
    /// The shutdown signal.
    type Command = ();

    fn on_command(&mut self, _: &mut Io<'_, Behaviour>, (): ()) -> Flow {
        Flow::Stop
    }

    fn on_send(
        &mut self,
        io: &mut Io<'_, Behaviour>,
        to: Vec<String>,
        p: Particle,
        token: SendToken,
    ) {
        self.make_hostile_moves(io);
        for dest in to {
            let peer = match PeerId::from_str(&dest) {
                Ok(peer) => peer,
                Err(e) => {
                    warn!(target: "network", "particle {} dropped: invalid destination {dest:?}: {e}", p.id);
                    continue;
                }
            };
            if !io.swarm.behaviour().particles.is_connected(&peer) {
                warn!(target: "network", "particle {} for {peer} dropped: peer not connected", p.id);
                continue;
            }
            driver::send_to::<Self>(io, peer, &p, token);
        }
    }

    fn on_sent(&mut self, _: &mut Io<'_, Behaviour>, peer: PeerId, _: SendToken) {
        debug!(target: "network", %peer, "sent particle");
    }

    fn on_completed(
        &mut self,
        _: &mut Io<'_, Behaviour>,
        _: fluence_core::RequestId,
        _: String,
        _: Result<serde_json::Value, fluence_core::CallError>,
    ) {
    }

    fn on_console(&mut self, particle_id: String, line: String) {
        info!(target: "run-console", %particle_id, "{line}")
    }

    fn on_stop(&mut self, io: &mut Io<'_, Behaviour>) {
        info!("shutting down");
        io.engine.shutdown("relay shutting down");
    }

    fn on_swarm_event(&mut self, io: &mut Io<'_, Behaviour>, ev: SwarmEvent<BehaviourEvent>) {
        match ev {
            SwarmEvent::NewListenAddr { address, .. } => {
                if let Some(ip) = self.external_ip {
                    let external = with_ip(&address, ip);
                    info!("external address {external}");
                    let mut all = io.engine.external_addresses().to_vec();
                    all.push(external.to_string());
                    io.engine.set_external_addresses(all);
                    io.swarm.add_external_address(external);
                }
                let full = address.with(Protocol::P2p(self.peer_id));
                info!("listening on {full}");
                (self.on_listen)(&full);
            }
            SwarmEvent::ConnectionEstablished { peer_id, .. } => {
                self.connected.borrow_mut().insert(peer_id);
                info!(target: "network", %peer_id, "connected");
            }
            SwarmEvent::ConnectionClosed {
                peer_id,
                num_established: 0,
                cause,
                ..
            } => {
                self.connected.borrow_mut().remove(&peer_id);
                info!(target: "network", %peer_id, "disconnected: {cause:?}");
            }
            SwarmEvent::IncomingConnectionError {
                error,
                send_back_addr,
                ..
            } => {
                debug!(target: "network", "incoming connection from {send_back_addr} failed: {error}");
            }
            SwarmEvent::Behaviour(BehaviourEvent::Ping(ping::Event {
                peer,
                connection,
                result: Err(e),
            })) => {
                info!(target: "network", %peer, "ping failed ({e}); closing the connection");
                io.swarm.close_connection(connection);
            }
            SwarmEvent::Behaviour(BehaviourEvent::Identify(identify::Event::Received {
                peer_id,
                info,
                ..
            })) => {
                debug!(target: "network", %peer_id, agent = %info.agent_version, "identified");
            }
            _ => {}
        }
    }
}

/// `address` with its first IP component replaced by `ip` (the port and the rest kept).
fn with_ip(address: &Multiaddr, ip: IpAddr) -> Multiaddr {
    let mut replaced = false;
    address
        .iter()
        .map(|p| match p {
            Protocol::Ip4(_) | Protocol::Ip6(_) if !replaced => {
                replaced = true;
                match ip {
                    IpAddr::V4(v4) => Protocol::Ip4(v4),
                    IpAddr::V6(v6) => Protocol::Ip6(v6),
                }
            }
            p => p,
        })
        .collect()
}
