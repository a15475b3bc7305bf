//! The relay: tokio + rust-libp2p around a relay-role [`fluence_core::Engine`].
//!
//! One task owns the swarm and the engine. Inbound particle streams are read by small
//! tasks (one frame each, bounded by `max_frame`, with a read timeout) that hand decoded
//! particles to the owner through a bounded channel: when the engine falls behind, the
//! readers wait, and so do the senders behind them (backpressure). Outbound particles go
//! through a bounded queue per connected peer, drained by a per-peer task that opens one
//! stream per particle.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use fluence_core::particle::NOX_MAX_FRAME;
use fluence_core::{Engine, EngineConfig, Event, KeyPair, Particle, Reply};
use futures::StreamExt;
use libp2p::multiaddr::Protocol;
use libp2p::swarm::{NetworkBehaviour, SwarmEvent};
use libp2p::{connection_limits, identify, noise, ping, tcp, yamux, Multiaddr, PeerId, Swarm};
use serde_json::json;
use tokio::sync::mpsc;
use tracing::{debug, info, warn};

use crate::wire::{self, PROTOCOL};

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
    stream: libp2p_stream::Behaviour,
}

/// Errors starting the relay.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// Building the transport or listening failed.
    #[error("{0}")]
    Transport(String),
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
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
    connections: HashMap<PeerId, u32>,
    outbound: HashMap<PeerId, mpsc::Sender<(String, Vec<u8>)>>,
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
                stream: libp2p_stream::Behaviour::new(),
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
        let mut relay = Relay {
            swarm,
            engine,
            config,
            connected: Default::default(),
            connections: HashMap::new(),
            outbound: HashMap::new(),
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
        let mut incoming = self
            .swarm
            .behaviour()
            .stream
            .new_control()
            .accept(PROTOCOL)
            .expect("the particle protocol is registered once");
        let (in_tx, mut in_rx) = mpsc::channel::<Inbound>(self.config.inbound_queue);
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
                Some((peer, stream)) = incoming.next() => {
                    let tx = in_tx.clone();
                    let (max, timeout) = (self.config.max_frame, self.config.read_timeout);
                    tokio::spawn(async move {
                        let mut stream = stream;
                        let res = tokio::time::timeout(timeout, wire::read_frame(&mut stream, max)).await;
                        let msg = match res {
                            Ok(Ok(payload)) => Inbound::Frame(peer, payload),
                            Ok(Err(e)) => Inbound::Failed(peer, e.to_string()),
                            Err(_) => Inbound::Failed(peer, format!("no complete frame within {timeout:?}")),
                        };
                        drop(stream);
                        let _ = tx.send(msg).await;
                    });
                }
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
        let Some(queue) = self.outbound.get(&peer) else {
            warn!(target: "network", "particle {particle_id} for {peer} dropped: peer not connected");
            return;
        };
        if let Err(e) = queue.try_send((particle_id.to_string(), frame)) {
            let why = match e {
                mpsc::error::TrySendError::Full(_) => "send queue full",
                mpsc::error::TrySendError::Closed(_) => "peer disconnected",
            };
            warn!(target: "network", "particle {particle_id} for {peer} dropped: {why}");
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
                *self.connections.entry(peer_id).or_default() += 1;
                self.connected.borrow_mut().insert(peer_id);
                if !self.outbound.contains_key(&peer_id) {
                    let (tx, rx) = mpsc::channel(self.config.outbound_queue_per_peer);
                    let control = self.swarm.behaviour().stream.new_control();
                    tokio::spawn(sender(peer_id, rx, control));
                    self.outbound.insert(peer_id, tx);
                }
                info!(target: "network", %peer_id, "connected");
            }
            SwarmEvent::ConnectionClosed {
                peer_id,
                num_established,
                cause,
                ..
            } => {
                if num_established == 0 {
                    self.connections.remove(&peer_id);
                    self.connected.borrow_mut().remove(&peer_id);
                    self.outbound.remove(&peer_id);
                    info!(target: "network", %peer_id, "disconnected: {cause:?}");
                } else {
                    self.connections.insert(peer_id, num_established);
                }
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

/// Sends queued particles to one peer: one stream per particle, a few at a time.
async fn sender(
    peer: PeerId,
    rx: mpsc::Receiver<(String, Vec<u8>)>,
    control: libp2p_stream::Control,
) {
    tokio_stream_from(rx)
        .for_each_concurrent(16, |(id, frame)| {
            let mut control = control.clone();
            async move {
                let res = async {
                    let mut s = control
                        .open_stream(peer, PROTOCOL)
                        .await
                        .map_err(|e| e.to_string())?;
                    wire::write_frame(&mut s, &frame)
                        .await
                        .map_err(|e| e.to_string())
                };
                match tokio::time::timeout(Duration::from_secs(20), res).await {
                    Ok(Ok(())) => debug!(target: "network", %peer, %id, "sent particle"),
                    Ok(Err(e)) => warn!(target: "network", %peer, "particle {id} not sent: {e}"),
                    Err(_) => warn!(target: "network", %peer, "particle {id} not sent: timed out"),
                }
            }
        })
        .await;
}

fn tokio_stream_from<T>(mut rx: mpsc::Receiver<T>) -> impl futures::Stream<Item = T> {
    futures::stream::poll_fn(move |cx| rx.poll_recv(cx))
}
