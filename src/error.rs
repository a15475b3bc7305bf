//! Errors as JS sees them: an `Error` named `FluenceError` with `code`, `particleId` and
//! `relay` properties. Every rejected promise of this package carries one.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

use fluence_core::aqua::AquaError;
use fluence_core::CallError;
use wasm_bindgen::prelude::*;

/// The `code` of a `FluenceError`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// The particle's TTL ran out.
    TtlExpired,
    /// AquaVM failed to interpret the script.
    Interpreter,
    /// The particle could not be sent.
    Send,
    /// No connection to the relay.
    Connection,
    /// A bad argument.
    InvalidArgument,
    /// An error raised inside the Aqua script.
    Aqua,
    /// The client was disconnected while the call was pending.
    Cancelled,
    /// A value does not have the Aqua type compiled Aqua declares (`path`, `expected`,
    /// `given` on the error).
    TypeMismatch,
    /// The Wasm module could not be loaded (made by the package's JS entry; the message
    /// names the URL tried and the fix).
    Load,
    /// This machine's clock is off the relay's by more than `config.clockSkewAllowanceMs`
    /// (measured by `connect`'s connection check; both times are in the message).
    ClockSkew,
}

impl ErrorCode {
    /// Every code, in the order the package's types list them. The one list: the
    /// TypeScript union, `js/errors.js` and the package README are checked against it.
    /// (A failing local service reaches the caller as the Aqua error it causes, `AQUA`,
    /// as in js-client: there is no separate service code.)
    pub const ALL: [ErrorCode; 10] = [
        ErrorCode::TtlExpired,
        ErrorCode::Interpreter,
        ErrorCode::Send,
        ErrorCode::Connection,
        ErrorCode::InvalidArgument,
        ErrorCode::Aqua,
        ErrorCode::Cancelled,
        ErrorCode::TypeMismatch,
        ErrorCode::Load,
        ErrorCode::ClockSkew,
    ];

    /// The string JS sees.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::TtlExpired => "TTL_EXPIRED",
            ErrorCode::Interpreter => "INTERPRETER",
            ErrorCode::Send => "SEND",
            ErrorCode::Connection => "CONNECTION",
            ErrorCode::InvalidArgument => "INVALID_ARGUMENT",
            ErrorCode::Aqua => "AQUA",
            ErrorCode::Cancelled => "CANCELLED",
            ErrorCode::TypeMismatch => "TYPE_MISMATCH",
            ErrorCode::Load => "LOAD",
            ErrorCode::ClockSkew => "CLOCK_SKEW",
        }
    }
}

#[wasm_bindgen(module = "/js/errors.js")]
extern "C" {
    #[wasm_bindgen(js_name = makeFluenceError)]
    fn make_fluence_error(
        code: &str,
        message: &str,
        particle_id: Option<String>,
        relay: Option<String>,
    ) -> JsValue;
}

/// A `FluenceError` (a JS `Error` subclass) with `code` and `particleId` (null when none).
pub fn make_error(code: ErrorCode, message: &str, particle_id: Option<&str>) -> JsValue {
    make_fluence_error(
        code.as_str(),
        message,
        particle_id.map(str::to_string),
        None,
    )
}

/// A `FluenceError` about the connection to `relay`.
pub fn connection_error(message: &str, relay: &str) -> JsValue {
    make_fluence_error(
        ErrorCode::Connection.as_str(),
        message,
        None,
        Some(relay.to_string()),
    )
}

/// The JS error of a core [`CallError`].
pub fn call_error(e: &CallError) -> JsValue {
    let code = match e {
        CallError::TtlExpired { .. } => ErrorCode::TtlExpired,
        CallError::Interpreter { .. } => ErrorCode::Interpreter,
        CallError::Aqua { .. } => ErrorCode::Aqua,
        CallError::Send { .. } => ErrorCode::Send,
        CallError::Cancelled { .. } => ErrorCode::Cancelled,
        CallError::InvalidArgument(_) => ErrorCode::InvalidArgument,
    };
    // An Aqua error's message is AquaVM's own, as js-client rejects with it; the error
    // object's fields (`error_code`, `instruction`, `peer_id`) are on the error too, so
    // code reading js-client's rejection keeps working.
    let message = match e {
        CallError::Aqua { message, .. } => message.clone(),
        e => e.to_string(),
    };
    let err = make_error(code, &message, e.particle_id());
    if let CallError::Aqua { error, .. } = e {
        set(&err, "aquaError", crate::convert::to_js(error));
        for field in ["error_code", "instruction", "peer_id"] {
            if let Some(v) = error.get(field) {
                set(&err, field, crate::convert::to_js(v));
            }
        }
    }
    err
}

/// The JS error of compiled Aqua refusing its input: `TYPE_MISMATCH` with `path`,
/// `expected` and `given`, or `INVALID_ARGUMENT`.
pub fn aqua_error(e: &AquaError) -> JsValue {
    match e {
        AquaError::Mismatch {
            path,
            expected,
            given,
        } => {
            let err = make_error(ErrorCode::TypeMismatch, &e.to_string(), None);
            let p: js_sys::Array = path.iter().map(|s| JsValue::from_str(s)).collect();
            set(&err, "path", p.into());
            set(&err, "expected", JsValue::from_str(expected));
            set(&err, "given", JsValue::from_str(given));
            err
        }
        AquaError::Usage(m) => make_error(ErrorCode::InvalidArgument, m, None),
    }
}

fn set(target: &JsValue, key: &str, value: JsValue) {
    let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), &value);
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    fn quoted_codes(text: &str) -> Vec<String> {
        text.split('"')
            .skip(1)
            .step_by(2)
            .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
            .map(str::to_string)
            .collect()
    }

    fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
        let i = text
            .find(start)
            .unwrap_or_else(|| panic!("{start:?} not found"))
            + start.len();
        let j = text[i..]
            .find(end)
            .unwrap_or_else(|| panic!("{end:?} not found"))
            + i;
        &text[i..j]
    }

    fn expected() -> Vec<String> {
        ErrorCode::ALL
            .iter()
            .map(|c| c.as_str().to_string())
            .collect()
    }

    #[test]
    fn every_code_is_listed_once() {
        let mut seen: Vec<_> = expected();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), ErrorCode::ALL.len());
    }

    #[test]
    fn the_typescript_union_lists_exactly_the_rust_codes() {
        // The union in the typescript_custom_section of lib.rs (the package types).
        let union = between(
            include_str!("lib.rs"),
            "export type FluenceErrorCode =",
            ";",
        );
        assert_eq!(quoted_codes(union), expected());
    }

    #[test]
    fn js_errors_lists_exactly_the_rust_codes() {
        let js = include_str!("../js/errors.js");
        let list = between(js, "export const ERROR_CODES = Object.freeze([", "]);");
        assert_eq!(quoted_codes(list), expected());
    }

    #[test]
    fn the_package_readme_lists_exactly_the_rust_codes() {
        let md = include_str!("../js/README.md");
        let line = between(md, "Error codes:", "\n\n");
        let codes: Vec<String> = line
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|s| s.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
            .map(str::to_string)
            .collect();
        assert_eq!(codes, expected());
    }
}
