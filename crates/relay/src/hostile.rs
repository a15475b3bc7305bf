//! `--hostile`: a test mode of the relay binary that attacks the clients connected to it
//! (RELIABILITY.md). Never for production.
//!
//! The relay still relays as usual; on top it serves a `hostile` service. A client calls
//! `hostile.<move>` on the relay inside one of its particles, and the relay, right after
//! that run, sends the move's bad input to the particle's `init_peer_id` (on its own
//! streams, before the particle itself goes on). Each function answers with how many bad
//! inputs it sent, so a test can count the client's log lines. The moves:
//!
//! - `frames`: a frame of random bytes, a truncated frame (announces 1,000 bytes, sends 10,
//!   closes), an oversized one (announces 5 MiB, over js-client's 4 MiB), a payload with the
//!   wrong multicodec, malformed msgpack;
//! - `particles`: a forged signature, a forged `init_peer_id` (the client's own), a timestamp
//!   a year ahead, `ttl` 0, a particle already expired;
//! - `reuse`: two particles with the id of the calling particle and another signature, one
//!   validly signed by another peer, one claiming to be from the client; both ask the client's
//!   `callbackSrv.response` to answer "forged";
//! - `streams(n)`: `n` particle streams that never send a byte (n ≤ 10,000; with several
//!   hundred, yamux may close the connection for having more than 512 streams open on it,
//!   and the client re-dials);
//! - `aquavm`: well-signed particles from another peer whose AIR attacks the interpreter: a
//!   stream fed its own canon (each value twice the last), four nested folds (10^8
//!   iterations), a self-feeding fold (one level of recursion per iteration), a script
//!   nested 20,000 deep, and data holding a value nested 200 deep (made here by AquaVM
//!   without its depth limit), which no peer can parse.
//! - `data`: four well-signed particles whose `data` once crashed AquaVM on the peer
//!   receiving it (the inputs the `avm_data` fuzz target found, `fuzz/regressions/avm_data/`):
//!   two rkyv shared strings of two lengths at one place (a heap overflow), a trace naming a
//!   CID the data lacks (a panic), a stream value in generation ~600,000,000 (a 14 GB
//!   allocation), an empty public key (a panic). They are from that target's peer A, with
//!   its script and its particle id (the data's signatures are salted with it), stamped now.

use std::cell::RefCell;
use std::rc::Rc;
use std::str::FromStr;

use fluence_core::particle::{frame as framed, length_prefix as varint, MSGPACK_MULTICODEC};
use fluence_core::{Engine, KeyPair, Particle, Reply, SendToken, ServiceCall};
use fluence_net::protocol::Outgoing;
use libp2p::PeerId;
use serde_json::json;

/// A move to make toward `peer`.
#[derive(Debug)]
pub(crate) struct Move {
    peer: PeerId,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    Frames,
    Particles,
    Reuse { particle_id: String },
    Streams(usize),
    Aquavm,
    Data,
}

/// The moves queued by `hostile.*` calls, made by the host after the run.
pub(crate) type Moves = Rc<RefCell<Vec<Move>>>;

/// How many bad inputs each move sends.
const FRAMES: usize = 5;
const PARTICLES: usize = 5;
const REUSE: usize = 2;
const AQUAVM: usize = 5;
/// The `data` move's inputs: name, and the data.
const DATA: [(&str, &[u8]); 4] = [
    (
        "rkyv shared string of two lengths",
        include_bytes!("../../../fuzz/regressions/avm_data/rkyv-aliased-str"),
    ),
    (
        "trace naming a CID the data lacks",
        include_bytes!("../../../fuzz/regressions/avm_data/trace-cid-missing-from-store"),
    ),
    (
        "stream generation far ahead",
        include_bytes!("../../../fuzz/regressions/avm_data/stream-generation-far-ahead"),
    ),
    (
        "empty public key",
        include_bytes!("../../../fuzz/regressions/avm_data/empty-public-key"),
    ),
];
/// The most streams one `streams(n)` opens.
pub(crate) const MAX_STREAMS: usize = 10_000;

/// Registers the `hostile` service on the relay's engine.
pub(crate) fn register(engine: &mut Engine, moves: &Moves) {
    for function in ["frames", "particles", "reuse", "streams", "aquavm", "data"] {
        let moves = moves.clone();
        engine.register_service(
            "hostile",
            function,
            Box::new(move |call: &ServiceCall| queue(&moves, call)),
        );
    }
}

fn queue(moves: &Moves, call: &ServiceCall) -> Reply {
    let peer = match PeerId::from_str(&call.params.init_peer_id) {
        Ok(p) => p,
        Err(e) => return Reply::Err(format!("init_peer_id: {e}")),
    };
    let (kind, count) = match call.function_name.as_str() {
        "frames" => (Kind::Frames, FRAMES),
        "particles" => (Kind::Particles, PARTICLES),
        "reuse" => (
            Kind::Reuse {
                particle_id: call.params.particle_id.clone(),
            },
            REUSE,
        ),
        "streams" => match call.args.first().and_then(|v| v.as_u64()) {
            Some(n) if (1..=MAX_STREAMS as u64).contains(&n) => {
                (Kind::Streams(n as usize), n as usize)
            }
            _ => return Reply::Err(format!("streams(n): n must be 1..={MAX_STREAMS}")),
        },
        "aquavm" => (Kind::Aquavm, AQUAVM),
        "data" => (Kind::Data, DATA.len()),
        other => return Reply::Err(format!("no hostile move {other:?}")),
    };
    moves.borrow_mut().push(Move { peer, kind });
    Reply::Ok(json!(count))
}

/// What a move puts on the wire: frames to send whole, and streams to leave unfinished.
pub(crate) struct Wire {
    /// The peer attacked.
    pub peer: PeerId,
    /// Frames sent as they are, each on its own stream, then closed.
    pub frames: Vec<(String, Vec<u8>)>,
    /// Streams opened and never finished, with what is written on them first.
    pub unfinished: Vec<(String, Vec<u8>)>,
}

/// The bytes of one move.
pub(crate) fn wire(m: Move) -> Wire {
    let other = KeyPair::random().expect("the OS random source");
    let target = m.peer.to_string();
    let noop = r#"(call %init_peer_id% ("op" "noop") [])"#.to_string();
    let signed = |id: &str, ts: u64, ttl: u32| {
        Particle::new_signed(&other, format!("hostile-{id}"), noop.clone(), ts, ttl)
    };
    let now = crate::now_ms();
    let mut w = Wire {
        peer: m.peer,
        frames: Vec::new(),
        unfinished: Vec::new(),
    };
    match m.kind {
        Kind::Frames => {
            // Random bytes: the seeds of fresh keys (the OS random source).
            let random: Vec<u8> = (0..4)
                .flat_map(|_| KeyPair::random().map(|k| k.to_seed()).unwrap_or([0x55; 32]))
                .take(100)
                .collect();
            w.frames.push(("random bytes".into(), framed(&random)));
            let mut truncated = varint(1_000);
            truncated
                .extend_from_slice(&[0x81, 0x04, 0x87, 0xa6, 0x61, 0x63, 0x74, 0x69, 0x6f, 0x6e]);
            w.frames.push(("truncated".into(), truncated));
            let mut oversized = varint(5 * 1024 * 1024);
            oversized.extend_from_slice(&[0u8; 100]);
            w.frames.push(("oversized".into(), oversized));
            let mut wrong = signed("wrong-multicodec", now, 10_000).to_payload();
            wrong[0] = 0x80;
            w.frames.push(("wrong multicodec".into(), framed(&wrong)));
            let mut bad = MSGPACK_MULTICODEC.to_vec();
            bad.push(0x6a);
            w.frames.push(("malformed msgpack".into(), framed(&bad)));
        }
        Kind::Particles => {
            let mut forged = signed("forged-signature", now, 10_000);
            forged.signature[0] ^= 1;
            w.frames
                .push(("forged signature".into(), forged.to_frame()));
            let mut impostor = signed("forged-init-peer-id", now, 10_000);
            impostor.init_peer_id = target.clone();
            w.frames
                .push(("forged init_peer_id".into(), impostor.to_frame()));
            let future = signed("future", now + 365 * 24 * 3_600_000, 10_000);
            w.frames.push(("a year ahead".into(), future.to_frame()));
            // Well signed; only its ttl is wrong.
            let zero = signed("zero-ttl", now, 0);
            w.frames.push(("ttl 0".into(), zero.to_frame()));
            let expired = signed("expired", now - 60_000, 1_000);
            w.frames.push(("expired".into(), expired.to_frame()));
        }
        Kind::Reuse { particle_id } => {
            let script = format!(r#"(call "{target}" ("callbackSrv" "response") ["forged"])"#);
            let valid =
                Particle::new_signed(&other, particle_id.clone(), script.clone(), now, 10_000);
            w.frames
                .push(("reused id, another peer's".into(), valid.to_frame()));
            let mut claimed = Particle::new_signed(&other, particle_id, script, now, 10_000);
            claimed.init_peer_id = target;
            w.frames.push((
                "reused id, claiming the client's".into(),
                claimed.to_frame(),
            ));
        }
        Kind::Aquavm => {
            for (what, script) in aquavm_scripts(&target) {
                let p =
                    Particle::new_signed(&other, format!("hostile-{what}"), script, now, 10_000);
                w.frames.push((what.into(), p.to_frame()));
            }
            match deep_value_particle(&other, &target, now) {
                Ok(p) => w
                    .frames
                    .push(("value nested 200 deep".into(), p.to_frame())),
                Err(e) => tracing::warn!(target: "hostile", "cannot make the deep value: {e}"),
            }
        }
        Kind::Data => {
            let (a, _, p) = avm_data_particle();
            for (i, (what, data)) in DATA.iter().enumerate() {
                let mut bad = Particle::new_signed(
                    &a,
                    p.id.clone(),
                    p.script.clone(),
                    now + i as u64,
                    10_000,
                );
                bad.data = data.to_vec();
                w.frames.push(((*what).into(), bad.to_frame()));
            }
        }
        Kind::Streams(n) => {
            for i in 0..n {
                w.unfinished
                    .push((format!("silent stream {i}"), Vec::new()));
            }
        }
    }
    w
}

// `avm_data_particle()`: the peers, script and particle id of the `avm_data` fuzz target.
include!("../../../fuzz/src/avm_data_script.rs");

/// The AIR of the `aquavm` move, by name; `target` runs it (a canon runs on the peer it
/// names, and a client runs particles from anyone).
fn aquavm_scripts(target: &str) -> Vec<(&'static str, String)> {
    let mut nested = "(null)".to_string();
    for d in 0..4 {
        nested = format!("(fold #cc i{d} (seq {nested} (next i{d})))");
    }
    vec![
        (
            "own canon",
            format!(
                r#"(new $s (seq (ap 1 $s) (fold $s x (seq (canon "{target}" $s #cc) (seq (ap #cc $s) (next x))))))"#
            ),
        ),
        (
            "nested folds",
            format!(
                r#"(new $s (seq (seq (ap 1 $s) (fold $s x (seq (canon "{target}" $s #cc) (seq (ap #cc.length len) (xor (match len 100 (null)) (seq (ap 1 $s) (next x))))))) (seq (canon "{target}" $s #cc) {nested})))"#
            ),
        ),
        (
            "self-feeding fold",
            r#"(new $s (seq (ap 1 $s) (fold $s x (seq (ap x $s) (next x)))))"#.into(),
        ),
        (
            "script 20000 deep",
            format!(
                "{}(null){}",
                "(seq (null) ".repeat(20_000),
                ")".repeat(20_000)
            ),
        ),
    ]
}

/// A particle from `other` whose data holds a value nested 200 deep, sent on to `target`:
/// AquaVM without its depth limit (as unpatched AquaVM, js-client's or nox's) makes it.
fn deep_value_particle(other: &KeyPair, target: &str, now: u64) -> Result<Particle, String> {
    let script = format!(
        r#"(seq (new $s (seq (ap 1 $s) (fold $s x (seq (new $u (seq (ap x $u) (canon %init_peer_id% $u #cc))) (seq (canon %init_peer_id% $s #all) (seq (ap #all.length len) (xor (match len 200 (null)) (seq (ap #cc $s) (next x))))))))) (call "{target}" ("op" "noop") []))"#
    );
    let mut p = Particle::new_signed(other, "hostile-deep-value".into(), script, now, 10_000);
    let mut limits = fluence_core::avm::AvmLimits::NOX;
    limits.max_value_depth = usize::MAX;
    let o = fluence_core::avm::run(other, &p, vec![], vec![], &[], limits)
        .map_err(|e| e.to_string())?;
    if o.ret_code != 0 {
        return Err(o.error_message);
    }
    p.data = o.data;
    Ok(p)
}

/// An [`Outgoing`] of the host's own (a token the engine ignores).
pub(crate) fn outgoing(n: u64, what: String, frame: Vec<u8>) -> Outgoing {
    Outgoing {
        token: SendToken(SendToken::HOST_MIN + n),
        particle_id: what,
        frame,
    }
}
