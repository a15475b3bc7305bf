//! JS functions as AIR services: a handler gets the call's arguments then `callParams`
//! and returns a value or a promise (then it answers later, through `resolve`). Compiled
//! Aqua's functions carry their arrow type: arguments and result are converted as
//! js-client's `wrapJsFunction` does.

use std::rc::Rc;

use fluence_core::aqua::Arrow;
use fluence_core::{CallParams, CallToken, Reply, ServiceCall};
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;

use crate::convert::{describe, from_js, to_js};

/// Where a handler's late answer goes (the loop's command channel).
pub(crate) type Resolve = Rc<dyn Fn(CallToken, Result<Value, String>)>;

/// A JS function serving AIR calls; with an Aqua arrow type when it comes from compiled
/// Aqua (its arguments and result are then converted as js-client's `wrapJsFunction` does).
pub(crate) struct JsFunction {
    pub function: Function,
    pub arrow: Option<Rc<Arrow>>,
}

/// Every function property of `service` (own properties and class methods, up the
/// prototype chain to `Object.prototype`), bound to it.
pub(crate) fn service_functions(service: &JsValue) -> Vec<(String, JsFunction)> {
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
            if let Ok(f) = Reflect::get(service, &name) {
                if let Ok(f) = f.dyn_into::<Function>() {
                    let function = f.bind(service);
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
    functions
}

/// Calls a JS handler: `f(...args, callParams)`. A failure reads as in js-client:
/// `Service call failed. fnName="…" serviceId="…" error: <message>`.
pub(crate) fn js_handler(f: &JsFunction, call: &ServiceCall, resolve: &Resolve) -> Reply {
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
    js_args.push(&call_params(&call.params));
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
                let resolve = resolve.clone();
                let (fname, sid) = (call.function_name.clone(), call.service_id.clone());
                spawn_local(async move {
                    let r = match wasm_bindgen_futures::JsFuture::from(promise).await {
                        Ok(v) => finish(&v),
                        Err(e) => Err(describe(&e)),
                    };
                    let r = r.map_err(|msg| service_failed(&fname, &sid, &msg));
                    resolve(token, r);
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

/// The `callParams` (js-client's `ParticleContext`) a handler gets last.
pub(crate) fn call_params(p: &CallParams) -> JsValue {
    let o = Object::new();
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

/// The engine's guard of `sig.sign` over a JS predicate (`config.sigSecurityGuard`): it
/// gets the call's `callParams` and allows signing only when it returns `true`. A guard
/// that throws refuses, and the reason is logged.
pub(crate) fn sig_guard(guard: Function) -> fluence_core::SigGuard {
    Box::new(
        move |params| match guard.call1(&JsValue::NULL, &call_params(params)) {
            Ok(v) => v.as_bool() == Some(true),
            Err(e) => {
                tracing::warn!(target: "sig", "the sig security guard threw, signing refused: {}", describe(&e));
                false
            }
        },
    )
}
