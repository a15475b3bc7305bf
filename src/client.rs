//! `FluenceClient`: the core engine over rust-libp2p in the browser.
//!
//! One `spawn_local` task owns the swarm and the engine; the JS-facing handle sends it
//! commands over a channel (so a service handler that calls back into the client never
//! meets a borrowed engine). JS handlers run synchronously inside the engine; a handler
//! that returns a promise answers later through the results channel.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;
use std::time::Duration;

use fluence_core::aqua::Arrow;
use fluence_core::particle::JS_MAX_FRAME;
use fluence_core::{
    CallOptions, Engine, EngineConfig, Event, Particle, Reply, RequestId, ServiceCall,
};
use fluence_net::{protocol, wire, ClientBehaviour, ClientBehaviourEvent, Outgoing};
use futures::channel::{mpsc, oneshot};
use futures::{FutureExt, StreamExt};
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use libp2p::core::upgrade::Version;
use libp2p::multiaddr::Protocol;
use libp2p::swarm::SwarmEvent;
use libp2p::{noise, yamux, Multiaddr, PeerId, Swarm, Transport};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, spawn_local};

use crate::convert::{describe, from_js, to_js};
use crate::error::{call_error, connection_error, make_error, ErrorCode};
use crate::KeyPair;

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

type CallReply = oneshot::Sender<Result<Value, JsValue>>;

/// A JS function serving AIR calls; with an Aqua arrow type when it comes from compiled
/// Aqua (its arguments and result are then converted as js-client's `wrapJsFunction` does).
pub(crate) struct JsFunction {
    pub function: Function,
    pub arrow: Option<Rc<Arrow>>,
}

/// A call for the client task: what `callAir` and `v5_callFunction` send.
pub(crate) struct CallCmd {
    pub script: String,
    pub args: Vec<(String, Value)>,
    pub callbacks: Vec<(String, JsFunction)>,
    pub ttl_ms: Option<u32>,
    pub fire_and_forget: bool,
}

enum Cmd {
    Call(CallCmd, CallReply),
    Register {
        service: String,
        functions: Vec<(String, JsFunction)>,
    },
    Unregister {
        service: String,
    },
    Disconnect {
        done: oneshot::Sender<()>,
    },
}

/// Connection states, as strings JS sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Connecting,
    Connected,
    Reconnecting,
    Disconnecting,
    Disconnected,
}

impl State {
    fn as_str(self) -> &'static str {
        match self {
            State::Connecting => "connecting",
            State::Connected => "connected",
            State::Reconnecting => "reconnecting",
            State::Disconnecting => "disconnecting",
            State::Disconnected => "disconnected",
        }
    }
}

struct Shared {
    state: State,
    listeners: Vec<(u32, Function)>,
    next_listener: u32,
}

impl Shared {
    fn set(&mut self, s: State) {
        if self.state == s {
            return;
        }
        self.state = s;
        let arg = JsValue::from_str(s.as_str());
        for (_, f) in self.listeners.clone() {
            if let Err(e) = f.call1(&JsValue::NULL, &arg) {
                tracing::warn!("connection state listener threw: {}", describe(&e));
            }
        }
    }
}

/// Settings of [`FluenceClient::connect`].
struct Config {
    key: fluence_core::KeyPair,
    default_ttl_ms: u32,
    dial_timeout_ms: u32,
    reconnect: bool,
    log_level: u8,
}

/// `obj[name]` as a positive integer; `None` when absent or when `obj` is not an object.
fn number_field(obj: &JsValue, name: &str) -> Result<Option<u32>, JsValue> {
    if !obj.is_object() {
        return Ok(None);
    }
    let v = Reflect::get(obj, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    match v.as_f64() {
        Some(n) if n.fract() == 0.0 && n > 0.0 && n <= u32::MAX as f64 => Ok(Some(n as u32)),
        _ => Err(make_error(
            ErrorCode::InvalidArgument,
            &format!(
                "config.{name} must be a positive integer, got {}",
                describe(&v)
            ),
            None,
        )),
    }
}

fn parse_config(config: &JsValue) -> Result<Config, JsValue> {
    let bad = |m: &str| make_error(ErrorCode::InvalidArgument, m, None);
    if !(config.is_undefined() || config.is_null() || config.is_object()) {
        return Err(bad("config must be an object"));
    }
    let obj = if config.is_object() {
        config.clone()
    } else {
        Object::new().into()
    };
    let kp = Reflect::get(&obj, &JsValue::from_str("keyPair")).unwrap_or(JsValue::UNDEFINED);
    let key = if kp.is_undefined() || kp.is_null() {
        fluence_core::KeyPair::random().map_err(|e| bad(&e.to_string()))?
    } else if Reflect::has(&kp, &JsValue::from_str("source")).unwrap_or(false) {
        js_client_key_pair(&kp).map_err(|e| bad(&e))?
    } else {
        // A KeyPair made by this package: found by its handle, never by a raw pointer.
        let handle = Reflect::get(&kp, &JsValue::from_str("__handle"))
            .ok()
            .and_then(|h| h.as_f64())
            .filter(|h| h.fract() == 0.0 && *h >= 1.0 && *h <= f64::from(u32::MAX));
        handle
            .and_then(|h| KeyPair::by_handle(h as u32))
            .ok_or_else(|| bad("config.keyPair must be a live KeyPair of this package"))?
    };
    let reconnect = Reflect::get(&obj, &JsValue::from_str("reconnect"))
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(true);
    let log_level = match Reflect::get(&obj, &JsValue::from_str("logLevel")) {
        Ok(v) if v.is_undefined() || v.is_null() => 2,
        Ok(v) => match v.as_string() {
            Some(s) => crate::log::parse(&s).map_err(|e| bad(&e))?,
            None => return Err(bad("config.logLevel must be a string")),
        },
        Err(_) => 2,
    };
    // js-client's `connectionOptions.dialTimeoutMs` (which js-client itself ignores).
    let conn = Reflect::get(&obj, &JsValue::from_str("connectionOptions")).unwrap_or_default();
    let js_dial = number_field(&conn, "dialTimeoutMs")?;
    Ok(Config {
        log_level,
        key,
        default_ttl_ms: number_field(&obj, "defaultTtlMs")?.unwrap_or(7_000),
        dial_timeout_ms: number_field(&obj, "dialTimeoutMs")?
            .or(js_dial)
            .unwrap_or(10_000),
        reconnect,
    })
}

/// js-client's key pair option: `{ type: "Ed25519", source: "random" | Uint8Array(32) }`.
fn js_client_key_pair(kp: &JsValue) -> Result<fluence_core::KeyPair, String> {
    let ty = Reflect::get(kp, &JsValue::from_str("type")).unwrap_or_default();
    if !(ty.is_undefined() || ty.as_string().as_deref() == Some("Ed25519")) {
        return Err(format!(
            "config.keyPair.type must be \"Ed25519\", got {}",
            describe(&ty)
        ));
    }
    let source = Reflect::get(kp, &JsValue::from_str("source")).unwrap_or_default();
    if source.as_string().as_deref() == Some("random") {
        return fluence_core::KeyPair::random().map_err(|e| e.to_string());
    }
    match source.dyn_ref::<Uint8Array>() {
        Some(seed) => {
            fluence_core::KeyPair::from_seed_slice(&seed.to_vec()).map_err(|e| e.to_string())
        }
        None => Err("config.keyPair.source must be \"random\" or a Uint8Array of 32 bytes".into()),
    }
}

#[wasm_bindgen]
extern "C" {
    /// `ClientConfig` (declared in the package's TypeScript section).
    #[wasm_bindgen(typescript_type = "ClientConfig")]
    pub type ClientConfigArg;
    /// The arguments of `callAir`.
    #[wasm_bindgen(typescript_type = "Record<string, JSONValue>")]
    pub type CallAirArgs;
    /// `CallAirOptions`.
    #[wasm_bindgen(typescript_type = "CallAirOptions")]
    pub type CallAirOptionsArg;
}

/// A Fluence client connected to one relay.
#[wasm_bindgen]
pub struct FluenceClient {
    peer_id: String,
    relay_peer_id: String,
    cmds: mpsc::UnboundedSender<Cmd>,
    shared: Rc<RefCell<Shared>>,
}

#[wasm_bindgen]
impl FluenceClient {
    /// Connects to the relay at `relay` (a multiaddr ending with `/p2p/<peer id>`).
    /// Config: `{ keyPair?, defaultTtlMs? = 7000, dialTimeoutMs? = 10000, reconnect? = true }`.
    #[wasm_bindgen(unchecked_return_type = "Promise<FluenceClient>")]
    pub fn connect(relay: String, config: Option<ClientConfigArg>) -> Promise {
        let config: JsValue = config.map_or(JsValue::UNDEFINED, Into::into);
        future_to_promise(async move {
            let cfg = parse_config(&config)?;
            crate::log::init(cfg.log_level);
            let bad = |m: String| make_error(ErrorCode::InvalidArgument, &m, None);
            let addr: Multiaddr = relay
                .trim()
                .parse()
                .map_err(|e| bad(format!("invalid relay multiaddr {relay:?}: {e}")))?;
            let relay_peer = match addr.iter().last() {
                Some(Protocol::P2p(p)) => p,
                _ => {
                    return Err(bad(format!(
                        "relay multiaddr {relay:?} is missing its /p2p/<peer id>"
                    )))
                }
            };
            let swarm = build_swarm(&cfg.key)
                .map_err(|e| connection_error(&format!("transport: {e}"), &relay))?;
            let (tx, rx) = mpsc::unbounded();
            let shared = Rc::new(RefCell::new(Shared {
                state: State::Connecting,
                listeners: Vec::new(),
                next_listener: 1,
            }));
            let (ready_tx, ready_rx) = oneshot::channel();
            let engine = Engine::new(cfg.key.clone(), {
                let mut c = EngineConfig::client(relay_peer.to_string());
                c.default_ttl_ms = cfg.default_ttl_ms;
                c
            });
            let peer_id = cfg.key.peer_id().to_string();
            let task = Task {
                swarm,
                engine,
                relay: relay_peer,
                addr,
                shared: shared.clone(),
                reconnect: cfg.reconnect,
                dial_timeout: Duration::from_millis(u64::from(cfg.dial_timeout_ms)),
                waiting: HashMap::new(),
                unsent: VecDeque::new(),
            };
            spawn_local(task.run(rx, ready_tx));
            match ready_rx.await {
                Ok(Ok(())) => Ok(FluenceClient {
                    peer_id,
                    relay_peer_id: relay_peer.to_string(),
                    cmds: tx,
                    shared,
                }
                .into()),
                Ok(Err(e)) => Err(e),
                Err(_) => Err(connection_error("client task ended", &relay)),
            }
        })
    }

    /// This client's PeerId.
    #[wasm_bindgen(getter, js_name = peerId)]
    pub fn peer_id(&self) -> String {
        self.peer_id.clone()
    }

    /// The relay's PeerId.
    #[wasm_bindgen(getter, js_name = relayPeerId)]
    pub fn relay_peer_id(&self) -> String {
        self.relay_peer_id.clone()
    }

    /// js-client's `IFluenceClient.getPeerId()`.
    #[wasm_bindgen(js_name = getPeerId)]
    pub fn get_peer_id(&self) -> String {
        self.peer_id.clone()
    }

    /// js-client's `IFluenceClient.getRelayPeerId()`.
    #[wasm_bindgen(js_name = getRelayPeerId)]
    pub fn get_relay_peer_id(&self) -> String {
        self.relay_peer_id.clone()
    }

    /// `"connecting" | "connected" | "reconnecting" | "disconnecting" | "disconnected"`.
    #[wasm_bindgen(getter, js_name = connectionState, unchecked_return_type = "ConnectionState")]
    pub fn connection_state(&self) -> String {
        self.shared.borrow().state.as_str().to_string()
    }

    /// Calls `listener(state)` on every state change; returns a function that removes it.
    #[wasm_bindgen(js_name = onConnectionStateChange, unchecked_return_type = "() => void")]
    pub fn on_connection_state_change(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(state: ConnectionState) => void")]
        listener: Function,
    ) -> Function {
        let mut s = self.shared.borrow_mut();
        let id = s.next_listener;
        s.next_listener += 1;
        s.listeners.push((id, listener));
        let shared = Rc::downgrade(&self.shared);
        let off: Function = Closure::once_into_js(move || {
            if let Some(s) = shared.upgrade() {
                s.borrow_mut().listeners.retain(|(i, _)| *i != id);
            }
        })
        .unchecked_into();
        // js-client's version returns the current state: `off` also converts to it, so
        // `String(r)` and `r == "connected"` in code written for js-client keep working.
        let state = JsValue::from_str(s.state.as_str());
        let to_state = Closure::<dyn Fn() -> JsValue>::new(move || state.clone()).into_js_value();
        let _ = Reflect::set(&off, &js_sys::Symbol::to_primitive(), &to_state);
        off
    }

    /// Registers every function property of `service` as `serviceId.<name>`. A handler
    /// gets the call's arguments then `callParams`, and returns a value or a promise;
    /// throwing or rejecting fails the call with its message.
    #[wasm_bindgen(js_name = registerService)]
    pub fn register_service(
        &self,
        service_id: String,
        #[wasm_bindgen(unchecked_param_type = "ServiceImpl")] service: JsValue,
    ) -> Result<(), JsValue> {
        let bad = |m: String| make_error(ErrorCode::InvalidArgument, &m, None);
        if service_id.is_empty() {
            return Err(bad("serviceId must be a non-empty string".into()));
        }
        if !service.is_object() {
            return Err(bad("service must be an object of functions".into()));
        }
        let mut functions = Vec::new();
        let mut obj: JsValue = service.clone();
        // Own properties and class methods (prototype chain up to Object.prototype).
        while obj.is_object() && !obj.is_null() {
            let o: &Object = obj.unchecked_ref();
            // Stop at Object.prototype (its methods are not service functions).
            if Object::get_prototype_of(o).is_null() {
                break;
            }
            for name in Object::get_own_property_names(o).iter() {
                let Some(n) = name.as_string() else { continue };
                if n == "constructor" || functions.iter().any(|(f, _)| *f == n) {
                    continue;
                }
                if let Ok(f) = Reflect::get(&service, &name) {
                    if let Ok(f) = f.dyn_into::<Function>() {
                        let function = f.bind(&service);
                        functions.push((
                            n,
                            JsFunction {
                                function,
                                arrow: None,
                            },
                        ));
                    }
                }
            }
            obj = Object::get_prototype_of(&obj).into();
        }
        if functions.is_empty() {
            return Err(bad(format!("service {service_id:?} has no functions")));
        }
        self.send(Cmd::Register {
            service: service_id,
            functions,
        })
    }

    /// Removes the service `serviceId`.
    #[wasm_bindgen(js_name = unregisterService)]
    pub fn unregister_service(&self, service_id: String) -> Result<(), JsValue> {
        self.send(Cmd::Unregister {
            service: service_id,
        })
    }

    /// Runs an AIR script. `args` become `getDataSrv.<name>`, function-valued ones
    /// `callbackSrv.<name>` (called with the AIR arguments, then `callParams`); the result
    /// is what the script passes to `callbackSrv.response`. Options: `{ ttlMs? }`.
    #[wasm_bindgen(js_name = callAir)]
    #[wasm_bindgen(unchecked_return_type = "Promise<JSONValue>")]
    pub fn call_air(
        &self,
        script: String,
        args: Option<CallAirArgs>,
        options: Option<CallAirOptionsArg>,
    ) -> Promise {
        let args: JsValue = args.map_or(JsValue::UNDEFINED, Into::into);
        let options: JsValue = options.map_or(JsValue::UNDEFINED, Into::into);
        let prepared = (|| {
            let mut list = Vec::new();
            let mut callbacks = Vec::new();
            if !(args.is_undefined() || args.is_null()) {
                if !args.is_object() {
                    return Err(make_error(
                        ErrorCode::InvalidArgument,
                        "args must be an object",
                        None,
                    ));
                }
                for entry in Object::entries(args.unchecked_ref()).iter() {
                    let pair: Array = entry.unchecked_into();
                    let name = pair.get(0).as_string().unwrap_or_default();
                    if let Ok(function) = pair.get(1).dyn_into::<Function>() {
                        callbacks.push((
                            name,
                            JsFunction {
                                function,
                                arrow: None,
                            },
                        ));
                        continue;
                    }
                    let value = from_js(&pair.get(1)).map_err(|e| {
                        make_error(
                            ErrorCode::InvalidArgument,
                            &format!("argument {name:?}: {e}"),
                            None,
                        )
                    })?;
                    list.push((name, value));
                }
            }
            let ttl_ms = number_field(&options, "ttlMs")?;
            Ok(CallCmd {
                script,
                args: list,
                callbacks,
                ttl_ms,
                fire_and_forget: false,
            })
        })();
        let pending = prepared.and_then(|call| self.call(call));
        future_to_promise(async move { Ok(to_js(&pending?.await?)) })
    }

    /// Disconnects: stops the transport and rejects every pending call.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn disconnect(&self) -> Promise {
        let (done, rx) = oneshot::channel();
        let sent = self.cmds.unbounded_send(Cmd::Disconnect { done }).is_ok();
        future_to_promise(async move {
            if sent {
                let _ = rx.await;
            }
            Ok(JsValue::UNDEFINED)
        })
    }
}

impl FluenceClient {
    fn send(&self, cmd: Cmd) -> Result<(), JsValue> {
        self.cmds
            .unbounded_send(cmd)
            .map_err(|_| make_error(ErrorCode::Connection, "the client is disconnected", None))
    }

    /// Starts a call; the future settles with its result.
    pub(crate) fn call(
        &self,
        call: CallCmd,
    ) -> Result<impl std::future::Future<Output = Result<Value, JsValue>>, JsValue> {
        let (reply, rx) = oneshot::channel();
        self.send(Cmd::Call(call, reply))?;
        Ok(async move {
            match rx.await {
                Ok(r) => r,
                Err(_) => Err(make_error(
                    ErrorCode::Cancelled,
                    "client disconnected",
                    None,
                )),
            }
        })
    }

    /// Registers `functions` as the service `service` (replacing it).
    pub(crate) fn register(
        &self,
        service: String,
        functions: Vec<(String, JsFunction)>,
    ) -> Result<(), JsValue> {
        self.send(Cmd::Register { service, functions })
    }
}

fn build_swarm(key: &fluence_core::KeyPair) -> Result<Swarm<ClientBehaviour>, String> {
    Ok(
        libp2p::SwarmBuilder::with_existing_identity(key.to_libp2p())
            .with_wasm_bindgen()
            .with_other_transport(|k| {
                Ok(libp2p::websocket_websys::Transport::default()
                    .upgrade(Version::V1)
                    .authenticate(noise::Config::new(k)?)
                    .multiplex(yamux::Config::default())
                    .boxed())
            })
            .map_err(|e| e.to_string())?
            .with_behaviour(|k| ClientBehaviour::new(k.public()))
            .map_err(|e| e.to_string())?
            .with_swarm_config(|c| c.with_idle_connection_timeout(Duration::from_secs(24 * 3600)))
            .build(),
    )
}

struct Task {
    swarm: Swarm<ClientBehaviour>,
    engine: Engine,
    relay: PeerId,
    addr: Multiaddr,
    shared: Rc<RefCell<Shared>>,
    reconnect: bool,
    dial_timeout: Duration,
    waiting: HashMap<RequestId, CallReply>,
    /// Particles waiting for the connection: (deadline, particle).
    unsent: VecDeque<(u64, Particle)>,
}

enum Internal {
    /// A frame read from an inbound stream.
    Frame(Vec<u8>),
    /// A handler's promise settled.
    Result(fluence_core::CallToken, Result<Value, String>),
    /// Writing a particle failed.
    SendFailed(Particle, String),
}

impl Task {
    async fn run(
        mut self,
        mut cmds: mpsc::UnboundedReceiver<Cmd>,
        ready: oneshot::Sender<Result<(), JsValue>>,
    ) {
        let (itx, mut irx) = mpsc::unbounded::<Internal>();
        let mut ready = Some(ready);
        let mut backoff_ms = 500u64;
        let mut redial_at: Option<u64> = None;
        let mut dial_deadline = Some(now_ms() + self.dial_timeout.as_millis() as u64);
        if let Err(e) = self.swarm.dial(self.addr.clone()) {
            let addr = self.addr.to_string();
            let _ = ready
                .take()
                .map(|r| r.send(Err(connection_error(&format!("dial: {e}"), &addr))));
            self.shared.borrow_mut().set(State::Disconnected);
            return;
        }
        let mut disconnect: Option<oneshot::Sender<()>> = None;
        loop {
            let mut wake = self.engine.poll_timeout();
            for t in [redial_at, dial_deadline].into_iter().flatten() {
                wake = Some(wake.map_or(t, |w| w.min(t)));
            }
            // Ready at once while the engine has queued work, so commands and network
            // events interleave with AquaVM runs.
            let sleep: std::pin::Pin<Box<dyn futures::Future<Output = ()>>> =
                if self.engine.has_work() {
                    Box::pin(futures::future::ready(()))
                } else if let Some(at) = wake {
                    Box::pin(gloo_timers::future::sleep(Duration::from_millis(
                        at.saturating_sub(now_ms()).max(1),
                    )))
                } else {
                    Box::pin(futures::future::pending())
                };
            futures::select_biased! {
                cmd = cmds.next() => match cmd {
                    None => break,
                    Some(Cmd::Disconnect { done }) => { disconnect = Some(done); break; }
                    Some(c) => self.on_cmd(c, &itx),
                },
                ev = self.swarm.select_next_some() => match ev {
                    SwarmEvent::ConnectionEstablished { peer_id, .. } if peer_id == self.relay => {
                        tracing::info!("connected to the relay {}", self.addr);
                        dial_deadline = None;
                        backoff_ms = 500;
                        redial_at = None;
                        self.shared.borrow_mut().set(State::Connected);
                        if let Some(r) = ready.take() { let _ = r.send(Ok(())); }
                        self.flush_unsent();
                    }
                    SwarmEvent::ConnectionClosed { peer_id, num_established: 0, cause, .. } if peer_id == self.relay => {
                        tracing::warn!("relay connection closed: {cause:?}");
                        if self.reconnect {
                            self.shared.borrow_mut().set(State::Reconnecting);
                            redial_at = Some(now_ms() + backoff_ms);
                        } else {
                            self.shared.borrow_mut().set(State::Disconnected);
                        }
                    }
                    SwarmEvent::OutgoingConnectionError { error, .. } => {
                        if let Some(r) = ready.take() {
                            let msg = format!("cannot connect to {}: {error}", self.addr);
                            let _ = r.send(Err(connection_error(&msg, &self.addr.to_string())));
                            break;
                        }
                        if self.reconnect {
                            backoff_ms = (backoff_ms * 2).min(10_000);
                            redial_at = Some(now_ms() + backoff_ms);
                        }
                    }
                    SwarmEvent::Behaviour(ClientBehaviourEvent::Particles(ev)) => self.on_particle_event(ev, &itx),
                    _ => {}
                },
                msg = irx.select_next_some() => match msg {
                    Internal::Frame(payload) => match Particle::from_payload(&payload) {
                        Ok(p) => { let _ = self.engine.handle_particle(p, now_ms()); }
                        Err(e) => tracing::warn!("undecodable particle: {e}"),
                    },
                    Internal::Result(token, r) => { self.engine.resolve_call(token, r); }
                    Internal::SendFailed(p, e) => self.engine.send_failed(&p, &e),
                },
                _ = sleep.fuse() => {
                    let now = now_ms();
                    self.engine.handle_timeout(now);
                    if dial_deadline.is_some_and(|d| d <= now) {
                        if let Some(r) = ready.take() {
                            let msg = format!("no connection to {} within {:?}", self.addr, self.dial_timeout);
                            let _ = r.send(Err(connection_error(&msg, &self.addr.to_string())));
                            break;
                        }
                    }
                    if redial_at.is_some_and(|d| d <= now) {
                        redial_at = None;
                        if self.swarm.dial(self.addr.clone()).is_err() {
                            backoff_ms = (backoff_ms * 2).min(10_000);
                            redial_at = Some(now + backoff_ms);
                        }
                    }
                },
            }
            self.engine.process(now_ms(), 16);
            self.drain_events();
        }
        self.shared.borrow_mut().set(State::Disconnecting);
        self.engine.shutdown("client disconnected");
        self.drain_events();
        for (_, w) in self.waiting.drain() {
            let _ = w.send(Err(make_error(
                ErrorCode::Cancelled,
                "client disconnected",
                None,
            )));
        }
        self.shared.borrow_mut().set(State::Disconnected);
        drop(self.swarm);
        if let Some(d) = disconnect {
            let _ = d.send(());
        }
    }

    fn on_cmd(&mut self, cmd: Cmd, itx: &mpsc::UnboundedSender<Internal>) {
        match cmd {
            Cmd::Call(call, reply) => {
                let callbacks = call
                    .callbacks
                    .into_iter()
                    .map(|(name, f)| {
                        let itx = itx.clone();
                        let h: fluence_core::Handler = Box::new(move |c| js_handler(&f, c, &itx));
                        (name, h)
                    })
                    .collect();
                let opts = CallOptions {
                    ttl_ms: call.ttl_ms,
                    fire_and_forget: call.fire_and_forget,
                    callbacks,
                };
                match self
                    .engine
                    .call_air(&call.script, call.args, opts, now_ms())
                {
                    Ok((req, _)) => {
                        self.waiting.insert(req, reply);
                    }
                    Err(e) => {
                        let _ = reply.send(Err(call_error(&e)));
                    }
                }
            }
            Cmd::Register { service, functions } => {
                self.engine.unregister_service(&service);
                for (name, f) in functions {
                    let itx = itx.clone();
                    self.engine.register_service(
                        &service,
                        &name,
                        Box::new(move |c| js_handler(&f, c, &itx)),
                    );
                }
            }
            Cmd::Unregister { service } => {
                self.engine.unregister_service(&service);
            }
            Cmd::Disconnect { .. } => unreachable!("handled by the loop"),
        }
    }

    fn on_particle_event(&mut self, ev: protocol::Event, itx: &mpsc::UnboundedSender<Internal>) {
        match ev {
            protocol::Event::Inbound { mut stream, .. } => {
                let itx = itx.clone();
                spawn_local(async move {
                    match wire::read_frame(&mut stream, JS_MAX_FRAME).await {
                        Ok(p) => {
                            let _ = itx.unbounded_send(Internal::Frame(p));
                        }
                        Err(e) => tracing::debug!("inbound stream failed: {e}"),
                    }
                });
            }
            protocol::Event::Outbound {
                mut stream,
                outgoing,
                ..
            } => {
                let itx = itx.clone();
                spawn_local(async move {
                    if let Err(e) = wire::write_frame(&mut stream, &outgoing.frame).await {
                        if let Ok(p) = Particle::from_frame(&outgoing.frame, usize::MAX) {
                            let _ = itx.unbounded_send(Internal::SendFailed(p, e.to_string()));
                        }
                    }
                });
            }
            protocol::Event::OutboundFailed {
                outgoing, error, ..
            } => {
                if let Ok(p) = Particle::from_frame(&outgoing.frame, usize::MAX) {
                    self.engine.send_failed(&p, &error);
                }
            }
        }
    }

    fn send_particle(&mut self, p: Particle) {
        if self.swarm.is_connected(&self.relay) {
            let outgoing = Outgoing {
                particle_id: p.id.clone(),
                frame: p.to_frame(),
            };
            self.swarm
                .behaviour_mut()
                .particles
                .send(self.relay, outgoing);
        } else {
            // Waits for the connection while its TTL lasts.
            let deadline = p.deadline().unwrap_or(0);
            self.unsent.push_back((deadline, p));
        }
    }

    fn flush_unsent(&mut self) {
        let now = now_ms();
        for (deadline, p) in std::mem::take(&mut self.unsent) {
            if deadline > now {
                self.send_particle(p);
            }
        }
    }

    fn drain_events(&mut self) {
        while let Some(ev) = self.engine.poll_event() {
            match ev {
                Event::Send { particle, .. } => self.send_particle(particle),
                Event::Completed {
                    request, result, ..
                } => {
                    if let Some(w) = self.waiting.remove(&request) {
                        let _ = w.send(result.map_err(|e| call_error(&e)));
                    }
                }
                Event::Console { line, .. } => crate::log::console("log", JsValue::from_str(&line)),
            }
        }
    }
}

/// Calls a JS handler: `f(...args, callParams)`. A failure reads as in js-client:
/// `Service call failed. fnName="…" serviceId="…" error: <message>`.
fn js_handler(f: &JsFunction, call: &ServiceCall, itx: &mpsc::UnboundedSender<Internal>) -> Reply {
    let failed = |msg: String| service_failed(&call.function_name, &call.service_id, &msg);
    let name = call.function_name.as_str();
    let args = match &f.arrow {
        Some(arrow) => match arrow.args_to_js(name, &call.args) {
            Ok(a) => a,
            Err(e) => return Reply::Err(failed(e.to_string())),
        },
        None => call.args.clone(),
    };
    let js_args = Array::new();
    for a in &args {
        js_args.push(&to_js(a));
    }
    js_args.push(&call_params(call));
    // The returned value as AIR gets it.
    let finish = {
        let arrow = f.arrow.clone();
        let name = name.to_string();
        move |v: &JsValue| -> Result<Value, String> {
            let v = from_js(v)?;
            match &arrow {
                Some(a) => a.result_to_aqua(&name, &v).map_err(|e| e.to_string()),
                None => Ok(v),
            }
        }
    };
    match f.function.apply(&JsValue::NULL, &js_args) {
        Err(e) => Reply::Err(failed(describe(&e))),
        Ok(v) => match v.dyn_into::<Promise>() {
            Ok(promise) => {
                let token = call.token;
                let itx = itx.clone();
                let (fname, sid) = (call.function_name.clone(), call.service_id.clone());
                spawn_local(async move {
                    let r = match wasm_bindgen_futures::JsFuture::from(promise).await {
                        Ok(v) => finish(&v),
                        Err(e) => Err(describe(&e)),
                    };
                    let r = r.map_err(|msg| service_failed(&fname, &sid, &msg));
                    let _ = itx.unbounded_send(Internal::Result(token, r));
                });
                Reply::Later
            }
            Err(v) => match finish(&v) {
                Ok(v) => Reply::Ok(v),
                Err(e) => Reply::Err(failed(e)),
            },
        },
    }
}

fn service_failed(function: &str, service: &str, msg: &str) -> String {
    format!("Service call failed. fnName=\"{function}\" serviceId=\"{service}\" error: {msg}")
}

fn call_params(call: &ServiceCall) -> JsValue {
    let o = Object::new();
    let p = &call.params;
    let set = |k: &str, v: JsValue| {
        let _ = Reflect::set(&o, &JsValue::from_str(k), &v);
    };
    set("particleId", JsValue::from_str(&p.particle_id));
    set("initPeerId", JsValue::from_str(&p.init_peer_id));
    set("timestamp", JsValue::from_f64(p.timestamp as f64));
    set("ttl", JsValue::from_f64(f64::from(p.ttl)));
    set("signature", Uint8Array::from(p.signature.as_slice()).into());
    let tetraplets = serde_json::to_value(&p.tetraplets).unwrap_or(Value::Null);
    set("tetraplets", to_js(&tetraplets));
    o.into()
}
