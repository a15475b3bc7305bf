//! The Rust halves of `v5_callFunction` and `v5_registerService`, the targets of
//! Aqua-compiled JS (spec §9.3). The package entry (`js/core.js`) only picks the client
//! (a `FluenceClient` first argument, else the default one) and the argument form; the
//! checks and conversions are `fluence_core::aqua`, tested natively.

use std::rc::Rc;

use fluence_core::aqua::{FunctionDef, HostArg, ServiceDef};
use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::future_to_promise;

use crate::api::FluenceClient;
use crate::convert::{from_js, to_js};
use crate::error::{aqua_error, make_error, ErrorCode};
use crate::host::CallCmd;
use crate::service::JsFunction;

fn invalid(m: &str) -> JsValue {
    make_error(ErrorCode::InvalidArgument, m, None)
}

/// A definition object as JSON text (so its field order, the parameter order, is kept).
fn def_text(def: &JsValue) -> Result<String, JsValue> {
    js_sys::JSON::stringify(def)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| invalid("the Aqua definition must be a JSON object"))
}

/// `v5_callFunction` once the client is known: `args` are the function's arguments and
/// an optional trailing config `{ ttl }`.
#[wasm_bindgen(js_name = __callFunction, skip_typescript)]
pub fn call_function(client: &FluenceClient, args: Array, def: JsValue, script: String) -> Promise {
    let started = (|| {
        let def = FunctionDef::from_json(&def_text(&def)?).map_err(|e| aqua_error(&e))?;
        let mut host = Vec::new();
        for (i, a) in args.iter().enumerate() {
            host.push(match a.dyn_into::<Function>() {
                Ok(f) => HostArg::Function(f),
                Err(v) => HostArg::Value(
                    from_js(&v).map_err(|e| invalid(&format!("argument {}: {e}", i + 1)))?,
                ),
            });
        }
        let call = def.prepare(host).map_err(|e| aqua_error(&e))?;
        let callbacks = call
            .callbacks
            .into_iter()
            .map(|c| {
                let f = JsFunction {
                    function: c.function,
                    arrow: Some(Rc::new(c.arrow)),
                };
                (c.name, f)
            })
            .collect();
        let pending = client.call(CallCmd {
            script,
            args: call.data,
            callbacks,
            ttl_ms: call.ttl_ms,
            fire_and_forget: call.fire_and_forget,
            backdate_ms: 0,
        })?;
        Ok::<_, JsValue>((def, pending))
    })();
    future_to_promise(async move {
        let (def, pending) = started?;
        let v = pending.await?;
        def.convert_result(&v)
            .map(|v| to_js(&v))
            .map_err(|e| aqua_error(&e))
    })
}

/// `v5_registerService` once the client is known: registers, under `serviceId` (else the
/// definition's default id), each function the definition lists, taken from `service`
/// (an object or a class instance), with its arguments and result converted.
#[wasm_bindgen(js_name = __registerService, skip_typescript)]
pub fn register_service(
    client: &FluenceClient,
    service_id: Option<String>,
    service: JsValue,
    def: JsValue,
) -> Result<(), JsValue> {
    let def = ServiceDef::from_json(&def_text(&def)?).map_err(|e| aqua_error(&e))?;
    let id = def.service_id(service_id).map_err(|e| aqua_error(&e))?;
    if !(service.is_object() || service.is_function()) {
        return Err(invalid(
            "the service implementation must be an object or a class instance",
        ));
    }
    let mut functions = Vec::new();
    for (name, arrow) in def.functions().map_err(|e| aqua_error(&e))? {
        let f = Reflect::get(&service, &JsValue::from_str(name)).unwrap_or_default();
        if f.is_undefined() {
            return Err(invalid(&format!(
                "Service function {name} listed in Aqua schema but wasn't provided in schema \
                 implementation object or class instance. Check that your Aqua service \
                 definition matches passed service implementation"
            )));
        }
        let f: Function = f.dyn_into().map_err(|_| {
            invalid(&format!(
                "service function {name} of {id:?} must be a function"
            ))
        })?;
        let f = JsFunction {
            function: f.bind(&service),
            arrow: Some(Rc::new(arrow.clone())),
        };
        functions.push((name.to_string(), f));
    }
    client.register(id, functions)
}

fn path_of(options: &JsValue) -> Vec<String> {
    let p = Reflect::get(options, &JsValue::from_str("path")).unwrap_or_default();
    match p.dyn_into::<Array>() {
        Ok(a) => a
            .iter()
            .map(|s| {
                s.as_string()
                    .unwrap_or_else(|| crate::convert::describe(&s))
            })
            .collect(),
        Err(_) => Vec::new(),
    }
}

fn convert_with(
    value: &JsValue,
    schema: &JsValue,
    options: &JsValue,
    f: fn(
        &serde_json::Value,
        &fluence_core::aqua::AquaType,
        &[String],
    ) -> Result<serde_json::Value, fluence_core::aqua::AquaError>,
) -> Result<JsValue, JsValue> {
    let ty =
        fluence_core::aqua::AquaType::from_json(&def_text(schema)?).map_err(|e| aqua_error(&e))?;
    let v = from_js(value).map_err(|e| invalid(&e))?;
    f(&v, &ty, &path_of(options))
        .map(|v| to_js(&v))
        .map_err(|e| aqua_error(&e))
}

/// js-client's `js2aqua(value, schema, { path })`: a JS value as AIR gets it, checked
/// against an Aqua type; a mismatch throws a `TYPE_MISMATCH` FluenceError.
#[wasm_bindgen(js_name = js2aqua, unchecked_return_type = "JSONValue")]
pub fn js2aqua(
    #[wasm_bindgen(unchecked_param_type = "unknown")] value: JsValue,
    #[wasm_bindgen(unchecked_param_type = "AquaType")] schema: JsValue,
    #[wasm_bindgen(unchecked_param_type = "{ path: string[] }")] options: JsValue,
) -> Result<JsValue, JsValue> {
    convert_with(&value, &schema, &options, fluence_core::aqua::js2aqua)
}

/// js-client's `aqua2js(value, schema, { path })`: a value from AIR as JS gets it.
#[wasm_bindgen(js_name = aqua2js, unchecked_return_type = "JSONValue")]
pub fn aqua2js(
    #[wasm_bindgen(unchecked_param_type = "unknown")] value: JsValue,
    #[wasm_bindgen(unchecked_param_type = "AquaType")] schema: JsValue,
    #[wasm_bindgen(unchecked_param_type = "{ path: string[] }")] options: JsValue,
) -> Result<JsValue, JsValue> {
    convert_with(&value, &schema, &options, fluence_core::aqua::aqua2js)
}
