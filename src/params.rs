//! An example's parameters: declared once, validated the same way in the form, in the URL
//! and in the process that runs it, so a bad value is a message, never a panic.

use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ParamKind {
    Int { min: i64, max: i64 },
    Float { min: f64, max: f64 },
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Param {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: ParamKind,
    pub default: &'static str,
}

/// A validated value: what crosses to the process, typed (`pp_platform::request`).
pub use pp_platform::request::Number as Value;
pub use pp_platform::request::{ParamValue, RunOptions};

/// Validated values, by name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Params {
    values: BTreeMap<&'static str, Value>,
}

impl Params {
    /// The value of an `Int` parameter. Panics only on a port's own typo (a parameter it
    /// did not declare), which the catalogue tests catch.
    pub fn int(&self, name: &str) -> i64 {
        match self.values.get(name) {
            Some(Value::Int(v)) => *v,
            other => panic!("example asked for undeclared int parameter {name:?} ({other:?})"),
        }
    }

    pub fn float(&self, name: &str) -> f64 {
        match self.values.get(name) {
            Some(Value::Float(v)) => *v,
            Some(Value::Int(v)) => *v as f64,
            None => panic!("example asked for undeclared float parameter {name:?}"),
        }
    }

    /// The values, as they cross to the process that runs the program.
    pub fn to_values(&self) -> Vec<ParamValue> {
        self.values.iter().map(|(name, value)| ParamValue { name: name.to_string(), value: *value }).collect()
    }
}

/// Why a raw value is not a value of its parameter.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    Empty,
    /// Digits, but more than an `i64` (or an `f64`) holds.
    TooLarge {
        max: String,
    },
    TooSmall {
        min: String,
    },
    OutOfRange {
        min: String,
        max: String,
    },
    NotWhole,
    NotNumber,
}

impl Problem {
    /// The English message (`i18n::param_problem` has both languages).
    pub fn describe(&self, label: &str) -> String {
        match self {
            Problem::OutOfRange { min, max } => format!("{label} must be between {min} and {max}"),
            Problem::NotWhole => format!("{label} must be a whole number"),
            Problem::NotNumber => format!("{label} must be a number"),
            Problem::TooLarge { max } => format!("{label}: the number is too large (at most {max})"),
            Problem::TooSmall { min } => format!("{label}: the number is too small (at least {min})"),
            Problem::Empty => format!("{label} is empty"),
        }
    }
}

impl Param {
    /// Checks one raw value (the form, the URL and the process all use this).
    pub fn check(&self, raw: &str) -> Result<Value, Problem> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(Problem::Empty);
        }
        match self.kind {
            ParamKind::Int { min, max } => {
                let range = || Problem::OutOfRange { min: min.to_string(), max: max.to_string() };
                match raw.parse::<i64>() {
                    Ok(v) if (min..=max).contains(&v) => Ok(Value::Int(v)),
                    Ok(_) => Err(range()),
                    // Only digits (and a sign), yet no i64: beyond i64's range, so beyond ours.
                    Err(_) if is_integer_text(raw) && raw.starts_with('-') => {
                        Err(Problem::TooSmall { min: min.to_string() })
                    }
                    Err(_) if is_integer_text(raw) => Err(Problem::TooLarge { max: max.to_string() }),
                    Err(_) => Err(Problem::NotWhole),
                }
            }
            ParamKind::Float { min, max } => match raw.parse::<f64>() {
                Ok(v) if v.is_finite() && v >= min && v <= max => Ok(Value::Float(v)),
                Ok(v) if v == f64::INFINITY => Err(Problem::TooLarge { max: max.to_string() }),
                Ok(v) if v == f64::NEG_INFINITY => Err(Problem::TooSmall { min: min.to_string() }),
                Ok(v) if v.is_nan() => Err(Problem::NotNumber),
                Ok(_) => Err(Problem::OutOfRange { min: min.to_string(), max: max.to_string() }),
                Err(_) => Err(Problem::NotNumber),
            },
        }
    }

    /// Checks a value that is already a number (one that crossed to the process): its kind
    /// and its range, by the same rules as [`check`](Self::check).
    pub fn check_value(&self, value: Value) -> Result<Value, Problem> {
        match (self.kind, value) {
            (ParamKind::Int { min, max }, Value::Int(v)) if (min..=max).contains(&v) => Ok(value),
            (ParamKind::Int { min, max }, Value::Int(_)) => {
                Err(Problem::OutOfRange { min: min.to_string(), max: max.to_string() })
            }
            (ParamKind::Int { .. }, Value::Float(_)) => Err(Problem::NotWhole),
            (ParamKind::Float { .. }, Value::Int(v)) => self.check_value(Value::Float(v as f64)),
            (ParamKind::Float { min, max }, Value::Float(v)) if v.is_finite() && v >= min && v <= max => Ok(value),
            (ParamKind::Float { min, max }, Value::Float(_)) => {
                Err(Problem::OutOfRange { min: min.to_string(), max: max.to_string() })
            }
        }
    }
}

/// The process's side of [`parse`]: the values the page sent, checked again against what the
/// program declares (a request is typed, but a program's declaration is the last word).
pub fn from_values(declared: &[Param], given: &[ParamValue]) -> Result<Params, String> {
    let mut values = BTreeMap::new();
    for ParamValue { name, .. } in given {
        if !declared.iter().any(|p| p.name == name) {
            return Err(format!("unknown parameter {name:?}"));
        }
    }
    for p in declared {
        let value = match given.iter().rev().find(|v| v.name == p.name) {
            Some(v) => p.check_value(v.value),
            None => p.check(p.default),
        };
        values.insert(p.name, value.map_err(|e| e.describe(p.label))?);
    }
    Ok(Params { values })
}

fn is_integer_text(raw: &str) -> bool {
    let digits = raw.strip_prefix(['-', '+']).unwrap_or(raw);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Validates `raw` (name, value) pairs against `declared`; missing ones take their default.
/// Unknown names are errors too (a mistyped URL parameter should not be silently ignored).
pub fn parse(declared: &[Param], raw: &[(String, String)]) -> Result<Params, Vec<(String, String)>> {
    let mut values = BTreeMap::new();
    let mut errors = Vec::new();
    for (name, _) in raw {
        if !declared.iter().any(|p| p.name == name) {
            let known: Vec<&str> = declared.iter().map(|p| p.name).collect();
            let hint = if known.is_empty() {
                "this example has no parameters".to_string()
            } else {
                format!("known: {}", known.join(", "))
            };
            errors.push((name.clone(), format!("unknown parameter {name:?} ({hint})")));
        }
    }
    for p in declared {
        let raw_value = raw.iter().rev().find(|(n, _)| n == p.name).map_or(p.default, |(_, v)| v.as_str());
        match p.check(raw_value) {
            Ok(v) => {
                values.insert(p.name, v);
            }
            Err(e) => errors.push((p.name.to_string(), e.describe(p.label))),
        }
    }
    if errors.is_empty() {
        Ok(Params { values })
    } else {
        Err(errors)
    }
}

/// Takes a run's own options (`gil=on|off`) out of an address's `raw` pairs; the rest are the
/// example's parameters. The one reading of the options, for both tabs.
pub fn split_run_options(
    raw: &[(String, String)],
    defaults: RunOptions,
) -> Result<(RunOptions, Vec<(String, String)>), String> {
    let mut options = defaults;
    let mut rest = Vec::new();
    for (name, value) in raw {
        match name.as_str() {
            "gil" => {
                options.gil = parse_switch(value).ok_or_else(|| format!("gil must be on or off, not {value:?}"))?
            }
            _ => rest.push((name.clone(), value.clone())),
        }
    }
    Ok((options, rest))
}

pub fn parse_switch(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "on" | "1" | "true" | "yes" => Some(true),
        "off" | "0" | "false" | "no" => Some(false),
        _ => None,
    }
}

/// `a=1&b=x` into pairs, percent-decoded (values come from the page's URL); `+` is a space.
/// Bytes that do not decode to UTF-8 stay as they were written.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    let query = query.trim_start_matches('?');
    query
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let s = s.replace('+', " ");
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or(s)
}
