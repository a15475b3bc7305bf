// The particle of the `avm_data` target, included by it and by the seed generator (the
// particle id salts the data's signatures, so both must make the same one): peer `a`
// calls a service and puts the value in a stream, canonicalizes it, and peer `b` calls
// `op.identity` with both. Returns `a`, `b` and the particle.
fn avm_data_particle() -> (KeyPair, KeyPair, Particle) {
    let a = KeyPair::from_seed([2; 32]);
    let b = KeyPair::from_seed([3; 32]);
    let (pa, pb) = (a.peer_id().to_string(), b.peer_id().to_string());
    let script = format!(
        r#"(seq (seq (call "{pa}" ("s" "v") [] x) (seq (ap x $s) (canon "{pa}" $s #cc))) (seq (call "{pb}" ("op" "identity") [#cc x] y) (call "{pa}" ("s" "done") [y])))"#
    );
    let particle = Particle::new_signed(&a, "fuzz".into(), script, 1_000, 60_000);
    (a, b, particle)
}
