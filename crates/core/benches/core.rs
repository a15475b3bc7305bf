//! Core benchmark: prints figures, asserts nothing about time.
//!
//! 1. particles encoded + signed + decoded + verified per second;
//! 2. in-memory hello round trips (client → relay `op.identity` → client, real AquaVM on
//!    both, frames through the codec) per second, with CPU time per round trip for all
//!    peers together (the whole network runs on this one thread).
//!
//! Run: `cargo bench -p fluence-core --bench core` (optionally `-- --rounds N`).

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::Net;
use fluence_core::particle::{Particle, NOX_MAX_FRAME};
use fluence_core::{CallOptions, KeyPair};
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
}
