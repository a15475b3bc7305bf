//! The relay binary, run as users run it, with native clients built on the core crate.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use fluence_core::particle::frame as framed;
use fluence_core::{CallError, KeyPair, Particle, Reply};
use fluence_relay::client::{parse_multiaddr, NativeClient};
use libp2p::Multiaddr;
use serde_json::{json, Value};

// `air!`: the compiled AIR of tests/aqua/core.aqua, as the core crate's tests use it.
#[path = "../../core/tests/common/air.rs"]
mod air;

const CONNECT: Duration = Duration::from_secs(10);

/// A running relay process; killed on drop.
struct RelayProc {
    child: Child,
    addr: Multiaddr,
    log: Arc<Mutex<Vec<String>>>,
}

impl RelayProc {
    fn start(extra: &[&str]) -> RelayProc {
        let mut child = Command::new(env!("CARGO_BIN_EXE_fluence-relay"))
            .args(["--ws-port", "0", "--tcp-port", "0", "--log-level", "info"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("relay starts");
        let log = Arc::new(Mutex::new(Vec::new()));
        let l = log.clone();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                l.lock().unwrap().push(line);
            }
        });
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout
            .read_line(&mut line)
            .expect("relay prints its address");
        let addr = parse_multiaddr(&line).expect("a multiaddr");
        // Nothing else may appear on stdout.
        let l = log.clone();
        std::thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                l.lock().unwrap().push(format!("UNEXPECTED STDOUT: {line}"));
            }
        });
        RelayProc { child, addr, log }
    }

    /// Waits until a log line contains all of `needles`; returns it.
    fn wait_log(&self, needles: &[&str]) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(l) = self
                .log
                .lock()
                .unwrap()
                .iter()
                .find(|l| needles.iter().all(|n| l.contains(n)))
            {
                return l.clone();
            }
            assert!(
                Instant::now() < deadline,
                "no log line with {needles:?}; log:\n{}",
                self.log.lock().unwrap().join("\n")
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn log_text(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }
}

impl Drop for RelayProc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

fn args(pairs: &[(&str, Value)]) -> Vec<(String, Value)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

async fn hello(c: &NativeClient, msg: &str) -> Result<Value, CallError> {
    c.call_air(air!("hello"), args(&[("msg", json!(msg))]), None, false)
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn hello_round_trip_over_websocket_and_tcp() {
    let relay = RelayProc::start(&[]);
    assert!(relay.addr.to_string().starts_with("/ip4/127.0.0.1/tcp/"));
    assert!(relay.addr.to_string().contains("/ws/p2p/12D3KooW"));
    let c = NativeClient::connect(&relay.addr, KeyPair::random().unwrap(), CONNECT)
        .await
        .unwrap();
    assert_eq!(hello(&c, "over ws").await, Ok(json!("over ws")));
    // The TCP listener works too.
    let tcp = relay.wait_log(&["listening on", "/tcp/", "/p2p/"]);
    let tcp = if tcp.contains("/ws") {
        relay.wait_log(&["listening on", "/tcp/", "/p2p/"]);
        relay
            .log
            .lock()
            .unwrap()
            .iter()
            .find(|l| l.contains("listening on") && !l.contains("/ws"))
            .cloned()
            .unwrap_or_else(|| relay.wait_log(&["listening on", "/tcp/"]))
    } else {
        tcp
    };
    let tcp = tcp
        .rsplit("listening on ")
        .next()
        .unwrap()
        .trim()
        .to_string();
    let c2 = NativeClient::connect(
        &parse_multiaddr(&tcp).unwrap(),
        KeyPair::random().unwrap(),
        CONNECT,
    )
    .await
    .unwrap();
    assert_eq!(hello(&c2, "over tcp").await, Ok(json!("over tcp")));
}

#[tokio::test(flavor = "multi_thread")]
async fn two_clients_chat_through_the_relay() {
    let relay = RelayProc::start(&[]);
    let a = NativeClient::connect(&relay.addr, KeyPair::random().unwrap(), CONNECT)
        .await
        .unwrap();
    let b = NativeClient::connect(&relay.addr, KeyPair::random().unwrap(), CONNECT)
        .await
        .unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s = seen.clone();
    b.register_service("chat", "receive", move |call| {
        s.lock().unwrap().push(call.args.clone());
        Reply::Ok(json!(format!(
            "delivered {}",
            call.args[0].as_str().unwrap_or("")
        )))
    });
    let r = a
        .call_air(
            air!("sendMessage"),
            args(&[
                ("peer", json!(b.peer_id())),
                ("msgId", json!("m-1")),
                ("text", json!("Hello")),
            ]),
            None,
            false,
        )
        .await;
    assert_eq!(r, Ok(json!("delivered m-1")));
    assert_eq!(
        *seen.lock().unwrap(),
        vec![vec![json!("m-1"), json!(a.peer_id()), json!("Hello")]]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn particle_for_a_disconnected_peer_is_dropped_with_a_log_line() {
    let relay = RelayProc::start(&[]);
    let a = NativeClient::connect(&relay.addr, KeyPair::random().unwrap(), CONNECT)
        .await
        .unwrap();
    let offline = KeyPair::random().unwrap().peer_id().to_string();
    let r = a
        .call_air(
            air!("sendMessage"),
            args(&[
                ("peer", json!(offline)),
                ("msgId", json!("m")),
                ("text", json!("x")),
            ]),
            Some(1_500),
            false,
        )
        .await;
    assert!(
        matches!(r, Err(CallError::TtlExpired { ttl: 1_500, .. })),
        "{r:?}"
    );
    relay.wait_log(&["for", &offline, "dropped: peer not connected"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_dropped_with_a_reason_and_harms_nothing() {
    let relay = RelayProc::start(&["--max-frame-size", "65536"]);
    let c = NativeClient::connect(&relay.addr, KeyPair::random().unwrap(), CONNECT)
        .await
        .unwrap();
    let key = KeyPair::random().unwrap();
    let good = |id: &str, ts: u64, ttl: u32| {
        Particle::new_signed(&key, id.to_string(), air!("hello").to_string(), ts, ttl)
    };
    let mut cases: Vec<(&str, Vec<u8>, &str)> = Vec::new();
    cases.push((
        "malformed msgpack",
        framed(&[0x81, 0x04, 0x6a]),
        "invalid particle message",
    ));
    let mut json_codec = good("json-codec", now_ms(), 10_000).to_payload();
    json_codec[0] = 0x80;
    cases.push((
        "wrong multicodec",
        framed(&json_codec),
        "wrong multicodec 0x200",
    ));
    let mut huge = framed(&vec![0u8; 70_000]);
    huge.truncate(1_000); // the length announces 70 000 bytes; the relay must not wait for them
    cases.push(("oversized frame", huge, "exceeds the maximum of 65536"));
    let mut bad_peer = good("bad-peer", now_ms(), 10_000);
    bad_peer.init_peer_id = "12D3KooWnot-a-peer-id".into();
    cases.push((
        "invalid PeerId",
        bad_peer.to_frame(),
        "invalid init_peer_id",
    ));
    let mut forged = good("forged-signature", now_ms(), 10_000);
    forged.signature[10] ^= 0xff;
    cases.push((
        "forged signature",
        forged.to_frame(),
        "forged-signature has a bad signature",
    ));
    cases.push((
        "expired",
        good("expired-particle", now_ms() - 20_000, 10_000).to_frame(),
        "expired-particle expired",
    ));
    cases.push((
        "stamped a year ahead (nox 0.28.2 executes it)",
        good("future-particle", now_ms() + 365 * 24 * 3_600_000, 10_000).to_frame(),
        "future-particle is stamped",
    ));
    cases.push((
        "ttl = 0",
        good("zero-ttl", now_ms(), 0).to_frame(),
        "ttl must be greater than zero",
    ));
    for (what, bytes, reason) in cases {
        c.send_raw(bytes)
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        let line = relay.wait_log(&[reason]);
        assert!(line.contains("dropped"), "{what}: {line}");
        // The connection and the relay are unaffected: the next good particle is answered.
        assert_eq!(hello(&c, what).await, Ok(json!(what)), "after {what}");
    }
    assert!(!relay.log_text().contains("UNEXPECTED STDOUT"));
    assert!(
        !relay.log_text().contains("disconnected"),
        "{}",
        relay.log_text()
    );
}

#[tokio::test]
async fn the_clock_skew_allowance_is_a_flag() {
    let relay = RelayProc::start(&["--clock-skew-allowance-ms", "1000"]);
    let c = NativeClient::connect(&relay.addr, KeyPair::random().unwrap(), CONNECT)
        .await
        .unwrap();
    let key = KeyPair::random().unwrap();
    let ahead = Particle::new_signed(
        &key,
        "five-s-ahead".into(),
        air!("hello").into(),
        now_ms() + 5_000,
        10_000,
    );
    c.send_raw(ahead.to_frame()).await.unwrap();
    let line = relay.wait_log(&["five-s-ahead is stamped", "the allowance is 1000 ms"]);
    assert!(line.contains("dropped"), "{line}");
    assert_eq!(hello(&c, "after").await, Ok(json!("after")));
}

#[test]
fn bad_flags_give_a_clear_message_and_a_non_zero_exit() {
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_fluence-relay"))
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let (code, err) = run(&["--ws-port", "seventy"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--ws-port"), "{err}");
    let (code, err) = run(&["--secret-key", "AAAA"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("32-byte seed"), "{err}");
    let (code, err) = run(&["--listen-ip", "localhost"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--listen-ip"), "{err}");
    let (code, err) = run(&["--log-level", "lots[["]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--log-level"), "{err}");
    let (code, err) = run(&["--no-such-flag"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--no-such-flag"), "{err}");
}

#[test]
fn secret_key_fixes_the_peer_id_and_sigterm_stops_cleanly() {
    let seed = "7h48PQ/f1rS9TxacmgODxbD42Il9B3KC117jvOPppPE=";
    let mut relay = RelayProc::start(&["--secret-key", seed]);
    assert!(relay
        .addr
        .to_string()
        .ends_with("/ws/p2p/12D3KooWANqfCDrV79MZdMnMqTvDdqSAPSxdgFY1L6DCq2DVGB4D"));
    let pid = relay.child.id() as i32;
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc_kill(pid, 15) }, 0);
    let status = wait_exit(&mut relay.child, Duration::from_secs(10));
    assert_eq!(status, Some(0), "log:\n{}", relay.log_text());
    relay.wait_log(&["SIGTERM received"]);
    relay.wait_log(&["shutting down"]);
}

fn wait_exit(child: &mut Child, within: Duration) -> Option<i32> {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if let Some(s) = child.try_wait().unwrap() {
            return s.code();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

extern "C" {
    #[link_name = "kill"]
    fn libc_kill(pid: i32, sig: i32) -> i32;
}

#[tokio::test(flavor = "multi_thread")]
async fn builtins_answer_as_nox_does() {
    let relay = RelayProc::start(&[]);
    let c = NativeClient::connect(&relay.addr, KeyPair::random().unwrap(), CONNECT)
        .await
        .unwrap();
    let script = r#"
    (xor
     (seq
      (seq
       (call %init_peer_id% ("getDataSrv" "-relay-") [] relay)
       (seq
        (seq
         (call relay ("op" "noop") [] n)
         (call relay ("peer" "is_connected") [%init_peer_id%] c)
        )
        (seq
         (call relay ("peer" "timestamp_ms") [] t)
         (seq
          (call relay ("math" "add") [2 40] sum)
          (call relay ("peer" "identify") [] id)
         )
        )
       )
      )
      (call %init_peer_id% ("callbackSrv" "response") [n c t sum id.$.air_version])
     )
     (call %init_peer_id% ("errorHandlingSrv" "error") [:error: 0])
    )"#;
    let v = c.call_air(script, vec![], None, false).await.unwrap();
    assert_eq!(v[0], json!(""), "op.noop answers \"\" as on nox");
    assert_eq!(v[1], json!(true), "the caller is connected");
    let t = v[2].as_u64().unwrap();
    assert!(t.abs_diff(now_ms()) < 60_000, "relay time {t}");
    assert_eq!(v[3], json!(42));
    assert_eq!(v[4], json!("0.63.0"));
}

#[tokio::test(flavor = "multi_thread")]
async fn identify_advertises_the_particle_protocol_and_idle_clients_stay_connected() {
    let relay = RelayProc::start(&[]);
    let c = NativeClient::connect(&relay.addr, KeyPair::random().unwrap(), CONNECT)
        .await
        .unwrap();
    // Idle for longer than rust-libp2p's default idle timeout (10 s).
    tokio::time::sleep(Duration::from_secs(12)).await;
    assert!(
        c.relay_protocols()
            .iter()
            .any(|p| p == "/fluence/particle/2.0.0"),
        "{:?}",
        c.relay_protocols()
    );
    // The same connection still works: the native client never re-dials.
    assert_eq!(hello(&c, "still here").await, Ok(json!("still here")));
    assert!(
        !relay.log_text().contains("disconnected"),
        "{}",
        relay.log_text()
    );
}

/// The streams dropped for `reason` that `log` accounts for: one per
/// `dropped inbound particle` line, and the `n` of each `(<n> more in the 10 s after the
/// first)` line.
fn drops_logged(log: &str, reason: &str) -> u64 {
    log.lines()
        .filter(|l| l.contains("dropped inbound particle") && l.contains(reason))
        .map(
            |l| match l.split_once(" more in the 10 s after the first)") {
                Some((head, _)) => head
                    .rsplit('(')
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0),
                None => 1,
            },
        )
        .sum()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_silent_stream_gives_way_to_a_particle_when_the_reads_are_full() {
    // 3 streams read at once, each given 20 s: three that never send a byte take them all.
    let relay = RelayProc::start(&[
        "--max-particle-streams",
        "3",
        "--stream-timeout-ms",
        "20000",
    ]);
    let c = NativeClient::connect(&relay.addr, KeyPair::random().unwrap(), CONNECT)
        .await
        .unwrap();
    assert_eq!(hello(&c, "before").await, Ok(json!("before")));
    for _ in 0..3 {
        c.send_unfinished(Vec::new()).unwrap();
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    // The call's particle comes on a fourth stream: the oldest silent one gives way to it,
    // and it is read and answered long before the silent ones time out.
    let started = Instant::now();
    assert_eq!(hello(&c, "during").await, Ok(json!("during")));
    assert!(started.elapsed() < Duration::from_secs(10));
    let log = relay.log_text();
    assert!(
        log.contains(
            "dropped inbound particle: a stream that sent nothing gave way to a new one \
             (3 particle streams already being read on this connection)"
        ),
        "{log}"
    );
    // The new stream was taken, not dropped as well (a removed read stayed in the map, as
    // cancelled, until its next poll, and the new one found no room).
    assert!(
        !log.contains("dropped inbound particle: 3 particle streams already being read"),
        "{log}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn particle_streams_are_bounded_per_connection_and_in_time() {
    // At most 3 streams read at once per connection, each given 1.5 s.
    let relay = RelayProc::start(&["--max-particle-streams", "3", "--stream-timeout-ms", "1500"]);
    let c = NativeClient::connect(&relay.addr, KeyPair::random().unwrap(), CONNECT)
        .await
        .unwrap();
    assert_eq!(hello(&c, "before").await, Ok(json!("before")));
    // Five streams that announce 100 bytes, send 10 and never finish: three are read (and
    // wait), two more are over the bound and dropped at once.
    let mut partial = vec![100u8];
    partial.extend_from_slice(&[0x81, 0x04, 1, 2, 3, 4, 5, 6, 7, 8]);
    for _ in 0..5 {
        c.send_unfinished(partial.clone()).unwrap();
    }
    let line = relay.wait_log(&["3 particle streams already being read on this connection"]);
    assert!(line.contains("dropped inbound particle"), "{line}");
    // The three held streams end at the timeout, each with a logged reason.
    let started = Instant::now();
    relay.wait_log(&["dropped inbound particle", "no complete frame"]);
    assert!(started.elapsed() < Duration::from_secs(5));
    // The first timeout is logged at once; the two after it are counted into one line when
    // the drop log's 10 s window ends (crates/net/src/droplog.rs).
    let timeouts = || drops_logged(&relay.log_text(), "no complete frame");
    let deadline = Instant::now() + Duration::from_secs(15);
    while timeouts() < 3 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(timeouts(), 3, "{}", relay.log_text());
    let lines = relay
        .log_text()
        .lines()
        .filter(|l| l.contains("no complete frame"))
        .count();
    assert_eq!(lines, 2, "{}", relay.log_text());
    // The same connection keeps working.
    assert_eq!(hello(&c, "after").await, Ok(json!("after")));
    assert!(
        !relay.log_text().contains("disconnected"),
        "{}",
        relay.log_text()
    );
}
