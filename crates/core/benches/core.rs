//! Core benchmark: prints figures, asserts nothing about time.
//!
//! 1. particles encoded + signed + decoded + verified per second;
//! 2. in-memory hello round trips (client → relay `op.identity` → client, real AquaVM on
//!    both, frames through the codec) per second, with CPU time per round trip for all
//!    peers together (the whole network runs on this one thread);
//! 3. the cost of feeding AquaVM one call result per run (a client, as js-client) against
//!    all ready results in one run (a relay, as nox): a script with 10 local calls in
//!    parallel, on a client engine and on a relay engine.
//!
//! Run: `cargo bench -p fluence-core --bench core` (optionally `-- --rounds N`).

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::Net;
use fluence_core::particle::{Particle, NOX_MAX_FRAME};
use fluence_core::{CallOptions, Engine, EngineConfig, Event, KeyPair};
use serde_json::json;

/// CPU time of this process.
fn cpu_time() -> Duration {
    #[cfg(unix)]
    {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: clock_gettime writes into the timespec we own.
        let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
        assert_eq!(rc, 0, "clock_gettime");
        Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
    }
    #[cfg(not(unix))]
    {
        Duration::ZERO
    }
}

fn codec(n: usize) {
    let key = KeyPair::from_seed([9; 32]);
    let script = common_script();
    let data = vec![7u8; 1024];
    let wall = Instant::now();
    let cpu = cpu_time();
    let mut bytes = 0;
    for i in 0..n {
        let mut p = Particle::new_signed(
            &key,
            format!("id-{i}"),
            script.clone(),
            1_764_000_000_000,
            7000,
        );
        p.data = data.clone();
        let frame = p.to_frame();
        bytes += frame.len();
        let back = Particle::from_frame(&frame, NOX_MAX_FRAME).expect("decodes");
        back.verify().expect("verifies");
    }
    let wall = wall.elapsed();
    let cpu = cpu_time() - cpu;
    println!(
        "codec: {n} particles ({} B frames, 1 KiB data) encoded+signed+decoded+verified: {:.0} particles/s, {:.1} µs CPU each",
        bytes / n,
        n as f64 / wall.as_secs_f64(),
        cpu.as_secs_f64() * 1e6 / n as f64
    );
}

fn common_script() -> String {
    include_str!("../../../tests/aqua/core/hello.air").to_string()
}

fn round_trips(n: usize) {
    let t0 = 1_764_000_000_000;
    let mut net = Net::new(t0);
    let a = net.add_client(1);
    let script = common_script();
    // Warm up.
    for _ in 0..20 {
        one(&mut net, &a, &script);
    }
    let runs0 = net.relay.interpretations() + net.client(&a).interpretations();
    let wall = Instant::now();
    let cpu = cpu_time();
    for i in 0..n {
        one(&mut net, &a, &script);
        if i % 200 == 199 {
            // Let the particles expire so state stays bounded, as in a long run.
            net.advance(7_000);
        }
    }
    let wall = wall.elapsed();
    let cpu = cpu_time() - cpu;
    let runs = net.relay.interpretations() + net.client(&a).interpretations() - runs0;
    println!(
        "round trips: {n} hello (client -> relay op.identity -> client): {:.0} round trips/s, {:.3} ms CPU per round trip (all peers), {:.1} AquaVM runs per round trip",
        n as f64 / wall.as_secs_f64(),
        cpu.as_secs_f64() * 1e3 / n as f64,
        runs as f64 / n as f64
    );
    println!("target: <= 1 ms CPU per round trip (js-client: ~10-12.5 ms on this machine)");
}

fn one(net: &mut Net, a: &str, script: &str) {
    let now = net.now;
    let (req, _) = net
        .client(a)
        .call_air(
            script,
            vec![("msg".into(), json!("hi"))],
            CallOptions::default(),
            now,
        )
        .expect("starts");
    net.pump();
    assert_eq!(net.take_result(a, req), Some(Ok(json!("hi"))));
}

/// 10 local `op.identity` calls in parallel, joined (as Aqua joins a stream), counted.
const FAN_OUT: &str = r#"
(seq
 (seq
  (call %init_peer_id% ("getDataSrv" "xs") [] xs)
  (fold xs x
   (par
    (call %init_peer_id% ("op" "identity") [x] $results)
    (next x))))
 (seq
  (new $seen
   (fold $results r
    (seq
     (seq (ap r $seen) (canon %init_peer_id% $seen #seen))
     (xor (match #seen.length 10 (null)) (next r)))
    (never)))
  (seq
   (canon %init_peer_id% $results #results)
   (call %init_peer_id% ("callbackSrv" "response") [#results.length]))))
"#;

fn fan_out(n: usize) {
    let t0 = 1_764_000_000_000;
    let xs = json!((0..10).collect::<Vec<u32>>());
    let mut figures = Vec::new();
    for (name, config) in [
        ("client (one result per run)", EngineConfig::client("relay")),
        ("relay (all ready results per run)", EngineConfig::relay()),
    ] {
        let mut engine = Engine::new(KeyPair::from_seed([3; 32]), config);
        let runs0 = engine.interpretations();
        let cpu = cpu_time();
        for i in 0..n {
            let now = t0 + (i as u64 / 200) * 8_000;
            let (req, _) = engine
                .call_air(
                    FAN_OUT,
                    vec![("xs".into(), xs.clone())],
                    CallOptions::default(),
                    now,
                )
                .expect("starts");
            while engine.process(now, 64) > 0 {}
            let mut done = false;
            while let Some(ev) = engine.poll_event() {
                if let Event::Completed {
                    request, result, ..
                } = ev
                {
                    assert_eq!((request, result.expect("completes")), (req, json!(10)));
                    done = true;
                }
            }
            assert!(done, "{name}: the call completed");
            if i % 200 == 199 {
                engine.handle_timeout(now + 8_000);
            }
        }
        let cpu = cpu_time() - cpu;
        let runs = engine.interpretations() - runs0;
        let ms = cpu.as_secs_f64() * 1e3 / n as f64;
        println!(
            "fan-out: {n} scripts of 10 parallel local calls on a {name}: {ms:.3} ms CPU per script, {:.1} AquaVM runs per script",
            runs as f64 / n as f64
        );
        figures.push(ms);
    }
    println!(
        "fan-out: one result per run costs {:.2}x the batched CPU (js-client's order; the relay keeps nox's)",
        figures[0] / figures[1]
    );
}

fn main() {
    let mut rounds = 2000;
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--rounds") {
        rounds = args
            .get(i + 1)
            .and_then(|v| v.parse().ok())
            .unwrap_or(rounds);
    }
    codec(rounds * 5);
    round_trips(rounds);
    fan_out(rounds / 4);
}
