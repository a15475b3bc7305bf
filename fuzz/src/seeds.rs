//! Writes the starting corpora of the fuzz targets into `fuzz/seeds/<target>/`:
//! real frames and payloads in both encodings, AquaVM's own `call_requests`, the
//! definitions the Aqua compiler wrote for `tests/aqua/core.aqua`, types with values, and
//! config strings. The fuzzers grow from them; the minimized result is `fuzz/corpus/`.
//!
//! `cargo run --manifest-path fuzz/Cargo.toml --example seeds`

use std::fs;
use std::path::{Path, PathBuf};

use fluence_core::particle::MSGPACK_MULTICODEC;
use fluence_core::{KeyPair, Particle};
use serde_json::{json, Value};

include!("avm_data_script.rs");

/// Peer A's data for the `avm_data` script: once before its call returns (A's call
/// unanswered), and once after (value, stream, canon, then the hop to B); each as bytes of
/// the data B receives.
fn avm_data() -> Vec<Vec<u8>> {
    use fluence_core::avm::{run, AvmLimits, CallResult};
    let (a, b, p) = avm_data_particle();
    let o1 = run(&a, &p, vec![], vec![], &[], AvmLimits::JS).expect("A's first run");
    let res = [(1, CallResult::ok(json!({"k": ["v", 1, null, true]})))];
    let o2 = run(&a, &p, vec![], o1.data.clone(), &res, AvmLimits::JS).expect("A's second run");
    assert_eq!(o2.ret_code, 0, "{}", o2.error_message);
    let o3 = run(&b, &p, o2.data.clone(), vec![], &[], AvmLimits::JS).expect("B's run");
    assert_eq!(o3.ret_code, 0, "{}", o3.error_message);
    assert_eq!(o3.call_requests.len(), 1, "B calls op.identity");
    vec![o1.data, o2.data]
}

fn dir(target: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("seeds")
        .join(target);
    fs::create_dir_all(&d).expect("create seed dir");
    d
}

fn write(target: &str, name: &str, bytes: &[u8]) {
    fs::write(dir(target).join(name), bytes).expect("write seed");
}

fn push_str(v: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    match b.len() {
        0..=31 => v.push(0xa0 | b.len() as u8),
        32..=255 => v.extend_from_slice(&[0xd9, b.len() as u8]),
        n => {
            v.push(0xda);
            v.extend_from_slice(&(n as u16).to_be_bytes());
        }
    }
    v.extend_from_slice(b);
}

fn push_uint(v: &mut Vec<u8>, x: u64) {
    match x {
        0..=127 => v.push(x as u8),
        128..=255 => v.extend_from_slice(&[0xcc, x as u8]),
        256..=65535 => {
            v.push(0xcd);
            v.extend_from_slice(&(x as u16).to_be_bytes());
        }
        65536..=0xffff_ffff => {
            v.push(0xce);
            v.extend_from_slice(&(x as u32).to_be_bytes());
        }
        _ => {
            v.push(0xcf);
            v.extend_from_slice(&x.to_be_bytes());
        }
    }
}

fn push_int_array(v: &mut Vec<u8>, bytes: &[u8]) {
    if bytes.len() < 16 {
        v.push(0x90 | bytes.len() as u8);
    } else {
        v.push(0xdc);
        v.extend_from_slice(&(bytes.len() as u16).to_be_bytes());
    }
    for b in bytes {
        push_uint(v, u64::from(*b));
    }
}

/// js-client's encoding (spec §2.3 b): alphabetical keys, int arrays, a `uint 64` timestamp.
fn js_style_payload(p: &Particle) -> Vec<u8> {
    let mut v = MSGPACK_MULTICODEC.to_vec();
    v.push(0x88);
    push_str(&mut v, "action");
    push_str(&mut v, "Particle");
    push_str(&mut v, "data");
    push_int_array(&mut v, &p.data);
    push_str(&mut v, "id");
    push_str(&mut v, &p.id);
    push_str(&mut v, "init_peer_id");
    push_str(&mut v, &p.init_peer_id);
    push_str(&mut v, "script");
    push_str(&mut v, &p.script);
    push_str(&mut v, "signature");
    push_int_array(&mut v, &p.signature);
    push_str(&mut v, "timestamp");
    v.push(0xcf);
    v.extend_from_slice(&p.timestamp.to_be_bytes());
    push_str(&mut v, "ttl");
    push_uint(&mut v, u64::from(p.ttl));
    v
}

fn particles() -> Vec<Particle> {
    let key = KeyPair::from_seed([7; 32]);
    let script = r#"(seq (call %init_peer_id% ("srv" "fn") ["a" 1] r) (call "12D3KooWK99VoVxNE7XzyBwXEzW7xhK7Gpv85r9F3V3fyKSUKPH5" ("op" "identity") [r]))"#;
    let mut with_data =
        Particle::new_signed(&key, "id-2".into(), script.into(), 1_700_000_000_000, 7000);
    with_data.data = (0..40u8).collect();
    vec![
        Particle::new_signed(&key, "id-1".into(), "(null)".into(), 1, 1),
        with_data,
        Particle::new_signed(
            &key,
            "a-long-particle-id-0123456789".into(),
            script.into(),
            u64::from(u32::MAX) + 5,
            u32::MAX,
        ),
    ]
}

fn call_requests() -> Vec<Vec<u8>> {
    let key = KeyPair::from_seed([9; 32]);
    let peer = key.peer_id().to_string();
    let scripts = [
        r#"(call %init_peer_id% ("srv" "fn") ["a" 1 true] r)"#.to_string(),
        r#"(par (call %init_peer_id% ("getDataSrv" "msg") [] m) (seq (call %init_peer_id% ("op" "noop") [%init_peer_id% 1.5 -1 []] x) (call %init_peer_id% ("callbackSrv" "response") [[] "" -1] y)))"#.to_string(),
        "(null)".to_string(),
    ];
    scripts
        .iter()
        .map(|script| {
            let params = air::RunParameters {
                init_peer_id: peer.clone(),
                current_peer_id: peer.clone(),
                timestamp: 1_700_000_000_000,
                ttl: 7000,
                key_format: 0,
                secret_key_bytes: key.to_seed().to_vec(),
                particle_id: "seed".into(),
                air_size_limit: 1 << 24,
                particle_size_limit: 1 << 24,
                call_result_size_limit: 1 << 24,
                hard_limit_enabled: false,
            };
            let empty = fluence_core::avm::encode_call_results(&[]).expect("empty call results");
            let out = air::execute_air(script.clone(), vec![], vec![], params, empty.into());
            assert_eq!(out.ret_code, 0, "{}", out.error_message);
            fluence_core::avm::decode_call_requests(&out.call_requests)
                .expect("AquaVM's own call requests decode");
            out.call_requests.to_vec()
        })
        .collect()
}

fn main() {
    for (i, p) in particles().iter().enumerate() {
        let ours = p.to_payload();
        let js = js_style_payload(p);
        assert!(Particle::from_payload(&js).expect("js-style payload decodes") == *p);
        write("particle", &format!("ours-{i}"), &ours);
        write("particle", &format!("js-{i}"), &js);
        for (step, name) in [(0u8, "byte"), (7, "seven"), (63, "chunk")] {
            let mut f = vec![step];
            f.extend_from_slice(&p.to_frame());
            write("frame", &format!("ours-{i}-{name}"), &f);
            let mut f = vec![step];
            f.extend_from_slice(&fluence_core::particle::frame(&js));
            write("frame", &format!("js-{i}-{name}"), &f);
        }
    }
    write("frame", "huge-length", &[3, 0xff, 0xff, 0xff, 0xff, 0x0f]);
    write("frame", "not-minimal", &[3, 0x80, 0x00]);

    for (i, bytes) in call_requests().iter().enumerate() {
        write("call_requests", &format!("avm-{i}"), bytes);
    }
    for (i, bytes) in avm_data().iter().enumerate() {
        write("avm_data", &format!("a-{i}"), bytes);
    }

    let defs_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/aqua/core/defs.json");
    let defs: Value =
        serde_json::from_str(&fs::read_to_string(defs_path).expect("tests/aqua/core/defs.json"))
            .expect("defs.json is JSON");
    let mut types = vec![];
    for (name, f) in defs["functions"].as_object().expect("functions") {
        write("aqua_defs", &format!("fn-{name}"), f.to_string().as_bytes());
        types.push(f["arrow"]["domain"].clone());
        types.push(f["arrow"]["codomain"].clone());
    }
    for (name, s) in defs["services"].as_object().expect("services") {
        write(
            "aqua_defs",
            &format!("srv-{name}"),
            s.to_string().as_bytes(),
        );
    }
    let scalar = |n: &str| json!({"tag": "scalar", "name": n});
    let strukt = json!({"tag": "struct", "name": "Msg", "fields": {"text": scalar("string"), "n": scalar("u32"), "tags": {"tag": "array", "type": scalar("string")}, "reply": {"tag": "option", "type": scalar("bool")}}});
    types.extend([
        scalar("string"),
        scalar("i64"),
        scalar("f64"),
        json!({"tag": "option", "type": {"tag": "array", "type": strukt.clone()}}),
        json!({"tag": "topType"}),
        json!({"tag": "nil"}),
        json!({"tag": "unlabeledProduct", "items": [scalar("u8"), {"tag": "option", "type": scalar("string")}]}),
        strukt,
    ]);
    let values = [
        json!("hi"),
        json!(-3),
        json!(1.5),
        json!(null),
        json!([{"text": "x", "n": 4, "tags": ["a"], "reply": null}]),
        json!({"text": "y", "n": 0, "tags": [], "reply": true}),
        json!([255, null]),
    ];
    for (i, ty) in types.iter().enumerate() {
        for (j, v) in values.iter().enumerate() {
            if (i + j) % 3 == 0 || i >= types.len() - 8 {
                let mut seed = ty.to_string().into_bytes();
                seed.push(0);
                seed.extend_from_slice(v.to_string().as_bytes());
                write("aqua_values", &format!("t{i}-v{j}"), &seed);
            }
        }
    }

    let id = "12D3KooWK99VoVxNE7XzyBwXEzW7xhK7Gpv85r9F3V3fyKSUKPH5";
    let key = KeyPair::from_seed([3; 32]);
    for (name, s) in [
        ("ws", format!("/ip4/127.0.0.1/tcp/9990/ws/p2p/{id}")),
        (
            "wss",
            format!("/dns4/kras-00.fluence.dev/tcp/19001/wss/p2p/{id}"),
        ),
        ("tls", format!("/dns/a.b/tcp/443/tls/ws/p2p/{id}")),
        ("ip6", format!(" /ip6/::1/tcp/1/ws/p2p/{id}\n")),
        ("no-peer", "/ip4/127.0.0.1/tcp/9990/ws".to_string()),
        ("peer-id", id.to_string()),
        ("own-peer-id", key.peer_id().to_string()),
        (
            "sk-base64",
            "Mu7UyyXRspCuOMdG/9jSo9WnOTtn7BsrKFAyZEafr/w=".to_string(),
        ),
        (
            "sk-base58",
            "4Ktf7xh8vELhg4cYdSbGcYALYSvC1NKGgWxNQRXhNJYT".to_string(),
        ),
    ] {
        write("config_input", name, s.as_bytes());
    }
    println!(
        "seeds written to {}",
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("seeds")
            .display()
    );
}
