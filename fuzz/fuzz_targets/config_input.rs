//! Config input as apps give it: the relay multiaddr with its `/p2p/<peer id>`, the
//! WebSocket URL made from it, PeerIds (service calls, `init_peer_id`), and secret keys in
//! js-client's base64 / base58 forms.
//!
//! Properties: no panic for any string; an accepted relay address prints back to a string
//! that parses to the same address.
#![no_main]

use fluence_core::keys::{public_key_of, validate_peer_id};
use fluence_core::KeyPair;
use fluence_net::{relay_address, websocket_url};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok((addr, peer)) = relay_address(text) {
        let _ = websocket_url(&addr);
        let (again, peer2) = relay_address(&addr.to_string()).expect("a printed address parses");
        assert_eq!(again, addr);
        assert_eq!(peer2, peer);
    }
    if validate_peer_id(text).is_ok() {
        let _ = public_key_of(text);
    }
    let _ = KeyPair::from_base58_sk(text);
    let _ = KeyPair::from_base64_sk(text);
});
