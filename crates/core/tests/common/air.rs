/// The compiled AIR of a function in tests/aqua/core.aqua (the crates' integration
/// tests include this file: `crates/<crate>/tests/...`).
#[macro_export]
macro_rules! air {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/aqua/core/",
            $name,
            ".air"
        ))
    };
}
