//! What the page keeps for a learner: each example's edited Python (the browser's
//! localStorage, per example), and the share link's encoding of a program.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

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

/// A program as a share link's `code=` value.
pub fn encode_program(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(text.as_bytes())
}

/// A share link's `code=` value, or why it cannot be read.
pub fn decode_program(code: &str) -> Result<String, String> {
    let bytes = URL_SAFE_NO_PAD
        .decode(code.trim().trim_end_matches('='))
        .map_err(|e| format!("the code in the address is not a program ({e})"))?;
    String::from_utf8(bytes).map_err(|_| "the code in the address is not UTF-8 text".to_string())
}
