//! The browser client as a host of the one driver loop (`fluence_net::driver`): our
//! WebSocket transport + noise + yamux + the client behaviour, the relay link (the core's
//! session), commands from the JS handle, JS services. One `spawn_local` task runs it.

use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;

use fluence_core::{
    CallError, CallOptions, CallToken, Engine, EngineConfig, Particle, RequestId, SendToken,
    SessionConfig,
};
use fluence_net::{ClientBehaviour, ClientBehaviourEvent, Driver, Flow, Host, Io, RelayLink};
use futures::channel::{mpsc, oneshot};
use libp2p::core::upgrade::Version;
use libp2p::swarm::SwarmEvent;
use libp2p::{noise, yamux, Multiaddr, PeerId, Swarm, Transport};
use serde_json::Value;
use wasm_bindgen::JsValue;

use crate::error::{call_error, connection_error, make_error, ErrorCode};
use crate::runtime::Browser;
use crate::service::{js_handler, JsFunction, Resolve};
use crate::state::StateCell;

/// Where a call's result goes.
pub(crate) type CallReply = oneshot::Sender<Result<Value, JsValue>>;

/// A call for the loop: what `callAir` and `v5_callFunction` send.
pub(crate) struct CallCmd {
    pub script: String,
    pub args: Vec<(String, Value)>,
    pub callbacks: Vec<(String, JsFunction)>,
    pub ttl_ms: Option<u32>,
    pub fire_and_forget: bool,
    /// Stamp the particle this many ms before now (0 for every call but the connection
    /// check, which measures the relay's clock).
    pub backdate_ms: u64,
}

/// What the JS handle (and settled JS promises) send the loop.
pub(crate) enum Cmd {
    /// Dial the relay: the first command.
    Start,
    Call(CallCmd, CallReply),
    Register {
        service: String,
        functions: Vec<(String, JsFunction)>,
    },
    Unregister {
        service: String,
    },
    /// A JS handler's promise settled.
    Resolve(CallToken, Result<Value, String>),
    Disconnect {
        done: oneshot::Sender<()>,
    },
}

/// What `FluenceClient.connect` hands the loop.
pub(crate) struct Setup {
    pub key: fluence_core::KeyPair,
    pub addr: Multiaddr,
    pub relay: PeerId,
    pub default_ttl_ms: u32,
    pub session: SessionConfig,
    pub state: StateCell,
    pub ready: oneshot::Sender<Result<(), JsValue>>,
    /// The WebSocket constructor.
    pub websocket: js_sys::Function,
    /// js-client's `debug.printParticleId`.
    pub print_particle_id: bool,
    /// `config.sigSecurityGuard`.
    pub sig_guard: Option<js_sys::Function>,
    /// `config.clockSkewAllowanceMs`: particles stamped further ahead are dropped.
    pub clock_skew_allowance_ms: u64,
}

/// Builds the swarm and starts the loop on a `spawn_local` task. `cmds`/`rx` is the
/// handle's channel; its sender also answers late JS handlers.
pub(crate) fn spawn(
    setup: Setup,
    tx: mpsc::UnboundedSender<Cmd>,
    rx: mpsc::UnboundedReceiver<Cmd>,
) -> Result<(), String> {
    let swarm = build_swarm(&setup.key, setup.websocket)?;
    let mut config = EngineConfig::client(setup.relay.to_string());
    config.default_ttl_ms = setup.default_ttl_ms;
    config.max_future_ms = setup.clock_skew_allowance_ms;
    let mut engine = Engine::new(setup.key, config);
    engine.set_sig_guard(setup.sig_guard.map(crate::service::sig_guard));
    let resolve: Resolve = Rc::new(move |token, result| {
        let _ = tx.unbounded_send(Cmd::Resolve(token, result));
    });
    let host = BrowserHost {
        link: RelayLink::new(setup.addr, setup.relay, setup.session),
        state: setup.state,
        ready: Some(setup.ready),
        waiting: HashMap::new(),
        resolve,
        disconnect: None,
        ended: false,
        print_particle_id: setup.print_particle_id,
    };
    wasm_bindgen_futures::spawn_local(async move {
        let mut driver = Driver::new(engine, swarm, host);
        let rt = Browser::new();
        let cmds = futures::stream::StreamExt::chain(futures::stream::iter([Cmd::Start]), rx);
        driver.run(&rt, cmds).await;
        let Driver { swarm, host, .. } = driver;
        drop(swarm);
        host.finish();
    });
    Ok(())
}

fn build_swarm(
    key: &fluence_core::KeyPair,
    websocket: js_sys::Function,
) -> Result<Swarm<ClientBehaviour>, String> {
    Ok(
        libp2p::SwarmBuilder::with_existing_identity(key.to_libp2p())
            .with_wasm_bindgen()
            .with_other_transport(|k| {
                // V1Lazy, as rust-libp2p's own builder dials: the dialer sends its choice of
                // noise (and then yamux) with its first bytes instead of waiting a round trip
                // for the relay to confirm each.
                Ok(crate::websocket::Transport::new(websocket)
                    .upgrade(Version::V1Lazy)
                    .authenticate(noise::Config::new(k)?)
                    .multiplex(yamux::Config::default())
                    .boxed())
            })
            .map_err(|e| e.to_string())?
            .with_behaviour(|k| ClientBehaviour::new(k.public()))
            .map_err(|e| e.to_string())?
            // Inbound streams still negotiating their protocol count against this bound
            // (libp2p's default is 128): room for a relay's flood of silent streams (RELIABILITY.md)
            // beside the particles it answers with.
            .with_swarm_config(|c| {
                c.with_idle_connection_timeout(Duration::from_secs(24 * 3600))
                    .with_max_negotiating_inbound_streams(1024)
            })
            .build(),
    )
}

struct BrowserHost {
    link: RelayLink,
    state: StateCell,
    ready: Option<oneshot::Sender<Result<(), JsValue>>>,
    waiting: HashMap<RequestId, CallReply>,
    resolve: Resolve,
    disconnect: Option<oneshot::Sender<()>>,
    /// The relay connection ended for good (first dial failed, or lost without reconnect).
    ended: bool,
    print_particle_id: bool,
}

impl BrowserHost {
    /// Tells the app what the link noticed.
    fn notices(&mut self) {
        let state = &self.state;
        let ended = self.link.settle(
            &mut self.ready,
            |msg, relay| connection_error(msg, &relay.to_string()),
            // `disconnected` is set once every caller is settled (`finish`).
            |s| {
                if s != fluence_core::ConnectionState::Disconnected {
                    state.set(s)
                }
            },
        );
        self.ended |= ended;
    }

    /// After the loop: every caller settled, then `disconnected`, then `disconnect()`
    /// resolves.
    fn finish(mut self) {
        for (_, w) in self.waiting.drain() {
            let _ = w.send(Err(make_error(
                ErrorCode::Cancelled,
                "client disconnected",
                None,
            )));
        }
        self.state.set(fluence_core::ConnectionState::Disconnected);
        if let Some(d) = self.disconnect.take() {
            let _ = d.send(());
        }
    }

    fn handler(&self, f: JsFunction) -> fluence_core::Handler {
        let resolve = self.resolve.clone();
        Box::new(move |c| js_handler(&f, c, &resolve))
    }
}

impl Host for BrowserHost {
    type Behaviour = ClientBehaviour;
    type Command = Cmd;

    fn on_command(&mut self, io: &mut Io<'_, ClientBehaviour>, cmd: Cmd) -> Flow {
        match cmd {
            Cmd::Start => {
                self.link.start::<Self>(io);
                self.notices();
            }
            Cmd::Call(call, reply) => {
                let callbacks = call
                    .callbacks
                    .into_iter()
                    .map(|(name, f)| (name, self.handler(f)))
                    .collect();
                let opts = CallOptions {
                    ttl_ms: call.ttl_ms,
                    fire_and_forget: call.fire_and_forget,
                    callbacks,
                    timestamp: (call.backdate_ms > 0)
                        .then(|| io.now.saturating_sub(call.backdate_ms)),
                };
                match io.engine.call_air(&call.script, call.args, opts, io.now) {
                    Ok((req, particle_id)) => {
                        if self.print_particle_id {
                            // As js-client prints it (`console.log("Particle id: ", id)`).
                            crate::log::console(
                                "log",
                                JsValue::from_str(&format!("Particle id:  {particle_id}")),
                            );
                        }
                        self.waiting.insert(req, reply);
                    }
                    Err(e) => {
                        let _ = reply.send(Err(call_error(&e)));
                    }
                }
            }
            Cmd::Register { service, functions } => {
                io.engine.unregister_service(&service);
                for (name, f) in functions {
                    let h = self.handler(f);
                    io.engine.register_service(&service, &name, h);
                }
            }
            Cmd::Unregister { service } => {
                io.engine.unregister_service(&service);
            }
            Cmd::Resolve(token, result) => {
                io.engine.resolve_call(token, result);
            }
            Cmd::Disconnect { done } => {
                self.disconnect = Some(done);
                return Flow::Stop;
            }
        }
        Flow::Continue
    }

    fn on_swarm_event(
        &mut self,
        io: &mut Io<'_, ClientBehaviour>,
        ev: SwarmEvent<ClientBehaviourEvent>,
    ) {
        self.link.on_swarm_event::<Self>(io, &ev);
        self.notices();
    }

    fn on_send(
        &mut self,
        io: &mut Io<'_, ClientBehaviour>,
        _: Vec<String>,
        p: Particle,
        token: SendToken,
    ) {
        self.link.send::<Self>(io, p, token);
    }

    fn on_completed(
        &mut self,
        _: &mut Io<'_, ClientBehaviour>,
        request: RequestId,
        _: String,
        result: Result<Value, CallError>,
    ) {
        if let Some(w) = self.waiting.remove(&request) {
            let _ = w.send(result.map_err(|e| call_error(&e)));
        }
    }

    fn on_console(&mut self, _: String, line: String) {
        crate::log::console("log", JsValue::from_str(&line));
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
        if self.state.get() != fluence_core::ConnectionState::Disconnected {
            self.state.set(fluence_core::ConnectionState::Disconnecting);
        }
        self.link.disconnect::<Self>(io);
        self.notices();
        io.engine.shutdown("client disconnected");
    }
}
