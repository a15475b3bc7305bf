//! The driver gives control back to its runtime after a bounded amount of engine work,
//! however long the engine's queue is.

use std::cell::Cell;
use std::rc::Rc;

use fluence_core::{CallOptions, Engine, EngineConfig, KeyPair, SendToken};
use fluence_net::driver::{Flow, Host, Io, Runtime, Stats, RUNS_PER_BATCH, WORK_SLICE_MS};
use fluence_net::{ClientBehaviour, Driver};
use futures::future::LocalBoxFuture;
use futures::FutureExt;
use libp2p::core::muxing::StreamMuxerBox;
use libp2p::core::transport::dummy::DummyTransport;
use libp2p::{PeerId, Swarm, Transport};

/// A runtime whose monotonic clock advances 1 ms each time it is read, so a work slice is
/// a fixed number of clock reads, whatever the machine's speed. It counts yields.
struct FakeRuntime {
    clock: Cell<f64>,
    yields: Rc<Cell<u64>>,
}

impl Runtime for FakeRuntime {
    fn now_ms(&self) -> u64 {
        1_700_000_000_000
    }
    fn monotonic_ms(&self) -> f64 {
        let t = self.clock.get() + 1.0;
        self.clock.set(t);
        t
    }
    fn sleep_until(&self, _: u64) -> LocalBoxFuture<'static, ()> {
        futures::future::pending().boxed_local()
    }
    fn yield_now(&self) -> LocalBoxFuture<'static, ()> {
        self.yields.set(self.yields.get() + 1);
        fluence_net::driver::yield_once().boxed_local()
    }
}

/// Starts `calls` local calls at once, then stops when all have completed.
struct Burst {
    calls: usize,
    completed: usize,
    runs_at_yield: Vec<u64>,
}

enum Cmd {
    Start,
}

impl Host for Burst {
    type Behaviour = ClientBehaviour;
    type Command = Cmd;

    fn on_command(&mut self, io: &mut Io<'_, ClientBehaviour>, cmd: Cmd) -> Flow {
        match cmd {
            Cmd::Start => {
                for _ in 0..self.calls {
                    // Runs entirely on this peer: one AquaVM run answers it.
                    let script = r#"(call %init_peer_id% ("callbackSrv" "response") ["ok"])"#;
                    io.engine
                        .call_air(script, vec![], CallOptions::default(), io.now)
                        .expect("valid call");
                }
                Flow::Continue
            }
        }
    }
    fn on_send(
        &mut self,
        _: &mut Io<'_, ClientBehaviour>,
        _: Vec<String>,
        _: fluence_core::Particle,
        _: SendToken,
    ) {
        panic!("nothing leaves this peer");
    }
    fn on_completed(
        &mut self,
        io: &mut Io<'_, ClientBehaviour>,
        _: u64,
        _: String,
        result: Result<serde_json::Value, fluence_core::CallError>,
    ) {
        assert_eq!(result.expect("completes"), serde_json::json!("ok"));
        self.completed += 1;
        self.runs_at_yield.push(io.engine.interpretations());
    }
    fn stopped(&self) -> bool {
        self.completed == self.calls
    }
    fn on_stop(&mut self, _: &mut Io<'_, ClientBehaviour>) {}
}

#[test]
fn the_driver_yields_to_its_runtime_while_the_engine_has_a_long_queue() {
    let key = KeyPair::from_seed([3; 32]);
    let transport = DummyTransport::<(PeerId, StreamMuxerBox)>::new().boxed();
    let swarm = Swarm::new(
        transport,
        ClientBehaviour::new(key.to_libp2p().public()),
        key.peer_id().parse().expect("peer id"),
        libp2p::swarm::Config::without_executor(),
    );
    let relay = KeyPair::from_seed([4; 32]).peer_id().to_string();
    let engine = Engine::new(key, EngineConfig::client(relay));
    let calls = 1000;
    let host = Burst {
        calls,
        completed: 0,
        runs_at_yield: vec![],
    };
    let mut driver = Driver::new(engine, swarm, host);
    let yields = Rc::new(Cell::new(0));
    let rt = FakeRuntime {
        clock: Cell::new(0.0),
        yields: yields.clone(),
    };
    // No more commands after the burst: the host stops the loop once all completed.
    let cmds = futures::stream::StreamExt::chain(
        futures::stream::iter([Cmd::Start]),
        futures::stream::pending(),
    );
    futures::executor::block_on(driver.run(&rt, cmds));
    let Stats {
        yields: counted,
        max_runs_per_slice,
        ..
    } = driver.stats().clone();
    assert_eq!(driver.host.completed, calls, "every call completed");
    assert!(driver.engine.interpretations() >= calls as u64);
    // A slice is WORK_SLICE_MS clock reads here; each batch reads the clock once.
    let bound = RUNS_PER_BATCH * WORK_SLICE_MS as usize;
    println!(
        "1000 queued calls: {} AquaVM runs, {counted} yields, at most {max_runs_per_slice} runs per slice (bound {bound})",
        driver.engine.interpretations()
    );
    assert!(
        max_runs_per_slice <= bound,
        "{max_runs_per_slice} runs in one slice"
    );
    assert!(max_runs_per_slice > 0);
    assert_eq!(counted, yields.get());
    assert!(
        counted as usize >= calls / bound,
        "{counted} yields for {calls} runs: the loop must give control back"
    );
}
