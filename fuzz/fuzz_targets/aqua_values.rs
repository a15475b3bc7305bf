//! `js2aqua` / `aqua2js` over arbitrary JSON values and type descriptors. The input is
//! `<type descriptor JSON> NUL <value JSON>`.
//!
//! Properties: no panic, no stack overflow (serde_json's depth limit bounds both trees);
//! what `js2aqua` accepts `aqua2js` converts back, and converting that again gives the same
//! AIR value (a fixpoint: the round trip loses nothing AIR sees).
#![no_main]

use fluence_core::aqua::{aqua2js, js2aqua, AquaType};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|input: &[u8]| {
    let mut parts = input.splitn(2, |b| *b == 0);
    let (Some(ty), Some(value)) = (parts.next(), parts.next()) else {
        return;
    };
    let (Ok(ty), Ok(value)) = (std::str::from_utf8(ty), std::str::from_utf8(value)) else {
        return;
    };
    let Ok(ty) = AquaType::from_json(ty) else {
        return;
    };
    let Ok(v) = serde_json::from_str::<Value>(value) else {
        return;
    };
    let path = ["arg".to_string()];
    let _ = aqua2js(&v, &ty, &path);
    if let Ok(air) = js2aqua(&v, &ty, &path) {
        let js = aqua2js(&air, &ty, &path).expect("aqua2js takes what js2aqua gave");
        let air2 = js2aqua(&js, &ty, &path).expect("js2aqua takes what aqua2js gave back");
        assert_eq!(air, air2, "the round trip changed the AIR value");
    }
});
