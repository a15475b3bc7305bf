//! A native Fluence client on the core engine (tokio + rust-libp2p, TCP or WebSocket).
//! Used by the relay's tests and the load generator; the browser client is the wasm crate.
//!
//! The engine is single-threaded (its handlers need not be `Send`), so each client runs
//! its swarm and engine on a thread of its own; the handle talks to it over channels.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::now_ms;

use fluence_core::particle::NOX_MAX_FRAME;
use fluence_core::{
    CallError, CallOptions, Engine, EngineConfig, Event, KeyPair, Particle, Reply, RequestId,
    ServiceCall,
};
use futures::StreamExt;
use libp2p::multiaddr::Protocol;
use libp2p::swarm::SwarmEvent;
use libp2p::{identify, noise, tcp, yamux, Multiaddr, PeerId};
use serde_json::Value;
use tokio::sync::{mpsc, oneshot};
use tracing::{debug, warn};

use fluence_net::protocol::{self, Outgoing};
use fluence_net::wire;
use fluence_net::{ClientBehaviour, ClientBehaviourEvent};

/// A result of [`NativeClient::call_air`].
pub type CallResult = Result<Value, CallError>;

type SendHandler = Box<dyn FnMut(&ServiceCall) -> Reply + Send>;

enum Cmd {
    Call {
        script: String,
        args: Vec<(String, Value)>,
        ttl_ms: Option<u32>,
        fire_and_forget: bool,
        reply: oneshot::Sender<CallResult>,
    },
    Register {
        service: String,
        function: String,
        handler: SendHandler,
    },
    Raw {
        bytes: Vec<u8>,
        reply: oneshot::Sender<Result<(), String>>,
    },
    Stop,
}

/// Frames this client received, per particle id.
pub type Received = Arc<Mutex<HashMap<String, u32>>>;

/// A connected native client.
pub struct NativeClient {
    tx: mpsc::UnboundedSender<Cmd>,
    peer_id: String,
    relay_peer_id: String,
    received: Received,
    relay_protocols: Arc<Mutex<Vec<String>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// The PeerId at the end of a multiaddr (`…/p2p/<id>`).
pub fn relay_peer_id(addr: &Multiaddr) -> Result<PeerId, String> {
    match addr.iter().last() {
        Some(Protocol::P2p(p)) => Ok(p),
        _ => Err(format!("multiaddr {addr} does not end with /p2p/<peer id>")),
    }
}

impl NativeClient {
    /// Connects to the relay at `relay` (its multiaddr must end with `/p2p/<id>`), waiting
    /// up to `timeout` for the connection.
    pub async fn connect(
        relay: &Multiaddr,
        key: KeyPair,
        timeout: Duration,
    ) -> Result<NativeClient, String> {
        let relay_peer = relay_peer_id(relay)?;
        let (tx, rx) = mpsc::unbounded_channel();
        let (ready_tx, ready_rx) = oneshot::channel();
        let received: Received = Arc::default();
        let peer_id = key.peer_id().to_string();
        let addr = relay.clone();
        let rec = received.clone();
        let relay_protocols: Arc<Mutex<Vec<String>>> = Arc::default();
        let protos = relay_protocols.clone();
        let thread = std::thread::Builder::new()
            .name(format!("client-{}", &peer_id[peer_id.len() - 6..]))
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a current-thread runtime");
                rt.block_on(run(key, addr, relay_peer, rx, ready_tx, rec, protos));
            })
            .map_err(|e| e.to_string())?;
        match tokio::time::timeout(timeout, ready_rx).await {
            Ok(Ok(Ok(()))) => Ok(NativeClient {
                tx,
                peer_id,
                relay_peer_id: relay_peer.to_string(),
                received,
                relay_protocols,
                thread: Some(thread),
            }),
            Ok(Ok(Err(e))) => Err(e),
            Ok(Err(_)) => Err("client thread ended".into()),
            Err(_) => {
                let _ = tx.send(Cmd::Stop);
                Err(format!("no connection to {relay} within {timeout:?}"))
            }
        }
    }

    /// This client's PeerId.
    pub fn peer_id(&self) -> &str {
        &self.peer_id
    }

    /// The relay's PeerId.
    pub fn relay_peer_id(&self) -> &str {
        &self.relay_peer_id
    }

    /// Frames received so far, per particle id.
    pub fn received(&self) -> Received {
        self.received.clone()
    }

    /// The protocols the relay advertised through identify (empty until it has).
    pub fn relay_protocols(&self) -> Vec<String> {
        self.relay_protocols.lock().expect("not poisoned").clone()
    }

    /// Runs `script` with `args`; see [`Engine::call_air`].
    pub async fn call_air(
        &self,
        script: &str,
        args: Vec<(String, Value)>,
        ttl_ms: Option<u32>,
        fire_and_forget: bool,
    ) -> CallResult {
        let (reply, rx) = oneshot::channel();
        let cmd = Cmd::Call {
            script: script.to_string(),
            args,
            ttl_ms,
            fire_and_forget,
            reply,
        };
        let gone = || CallError::Cancelled {
            particle_id: String::new(),
            message: "client stopped".into(),
        };
        self.tx.send(cmd).map_err(|_| gone())?;
        rx.await.map_err(|_| gone())?
    }

    /// Registers a global service function.
    pub fn register_service(
        &self,
        service: &str,
        function: &str,
        handler: impl FnMut(&ServiceCall) -> Reply + Send + 'static,
    ) {
        let _ = self.tx.send(Cmd::Register {
            service: service.into(),
            function: function.into(),
            handler: Box::new(handler),
        });
    }

    /// Writes `bytes` as they are on a new particle stream to the relay (for tests of bad
    /// input), then closes the stream.
    pub async fn send_raw(&self, bytes: Vec<u8>) -> Result<(), String> {
        let (reply, rx) = oneshot::channel();
        self.tx
            .send(Cmd::Raw { bytes, reply })
            .map_err(|_| "client stopped".to_string())?;
        rx.await.map_err(|_| "client stopped".to_string())?
    }
}

impl Drop for NativeClient {
    fn drop(&mut self) {
        let _ = self.tx.send(Cmd::Stop);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

async fn run(
    key: KeyPair,
    relay_addr: Multiaddr,
    relay: PeerId,
    mut cmds: mpsc::UnboundedReceiver<Cmd>,
    ready: oneshot::Sender<Result<(), String>>,
    received: Received,
    relay_protocols: Arc<Mutex<Vec<String>>>,
) {
    let swarm = async {
        Ok::<_, String>(
            libp2p::SwarmBuilder::with_existing_identity(key.to_libp2p())
                .with_tokio()
                .with_tcp(
                    tcp::Config::default().nodelay(true),
                    noise::Config::new,
                    yamux::Config::default,
                )
                .map_err(|e| e.to_string())?
                .with_websocket(noise::Config::new, yamux::Config::default)
                .await
                .map_err(|e| e.to_string())?
                .with_behaviour(|k| ClientBehaviour::new(k.public()))
                .map_err(|e| e.to_string())?
                .with_swarm_config(|c| c.with_idle_connection_timeout(Duration::from_secs(3600)))
                .build(),
        )
    };
    let mut swarm = match swarm.await {
        Ok(s) => s,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    if let Err(e) = swarm.dial(relay_addr.clone()) {
        let _ = ready.send(Err(format!("dial {relay_addr}: {e}")));
        return;
    }
    // Raw sends waiting for their substream, by their (made-up) particle id.
    let mut raw_waiting: HashMap<String, oneshot::Sender<Result<(), String>>> = HashMap::new();
    let mut raw_seq = 0u64;
    let (fail_tx, mut fail_rx) = mpsc::unbounded_channel::<(Vec<u8>, String)>();
    let mut engine = Engine::new(key, EngineConfig::client(relay.to_string()));
    let mut waiting: HashMap<RequestId, oneshot::Sender<CallResult>> = HashMap::new();
    let mut ready = Some(ready);
    let (in_tx, mut in_rx) = mpsc::channel::<Vec<u8>>(256);
    loop {
        let wake = engine.poll_timeout();
        let sleep = async {
            match wake {
                Some(at) => {
                    tokio::time::sleep(Duration::from_millis(at.saturating_sub(now_ms()))).await
                }
                None => std::future::pending().await,
            }
        };
        let busy = engine.has_work();
        tokio::select! {
            biased;
            cmd = cmds.recv() => match cmd {
                None | Some(Cmd::Stop) => break,
                Some(Cmd::Call { script, args, ttl_ms, fire_and_forget, reply }) => {
                    let opts = CallOptions { ttl_ms, fire_and_forget, ..Default::default() };
                    match engine.call_air(&script, args, opts, now_ms()) {
                        Ok((req, _)) => { waiting.insert(req, reply); }
                        Err(e) => { let _ = reply.send(Err(e)); }
                    }
                }
                Some(Cmd::Register { service, function, mut handler }) => {
                    engine.register_service(&service, &function, Box::new(move |c| handler(c)));
                }
                Some(Cmd::Raw { bytes, reply }) => {
                    raw_seq += 1;
                    let particle_id = format!("raw-{raw_seq}");
                    raw_waiting.insert(particle_id.clone(), reply);
                    swarm.behaviour_mut().particles.send(relay, Outgoing { particle_id, frame: bytes });
                }
            },
            ev = swarm.select_next_some() => match ev {
                SwarmEvent::ConnectionEstablished { peer_id, .. } if peer_id == relay => {
                    if let Some(r) = ready.take() { let _ = r.send(Ok(())); }
                }
                SwarmEvent::OutgoingConnectionError { error, .. } => {
                    if let Some(r) = ready.take() { let _ = r.send(Err(format!("dial failed: {error}"))); }
                }
                SwarmEvent::ConnectionClosed { peer_id, cause, .. } if peer_id == relay => {
                    warn!("relay connection closed: {cause:?}");
                }
                SwarmEvent::Behaviour(ClientBehaviourEvent::Identify(identify::Event::Received { peer_id, info, .. })) if peer_id == relay => {
                    *relay_protocols.lock().expect("not poisoned") =
                        info.protocols.iter().map(|p| p.to_string()).collect();
                }
                SwarmEvent::Behaviour(ClientBehaviourEvent::Particles(ev)) => match ev {
                    protocol::Event::Inbound { mut stream, .. } => {
                        let tx = in_tx.clone();
                        tokio::spawn(async move {
                            match wire::read_frame(&mut stream, NOX_MAX_FRAME).await {
                                Ok(p) => { let _ = tx.send(p).await; }
                                Err(e) => debug!("inbound stream failed: {e}"),
                            }
                        });
                    }
                    protocol::Event::Outbound { mut stream, outgoing, .. } => {
                        let raw = raw_waiting.remove(&outgoing.particle_id);
                        let fail = fail_tx.clone();
                        tokio::spawn(async move {
                            let res = wire::write_frame(&mut stream, &outgoing.frame).await.map_err(|e| e.to_string());
                            match raw {
                                Some(r) => { let _ = r.send(res); }
                                None => if let Err(e) = res {
                                    let _ = fail.send((outgoing.frame, e));
                                },
                            }
                        });
                    }
                    protocol::Event::OutboundFailed { outgoing, error, .. } => {
                        match raw_waiting.remove(&outgoing.particle_id) {
                            Some(r) => { let _ = r.send(Err(error)); }
                            None => { let _ = fail_tx.send((outgoing.frame, error)); }
                        }
                    }
                },
                _ => {}
            },
            Some((frame, error)) = fail_rx.recv() => {
                if let Ok(p) = Particle::from_frame(&frame, NOX_MAX_FRAME) {
                    engine.send_failed(&p, &error);
                }
            }
            Some(payload) = in_rx.recv() => match Particle::from_payload(&payload) {
                Ok(p) => {
                    *received.lock().expect("not poisoned").entry(p.id.clone()).or_default() += 1;
                    let _ = engine.handle_particle(p, now_ms());
                }
                Err(e) => warn!("undecodable particle: {e}"),
            },
            _ = sleep => engine.handle_timeout(now_ms()),
            _ = std::future::ready(()), if busy => {}
        }
        engine.process(now_ms(), 16);
        while let Some(ev) = engine.poll_event() {
            match ev {
                Event::Send { particle, .. } => {
                    if swarm.is_connected(&relay) {
                        let outgoing = Outgoing {
                            particle_id: particle.id.clone(),
                            frame: particle.to_frame(),
                        };
                        swarm.behaviour_mut().particles.send(relay, outgoing);
                    } else {
                        engine.send_failed(&particle, "not connected to the relay");
                    }
                }
                Event::Completed {
                    request, result, ..
                } => {
                    if let Some(w) = waiting.remove(&request) {
                        let _ = w.send(result);
                    }
                }
                Event::Console { line, .. } => println!("{line}"),
            }
        }
    }
    engine.shutdown("client stopped");
    while let Some(ev) = engine.poll_event() {
        if let Event::Completed {
            request, result, ..
        } = ev
        {
            if let Some(w) = waiting.remove(&request) {
                let _ = w.send(result);
            }
        }
    }
}

/// Parses a relay multiaddr string.
pub fn parse_multiaddr(s: &str) -> Result<Multiaddr, String> {
    Multiaddr::from_str(s.trim()).map_err(|e| format!("invalid multiaddr {s:?}: {e}"))
}
