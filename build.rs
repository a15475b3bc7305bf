//! Links the Wasm build with an 8 MiB stack instead of the default 1 MiB.
//!
//! AquaVM recurses once per nested instruction and once per iteration of a fold; with
//! 1 MiB, a fold over ~300 elements overflowed the stack ("memory access out of bounds",
//! which kills the client). With 8 MiB the limit is V8's own stack (~6,000 levels in a
//! page, ~1,900 in a Web Worker), and the budget in `vendor/aquavm-air` (`max_depth`:
//! `CLIENT_MAX_DEPTH`, 1,000 levels) stops a run before.
//! The pages are reserved in linear memory but only committed when used.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg=-zstack-size=8388608");
    }
}
