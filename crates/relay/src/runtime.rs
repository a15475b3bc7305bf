//! The driver's runtime seam on tokio.

use std::time::{Duration, Instant};

use fluence_net::Runtime;
use futures::future::LocalBoxFuture;
use futures::FutureExt;

use crate::now_ms;

/// tokio as the driver's [`Runtime`] (any tokio runtime; the loop runs on one task).
pub struct Tokio {
    start: Instant,
}

impl Tokio {
    /// The runtime seam for the current tokio runtime.
    pub fn new() -> Self {
        Tokio {
            start: Instant::now(),
        }
    }
}

impl Default for Tokio {
    fn default() -> Self {
        Self::new()
    }
}

impl Runtime for Tokio {
    fn now_ms(&self) -> u64 {
        now_ms()
    }

    fn monotonic_ms(&self) -> f64 {
        self.start.elapsed().as_secs_f64() * 1000.0
    }

    fn sleep_until(&self, at_ms: u64) -> LocalBoxFuture<'static, ()> {
        tokio::time::sleep(Duration::from_millis(at_ms.saturating_sub(now_ms()))).boxed_local()
    }

    fn yield_now(&self) -> LocalBoxFuture<'static, ()> {
        tokio::task::yield_now().boxed_local()
    }
}
