//! The relay: tokio + rust-libp2p around a relay-role [`fluence_core::Engine`].
//!
//! One task owns the swarm and the engine. Every inbound particle substream is read by a
//! small task (one frame, bounded by `max_frame`, with a read timeout; at most
//! `max_inbound_streams` at once) that hands the payload to the owner through a bounded
//! channel: when the engine falls behind, readers wait, and so do the senders behind them
//! (backpressure). Outbound, each particle gets its own substream; at most
//! `outbound_queue_per_peer` per peer may wait for one, more are dropped with a log line.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::str::FromStr;
use std::time::Duration;

use crate::now_ms;

use fluence_core::particle::NOX_MAX_FRAME;
use fluence_core::{Engine, EngineConfig, Event, KeyPair, Particle, Reply};
use futures::StreamExt;
use libp2p::multiaddr::Protocol;
use libp2p::swarm::{NetworkBehaviour, SwarmEvent};
use libp2p::{connection_limits, identify, noise, ping, tcp, yamux, Multiaddr, PeerId, Swarm};
use serde_json::json;
use tokio::sync::mpsc;
use tracing::{debug, info, warn};

use fluence_net::protocol::{self, Outgoing, ParticleProtocol};
use fluence_net::wire::{self, PROTOCOL};

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
    /// Particles waiting for the engine before readers wait (backpressure).
    pub inbound_queue: usize,
    /// Particles waiting to be sent to one peer before more are dropped.
    pub outbound_queue_per_peer: usize,
    /// Inbound particle streams being read at once; more are refused.
    pub max_inbound_streams: usize,
    /// How long reading one inbound frame may take.
    pub read_timeout: Duration,
    /// Close connections idle for this long (ping keeps live ones open regardless).
    pub idle_timeout: Duration,
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
            max_inbound_streams: 4096,
            read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(24 * 3600),
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
    /// Particles handed to the swarm per peer whose substream is not open yet.
    opening: HashMap<PeerId, usize>,
    readers: std::sync::Arc<tokio::sync::Semaphore>,
    inbound_tx: mpsc::Sender<Inbound>,
    inbound_rx: Option<mpsc::Receiver<Inbound>>,
}

enum Inbound {
    Frame(PeerId, Vec<u8>),
    Failed(PeerId, String),
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
                particles: ParticleProtocol::new(false),
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
        let engine = Engine::new(config.key.clone(), EngineConfig::relay());
        let (inbound_tx, inbound_rx) = mpsc::channel(config.inbound_queue);
        let mut relay = Relay {
            swarm,
            engine,
            connected: Default::default(),
            opening: HashMap::new(),
            readers: std::sync::Arc::new(tokio::sync::Semaphore::new(config.max_inbound_streams)),
            inbound_tx,
            inbound_rx: Some(inbound_rx),
            config,
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
        mut self,
        shutdown: impl std::future::Future<Output = ()>,
        mut on_listen: impl FnMut(&Multiaddr),
    ) {
        let mut in_rx = self.inbound_rx.take().expect("run is called once");
        tokio::pin!(shutdown);
        loop {
            let wake = self.engine.poll_timeout();
            let sleep = async {
                match wake {
                    Some(at) => {
                        let d = at.saturating_sub(now_ms());
                        tokio::time::sleep(Duration::from_millis(d)).await
                    }
                    None => std::future::pending().await,
                }
            };
            let busy = self.engine.has_work();
            tokio::select! {
                biased;
                _ = &mut shutdown => break,
                ev = self.swarm.select_next_some() => self.on_swarm_event(ev, &mut on_listen),
                Some(msg) = in_rx.recv() => self.on_inbound(msg),
                _ = sleep => self.engine.handle_timeout(now_ms()),
                _ = std::future::ready(()), if busy => {}
            }
            self.engine.process(now_ms(), 16);
            while let Some(ev) = self.engine.poll_event() {
                self.on_engine_event(ev);
            }
        }
        info!("shutting down");
        self.engine.shutdown("relay shutting down");
    }

    fn on_inbound(&mut self, msg: Inbound) {
        match msg {
            Inbound::Failed(peer, reason) => {
                warn!(target: "network", %peer, "dropped inbound particle: {reason}");
            }
            Inbound::Frame(peer, payload) => match Particle::from_payload(&payload) {
                Err(e) => {
                    warn!(target: "network", %peer, "dropped inbound particle: undecodable: {e}")
                }
                Ok(p) => {
                    info!(target: "network", %peer, id = %p.id, "received particle");
                    // The engine logs why it drops a particle.
                    let _ = self.engine.handle_particle(p, now_ms());
                }
            },
        }
    }

    fn on_engine_event(&mut self, ev: Event) {
        match ev {
            Event::Send { to, particle } => {
                let frame = particle.to_frame();
                for dest in to {
                    self.send(&dest, &particle.id, frame.clone());
                }
            }
            Event::Console { particle_id, line } => {
                info!(target: "run-console", %particle_id, "{line}")
            }
            Event::Completed { .. } => {}
        }
    }

    fn send(&mut self, dest: &str, particle_id: &str, frame: Vec<u8>) {
        let peer = match PeerId::from_str(dest) {
            Ok(p) => p,
            Err(e) => {
                warn!(target: "network", "particle {particle_id} dropped: invalid destination {dest:?}: {e}");
                return;
            }
        };
        if !self.connected.borrow().contains(&peer) {
            warn!(target: "network", "particle {particle_id} for {peer} dropped: peer not connected");
            return;
        }
        let opening = self.opening.entry(peer).or_default();
        if *opening >= self.config.outbound_queue_per_peer {
            warn!(target: "network", "particle {particle_id} for {peer} dropped: send queue full");
            return;
        }
        *opening += 1;
        let outgoing = Outgoing {
            particle_id: particle_id.to_string(),
            frame,
        };
        self.swarm.behaviour_mut().particles.send(peer, outgoing);
    }

    fn read_inbound(&mut self, peer: PeerId, mut stream: libp2p::Stream) {
        let Ok(permit) = self.readers.clone().try_acquire_owned() else {
            warn!(target: "network", %peer, "dropped inbound particle: {} streams already being read", self.config.max_inbound_streams);
            return;
        };
        let tx = self.inbound_tx.clone();
        let (max, timeout) = (self.config.max_frame, self.config.read_timeout);
        tokio::spawn(async move {
            let res = tokio::time::timeout(timeout, wire::read_frame(&mut stream, max)).await;
            drop(stream);
            let msg = match res {
                Ok(Ok(payload)) => Inbound::Frame(peer, payload),
                Ok(Err(e)) => Inbound::Failed(peer, e.to_string()),
                Err(_) => Inbound::Failed(peer, format!("no complete frame within {timeout:?}")),
            };
            // Waits while the engine is behind: backpressure on the sender.
            let _ = tx.send(msg).await;
            drop(permit);
        });
    }

    fn on_particle_event(&mut self, ev: protocol::Event) {
        match ev {
            protocol::Event::Inbound { peer, stream } => self.read_inbound(peer, stream),
            protocol::Event::Outbound {
                peer,
                mut stream,
                outgoing,
            } => {
                self.opened(peer);
                tokio::spawn(async move {
                    let res = tokio::time::timeout(
                        Duration::from_secs(10),
                        wire::write_frame(&mut stream, &outgoing.frame),
                    )
                    .await;
                    let id = &outgoing.particle_id;
                    match res {
                        Ok(Ok(())) => debug!(target: "network", %peer, %id, "sent particle"),
                        Ok(Err(e)) => {
                            warn!(target: "network", %peer, "particle {id} not sent: {e}")
                        }
                        Err(_) => {
                            warn!(target: "network", %peer, "particle {id} not sent: timed out")
                        }
                    }
                });
            }
            protocol::Event::OutboundFailed {
                peer,
                outgoing,
                error,
            } => {
                self.opened(peer);
                warn!(target: "network", %peer, "particle {} not sent: {error}", outgoing.particle_id);
            }
        }
    }

    fn opened(&mut self, peer: PeerId) {
        if let Some(n) = self.opening.get_mut(&peer) {
            *n = n.saturating_sub(1);
        }
    }

    fn on_swarm_event(
        &mut self,
        ev: SwarmEvent<BehaviourEvent>,
        on_listen: &mut impl FnMut(&Multiaddr),
    ) {
        match ev {
            SwarmEvent::NewListenAddr { address, .. } => {
                let full = address.with(Protocol::P2p(self.peer_id()));
                info!("listening on {full}");
                on_listen(&full);
            }
            SwarmEvent::ConnectionEstablished { peer_id, .. } => {
                self.connected.borrow_mut().insert(peer_id);
                info!(target: "network", %peer_id, "connected");
            }
            SwarmEvent::Behaviour(BehaviourEvent::Particles(ev)) => self.on_particle_event(ev),
            SwarmEvent::ConnectionClosed {
                peer_id,
                num_established: 0,
                cause,
                ..
            } => {
                self.connected.borrow_mut().remove(&peer_id);
                self.opening.remove(&peer_id);
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
                self.swarm.close_connection(connection);
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
