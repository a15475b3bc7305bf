//! JSON values ⇄ JS values, through JSON text: exactly what js-client does with service
//! results (`JSON.stringify`), so `undefined` becomes `null` and non-JSON values fail.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

use serde_json::Value;
use wasm_bindgen::JsValue;

/// A JSON value as a JS value.
pub fn to_js(v: &Value) -> JsValue {
    js_sys::JSON::parse(&v.to_string()).unwrap_or(JsValue::NULL)
}

/// A JS value as JSON: `undefined` → `null`; functions, symbols, BigInts and cycles are
/// errors with a message.
pub fn from_js(v: &JsValue) -> Result<Value, String> {
    if v.is_undefined() {
        return Ok(Value::Null);
    }
    let text = js_sys::JSON::stringify(v)
        .map_err(|e| format!("value is not JSON-serializable: {}", describe(&e)))?;
    let Some(text) = text.as_string() else {
        return Err("value is not JSON-serializable".into());
    };
    serde_json::from_str(&text).map_err(|e| format!("value is not JSON: {e}"))
}

/// The message of a thrown JS value.
pub fn describe(e: &JsValue) -> String {
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        return String::from(err.message());
    }
    e.as_string().unwrap_or_else(|| {
        js_sys::JSON::stringify(e)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_else(|| "unknown error".into())
    })
}

use wasm_bindgen::JsCast;
