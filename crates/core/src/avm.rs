//! The AquaVM driver: one call of `aquavm-air`'s `execute_air` (spec §5.3, §6).
//!
//! This module only converts between our types and the interpreter's; what to do with
//! an outcome is the engine's business.

use std::collections::HashMap;

use air_interpreter_interface::{
    CallArgumentsRepr, CallRequestsRepr, CallResultsRepr, CallServiceResult, TetrapletsRepr,
};
use air_interpreter_sede::{FromSerialized, ToSerialized};
use serde_json::Value;

pub use air::SecurityTetraplet;

use crate::keys::KeyPair;
use crate::particle::Particle;

/// Ed25519 in AquaVM's `key_format`.
const KEY_FORMAT_ED25519: u8 = 0;

/// Limits passed to AquaVM: the three size limits of `RunParameters` (soft limits:
/// exceeding them only sets a flag) and the execution budget of our patched AquaVM
/// (`vendor/PATCHES.md`), which ends a run that does more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AvmLimits {
    /// Max AIR script size.
    pub air_size: u64,
    /// Max particle data size.
    pub particle_size: u64,
    /// Max call result size.
    pub call_result_size: u64,
    /// Most instructions one run may execute.
    pub max_steps: u64,
    /// Most bytes of JSON values one run may serialize (canon elements, call arguments
    /// and results, counted each time).
    pub max_value_bytes: u64,
    /// Deepest nesting of a value one run may serialize.
    pub max_value_depth: usize,
    /// Deepest nesting of instructions executing inside one another (each `next` of a
    /// fold nests one more); also the deepest AIR script that is run at all.
    pub max_depth: usize,
}

/// The default of [`AvmLimits::max_steps`]: 2,000,000 instructions in one run
/// (RELIABILITY.md has what a run of that costs).
pub const DEFAULT_MAX_STEPS: u64 = 2_000_000;

/// The default of [`AvmLimits::max_value_bytes`]: 128 MiB serialized in one run.
pub const DEFAULT_MAX_VALUE_BYTES: u64 = 128 * 1024 * 1024;

/// The default of [`AvmLimits::max_value_depth`]: 127, the most `serde_json` (so every
/// peer) parses back.
pub const DEFAULT_MAX_VALUE_DEPTH: usize = air::MAX_VALUE_DEPTH;

/// [`AvmLimits::max_depth`] of a client ([`AvmLimits::JS`]). AquaVM recurses once per
/// nested instruction and twice per iteration of a fold. In Chromium, V8's stack ends
/// the recursion (a `RangeError` out of the Wasm, which kills the client) at ~6,000
/// levels in a page and ~1,900 in a Web Worker (a fold over ~950 elements); 1,000 keeps a
/// ~2x margin in a worker: a fold over ~490 elements (RELIABILITY.md).
pub const CLIENT_MAX_DEPTH: usize = 1_000;

/// [`AvmLimits::max_depth`] of a relay ([`AvmLimits::NOX`]): the relay runs AquaVM on
/// its main thread (8 MB of stack; ~1 KB per level natively).
pub const RELAY_MAX_DEPTH: usize = 2_000;

impl AvmLimits {
    /// js-client's size limits (4 GiB each) and the default budget (js-client 0.9.0 runs
    /// AquaVM unpatched, without one).
    pub const JS: AvmLimits = AvmLimits {
        air_size: 4_294_967_296,
        particle_size: 4_294_967_296,
        call_result_size: 4_294_967_296,
        max_steps: DEFAULT_MAX_STEPS,
        max_value_bytes: DEFAULT_MAX_VALUE_BYTES,
        max_value_depth: DEFAULT_MAX_VALUE_DEPTH,
        max_depth: CLIENT_MAX_DEPTH,
    };
    /// nox's size defaults (16 MiB AIR, 64 MiB particle, 32 MiB call result) and the
    /// default budget (nox 0.28.2 has none).
    pub const NOX: AvmLimits = AvmLimits {
        air_size: 16 * 1024 * 1024,
        particle_size: 64 * 1024 * 1024,
        call_result_size: 32 * 1024 * 1024,
        max_steps: DEFAULT_MAX_STEPS,
        max_value_bytes: DEFAULT_MAX_VALUE_BYTES,
        max_value_depth: DEFAULT_MAX_VALUE_DEPTH,
        max_depth: RELAY_MAX_DEPTH,
    };
}

/// One service call AquaVM asks this peer to make.
#[derive(Debug, Clone, PartialEq)]
pub struct CallRequest {
    /// Call id (unique per particle; results must name it).
    pub call_id: u32,
    /// Service id.
    pub service_id: String,
    /// Function name.
    pub function_name: String,
    /// Arguments as JSON values.
    pub arguments: Vec<Value>,
    /// One list of tetraplets per argument.
    pub tetraplets: Vec<Vec<SecurityTetraplet>>,
}

/// The result of one service call, fed back to AquaVM.
#[derive(Debug, Clone, PartialEq)]
pub struct CallResult {
    /// 0 = success, anything else raises a catchable error in AIR.
    pub ret_code: i32,
    /// The value (success) or the error (usually a string).
    pub result: Value,
}

impl CallResult {
    /// A successful result.
    pub fn ok(result: Value) -> Self {
        CallResult {
            ret_code: 0,
            result,
        }
    }
    /// A failed result, `ret_code 1` with a message.
    pub fn err(message: impl Into<String>) -> Self {
        CallResult {
            ret_code: 1,
            result: Value::String(message.into()),
        }
    }
}

/// What one interpretation produced.
#[derive(Debug, Clone)]
pub struct AvmOutcome {
    /// 0 on success; see spec §6.3 for the ranges.
    pub ret_code: i64,
    /// Error text when `ret_code != 0`.
    pub error_message: String,
    /// The new interpreter data.
    pub data: Vec<u8>,
    /// Peers to send the particle to.
    pub next_peer_pks: Vec<String>,
    /// Service calls for this peer.
    pub call_requests: Vec<CallRequest>,
}

/// AquaVM's `ret_code` ranges (spec §6.3).
impl AvmOutcome {
    /// A catchable error nobody caught (10000..20000): the trace in `data` is still valid.
    pub fn is_uncaught_catchable(&self) -> bool {
        (10_000..20_000).contains(&self.ret_code)
    }
}

/// How deep `script`'s instructions nest, as AquaVM's lexer splits it: `(` and `)`
/// between tokens count; those inside string literals, comments and tokens (lambdas)
/// do not. Never less than what the parser will build.
pub fn air_depth(script: &str) -> usize {
    let mut chars = script.chars().peekable();
    let (mut depth, mut deepest) = (0usize, 0usize);
    while let Some(ch) = chars.next() {
        match ch {
            '(' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ')' => depth = depth.saturating_sub(1),
            '[' | ']' => {}
            ';' => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '"' => {
                for c in chars.by_ref() {
                    if c == '"' {
                        break;
                    }
                }
            }
            c if c.is_whitespace() => {}
            _ => {
                // A token ends where the lexer ends it: at whitespace, or at a `)` or `]`
                // that closes more than the token opened.
                let (mut round, mut square) = (0i64, 0i64);
                while let Some(&c) = chars.peek() {
                    match c {
                        '(' => round += 1,
                        ')' => round -= 1,
                        '[' => square += 1,
                        ']' => square -= 1,
                        _ => {}
                    }
                    if c.is_whitespace() || round < 0 || square < 0 {
                        break;
                    }
                    chars.next();
                }
            }
        }
    }
    deepest
}

/// Errors of the driver itself (not of the script).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AvmError {
    /// The script nests deeper than [`AvmLimits::max_depth`]; AquaVM was not run (its
    /// parser and syntax tree recurse once per level too).
    #[error("AIR nested {depth} levels deep, more than the {limit} this peer runs")]
    ScriptTooDeep {
        /// How deep it nests.
        depth: usize,
        /// [`AvmLimits::max_depth`].
        limit: usize,
    },

    /// Call results could not be serialized.
    #[error("cannot encode call results: {0}")]
    EncodeResults(String),
    /// AquaVM's call requests could not be decoded.
    #[error("cannot decode call requests: {0}")]
    DecodeRequests(String),
}

/// Runs AquaVM once for `particle` on the peer with key `key`.
///
/// `prev_data` is this peer's last data for the particle, `particle.data` the received
/// data (empty when only call results are fed back).
pub fn run(
    key: &KeyPair,
    particle: &Particle,
    data: Vec<u8>,
    prev_data: Vec<u8>,
    call_results: &[(u32, CallResult)],
    limits: AvmLimits,
) -> Result<AvmOutcome, AvmError> {
    let params = air::RunParameters {
        init_peer_id: particle.init_peer_id.clone(),
        current_peer_id: key.peer_id().to_string(),
        timestamp: particle.timestamp,
        ttl: particle.ttl,
        key_format: KEY_FORMAT_ED25519,
        secret_key_bytes: key.secret_seed(),
        particle_id: particle.id.clone(),
        air_size_limit: limits.air_size,
        particle_size_limit: limits.particle_size,
        call_result_size_limit: limits.call_result_size,
        hard_limit_enabled: false,
    };
    let depth = air_depth(&particle.script);
    if depth > limits.max_depth {
        return Err(AvmError::ScriptTooDeep {
            depth,
            limit: limits.max_depth,
        });
    }
    let results = encode_call_results(call_results)?;
    let budget = air::ExecutionBudget {
        max_steps: limits.max_steps,
        max_value_bytes: limits.max_value_bytes,
        max_value_depth: limits.max_value_depth,
        max_depth: limits.max_depth,
    };
    let out = air::execute_air_with_budget(
        particle.script.clone(),
        prev_data,
        data,
        params,
        results.into(),
        budget,
    );
    let call_requests = decode_call_requests(&out.call_requests)?;
    Ok(AvmOutcome {
        ret_code: out.ret_code,
        error_message: out.error_message,
        data: out.data,
        next_peer_pks: out.next_peer_pks,
        call_requests,
    })
}

/// Encodes call results: `81 04` + msgpack map `{"<id>": {ret_code, result: JSON text}}`.
pub fn encode_call_results(results: &[(u32, CallResult)]) -> Result<Vec<u8>, AvmError> {
    let map: HashMap<String, CallServiceResult> = results
        .iter()
        .map(|(id, r)| {
            (
                id.to_string(),
                CallServiceResult {
                    ret_code: r.ret_code,
                    result: r.result.to_string(),
                },
            )
        })
        .collect();
    CallResultsRepr
        .serialize(&map)
        .map(Into::into)
        .map_err(|e| AvmError::EncodeResults(e.to_string()))
}

/// Decodes AquaVM's `call_requests` (`81 04` + msgpack map; `81 04 80` means none).
pub fn decode_call_requests(bytes: &[u8]) -> Result<Vec<CallRequest>, AvmError> {
    if bytes.is_empty() {
        return Ok(Vec::new());
    }
    let map = CallRequestsRepr
        .deserialize(bytes)
        .map_err(|e| AvmError::DecodeRequests(e.to_string()))?;
    let mut out = Vec::with_capacity(map.len());
    for (call_id, p) in map {
        let arguments: Vec<Value> = CallArgumentsRepr
            .deserialize(&p.arguments)
            .map_err(|e| AvmError::DecodeRequests(format!("arguments of call {call_id}: {e}")))?;
        let tetraplets: Vec<Vec<SecurityTetraplet>> = TetrapletsRepr
            .deserialize(&p.tetraplets)
            .map_err(|e| AvmError::DecodeRequests(format!("tetraplets of call {call_id}: {e}")))?;
        out.push(CallRequest {
            call_id,
            service_id: p.service_id,
            function_name: p.function_name,
            arguments,
            tetraplets,
        });
    }
    out.sort_by_key(|r| r.call_id);
    Ok(out)
}

/// The interpreter version compiled in (`0.63.0`).
pub fn interpreter_version() -> String {
    air::interpreter_version().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn empty_call_results_encode_as_spec_says() {
        assert_eq!(encode_call_results(&[]).unwrap(), vec![0x81, 0x04, 0x80]);
        assert!(decode_call_requests(&[0x81, 0x04, 0x80])
            .unwrap()
            .is_empty());
        assert!(decode_call_requests(&[]).unwrap().is_empty());
        assert!(matches!(
            decode_call_requests(&[0x81, 0x04, 0xc1]),
            Err(AvmError::DecodeRequests(_))
        ));
    }

    #[test]
    fn interpreter_is_0_63_0() {
        assert_eq!(interpreter_version(), "0.63.0");
    }

    /// Spec §6.3's verified two-step script.
    #[test]
    fn two_step_script_reaches_the_relay() {
        let client = KeyPair::from_seed([2; 32]);
        let relay = KeyPair::from_seed([3; 32]);
        let script = r#"(seq (call %init_peer_id% ("getDataSrv" "-relay-") [] -relay-) (call -relay- ("op" "noop") []))"#;
        let p = Particle::new_signed(&client, "p1".into(), script.into(), 1_000, 7_000);
        let o1 = run(&client, &p, vec![], vec![], &[], AvmLimits::JS).unwrap();
        assert_eq!(o1.ret_code, 0, "{}", o1.error_message);
        assert!(o1.next_peer_pks.is_empty());
        assert_eq!(o1.call_requests.len(), 1);
        let r = &o1.call_requests[0];
        assert_eq!(
            (r.call_id, &*r.service_id, &*r.function_name),
            (1, "getDataSrv", "-relay-")
        );
        assert!(r.arguments.is_empty());
        let res = [(1, CallResult::ok(json!(relay.peer_id())))];
        let o2 = run(&client, &p, vec![], o1.data, &res, AvmLimits::JS).unwrap();
        assert_eq!(o2.ret_code, 0, "{}", o2.error_message);
        assert_eq!(o2.next_peer_pks, vec![relay.peer_id().to_string()]);
        assert!(o2.call_requests.is_empty());
        assert!(o2.data.starts_with(b"\x83\xa7version"));
    }

    #[test]
    fn syntax_error_is_a_non_zero_ret_code() {
        let k = KeyPair::from_seed([2; 32]);
        let p = Particle::new_signed(&k, "p".into(), "(seq".into(), 1, 1);
        let o = run(&k, &p, vec![], vec![], &[], AvmLimits::JS).unwrap();
        assert_ne!(o.ret_code, 0);
        assert!(!o.error_message.is_empty());
    }

    /// Runs `f` on a thread with a 1 GB stack (reserved, committed as used): at
    /// `max_depth` AquaVM recurses up to 2,000 levels, ~2 MB in a release build and many times
    /// that in a debug one.
    fn big_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        std::thread::Builder::new()
            .stack_size(1 << 30)
            .spawn(f)
            .unwrap()
            .join()
            .unwrap()
    }

    fn run_alone(script: &str, limits: AvmLimits) -> AvmOutcome {
        let script = script.to_string();
        big_stack(move || {
            let k = KeyPair::from_seed([2; 32]);
            let p = Particle::new_signed(&k, "p".into(), script, 1_000, 7_000);
            run(&k, &p, vec![], vec![], &[], limits).unwrap()
        })
    }

    /// `o` ended with `ret_code` and a message containing `text`.
    fn assert_ended(o: &AvmOutcome, ret_code: i64, text: &str) {
        assert_eq!(o.ret_code, ret_code, "{}", o.error_message);
        assert!(o.error_message.contains(text), "{}", o.error_message);
    }

    /// Each new element of `$s` is the canon of all of `$s`: every value is twice the size
    /// of the one before. Unpatched AquaVM grew to 2.5 GB in 10 s on this and never ended.
    #[test]
    fn a_stream_fed_its_own_canon_stops_at_the_value_budget() {
        let script = r#"(new $s (seq (ap 1 $s) (fold $s x (seq (canon %init_peer_id% $s #cc) (seq (ap #cc $s) (next x))))))"#;
        let o = run_alone(script, AvmLimits::JS);
        assert_ended(
            &o,
            20021,
            "more than 134217728 bytes of values serialized in one run",
        );
        // Uncatchable: the previous data (none) comes back, nothing is sent or called.
        assert!(o.data.is_empty() && o.next_peer_pks.is_empty() && o.call_requests.is_empty());
        // Below the budget the same program runs: 16 doublings.
        let bounded = r#"(new $s (seq (ap 1 $s) (fold $s x (seq (canon %init_peer_id% $s #cc) (seq (ap #cc.length len) (xor (match len 16 (null)) (seq (ap #cc $s) (next x))))))))"#;
        let o = run_alone(bounded, AvmLimits::JS);
        assert_eq!(o.ret_code, 0, "{}", o.error_message);
    }

    /// Four folds inside one another over a 100-element stream: 10^8 iterations, 42 s of
    /// one core unpatched.
    #[test]
    fn nested_folds_stop_at_the_step_budget() {
        let mut body = "(null)".to_string();
        for d in 0..4 {
            body = format!("(fold #cc i{d} (seq {body} (next i{d})))");
        }
        let script = format!(
            r#"(new $s (seq (seq (ap 1 $s) (fold $s x (seq (canon %init_peer_id% $s #cc) (seq (ap #cc.length len) (xor (match len 100 (null)) (seq (ap 1 $s) (next x)))))))
              (seq (canon %init_peer_id% $s #cc) {body})))"#
        );
        let o = run_alone(&script, AvmLimits::JS);
        assert_ended(&o, 20021, "more than 2000000 instructions in one run");
        // Three instructions: a budget of three runs them, one of two does not.
        let three = r#"(seq (null) (null))"#;
        let mut limits = AvmLimits::JS;
        limits.max_steps = 3;
        assert_eq!(run_alone(three, limits).ret_code, 0);
        limits.max_steps = 2;
        let o = run_alone(three, limits);
        assert_ended(&o, 20021, "more than 2 instructions in one run");
    }

    /// A fold nests one level per iteration (`next` recurses): at `max_depth` the run ends
    /// with an error instead of overflowing the stack; below it the fold runs.
    #[test]
    fn a_fold_deeper_than_max_depth_is_an_error_not_a_stack_overflow() {
        big_stack(|| {
            let k = KeyPair::from_seed([2; 32]);
            let script = r#"(seq (call %init_peer_id% ("s" "array") [] arr) (seq (fold arr i (seq (null) (next i))) (call %init_peer_id% ("s" "done") [])))"#;
            let p = Particle::new_signed(&k, "p".into(), script.into(), 1_000, 7_000);
            let fold = |n: usize| {
                let o1 = run(&k, &p, vec![], vec![], &[], AvmLimits::JS).unwrap();
                let arr: Vec<usize> = (0..n).collect();
                let res = [(1, CallResult::ok(json!(arr)))];
                run(&k, &p, vec![], o1.data, &res, AvmLimits::JS).unwrap()
            };
            let o = fold(490);
            assert_eq!(o.ret_code, 0, "{}", o.error_message);
            assert_eq!(o.call_requests[0].function_name, "done");
            let o = fold(600);
            assert_ended(
                &o,
                20024,
                "execution nested more than 1000 instructions deep",
            );
        });
    }

    /// A script nested deeper than `max_depth` is not given to AquaVM at all (its parser
    /// and syntax tree recurse too); up to it, it runs.
    #[test]
    fn a_script_deeper_than_max_depth_is_refused_before_aquavm() {
        big_stack(|| {
            let nested = |n: usize| format!("{}(null){}", "(seq (null) ".repeat(n), ")".repeat(n));
            let k = KeyPair::from_seed([2; 32]);
            let ok = Particle::new_signed(&k, "p".into(), nested(999), 1_000, 7_000);
            let o = run(&k, &ok, vec![], vec![], &[], AvmLimits::JS).unwrap();
            assert_eq!(o.ret_code, 0, "{}", o.error_message);
            // A relay runs deeper.
            let ok = Particle::new_signed(&k, "p".into(), nested(1_999), 1_000, 7_000);
            let o = run(&k, &ok, vec![], vec![], &[], AvmLimits::NOX).unwrap();
            assert_eq!(o.ret_code, 0, "{}", o.error_message);
            let deep = Particle::new_signed(&k, "p".into(), nested(100_000), 1_000, 7_000);
            let e = run(&k, &deep, vec![], vec![], &[], AvmLimits::JS).unwrap_err();
            assert_eq!(
                e,
                AvmError::ScriptTooDeep {
                    depth: 100_001,
                    limit: 1_000
                }
            );
            assert_eq!(
                e.to_string(),
                "AIR nested 100001 levels deep, more than the 1000 this peer runs"
            );
        });
    }

    #[test]
    fn air_depth_counts_what_the_lexer_makes_instructions_of() {
        assert_eq!(air_depth(""), 0);
        assert_eq!(air_depth("(null)"), 1);
        assert_eq!(air_depth("(seq (null) (seq (null) (null)))"), 3);
        // Brackets inside string literals, comments and lambdas are not instructions.
        assert_eq!(air_depth(r#"(call "((((" ("s" "f") ["))))(("] x)"#), 2);
        assert_eq!(air_depth("(seq (null) ; ((((\n (null))"), 2);
        assert_eq!(air_depth("(ap x.$.[0].(a) y)"), 1);
        // A `)` inside a string cannot hide a level: the string ends at the next `"`.
        assert_eq!(air_depth(r#"(seq "))" (seq (null) (null)))"#), 3);
        // Unbalanced input never underflows.
        assert_eq!(air_depth(")))((("), 3);
    }

    /// Peer A (unpatched behaviour: no depth limit) builds a value 200 levels deep and
    /// sends it on. Unpatched AquaVM on peer B panicked parsing it ("recursion limit
    /// exceeded" in `RawValue::get_value`), which kills a Wasm client and aborts a relay;
    /// now B's run ends with an error. With the default limits A refuses to build it.
    #[test]
    fn a_value_nested_too_deep_is_refused_and_a_received_one_is_an_error_not_a_panic() {
        big_stack(value_nested_too_deep);
    }

    fn value_nested_too_deep() {
        let a = KeyPair::from_seed([2; 32]);
        let b = KeyPair::from_seed([3; 32]);
        let script = format!(
            r#"(seq (new $s (seq (ap 1 $s) (fold $s x (seq (new $u (seq (ap x $u) (canon %init_peer_id% $u #cc))) (seq (canon %init_peer_id% $s #all) (seq (ap #all.length len) (xor (match len 200 (null)) (seq (ap #cc $s) (next x)))))))))
              (call "{}" ("op" "noop") []))"#,
            b.peer_id()
        );
        let p = Particle::new_signed(&a, "p1".into(), script, 1_000, 7_000);
        let o = run(&a, &p, vec![], vec![], &[], AvmLimits::JS).unwrap();
        assert_ended(&o, 20023, "nested more than 127 levels deep");
        let mut unlimited = AvmLimits::JS;
        unlimited.max_value_depth = usize::MAX;
        let o = run(&a, &p, vec![], vec![], &[], unlimited).unwrap();
        assert_eq!(o.ret_code, 0, "{}", o.error_message);
        assert_eq!(o.next_peer_pks, vec![b.peer_id().to_string()]);
        let o2 = run(&b, &p, o.data, vec![], &[], AvmLimits::JS).unwrap();
        assert_ended(&o2, 20022, "recursion limit exceeded");
        assert!(o2.data.is_empty() && o2.call_requests.is_empty());
    }

    // `avm_data_particle()`: the script and peers of the `avm_data` fuzz target.
    include!("../../../fuzz/src/avm_data_script.rs");

    /// Peer B of the `avm_data` fuzz target runs on received `data`: the run must end with
    /// `ret_code` and a message containing `text`, returning no data and asking for nothing.
    fn assert_refused_at_b(data: &[u8], ret_code: i64, text: &str) {
        let (_, b, p) = avm_data_particle();
        let o = run(&b, &p, data.to_vec(), vec![], &[], AvmLimits::JS).unwrap();
        assert_ended(&o, ret_code, text);
        assert!(o.data.is_empty() && o.call_requests.is_empty() && o.next_peer_pks.is_empty());
    }

    /// Data that peer A really sent is accepted by B (rkyv writes a shared value once and
    /// points at it again: the strict validator must accept that). The input the `avm_data`
    /// fuzz target found holds two `Rc<str>` pointing at one place with different lengths:
    /// unpatched, B's AquaVM read past the shorter one's allocation (AddressSanitizer: a heap
    /// overflow); now B's run ends with a deserialization error naming the two layouts.
    #[test]
    fn received_data_with_one_shared_string_of_two_lengths_is_refused() {
        let (a, b, p) = avm_data_particle();
        let o1 = run(&a, &p, vec![], vec![], &[], AvmLimits::JS).unwrap();
        let res = [(1, CallResult::ok(json!({"k": ["v", 1, null, true]})))];
        let o2 = run(&a, &p, vec![], o1.data, &res, AvmLimits::JS).unwrap();
        assert_eq!(o2.ret_code, 0, "{}", o2.error_message);
        let o3 = run(&b, &p, o2.data, vec![], &[], AvmLimits::JS).unwrap();
        assert_eq!(o3.ret_code, 0, "{}", o3.error_message);
        assert_eq!(o3.call_requests.len(), 1, "B calls op.identity");
        // 2: AquaVM could not deserialize the data (`PreparationError::DataDeFailed`).
        assert_refused_at_b(
            include_bytes!("../../../fuzz/regressions/avm_data/rkyv-aliased-str"),
            2,
            "SharedLayoutMismatch { offset: 288, previous_size: 61",
        );
    }

    /// A received trace whose call names a service result CID that the data's CID store
    /// lacks (found by the `avm_data` fuzz target): unpatched, B's AquaVM panicked
    /// ("cannot happen in a checked CID store"); now B's run ends with an error (9: the
    /// data's signatures did not check, `PreparationError::DataSignatureCheckError`).
    #[test]
    fn a_received_trace_naming_a_cid_the_store_lacks_is_an_error_not_a_panic() {
        assert_refused_at_b(
            include_bytes!("../../../fuzz/regressions/avm_data/trace-cid-missing-from-store"),
            9,
            "the trace refers to CID \"\\0\" (air_interpreter_data::executed_state::ServiceResultCidAggregate), which is not in the data's CID store",
        );
    }

    /// A received trace that puts a stream value in generation ~600,000,000 (found by the
    /// `avm_data` fuzz target): unpatched, B's AquaVM grew the stream's generation table to
    /// it, a 14 GB allocation (in Wasm: an abort that kills the client); now B's run ends
    /// with an error.
    #[test]
    fn a_received_stream_generation_far_ahead_is_an_error_not_an_allocation() {
        assert_refused_at_b(
            include_bytes!("../../../fuzz/regressions/avm_data/stream-generation-far-ahead"),
            20025,
            "a received trace puts a stream value in generation 603979776, beyond the 1024 a stream can have",
        );
    }

    /// Received data whose signature store holds an empty public key (found by the
    /// `avm_data` fuzz target): unpatched, B's AquaVM panicked (an index out of bounds in
    /// fluence-keypair's key decoding); now B's run ends with an error (9, as above).
    #[test]
    fn a_received_empty_public_key_is_an_error_not_a_panic() {
        assert_refused_at_b(
            include_bytes!("../../../fuzz/regressions/avm_data/empty-public-key"),
            9,
            "a signature's public key is empty",
        );
    }
}
