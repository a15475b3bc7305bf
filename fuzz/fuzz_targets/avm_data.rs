//! AquaVM's `data` decoder and everything a received trace drives: peer B runs a fixed
//! script (a call of peer A's, its value in a stream, A's canon of it, then B's own call
//! with both) on fuzzed `data`, with the execution budget of our patched AquaVM.
//!
//! Properties: no panic, no stack overflow, no unbounded allocation (libFuzzer's limits);
//! a run that ends with an error other than an uncaught catchable one returns the previous
//! data (none) and asks for no call, as spec §6.3 says.
#![no_main]

use std::sync::LazyLock;

use fluence_core::avm::{run, AvmLimits};
use fluence_core::{KeyPair, Particle};
use libfuzzer_sys::fuzz_target;

include!("../src/avm_data_script.rs");

/// Peer B and the particle.
static TARGET: LazyLock<(KeyPair, Particle)> = LazyLock::new(|| {
    let (_, b, particle) = avm_data_particle();
    (b, particle)
});

fuzz_target!(|data: &[u8]| {
    let (b, particle) = &*TARGET;
    let o = run(b, particle, data.to_vec(), vec![], &[], AvmLimits::JS)
        .expect("the script is shallow and there are no call results to encode");
    if o.ret_code != 0 && !o.is_uncaught_catchable() {
        assert!(o.data.is_empty(), "ret_code {}: data came back", o.ret_code);
        assert!(o.call_requests.is_empty() && o.next_peer_pks.is_empty());
    }
});
