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

/// Size limits passed to AquaVM (soft limits: exceeding them only sets a flag).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AvmLimits {
    /// Max AIR script size.
    pub air_size: u64,
    /// Max particle data size.
    pub particle_size: u64,
    /// Max call result size.
    pub call_result_size: u64,
}

impl AvmLimits {
    /// js-client's limits: 4 GiB each.
    pub const JS: AvmLimits = AvmLimits {
        air_size: 4_294_967_296,
        particle_size: 4_294_967_296,
        call_result_size: 4_294_967_296,
    };
    /// nox's defaults: 16 MiB AIR, 64 MiB particle, 32 MiB call result.
    pub const NOX: AvmLimits = AvmLimits {
        air_size: 16 * 1024 * 1024,
        particle_size: 64 * 1024 * 1024,
        call_result_size: 32 * 1024 * 1024,
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

/// Errors of the driver itself (not of the script).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AvmError {
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
    let results = encode_call_results(call_results)?;
    let out = air::execute_air(
        particle.script.clone(),
        prev_data,
        data,
        params,
        results.into(),
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
}
