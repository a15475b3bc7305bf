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
//!  [--clients N] [--particles M] [--in-flight K] [--total-in-flight T] [--relay-pid P]
//!  [--flooder]`
//! Without `--relay` it starts a relay in this process (real sockets on 127.0.0.1).
//! `--total-in-flight T` caps the particles in flight over all clients together (each client
//! still at most K). `--relay-pid P` (scripts/load.sh passes the relay binary's) samples the
//! relay's RSS every 50 ms: printed at start, peak and end. `--flooder` adds one more client
//! that sends as fast as the relay takes them (1,000 in flight) for as long as the others
//! run, and prints its throughput; the others' latency is what to compare with a run
//! without it.

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
    total_in_flight: Option<usize>,
    relay_pid: Option<u32>,
    flooder: bool,
}

fn opts() -> Result<Opts, String> {
    let mut o = Opts {
        relay: None,
        clients: 20,
        particles: 100,
        in_flight: 8,
        total_in_flight: None,
        relay_pid: None,
        flooder: false,
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
            "--total-in-flight" => o.total_in_flight = Some(num(val()?)?.max(1)),
            "--relay-pid" => {
                o.relay_pid = Some(val()?.parse::<u32>().map_err(|e| format!("{a}: {e}"))?)
            }
            "--flooder" => o.flooder = true,
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

/// The resident set size of process `pid`, in KiB (Linux `/proc`).
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Samples a process's RSS every 50 ms until dropped: (start, peak, last) in KiB.
struct RssSampler {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<(u64, u64, u64)>>,
}

impl RssSampler {
    fn start(pid: u32) -> Self {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let first = rss_kib(pid).unwrap_or(0);
            let (mut peak, mut last) = (first, first);
            while !flag.load(std::sync::atomic::Ordering::Relaxed) {
                if let Some(r) = rss_kib(pid) {
                    peak = peak.max(r);
                    last = r;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            (first, peak, last)
        });
        RssSampler {
            stop,
            thread: Some(thread),
        }
    }

    fn finish(mut self) -> (u64, u64, u64) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.thread
            .take()
            .and_then(|t| t.join().ok())
            .unwrap_or((0, 0, 0))
    }
}

#[tokio::main]
async fn main() {
    // The clients' own logs (RUST_LOG, default: errors only) go to stderr.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("error")),
        )
        .init();
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
    let flooder = if o.flooder {
        let key = KeyPair::random().expect("random key");
        Some(
            NativeClient::connect(&relay, key, Duration::from_secs(10))
                .await
                .expect("the flooder connects"),
        )
    } else {
        None
    };
    let sampler = o.relay_pid.map(RssSampler::start);
    let total_cap = std::sync::Arc::new(tokio::sync::Semaphore::new(
        o.total_in_flight
            .unwrap_or(tokio::sync::Semaphore::MAX_PERMITS),
    ));
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    // The flooder: 1,000 in flight, as fast as the relay takes them, until the others are done.
    let flood = async {
        let Some(f) = &flooder else {
            return (0usize, 0usize, None);
        };
        let (mut ok, mut failed, mut first_error) = (0usize, 0usize, None::<String>);
        let mut running = futures::stream::FuturesUnordered::new();
        let mut i = 0u64;
        loop {
            while running.len() < 1_000 && !done.load(std::sync::atomic::Ordering::Relaxed) {
                i += 1;
                let msg = format!("flood-{i}");
                running.push(async move {
                    f.call_air(
                        SCRIPT,
                        vec![("msg".into(), json!(msg))],
                        Some(20_000),
                        false,
                    )
                    .await
                });
            }
            match running.next().await {
                Some(Ok(_)) => ok += 1,
                Some(Err(e)) => {
                    failed += 1;
                    if first_error.is_none() {
                        first_error = Some(e.to_string());
                    }
                }
                None => break,
            }
        }
        (ok, failed, first_error)
    };
    let started = Instant::now();
    let per_client = clients.iter().enumerate().map(|(ci, c)| {
        let particles = o.particles;
        let in_flight = o.in_flight;
        let total_cap = total_cap.clone();
        async move {
            futures::stream::iter(0..particles)
                .map(|i| {
                    let total_cap = total_cap.clone();
                    async move {
                        let _permit = total_cap.acquire().await.expect("never closed");
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
                    }
                })
                .buffer_unordered(in_flight)
                .collect::<Vec<_>>()
                .await
        }
    });
    let normal = async {
        let all: Vec<Vec<(bool, bool, Duration)>> = futures::future::join_all(per_client).await;
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        (all, started.elapsed())
    };
    let ((all, elapsed), (flood_ok, flood_failed, flood_error)) = futures::join!(normal, flood);
    let rss = sampler.map(RssSampler::finish);

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
        "load: {} clients x {} particles ({} in flight each{}) through {}",
        o.clients,
        o.particles,
        o.in_flight,
        o.total_in_flight
            .map(|t| format!(", at most {t} in flight in all"))
            .unwrap_or_default(),
        relay
    );
    if let Some((first, peak, last)) = rss {
        println!(
            "load: relay RSS {:.1} MB at start, {:.1} MB peak, {:.1} MB at the end",
            first as f64 / 1024.0,
            peak as f64 / 1024.0,
            last as f64 / 1024.0
        );
    }
    if o.flooder {
        println!(
            "load: flooder (1000 in flight): {flood_ok} answered, {flood_failed} failed{}, {:.0}/s while the others ran",
            flood_error
                .map(|e| format!(" (the first: {e})"))
                .unwrap_or_default(),
            flood_ok as f64 / elapsed.as_secs_f64()
        );
    }
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
