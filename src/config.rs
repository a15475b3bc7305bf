//! `FluenceClient.connect`'s config: parsed and checked, every bad field a typed
//! `INVALID_ARGUMENT` error.

use js_sys::{Function, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::convert::describe;
use crate::error::{make_error, ErrorCode};
use crate::KeyPair;

/// Settings of `FluenceClient.connect`.
pub(crate) struct Config {
    pub key: fluence_core::KeyPair,
    pub default_ttl_ms: u32,
    pub dial_timeout_ms: u32,
    pub reconnect: bool,
    pub log_level: u8,
    /// The WebSocket constructor the transport uses: `config.WebSocket`, else the
    /// runtime's `globalThis.WebSocket`.
    pub websocket: Function,
    /// js-client's `debug.printParticleId`: print each new particle's id on the console.
    pub print_particle_id: bool,
    /// How long the connection check (an `op.identity` round trip through the relay
    /// after connecting) may take, ms; `None`: js-client's `skipCheckConnection`.
    pub check_connection_ms: Option<u32>,
    /// `config.sigSecurityGuard`: who may call the builtin `sig.sign`.
    pub sig_guard: Option<Function>,
    /// `config.clockSkewAllowanceMs` (default 60 000): particles stamped further ahead
    /// are dropped, and a relay clock off this one's by more fails `connect`.
    pub clock_skew_allowance_ms: u32,
}

/// `obj[name]` when `obj` is an object and the field is neither undefined nor null.
fn present(obj: &JsValue, name: &str) -> Option<JsValue> {
    if !obj.is_object() {
        return None;
    }
    let v = Reflect::get(obj, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
    (!(v.is_undefined() || v.is_null())).then_some(v)
}

/// `obj[name]` as a boolean; `None` when absent.
fn bool_field(obj: &JsValue, path: &str, name: &str) -> Result<Option<bool>, JsValue> {
    let Some(v) = present(obj, name) else {
        return Ok(None);
    };
    v.as_bool().map(Some).ok_or_else(|| {
        make_error(
            ErrorCode::InvalidArgument,
            &format!(
                "config.{path}{name} must be a boolean, got {}",
                describe(&v)
            ),
            None,
        )
    })
}

/// `obj[name]`: absent, or an object (js-client's nested option groups).
fn object_field(obj: &JsValue, name: &str) -> Result<JsValue, JsValue> {
    let v = Reflect::get(obj, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
    if v.is_undefined() || v.is_null() || (v.is_object() && !v.is_function()) {
        return Ok(v);
    }
    Err(make_error(
        ErrorCode::InvalidArgument,
        &format!("config.{name} must be an object, got {}", describe(&v)),
        None,
    ))
}

/// `obj[name]` as a positive integer; `None` when absent or when `obj` is not an object.
pub(crate) fn number_field(obj: &JsValue, name: &str) -> Result<Option<u32>, JsValue> {
    number_field_at(obj, "", name)
}

/// [`number_field`] of a nested option group; errors name the field `config.<path><name>`.
fn number_field_at(obj: &JsValue, path: &str, name: &str) -> Result<Option<u32>, JsValue> {
    let Some(v) = present(obj, name) else {
        return Ok(None);
    };
    match v.as_f64() {
        Some(n) if n.fract() == 0.0 && n > 0.0 && n <= u32::MAX as f64 => Ok(Some(n as u32)),
        _ => Err(make_error(
            ErrorCode::InvalidArgument,
            &format!(
                "config.{path}{name} must be a positive integer, got {}",
                describe(&v)
            ),
            None,
        )),
    }
}

pub(crate) fn parse_config(config: &JsValue) -> Result<Config, JsValue> {
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
    // js-client's option groups. Its stream limits and `CDNUrl` are checked as js-client
    // checks them and have no effect here (AquaVM is linked in; streams are bounded by
    // the particle protocol). Other unknown fields are ignored, as js-client ignores them.
    let conn = object_field(&obj, "connectionOptions")?;
    let js_dial = number_field_at(&conn, "connectionOptions.", "dialTimeoutMs")?;
    for name in ["maxInboundStreams", "maxOutboundStreams"] {
        number_field_at(&conn, "connectionOptions.", name)?;
    }
    let skip_check = bool_field(&conn, "connectionOptions.", "skipCheckConnection")?;
    let check_ms = number_field_at(&conn, "connectionOptions.", "checkConnectionTimeoutMs")?;
    if let Some(cdn) = present(&obj, "CDNUrl").filter(|v| !v.is_string()) {
        return Err(bad(&format!(
            "config.CDNUrl must be a string, got {}",
            describe(&cdn)
        )));
    }
    let debug = object_field(&obj, "debug")?;
    let print_particle_id = bool_field(&debug, "debug.", "printParticleId")?.unwrap_or(false);
    let sig_guard = present(&obj, "sigSecurityGuard")
        .map(|guard| {
            guard.dyn_into::<Function>().map_err(|v| {
                bad(&format!(
                    "config.sigSecurityGuard must be a function (callParams) => boolean, got {}",
                    describe(&v)
                ))
            })
        })
        .transpose()?;
    let websocket = websocket_constructor(&obj)?;
    let dial_timeout_ms = number_field(&obj, "dialTimeoutMs")?
        .or(js_dial)
        .unwrap_or(10_000);
    Ok(Config {
        websocket,
        log_level,
        key,
        default_ttl_ms: number_field(&obj, "defaultTtlMs")?.unwrap_or(7_000),
        dial_timeout_ms,
        reconnect,
        print_particle_id,
        sig_guard,
        clock_skew_allowance_ms: number_field(&obj, "clockSkewAllowanceMs")?
            .unwrap_or(fluence_core::DEFAULT_MAX_FUTURE_MS as u32),
        check_connection_ms: if skip_check == Some(true) {
            None
        } else {
            Some(check_ms.unwrap_or(dial_timeout_ms))
        },
    })
}

/// `config.WebSocket` (a constructor such as the `ws` package's, for runtimes without a
/// global one), else `globalThis.WebSocket`. A runtime with neither is a `CONNECTION`
/// error that says which Node.js has one, before anything is dialed.
fn websocket_constructor(obj: &JsValue) -> Result<Function, JsValue> {
    let given = Reflect::get(obj, &JsValue::from_str("WebSocket")).unwrap_or_default();
    if !(given.is_undefined() || given.is_null()) {
        return given.dyn_into::<Function>().map_err(|v| {
            make_error(
                ErrorCode::InvalidArgument,
                &format!(
                    "config.WebSocket must be a WebSocket constructor (e.g. the ws package's), got {}",
                    describe(&v)
                ),
                None,
            )
        });
    }
    let global =
        Reflect::get(&js_sys::global(), &JsValue::from_str("WebSocket")).unwrap_or_default();
    global.dyn_into::<Function>().map_err(|_| {
        let node = Reflect::get(&js_sys::global(), &JsValue::from_str("process"))
            .and_then(|p| Reflect::get(&p, &JsValue::from_str("versions")))
            .and_then(|v| Reflect::get(&v, &JsValue::from_str("node")))
            .ok()
            .and_then(|v| v.as_string());
        let runtime = match node {
            Some(v) => format!("Node.js {v} has no global WebSocket"),
            None => "this runtime has no global WebSocket".to_string(),
        };
        make_error(
            ErrorCode::Connection,
            &format!(
                "{runtime}: use Node.js 22 or newer, or pass a WebSocket constructor as \
                 config.WebSocket (e.g. `import {{ WebSocket }} from \"ws\"`)"
            ),
            None,
        )
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
