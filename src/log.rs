//! `logLevel`: `tracing` events of the client (and of libp2p) go to the browser console,
//! `console.error` / `warn` / `info` / `debug` by level. One subscriber per page; the
//! level is the one of the latest `FluenceClient.connect`.

use std::fmt::{self, Write};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Once;

use tracing::{Level, Metadata};
use wasm_bindgen::JsValue;

/// 0 = off, 1 = error … 5 = trace.
static LEVEL: AtomicU8 = AtomicU8::new(2);
static INIT: Once = Once::new();

fn rank(l: &Level) -> u8 {
    match *l {
        Level::ERROR => 1,
        Level::WARN => 2,
        Level::INFO => 3,
        Level::DEBUG => 4,
        Level::TRACE => 5,
    }
}

/// Parses a `logLevel` option.
pub fn parse(s: &str) -> Result<u8, String> {
    Ok(match s {
        "off" => 0,
        "error" => 1,
        "warn" => 2,
        "info" => 3,
        "debug" => 4,
        "trace" => 5,
        other => {
            return Err(format!(
                "logLevel must be one of off, error, warn, info, debug, trace; got {other:?}"
            ))
        }
    })
}

/// Sets the level and installs the console subscriber once.
pub fn init(level: u8) {
    LEVEL.store(level, Ordering::Relaxed);
    INIT.call_once(|| {
        let _ = tracing::subscriber::set_global_default(ConsoleSubscriber);
    });
}

/// A minimal `tracing` subscriber: each enabled event becomes one console line,
/// `LEVEL target: message key=value …`. Spans are not tracked (the client does not
/// use them; libp2p's only add context). Much smaller in wasm than tracing-subscriber's
/// fmt layer.
struct ConsoleSubscriber;

impl tracing::Subscriber for ConsoleSubscriber {
    fn register_callsite(&self, _: &'static Metadata<'static>) -> tracing::subscriber::Interest {
        // The level can change at every connect(): ask `enabled` each time.
        tracing::subscriber::Interest::sometimes()
    }

    fn enabled(&self, m: &Metadata<'_>) -> bool {
        rank(m.level()) <= LEVEL.load(Ordering::Relaxed)
    }

    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }

    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        let m = event.metadata();
        let mut line = Line {
            message: String::new(),
            fields: String::new(),
        };
        event.record(&mut line);
        let text = format!(
            "{} {}: {}{}",
            m.level(),
            m.target(),
            line.message,
            line.fields
        );
        let method = match rank(m.level()) {
            1 => "error",
            2 => "warn",
            3 => "info",
            _ => "debug",
        };
        console(method, JsValue::from_str(&text));
    }

    fn enter(&self, _: &tracing::span::Id) {}

    fn exit(&self, _: &tracing::span::Id) {}
}

/// An event's message and its other fields.
struct Line {
    message: String,
    fields: String,
}

impl tracing::field::Visit for Line {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            let _ = write!(self.fields, " {}={value}", field.name());
        }
    }

    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            let _ = write!(self.fields, " {}={value:?}", field.name());
        }
    }
}

/// Calls `console.<method>(text)`; does nothing where there is no such console function.
pub fn console(method: &str, text: JsValue) {
    let Ok(c) = js_sys::Reflect::get(&js_sys::global(), &"console".into()) else {
        return;
    };
    if let Ok(f) = js_sys::Reflect::get(&c, &method.into()) {
        if let Ok(f) = wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(f) {
            let _ = f.call1(&c, &text);
        }
    }
}
