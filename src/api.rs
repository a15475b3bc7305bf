//! `FluenceClient`, the JS API: a handle that sends commands to the client's loop
//! (`host`), so a service handler that calls back into the client never meets a borrowed
//! engine. Config parsing is `config`, the state and its listeners `state`, JS services
//! `service`.

use fluence_core::SessionConfig;
use futures::channel::{mpsc, oneshot};
use futures::future::Either;
use js_sys::{Array, Function, Object, Promise, Reflect};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::future_to_promise;

use crate::config::{number_field, parse_config};
use crate::convert::{from_js, to_js};
use crate::error::{connection_error, make_error, ErrorCode};
use crate::host::{self, CallCmd, Cmd, Setup};
use crate::service::{service_functions, JsFunction};
use crate::state::StateCell;

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
    state: StateCell,
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
            let (addr, relay_peer) = fluence_net::relay_address(&relay).map_err(bad)?;
            let (tx, rx) = mpsc::unbounded();
            let state = StateCell::new();
            let (ready_tx, ready_rx) = oneshot::channel();
            let peer_id = cfg.key.peer_id().to_string();
            let check_ms = cfg.check_connection_ms;
            let allowance_ms = cfg.clock_skew_allowance_ms;
            let setup = Setup {
                print_particle_id: cfg.print_particle_id,
                sig_guard: cfg.sig_guard,
                key: cfg.key,
                addr,
                relay: relay_peer,
                default_ttl_ms: cfg.default_ttl_ms,
                session: SessionConfig {
                    dial_timeout_ms: u64::from(cfg.dial_timeout_ms),
                    reconnect: cfg.reconnect,
                    ..SessionConfig::default()
                },
                state: state.clone(),
                ready: ready_tx,
                websocket: cfg.websocket,
                clock_skew_allowance_ms: u64::from(cfg.clock_skew_allowance_ms),
            };
            host::spawn(setup, tx.clone(), rx)
                .map_err(|e| connection_error(&format!("transport: {e}"), &relay))?;
            match ready_rx.await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => return Err(e),
                Err(_) => return Err(connection_error("client task ended", &relay)),
            }
            let client = FluenceClient {
                peer_id,
                relay_peer_id: relay_peer.to_string(),
                cmds: tx,
                state,
            };
            if let Some(ms) = check_ms {
                let failure = match client.check_connection(ms, allowance_ms).await {
                    Ok(()) => None,
                    Err(CheckFailure::Failed(why)) => Some(connection_error(
                        &format!(
                            "the connection check failed: {why} (it is an op.identity round \
                             trip through the relay; connectionOptions.skipCheckConnection: \
                             true skips it)"
                        ),
                        &relay,
                    )),
                    Err(CheckFailure::Skew(message)) => {
                        Some(make_error(ErrorCode::ClockSkew, &message, None))
                    }
                };
                if let Some(e) = failure {
                    let _ = wasm_bindgen_futures::JsFuture::from(client.disconnect()).await;
                    return Err(e);
                }
            }
            Ok(client.into())
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
        self.state.get().as_str().to_string()
    }

    /// Calls `listener(state)` on every state change; returns a function that removes it.
    #[wasm_bindgen(js_name = onConnectionStateChange, unchecked_return_type = "() => void")]
    pub fn on_connection_state_change(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(state: ConnectionState) => void")]
        listener: Function,
    ) -> Function {
        let id = self.state.add(listener);
        let weak = self.state.downgrade();
        // Callable any number of times (a second call does nothing), from anywhere: a
        // listener may call its own `off()`.
        let off: Function = Closure::<dyn Fn()>::new(move || {
            if let Some(s) = weak.upgrade() {
                s.remove(id);
            }
        })
        .into_js_value()
        .unchecked_into();
        // js-client's version returns the current state: `off` also converts to it, so
        // `String(r)` and `r == "connected"` in code written for js-client keep working.
        let state = JsValue::from_str(self.state.get().as_str());
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
        let functions = service_functions(&service);
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
    /// is what the script passes to `callbackSrv.response`. Options: `{ ttlMs?,
    /// fireAndForget? }` (with `fireAndForget`, null once the script has no local work).
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
            let fire_and_forget = if options.is_object() {
                let v =
                    Reflect::get(&options, &JsValue::from_str("fireAndForget")).unwrap_or_default();
                if v.is_undefined() || v.is_null() {
                    false
                } else {
                    v.as_bool().ok_or_else(|| {
                        make_error(
                            ErrorCode::InvalidArgument,
                            &format!(
                                "options.fireAndForget must be a boolean, got {}",
                                crate::convert::describe(&v)
                            ),
                            None,
                        )
                    })?
                }
            } else {
                false
            };
            Ok(CallCmd {
                script,
                args: list,
                callbacks,
                ttl_ms,
                fire_and_forget,
                backdate_ms: 0,
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
    /// js-client's connection check, an `op.identity` round trip through the relay within
    /// `ms`, which also reads the relay's clock (`peer.timestamp_ms`). The check's particle
    /// is stamped [`CHECK_CLOCK_REACH_MS`] before now with a TTL that much longer on both
    /// sides, so a relay whose clock is off by up to that still answers; an offset beyond
    /// `allowance_ms` is a [`CheckFailure::Skew`], one beyond a second a console warning.
    async fn check_connection(&self, ms: u32, allowance_ms: u32) -> Result<(), CheckFailure> {
        // The relay and the message are literals (both are ours: a PeerId and a number),
        // so the check costs no getDataSrv runs: one run out, one back, one for the
        // response's result.
        let msg = format!("check {}", js_sys::Math::random());
        let script = format!(
            r#"(seq (call "{relay}" ("op" "identity") ["{msg}"] echoed) (seq (call "{relay}" ("peer" "timestamp_ms") [] relay_ms) (call %init_peer_id% ("callbackSrv" "response") [echoed relay_ms])))"#,
            relay = self.relay_peer_id,
        );
        let call = CallCmd {
            script,
            args: Vec::new(),
            callbacks: Vec::new(),
            ttl_ms: Some(
                (2 * CHECK_CLOCK_REACH_MS + u64::from(ms)).min(u64::from(u32::MAX)) as u32,
            ),
            fire_and_forget: false,
            backdate_ms: CHECK_CLOCK_REACH_MS,
        };
        let describe = |e: JsValue| {
            Reflect::get(&e, &JsValue::from_str("message"))
                .ok()
                .and_then(|m| m.as_string())
                .unwrap_or_else(|| "the check call failed".into())
        };
        let sent = js_sys::Date::now();
        let pending = self
            .call(call)
            .map_err(|e| CheckFailure::Failed(describe(e)))?;
        let timeout = gloo_timers::future::sleep(std::time::Duration::from_millis(u64::from(ms)));
        let result = match futures::future::select(Box::pin(pending), Box::pin(timeout)).await {
            Either::Left((result, _)) => result,
            Either::Right(_) => {
                return Err(CheckFailure::Failed(format!(
                    "no answer within {ms} ms (nor would there be if this machine's clock were \
                     more than {} minutes off the relay's)",
                    CHECK_CLOCK_REACH_MS / 60_000
                )))
            }
        };
        let received = js_sys::Date::now();
        let relay_ms = match result {
            Ok(Value::Array(xs)) if xs.len() == 2 && xs[0] == Value::String(msg.clone()) => {
                xs[1].as_f64().ok_or_else(|| {
                    CheckFailure::Failed(format!("the relay's peer.timestamp_ms gave {}", xs[1]))
                })?
            }
            Ok(other) => {
                return Err(CheckFailure::Failed(format!(
                    "the relay answered {other} instead of [{msg:?}, its time]"
                )))
            }
            Err(e) => return Err(CheckFailure::Failed(describe(e))),
        };
        // The relay read its clock about halfway through the round trip.
        let local_ms = (sent + received) / 2.0;
        let offset = relay_ms - local_ms;
        if offset.abs() > f64::from(allowance_ms) {
            return Err(CheckFailure::Skew(clock_skew_message(
                relay_ms,
                local_ms,
                allowance_ms,
            )));
        }
        if offset.abs() > 1_000.0 {
            crate::log::console(
                "warn",
                JsValue::from_str(&format!(
                    "fluence-client: {}",
                    clock_offset_text(relay_ms, local_ms)
                )),
            );
        }
        Ok(())
    }

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

/// How far off the relay's clock the connection check can still measure: 15 minutes.
const CHECK_CLOCK_REACH_MS: u64 = 15 * 60_000;

/// Why the connection check failed.
enum CheckFailure {
    /// No answer, or a wrong one: a `CONNECTION` error.
    Failed(String),
    /// The relay answered, and its clock is off this one's beyond the allowance: a
    /// `CLOCK_SKEW` error with this message.
    Skew(String),
}

/// `the relay's clock is 5000 ms ahead of this machine's (relay 2026-…Z, here 2026-…Z; measured at connect)`
/// (integer ms: formatting a float would link Rust's float printing into the wasm).
fn clock_offset_text(relay_ms: f64, local_ms: f64) -> String {
    let iso =
        |ms: f64| String::from(js_sys::Date::new(&JsValue::from_f64(ms.round())).to_iso_string());
    let offset = relay_ms - local_ms;
    format!(
        "the relay's clock is {} ms {} this machine's (relay {}, here {}; measured at connect)",
        offset.abs().round() as u64,
        if offset > 0.0 { "ahead of" } else { "behind" },
        iso(relay_ms),
        iso(local_ms),
    )
}

fn clock_skew_message(relay_ms: f64, local_ms: f64, allowance_ms: u32) -> String {
    let consequence = if relay_ms > local_ms {
        "particles from this client reach the relay already old and expire early or at once"
    } else {
        "particles from this client look stamped in the future and are dropped"
    };
    format!(
        "{}: beyond the allowance of {allowance_ms} ms, so {consequence}. Set this machine's \
         clock right (or raise config.clockSkewAllowanceMs)",
        clock_offset_text(relay_ms, local_ms)
    )
}
