//! Compiled Aqua's contract (spec §9.3): the type descriptors the Aqua compiler emits
//! (`FunctionCallDef`, `ServiceDef`), the value conversions `js2aqua` / `aqua2js`, and
//! the argument rules of `v5_callFunction` / `v5_registerService`.
//!
//! Values are JSON ([`serde_json::Value`]); the host (the wasm layer) only tells which
//! arguments are functions. Differences from js-client 0.9.0, all on inputs js-client
//! accepts and then mangles: integer scalars are checked to be integers in range
//! (js-client only checks `typeof == "number"`), a wrong argument count is an error
//! naming the parameters (js-client: "Array length doesn't match" or silently ignored
//! extra arguments), and mismatch paths are complete in both directions.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// An Aqua type descriptor (`tag` in the compiler's JSON).
#[derive(Debug, Clone, PartialEq)]
pub enum AquaType {
    /// `nil`: no value (`null`).
    Nil,
    /// A scalar: `u8`…`i64`, `f32`, `f64`, `bool`, `string`.
    Scalar {
        /// The scalar's name.
        name: String,
    },
    /// `?T`: JS `null` ↔ AIR `[]`, JS `v` ↔ AIR `[v]`.
    Option {
        /// `T`.
        of: Box<AquaType>,
    },
    /// `[]T`, `*T` (streams cross the boundary as arrays).
    Array {
        /// `T`.
        of: Box<AquaType>,
    },
    /// A `data` type.
    Struct {
        /// The type's name.
        name: String,
        /// Its fields, in declaration order.
        fields: Fields,
    },
    /// Named fields (a function's parameters, a service's functions).
    LabeledProduct {
        /// The fields, in declaration order.
        fields: Fields,
    },
    /// A tuple (a function's results).
    UnlabeledProduct {
        /// The items.
        items: Vec<AquaType>,
    },
    /// Any value.
    Top,
    /// No value can have it.
    Bottom,
    /// A function type.
    Arrow(Arrow),
}

/// Fields in declaration order (the compiler's JSON object order is the parameter order).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Fields(pub Vec<(String, AquaType)>);

/// JSON with object members in document order (serde_json's `Map` sorts them, and the
/// order of a function's parameters is the order of its definition's fields). A small
/// hand-written tree: derived deserializers for the tagged types cost ~25 KB gzip of wasm.
#[derive(Debug)]
enum Json {
    Null,
    Bool,
    Num,
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Json;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("JSON")
            }
            fn visit_unit<E>(self) -> Result<Json, E> {
                Ok(Json::Null)
            }
            fn visit_bool<E>(self, _: bool) -> Result<Json, E> {
                Ok(Json::Bool)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Json, E> {
                Ok(Json::Num)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Json, E> {
                Ok(Json::Num)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Json, E> {
                Ok(Json::Num)
            }
            fn visit_str<E>(self, v: &str) -> Result<Json, E> {
                Ok(Json::Str(v.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Json, A::Error> {
                let mut out = Vec::new();
                while let Some(x) = a.next_element()? {
                    out.push(x);
                }
                Ok(Json::Arr(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Json, A::Error> {
                let mut out = Vec::new();
                while let Some(kv) = m.next_entry::<String, Json>()? {
                    out.push(kv);
                }
                Ok(Json::Obj(out))
            }
        }
        d.deserialize_any(V)
    }
}

fn bad_def(m: String) -> AquaError {
    AquaError::Usage(format!("invalid Aqua definition: {m}"))
}

impl Json {
    fn parse(text: &str) -> Result<Json, AquaError> {
        serde_json::from_str(text).map_err(|e| bad_def(e.to_string()))
    }

    fn members(&self, what: &str) -> Result<&[(String, Json)], AquaError> {
        match self {
            Json::Obj(m) => Ok(m),
            _ => Err(bad_def(format!("{what} must be an object"))),
        }
    }

    fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(m) => m.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn field(&self, key: &str) -> Result<&Json, AquaError> {
        self.get(key)
            .ok_or_else(|| bad_def(format!("missing field {key:?}")))
    }

    fn string(&self, key: &str) -> Result<String, AquaError> {
        match self.field(key)? {
            Json::Str(s) => Ok(s.clone()),
            _ => Err(bad_def(format!("{key:?} must be a string"))),
        }
    }

    fn fields(&self) -> Result<Fields, AquaError> {
        let mut out: Vec<(String, AquaType)> = Vec::new();
        for (k, v) in self.field("fields")?.members("\"fields\"")? {
            if out.iter().any(|(n, _)| n == k) {
                return Err(bad_def(format!("duplicate field {k:?}")));
            }
            out.push((k.clone(), AquaType::from_tree(v)?));
        }
        Ok(Fields(out))
    }

    fn arrow(&self) -> Result<Arrow, AquaError> {
        Ok(Arrow {
            domain: Box::new(AquaType::from_tree(self.field("domain")?)?),
            codomain: Box::new(AquaType::from_tree(self.field("codomain")?)?),
        })
    }
}

impl AquaType {
    /// Parses a type descriptor from the compiler's JSON text.
    pub fn from_json(text: &str) -> Result<Self, AquaError> {
        Self::from_tree(&Json::parse(text)?)
    }

    fn from_tree(j: &Json) -> Result<Self, AquaError> {
        let of = |j: &Json| -> Result<Box<AquaType>, AquaError> {
            Ok(Box::new(AquaType::from_tree(j.field("type")?)?))
        };
        Ok(match j.string("tag")?.as_str() {
            "nil" => AquaType::Nil,
            "topType" => AquaType::Top,
            "bottomType" => AquaType::Bottom,
            "scalar" => AquaType::Scalar {
                name: j.string("name")?,
            },
            "option" => AquaType::Option { of: of(j)? },
            "array" => AquaType::Array { of: of(j)? },
            "struct" => AquaType::Struct {
                name: j.string("name").unwrap_or_default(),
                fields: j.fields()?,
            },
            "labeledProduct" => AquaType::LabeledProduct {
                fields: j.fields()?,
            },
            "unlabeledProduct" => match j.field("items")? {
                Json::Arr(xs) => AquaType::UnlabeledProduct {
                    items: xs
                        .iter()
                        .map(AquaType::from_tree)
                        .collect::<Result<_, _>>()?,
                },
                _ => return Err(bad_def("\"items\" must be an array".into())),
            },
            "arrow" => AquaType::Arrow(j.arrow()?),
            other => return Err(bad_def(format!("unknown type tag {other:?}"))),
        })
    }
}

/// A function type: `domain -> codomain`.
#[derive(Debug, Clone, PartialEq)]
pub struct Arrow {
    /// Parameters: `nil`, `labeledProduct` or `unlabeledProduct`.
    pub domain: Box<AquaType>,
    /// Results: `nil` or `unlabeledProduct`.
    pub codomain: Box<AquaType>,
}

/// The compiler's `FunctionCallDef` (the second argument of `v5_callFunction`).
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionDef {
    /// The Aqua function's name.
    pub function_name: String,
    /// Its type.
    pub arrow: Arrow,
}

/// The compiler's `ServiceDef` (the second argument of `v5_registerService`).
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceDef {
    /// The id in `service Name("id")`, if any.
    pub default_service_id: Option<String>,
    /// `labeledProduct` of arrows, or `nil`.
    pub functions: AquaType,
}

/// Why compiled Aqua refused its input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AquaError {
    /// A value does not have its Aqua type.
    #[error("Aqua type mismatch. Path: {}; Expected: {expected}; Given: {given}", .path.join("."))]
    Mismatch {
        /// Where: argument name, then `?` (option), `[i]` (item) or a field name.
        path: Vec<String>,
        /// What the type asks for.
        expected: String,
        /// What was there.
        given: String,
    },
    /// Wrong use: argument count, config, a missing implementation, a bad definition.
    #[error("{0}")]
    Usage(String),
}

impl AquaError {
    fn mismatch(path: &[String], expected: impl Into<String>, given: &Value) -> Self {
        AquaError::Mismatch {
            path: path.to_vec(),
            expected: expected.into(),
            given: given_name(given).into(),
        }
    }
}

/// js-client's name for what was given: `null`, `array`, or the JS `typeof`.
fn given_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn push(path: &[String], seg: impl Into<String>) -> Vec<String> {
    let mut p = path.to_vec();
    p.push(seg.into());
    p
}

/// Integer range of an integer scalar name.
fn int_range(name: &str) -> Option<(i128, i128)> {
    Some(match name {
        "u8" => (0, u8::MAX.into()),
        "u16" => (0, u16::MAX.into()),
        "u32" => (0, u32::MAX.into()),
        "u64" => (0, u64::MAX.into()),
        "i8" => (i8::MIN.into(), i8::MAX.into()),
        "i16" => (i16::MIN.into(), i16::MAX.into()),
        "i32" => (i32::MIN.into(), i32::MAX.into()),
        "i64" => (i64::MIN.into(), i64::MAX.into()),
        _ => return None,
    })
}

fn check_scalar(name: &str, v: &Value, path: &[String]) -> Result<(), AquaError> {
    let ok = match name {
        "bool" => v.is_boolean(),
        "string" => v.is_string(),
        "f32" | "f64" => v.is_number(),
        n => match int_range(n) {
            None => return Err(AquaError::mismatch(path, n, v)),
            Some((lo, hi)) => {
                let in_range = if let Some(u) = v.as_u64() {
                    i128::from(u) <= hi
                } else if let Some(i) = v.as_i64() {
                    (lo..=hi).contains(&i128::from(i))
                } else if let Some(x) = v.as_f64() {
                    // A float: only integral values in range (2^64 and up are not u64).
                    x.fract() == 0.0 && x >= lo as f64 && x < (hi + 1) as f64
                } else {
                    return Err(AquaError::mismatch(path, "number", v));
                };
                if !in_range {
                    return Err(AquaError::Mismatch {
                        path: path.to_vec(),
                        expected: format!("{n} (an integer in {lo}..={hi})"),
                        given: v.to_string(),
                    });
                }
                true
            }
        },
    };
    if ok {
        Ok(())
    } else {
        let expected = match name {
            "bool" => "boolean",
            "string" => "string",
            _ => "number",
        };
        Err(AquaError::mismatch(path, expected, v))
    }
}

fn as_object<'a>(v: &'a Value, path: &[String]) -> Result<&'a Map<String, Value>, AquaError> {
    v.as_object()
        .ok_or_else(|| AquaError::mismatch(path, "object", v))
}

fn as_array<'a>(v: &'a Value, path: &[String]) -> Result<&'a Vec<Value>, AquaError> {
    v.as_array()
        .ok_or_else(|| AquaError::mismatch(path, "array", v))
}

type Convert = fn(&Value, &AquaType, &[String]) -> Result<Value, AquaError>;

fn convert_fields(
    v: &Value,
    fields: &Fields,
    path: &[String],
    each: Convert,
) -> Result<Value, AquaError> {
    let obj = as_object(v, path)?;
    let mut out = Map::new();
    for (name, ty) in &fields.0 {
        let field = obj.get(name).unwrap_or(&Value::Null);
        out.insert(name.clone(), each(field, ty, &push(path, name.as_str()))?);
    }
    Ok(Value::Object(out))
}

fn convert_items(
    v: &Value,
    items: &[AquaType],
    path: &[String],
    each: Convert,
) -> Result<Value, AquaError> {
    let xs = as_array(v, path)?;
    if xs.len() != items.len() {
        return Err(AquaError::Mismatch {
            path: path.to_vec(),
            expected: format!("array of {} items", items.len()),
            given: format!("array of {} items", xs.len()),
        });
    }
    let out = xs
        .iter()
        .zip(items)
        .enumerate()
        .map(|(i, (x, t))| each(x, t, &push(path, format!("[{i}]"))))
        .collect::<Result<_, _>>()?;
    Ok(Value::Array(out))
}

fn convert_array(
    v: &Value,
    of: &AquaType,
    path: &[String],
    each: Convert,
) -> Result<Value, AquaError> {
    let out = as_array(v, path)?
        .iter()
        .enumerate()
        .map(|(i, x)| each(x, of, &push(path, format!("[{i}]"))))
        .collect::<Result<_, _>>()?;
    Ok(Value::Array(out))
}

/// A JS value (as JSON) to the value AIR gets, checked against `ty`.
pub fn js2aqua(v: &Value, ty: &AquaType, path: &[String]) -> Result<Value, AquaError> {
    match ty {
        AquaType::Nil => match v {
            Value::Null => Ok(Value::Null),
            _ => Err(AquaError::mismatch(path, "null", v)),
        },
        AquaType::Option { of } => match v {
            Value::Null => Ok(Value::Array(vec![])),
            _ => Ok(Value::Array(vec![js2aqua(v, of, &push(path, "?"))?])),
        },
        AquaType::Top => Ok(v.clone()),
        AquaType::Bottom => Err(AquaError::mismatch(path, "never", v)),
        AquaType::Scalar { name } => check_scalar(name, v, path).map(|()| v.clone()),
        AquaType::Array { of } => convert_array(v, of, path, js2aqua),
        AquaType::UnlabeledProduct { items } => convert_items(v, items, path, js2aqua),
        AquaType::Struct { fields, .. } | AquaType::LabeledProduct { fields } => {
            convert_fields(v, fields, path, js2aqua)
        }
        AquaType::Arrow(_) => Err(AquaError::mismatch(path, "function", v)),
    }
}

/// A value from AIR to what JS gets, following `ty`. Scalars pass as they are (as in
/// js-client: a remote peer's data is not re-validated).
pub fn aqua2js(v: &Value, ty: &AquaType, path: &[String]) -> Result<Value, AquaError> {
    match ty {
        AquaType::Nil => Ok(Value::Null),
        AquaType::Option { of } => match v {
            Value::Null => Ok(Value::Null),
            Value::Array(xs) => match xs.first() {
                Some(x) => aqua2js(x, of, &push(path, "?")),
                None => Ok(Value::Null),
            },
            _ => Err(AquaError::mismatch(path, "array or null", v)),
        },
        AquaType::Scalar { .. } | AquaType::Top | AquaType::Bottom => Ok(v.clone()),
        AquaType::Array { of } => convert_array(v, of, path, aqua2js),
        AquaType::UnlabeledProduct { items } => convert_items(v, items, path, aqua2js),
        AquaType::Struct { fields, .. } | AquaType::LabeledProduct { fields } => {
            convert_fields(v, fields, path, aqua2js)
        }
        AquaType::Arrow(_) => Err(AquaError::mismatch(path, "never", v)),
    }
}

impl Arrow {
    /// The parameter types (names for a `labeledProduct` domain).
    pub fn params(&self) -> Result<Vec<(Option<&str>, &AquaType)>, AquaError> {
        match &*self.domain {
            AquaType::Nil => Ok(vec![]),
            AquaType::LabeledProduct { fields } => Ok(fields
                .0
                .iter()
                .map(|(n, t)| (Some(n.as_str()), t))
                .collect()),
            AquaType::UnlabeledProduct { items } => Ok(items.iter().map(|t| (None, t)).collect()),
            other => Err(AquaError::Usage(format!(
                "an arrow's domain must be nil or a product, got {other:?}"
            ))),
        }
    }

    /// True when it returns nothing (`nil` or an empty product).
    pub fn is_void(&self) -> bool {
        match &*self.codomain {
            AquaType::UnlabeledProduct { items } => items.is_empty(),
            _ => true,
        }
    }

    /// The type of the JS result: the single item, else the whole product.
    pub fn result_type(&self) -> &AquaType {
        match &*self.codomain {
            AquaType::UnlabeledProduct { items } if items.len() == 1 => &items[0],
            c => c,
        }
    }

    /// js-client's `wrapJsFunction`, inbound half: the call's AIR arguments as the JS
    /// function gets them. `name` is the callback or service function (for paths).
    pub fn args_to_js(&self, name: &str, args: &[Value]) -> Result<Vec<Value>, AquaError> {
        let params = self.params()?;
        if params.len() != args.len() {
            return Err(AquaError::Usage(format!(
                "Schema and generated air doesn't match. Air has been called with {} args and schema contains {} args",
                args.len(),
                params.len()
            )));
        }
        let base = [format!("{name}Args")];
        args.iter()
            .zip(&params)
            .enumerate()
            .map(|(i, (a, (_, t)))| aqua2js(a, t, &push(&base, format!("[{i}]"))))
            .collect()
    }

    /// js-client's `wrapJsFunction`, outbound half: what the JS function returned, as
    /// AIR gets it (`null` for a void arrow, whatever JS returned).
    pub fn result_to_aqua(&self, name: &str, result: &Value) -> Result<Value, AquaError> {
        if self.is_void() {
            return Ok(Value::Null);
        }
        js2aqua(result, self.result_type(), &[format!("{name}ReturnValue")])
    }
}

/// One argument of a compiled function as the host sees it.
#[derive(Debug)]
pub enum HostArg<F> {
    /// A JS function (valid only for arrow-typed parameters).
    Function(F),
    /// Any other value, as JSON (`undefined` as `null`).
    Value(Value),
}

/// A callback argument: `callbackSrv.<name>` of the particle.
#[derive(Debug)]
pub struct Callback<F> {
    /// The parameter's name.
    pub name: String,
    /// Its type, for [`Arrow::args_to_js`] / [`Arrow::result_to_aqua`].
    pub arrow: Arrow,
    /// The host's function.
    pub function: F,
}

/// A `v5_callFunction` call checked and converted, ready for [`crate::Engine::call_air`].
#[derive(Debug)]
pub struct PreparedCall<F> {
    /// `getDataSrv.<name>` values, converted with `js2aqua`.
    pub data: Vec<(String, Value)>,
    /// Arrow arguments.
    pub callbacks: Vec<Callback<F>>,
    /// The trailing config's `ttl`.
    pub ttl_ms: Option<u32>,
    /// Void functions resolve with `null` once the particle leaves (spec §5.7).
    pub fire_and_forget: bool,
}

impl FunctionDef {
    /// Parses the compiler's JSON text (field order is kept: it is the parameter order).
    pub fn from_json(text: &str) -> Result<Self, AquaError> {
        let j = Json::parse(text)?;
        Ok(FunctionDef {
            function_name: j.string("functionName")?,
            arrow: j.field("arrow")?.arrow()?,
        })
    }

    /// Checks and converts the arguments (the client argument already taken off):
    /// one per parameter, then optionally a config `{ ttl?: number }`.
    pub fn prepare<F>(&self, mut args: Vec<HostArg<F>>) -> Result<PreparedCall<F>, AquaError> {
        let name = &self.function_name;
        let params = self.arrow.params()?;
        let names: Vec<&str> = params.iter().map(|(n, _)| n.unwrap_or("_")).collect();
        if args.len() < params.len() || args.len() > params.len() + 1 {
            return Err(AquaError::Usage(format!(
                "{name}({}) takes {} argument(s) and an optional config {{ ttl }}, got {}",
                names.join(", "),
                params.len(),
                args.len()
            )));
        }
        let ttl_ms = if args.len() > params.len() {
            match args.pop() {
                Some(HostArg::Value(c)) => config_ttl(name, &c)?,
                _ => {
                    return Err(AquaError::Usage(format!(
                    "{name}: the last argument must be a config {{ ttl?: number }}, got a function"
                )))
                }
            }
        } else {
            None
        };
        let mut data = Vec::new();
        let mut callbacks = Vec::new();
        for (arg, (pname, ty)) in args.into_iter().zip(params) {
            let pname = pname
                .ok_or_else(|| AquaError::Usage(format!("{name}: parameters must be named")))?;
            let path = [pname.to_string()];
            match (ty, arg) {
                (AquaType::Arrow(arrow), HostArg::Function(f)) => callbacks.push(Callback {
                    name: pname.to_string(),
                    arrow: arrow.clone(),
                    function: f,
                }),
                (AquaType::Arrow(_), HostArg::Value(v)) => {
                    return Err(AquaError::mismatch(&path, "function", &v))
                }
                (_, HostArg::Function(_)) => {
                    return Err(AquaError::Mismatch {
                        path: path.to_vec(),
                        expected: "non-function value".into(),
                        given: "function".into(),
                    })
                }
                (ty, HostArg::Value(v)) => data.push((pname.to_string(), js2aqua(&v, ty, &path)?)),
            }
        }
        Ok(PreparedCall {
            data,
            callbacks,
            ttl_ms,
            fire_and_forget: self.arrow.is_void(),
        })
    }

    /// The value the call resolves with: `null` for void functions, else `aqua2js` of
    /// what the script passed to `callbackSrv.response`.
    pub fn convert_result(&self, v: &Value) -> Result<Value, AquaError> {
        if self.arrow.is_void() {
            return Ok(Value::Null);
        }
        aqua2js(
            v,
            self.arrow.result_type(),
            &[format!("{}ReturnValue", self.function_name)],
        )
    }
}

fn config_ttl(name: &str, c: &Value) -> Result<Option<u32>, AquaError> {
    let bad = |m: String| AquaError::Usage(format!("{name}: invalid config: {m}"));
    match c {
        Value::Null => Ok(None),
        Value::Object(o) => match o.get("ttl") {
            None | Some(Value::Null) => Ok(None),
            Some(t) => match t.as_f64() {
                Some(x) if x.fract() == 0.0 && x >= 1.0 && x <= u32::MAX as f64 => {
                    Ok(Some(x as u32))
                }
                _ => Err(bad(format!("ttl must be a positive integer (ms), got {t}"))),
            },
        },
        other => Err(bad(format!(
            "expected an object {{ ttl?: number }}, got {}",
            given_name(other)
        ))),
    }
}

impl ServiceDef {
    /// Parses the compiler's JSON text.
    pub fn from_json(text: &str) -> Result<Self, AquaError> {
        let j = Json::parse(text)?;
        let default_service_id = match j.get("defaultServiceId") {
            None | Some(Json::Null) => None,
            Some(Json::Str(s)) => Some(s.clone()),
            Some(_) => return Err(bad_def("\"defaultServiceId\" must be a string".into())),
        };
        Ok(ServiceDef {
            default_service_id,
            functions: AquaType::from_tree(j.field("functions")?)?,
        })
    }

    /// The service's functions and their types.
    pub fn functions(&self) -> Result<Vec<(&str, &Arrow)>, AquaError> {
        match &self.functions {
            AquaType::Nil => Ok(vec![]),
            AquaType::LabeledProduct { fields } => fields
                .0
                .iter()
                .map(|(n, t)| match t {
                    AquaType::Arrow(a) => Ok((n.as_str(), a)),
                    _ => Err(AquaError::Usage(format!(
                        "service function {n:?} is not an arrow"
                    ))),
                })
                .collect(),
            _ => Err(AquaError::Usage(
                "a service's functions must be a labeledProduct or nil".into(),
            )),
        }
    }

    /// The id to register under: the one given, else the definition's default.
    pub fn service_id(&self, given: Option<String>) -> Result<String, AquaError> {
        match given.or_else(|| self.default_service_id.clone()) {
            Some(id) if !id.is_empty() => Ok(id),
            Some(_) => Err(AquaError::Usage("Service ID must not be empty".into())),
            None => Err(AquaError::Usage("Service ID is not provided".into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ty(v: Value) -> AquaType {
        AquaType::from_json(&v.to_string()).unwrap()
    }
    fn s(name: &str) -> Value {
        json!({"tag": "scalar", "name": name})
    }
    fn p(xs: &[&str]) -> Vec<String> {
        xs.iter().map(|x| x.to_string()).collect()
    }
    fn mismatch(e: AquaError) -> (String, String, String) {
        match e {
            AquaError::Mismatch {
                path,
                expected,
                given,
            } => (path.join("."), expected, given),
            other => panic!("not a mismatch: {other}"),
        }
    }

    #[test]
    fn scalars_are_validated() {
        let path = p(&["x"]);
        for (name, ok, bad) in [
            ("string", json!("a"), json!(1)),
            ("bool", json!(true), json!("true")),
            ("f64", json!(1.5), json!(null)),
            ("u8", json!(255), json!(256)),
            ("u8", json!(0), json!(-1)),
            ("i8", json!(-128), json!(1.5)),
            ("i64", json!(-9007199254740991i64), json!([1])),
            ("u64", json!(9007199254740993u64), json!({})),
            ("u64", json!(u64::MAX), json!(18446744073709551616.0)),
            ("i64", json!(i64::MIN), json!(9223372036854775808.0)),
        ] {
            let t = ty(s(name));
            assert_eq!(js2aqua(&ok, &t, &path).unwrap(), ok, "{name}");
            assert!(js2aqua(&bad, &t, &path).is_err(), "{name} accepted {bad}");
        }
        let e = mismatch(js2aqua(&json!(1), &ty(s("string")), &path).unwrap_err());
        assert_eq!(e, ("x".into(), "string".into(), "number".into()));
        let e = mismatch(js2aqua(&json!(300), &ty(s("u8")), &path).unwrap_err());
        assert_eq!(e.1, "u8 (an integer in 0..=255)");
        assert_eq!(e.2, "300");
        // Unknown scalar names are refused, not passed through.
        assert!(js2aqua(&json!(1), &ty(s("u128")), &path).is_err());
        // aqua2js passes scalars as they are.
        assert_eq!(
            aqua2js(&json!("x"), &ty(s("u8")), &path).unwrap(),
            json!("x")
        );
    }

    #[test]
    fn options_map_null_and_arrays() {
        let t = ty(json!({"tag": "option", "type": s("u32")}));
        let path = p(&["o"]);
        assert_eq!(js2aqua(&json!(null), &t, &path).unwrap(), json!([]));
        assert_eq!(js2aqua(&json!(7), &t, &path).unwrap(), json!([7]));
        let e = mismatch(js2aqua(&json!("7"), &t, &path).unwrap_err());
        assert_eq!(e, ("o.?".into(), "number".into(), "string".into()));
        assert_eq!(aqua2js(&json!([]), &t, &path).unwrap(), json!(null));
        assert_eq!(aqua2js(&json!(null), &t, &path).unwrap(), json!(null));
        assert_eq!(aqua2js(&json!([7]), &t, &path).unwrap(), json!(7));
        let e = mismatch(aqua2js(&json!(7), &t, &path).unwrap_err());
        assert_eq!(e.1, "array or null");
    }

    #[test]
    fn structs_arrays_products_nested() {
        let point = json!({"tag": "struct", "name": "Point", "fields": {
            "x": s("i32"), "tags": {"tag": "array", "type": s("string")},
            "label": {"tag": "option", "type": s("string")}}});
        let t = ty(json!({"tag": "array", "type": point}));
        let path = p(&["ps"]);
        let given = json!([{"x": 1, "tags": ["a"], "extra": true}]);
        let aqua = js2aqua(&given, &t, &path).unwrap();
        // Missing field -> null -> option []; the extra field is dropped.
        assert_eq!(aqua, json!([{"x": 1, "tags": ["a"], "label": []}]));
        assert_eq!(
            aqua2js(&aqua, &t, &path).unwrap(),
            json!([{"x": 1, "tags": ["a"], "label": null}])
        );
        let e = mismatch(js2aqua(&json!([{"x": 1, "tags": [2]}]), &t, &path).unwrap_err());
        assert_eq!(
            e,
            ("ps.[0].tags.[0]".into(), "string".into(), "number".into())
        );
        let e = mismatch(js2aqua(&json!([[1]]), &t, &path).unwrap_err());
        assert_eq!(e, ("ps.[0]".into(), "object".into(), "array".into()));

        let prod = ty(json!({"tag": "unlabeledProduct", "items": [s("string"), s("bool")]}));
        assert_eq!(
            js2aqua(&json!(["a", true]), &prod, &path).unwrap(),
            json!(["a", true])
        );
        let e = mismatch(js2aqua(&json!(["a"]), &prod, &path).unwrap_err());
        assert_eq!(e.1, "array of 2 items");
        let lp = ty(json!({"tag": "labeledProduct", "fields": {"a": s("string")}}));
        assert_eq!(
            aqua2js(&json!({"a": "x", "b": 1}), &lp, &path).unwrap(),
            json!({"a": "x"})
        );
    }

    #[test]
    fn top_bottom_nil_arrow() {
        let path = p(&["v"]);
        let any = json!({"deep": [1, null, "x"]});
        assert_eq!(
            js2aqua(&any, &ty(json!({"tag": "topType"})), &path).unwrap(),
            any
        );
        let e = mismatch(js2aqua(&any, &ty(json!({"tag": "bottomType"})), &path).unwrap_err());
        assert_eq!(e.1, "never");
        assert_eq!(
            js2aqua(&json!(null), &ty(json!({"tag": "nil"})), &path).unwrap(),
            json!(null)
        );
        assert!(js2aqua(&json!(0), &ty(json!({"tag": "nil"})), &path).is_err());
        assert_eq!(
            aqua2js(&json!(5), &ty(json!({"tag": "nil"})), &path).unwrap(),
            json!(null)
        );
        let arrow =
            ty(json!({"tag": "arrow", "domain": {"tag": "nil"}, "codomain": {"tag": "nil"}}));
        assert_eq!(
            mismatch(js2aqua(&json!(1), &arrow, &path).unwrap_err()).1,
            "function"
        );
        for bad in [
            json!({"tag": "what"}),
            json!({"name": "u8"}),
            json!({"tag": "option"}),
            json!({"tag": "labeledProduct", "fields": []}),
            json!({"tag": "unlabeledProduct", "items": {}}),
            json!([1]),
        ] {
            assert!(AquaType::from_json(&bad.to_string()).is_err(), "{bad}");
        }
        assert!(AquaType::from_json("{not json").is_err());
        let dup = r#"{"tag":"labeledProduct","fields":{"a":{"tag":"nil"},"a":{"tag":"nil"}}}"#;
        assert!(AquaType::from_json(dup).is_err());
    }

    #[test]
    fn mismatch_message_is_js_clients() {
        let e = js2aqua(&json!(1), &ty(s("string")), &p(&["a", "b"])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Aqua type mismatch. Path: a.b; Expected: string; Given: number"
        );
    }

    const DEF: &str = r#"{"functionName": "f", "arrow": {"tag": "arrow",
        "domain": {"tag": "labeledProduct", "fields": {
            "z": {"tag": "scalar", "name": "string"},
            "cb": {"tag": "arrow",
                   "domain": {"tag": "labeledProduct", "fields": {"n": {"tag": "option", "type": {"tag": "scalar", "name": "u8"}}}},
                   "codomain": {"tag": "unlabeledProduct", "items": [{"tag": "scalar", "name": "string"}]}},
            "a": {"tag": "option", "type": {"tag": "scalar", "name": "u8"}}}},
        "codomain": {"tag": "unlabeledProduct", "items": [{"tag": "scalar", "name": "string"}, {"tag": "option", "type": {"tag": "scalar", "name": "u8"}}]}},
        "names": {}}"#;

    #[test]
    fn prepare_keeps_parameter_order_and_splits_callbacks() {
        let def = FunctionDef::from_json(DEF).unwrap();
        let names: Vec<_> = def
            .arrow
            .params()
            .unwrap()
            .iter()
            .map(|(n, _)| n.unwrap())
            .collect();
        assert_eq!(names, ["z", "cb", "a"]);
        let args = vec![
            HostArg::Value(json!("zz")),
            HostArg::Function("the cb"),
            HostArg::Value(json!(null)),
            HostArg::Value(json!({"ttl": 1500})),
        ];
        let call = def.prepare(args).unwrap();
        assert_eq!(
            call.data,
            vec![("z".into(), json!("zz")), ("a".into(), json!([]))]
        );
        assert_eq!(call.callbacks.len(), 1);
        assert_eq!(call.callbacks[0].name, "cb");
        assert_eq!(call.callbacks[0].function, "the cb");
        assert_eq!(call.ttl_ms, Some(1500));
        assert!(!call.fire_and_forget);
        // Several results: the product, each item converted.
        assert_eq!(
            def.convert_result(&json!(["x", [3]])).unwrap(),
            json!(["x", 3])
        );
        assert_eq!(
            def.convert_result(&json!(["x", []])).unwrap(),
            json!(["x", null])
        );
        // The callback's halves.
        let cb = &call.callbacks[0].arrow;
        assert_eq!(cb.args_to_js("cb", &[json!([9])]).unwrap(), vec![json!(9)]);
        assert!(cb.args_to_js("cb", &[]).is_err());
        assert_eq!(cb.result_to_aqua("cb", &json!("r")).unwrap(), json!("r"));
        let e = cb.result_to_aqua("cb", &json!(1)).unwrap_err();
        assert_eq!(mismatch(e).0, "cbReturnValue");
    }

    #[test]
    fn prepare_refuses_bad_arguments() {
        let def = FunctionDef::from_json(DEF).unwrap();
        let v = |x: Value| HostArg::<&str>::Value(x);
        let f = |x: &'static str| HostArg::Function(x);
        // Too few, too many.
        let e = def.prepare(vec![v(json!("z")), f("cb")]).unwrap_err();
        assert!(
            e.to_string().contains("f(z, cb, a) takes 3 argument(s)"),
            "{e}"
        );
        let five = vec![
            v(json!("z")),
            f("cb"),
            v(json!(1)),
            v(json!({})),
            v(json!({})),
        ];
        assert!(def.prepare(five).is_err());
        // A value where a function belongs, and the other way round.
        let e = def
            .prepare(vec![v(json!("z")), v(json!(1)), v(json!(1))])
            .unwrap_err();
        assert_eq!(
            mismatch(e),
            ("cb".into(), "function".into(), "number".into())
        );
        let e = def.prepare(vec![f("z"), f("cb"), v(json!(1))]).unwrap_err();
        assert_eq!(
            mismatch(e),
            ("z".into(), "non-function value".into(), "function".into())
        );
        // Type mismatch names the argument.
        let e = def
            .prepare(vec![v(json!("z")), f("cb"), v(json!(-1))])
            .unwrap_err();
        assert_eq!(mismatch(e).0, "a.?");
        // Bad configs.
        for c in [
            json!({"ttl": 0}),
            json!({"ttl": "1"}),
            json!({"ttl": 1.5}),
            json!(5),
        ] {
            let args = vec![v(json!("z")), f("cb"), v(json!(1)), v(c.clone())];
            assert!(def.prepare(args).is_err(), "config {c} accepted");
        }
        let args = vec![v(json!("z")), f("cb"), v(json!(1)), v(json!(null))];
        assert_eq!(def.prepare(args).unwrap().ttl_ms, None);
        // Bad definitions.
        assert!(FunctionDef::from_json("{}").is_err());
        assert!(FunctionDef::from_json(r#"{"functionName":"f","arrow":{"domain":{"tag":"scalar","name":"u8"},"codomain":{"tag":"nil"}}}"#)
            .unwrap()
            .prepare(Vec::<HostArg<()>>::new())
            .is_err());
    }

    #[test]
    fn void_functions_fire_and_forget() {
        let def = FunctionDef::from_json(
            r#"{"functionName":"v","arrow":{"tag":"arrow","domain":{"tag":"nil"},"codomain":{"tag":"unlabeledProduct","items":[]}}}"#,
        )
        .unwrap();
        let call = def.prepare(Vec::<HostArg<()>>::new()).unwrap();
        assert!(call.fire_and_forget);
        assert_eq!(def.convert_result(&json!("ignored")).unwrap(), json!(null));
    }

    #[test]
    fn service_definitions() {
        let def = ServiceDef::from_json(
            r#"{"defaultServiceId":"greeter","functions":{"tag":"labeledProduct","fields":{
              "hi":{"tag":"arrow","domain":{"tag":"labeledProduct","fields":{"n":{"tag":"scalar","name":"string"}}},"codomain":{"tag":"nil"}},
              "add":{"tag":"arrow","domain":{"tag":"nil"},"codomain":{"tag":"unlabeledProduct","items":[{"tag":"scalar","name":"u32"}]}}}}}"#,
        )
        .unwrap();
        let fns: Vec<_> = def.functions().unwrap().iter().map(|(n, _)| *n).collect();
        assert_eq!(fns, ["hi", "add"]);
        assert_eq!(def.service_id(None).unwrap(), "greeter");
        assert_eq!(def.service_id(Some("g2".into())).unwrap(), "g2");
        let (_, hi) = def.functions().unwrap()[0];
        assert_eq!(
            hi.result_to_aqua("hi", &json!("anything")).unwrap(),
            json!(null)
        );
        let none = ServiceDef::from_json(r#"{"functions":{"tag":"nil"}}"#).unwrap();
        assert_eq!(
            none.service_id(None).unwrap_err().to_string(),
            "Service ID is not provided"
        );
        assert!(none.functions().unwrap().is_empty());
        let bad = ServiceDef::from_json(
            r#"{"functions":{"tag":"labeledProduct","fields":{"x":{"tag":"scalar","name":"u8"}}}}"#,
        )
        .unwrap();
        assert!(bad.functions().is_err());
    }
}
