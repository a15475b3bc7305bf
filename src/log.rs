//! `logLevel`: `tracing` events of the client (and of libp2p) go to the browser console,
//! `console.error` / `warn` / `info` / `debug` by level. One subscriber per page; the
//! level is the one of the latest `FluenceClient.connect`.

use std::io;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Once;

use tracing::{Level, Metadata};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::Layer;
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
        let layer = tracing_subscriber::fmt::layer()
            .without_time()
            .with_ansi(false)
            .with_writer(Console)
            .with_filter(tracing_subscriber::filter::filter_fn(|m| {
                rank(m.level()) <= LEVEL.load(Ordering::Relaxed)
            }));
        let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer));
    });
}

#[derive(Clone, Copy)]
struct Console;

struct Line {
    level: u8,
    buf: Vec<u8>,
}

impl io::Write for Line {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for Line {
    fn drop(&mut self) {
        let text = String::from_utf8_lossy(&self.buf);
        let text = JsValue::from_str(text.trim_end());
        let method = match self.level {
            1 => "error",
            2 => "warn",
            3 => "info",
            _ => "debug",
        };
        console(method, text);
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

impl<'a> MakeWriter<'a> for Console {
    type Writer = Line;
    fn make_writer(&'a self) -> Line {
        Line {
            level: 3,
            buf: Vec::new(),
        }
    }
    fn make_writer_for(&'a self, meta: &Metadata<'_>) -> Line {
        Line {
            level: rank(meta.level()),
            buf: Vec::new(),
        }
    }
}
