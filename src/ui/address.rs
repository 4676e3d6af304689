//! The page's addresses, built by one typed function ([`Address::hash`]): an example with its
//! tab, parameters, run options and shared program, as the form remembers it and Share copies
//! it. Plain Rust: built and tested natively.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

/// Which tab of an example.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Python,
    Rust,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Python => "python",
            Mode::Rust => "rust",
        }
    }
}

/// `#/ex/<id>?...`: what an address of an example says, in the order it says it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Address {
    pub example: String,
    /// The tab, where the example has two.
    pub mode: Option<Mode>,
    /// The Rust port's parameters, as the form holds them.
    pub params: Vec<(String, String)>,
    pub gil: Option<bool>,
    /// The time limit, when not the default.
    pub limit: Option<u32>,
    /// A shared Python program (`code=`).
    pub code: Option<String>,
    /// A stepped run's schedule (`schedule=`, see `ui::step`).
    pub schedule: Option<String>,
}

impl Address {
    pub fn example(id: &str) -> Address {
        Address { example: id.to_string(), ..Address::default() }
    }

    /// The address's `#` part.
    pub fn hash(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(mode) = self.mode {
            pairs.push(("mode", mode.as_str().to_string()));
        }
        pairs.extend(self.params.iter().map(|(k, v)| (k.as_str(), v.clone())));
        if let Some(gil) = self.gil {
            pairs.push(("gil", if gil { "on" } else { "off" }.to_string()));
        }
        if let Some(limit) = self.limit {
            pairs.push(("limit", limit.to_string()));
        }
        if let Some(code) = &self.code {
            pairs.push(("code", encode_program(code)));
        }
        if let Some(schedule) = &self.schedule {
            pairs.push(("schedule", schedule.clone()));
        }
        let query: Vec<String> =
            pairs.iter().map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v))).collect();
        if query.is_empty() {
            format!("#/ex/{}", self.example)
        } else {
            format!("#/ex/{}?{}", self.example, query.join("&"))
        }
    }
}

/// `encodeURIComponent`: every byte but the unreserved characters escaped.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A program as a share link's `code=` value (URL-safe base64 of its UTF-8).
pub fn encode_program(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(text.as_bytes())
}

/// A share link's `code=` value, or why it cannot be read.
pub fn decode_program(code: &str) -> Result<String, crate::i18n::Text> {
    let bytes = URL_SAFE_NO_PAD.decode(code.trim().trim_end_matches('=')).map_err(|_| crate::i18n::CODE_NOT_PROGRAM)?;
    String::from_utf8(bytes).map_err(|_| crate::i18n::CODE_NOT_UTF8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_says_what_it_was_given_in_order() {
        assert_eq!(Address::example("thread-start").hash(), "#/ex/thread-start");
        let a = Address {
            mode: Some(Mode::Rust),
            params: vec![("threads".into(), "8".into()), ("name".into(), "a b&c".into())],
            gil: Some(false),
            limit: Some(90),
            ..Address::example("lock-counter")
        };
        assert_eq!(a.hash(), "#/ex/lock-counter?mode=rust&threads=8&name=a%20b%26c&gil=off&limit=90");
    }

    #[test]
    fn a_shared_program_comes_back_as_it_was() {
        let program = "print('你好')\n";
        let a = Address { mode: Some(Mode::Python), code: Some(program.into()), ..Address::example("x") };
        let hash = a.hash();
        let code = hash.split("code=").nth(1).unwrap();
        assert_eq!(decode_program(code).unwrap(), program);
        // The route reads the address back as the same pairs.
        let query = crate::params::parse_query(hash.split_once('?').unwrap().1);
        assert!(query.contains(&("mode".to_string(), "python".to_string())), "{query:?}");
    }
}
