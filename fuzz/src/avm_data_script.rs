// The script of the `avm_data` target, included by it and by the seed generator: peer `a`
// calls a service and puts the value in a stream, canonicalizes it, and peer `b` calls
// `op.identity` with both.
fn avm_data_script(a: &str, b: &str) -> String {
    format!(
        r#"(seq (seq (call "{a}" ("s" "v") [] x) (seq (ap x $s) (canon "{a}" $s #cc))) (seq (call "{b}" ("op" "identity") [#cc x] y) (call "{a}" ("s" "done") [y])))"#
    )
}
