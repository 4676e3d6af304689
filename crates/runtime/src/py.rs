//! Python values as the ports print them: `repr` for Rust values ([`Repr`]), and a dynamic
//! [`Value`] for the places where Python mixes types (a queue holding a dict and a list).
//!
//! ```
//! use pp_runtime::py::{Repr, Value};
//! assert_eq!((1, "python").repr(), "(1, 'python')");
//! assert_eq!(vec![0.0, 3.14].repr(), "[0.0, 3.14]");
//! let d = Value::dict([("name", Value::from("chenzhi")), ("age", Value::from(14))]);
//! assert_eq!(d.repr(), "{'name': 'chenzhi', 'age': 14}");
//! ```

use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// Python's `repr()` of a value.
pub trait Repr {
    fn repr(&self) -> String;
}

impl Repr for i64 {
    fn repr(&self) -> String {
        self.to_string()
    }
}
impl Repr for i32 {
    fn repr(&self) -> String {
        self.to_string()
    }
}
impl Repr for u64 {
    fn repr(&self) -> String {
        self.to_string()
    }
}
impl Repr for u128 {
    fn repr(&self) -> String {
        self.to_string()
    }
}
impl Repr for usize {
    fn repr(&self) -> String {
        self.to_string()
    }
}
impl Repr for i8 {
    fn repr(&self) -> String {
        self.to_string()
    }
}
impl Repr for u8 {
    fn repr(&self) -> String {
        self.to_string()
    }
}
impl Repr for i16 {
    fn repr(&self) -> String {
        self.to_string()
    }
}
impl Repr for u16 {
    fn repr(&self) -> String {
        self.to_string()
    }
}
impl Repr for u32 {
    fn repr(&self) -> String {
        self.to_string()
    }
}
impl Repr for f32 {
    fn repr(&self) -> String {
        float_repr(f64::from(*self))
    }
}

impl Repr for bool {
    fn repr(&self) -> String {
        if *self { "True" } else { "False" }.to_string()
    }
}
impl Repr for f64 {
    fn repr(&self) -> String {
        float_repr(*self)
    }
}
impl Repr for str {
    fn repr(&self) -> String {
        str_repr(self)
    }
}
impl Repr for &str {
    fn repr(&self) -> String {
        str_repr(self)
    }
}
impl Repr for String {
    fn repr(&self) -> String {
        str_repr(self)
    }
}
impl Repr for char {
    fn repr(&self) -> String {
        str_repr(&self.to_string())
    }
}
impl<T: Repr> Repr for Option<T> {
    fn repr(&self) -> String {
        self.as_ref().map_or_else(|| "None".to_string(), Repr::repr)
    }
}
impl<T: Repr> Repr for Vec<T> {
    fn repr(&self) -> String {
        self.as_slice().repr()
    }
}
impl<T: Repr> Repr for [T] {
    fn repr(&self) -> String {
        format!("[{}]", self.iter().map(Repr::repr).collect::<Vec<_>>().join(", "))
    }
}

macro_rules! tuple_repr {
    ($($t:ident $i:tt),+) => {
        impl<$($t: Repr),+> Repr for ($($t,)+) {
            fn repr(&self) -> String {
                let parts = [$(self.$i.repr()),+];
                if parts.len() == 1 { format!("({},)", parts[0]) } else { format!("({})", parts.join(", ")) }
            }
        }
    };
}
tuple_repr!(A 0);
tuple_repr!(A 0, B 1);
tuple_repr!(A 0, B 1, C 2);
tuple_repr!(A 0, B 1, C 2, D 3);

/// A Python value whose type is only known at run time. Serializable: it crosses between
/// processes as Python's pickles do.
#[derive(Clone, Debug, PartialEq, PartialOrd, Serialize, Deserialize)]
pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Value>),
    Tuple(Vec<Value>),
    /// Insertion-ordered, as Python's dict.
    Dict(Vec<(Value, Value)>),
}

impl Value {
    pub fn list(items: impl IntoIterator<Item = impl Into<Value>>) -> Value {
        Value::List(items.into_iter().map(Into::into).collect())
    }

    pub fn dict(items: impl IntoIterator<Item = (impl Into<Value>, impl Into<Value>)>) -> Value {
        Value::Dict(items.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}

impl Repr for Value {
    fn repr(&self) -> String {
        match self {
            Value::None => "None".into(),
            Value::Bool(b) => b.repr(),
            Value::Int(i) => i.repr(),
            Value::Float(f) => f.repr(),
            Value::Str(s) => s.repr(),
            Value::List(items) => items.repr(),
            Value::Tuple(items) if items.len() == 1 => format!("({},)", items[0].repr()),
            Value::Tuple(items) => format!("({})", items.iter().map(Repr::repr).collect::<Vec<_>>().join(", ")),
            Value::Dict(items) => {
                let parts: Vec<String> = items.iter().map(|(k, v)| format!("{}: {}", k.repr(), v.repr())).collect();
                format!("{{{}}}", parts.join(", "))
            }
        }
    }
}

impl std::fmt::Display for Value {
    /// Python's `str()`: strings bare, everything else as `repr()`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Str(s) => f.write_str(s),
            v => f.write_str(&v.repr()),
        }
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(v)
    }
}
impl From<i32> for Value {
    fn from(v: i32) -> Value {
        Value::Int(v.into())
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Value {
        Value::Float(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Value {
        Value::Bool(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Str(v.into())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Str(v)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::None, Into::into)
    }
}

/// `repr(str)`: single quotes unless the text has one and no double quote; escapes as
/// CPython's `unicode_repr` (printable non-ASCII, such as Chinese, stays as it is).
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// `repr(float)`: the shortest text that reads back as the same float, in CPython's layout
/// (`0.0`, `3.14`, `1e-05`, `1e+16`).
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.into();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    // Rust's `{:e}` gives the shortest round-trip digits too: "3.14e0", "1e-5".
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').expect("{:e} has an exponent");
    let exp: i32 = exp.parse().expect("an integer exponent");
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let decpt = exp + 1; // digits before the decimal point
    let body = if !(-4 < decpt && decpt <= 16) {
        let (first, rest) = digits.split_at(1);
        let frac = if rest.is_empty() { String::new() } else { format!(".{rest}") };
        format!("{first}{frac}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
    } else if decpt <= 0 {
        format!("0.{}{digits}", "0".repeat((-decpt) as usize))
    } else if decpt as usize >= digits.len() {
        format!("{digits}{}.0", "0".repeat(decpt as usize - digits.len()))
    } else {
        let (int, frac) = digits.split_at(decpt as usize);
        format!("{int}.{frac}")
    };
    if negative {
        format!("-{body}")
    } else {
        body
    }
}

/// `time.ctime()`: "Fri Jan 31 20:09:54 2020", in the browser's local time (natively UTC).
pub fn ctime() -> String {
    let unix = web_time::SystemTime::now().duration_since(web_time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    let local = unix - utc_offset_minutes() * 60;
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    format!(
        "{} {} {:2} {:02}:{:02}:{:02} {year}",
        WEEKDAYS[days.rem_euclid(7) as usize],
        MONTHS[(month - 1) as usize],
        day,
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// Minutes to add to local time to get UTC (JS `getTimezoneOffset`).
fn utc_offset_minutes() -> i64 {
    pp_platform::clock::utc_offset_minutes()
}

#[cfg(test)]
#[allow(clippy::approx_constant)] // Python's own examples: 3.14 is a value, not pi
mod tests {
    use super::*;

    #[test]
    fn floats_print_as_cpython() {
        let cases = [
            (0.0, "0.0"),
            (3.14, "3.14"),
            (1.0, "1.0"),
            (100.0, "100.0"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (-2.5, "-2.5"),
            (1.5e300, "1.5e+300"),
            (123456.789, "123456.789"),
        ];
        for (f, want) in cases {
            assert_eq!(float_repr(f), want, "repr({f:?})");
        }
    }

    #[test]
    fn strings_print_as_cpython() {
        assert_eq!(str_repr("python"), "'python'");
        assert_eq!(str_repr("it's"), "\"it's\"");
        assert_eq!(str_repr("a'b\"c"), "'a\\'b\"c'");
        assert_eq!(str_repr("余额\n"), "'余额\\n'");
    }

    #[test]
    fn ctime_looks_like_pythons() {
        let t = ctime();
        assert_eq!(t.len(), 24, "{t}");
        assert!(t.as_bytes()[3] == b' ' && t.as_bytes()[13] == b':', "{t}");
    }

    #[test]
    fn containers_print_as_cpython() {
        assert_eq!(vec![42i64].repr(), "[42]");
        assert_eq!((1,).repr(), "(1,)");
        assert_eq!(Value::list([Value::from(42), Value::None, Value::from("hello")]).repr(), "[42, None, 'hello']");
        assert_eq!(Some(2i64).repr(), "2");
        assert_eq!(Value::from("x").to_string(), "x");
    }
}
