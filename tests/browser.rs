//! The browser client in headless Chromium (`wasm-pack test --headless --chrome`) against
//! the local relay that scripts/test.sh starts and names in `FLUENCE_TEST_RELAY`.
#![cfg(target_arch = "wasm32")]

use fluence_client::{FluenceClient, KeyPair};
use js_sys::{Function, Object, Reflect};
use wasm_bindgen::convert::TryFromJsValue;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const HELLO: &str = include_str!("aqua/core/hello.air");
const SEND: &str = include_str!("aqua/core/sendMessage.air");

// Without the variable the tests must fail loudly, not pass.
#[allow(clippy::option_env_unwrap)]
fn relay() -> String {
    option_env!("FLUENCE_TEST_RELAY")
        .expect("scripts/test.sh sets FLUENCE_TEST_RELAY to the local relay")
        .to_string()
}

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.into()
}

async fn connect_with(config: JsValue) -> Result<FluenceClient, JsValue> {
    let v = JsFuture::from(FluenceClient::connect(
        relay(),
        Some(config.unchecked_into()),
    ))
    .await?;
    Ok(FluenceClient::try_from_js_value(v).expect("a FluenceClient"))
}

async fn connect() -> FluenceClient {
    connect_with(JsValue::UNDEFINED).await.expect("connects")
}

fn code(e: &JsValue) -> String {
    Reflect::get(e, &JsValue::from_str("code"))
        .unwrap()
        .as_string()
        .unwrap_or_default()
}

fn message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_default()
}

async fn send(
    from: &FluenceClient,
    to: &str,
    id: &str,
    text: &str,
    ttl: Option<u32>,
) -> Result<JsValue, JsValue> {
    let args = obj(&[
        ("peer", to.into()),
        ("msgId", id.into()),
        ("text", text.into()),
    ]);
    let opts = match ttl {
        Some(t) => obj(&[("ttlMs", JsValue::from(t))]),
        None => JsValue::UNDEFINED,
    };
    JsFuture::from(from.call_air(
        SEND.into(),
        Some(args.unchecked_into()),
        Some(opts.unchecked_into()),
    ))
    .await
}

#[wasm_bindgen_test]
async fn connects_and_runs_op_identity_on_the_relay() {
    let c = connect().await;
    assert_eq!(c.connection_state(), "connected");
    assert!(c.peer_id().starts_with("12D3KooW"));
    assert_eq!(relay().rsplit('/').next().unwrap(), c.relay_peer_id());
    let r = JsFuture::from(c.call_air(
        HELLO.into(),
        Some(obj(&[("msg", "hi from the browser".into())]).unchecked_into()),
        None,
    ))
    .await
    .unwrap();
    assert_eq!(r.as_string().as_deref(), Some("hi from the browser"));
    JsFuture::from(c.disconnect()).await.unwrap();
    assert_eq!(c.connection_state(), "disconnected");
}

#[wasm_bindgen_test]
async fn two_clients_exchange_a_message_through_a_registered_service() {
    let key = KeyPair::from_seed(&[42; 32]).unwrap();
    let a = connect().await;
    let b = connect_with(obj(&[("keyPair", key.into())])).await.unwrap();
    assert_eq!(
        b.peer_id(),
        KeyPair::from_seed(&[42; 32]).unwrap().peer_id()
    );
    // A synchronous JS handler; callParams is the last argument.
    let receive = Function::new_with_args(
        "msgId, from, text, params",
        "globalThis.__got = [msgId, from, text, params.initPeerId, params.signature.length]; \
         return 'delivered ' + msgId;",
    );
    b.register_service("chat".into(), obj(&[("receive", receive.into())]))
        .unwrap();
    let r = send(&a, &b.peer_id(), "m-1", "Hello, Bob", None)
        .await
        .unwrap();
    assert_eq!(r.as_string().as_deref(), Some("delivered m-1"));
    let got = Reflect::get(&js_sys::global(), &"__got".into()).unwrap();
    let got: js_sys::Array = got.unchecked_into();
    assert_eq!(got.get(0).as_string().as_deref(), Some("m-1"));
    assert_eq!(got.get(1).as_string(), Some(a.peer_id()));
    assert_eq!(got.get(2).as_string().as_deref(), Some("Hello, Bob"));
    assert_eq!(got.get(3).as_string(), Some(a.peer_id()));
    assert_eq!(got.get(4).as_f64(), Some(64.0));

    // An async handler: the returned promise is awaited.
    let receive = Function::new_with_args(
        "msgId",
        "return new Promise(r => setTimeout(() => r('read ' + msgId), 50));",
    );
    a.register_service("chat".into(), obj(&[("receive", receive.into())]))
        .unwrap();
    let r = send(&b, &a.peer_id(), "m-2", "Hi, Alice", None)
        .await
        .unwrap();
    assert_eq!(r.as_string().as_deref(), Some("read m-2"));
}

#[wasm_bindgen_test]
async fn a_throwing_handler_reaches_the_caller_as_a_typed_error() {
    let a = connect().await;
    let b = connect().await;
    let receive = Function::new_with_args("", "throw new Error('mailbox full');");
    b.register_service("chat".into(), obj(&[("receive", receive.into())]))
        .unwrap();
    let e = send(&a, &b.peer_id(), "m", "x", None).await.unwrap_err();
    assert_eq!(code(&e), "AQUA");
    assert!(message(&e).contains("mailbox full"), "{}", message(&e));
    assert_eq!(
        Reflect::get(&e, &"name".into())
            .unwrap()
            .as_string()
            .as_deref(),
        Some("FluenceError")
    );
    assert!(Reflect::get(&e, &"particleId".into()).unwrap().is_string());
}

#[wasm_bindgen_test]
async fn ttl_expiry_rejects_with_ttl_expired() {
    let a = connect().await;
    let offline = KeyPair::random().unwrap().peer_id();
    let e = send(&a, &offline, "m", "x", Some(1_500)).await.unwrap_err();
    assert_eq!(code(&e), "TTL_EXPIRED", "{}", message(&e));
    assert!(Reflect::get(&e, &"particleId".into()).unwrap().is_string());
}

#[wasm_bindgen_test]
async fn disconnect_settles_pending_calls() {
    let a = connect().await;
    let offline = KeyPair::random().unwrap().peer_id();
    let args = obj(&[
        ("peer", offline.into()),
        ("msgId", "m".into()),
        ("text", "x".into()),
    ]);
    let pending = a.call_air(
        SEND.into(),
        Some(args.unchecked_into()),
        Some(obj(&[("ttlMs", JsValue::from(60_000))]).unchecked_into()),
    );
    JsFuture::from(a.disconnect()).await.unwrap();
    let e = JsFuture::from(pending).await.unwrap_err();
    assert_eq!(code(&e), "CANCELLED", "{}", message(&e));
    assert_eq!(a.connection_state(), "disconnected");
    // Calls after disconnect reject at once.
    let e = JsFuture::from(a.call_air(
        HELLO.into(),
        Some(obj(&[("msg", "x".into())]).unchecked_into()),
        None,
    ))
    .await
    .unwrap_err();
    assert_eq!(code(&e), "CONNECTION");
}

#[wasm_bindgen_test]
async fn bad_input_is_rejected_with_clear_errors() {
    let e = JsFuture::from(FluenceClient::connect("not a multiaddr".into(), None))
        .await
        .unwrap_err();
    assert_eq!(code(&e), "INVALID_ARGUMENT");
    let e = JsFuture::from(FluenceClient::connect(
        "/ip4/127.0.0.1/tcp/9/ws".into(),
        None,
    ))
    .await
    .unwrap_err();
    assert_eq!(code(&e), "INVALID_ARGUMENT", "{}", message(&e));
    assert!(message(&e).contains("/p2p/"));
    let e = connect_with(obj(&[("defaultTtlMs", JsValue::from(-5))]))
        .await
        .err()
        .unwrap();
    assert_eq!(code(&e), "INVALID_ARGUMENT");
    // Only live KeyPairs of this package are accepted, never look-alikes.
    let fake = obj(&[("__handle", JsValue::from(987_654))]);
    let e = connect_with(obj(&[("keyPair", fake)])).await.err().unwrap();
    assert_eq!(code(&e), "INVALID_ARGUMENT");
    assert!(message(&e).contains("keyPair"), "{}", message(&e));
    // Nobody listens on port 9: the dial fails with a connection error.
    let dead = format!(
        "/ip4/127.0.0.1/tcp/9/ws/p2p/{}",
        KeyPair::random().unwrap().peer_id()
    );
    let e = JsFuture::from(FluenceClient::connect(
        dead,
        Some(obj(&[("dialTimeoutMs", JsValue::from(3_000))]).unchecked_into()),
    ))
    .await
    .unwrap_err();
    assert_eq!(code(&e), "CONNECTION", "{}", message(&e));
    assert!(KeyPair::from_seed(&[1; 5]).is_err());
}

#[wasm_bindgen]
extern "C" {
    /// `performance.now()`, ms.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn now_ms() -> f64;
}

/// Counts the page's `setTimeout` calls from now on (`globalThis.__setTimeouts`).
fn count_set_timeouts() -> impl Fn() -> u32 {
    js_sys::eval(
        "if (!globalThis.__setTimeouts) { const o = globalThis.setTimeout; \
         globalThis.setTimeout = function (...a) { globalThis.__setTimeouts++; return o.apply(this, a); }; } \
         globalThis.__setTimeouts = 0;",
    )
    .unwrap();
    || {
        js_sys::eval("globalThis.__setTimeouts")
            .unwrap()
            .as_f64()
            .unwrap() as u32
    }
}

// The vendored futures-timer (vendor/futures-timer/src/wasm.rs): every Delay of the page
// shares one JS timer.
#[wasm_bindgen_test]
async fn delays_fire_in_order_and_on_time_over_one_shared_timer() {
    use futures_timer::Delay;
    use std::cell::RefCell;
    use std::rc::Rc;
    use std::time::Duration;

    let start = now_ms();
    let fired = Rc::new(RefCell::new(Vec::new()));
    let wait = |ms: u64| {
        let fired = fired.clone();
        async move {
            Delay::new(Duration::from_millis(ms)).await;
            fired.borrow_mut().push((ms, now_ms() - start));
        }
    };
    // A later deadline first, so the earlier ones must re-arm the timer.
    futures::future::join4(wait(60), wait(20), wait(40), wait(0)).await;
    let fired = fired.borrow().clone();
    let order: Vec<u64> = fired.iter().map(|(ms, _)| *ms).collect();
    assert_eq!(order, vec![0, 20, 40, 60], "{fired:?}");
    for (ms, at) in &fired {
        assert!(
            *at >= *ms as f64 - 1.0,
            "the {ms} ms delay fired at {at} ms"
        );
    }

    // The earliest delay dropped: the later one still fires.
    let t = now_ms();
    let early = Delay::new(Duration::from_millis(5));
    let late = Delay::new(Duration::from_millis(30));
    drop(early);
    late.await;
    assert!(now_ms() - t >= 29.0);

    // A reset moves the deadline: 10 s becomes 10 ms.
    let t = now_ms();
    let mut d = Delay::new(Duration::from_secs(10));
    d.reset(Duration::from_millis(10));
    d.await;
    assert!(now_ms() - t < 5_000.0);

    // Delays later than one already waiting touch no JS timer: 100 of them made and dropped
    // (what libp2p and the particle protocol do for each stream) call setTimeout 0 times.
    let first = Delay::new(Duration::from_secs(10));
    let calls = count_set_timeouts();
    for _ in 0..100 {
        drop(Delay::new(Duration::from_secs(10)));
    }
    let kept: Vec<Delay> = (0..10)
        .map(|_| Delay::new(Duration::from_secs(11)))
        .collect();
    assert_eq!(calls(), 0);
    drop((first, kept));
    // And a nearer deadline arms it again: this one fires in time.
    let t = now_ms();
    Delay::new(Duration::from_millis(15)).await;
    assert!(now_ms() - t < 5_000.0);
    assert!(calls() >= 1);
}
