//! The Aqua definition parser: the compiler's `FunctionCallDef` and `ServiceDef` JSON (the
//! second argument of `v5_callFunction` / `v5_registerService`), then what the client does
//! with a definition it accepted: parameter lists, argument checks, result conversion.
//!
//! Properties: no panic for any text.
#![no_main]

use fluence_core::aqua::{FunctionDef, HostArg, ServiceDef};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(f) = FunctionDef::from_json(text) {
        let _ = f.arrow.params();
        let n = f.arrow.params().map(|p| p.len()).unwrap_or(0).min(8);
        for extra in 0..2 {
            let args: Vec<HostArg<()>> = (0..n + extra)
                .map(|i| {
                    if i % 3 == 2 {
                        HostArg::Function(())
                    } else {
                        HostArg::Value(Value::Null)
                    }
                })
                .collect();
            let _ = f.prepare(args);
        }
        let _ = f.convert_result(&Value::Null);
        let _ = f.convert_result(&Value::Array(vec![Value::Null]));
    }
    if let Ok(s) = ServiceDef::from_json(text) {
        let _ = s.service_id(None);
        if let Ok(fns) = s.functions() {
            for (name, arrow) in fns {
                let _ = arrow.params();
                let _ = arrow.args_to_js(name, &[Value::Null, Value::Bool(true)]);
                let _ = arrow.result_to_aqua(name, &Value::Null);
            }
        }
    }
});
