//! The driver's runtime seam on wasm-bindgen-futures: `Date.now()` for the engine's clock,
//! `performance.now()` to measure work, `setTimeout` to sleep, and to yield a
//! `MessageChannel` message (a macrotask: the page handles input and renders before the
//! loop resumes, without `setTimeout`'s 4 ms clamp) — but at least every
//! [`TIMER_TURN_MS`] a `setTimeout(0)` instead, because a browser may run message tasks
//! ahead of timers and the page's own `setInterval`s would starve. Only globals that a
//! page, a Web Worker and Node.js all have.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::task::{Poll, Waker};
use std::time::Duration;

use fluence_net::Runtime;
use futures::future::LocalBoxFuture;
use futures::FutureExt;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageChannel, MessagePort};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// Wall-clock time, Unix ms.
pub(crate) fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// The longest stretch of yields through the message channel before one through
/// `setTimeout`, so the page's timers run too.
pub(crate) const TIMER_TURN_MS: f64 = 12.0;

type Waiters = Rc<RefCell<VecDeque<(Rc<RefCell<bool>>, Waker)>>>;

/// The browser (or worker, or Node) as the driver's runtime. Dropping it closes its
/// message channel, so nothing of it keeps an event loop alive.
pub(crate) struct Browser {
    channel: Option<(MessagePort, MessagePort)>,
    waiters: Waiters,
    last_timer_turn: std::cell::Cell<f64>,
    _on_message: Option<Closure<dyn FnMut()>>,
}

impl Browser {
    pub fn new() -> Self {
        let waiters: Waiters = Rc::default();
        let w = waiters.clone();
        let on_message = Closure::<dyn FnMut()>::new(move || {
            if let Some((done, waker)) = w.borrow_mut().pop_front() {
                *done.borrow_mut() = true;
                waker.wake();
            }
        });
        let channel = MessageChannel::new().ok().map(|c| {
            let (rx, tx) = (c.port1(), c.port2());
            rx.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            (rx, tx)
        });
        Browser {
            channel,
            waiters,
            last_timer_turn: std::cell::Cell::new(performance_now()),
            _on_message: Some(on_message),
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some((rx, tx)) = self.channel.take() {
            rx.set_onmessage(None);
            rx.close();
            tx.close();
        }
    }
}

impl Runtime for Browser {
    fn now_ms(&self) -> u64 {
        now_ms()
    }

    fn monotonic_ms(&self) -> f64 {
        performance_now()
    }

    fn sleep_until(&self, at_ms: u64) -> LocalBoxFuture<'static, ()> {
        let ms = at_ms.saturating_sub(now_ms()).min(u64::from(u32::MAX / 2));
        gloo_timers::future::sleep(Duration::from_millis(ms)).boxed_local()
    }

    fn yield_now(&self) -> LocalBoxFuture<'static, ()> {
        let now = performance_now();
        let timer_due = now - self.last_timer_turn.get() >= TIMER_TURN_MS;
        let tx = match &self.channel {
            Some((_, tx)) if !timer_due => tx,
            _ => {
                self.last_timer_turn.set(now);
                return gloo_timers::future::sleep(Duration::ZERO).boxed_local();
            }
        };
        let tx = tx.clone();
        let waiters = self.waiters.clone();
        let done = Rc::new(RefCell::new(false));
        let mut posted = false;
        futures::future::poll_fn(move |cx| {
            if *done.borrow() {
                return Poll::Ready(());
            }
            if !posted {
                posted = true;
                waiters
                    .borrow_mut()
                    .push_back((done.clone(), cx.waker().clone()));
                if tx.post_message(&JsValue::NULL).is_err() {
                    return Poll::Ready(());
                }
            }
            Poll::Pending
        })
        .boxed_local()
    }
}
