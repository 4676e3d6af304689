//! The part of an example file that one example runs: its entry function and the items it
//! reaches (the functions it calls, the types it uses and their `impl`s), under the file's
//! opening comment and `use` lines. Several tutorial cells share a file; a learner comparing
//! one cell with its port should not have to find it among the others.
//!
//! It reads the file as the example files are written (rustfmt'd, items at column 0, each
//! ending with a line that starts with a closing bracket, or with a `;`), not as a Rust
//! parser would: the tests check it on every example of the catalogue.

/// One top-level item: its lines, with the doc comments and attributes above it.
struct Item<'a> {
    name: &'a str,
    /// `impl X` and `impl Trait for X` come along with X.
    is_impl: bool,
    lines: Vec<&'a str>,
}

/// The file's header (comments and `use` lines), then the items `entry` reaches, in file order.
pub fn excerpt(source: &str, entry: &str) -> Option<String> {
    let (header, items) = split(source);
    let mut wanted = vec![false; items.len()];
    let mut queue: Vec<&str> = vec![entry];
    while let Some(name) = queue.pop() {
        for (i, item) in items.iter().enumerate() {
            if item.name == name && !wanted[i] {
                wanted[i] = true;
                queue.extend(items.iter().filter(|other| !other.is_impl && mentions(item, other.name)).map(|o| o.name));
            }
        }
    }
    if !items.iter().zip(&wanted).any(|(item, &w)| w && item.name == entry && !item.is_impl) {
        return None;
    }
    let mut out = header.join("\n");
    for (item, _) in items.iter().zip(&wanted).filter(|(_, &w)| w) {
        out.push_str("\n\n");
        out.push_str(&item.lines.join("\n"));
    }
    Some(out)
}

/// Whether an item's code (not its comments or strings) uses `name` as a word of its own:
/// not a method (`pool.apply_async`) nor a path's end (`pp_runtime::threading::sleep`).
fn mentions(item: &Item<'_>, name: &str) -> bool {
    let code_of = |line: &str| -> String {
        let line = line.replace("\\\"", "");
        let code = line.split("//").next().unwrap_or("");
        code.split('"').step_by(2).collect::<Vec<_>>().join(" ")
    };
    item.lines.iter().map(|l| code_of(l)).any(|code| {
        code.match_indices(name).any(|(at, _)| {
            let before = &code[..at];
            let after = &code[at + name.len()..];
            let word_char = |c: char| c.is_alphanumeric() || c == '_';
            !before.ends_with(word_char)
                && !after.starts_with(word_char)
                && !before.ends_with('.')
                && !before.ends_with("::")
        })
    })
}

fn split(source: &str) -> (Vec<&str>, Vec<Item<'_>>) {
    let lines: Vec<&str> = source.lines().collect();
    let mut header = Vec::new();
    let mut i = 0;
    // The header: the file's comment, blank lines and `use` statements (which may span lines).
    while i < lines.len() {
        let line = lines[i];
        let comment = line.starts_with("//") && !line.starts_with("///");
        if !(line.trim().is_empty() || comment || line.starts_with("use ")) {
            break;
        }
        header.push(line);
        while line.starts_with("use ") && !lines[i].trim_end().ends_with(';') && i + 1 < lines.len() {
            i += 1;
            header.push(lines[i]);
        }
        i += 1;
    }
    while header.last().is_some_and(|l| l.trim().is_empty()) {
        header.pop();
    }
    let mut items = Vec::new();
    let mut prefix: Vec<&str> = Vec::new();
    while i < lines.len() {
        let line = lines[i];
        if is_prefix(line) {
            prefix.push(line);
        } else if starts_item(line) {
            let mut body = std::mem::take(&mut prefix);
            body.push(line);
            let whole = line.trim_end().ends_with(';') || line.trim_end().ends_with('}');
            if !whole {
                while i + 1 < lines.len() && !lines[i].starts_with(['}', ']', ')']) {
                    i += 1;
                    body.push(lines[i]);
                }
            }
            let (name, is_impl) = name_of(line);
            items.push(Item { name, is_impl, lines: body });
        } else {
            prefix.clear();
        }
        i += 1;
    }
    (header, items)
}

fn is_prefix(line: &str) -> bool {
    line.starts_with("///") || line.starts_with("#[") || line.starts_with("// ")
}

fn starts_item(line: &str) -> bool {
    let line = line.strip_prefix("pub(crate) ").or_else(|| line.strip_prefix("pub ")).unwrap_or(line);
    ["fn ", "struct ", "enum ", "impl", "const ", "static ", "type "].iter().any(|k| line.starts_with(k))
}

/// The item's name: what follows its keyword, or for an `impl` the type it is for.
fn name_of(line: &str) -> (&str, bool) {
    let words: Vec<&str> = line.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|w| !w.is_empty()).collect();
    if words.contains(&"impl") && line.trim_start().trim_start_matches("pub ").starts_with("impl") {
        let ty = match words.iter().position(|w| *w == "for") {
            Some(i) => words.get(i + 1),
            None => words.get(1),
        };
        return (ty.copied().unwrap_or(""), true);
    }
    let keyword = words.iter().position(|w| ["fn", "struct", "enum", "const", "static", "type"].contains(w));
    (keyword.and_then(|k| words.get(k + 1)).copied().unwrap_or(""), false)
}
