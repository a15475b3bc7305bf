//! The secret-chat flow on the in-memory network, in the terminal: Alice sends Bob a
//! message through the relay, Bob's chat service shows it and answers, Alice sees the
//! delivery receipt; then a message to an offline peer ends as "not delivered" at TTL.
//! Real AquaVM on all three peers, AIR compiled from tests/aqua/core.aqua.
//!
//! Run: `cargo run -p fluence-core --example chat`

#[path = "../tests/common/mod.rs"]
mod common;

use common::Net;
use fluence_core::{CallOptions, KeyPair, Reply};
use serde_json::json;

fn main() {
    let mut net = Net::new(1_764_000_000_000);
    let alice = net.add_client(1);
    let bob = net.add_client(2);
    println!("relay {}\nalice {alice}\nbob   {bob}\n", net.relay_id());

    net.client(&bob).register_service(
        "chat",
        "receive",
        Box::new(|call| {
            println!(
                "bob   <- {:?} from {} (message id {})",
                call.args[2].as_str().unwrap_or_default(),
                call.args[1].as_str().unwrap_or_default(),
                call.args[0].as_str().unwrap_or_default()
            );
            Reply::Ok(json!("delivered"))
        }),
    );

    let send = |net: &mut Net, to: &str, id: &str, text: &str| {
        let now = net.now;
        println!("alice -> {text:?} (message id {id})");
        let args = vec![
            ("peer".into(), json!(to)),
            ("msgId".into(), json!(id)),
            ("text".into(), json!(text)),
        ];
        let opts = CallOptions {
            ttl_ms: Some(5_000),
            ..Default::default()
        };
        let script = include_str!("../../../tests/aqua/core/sendMessage.air");
        net.client(&alice.clone())
            .call_air(script, args, opts, now)
            .expect("call starts")
            .0
    };

    let req = send(&mut net, &bob, "m-1", "Hello, Bob");
    net.pump();
    match net.take_result(&alice, req) {
        Some(Ok(v)) => println!("alice: message m-1 {}", v.as_str().unwrap_or_default()),
        other => println!("alice: message m-1 failed: {other:?}"),
    }

    let offline = KeyPair::from_seed([42; 32]).peer_id().to_string();
    let req = send(&mut net, &offline, "m-2", "anyone there?");
    net.pump();
    for (to, id) in net.undeliverable.drain(..) {
        println!("relay: particle {id} for {to} dropped: peer not connected");
    }
    net.advance(5_000);
    match net.take_result(&alice, req) {
        Some(Err(e)) => println!("alice: message m-2 not delivered ({})", e.code()),
        other => println!("alice: message m-2: {other:?}"),
    }
}
