//! What the page keeps for a learner (the browser's localStorage): each example's edited
//! Python, the interface language and the theme.

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn key(example: &str) -> String {
    format!("pp:python:{example}")
}

/// The learner's text of `example`'s Python tab, if they edited it.
pub fn edited(example: &str) -> Option<String> {
    storage()?.get_item(&key(example)).ok()?
}

/// Keeps `text` as the learner's, or forgets it when it is the tutorial's again.
pub fn remember(example: &str, text: &str, original: &str) {
    let Some(storage) = storage() else { return };
    // A full storage (or one the browser refuses) loses only the keeping, not the text.
    let _ = if text == original { storage.remove_item(&key(example)) } else { storage.set_item(&key(example), text) };
}

/// A preference the learner chose (`lang`, `theme`), if any.
pub fn preference(name: &str) -> Option<String> {
    storage()?.get_item(&format!("pp:{name}")).ok()?
}

pub fn set_preference(name: &str, value: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(&format!("pp:{name}"), value);
    }
}
