//! A version of `Delay` that works on wasm.
//!
//! fluence-client: every `Delay` of a thread shares one JavaScript timer. libp2p arms a
//! 10-second `Delay` for each substream it negotiates and fluence-net one for each particle
//! stream it reads or writes, and nearly all of them are dropped long before they fire: with
//! one `setTimeout` (and its wasm-bindgen closure) per `Delay` and a `clearTimeout` per drop,
//! a hello round trip in a page cost 4 of each. Here a `Delay` is an entry in a per-thread
//! table of deadlines, and one timer is armed for the earliest of them: a new `Delay` that is
//! not the earliest touches no JavaScript, a dropped one only leaves the table. When the
//! timer fires, every entry that is due is woken and the timer is armed again for the
//! earliest left. With no entry left the timer is cleared, so nothing keeps an event loop
//! (Node.js) alive.

use gloo_timers::callback::Timeout;
use std::{
    cell::RefCell,
    cmp::Reverse,
    collections::BinaryHeap,
    future::Future,
    pin::Pin,
    task::{Context, Poll, Waker},
    time::Duration,
};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// A version of `Delay` that works on wasm.
#[derive(Debug)]
pub struct Delay {
    /// Its entry in the thread's [`Timers`].
    id: u64,
}

impl Delay {
    /// Creates a new future which will fire at `dur` time into the future.
    #[inline]
    pub fn new(dur: Duration) -> Delay {
        let now = performance_now();
        Delay {
            id: with_timers(|t| t.add(now, deadline_after(now, dur))),
        }
    }

    /// Resets the timeout.
    #[inline]
    pub fn reset(&mut self, dur: Duration) {
        let now = performance_now();
        self.id = with_timers(|t| {
            t.remove(self.id);
            t.add(now, deadline_after(now, dur))
        });
    }
}

impl Future for Delay {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context) -> Poll<Self::Output> {
        let id = self.id;
        with_timers(|t| t.poll(id, cx.waker()))
    }
}

impl Drop for Delay {
    fn drop(&mut self) {
        let id = self.id;
        // During a thread's teardown the table may be gone already: nothing to leave then.
        let _ = TIMERS.try_with(|t| {
            if let Ok(mut t) = t.try_borrow_mut() {
                t.remove(id);
            }
        });
    }
}

/// The monotonic clock's time `dur` after `now`, in ms.
fn deadline_after(now: f64, dur: Duration) -> f64 {
    now + dur.as_secs_f64() * 1000.0
}

thread_local! {
    static TIMERS: RefCell<Timers> = RefCell::new(Timers::default());
}

fn with_timers<R>(f: impl FnOnce(&mut Timers) -> R) -> R {
    TIMERS.with(|t| f(&mut t.borrow_mut()))
}

/// One entry: whether it has fired, and who to wake when it does (its deadline is its key
/// in [`Timers::queue`]).
struct Entry {
    fired: bool,
    waker: Option<Waker>,
}

/// A place in [`Timers::slots`]: the entry there, and how often the place was reused (an id
/// is both, so an old id never names a newer entry).
#[derive(Default)]
struct Slot {
    generation: u32,
    entry: Option<Entry>,
}

/// The deadlines of a thread's delays and the one JavaScript timer armed for them.
#[derive(Default)]
struct Timers {
    slots: Vec<Slot>,
    /// Places of `slots` without an entry.
    free: Vec<u32>,
    /// Entries in `slots`.
    live: usize,
    /// Deadlines (as the bits of a non-negative f64, which order as the numbers do; see
    /// [`key`]) of entries not yet fired, earliest first (a fired one leaves it). An entry removed since stays here until it
    /// comes to the top or the heap is rebuilt (see [`Timers::remove`]).
    queue: BinaryHeap<Reverse<(u64, u64)>>,
    /// The armed timer and the deadline it was armed for.
    armed: Option<(Timeout, f64)>,
}

impl Timers {
    fn add(&mut self, now: f64, deadline: f64) -> u64 {
        let index = self.free.pop().unwrap_or_else(|| {
            self.slots.push(Slot::default());
            (self.slots.len() - 1) as u32
        });
        let slot = &mut self.slots[index as usize];
        slot.generation = slot.generation.wrapping_add(1);
        slot.entry = Some(Entry {
            fired: false,
            waker: None,
        });
        self.live += 1;
        let id = (u64::from(slot.generation) << 32) | u64::from(index);
        self.queue.push(Reverse((key(deadline), id)));
        if self.armed.as_ref().map_or(true, |(_, at)| deadline < *at) {
            self.arm(now, deadline);
        }
        id
    }

    /// The entry `id` names, if it is still there.
    fn get(&mut self, id: u64) -> Option<&mut Entry> {
        let slot = self.slots.get_mut(id as u32 as usize)?;
        if slot.generation != (id >> 32) as u32 {
            return None;
        }
        slot.entry.as_mut()
    }

    fn remove(&mut self, id: u64) {
        if self.get(id).is_none() {
            return;
        }
        let index = id as u32;
        self.slots[index as usize].entry = None;
        self.free.push(index);
        self.live -= 1;
        if self.live == 0 {
            // Nothing left to wait for: no timer may keep the event loop alive.
            self.queue.clear();
            self.armed = None;
        } else if self.queue.len() > 2 * self.live + 64 {
            // Mostly removed entries: keep the heap's size proportional to the live ones.
            let mut queue = std::mem::take(&mut self.queue).into_vec();
            queue.retain(|Reverse((_, id))| self.get(*id).is_some());
            self.queue = queue.into();
        }
    }

    fn poll(&mut self, id: u64, waker: &Waker) -> Poll<()> {
        let Some(entry) = self.get(id) else {
            // Not in the table: cannot happen (an entry lives as long as its `Delay`).
            return Poll::Ready(());
        };
        // Fired by the timer only: no clock read per poll (each is a call into JavaScript).
        if entry.fired {
            return Poll::Ready(());
        }
        match &entry.waker {
            Some(w) if w.will_wake(waker) => {}
            _ => entry.waker = Some(waker.clone()),
        }
        Poll::Pending
    }

    /// Arms the one timer for `deadline` (the earlier timer, if any, is cleared).
    fn arm(&mut self, now: f64, deadline: f64) {
        let ms = (deadline - now).ceil().clamp(0.0, i32::MAX as f64) as u32;
        self.armed = Some((Timeout::new(ms, fire), deadline));
    }

    /// The timer fired: wakes every entry that is due and arms the timer for the next one.
    fn fire(&mut self) -> Vec<Waker> {
        self.armed = None;
        let now = performance_now();
        let mut woken = Vec::new();
        while let Some(&Reverse((key, id))) = self.queue.peek() {
            let Some(entry) = self.get(id) else {
                self.queue.pop();
                continue;
            };
            let deadline = f64::from_bits(key);
            if deadline > now {
                self.arm(now, deadline);
                break;
            }
            entry.fired = true;
            woken.extend(entry.waker.take());
            self.queue.pop();
        }
        woken
    }
}

/// The timer's callback. Wakers are woken after the table is released: a waker may poll
/// (and so create or drop delays) at once.
fn fire() {
    for waker in with_timers(Timers::fire) {
        waker.wake();
    }
}

/// A deadline as a heap key: non-negative f64s order as their bits do.
fn key(deadline: f64) -> u64 {
    deadline.max(0.0).to_bits()
}
