//! Writes the catalogue as JSON (chapters; every example's titles and "look for" in both
//! languages, the tutorial's text and the Rust port's part): what the page shows where the
//! playground itself cannot start (a browser that gives no shared memory without cross-origin
//! isolation, such as Firefox with service workers off), read by www/loader.js.
//! scripts/build-extras.sh runs it: `cargo run --example catalogue-json -- <file>`.

use parallel_playground::examples::{CATALOGUE, CHAPTERS};
use parallel_playground::i18n::{self, Lang};
use std::fmt::Write as _;

/// A JSON string (RFC 8259: quote, backslash and control characters escaped).
fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn both(en: &str, zh: &str) -> String {
    format!("{{\"en\":{},\"zh\":{}}}", string(en), string(zh))
}

fn main() -> std::io::Result<()> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "catalogue.json".into());
    let chapters: Vec<String> = CHAPTERS
        .iter()
        .map(|ch| {
            format!("{{\"number\":{},\"title\":{}}}", ch.number, both(ch.title, i18n::chapter_title(ch, Lang::Zh)))
        })
        .collect();
    let examples: Vec<String> = CATALOGUE
        .iter()
        .map(|ex| {
            format!(
                "{{\"id\":{},\"chapter\":{},\"title\":{},\"lookFor\":{},\"lines\":[{},{}],\"python\":{},\"rustFile\":{},\"rust\":{}}}",
                string(ex.id),
                ex.chapter.number,
                both(ex.title, i18n::example_title(ex, Lang::Zh)),
                both(ex.look_for, i18n::look_for(ex, Lang::Zh)),
                ex.lines.0,
                ex.lines.1,
                string(&ex.python()),
                string(ex.rust.file),
                string(&ex.rust.excerpt()),
            )
        })
        .collect();
    let json = format!("{{\"chapters\":[{}],\"examples\":[{}]}}\n", chapters.join(","), examples.join(",\n"));
    std::fs::write(&path, json)
}
