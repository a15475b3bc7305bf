//! The connection state as JS reads it, and its listeners. Listeners are called with no
//! borrow held: one may read `connectionState`, call its own `off()`, add a listener, call
//! `disconnect()` or start a `callAir`.

use std::cell::RefCell;
use std::rc::Rc;

use fluence_core::ConnectionState;
use js_sys::Function;
use wasm_bindgen::JsValue;

use crate::convert::describe;

struct Inner {
    state: ConnectionState,
    listeners: Vec<(u32, Function)>,
    next_listener: u32,
}

/// The state and its listeners, shared by the JS handle and the loop.
#[derive(Clone)]
pub(crate) struct StateCell(Rc<RefCell<Inner>>);

impl StateCell {
    /// Starts in `connecting`.
    pub fn new() -> Self {
        StateCell(Rc::new(RefCell::new(Inner {
            state: ConnectionState::Connecting,
            listeners: Vec::new(),
            next_listener: 1,
        })))
    }

    /// The current state.
    pub fn get(&self) -> ConnectionState {
        self.0.borrow().state
    }

    /// Sets the state and, when it changed, calls every listener (a listener that throws is
    /// logged; the others are still called).
    pub fn set(&self, s: ConnectionState) {
        let listeners = {
            let mut inner = self.0.borrow_mut();
            if inner.state == s {
                return;
            }
            inner.state = s;
            inner.listeners.clone()
        };
        let arg = JsValue::from_str(s.as_str());
        for (id, f) in listeners {
            // A listener removed by an earlier one in this round is not called.
            if !self.0.borrow().listeners.iter().any(|(i, _)| *i == id) {
                continue;
            }
            if let Err(e) = f.call1(&JsValue::NULL, &arg) {
                tracing::warn!("connection state listener threw: {}", describe(&e));
            }
        }
    }

    /// Adds a listener; returns its id for [`StateCell::remove`].
    pub fn add(&self, f: Function) -> u32 {
        let mut inner = self.0.borrow_mut();
        let id = inner.next_listener;
        inner.next_listener += 1;
        inner.listeners.push((id, f));
        id
    }

    /// Removes a listener.
    pub fn remove(&self, id: u32) {
        self.0.borrow_mut().listeners.retain(|(i, _)| *i != id);
    }

    /// A handle that does not keep the state alive.
    pub fn downgrade(&self) -> WeakStateCell {
        WeakStateCell(Rc::downgrade(&self.0))
    }
}

/// A weak [`StateCell`] (for `off()` closures).
pub(crate) struct WeakStateCell(std::rc::Weak<RefCell<Inner>>);

impl WeakStateCell {
    /// The cell, while the client lives.
    pub fn upgrade(&self) -> Option<StateCell> {
        self.0.upgrade().map(StateCell)
    }
}
