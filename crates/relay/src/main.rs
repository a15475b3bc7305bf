//! `fluence-relay`: a local, nox-compatible Fluence relay.
//!
//! On start it prints one line on stdout, its WebSocket multiaddr
//! (`/ip4/127.0.0.1/tcp/9990/ws/p2p/12D3KooW…`); logs go to stderr.

use std::io::Write;
use std::net::IpAddr;
use std::process::ExitCode;

use clap::Parser;
use fluence_core::KeyPair;
use fluence_relay::server::{Relay, RelayConfig};
use libp2p::multiaddr::Protocol;

/// A native, nox-compatible Fluence relay.
#[derive(Parser, Debug)]
#[command(name = "fluence-relay", version)]
struct Args {
    /// IP address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    listen_ip: IpAddr,
    /// WebSocket port (0 picks a free one).
    #[arg(long, default_value_t = 9990)]
    ws_port: u16,
    /// Plain TCP port (0 picks a free one); no TCP listener when absent.
    #[arg(long)]
    tcp_port: Option<u16>,
    /// Secret key: base64 of a 32-byte Ed25519 seed. Random when absent.
    #[arg(long)]
    secret_key: Option<String>,
    /// Log level (error, warn, info, debug, trace) or a tracing filter directive.
    #[arg(long, default_value = "info")]
    log_level: String,
    /// Largest accepted particle frame, in bytes.
    #[arg(long, default_value_t = fluence_core::particle::NOX_MAX_FRAME, value_parser = clap::value_parser!(usize))]
    max_frame_size: usize,
    /// Most simultaneous connections per peer.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    max_connections_per_peer: u32,
    /// Most particle streams being read at once on one connection (more are dropped).
    #[arg(long, default_value_t = 256, value_parser = clap::value_parser!(u32).range(1..))]
    max_particle_streams: u32,
    /// How long reading or writing one particle stream may take, in ms.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..))]
    stream_timeout_ms: u64,
    /// An address the relay is reachable at from outside (nox's external multiaddress),
    /// reported by `peer.identify` and libp2p identify. Repeatable.
    #[arg(long = "external-address", value_name = "MULTIADDR")]
    external_addresses: Vec<libp2p::Multiaddr>,
    /// The relay's public IP (nox's external address): every listen address with this IP
    /// in place of the listen IP is reported too.
    #[arg(long, value_name = "IP")]
    external_ip: Option<IpAddr>,
    /// How far ahead of the relay's clock a particle's timestamp may be, in ms: particles
    /// stamped further in the future are dropped with a logged reason.
    #[arg(long, default_value_t = fluence_core::DEFAULT_MAX_FUTURE_MS)]
    clock_skew_allowance_ms: u64,
    /// TEST MODE, never for production: serve the `hostile` service, whose functions make
    /// the relay attack the calling client with bad input (RELIABILITY.md).
    #[arg(long)]
    hostile: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let filter = match tracing_subscriber::EnvFilter::try_new(&args.log_level) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: invalid --log-level {:?}: {e}", args.log_level);
            return ExitCode::from(2);
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .init();
    let key = match &args.secret_key {
        Some(s) => match KeyPair::from_base64_sk(s) {
            Ok(k) => k,
            Err(e) => {
                eprintln!("error: invalid --secret-key: {e}");
                return ExitCode::from(2);
            }
        },
        None => match KeyPair::random() {
            Ok(k) => k,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(1);
            }
        },
    };
    if args.max_frame_size == 0 {
        eprintln!("error: --max-frame-size must be greater than zero");
        return ExitCode::from(2);
    }
    let mut config = RelayConfig::new(key);
    config.listen_ip = args.listen_ip;
    config.ws_port = args.ws_port;
    config.tcp_port = args.tcp_port;
    config.max_frame = args.max_frame_size;
    config.max_connections_per_peer = args.max_connections_per_peer;
    config.max_inbound_streams = args.max_particle_streams as usize;
    config.read_timeout = std::time::Duration::from_millis(args.stream_timeout_ms);
    config.external_addresses = args.external_addresses;
    config.external_ip = args.external_ip;
    config.clock_skew_allowance_ms = args.clock_skew_allowance_ms;
    config.hostile = args.hostile;

    let rt = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::from(1);
        }
    };
    rt.block_on(async move {
        let relay = match Relay::start(config).await {
            Ok(r) => r,
            Err(e) => {
                eprintln!("error: cannot start the relay: {e}");
                return ExitCode::from(1);
            }
        };
        let mut printed = false;
        relay
            .run(shutdown_signal(), |addr| {
                // The one stdout line: the WebSocket address, for scripts to read.
                let is_ws = addr.iter().any(|p| matches!(p, Protocol::Ws(_)));
                if is_ws && !printed {
                    printed = true;
                    let mut out = std::io::stdout().lock();
                    let _ = writeln!(out, "{addr}");
                    let _ = out.flush();
                }
            })
            .await;
        ExitCode::SUCCESS
    })
}

/// Resolves on SIGINT or SIGTERM. The handlers are installed now, not on the first poll,
/// so a signal sent right after the address line is printed is not missed.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let term = signal(SignalKind::terminate());
        let int = signal(SignalKind::interrupt());
        async move {
            match (term, int) {
                (Ok(mut term), Ok(mut int)) => {
                    tokio::select! {
                        _ = int.recv() => tracing::info!("SIGINT received"),
                        _ = term.recv() => tracing::info!("SIGTERM received"),
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
