//! The engine in an in-memory network (client engines ⇄ relay engine, real AquaVM on
//! each), running AIR compiled by the real Aqua compiler (tests/aqua/core.aqua).

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::Net;
use fluence_core::{CallError, CallOptions, Reply, ServiceCall};
use serde_json::{json, Value};

const T0: u64 = 1_764_000_000_000;

fn args(pairs: &[(&str, Value)]) -> Vec<(String, Value)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

/// `from` starts the compiled `hello(msg)` (an `op.identity` round trip through the relay).
fn hello(net: &mut Net, from: &str, msg: Value) -> (fluence_core::RequestId, String) {
    let now = net.now;
    net.client(from)
        .call_air(
            air!("hello"),
            args(&[("msg", msg)]),
            CallOptions::default(),
            now,
        )
        .unwrap()
}

/// `from` sends `text` to `peer` with the compiled `sendMessage`; returns the request
/// and the particle id.
fn send_message(
    net: &mut Net,
    from: &str,
    peer: &str,
    msg_id: &str,
    text: &str,
    options: CallOptions,
) -> (fluence_core::RequestId, String) {
    let now = net.now;
    net.client(from)
        .call_air(
            air!("sendMessage"),
            args(&[
                ("peer", json!(peer)),
                ("msgId", json!(msg_id)),
                ("text", json!(text)),
            ]),
            options,
            now,
        )
        .unwrap()
}

/// Every piece of state a particle holds is gone on every peer.
fn assert_all_freed(net: &Net) {
    assert_eq!(net.relay.particle_count(), 0, "relay lanes");
    for (id, c) in &net.clients {
        assert_eq!(c.particle_count(), 0, "lanes of {id}");
        assert_eq!(c.pending_requests(), 0, "requests of {id}");
        assert_eq!(c.particle_handler_count(), 0, "scoped handlers of {id}");
        assert_eq!(c.timer_count(), 0, "timers of {id}");
    }
}

#[test]
fn a_hello_round_trip_through_the_relay() {
    let mut net = Net::new(T0);
    let a = net.add_client(1);
    let (req, pid) = hello(&mut net, &a, json!("hi relay"));
    net.pump();
    assert_eq!(net.take_result(&a, req), Some(Ok(json!("hi relay"))));
    assert_eq!(net.frames, 2, "one frame to the relay, one back");
    assert!(!pid.is_empty());
    // The state stays for merging late hops until the TTL, then all of it goes.
    assert_eq!(net.client(&a).particle_count(), 1);
    net.advance(7_000);
    assert_all_freed(&net);
    assert_eq!(
        net.result_count(&a, req),
        0,
        "no second settlement at expiry"
    );
}

type Inbox = Rc<RefCell<Vec<(Vec<Value>, String)>>>;

/// Registers B's chat service; it records each message and answers `reply(msg_id)`.
fn chat_service(net: &mut Net, b: &str, reply: fn(&ServiceCall) -> Reply) -> Inbox {
    let inbox: Inbox = Rc::default();
    let seen = inbox.clone();
    net.client(b).register_service(
        "chat",
        "receive",
        Box::new(move |call| {
            seen.borrow_mut()
                .push((call.args.clone(), call.params.init_peer_id.clone()));
            reply(call)
        }),
    );
    inbox
}

#[test]
fn b_secret_chat_message_with_delivery_receipt() {
    let mut net = Net::new(T0);
    let a = net.add_client(1);
    let b = net.add_client(2);
    let inbox = chat_service(&mut net, &b, |call| {
        Reply::Ok(json!(format!(
            "delivered {}",
            call.args[0].as_str().unwrap()
        )))
    });
    let (req, _) = send_message(&mut net, &a, &b, "m-1", "Hello", CallOptions::default());
    net.pump();
    assert_eq!(net.take_result(&a, req), Some(Ok(json!("delivered m-1"))));
    let got = inbox.borrow();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, vec![json!("m-1"), json!(a), json!("Hello")]);
    assert_eq!(got[0].1, a, "B sees A as the particle's init peer");
    drop(got);
    assert!(net.undeliverable.is_empty());
}

#[test]
fn b_async_handler_answers_later() {
    let mut net = Net::new(T0);
    let a = net.add_client(1);
    let b = net.add_client(2);
    let tokens = Rc::new(RefCell::new(Vec::new()));
    let t = tokens.clone();
    net.client(&b).register_service(
        "chat",
        "receive",
        Box::new(move |call| {
            t.borrow_mut().push(call.token);
            Reply::Later
        }),
    );
    let (req, _) = send_message(&mut net, &a, &b, "m-2", "later", CallOptions::default());
    net.pump();
    assert_eq!(net.take_result(&a, req), None, "B has not answered yet");
    let token = tokens.borrow()[0];
    net.advance(500);
    assert!(net.client(&b).resolve_call(token, Ok(json!("read"))));
    assert!(
        !net.client(&b).resolve_call(token, Ok(json!("twice"))),
        "a call settles once"
    );
    net.pump();
    assert_eq!(net.take_result(&a, req), Some(Ok(json!("read"))));
}

#[test]
fn b_failing_handler_reaches_the_caller_with_its_own_message() {
    let mut net = Net::new(T0);
    let a = net.add_client(1);
    let b = net.add_client(2);
    chat_service(&mut net, &b, |_| Reply::Err("mailbox full".into()));
    let (req, pid) = send_message(&mut net, &a, &b, "m", "x", CallOptions::default());
    net.pump();
    match net.take_result(&a, req) {
        Some(Err(CallError::Aqua {
            particle_id,
            message,
            error,
        })) => {
            assert_eq!(particle_id, pid);
            assert!(message.contains("mailbox full"), "{message}");
            assert_eq!(error["peer_id"], json!(b));
        }
        other => panic!("expected an Aqua error, got {other:?}"),
    }
}

#[test]
fn b_unknown_service_on_the_receiver_is_a_clear_error() {
    let mut net = Net::new(T0);
    let a = net.add_client(1);
    let b = net.add_client(2); // registers nothing
    let (req, _) = send_message(&mut net, &a, &b, "m", "x", CallOptions::default());
    net.pump();
    let err = net.take_result(&a, req).unwrap().unwrap_err();
    assert_eq!(err.code(), "AQUA");
    assert!(
        err.to_string()
            .contains("No service found for service call: serviceId='chat', fnName='receive'"),
        "{err}"
    );
}

#[test]
fn fire_and_forget_notify_resolves_with_null() {
    let mut net = Net::new(T0);
    let a = net.add_client(1);
    let b = net.add_client(2);
    let inbox = chat_service(&mut net, &b, |_| Reply::Ok(json!("ok")));
    let (req, _) = net
        .client(&a)
        .call_air(
            air!("notify"),
            args(&[
                ("peer", json!(b)),
                ("msgId", json!("n")),
                ("text", json!("fyi")),
            ]),
            CallOptions {
                fire_and_forget: true,
                ..Default::default()
            },
            T0,
        )
        .unwrap();
    net.pump();
    assert_eq!(net.take_result(&a, req), Some(Ok(Value::Null)));
    assert_eq!(inbox.borrow().len(), 1);
    assert_eq!(net.result_count(&a, req), 0);
}

#[test]
fn c_error_raised_on_the_relay_is_a_typed_error() {
    let mut net = Net::new(T0);
    let a = net.add_client(1);
    let (req, pid) = net
        .client(&a)
        .call_air(
            air!("failOnRelay"),
            args(&[("x", json!("boom"))]),
            CallOptions::default(),
            T0,
        )
        .unwrap();
    net.pump();
    let err = net.take_result(&a, req).expect("settled").unwrap_err();
    assert_eq!(err.code(), "AQUA");
    assert_eq!(err.particle_id(), Some(pid.as_str()));
    let CallError::Aqua { message, error, .. } = &err else {
        unreachable!()
    };
    assert!(
        message.contains("Service with id 'no-such-service' not found (function call)"),
        "{message}"
    );
    assert_eq!(
        error["peer_id"],
        json!(net.relay_id()),
        "raised on the relay"
    );
}

#[test]
fn d_ttl_expiry_rejects_the_caller_and_frees_everything() {
    let mut net = Net::new(T0);
    let a = net.add_client(1);
    let offline = fluence_core::KeyPair::from_seed([99; 32])
        .peer_id()
        .to_string();
    let (req, pid) = send_message(
        &mut net,
        &a,
        &offline,
        "m",
        "x",
        CallOptions {
            ttl_ms: Some(3_000),
            ..Default::default()
        },
    );
    net.pump();
    assert_eq!(net.undeliverable, vec![(offline, pid.clone())]);
    assert_eq!(net.take_result(&a, req), None);
    assert_eq!(net.client(&a).poll_timeout(), Some(T0 + 3_000));
    assert_eq!(
        net.client(&a).particle_handler_count(),
        6,
        "-relay-, 3 arguments, response, error"
    );
    net.advance(2_999);
    assert_eq!(net.take_result(&a, req), None, "not before the deadline");
    net.advance(1);
    assert_eq!(
        net.take_result(&a, req),
        Some(Err(CallError::TtlExpired {
            particle_id: pid,
            ttl: 3_000
        }))
    );
    assert_all_freed(&net);
    assert_eq!(net.client(&a).poll_timeout(), None);
}

#[test]
fn expired_and_forged_particles_are_dropped_with_a_reason() {
    use fluence_core::RejectReason;
    let mut net = Net::new(T0);
    let a = net.add_client(1);
    let key = fluence_core::KeyPair::from_seed([1; 32]);
    let p = fluence_core::Particle::new_signed(
        &key,
        "p".into(),
        air!("hello").into(),
        T0 - 10_000,
        5_000,
    );
    assert!(matches!(
        net.relay.handle_particle(p, T0),
        Err(RejectReason::Expired { .. })
    ));
    let mut p =
        fluence_core::Particle::new_signed(&key, "p".into(), air!("hello").into(), T0, 5_000);
    p.signature[0] ^= 1;
    assert!(matches!(
        net.relay.handle_particle(p, T0),
        Err(RejectReason::BadSignature { .. })
    ));
    assert_eq!(net.relay.particle_count(), 0);
    // The relay still serves a good particle afterwards.
    let (req, _) = hello(&mut net, &a, json!(1));
    net.pump();
    assert_eq!(net.take_result(&a, req), Some(Ok(json!(1))));
}

#[test]
fn particles_stamped_beyond_the_future_allowance_are_dropped_by_relay_and_client() {
    use fluence_core::{RejectReason, DEFAULT_MAX_FUTURE_MS};
    let mut net = Net::new(T0);
    let a = net.add_client(1);
    let key = fluence_core::KeyPair::from_seed([5; 32]);
    let at = |ts: u64| {
        fluence_core::Particle::new_signed(&key, format!("p{ts}"), air!("hello").into(), ts, 5_000)
    };
    // A year ahead (nox 0.28.2 executes it) and just past the allowance: dropped, the
    // reason names the sender's clock.
    for ts in [T0 + 365 * 24 * 3_600_000, T0 + DEFAULT_MAX_FUTURE_MS + 1] {
        for on_relay in [true, false] {
            let engine = if on_relay {
                &mut net.relay
            } else {
                net.client(&a)
            };
            match engine.handle_particle(at(ts), T0) {
                Err(e @ RejectReason::FromTheFuture { .. }) => {
                    let text = e.to_string();
                    assert!(text.contains("in the future"), "{text}");
                    assert!(text.contains("the sender's clock is ahead"), "{text}");
                }
                other => panic!(
                    "stamped {} ms ahead (relay: {on_relay}): {other:?}",
                    ts - T0
                ),
            }
        }
    }
    assert_eq!(net.relay.particle_count(), 0);
    // Within the allowance it is accepted.
    assert_eq!(
        net.relay
            .handle_particle(at(T0 + DEFAULT_MAX_FUTURE_MS), T0),
        Ok(())
    );
    // The allowance is configurable.
    let mut config = fluence_core::EngineConfig::relay();
    config.max_future_ms = 1_000;
    let mut strict = fluence_core::Engine::new(fluence_core::KeyPair::from_seed([6; 32]), config);
    assert!(matches!(
        strict.handle_particle(at(T0 + 1_001), T0),
        Err(RejectReason::FromTheFuture {
            allowance_ms: 1_000,
            ..
        })
    ));
    assert_eq!(strict.handle_particle(at(T0 + 1_000), T0), Ok(()));
}

#[test]
fn a_foreign_particle_reusing_the_id_of_a_call_is_dropped_and_the_call_completes() {
    // Were it taken, it would share the call's particle-scoped handlers (callbackSrv.response
    // among them) and free them at its own, shorter, TTL.
    use fluence_core::RejectReason;
    let mut net = Net::new(T0);
    let a = net.add_client(1);
    let (req, id) = hello(&mut net, &a, json!("genuine"));
    let other = fluence_core::KeyPair::from_seed([9; 32]);
    let script = format!(r#"(call "{a}" ("callbackSrv" "response") ["forged"])"#);
    for init in [other.peer_id().to_string(), a.clone()] {
        let mut p = fluence_core::Particle::new_signed(&other, id.clone(), script.clone(), T0, 500);
        p.init_peer_id = init.clone();
        let r = net.client(&a).handle_particle(p, T0);
        if init == a {
            // Claiming to be from the client itself: the signature cannot match.
            assert!(matches!(r, Err(RejectReason::BadSignature { .. })), "{r:?}");
        } else {
            match r {
                Err(e @ RejectReason::IdReuse { .. }) => {
                    assert!(e.to_string().contains("reuses the id of a call"), "{e}")
                }
                other => panic!("{other:?}"),
            }
        }
    }
    net.advance(600);
    net.pump();
    assert_eq!(net.take_result(&a, req), Some(Ok(json!("genuine"))));
    // Once the call's TTL has passed its id is free again: not the client's any more.
    net.advance(7_000);
    let p = fluence_core::Particle::new_signed(&other, id, script, net.now, 5_000);
    let now = net.now;
    assert_eq!(net.client(&a).handle_particle(p, now), Ok(()));
}

#[test]
fn a_known_signature_over_changed_fields_is_still_verified() {
    // The engine skips verifying a particle that comes back to its lane with the same
    // signature over the same signed fields; the same signature over anything else is
    // verified, and fails.
    use fluence_core::RejectReason;
    let mut net = Net::new(T0);
    let key = fluence_core::KeyPair::from_seed([7; 32]);
    let p = fluence_core::Particle::new_signed(&key, "p".into(), air!("hello").into(), T0, 5_000);
    net.relay.handle_particle(p.clone(), T0).unwrap();
    assert_eq!(net.relay.particle_count(), 1);
    let forged: [fn(&mut fluence_core::Particle); 4] = [
        |q| q.script.push(' '),
        |q| q.ttl += 1,
        |q| q.timestamp -= 1,
        |q| q.id.push('x'),
    ];
    for change in forged {
        let mut q = p.clone();
        change(&mut q);
        assert!(matches!(
            net.relay.handle_particle(q, T0),
            Err(RejectReason::BadSignature { .. })
        ));
    }
    let mut q = p.clone();
    q.init_peer_id = fluence_core::KeyPair::from_seed([8; 32])
        .peer_id()
        .to_string();
    assert!(matches!(
        net.relay.handle_particle(q, T0),
        Err(RejectReason::BadSignature { .. })
    ));
    // The same particle with other data joins its lane.
    let mut q = p.clone();
    q.data = vec![1, 2, 3];
    net.relay.handle_particle(q, T0).unwrap();
    assert_eq!(net.relay.particle_count(), 1);
}

#[test]
fn interpreter_errors_are_typed_and_carry_the_particle_id() {
    let mut net = Net::new(T0);
    let a = net.add_client(1);
    let (req, pid) = net
        .client(&a)
        .call_air("(seq (call", vec![], CallOptions::default(), T0)
        .unwrap();
    net.pump();
    match net.take_result(&a, req) {
        Some(Err(CallError::Interpreter {
            particle_id,
            ret_code,
            ..
        })) => {
            assert_eq!(particle_id, pid);
            assert_ne!(ret_code, 0);
        }
        other => panic!("{other:?}"),
    }
    // An uncaught failing call (no xor around it) is an interpreter error too.
    let (req, _) = net
        .client(&a)
        .call_air(
            r#"(call %init_peer_id% ("nope" "nope") [])"#,
            vec![],
            CallOptions::default(),
            T0,
        )
        .unwrap();
    net.pump();
    let err = net.take_result(&a, req).unwrap().unwrap_err();
    assert_eq!(err.code(), "INTERPRETER");
    assert!(err.to_string().contains("No service found"), "{err}");
}

#[test]
fn call_air_rejects_bad_arguments() {
    let mut net = Net::new(T0);
    let a = net.add_client(1);
    let c = net.client(&a);
    let bad = |r: Result<_, CallError>| matches!(r, Err(CallError::InvalidArgument(_)));
    assert!(bad(c.call_air("", vec![], CallOptions::default(), T0)));
    assert!(bad(c.call_air(
        air!("hello"),
        args(&[("msg", json!(1)), ("msg", json!(2))]),
        CallOptions::default(),
        T0
    )));
    assert!(bad(c.call_air(
        air!("hello"),
        vec![],
        CallOptions {
            ttl_ms: Some(0),
            ..Default::default()
        },
        T0
    )));
    // A callback may not take the place of the engine's callbackSrv.response.
    let noop = || -> fluence_core::Handler { Box::new(|_: &ServiceCall| Reply::Ok(json!(null))) };
    for names in [vec!["response"], vec![""], vec!["cb", "cb"]] {
        let callbacks = names.iter().map(|n| (n.to_string(), noop())).collect();
        let opts = CallOptions {
            callbacks,
            ..Default::default()
        };
        assert!(
            bad(c.call_air(air!("hello"), vec![], opts, T0)),
            "{names:?}"
        );
    }
    assert_eq!(c.particle_count(), 0);
}

#[test]
fn builtins_and_timers_run_locally() {
    let mut net = Net::new(T0);
    let a = net.add_client(1);
    let script = r#"
    (seq
     (seq
      (call %init_peer_id% ("peer" "timeout") [1500 "waited"] w)
      (call %init_peer_id% ("run-console" "print") ["value:" w])
     )
     (seq
      (call %init_peer_id% ("math" "add") [2 3] sum)
      (call %init_peer_id% ("callbackSrv" "response") [w sum])
     )
    )"#;
    let (req, _) = net
        .client(&a)
        .call_air(script, vec![], CallOptions::default(), T0)
        .unwrap();
    net.pump();
    assert_eq!(net.client(&a).timer_count(), 1);
    assert_eq!(net.client(&a).poll_timeout(), Some(T0 + 1_500));
    net.advance(1_499);
    assert_eq!(net.take_result(&a, req), None);
    net.advance(1);
    assert_eq!(net.take_result(&a, req), Some(Ok(json!(["waited", 5]))));
    assert_eq!(net.console, vec![(a.clone(), "value: waited".to_string())]);
}

#[test]
fn a_timer_of_an_expired_particle_is_dropped() {
    let mut net = Net::new(T0);
    let a = net.add_client(1);
    let script = r#"(call %init_peer_id% ("peer" "timeout") [60000 "late"] w)"#;
    let (req, _) = net
        .client(&a)
        .call_air(
            script,
            vec![],
            CallOptions {
                ttl_ms: Some(1_000),
                ..Default::default()
            },
            T0,
        )
        .unwrap();
    net.pump();
    net.advance(1_000);
    assert!(matches!(
        net.take_result(&a, req),
        Some(Err(CallError::TtlExpired { .. }))
    ));
    assert_all_freed(&net);
}

#[test]
fn shutdown_cancels_pending_calls() {
    let mut net = Net::new(T0);
    let a = net.add_client(1);
    let (req, _) = hello(&mut net, &a, json!(1));
    // Do not pump: the call is in flight.
    net.client(&a).shutdown("client disconnected");
    net.pump();
    assert!(matches!(
        net.take_result(&a, req),
        Some(Err(CallError::Cancelled { .. }))
    ));
    assert_all_freed(&net);
}

#[test]
fn user_handlers_override_builtins_and_scoped_handlers_win() {
    let mut net = Net::new(T0);
    let a = net.add_client(1);
    net.client(&a)
        .register_service("op", "identity", Box::new(|_| Reply::Ok(json!("mine"))));
    let script = r#"(seq (call %init_peer_id% ("op" "identity") [1] x) (call %init_peer_id% ("callbackSrv" "response") [x]))"#;
    let (req, _) = net
        .client(&a)
        .call_air(script, vec![], CallOptions::default(), T0)
        .unwrap();
    net.pump();
    assert_eq!(net.take_result(&a, req), Some(Ok(json!("mine"))));
    assert!(net.client(&a).unregister_service("op"));
    assert!(!net.client(&a).unregister_service("op"));

    // Arrow arguments: particle-scoped callbackSrv.<name>.
    let script = r#"(seq (call %init_peer_id% ("callbackSrv" "cb") [41] x) (call %init_peer_id% ("callbackSrv" "response") [x]))"#;
    let (req, _) = net
        .client(&a)
        .call_air(
            script,
            vec![],
            CallOptions {
                callbacks: vec![(
                    "cb".into(),
                    Box::new(|c: &ServiceCall| Reply::Ok(json!(c.args[0].as_i64().unwrap() + 1))),
                )],
                ..Default::default()
            },
            T0,
        )
        .unwrap();
    net.pump();
    assert_eq!(net.take_result(&a, req), Some(Ok(json!(42))));
}

#[test]
fn a_foreign_particle_reusing_our_id_cannot_read_our_arguments() {
    let mut net = Net::new(T0);
    let a = net.add_client(1);
    let (req, pid) = hello(&mut net, &a, json!("secret"));
    // Mallory signs her own particle with A's particle id, asking A for getDataSrv.msg
    // and to print it: dropped (the id is one of A's calls), nothing is printed.
    let mallory = fluence_core::KeyPair::from_seed([66; 32]);
    let script = format!(
        r#"(seq (call "{a}" ("getDataSrv" "msg") [] x) (call "{a}" ("run-console" "print") [x]))"#
    );
    let evil = fluence_core::Particle::new_signed(&mallory, pid.clone(), script.clone(), T0, 5_000);
    assert!(matches!(
        net.client(&a).handle_particle(evil, T0),
        Err(fluence_core::RejectReason::IdReuse { .. })
    ));
    net.pump();
    assert!(net.console.is_empty(), "{:?}", net.console);
    // A's own call is unaffected.
    assert_eq!(net.take_result(&a, req), Some(Ok(json!("secret"))));
    // The same script run by A itself does read its own argument (positive control).
    net.client(&a)
        .call_air(
            &script,
            args(&[("msg", json!("mine"))]),
            CallOptions::default(),
            T0,
        )
        .unwrap();
    net.pump();
    assert_eq!(net.console, vec![(a.clone(), "mine".to_string())]);
}

#[test]
fn copies_of_one_particle_are_bounded() {
    use fluence_core::RejectReason;
    let mut net = Net::new(T0);
    let key = fluence_core::KeyPair::from_seed([1; 32]);
    let p = fluence_core::Particle::new_signed(&key, "p".into(), air!("hello").into(), T0, 5_000);
    for _ in 0..64 {
        net.relay.handle_particle(p.clone(), T0).unwrap();
    }
    assert!(matches!(
        net.relay.handle_particle(p.clone(), T0),
        Err(RejectReason::Backlog { limit: 64, .. })
    ));
    assert_eq!(net.relay.particle_count(), 1);
}

#[test]
fn overriding_one_builtin_function_keeps_the_others() {
    let mut net = Net::new(T0);
    let a = net.add_client(1);
    net.client(&a)
        .register_service("peer", "is_connected", Box::new(|_| Reply::Ok(json!(true))));
    net.client(&a)
        .register_service("chat", "receive", Box::new(|_| Reply::Ok(json!(1))));
    let script = r#"
    (seq
     (seq
      (call %init_peer_id% ("peer" "is_connected") ["x"] c)
      (call %init_peer_id% ("peer" "timestamp_ms") [] t)
     )
     (xor
      (call %init_peer_id% ("chat" "nope") [] n)
      (call %init_peer_id% ("callbackSrv" "response") [c t :error:.$.message])
     )
    )"#;
    let (req, _) = net
        .client(&a)
        .call_air(script, vec![], CallOptions::default(), T0)
        .unwrap();
    net.pump();
    let v = net.take_result(&a, req).unwrap().unwrap();
    assert_eq!(v[0], json!(true));
    assert_eq!(v[1], json!(T0));
    assert!(
        v[2].as_str()
            .unwrap()
            .contains("Service with id 'chat' has no function 'nope'"),
        "{v}"
    );
}

/// The JSON text of a definition in tests/aqua/core/defs.json (what aqua-to-js hands to
/// `v5_callFunction` / `v5_registerService`), kept as written: a `Value` would sort the
/// fields, and their order is the parameter order.
fn def(kind: &str, name: &str) -> String {
    use serde_json::value::RawValue;
    use std::collections::HashMap;
    let all: HashMap<String, HashMap<String, Box<RawValue>>> =
        serde_json::from_str(include_str!("../../../tests/aqua/core/defs.json")).unwrap();
    all[kind][name].get().to_string()
}

/// `from` calls a compiled function as `v5_callFunction` does (values only): arguments
/// checked and converted by its definition, the AIR run, the result converted back.
fn call_compiled(
    net: &mut Net,
    from: &str,
    def: &fluence_core::aqua::FunctionDef,
    script: &str,
    args: &[Value],
) -> Value {
    use fluence_core::aqua::HostArg;
    let host = args
        .iter()
        .map(|v| HostArg::<()>::Value(v.clone()))
        .collect();
    let call = def.prepare(host).unwrap();
    assert_eq!(call.fire_and_forget, def.arrow.is_void());
    let opts = CallOptions {
        ttl_ms: call.ttl_ms,
        fire_and_forget: call.fire_and_forget,
        ..Default::default()
    };
    let now = net.now;
    let (req, _) = net
        .client(from)
        .call_air(script, call.data, opts, now)
        .unwrap();
    net.pump();
    let raw = net.take_result(from, req).unwrap().unwrap();
    def.convert_result(&raw).unwrap()
}

#[test]
fn compiled_definitions_drive_calls_and_services_end_to_end() {
    use fluence_core::aqua::{FunctionDef, HostArg, ServiceDef};
    let mut net = Net::new(T0);
    let a = net.add_client(1);
    let b = net.add_client(2);

    // B registers Chat from its Aqua definition, as v5_registerService does: each listed
    // function, its arguments converted for JS, its result converted back.
    let chat = ServiceDef::from_json(&def("services", "Chat")).unwrap();
    let id = chat.service_id(None).unwrap();
    let seen = Rc::new(RefCell::new(Vec::new()));
    for (name, arrow) in chat.functions().unwrap() {
        let (arrow, name2, seen) = (arrow.clone(), name.to_string(), seen.clone());
        net.client(&b).register_service(
            &id,
            name,
            Box::new(move |c: &ServiceCall| {
                let js_args = arrow.args_to_js(&name2, &c.args).unwrap();
                seen.borrow_mut().push(js_args.clone());
                let receipt = json!(format!("got {}", js_args[0].as_str().unwrap()));
                Reply::Ok(arrow.result_to_aqua(&name2, &receipt).unwrap())
            }),
        );
    }

    // A calls sendMessage(peer, msgId, text, { ttl }) as v5_callFunction does.
    let send = FunctionDef::from_json(&def("functions", "sendMessage")).unwrap();
    let args = [json!(b), json!("m-1"), json!("hello"), json!({"ttl": 3000})];
    let result = call_compiled(&mut net, &a, &send, air!("sendMessage"), &args);
    assert_eq!(result, json!("got m-1"));
    assert_eq!(
        seen.borrow()[0],
        vec![json!("m-1"), json!(a), json!("hello")]
    );

    // notify has no result: fire and forget resolves with null, and B still gets it.
    let notify = FunctionDef::from_json(&def("functions", "notify")).unwrap();
    let args = [json!(b), json!("m-2"), json!("bye")];
    let result = call_compiled(&mut net, &a, &notify, air!("notify"), &args);
    assert_eq!(result, Value::Null);
    assert_eq!(seen.borrow().len(), 2);
    assert_eq!(seen.borrow()[1][0], json!("m-2"));

    // A wrong argument never reaches the network.
    let frames = net.frames;
    let e = send
        .prepare(vec![
            HostArg::<()>::Value(json!(1)),
            HostArg::Value(json!("m")),
            HostArg::Value(json!("t")),
        ])
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "Aqua type mismatch. Path: peer; Expected: string; Given: number"
    );
    assert_eq!(net.frames, frames);
}

/// Two calls answered later, in the reverse of their order in the script: the right one
/// (which canonicalizes `$s` and responds) first, then the left one (which pushes into
/// `$s`), both before the engine runs again. js-client feeds AquaVM one result per run in
/// arrival order, so the stream is canonicalized before the left push: `["R"]`. Feeding
/// both in one run would push first (AquaVM walks the left branch first): `["L", "R"]`.
/// A client engine must give js-client's answer; a relay batches as nox does.
const ORDER_AIR: &str = r#"
(par
 (seq (call %init_peer_id% ("slow" "left") [] a) (ap a $s))
 (seq (call %init_peer_id% ("slow" "right") [] b)
  (seq (ap b $s)
   (seq (canon %init_peer_id% $s #c)
    (call %init_peer_id% ("callbackSrv" "response") [#c])))))
"#;

fn order_of_results(config: fluence_core::EngineConfig) -> (Value, u64) {
    let mut engine = fluence_core::Engine::new(fluence_core::KeyPair::from_seed([9; 32]), config);
    let tokens = Rc::new(RefCell::new(Vec::new()));
    for f in ["left", "right"] {
        let t = tokens.clone();
        engine.register_service(
            "slow",
            f,
            Box::new(move |call| {
                t.borrow_mut()
                    .push((call.function_name.clone(), call.token));
                Reply::Later
            }),
        );
    }
    let (req, _) = engine
        .call_air(ORDER_AIR, vec![], CallOptions::default(), T0)
        .unwrap();
    engine.process(T0, 100);
    let runs = engine.interpretations();
    let token = |name: &str| {
        tokens
            .borrow()
            .iter()
            .find(|(f, _)| f == name)
            .map(|(_, t)| *t)
            .unwrap()
    };
    assert!(engine.resolve_call(token("right"), Ok(json!("R"))));
    assert!(engine.resolve_call(token("left"), Ok(json!("L"))));
    engine.process(T0 + 1, 100);
    let runs = engine.interpretations() - runs;
    (completed(&mut engine, req), runs)
}

/// The value of the call `req` of a standalone engine (its first `Completed` event).
fn completed(engine: &mut fluence_core::Engine, req: fluence_core::RequestId) -> Value {
    while let Some(ev) = engine.poll_event() {
        if let fluence_core::Event::Completed {
            request, result, ..
        } = ev
        {
            assert_eq!(request, req);
            return result.unwrap();
        }
    }
    panic!("the call did not complete");
}

/// Four local `op.identity` calls in parallel (immediate builtin answers), then the
/// stream canonicalized: fed one result per run (js-client: `["a"]`, checked against it
/// by tests/js-client-app), the canon runs after the first; fed all at once, after all.
fn parallel_then_canon(config: fluence_core::EngineConfig) -> Value {
    const AIR: &str = r#"
(seq
 (seq
  (call %init_peer_id% ("getDataSrv" "xs") [] xs)
  (fold xs x
   (par
    (call %init_peer_id% ("op" "identity") [x] $results)
    (next x))))
 (seq
  (canon %init_peer_id% $results #results)
  (call %init_peer_id% ("callbackSrv" "response") [#results])))
"#;
    let mut engine = fluence_core::Engine::new(fluence_core::KeyPair::from_seed([9; 32]), config);
    let (req, _) = engine
        .call_air(
            AIR,
            args(&[("xs", json!(["a", "b", "c", "d"]))]),
            CallOptions::default(),
            T0,
        )
        .unwrap();
    engine.process(T0, 100);
    completed(&mut engine, req)
}

#[test]
fn a_client_feeds_one_call_result_per_run_in_arrival_order_as_js_client() {
    let (client, runs) = order_of_results(fluence_core::EngineConfig::client("relay"));
    assert_eq!(client, json!(["R"]));
    // right's result, left's, then the `{}` of callbackSrv.response: one run each.
    assert_eq!(runs, 3, "one run per result");
    let (relay, runs) = order_of_results(fluence_core::EngineConfig::relay());
    assert_eq!(
        relay,
        json!(["L", "R"]),
        "a relay feeds ready results together"
    );
    // Both results in one run, then the response's `{}`.
    assert_eq!(runs, 2);
    assert_eq!(
        parallel_then_canon(fluence_core::EngineConfig::client("relay")),
        json!(["a"])
    );
    assert_eq!(
        parallel_then_canon(fluence_core::EngineConfig::relay()),
        json!(["a", "b", "c", "d"])
    );
}

/// `sig.sign` of data that does not come from a trust-graph / registry function: refused
/// by js-client's default guard, allowed by a guard the host sets, refused again by one
/// that checks the particle's init peer.
#[test]
fn the_sig_security_guard_is_configurable() {
    const SIGN: &str = r#"
(seq
 (call %init_peer_id% ("getDataSrv" "data") [] data)
 (seq
  (call %init_peer_id% ("sig" "sign") [data] result)
  (call %init_peer_id% ("callbackSrv" "response") [result.$.success result.$.signature])))
"#;
    let key = fluence_core::KeyPair::from_seed([11; 32]);
    let me = key.peer_id().to_string();
    let mut engine =
        fluence_core::Engine::new(key.clone(), fluence_core::EngineConfig::client("relay"));
    let sign = |engine: &mut fluence_core::Engine| {
        let (req, _) = engine
            .call_air(
                SIGN,
                args(&[("data", json!([1, 2, 3]))]),
                CallOptions::default(),
                T0,
            )
            .unwrap();
        engine.process(T0, 100);
        completed(engine, req)
    };
    assert_eq!(
        sign(&mut engine),
        json!([false, []]),
        "the default guard refuses"
    );
    let seen = Rc::new(RefCell::new(Vec::new()));
    let s = seen.clone();
    engine.set_sig_guard(Some(Box::new(move |params| {
        s.borrow_mut().push(params.tetraplets.clone());
        true
    })));
    let signed = sign(&mut engine);
    assert_eq!(signed[0], json!(true));
    let signature: Vec<u8> = serde_json::from_value(signed[1][0].clone()).unwrap();
    assert!(key.verify(&[1, 2, 3], &signature));
    assert_eq!(
        seen.borrow().len(),
        1,
        "the guard ran once, for the one sign call"
    );
    assert_eq!(seen.borrow()[0][0][0].function_name, "data");
    engine.set_sig_guard(Some(Box::new(move |params| params.init_peer_id != me)));
    assert_eq!(sign(&mut engine), json!([false, []]));
    engine.set_sig_guard(None);
    assert_eq!(sign(&mut engine), json!([false, []]));
}
