//! Writes what the page shows where the playground itself cannot start (a browser that gives
//! no shared memory), read by www/loader.js, from the same source as the interface (`i18n`):
//! the catalogue as JSON (chapters; every example's titles, "look for" and headings in both
//! languages, the tutorial's text and the Rust port's part), and beside it `text.js`, the
//! loader's own strings in both languages (the loader imports it: it speaks before anything
//! is fetched), and `python-tabs.js`, the examples whose page opens on its Python tab (the
//! loader starts the Python module's download for them as soon as the page's own module is
//! in). scripts/build-extras.sh runs it: `cargo run --example catalogue-json -- <file>`.

use parallel_playground::examples::{CATALOGUE, CHAPTERS, PYTHON_TABS};
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
                "{{\"id\":{},\"chapter\":{},\"title\":{},\"lookFor\":{},\"tutorialHeading\":{},\"rustHeading\":{},\"python\":{},\"rust\":{}}}",
                string(ex.id),
                ex.chapter.number,
                both(ex.title, i18n::example_title(ex, Lang::Zh)),
                both(ex.look_for, i18n::look_for(ex, Lang::Zh)),
                both(&heading(ex, Lang::En), &heading(ex, Lang::Zh)),
                both(&rust_heading(ex, Lang::En), &rust_heading(ex, Lang::Zh)),
                string(&ex.python()),
                string(&ex.rust.excerpt()),
            )
        })
        .collect();
    let json = format!("{{\"chapters\":[{}],\"examples\":[{}]}}\n", chapters.join(","), examples.join(",\n"));
    std::fs::write(&path, json)?;
    let texts = [
        ("isolation", i18n::NOT_ISOLATED),
        ("noSharedMemory", i18n::NO_SHARED_MEMORY),
        ("reloading", i18n::RELOADING_FOR_ISOLATION),
        ("failed", i18n::COULD_NOT_START),
        ("lookFor", i18n::LOOK_FOR),
    ];
    let language = |lang: Lang| {
        let fields: Vec<String> =
            texts.iter().map(|(key, text)| format!("{}:{}", string(key), string(text.get(lang)))).collect();
        format!("{{{}}}", fields.join(","))
    };
    let text = format!(
        "// Written by tools/catalogue_json.rs from src/i18n: the loader's strings, as the interface says them.\nexport default {{\"en\":{},\"zh\":{}}};\n",
        language(Lang::En),
        language(Lang::Zh)
    );
    let text_path = std::path::Path::new(&path).with_file_name("text.js");
    std::fs::write(text_path, text)?;
    let ids: Vec<String> = PYTHON_TABS.iter().map(|(id, _)| string(id)).collect();
    let tabs = format!(
        "// Written by tools/catalogue_json.rs: the examples with a Python tab, which their page opens on\n// (src/ui/example_state.rs, initial_mode) unless the address says mode=rust.\nexport default [{}];\n",
        ids.join(",")
    );
    std::fs::write(std::path::Path::new(&path).with_file_name("python-tabs.js"), tabs)
}

/// The tutorial's heading, as the page's.
fn heading(ex: &parallel_playground::examples::Example, lang: Lang) -> String {
    i18n::tutorial_heading(ex.lines.0, ex.lines.1, ex.has_code, lang)
}

/// The Rust port's heading, as the page's: its file.
fn rust_heading(ex: &parallel_playground::examples::Example, lang: Lang) -> String {
    format!("{}src/examples/{}", i18n::rust_heading(lang), ex.rust.file)
}
