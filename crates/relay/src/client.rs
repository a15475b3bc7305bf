//! A native Fluence client on the core engine (tokio + rust-libp2p, TCP or WebSocket).
//! Used by the relay's tests and the load generator; the browser client is the wasm crate.
//!
//! The engine is single-threaded (its handlers need not be `Send`), so each client runs
//! its swarm and engine on a thread of its own; the handle talks to it over channels.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::runtime::Tokio;

use fluence_core::{
    CallError, CallOptions, Engine, EngineConfig, KeyPair, Particle, Reply, RequestId, SendToken,
    ServiceCall, SessionConfig,
};
use futures::channel::{mpsc, oneshot};
use futures::StreamExt;
use libp2p::multiaddr::Protocol;
use libp2p::swarm::SwarmEvent;
use libp2p::{identify, noise, tcp, yamux, Multiaddr, PeerId};
use serde_json::Value;
use tracing::{debug, warn};

use fluence_net::protocol::Outgoing;
use fluence_net::Driver;
use fluence_net::{ClientBehaviour, ClientBehaviourEvent, Flow, Host, Io, RelayLink};

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
    /// Open a particle stream, write these bytes, never finish it (hostile-peer tests).
    RawUnfinished {
        bytes: Vec<u8>,
    },
    /// Dial the relay (the first command the loop gets).
    Start,
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
        let (tx, rx) = mpsc::unbounded();
        let (ready_tx, ready_rx) = oneshot::channel();
        let received: Received = Arc::default();
        let peer_id = key.peer_id().to_string();
        let relay_protocols: Arc<Mutex<Vec<String>>> = Arc::default();
        let session = SessionConfig {
            dial_timeout_ms: timeout.as_millis() as u64,
            ..SessionConfig::default()
        };
        let host = NativeHost {
            link: RelayLink::new(relay.clone(), relay_peer, session),
            ready: Some(ready_tx),
            waiting: HashMap::new(),
            raw_waiting: HashMap::new(),
            raw_seq: 0,
            received: received.clone(),
            relay_protocols: relay_protocols.clone(),
            started: false,
            ended: false,
        };
        let thread = std::thread::Builder::new()
            .name(format!("client-{}", &peer_id[peer_id.len() - 6..]))
            // AquaVM recurses once per nested instruction (up to `AvmLimits::max_depth`,
            // ~1 KB of stack each natively): the 2 MB default is too tight.
            .stack_size(16 * 1024 * 1024)
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a current-thread runtime");
                rt.block_on(run(key, relay_peer, rx, host));
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
                let _ = tx.unbounded_send(Cmd::Stop);
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
        self.tx.unbounded_send(cmd).map_err(|_| gone())?;
        rx.await.map_err(|_| gone())?
    }

    /// Registers a global service function.
    pub fn register_service(
        &self,
        service: &str,
        function: &str,
        handler: impl FnMut(&ServiceCall) -> Reply + Send + 'static,
    ) {
        let _ = self.tx.unbounded_send(Cmd::Register {
            service: service.into(),
            function: function.into(),
            handler: Box::new(handler),
        });
    }

    /// Opens a particle stream to the relay, writes `bytes` and never finishes the stream
    /// (for tests of the relay's bounds); it is dropped at this client's I/O timeout.
    pub fn send_unfinished(&self, bytes: Vec<u8>) -> Result<(), String> {
        self.tx
            .unbounded_send(Cmd::RawUnfinished { bytes })
            .map_err(|_| "client stopped".to_string())
    }

    /// Writes `bytes` as they are on a new particle stream to the relay (for tests of bad
    /// input), then closes the stream.
    pub async fn send_raw(&self, bytes: Vec<u8>) -> Result<(), String> {
        let (reply, rx) = oneshot::channel();
        self.tx
            .unbounded_send(Cmd::Raw { bytes, reply })
            .map_err(|_| "client stopped".to_string())?;
        rx.await.map_err(|_| "client stopped".to_string())?
    }
}

impl Drop for NativeClient {
    fn drop(&mut self) {
        let _ = self.tx.unbounded_send(Cmd::Stop);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

async fn run(
    key: KeyPair,
    relay: PeerId,
    cmds: mpsc::UnboundedReceiver<Cmd>,
    mut host: NativeHost,
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
    let swarm = match swarm.await {
        Ok(s) => s,
        Err(e) => {
            if let Some(r) = host.ready.take() {
                let _ = r.send(Err(e));
            }
            return;
        }
    };
    let engine = Engine::new(key, EngineConfig::client(relay.to_string()));

    let mut driver = Driver::new(engine, swarm, host);
    let rt = Tokio::new();
    // The first dial happens inside the loop (it needs the swarm): a Start command first.
    let cmds = futures::stream::iter([Cmd::Start]).chain(cmds);
    driver.run(&rt, cmds).await;
}

/// The native client as a host of the one driver loop.
struct NativeHost {
    link: RelayLink,
    ready: Option<oneshot::Sender<Result<(), String>>>,
    waiting: HashMap<RequestId, oneshot::Sender<CallResult>>,
    /// Raw sends waiting for their result, by their host token.
    raw_waiting: HashMap<SendToken, oneshot::Sender<Result<(), String>>>,
    raw_seq: u64,
    received: Received,
    relay_protocols: Arc<Mutex<Vec<String>>>,
    started: bool,
    /// The first dial failed: the loop ends.
    ended: bool,
}

impl NativeHost {
    fn notices(&mut self) {
        let ended = self.link.settle(
            &mut self.ready,
            |msg, _| msg.to_string(),
            |s| debug!("relay connection: {s}"),
        );
        self.ended |= ended;
    }
}

impl Host for NativeHost {
    type Behaviour = ClientBehaviour;
    type Command = Cmd;

    fn on_command(&mut self, io: &mut Io<'_, ClientBehaviour>, cmd: Cmd) -> Flow {
        match cmd {
            Cmd::Start => {
                if !self.started {
                    self.started = true;
                    self.link.start::<Self>(io);
                }
                self.notices();
            }
            Cmd::Stop => return Flow::Stop,
            Cmd::Call {
                script,
                args,
                ttl_ms,
                fire_and_forget,
                reply,
            } => {
                let opts = CallOptions {
                    ttl_ms,
                    fire_and_forget,
                    ..Default::default()
                };
                match io.engine.call_air(&script, args, opts, io.now) {
                    Ok((req, _)) => {
                        self.waiting.insert(req, reply);
                    }
                    Err(e) => {
                        let _ = reply.send(Err(e));
                    }
                }
            }
            Cmd::Register {
                service,
                function,
                mut handler,
            } => {
                io.engine
                    .register_service(&service, &function, Box::new(move |c| handler(c)));
            }
            Cmd::RawUnfinished { bytes } => {
                self.raw_seq += 1;
                let outgoing = Outgoing {
                    token: SendToken(SendToken::HOST_MIN + self.raw_seq),
                    particle_id: format!("raw-{}", self.raw_seq),
                    frame: bytes,
                };
                let relay = self.link.relay();
                io.swarm
                    .behaviour_mut()
                    .particles
                    .send_unfinished(relay, outgoing);
            }
            Cmd::Raw { bytes, reply } => {
                self.raw_seq += 1;
                let token = SendToken(SendToken::HOST_MIN + self.raw_seq);
                self.raw_waiting.insert(token, reply);
                let outgoing = Outgoing {
                    token,
                    particle_id: format!("raw-{}", self.raw_seq),
                    frame: bytes,
                };
                let relay = self.link.relay();
                io.swarm.behaviour_mut().particles.send(relay, outgoing);
            }
        }
        Flow::Continue
    }

    fn on_swarm_event(
        &mut self,
        io: &mut Io<'_, ClientBehaviour>,
        ev: SwarmEvent<ClientBehaviourEvent>,
    ) {
        // Before the link sees it: `connect` may resolve on this very event.
        if let SwarmEvent::Behaviour(ClientBehaviourEvent::Identify(identify::Event::Received {
            peer_id,
            info,
            ..
        })) = &ev
        {
            if *peer_id == self.link.relay() {
                *self.relay_protocols.lock().expect("not poisoned") =
                    info.protocols.iter().map(|p| p.to_string()).collect();
            }
        }
        self.link.on_swarm_event::<Self>(io, &ev);
        self.notices();
    }

    fn on_received(&mut self, _: &mut Io<'_, ClientBehaviour>, _: PeerId, p: &Particle) -> bool {
        *self
            .received
            .lock()
            .expect("not poisoned")
            .entry(p.id.clone())
            .or_default() += 1;
        true
    }

    fn on_send(
        &mut self,
        io: &mut Io<'_, ClientBehaviour>,
        _: Vec<String>,
        particle: Particle,
        token: SendToken,
    ) {
        self.link.send::<Self>(io, particle, token);
    }

    fn on_sent(&mut self, _: &mut Io<'_, ClientBehaviour>, _: PeerId, token: SendToken) {
        if let Some(r) = self.raw_waiting.remove(&token) {
            let _ = r.send(Ok(()));
        }
    }

    fn on_send_failed(
        &mut self,
        io: &mut Io<'_, ClientBehaviour>,
        _: PeerId,
        token: SendToken,
        error: String,
    ) {
        match self.raw_waiting.remove(&token) {
            Some(r) => {
                let _ = r.send(Err(error));
            }
            None => {
                warn!("particle not sent: {error}");
                io.engine.send_failed(token, &error);
            }
        }
    }

    fn on_completed(
        &mut self,
        _: &mut Io<'_, ClientBehaviour>,
        request: RequestId,
        _: String,
        result: CallResult,
    ) {
        if let Some(w) = self.waiting.remove(&request) {
            let _ = w.send(result);
        }
    }

    fn on_console(&mut self, _: String, line: String) {
        println!("{line}");
    }

    fn wake_at(&self) -> Option<u64> {
        self.link.wake_at()
    }

    fn on_wake(&mut self, io: &mut Io<'_, ClientBehaviour>) {
        self.link.on_wake::<Self>(io);
        self.notices();
    }

    fn stopped(&self) -> bool {
        self.ended
    }

    fn on_stop(&mut self, io: &mut Io<'_, ClientBehaviour>) {
        self.link.disconnect::<Self>(io);
        io.engine.shutdown("client stopped");
    }
}

/// Parses a relay multiaddr string.
pub fn parse_multiaddr(s: &str) -> Result<Multiaddr, String> {
    Multiaddr::from_str(s.trim()).map_err(|e| format!("invalid multiaddr {s:?}: {e}"))
}
