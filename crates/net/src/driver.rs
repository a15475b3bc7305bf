//! The one event loop of every peer: it owns the [`Engine`] and the libp2p [`Swarm`] and
//! drives both for a [`Host`] (the relay server, the native client, the browser client)
//! over a small [`Runtime`] seam (tokio natively, wasm-bindgen-futures in a browser).
//!
//! **One turn of the loop**, in this order:
//! 1. if the current work slice has lasted [`WORK_SLICE_MS`], give control back to the
//!    runtime ([`Runtime::yield_now`]: in a page, a macrotask, so input and rendering run);
//! 2. wait for one input — a host command, a swarm event (only while fewer than
//!    [`MAX_QUEUED_RUNS`] particles wait for AquaVM: backpressure on the network), the
//!    engine's, the host's or the drop log's ([`crate::droplog`]) next deadline, or nothing
//!    when the engine still has work —
//!    with commands and swarm events taking turns first;
//! 3. hand it on: a command to [`Host::on_command`]; a frame to the engine (decoded,
//!    checked); a send result to the engine or the host; other swarm events to
//!    [`Host::on_swarm_event`]; a due deadline to the drop log, [`Engine::handle_timeout`]
//!    and [`Host::on_wake`];
//! 4. run the engine, [`RUNS_PER_BATCH`] AquaVM runs at a time, until it has no work or
//!    the slice is over, handing every engine event to the host after each batch.
//!
//! Nothing else in the project calls [`Engine::process`] or touches particle streams: the
//! frame I/O is in the connection handler ([`crate::protocol`]).

use std::future::Future;
use std::task::Poll;

use fluence_core::{CallError, Engine, Event, Particle, RequestId, SendToken};
use futures::future::LocalBoxFuture;
use futures::{FutureExt, Stream, StreamExt};
use libp2p::swarm::{NetworkBehaviour, SwarmEvent};
use libp2p::{PeerId, Swarm};
use serde_json::Value;
use tracing::{debug, warn};

use crate::droplog::{self, DropLog};
use crate::protocol::{self, Outgoing, ParticleProtocol};

/// The longest stretch of engine work before the loop gives control back to its runtime
/// (8 ms: half a 60 Hz frame, so a page stays responsive under a burst).
pub const WORK_SLICE_MS: f64 = 8.0;

/// AquaVM runs between two looks at the clock (one run takes ~0.1–1 ms).
pub const RUNS_PER_BATCH: usize = 4;

/// Particles waiting for AquaVM above which the loop stops taking frames from the network
/// until the engine catches up (readers then wait: backpressure).
pub const MAX_QUEUED_RUNS: usize = 128;

/// What the loop needs from an async runtime.
pub trait Runtime {
    /// Wall-clock time, Unix ms: the engine's `now`.
    fn now_ms(&self) -> u64;
    /// A monotonic clock in ms (sub-millisecond where the host has it), to measure work.
    fn monotonic_ms(&self) -> f64;
    /// Completes at the wall-clock instant `at_ms` (at once when it has passed).
    fn sleep_until(&self, at_ms: u64) -> LocalBoxFuture<'static, ()>;
    /// Gives control back to the runtime and resumes as soon as it lets us (in a
    /// browser: after other tasks, so a page can handle input and render).
    fn yield_now(&self) -> LocalBoxFuture<'static, ()>;
}

/// Whether the loop goes on after a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Keep running.
    Continue,
    /// Stop: [`Host::on_stop`] runs, then [`Driver::run`] returns.
    Stop,
}

/// The engine and the swarm, as hosts see them inside a callback.
pub struct Io<'a, B: NetworkBehaviour> {
    /// The peer engine.
    pub engine: &'a mut Engine,
    /// The swarm.
    pub swarm: &'a mut Swarm<B>,
    /// Wall-clock time of this turn, Unix ms.
    pub now: u64,
}

/// A swarm behaviour that contains the [`ParticleProtocol`].
pub trait ParticleBehaviour: NetworkBehaviour {
    /// The particle protocol inside.
    fn particles(&mut self) -> &mut ParticleProtocol;

    /// Takes a particle-protocol event out of the behaviour's events; any other is given
    /// back (and then goes to [`Host::on_swarm_event`]).
    fn particle_event(event: Self::ToSwarm) -> Result<protocol::Event, Self::ToSwarm>;
}

/// A peer that runs on the [`Driver`]: the relay server, the native client, the browser
/// client. Only the callbacks a host cares about need a body.
pub trait Host {
    /// The swarm's behaviour.
    type Behaviour: ParticleBehaviour;
    /// What the app (or the host's own tasks, e.g. a settled JS promise) sends the loop.
    type Command;

    /// A command arrived.
    fn on_command(&mut self, io: &mut Io<'_, Self::Behaviour>, command: Self::Command) -> Flow;

    /// A swarm event other than the particle protocol's.
    fn on_swarm_event(
        &mut self,
        io: &mut Io<'_, Self::Behaviour>,
        event: SwarmEvent<<Self::Behaviour as NetworkBehaviour>::ToSwarm>,
    ) {
        let _ = (io, event);
    }

    /// A particle arrived and decoded (the engine checks it next). Return false to drop it.
    fn on_received(
        &mut self,
        io: &mut Io<'_, Self::Behaviour>,
        from: PeerId,
        p: &Particle,
    ) -> bool {
        let _ = (io, from, p);
        true
    }

    /// The engine wants `particle` sent to `to`: route it (with
    /// [`send_to`]) or report it failed to the engine.
    fn on_send(
        &mut self,
        io: &mut Io<'_, Self::Behaviour>,
        to: Vec<String>,
        particle: Particle,
        token: SendToken,
    );

    /// A particle was written to `peer`.
    fn on_sent(&mut self, io: &mut Io<'_, Self::Behaviour>, peer: PeerId, token: SendToken) {
        let _ = (io, peer, token);
    }

    /// A particle could not be written to `peer`. By default the engine hears of it.
    fn on_send_failed(
        &mut self,
        io: &mut Io<'_, Self::Behaviour>,
        peer: PeerId,
        token: SendToken,
        error: String,
    ) {
        warn!(target: "network", %peer, "particle not sent: {error}");
        io.engine.send_failed(token, &error);
    }

    /// A call started with `Engine::call_air` settled.
    fn on_completed(
        &mut self,
        io: &mut Io<'_, Self::Behaviour>,
        request: RequestId,
        particle_id: String,
        result: Result<Value, CallError>,
    );

    /// `run-console.print` output.
    fn on_console(&mut self, particle_id: String, line: String) {
        let _ = particle_id;
        tracing::info!(target: "run-console", "{line}");
    }

    /// The host's own next deadline (Unix ms), beside the engine's.
    fn wake_at(&self) -> Option<u64> {
        None
    }

    /// Time advanced (called every turn in which the engine's or the host's deadline came).
    fn on_wake(&mut self, io: &mut Io<'_, Self::Behaviour>) {
        let _ = io;
    }

    /// Whether the loop should stop now (checked after every turn), e.g. because the
    /// first dial failed.
    fn stopped(&self) -> bool {
        false
    }

    /// The loop is stopping: settle what is pending (the engine is still there).
    fn on_stop(&mut self, io: &mut Io<'_, Self::Behaviour>);
}

/// Counters of a driver, for tests and benchmarks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Loop turns.
    pub turns: u64,
    /// Times control was given back to the runtime because a slice was used up.
    pub yields: u64,
    /// Most AquaVM runs within one slice.
    pub max_runs_per_slice: usize,
}

/// The loop. See the module documentation.
pub struct Driver<H: Host> {
    /// The peer engine.
    pub engine: Engine,
    /// The swarm.
    pub swarm: Swarm<H::Behaviour>,
    /// The host.
    pub host: H,
    max_queued_runs: usize,
    stats: Stats,
    drops: DropLog,
}

enum Input<C, E> {
    Command(Option<C>),
    Swarm(E),
    /// The deadline's timer fired.
    Timer,
    Ready,
}

impl<H: Host> Driver<H> {
    /// A driver of `engine` and `swarm` for `host`.
    pub fn new(engine: Engine, swarm: Swarm<H::Behaviour>, host: H) -> Self {
        Driver {
            engine,
            swarm,
            host,
            max_queued_runs: MAX_QUEUED_RUNS,
            stats: Stats::default(),
            drops: DropLog::new(),
        }
    }

    /// Sets the backpressure bound (default [`MAX_QUEUED_RUNS`]).
    pub fn with_max_queued_runs(mut self, n: usize) -> Self {
        self.max_queued_runs = n.max(1);
        self
    }

    /// The counters so far.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Runs until a command asks to stop or `commands` ends; then [`Host::on_stop`].
    pub async fn run<R: Runtime>(
        &mut self,
        rt: &R,
        mut commands: impl Stream<Item = H::Command> + Unpin,
    ) {
        let mut slice_start = rt.monotonic_ms();
        let mut runs_in_slice = 0usize;
        // Flipped before each turn: the first turn looks at commands first.
        let mut commands_first = false;
        let mut sleep: Option<(u64, LocalBoxFuture<'static, ()>)> = None;
        loop {
            self.stats.turns += 1;
            if rt.monotonic_ms() - slice_start >= WORK_SLICE_MS {
                self.stats.yields += 1;
                rt.yield_now().await;
                slice_start = rt.monotonic_ms();
                runs_in_slice = 0;
            }
            let wake = [
                self.engine.poll_timeout(),
                self.host.wake_at(),
                self.drops.poll_timeout(),
            ]
            .into_iter()
            .flatten()
            .min();
            let busy = self.engine.has_work();
            // The timer for the next deadline is kept while the deadline stays the same
            // (in a browser each new one is a setTimeout).
            match (wake, &sleep) {
                (Some(at), Some((armed, _))) if *armed == at => {}
                (Some(at), _) => sleep = Some((at, rt.sleep_until(at))),
                (None, _) => sleep = None,
            }
            let take_network = self.engine.queued_runs() < self.max_queued_runs;
            let swarm = &mut self.swarm;
            commands_first = !commands_first;
            let input = futures::future::poll_fn(|cx| {
                for turn in 0..2 {
                    if (turn == 0) == commands_first {
                        if let Poll::Ready(c) = commands.poll_next_unpin(cx) {
                            return Poll::Ready(Input::Command(c));
                        }
                    } else if take_network {
                        if let Poll::Ready(Some(e)) = swarm.poll_next_unpin(cx) {
                            return Poll::Ready(Input::Swarm(e));
                        }
                    }
                }
                if let Some((_, s)) = sleep.as_mut().filter(|_| !busy) {
                    if s.poll_unpin(cx).is_ready() {
                        return Poll::Ready(Input::Timer);
                    }
                }
                if busy {
                    return Poll::Ready(Input::Ready);
                }
                Poll::Pending
            })
            .await;
            let now = rt.now_ms();
            // A completed timer is never polled again; a due one is replaced next turn.
            if matches!(input, Input::Timer) || wake.is_some_and(|w| w <= now) {
                sleep = None;
            }
            let mut io = Io {
                engine: &mut self.engine,
                swarm: &mut self.swarm,
                now,
            };
            match input {
                Input::Command(None) => break,
                Input::Command(Some(c)) => {
                    if self.host.on_command(&mut io, c) == Flow::Stop {
                        break;
                    }
                }
                Input::Swarm(ev) => on_swarm_event(&mut self.host, &mut io, &mut self.drops, ev),
                Input::Timer | Input::Ready => {}
            }
            if wake.is_some_and(|w| w <= now) {
                log_counted_drops(&mut self.drops, now);
                io.engine.handle_timeout(now);
                self.host.on_wake(&mut io);
            }
            loop {
                drain_events(&mut self.host, &mut io);
                if !io.engine.has_work() || rt.monotonic_ms() - slice_start >= WORK_SLICE_MS {
                    break;
                }
                io.now = rt.now_ms();
                runs_in_slice += io.engine.process(io.now, RUNS_PER_BATCH);
                self.stats.max_runs_per_slice = self.stats.max_runs_per_slice.max(runs_in_slice);
            }
            if self.host.stopped() {
                break;
            }
        }
        // Drops still being counted get their line now.
        log_counted_drops(&mut self.drops, u64::MAX);
        let mut io = Io {
            engine: &mut self.engine,
            swarm: &mut self.swarm,
            now: rt.now_ms(),
        };
        self.host.on_stop(&mut io);
        drain_events(&mut self.host, &mut io);
    }
}

/// Hands `particle` to the particle protocol for `peer` (a result event follows).
pub fn send_to<H: Host>(
    io: &mut Io<'_, H::Behaviour>,
    peer: PeerId,
    particle: &Particle,
    token: SendToken,
) {
    let outgoing = Outgoing {
        token,
        particle_id: particle.id.clone(),
        frame: particle.to_frame(),
    };
    io.swarm.behaviour_mut().particles().send(peer, outgoing);
}

fn drain_events<H: Host>(host: &mut H, io: &mut Io<'_, H::Behaviour>) {
    while let Some(ev) = io.engine.poll_event() {
        match ev {
            Event::Send {
                to,
                particle,
                token,
            } => host.on_send(io, to, particle, token),
            Event::Completed {
                request,
                particle_id,
                result,
            } => host.on_completed(io, request, particle_id, result),
            Event::Console { particle_id, line } => host.on_console(particle_id, line),
        }
    }
}

fn on_swarm_event<H: Host>(
    host: &mut H,
    io: &mut Io<'_, H::Behaviour>,
    drops: &mut DropLog,
    ev: SwarmEvent<<H::Behaviour as NetworkBehaviour>::ToSwarm>,
) {
    let ev = match ev {
        SwarmEvent::Behaviour(b) => match H::Behaviour::particle_event(b) {
            Ok(p) => return on_particle_event(host, io, drops, p),
            Err(other) => SwarmEvent::Behaviour(other),
        },
        other => other,
    };
    host.on_swarm_event(io, ev);
}

fn on_particle_event<H: Host>(
    host: &mut H,
    io: &mut Io<'_, H::Behaviour>,
    drops: &mut DropLog,
    ev: protocol::Event,
) {
    match ev {
        protocol::Event::Received { peer, payload } => match Particle::from_payload(&payload) {
            Err(e) => log_drop(drops, peer, &format!("undecodable: {e}"), io.now),
            Ok(p) => {
                debug!(target: "network", %peer, id = %p.id, "received particle");
                if host.on_received(io, peer, &p) {
                    // The engine logs why it drops a particle.
                    let _ = io.engine.handle_particle_from(p, &peer.to_string(), io.now);
                }
            }
        },
        protocol::Event::InboundFailed { peer, error } => log_drop(drops, peer, &error, io.now),
        protocol::Event::Sent { peer, token } => host.on_sent(io, peer, token),
        protocol::Event::SendFailed { peer, token, error } => {
            host.on_send_failed(io, peer, token, error)
        }
    }
}

/// Logs that a stream from `peer` was dropped for `reason`: at once, or counted into the
/// line [`log_counted_drops`] writes when the reason's window ends (see [`crate::droplog`]).
fn log_drop(drops: &mut DropLog, peer: PeerId, reason: &str, now: u64) {
    log_counted_drops(drops, now);
    if drops.record(peer, reason, now) == droplog::Line::First {
        warn!(target: "network", %peer, "dropped inbound particle: {reason}");
    }
}

/// The lines of the drop-log windows that ended by `now`.
fn log_counted_drops(drops: &mut DropLog, now: u64) {
    for (peer, reason, more) in drops.flush(now) {
        warn!(
            target: "network",
            %peer,
            "dropped inbound particle: {reason} ({more} more in the {} s after the first)",
            droplog::WINDOW_MS / 1_000
        );
    }
}

/// A [`Runtime::yield_now`] for runtimes without one: ready on the second poll, after
/// waking itself (other ready tasks run in between).
pub fn yield_once() -> impl Future<Output = ()> {
    let mut yielded = false;
    futures::future::poll_fn(move |cx| {
        if yielded {
            Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
}
