//! The interface in English and Chinese. Plain data, no browser: the page picks the
//! language (`ui::app`), the text is here.
//!
//! Why tables of our own and not an i18n crate (fluent, rust-i18n): with two languages, a
//! struct with one field per language makes a missing translation a compile error, and a
//! message with values a plain function; a crate's keyed lookups would find it at run time.
//! The English of each example lives beside its port (`examples`), its Chinese in
//! `catalogue_zh`, and a test checks that none is missing.

mod catalogue_zh;
mod ui_text;

pub use ui_text::*;

use crate::examples::{Chapter, Example};

/// The interface language. The tutorial's own text, code and what programs print are not
/// translated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// `zh`, `zh-CN`, `zh-Hans`…, `en`, `en-GB`…; anything else is not a language we have.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The BCP 47 tag for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The language a switch turns to.
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Zh,
            Lang::Zh => Lang::En,
        }
    }
}

/// One interface string in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text {
    pub en: &'static str,
    pub zh: &'static str,
}

impl Text {
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Zh => self.zh,
        }
    }
}

fn zh_of(id: &str) -> Option<&'static catalogue_zh::ExampleZh> {
    catalogue_zh::EXAMPLES_ZH.iter().find(|e| e.id == id)
}

pub fn example_title(ex: &Example, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => zh_of(ex.id).map_or(ex.title, |z| z.title),
        Lang::En => ex.title,
    }
}

/// Whether an example's title is code (`join()`, `queue.Full`): the same in both languages,
/// and drawn as code.
pub fn title_is_code(ex: &Example) -> bool {
    zh_of(ex.id).is_some_and(|z| z.title == ex.title)
}

pub fn look_for(ex: &Example, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => zh_of(ex.id).map_or(ex.look_for, |z| z.look_for),
        Lang::En => ex.look_for,
    }
}

pub fn chapter_title(ch: &Chapter, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => catalogue_zh::CHAPTERS_ZH.iter().find(|(n, _)| *n == ch.number).map_or(ch.title, |(_, t)| t),
        Lang::En => ch.title,
    }
}

/// A parameter's label (`label` is its English, `Param::label`).
pub fn param_label(example: &str, name: &str, label: &'static str, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => zh_of(example).and_then(|z| z.params.iter().find(|(n, _)| *n == name)).map_or(label, |(_, zh)| zh),
        Lang::En => label,
    }
}

/// Where the tutorial's text is wrong for this example: what is right.
pub fn erratum(example: &str, lang: Lang) -> Option<&'static str> {
    catalogue_zh::TUTORIAL_ERRATA.iter().find(|(id, _, _)| *id == example).map(|(_, en, zh)| match lang {
        Lang::En => *en,
        Lang::Zh => *zh,
    })
}

/// A note on a line of a Python tab that differs from the tutorial (`examples::python`).
pub fn python_change(why: &'static str, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => catalogue_zh::PYTHON_CHANGES_ZH.iter().find(|(en, _)| *en == why).map_or(why, |(_, zh)| zh),
        Lang::En => why,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples::{python_tab, CATALOGUE, CHAPTERS};

    #[test]
    fn every_example_chapter_and_parameter_has_its_chinese() {
        for ex in CATALOGUE {
            let zh = zh_of(ex.id).unwrap_or_else(|| panic!("{}: no Chinese in catalogue_zh", ex.id));
            assert!(!zh.title.is_empty() && !zh.look_for.is_empty(), "{}", ex.id);
            for p in ex.params {
                assert!(
                    zh.params.iter().any(|(n, _)| *n == p.name),
                    "{}: parameter {} has no Chinese label",
                    ex.id,
                    p.name
                );
            }
            for (n, _) in zh.params {
                assert!(
                    ex.params.iter().any(|p| p.name == *n),
                    "{}: Chinese label for a parameter it lacks: {n}",
                    ex.id
                );
            }
            if let Some(tab) = python_tab(ex.id) {
                for (_, why) in tab.changes() {
                    assert_ne!(python_change(why, Lang::Zh), why, "{}: a change note without Chinese", ex.id);
                }
            }
        }
        for z in catalogue_zh::EXAMPLES_ZH {
            assert!(CATALOGUE.iter().any(|e| e.id == z.id), "catalogue_zh names an unknown example {}", z.id);
        }
        for (id, _, _) in catalogue_zh::TUTORIAL_ERRATA {
            assert!(CATALOGUE.iter().any(|e| e.id == *id), "an erratum for an unknown example {id}");
        }
        for ch in CHAPTERS {
            assert_ne!(chapter_title(ch, Lang::Zh), ch.title, "chapter {}", ch.number);
        }
    }

    #[test]
    fn languages_parse_from_browser_tags() {
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::parse("zh_Hant_TW"), Some(Lang::Zh));
        assert_eq!(Lang::parse(" EN-gb "), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::parse(""), None);
    }
}
