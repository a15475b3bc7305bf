//! Builtin services (spec §7): what js-client registers on every peer (§7.1) and what
//! nox answers (§7.2). The two differ in a few return values; [`Flavor`] picks one.
//!
//! Errors are returned as `("<service>" "<function>") <message>`, as js-client does.

use serde_json::{json, Map, Value};
use sha2::Digest as _;

use crate::avm::SecurityTetraplet;
use crate::keys::{self, KeyPair};

/// Whose builtin semantics to follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// js-client 0.9.0 (a client peer): `op.noop` → `{}`, `op.sha256_string` hashes.
    Js,
    /// nox 0.28.2 (a relay): `op.noop` → `""`, `op.sha256_string` wraps the input.
    Nox,
}

/// What a builtin call produced.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The value to return.
    Ok(Value),
    /// An error message (becomes `ret_code 1`).
    Err(String),
    /// `peer.timeout`: return `value` after `delay_ms`.
    Timeout {
        /// Delay in ms.
        delay_ms: u64,
        /// Value to return then.
        value: Value,
    },
    /// `run-console.print`: print the line, return `value`.
    Print {
        /// The text to print.
        line: String,
        /// Value to return.
        value: Value,
    },
}

/// What a builtin needs to know about the peer and the call.
pub struct Context<'a> {
    /// Semantics to follow.
    pub flavor: Flavor,
    /// Current time, Unix ms.
    pub now_ms: u64,
    /// This peer's key (for `sig`).
    pub key: &'a KeyPair,
    /// The particle's init peer.
    pub init_peer_id: &'a str,
    /// Tetraplets of the arguments.
    pub tetraplets: &'a [Vec<SecurityTetraplet>],
    /// The particle's id (for `tracingSrv` lines).
    pub particle_id: &'a str,
    /// The peer's external addresses (multiaddrs), as `peer.identify` reports them.
    pub external_addresses: &'a [String],
    /// The host's security guard of `sig.sign` (called only for that function); `None`:
    /// js-client's default guard, [`default_sig_guard`].
    pub sign_allowed: Option<&'a dyn Fn() -> bool>,
}

/// Services this module answers (besides the peer's own PeerId, an alias of `sig`).
pub const SERVICES: &[&str] = &[
    "op",
    "peer",
    "debug",
    "math",
    "cmp",
    "array",
    "json",
    "run-console",
    "sig",
    "kad",
    "srv",
    "dist",
    "script",
];

type R = Result<Value, String>;

/// Calls builtin `service.function`. `None` when `service` is not a builtin service.
pub fn call(ctx: &Context<'_>, service: &str, function: &str, args: &[Value]) -> Option<Outcome> {
    let service_norm = if service == ctx.key.peer_id() {
        "sig"
    } else {
        service
    };
    let res: R = match service_norm {
        "op" => op(ctx.flavor, function, args),
        "peer" => match peer(ctx, function, args) {
            Ok(o) => return Some(o),
            Err(e) => Err(e),
        },
        "debug" => debug(function, args),
        "math" => math(ctx.flavor, function, args),
        "cmp" => cmp(function, args),
        "array" => array(function, args),
        "json" => json_srv(function, args),
        "run-console" if function == "print" => {
            let line = args.iter().map(display).collect::<Vec<_>>().join(" ");
            return Some(Outcome::Print {
                line,
                value: empty(ctx.flavor),
            });
        }
        "sig" => sig(ctx, function, args),
        // js-client's Tracing service (Aqua compiled with tracing calls it); nox has none.
        "tracingSrv" if ctx.flavor == Flavor::Js => match function {
            "tracingEvent" => {
                if let Err(e) = arity(args, 2) {
                    return Some(Outcome::Err(format!("(\"{service}\" \"{function}\") {e}")));
                }
                return Some(Outcome::Print {
                    line: format!(
                        "[{}] ({}) {}",
                        ctx.particle_id,
                        display(&args[0]),
                        display(&args[1])
                    ),
                    value: Value::Null,
                });
            }
            _ => Err(no_function(function)),
        },
        "kad" | "srv" | "dist" | "script" => Err(not_supported(service, function)),
        _ if SERVICES.contains(&service_norm) => Err(no_function(function)),
        _ => return None,
    };
    Some(match res {
        Ok(v) => Outcome::Ok(v),
        Err(e) => Outcome::Err(format!("(\"{service}\" \"{function}\") {e}")),
    })
}

fn no_function(function: &str) -> String {
    format!("function {function:?} not found")
}

fn not_supported(service: &str, function: &str) -> String {
    format!("fluence-client does not support \"{service}.{function}\"")
}

fn empty(flavor: Flavor) -> Value {
    match flavor {
        Flavor::Js => json!({}),
        Flavor::Nox => json!(""),
    }
}

fn display(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn arity(args: &[Value], n: usize) -> Result<(), String> {
    if args.len() == n {
        Ok(())
    } else {
        Err(format!(
            "expected {n} argument{}, got {}",
            if n == 1 { "" } else { "s" },
            args.len()
        ))
    }
}

fn as_str<'a>(v: &'a Value, what: &str) -> Result<&'a str, String> {
    v.as_str()
        .ok_or_else(|| format!("{what} must be a string, got {v}"))
}

fn as_array<'a>(v: &'a Value, what: &str) -> Result<&'a Vec<Value>, String> {
    v.as_array()
        .ok_or_else(|| format!("{what} must be an array, got {v}"))
}

fn as_bytes(v: &Value, what: &str) -> Result<Vec<u8>, String> {
    as_array(v, what)?
        .iter()
        .map(|b| {
            b.as_u64()
                .filter(|b| *b <= 255)
                .map(|b| b as u8)
                .ok_or_else(|| format!("{what} must be an array of bytes 0..=255, got {b}"))
        })
        .collect()
}

fn bytes_json(b: &[u8]) -> Value {
    Value::Array(b.iter().map(|x| json!(x)).collect())
}

fn op(flavor: Flavor, f: &str, a: &[Value]) -> R {
    match f {
        "noop" => Ok(empty(flavor)),
        "array" => Ok(Value::Array(a.to_vec())),
        "array_length" => {
            arity(a, 1)?;
            Ok(json!(as_array(&a[0], "argument")?.len()))
        }
        "identity" => match a.len() {
            0 => Ok(empty(flavor)),
            1 => Ok(a[0].clone()),
            n => Err(format!("identity takes at most 1 argument, got {n}")),
        },
        "concat" => {
            let mut out = Vec::new();
            for (i, x) in a.iter().enumerate() {
                out.extend(as_array(x, &format!("argument {i}"))?.iter().cloned());
            }
            Ok(Value::Array(out))
        }
        "concat_strings" => {
            let mut out = String::new();
            for (i, x) in a.iter().enumerate() {
                out.push_str(as_str(x, &format!("argument {i}"))?);
            }
            Ok(json!(out))
        }
        "string_to_b58" => {
            arity(a, 1)?;
            Ok(json!(bs58::encode(as_str(&a[0], "argument")?).into_string()))
        }
        "string_from_b58" => {
            arity(a, 1)?;
            let b = b58(&a[0])?;
            String::from_utf8(b)
                .map(Value::String)
                .map_err(|_| "decoded bytes are not UTF-8".to_string())
        }
        "bytes_to_b58" => {
            arity(a, 1)?;
            Ok(json!(
                bs58::encode(as_bytes(&a[0], "argument")?).into_string()
            ))
        }
        "bytes_from_b58" => {
            arity(a, 1)?;
            Ok(bytes_json(&b58(&a[0])?))
        }
        "sha256_string" => sha256_string(flavor, a),
        _ => Err(no_function(f)),
    }
}

fn b58(v: &Value) -> Result<Vec<u8>, String> {
    bs58::decode(as_str(v, "argument")?)
        .into_vec()
        .map_err(|e| format!("invalid base58: {e}"))
}

fn sha256_string(flavor: Flavor, a: &[Value]) -> R {
    match flavor {
        Flavor::Js => {
            arity(a, 1)?;
            let digest = sha2::Sha256::digest(as_str(&a[0], "argument")?.as_bytes());
            let mut mh = vec![0x12, 0x20];
            mh.extend_from_slice(&digest);
            Ok(json!(bs58::encode(mh).into_string()))
        }
        Flavor::Nox => {
            // nox wraps the raw input in a multihash with code 0x12 (no hashing).
            if a.is_empty() || a.len() > 3 {
                return Err(format!("expected 1 to 3 arguments, got {}", a.len()));
            }
            let s = as_str(&a[0], "argument")?.as_bytes();
            if s.len() > 64 {
                return Err(format!("input of {} bytes exceeds 64", s.len()));
            }
            let flag = |i: usize| a.get(i).and_then(Value::as_bool).unwrap_or(false);
            let bytes = if flag(1) {
                s.to_vec()
            } else {
                let mut mh = vec![0x12, s.len() as u8];
                mh.extend_from_slice(s);
                mh
            };
            Ok(if flag(2) {
                bytes_json(&bytes)
            } else {
                json!(bs58::encode(bytes).into_string())
            })
        }
    }
}

fn peer(ctx: &Context<'_>, f: &str, a: &[Value]) -> Result<Outcome, String> {
    let ok = |v| Ok(Outcome::Ok(v));
    match f {
        "identify" => ok(match ctx.flavor {
            Flavor::Js => json!({
                "external_addresses": ctx.external_addresses,
                "node_version": concat!("fluence-client-", env!("CARGO_PKG_VERSION")),
                "air_version": crate::avm::interpreter_version(),
            }),
            Flavor::Nox => json!({
                "external_addresses": ctx.external_addresses,
                "node_version": concat!("fluence-relay-", env!("CARGO_PKG_VERSION")),
                "air_version": crate::avm::interpreter_version(),
                "spell_version": "",
                "allowed_binaries": [],
                "vm_info": null,
            }),
        }),
        "timestamp_ms" => ok(json!(ctx.now_ms)),
        "timestamp_sec" => ok(json!(ctx.now_ms / 1000)),
        "timeout" => {
            if a.is_empty() || a.len() > 2 {
                return Err(format!("expected 1 or 2 arguments, got {}", a.len()));
            }
            let delay_ms = a[0]
                .as_u64()
                .ok_or_else(|| format!("duration must be a non-negative integer, got {}", a[0]))?;
            let value = match a.get(1) {
                Some(m) => json!(as_str(m, "message")?),
                None => json!(""),
            };
            Ok(Outcome::Timeout { delay_ms, value })
        }
        "is_connected" | "connect" | "get_contact" => Err(not_supported("peer", f)),
        _ => Err(no_function(f)),
    }
}

fn debug(f: &str, a: &[Value]) -> R {
    if f != "stringify" {
        return Err(no_function(f));
    }
    let v = match a.len() {
        0 => json!("<empty argument list>"),
        1 => a[0].clone(),
        _ => Value::Array(a.to_vec()),
    };
    Ok(json!(pretty4(&v)))
}

/// JSON text with 4-space indentation, like `JSON.stringify(v, null, 4)`.
fn pretty4(v: &Value) -> String {
    let mut out = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
    serde::Serialize::serialize(v, &mut ser).expect("serializing a Value cannot fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

fn num(v: &Value, what: &str) -> Result<f64, String> {
    v.as_f64()
        .ok_or_else(|| format!("{what} must be a number, got {v}"))
}

fn int(v: &Value, what: &str) -> Result<i64, String> {
    v.as_i64()
        .ok_or_else(|| format!("{what} must be an integer, got {v}"))
}

/// A number result: an integer when it is one, else a float; never NaN or infinite.
fn number(x: f64) -> R {
    if !x.is_finite() {
        return Err(format!("result {x} is not a finite number"));
    }
    if x.fract() == 0.0 && x.abs() < 9_007_199_254_740_992.0 {
        Ok(json!(x as i64))
    } else {
        Ok(json!(x))
    }
}

fn math(flavor: Flavor, f: &str, a: &[Value]) -> R {
    arity(a, 2)?;
    let both_int = a[0].is_i64() && a[1].is_i64();
    let overflow = || "integer overflow".to_string();
    if both_int || flavor == Flavor::Nox {
        let (x, y) = (int(&a[0], "x")?, int(&a[1], "y")?);
        return match f {
            "add" => x.checked_add(y).map(|v| json!(v)).ok_or_else(overflow),
            "sub" => x.checked_sub(y).map(|v| json!(v)).ok_or_else(overflow),
            "mul" => x.checked_mul(y).map(|v| json!(v)).ok_or_else(overflow),
            "fmul" => number((x as f64 * y as f64).floor()),
            "div" if y == 0 => Err("division by zero".into()),
            "div" => {
                // Floor division, as JS's Math.floor(x / y).
                let q = x.checked_div_euclid(y).ok_or_else(overflow)?;
                Ok(json!(q - i64::from(x.rem_euclid(y) != 0 && y < 0)))
            }
            "rem" if y == 0 => Err("division by zero".into()),
            "rem" => x.checked_rem(y).map(|v| json!(v)).ok_or_else(overflow),
            "pow" => {
                let e = u32::try_from(y).map_err(|_| format!("exponent {y} out of range"))?;
                x.checked_pow(e).map(|v| json!(v)).ok_or_else(overflow)
            }
            "log" if flavor == Flavor::Nox => {
                if x < 2 || y < 1 {
                    return Err(format!("log base {x} of {y} is undefined"));
                }
                Ok(json!(y.ilog(x)))
            }
            "log" => log(x as f64, y as f64),
            _ => Err(no_function(f)),
        };
    }
    let (x, y) = (num(&a[0], "x")?, num(&a[1], "y")?);
    match f {
        "add" => number(x + y),
        "sub" => number(x - y),
        "mul" => number(x * y),
        "fmul" => number((x * y).floor()),
        "div" if y == 0.0 => Err("division by zero".into()),
        "div" => number((x / y).floor()),
        "rem" if y == 0.0 => Err("division by zero".into()),
        "rem" => number(x % y),
        "pow" => number(x.powf(y)),
        "log" => log(x, y),
        _ => Err(no_function(f)),
    }
}

fn log(x: f64, y: f64) -> R {
    if x <= 0.0 || x == 1.0 || y <= 0.0 {
        return Err(format!("log base {x} of {y} is undefined"));
    }
    number(y.ln() / x.ln())
}

fn cmp(f: &str, a: &[Value]) -> R {
    arity(a, 2)?;
    let (x, y) = (num(&a[0], "x")?, num(&a[1], "y")?);
    Ok(match f {
        "gt" => json!(x > y),
        "gte" => json!(x >= y),
        "lt" => json!(x < y),
        "lte" => json!(x <= y),
        "cmp" => json!(if x < y {
            -1
        } else if x > y {
            1
        } else {
            0
        }),
        _ => return Err(no_function(f)),
    })
}

fn array(f: &str, a: &[Value]) -> R {
    let two = |a: &[Value]| -> Result<(Vec<Value>, Vec<Value>), String> {
        arity(a, 2)?;
        Ok((
            as_array(&a[0], "first argument")?.clone(),
            as_array(&a[1], "second argument")?.clone(),
        ))
    };
    match f {
        "sum" => {
            arity(a, 1)?;
            let xs = as_array(&a[0], "argument")?;
            if xs.iter().all(Value::is_i64) {
                xs.iter()
                    .try_fold(0i64, |s, x| s.checked_add(x.as_i64().unwrap_or(0)))
                    .map(|v| json!(v))
                    .ok_or_else(|| "integer overflow".into())
            } else {
                let mut s = 0.0;
                for x in xs {
                    s += num(x, "element")?;
                }
                number(s)
            }
        }
        "dedup" => {
            arity(a, 1)?;
            let mut out: Vec<Value> = Vec::new();
            for x in as_array(&a[0], "argument")? {
                if !out.contains(x) {
                    out.push(x.clone());
                }
            }
            Ok(Value::Array(out))
        }
        "intersect" => {
            let (x, y) = two(a)?;
            Ok(Value::Array(
                x.into_iter().filter(|v| y.contains(v)).collect(),
            ))
        }
        "diff" => {
            let (x, y) = two(a)?;
            Ok(Value::Array(
                x.into_iter().filter(|v| !y.contains(v)).collect(),
            ))
        }
        "sdiff" => {
            let (x, y) = two(a)?;
            let mut out: Vec<Value> = x.iter().filter(|v| !y.contains(v)).cloned().collect();
            out.extend(y.iter().filter(|v| !x.contains(v)).cloned());
            Ok(Value::Array(out))
        }
        "length" => {
            arity(a, 1)?;
            Ok(json!(as_array(&a[0], "argument")?.len()))
        }
        "slice" => {
            arity(a, 3)?;
            let xs = as_array(&a[0], "array")?;
            let from = a[1]
                .as_u64()
                .ok_or("start must be a non-negative integer")? as usize;
            let to = a[2].as_u64().ok_or("end must be a non-negative integer")? as usize;
            if from > to || to > xs.len() {
                return Err(format!(
                    "slice {from}..{to} out of bounds for length {}",
                    xs.len()
                ));
            }
            Ok(Value::Array(xs[from..to].to_vec()))
        }
        _ => Err(no_function(f)),
    }
}

fn put_pairs(obj: &mut Map<String, Value>, kvs: &[Value]) -> Result<(), String> {
    for kv in kvs.chunks(2) {
        let k = as_str(&kv[0], "key")?;
        obj.insert(k.to_string(), kv[1].clone());
    }
    Ok(())
}

fn as_object(v: &Value) -> Result<Map<String, Value>, String> {
    v.as_object()
        .cloned()
        .ok_or_else(|| format!("first argument must be an object, got {v}"))
}

fn pairs(v: &Value) -> Result<Vec<Value>, String> {
    let mut kvs = Vec::new();
    for p in as_array(v, "pairs")? {
        match p.as_array().map(Vec::as_slice) {
            Some([k, v]) => kvs.extend([k.clone(), v.clone()]),
            _ => return Err(format!("each pair must be [key, value], got {p}")),
        }
    }
    Ok(kvs)
}

fn json_srv(f: &str, a: &[Value]) -> R {
    match f {
        "obj" => {
            if a.len() % 2 != 0 {
                return Err(format!(
                    "expected an even number of arguments, got {}",
                    a.len()
                ));
            }
            let mut m = Map::new();
            put_pairs(&mut m, a)?;
            Ok(Value::Object(m))
        }
        "put" => {
            arity(a, 3)?;
            let mut m = as_object(&a[0])?;
            put_pairs(&mut m, &a[1..])?;
            Ok(Value::Object(m))
        }
        "puts" => {
            if a.len() < 3 || a.len() % 2 == 0 {
                return Err(format!(
                    "expected an odd number of arguments, at least 3, got {}",
                    a.len()
                ));
            }
            let mut m = as_object(&a[0])?;
            put_pairs(&mut m, &a[1..])?;
            Ok(Value::Object(m))
        }
        "obj_pairs" => {
            arity(a, 1)?;
            let mut m = Map::new();
            put_pairs(&mut m, &pairs(&a[0])?)?;
            Ok(Value::Object(m))
        }
        "puts_pairs" => {
            arity(a, 2)?;
            let mut m = as_object(&a[0])?;
            put_pairs(&mut m, &pairs(&a[1])?)?;
            Ok(Value::Object(m))
        }
        "stringify" => {
            arity(a, 1)?;
            Ok(json!(a[0].to_string()))
        }
        "parse" => {
            arity(a, 1)?;
            serde_json::from_str(as_str(&a[0], "argument")?)
                .map_err(|e| format!("invalid JSON: {e}"))
        }
        _ => Err(no_function(f)),
    }
}

/// `(service_id, function_name)` pairs whose output `sig.sign` may sign (js-client's default guard).
const SIGNABLE: &[(&str, &str)] = &[
    ("trust-graph", "get_trust_bytes"),
    ("trust-graph", "get_revocation_bytes"),
    ("registry", "get_key_bytes"),
    ("registry", "get_record_bytes"),
    ("registry", "get_record_metadata_bytes"),
    ("registry", "get_tombstone_bytes"),
];

/// js-client's default guard of `sig.sign`: the particle was started by this peer, and
/// the data comes from one of the trust-graph / registry functions that produce bytes to
/// sign.
pub fn default_sig_guard(
    own_peer_id: &str,
    init_peer_id: &str,
    tetraplets: &[Vec<SecurityTetraplet>],
) -> bool {
    init_peer_id == own_peer_id
        && tetraplets
            .first()
            .and_then(|t| t.first())
            .is_some_and(|t| SIGNABLE.contains(&(t.service_id.as_str(), t.function_name.as_str())))
}

fn sig(ctx: &Context<'_>, f: &str, a: &[Value]) -> R {
    match f {
        "get_peer_id" => {
            arity(a, 0)?;
            Ok(json!(ctx.key.peer_id()))
        }
        "sign" => {
            arity(a, 1)?;
            let data = as_bytes(&a[0], "data")?;
            let allowed = match ctx.sign_allowed {
                Some(guard) => guard(),
                None => default_sig_guard(ctx.key.peer_id(), ctx.init_peer_id, ctx.tetraplets),
            };
            if !allowed {
                return Ok(json!({
                    "success": false,
                    "error": ["Security guard validation failed"],
                    "signature": [],
                }));
            }
            Ok(json!({
                "success": true,
                "error": [],
                "signature": [bytes_json(&ctx.key.sign(&data))],
            }))
        }
        "verify" => {
            arity(a, 2)?;
            let signature = as_bytes(&a[0], "signature")?;
            let data = as_bytes(&a[1], "data")?;
            Ok(json!(keys::verify_with_peer_id(
                ctx.key.peer_id(),
                &data,
                &signature
            )
            .is_ok()))
        }
        _ => Err(no_function(f)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> KeyPair {
        KeyPair::from_seed([5; 32])
    }

    /// A context for `key`'s own particle, no tetraplets, no external addresses.
    fn context(flavor: Flavor, key: &KeyPair) -> Context<'_> {
        Context {
            flavor,
            now_ms: 1_700_000_123_456,
            key,
            init_peer_id: key.peer_id(),
            tetraplets: &[],
            particle_id: "p",
            sign_allowed: None,
            external_addresses: &[],
        }
    }

    fn run_with(flavor: Flavor, svc: &str, f: &str, args: Value) -> Outcome {
        let k = key();
        let ctx = context(flavor, &k);
        call(&ctx, svc, f, args.as_array().unwrap()).expect("builtin service")
    }

    /// js-client 0.9.0's builtin list (`builtInServices` in its services/builtins.js,
    /// plus the services its peer registers: sig, tracingSrv), function by function.
    const JS_CLIENT_BUILTINS: &[(&str, &str)] = &[
        ("peer", "identify timestamp_ms timestamp_sec is_connected connect get_contact timeout"),
        ("kad", "neighborhood merge"),
        ("srv", "list create get_interface resolve_alias add_alias remove"),
        ("dist", "add_module_from_vault add_module add_blueprint make_module_config load_module_config default_module_config make_blueprint load_blueprint list_modules get_module_interface list_blueprints"),
        ("script", "add remove list"),
        ("op", "noop array array_length identity concat string_to_b58 string_from_b58 bytes_to_b58 bytes_from_b58 sha256_string concat_strings"),
        ("debug", "stringify"),
        ("math", "add sub mul fmul div rem pow log"),
        ("cmp", "gt gte lt lte cmp"),
        ("array", "sum dedup intersect diff sdiff"),
        ("json", "obj put puts stringify parse"),
        ("run-console", "print"),
        ("sig", "get_peer_id sign verify"),
        ("tracingSrv", "tracingEvent"),
    ];

    #[test]
    fn every_builtin_of_js_client_is_answered() {
        let k = key();
        let ctx = context(Flavor::Js, &k);
        for (service, functions) in JS_CLIENT_BUILTINS {
            for function in functions.split(' ') {
                let outcome = call(&ctx, service, function, &[])
                    .unwrap_or_else(|| panic!("{service}.{function}: not a builtin"));
                if let Outcome::Err(e) = outcome {
                    assert!(!e.contains("not found"), "{service}.{function}: {e}");
                }
            }
        }
    }

    #[test]
    fn tracing_events_are_printed_as_js_client_prints_them() {
        assert_eq!(
            run_with(
                Flavor::Js,
                "tracingSrv",
                "tracingEvent",
                json!(["greet", "start"])
            ),
            Outcome::Print {
                line: "[p] (greet) start".into(),
                value: Value::Null
            }
        );
        assert!(matches!(
            run_with(Flavor::Js, "tracingSrv", "tracingEvent", json!(["only one"])),
            Outcome::Err(e) if e.starts_with("(\"tracingSrv\" \"tracingEvent\")")
        ));
        let k = key();
        let ctx = context(Flavor::Nox, &k);
        assert_eq!(
            call(
                &ctx,
                "tracingSrv",
                "tracingEvent",
                &[json!("a"), json!("b")]
            ),
            None,
            "nox has no tracingSrv"
        );
    }

    fn ok(svc: &str, f: &str, args: Value) -> Value {
        match run_with(Flavor::Js, svc, f, args) {
            Outcome::Ok(v) => v,
            other => panic!("{svc}.{f}: {other:?}"),
        }
    }

    fn nox(svc: &str, f: &str, args: Value) -> Value {
        match run_with(Flavor::Nox, svc, f, args) {
            Outcome::Ok(v) => v,
            other => panic!("{svc}.{f}: {other:?}"),
        }
    }

    fn err(svc: &str, f: &str, args: Value) -> String {
        match run_with(Flavor::Js, svc, f, args) {
            Outcome::Err(e) => {
                assert!(e.starts_with(&format!("(\"{svc}\" \"{f}\") ")), "{e}");
                e
            }
            other => panic!("{svc}.{f} should fail: {other:?}"),
        }
    }

    #[test]
    fn unknown_service_is_not_a_builtin() {
        let k = key();
        let ctx = Context {
            init_peer_id: "x",
            ..context(Flavor::Js, &k)
        };
        assert!(call(&ctx, "chat", "send", &[]).is_none());
        assert!(err("op", "nope", json!([])).contains("not found"));
    }

    #[test]
    fn op_noop_and_identity() {
        assert_eq!(ok("op", "noop", json!([])), json!({}));
        assert_eq!(nox("op", "noop", json!([])), json!(""));
        assert_eq!(ok("op", "identity", json!(["hi"])), json!("hi"));
        assert_eq!(ok("op", "identity", json!([])), json!({}));
        assert_eq!(nox("op", "identity", json!([])), json!(""));
        err("op", "identity", json!([1, 2]));
    }

    #[test]
    fn op_arrays() {
        assert_eq!(ok("op", "array", json!([1, "a"])), json!([1, "a"]));
        assert_eq!(ok("op", "array", json!([])), json!([]));
        assert_eq!(ok("op", "array_length", json!([[1, 2, 3]])), json!(3));
        err("op", "array_length", json!(["x"]));
        err("op", "array_length", json!([]));
        assert_eq!(
            ok("op", "concat", json!([[1], [], [2, 3]])),
            json!([1, 2, 3])
        );
        err("op", "concat", json!([[1], 2]));
    }

    #[test]
    fn op_strings_and_b58() {
        assert_eq!(
            ok("op", "concat_strings", json!(["a", "b", "c"])),
            json!("abc")
        );
        err("op", "concat_strings", json!(["a", 1]));
        let b = ok("op", "string_to_b58", json!(["hello"]));
        assert_eq!(b, json!("Cn8eVZg"));
        assert_eq!(ok("op", "string_from_b58", json!([b])), json!("hello"));
        err("op", "string_from_b58", json!(["0OIl"]));
        assert_eq!(ok("op", "bytes_to_b58", json!([[1, 2, 3]])), json!("Ldp"));
        assert_eq!(ok("op", "bytes_from_b58", json!(["Ldp"])), json!([1, 2, 3]));
        err("op", "bytes_to_b58", json!([[256]]));
        err("op", "string_to_b58", json!([5]));
    }

    #[test]
    fn op_sha256_string_js_hashes_nox_wraps() {
        // sha256("hello") = 2cf24dba…; multihash 12 20 ‖ digest, base58.
        let js = ok("op", "sha256_string", json!(["hello"]));
        let bytes = bs58::decode(js.as_str().unwrap()).into_vec().unwrap();
        assert_eq!(&bytes[..2], &[0x12, 0x20]);
        assert_eq!(
            hex::encode(&bytes[2..]),
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
        );
        let n = nox("op", "sha256_string", json!(["hello"]));
        assert_eq!(
            bs58::decode(n.as_str().unwrap()).into_vec().unwrap(),
            b"\x12\x05hello"
        );
        assert_eq!(
            nox("op", "sha256_string", json!(["hi", true, true])),
            json!([104, 105])
        );
        match run_with(Flavor::Nox, "op", "sha256_string", json!(["x".repeat(65)])) {
            Outcome::Err(e) => assert!(e.contains("exceeds 64")),
            o => panic!("{o:?}"),
        }
        err("op", "sha256_string", json!([]));
    }

    #[test]
    fn peer_functions() {
        assert_eq!(
            ok("peer", "timestamp_ms", json!([])),
            json!(1_700_000_123_456u64)
        );
        assert_eq!(
            ok("peer", "timestamp_sec", json!([])),
            json!(1_700_000_123u64)
        );
        let id = ok("peer", "identify", json!([]));
        assert_eq!(id["air_version"], json!("0.63.0"));
        assert_eq!(id["external_addresses"], json!([]));
        assert!(nox("peer", "identify", json!([]))
            .get("spell_version")
            .is_some());
        assert_eq!(
            run_with(Flavor::Js, "peer", "timeout", json!([250, "done"])),
            Outcome::Timeout {
                delay_ms: 250,
                value: json!("done")
            }
        );
        assert_eq!(
            run_with(Flavor::Nox, "peer", "timeout", json!([5])),
            Outcome::Timeout {
                delay_ms: 5,
                value: json!("")
            }
        );
        err("peer", "timeout", json!([-1, "x"]));
        err("peer", "timeout", json!([]));
        assert!(err("peer", "connect", json!(["x"])).contains("does not support"));
        assert!(err("kad", "neighborhood", json!([])).contains("does not support"));
    }

    #[test]
    fn debug_stringify() {
        assert_eq!(
            ok("debug", "stringify", json!([])),
            json!("\"<empty argument list>\"")
        );
        assert_eq!(ok("debug", "stringify", json!([1])), json!("1"));
        assert_eq!(
            ok("debug", "stringify", json!([1, "a"])),
            json!("[\n    1,\n    \"a\"\n]")
        );
        err("debug", "print", json!([]));
        // Any arguments are valid; nested values are rendered whole.
        assert_eq!(
            ok("debug", "stringify", json!([{"a": [1]}])),
            json!("{\n    \"a\": [\n        1\n    ]\n}")
        );
    }

    #[test]
    fn math_functions() {
        assert_eq!(ok("math", "add", json!([2, 3])), json!(5));
        assert_eq!(ok("math", "sub", json!([2, 3])), json!(-1));
        assert_eq!(ok("math", "mul", json!([4, -3])), json!(-12));
        assert_eq!(ok("math", "fmul", json!([3, 0.5])), json!(1));
        assert_eq!(ok("math", "div", json!([7, 2])), json!(3));
        assert_eq!(ok("math", "div", json!([-7, 2])), json!(-4));
        assert_eq!(ok("math", "rem", json!([7, 3])), json!(1));
        assert_eq!(ok("math", "pow", json!([2, 10])), json!(1024));
        assert_eq!(ok("math", "log", json!([2, 8])), json!(3));
        assert_eq!(nox("math", "log", json!([10, 999])), json!(2));
        assert_eq!(ok("math", "add", json!([0.5, 0.25])), json!(0.75));
        err("math", "div", json!([1, 0]));
        err("math", "rem", json!([1, 0]));
        err("math", "add", json!([i64::MAX, 1]));
        err("math", "add", json!(["1", 2]));
        err("math", "add", json!([1]));
        err("math", "log", json!([1, 5]));
        err("math", "pow", json!([2, -1]));
        match run_with(Flavor::Nox, "math", "add", json!([0.5, 1])) {
            Outcome::Err(e) => assert!(e.contains("integer")),
            o => panic!("{o:?}"),
        }
    }

    #[test]
    fn cmp_functions() {
        assert_eq!(ok("cmp", "gt", json!([2, 1])), json!(true));
        assert_eq!(ok("cmp", "gte", json!([1, 1])), json!(true));
        assert_eq!(ok("cmp", "lt", json!([2, 1])), json!(false));
        assert_eq!(ok("cmp", "lte", json!([1, 2])), json!(true));
        assert_eq!(ok("cmp", "cmp", json!([1, 2])), json!(-1));
        assert_eq!(ok("cmp", "cmp", json!([2, 2])), json!(0));
        assert_eq!(ok("cmp", "cmp", json!([3, 2])), json!(1));
        err("cmp", "gt", json!(["a", 1]));
        err("cmp", "gt", json!([1, 2, 3]));
    }

    #[test]
    fn array_functions() {
        assert_eq!(ok("array", "sum", json!([[1, 2, 3]])), json!(6));
        assert_eq!(ok("array", "sum", json!([[0.5, 1]])), json!(1.5));
        err("array", "sum", json!([["a"]]));
        assert_eq!(
            ok("array", "dedup", json!([["a", "b", "a", 1, 1]])),
            json!(["a", "b", 1])
        );
        assert_eq!(
            ok("array", "intersect", json!([[1, 2, 3], [2, 3, 4]])),
            json!([2, 3])
        );
        assert_eq!(ok("array", "diff", json!([[1, 2, 3], [2]])), json!([1, 3]));
        assert_eq!(ok("array", "sdiff", json!([[1, 2], [2, 3]])), json!([1, 3]));
        assert_eq!(ok("array", "length", json!([[1, 2]])), json!(2));
        assert_eq!(
            ok("array", "slice", json!([[1, 2, 3, 4], 1, 3])),
            json!([2, 3])
        );
        err("array", "slice", json!([[1], 0, 5]));
        err("array", "slice", json!([[1], -1, 1]));
        err("array", "intersect", json!([[1], 2]));
        err("array", "dedup", json!(["abc"]));
        err("array", "diff", json!([[1]]));
        err("array", "sdiff", json!([1, [1]]));
        err("array", "length", json!([{}]));
        err("array", "sum", json!([]));
    }

    #[test]
    fn json_functions() {
        assert_eq!(
            ok("json", "obj", json!(["a", 1, "b", 2])),
            json!({"a": 1, "b": 2})
        );
        err("json", "obj", json!(["a"]));
        err("json", "obj", json!([1, 1]));
        assert_eq!(
            ok("json", "put", json!([{"a": 1}, "b", 2])),
            json!({"a": 1, "b": 2})
        );
        err("json", "put", json!([[], "b", 2]));
        assert_eq!(
            ok("json", "puts", json!([{}, "a", 1, "b", 2])),
            json!({"a": 1, "b": 2})
        );
        err("json", "puts", json!([{}, "a"]));
        assert_eq!(
            ok("json", "stringify", json!([{"a": [1]}])),
            json!("{\"a\":[1]}")
        );
        assert_eq!(ok("json", "parse", json!(["{\"a\":1}"])), json!({"a": 1}));
        err("json", "parse", json!(["{"]));
        assert_eq!(
            ok("json", "obj_pairs", json!([[["a", 1]]])),
            json!({"a": 1})
        );
        assert_eq!(
            ok("json", "puts_pairs", json!([{"x": 0}, [["a", 1]]])),
            json!({"x": 0, "a": 1})
        );
        err("json", "obj_pairs", json!([[["a"]]]));
    }

    #[test]
    fn run_console_print() {
        assert_eq!(
            run_with(
                Flavor::Js,
                "run-console",
                "print",
                json!(["hi", 1, {"a": true}])
            ),
            Outcome::Print {
                line: "hi 1 {\"a\":true}".into(),
                value: json!({})
            }
        );
        err("run-console", "log", json!([]));
    }

    fn tetraplet(svc: &str, f: &str) -> SecurityTetraplet {
        SecurityTetraplet {
            peer_pk: "p".into(),
            service_id: svc.into(),
            function_name: f.into(),
            lens: String::new(),
        }
    }

    #[test]
    fn sig_sign_is_guarded_verify_and_peer_id() {
        let k = key();
        let data = json!([1, 2, 3]);
        let sign = |init: &str, t: Vec<Vec<SecurityTetraplet>>| {
            let ctx = Context {
                init_peer_id: init,
                tetraplets: &t,
                ..context(Flavor::Js, &k)
            };
            match call(&ctx, "sig", "sign", std::slice::from_ref(&data)).unwrap() {
                Outcome::Ok(v) => v,
                o => panic!("{o:?}"),
            }
        };
        let good = sign(
            k.peer_id(),
            vec![vec![tetraplet("registry", "get_record_bytes")]],
        );
        assert_eq!(good["success"], json!(true));
        let sigv = good["signature"][0].clone();
        assert_eq!(sigv.as_array().unwrap().len(), 64);
        let denied = json!({"success": false, "error": ["Security guard validation failed"], "signature": []});
        assert_eq!(
            sign(k.peer_id(), vec![vec![tetraplet("op", "identity")]]),
            denied
        );
        assert_eq!(
            sign(
                "someone-else",
                vec![vec![tetraplet("registry", "get_key_bytes")]]
            ),
            denied
        );
        assert_eq!(sign(k.peer_id(), vec![]), denied);

        assert_eq!(ok("sig", "verify", json!([sigv, [1, 2, 3]])), json!(true));
        assert_eq!(ok("sig", "verify", json!([sigv, [1, 2, 4]])), json!(false));
        assert_eq!(ok("sig", "verify", json!([[1, 2], [1]])), json!(false));
        err("sig", "verify", json!(["x", [1]]));
        err("sig", "sign", json!(["x"]));
        assert_eq!(ok("sig", "get_peer_id", json!([])), json!(k.peer_id()));
        // The peer's own PeerId is an alias of `sig`.
        assert_eq!(
            ok(k.peer_id(), "get_peer_id", json!([])),
            json!(k.peer_id())
        );
    }
}
