//! The particle decoder (multicodec + msgpack map; `bin` and int-array forms of `data` and
//! `signature`, every msgpack integer width of `timestamp`).
//!
//! Properties: no panic; an accepted particle has a valid PeerId, a 64-byte signature,
//! `ttl > 0` and a deadline; it re-encodes to a payload that decodes to the same particle;
//! checking its signature and its expiry does not panic.
#![no_main]

use fluence_core::keys::validate_peer_id;
use fluence_core::Particle;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|payload: &[u8]| {
    let Ok(p) = Particle::from_payload(payload) else {
        return;
    };
    assert!(validate_peer_id(&p.init_peer_id).is_ok());
    assert_eq!(p.signature.len(), 64);
    assert!(p.ttl > 0);
    let deadline = p.deadline().expect("accepted particles have a deadline");
    let again = Particle::from_payload(&p.to_payload()).expect("re-encoded payload decodes");
    assert!(again == p, "re-encoded particle differs");
    assert!(again.same_signed_fields(&p));
    let _ = p.verify();
    for now in [0, p.timestamp, deadline, u64::MAX] {
        let _ = p.is_expired(now);
        let _ = p.time_left(now);
    }
});
