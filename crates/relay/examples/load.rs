//! Load test of the relay, on loopback only, bounded in count and time.
//!
//! N native clients (built on the core crate) each send M hello particles
//! (client → relay `op.identity` → client) with at most K in flight, then the tool prints
//! throughput and latency p50/p99 and checks that nothing was lost or duplicated: every
//! call must return its own value, and every client must have received exactly one frame
//! per particle. Exit status 1 when anything was lost or duplicated. Timings are printed,
//! never asserted.
//!
//! `cargo run --release -p fluence-relay --example load -- [--relay <multiaddr>]
//!  [--clients N] [--particles M] [--in-flight K]`
//! Without `--relay` it starts a relay in this process (real sockets on 127.0.0.1).

use std::time::{Duration, Instant};

use fluence_core::KeyPair;
use fluence_relay::client::{parse_multiaddr, NativeClient};
use fluence_relay::server::{Relay, RelayConfig};
use futures::StreamExt;
use libp2p::Multiaddr;
use serde_json::json;

const SCRIPT: &str = include_str!("../../../tests/aqua/core/hello.air");

struct Opts {
    relay: Option<String>,
    clients: usize,
    particles: usize,
    in_flight: usize,
}

fn opts() -> Result<Opts, String> {
    let mut o = Opts {
        relay: None,
        clients: 20,
        particles: 100,
        in_flight: 8,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut val = || it.next().ok_or(format!("{a} needs a value"));
        let num = |v: String| v.parse::<usize>().map_err(|e| format!("{a}: {e}"));
        match a.as_str() {
            "--relay" => o.relay = Some(val()?),
            "--clients" => o.clients = num(val()?)?,
            "--particles" => o.particles = num(val()?)?,
            "--in-flight" => o.in_flight = num(val()?)?.max(1),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if o.clients == 0 || o.particles == 0 || o.clients > 500 || o.particles > 100_000 {
        return Err("need 1..=500 clients and 1..=100000 particles each".into());
    }
    Ok(o)
}

/// Starts a relay on its own thread; returns its WebSocket address.
fn start_relay() -> Multiaddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async move {
            let mut cfg = RelayConfig::new(KeyPair::random().expect("random key"));
            cfg.ws_port = 0;
            let relay = Relay::start(cfg).await.expect("relay starts");
            relay
                .run(std::future::pending(), |a| {
                    let _ = tx.send(a.clone());
                })
                .await;
        });
    });
    rx.recv_timeout(Duration::from_secs(10))
        .expect("relay listening")
}

#[tokio::main]
async fn main() {
    let o = match opts() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let relay = match &o.relay {
        Some(a) => parse_multiaddr(a).unwrap_or_else(|e| {
            eprintln!("error: {e}");
            std::process::exit(2)
        }),
        None => start_relay(),
    };
    assert!(
        relay.iter().any(|p| matches!(
            p,
            libp2p::multiaddr::Protocol::Ip4(ip) if ip.is_loopback()
        )),
        "the load test only targets loopback addresses"
    );
    let mut clients = Vec::new();
    for _ in 0..o.clients {
        let key = KeyPair::random().expect("random key");
        clients.push(
            NativeClient::connect(&relay, key, Duration::from_secs(10))
                .await
                .expect("client connects"),
        );
    }
    let started = Instant::now();
    let per_client = clients.iter().enumerate().map(|(ci, c)| {
        let particles = o.particles;
        let in_flight = o.in_flight;
        async move {
            futures::stream::iter(0..particles)
                .map(|i| async move {
                    let msg = format!("c{ci}-p{i}");
                    let t = Instant::now();
                    let r = c
                        .call_air(
                            SCRIPT,
                            vec![("msg".into(), json!(msg))],
                            Some(20_000),
                            false,
                        )
                        .await;
                    (r == Ok(json!(msg)), r.is_ok(), t.elapsed())
                })
                .buffer_unordered(in_flight)
                .collect::<Vec<_>>()
                .await
        }
    });
    let all: Vec<Vec<(bool, bool, Duration)>> = futures::future::join_all(per_client).await;
    let elapsed = started.elapsed();

    let total = o.clients * o.particles;
    let mut lat: Vec<Duration> = all.iter().flatten().map(|(_, _, d)| *d).collect();
    lat.sort();
    let ok = all.iter().flatten().filter(|(good, _, _)| *good).count();
    let wrong = all
        .iter()
        .flatten()
        .filter(|(good, ok, _)| *ok && !*good)
        .count();
    let lost = total - ok - wrong;
    let mut frames = 0u64;
    let mut duplicated = 0u64;
    for c in &clients {
        let r = c.received();
        let r = r.lock().expect("not poisoned");
        frames += r.values().map(|n| u64::from(*n)).sum::<u64>();
        duplicated += r
            .values()
            .filter(|n| **n > 1)
            .map(|n| u64::from(*n - 1))
            .sum::<u64>();
    }
    let pct = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)];
    println!(
        "load: {} clients x {} particles ({} in flight each) through {}",
        o.clients, o.particles, o.in_flight, relay
    );
    println!(
        "load: {total} round trips in {:.2} s: {:.0} round trips/s; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64(),
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        lat[lat.len() - 1].as_secs_f64() * 1e3,
    );
    println!(
        "load: answered {ok}, wrong answer {wrong}, lost {lost}, frames received {frames}, duplicated {duplicated}"
    );
    drop(clients);
    if lost > 0 || wrong > 0 || duplicated > 0 || frames != total as u64 {
        eprintln!("load: FAILED: lost, wrong or duplicated particles");
        std::process::exit(1);
    }
    println!("load: 0 lost, 0 duplicated");
}
