//! Taking a run away: the run as a Chrome trace-event file (`ui::trace`) and the timeline as a
//! self-contained SVG (the figure with its colours and fonts written into it, so it looks the
//! same opened alone, in the theme it was drawn in).

use crate::i18n::Lang;
use crate::ui::state::RunState;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

/// Offers `text` as a file download named `file_name`.
pub fn save(file_name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&js_sys::Array::of1(&text.into()), &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    // Not revoked at once: the browser reads the blob after click() returned.
    gloo_timers::callback::Timeout::new(60_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}

/// The run as trace-event JSON (maps as objects, numbers as numbers).
pub fn trace_json(run: &RunState, lang: Lang) -> Result<String, JsValue> {
    let value = crate::ui::trace::trace(run, lang)
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsValue::from_str(&e.to_string()))?;
    js_sys::JSON::stringify(&value)?.as_string().ok_or_else(|| "the trace is not text".into())
}

/// The figure as a standalone SVG document: the page's stylesheet does not go with it, so
/// each shape and text gets the colour and font it is drawn with now.
pub fn svg_document(svg: &web_sys::Element) -> Result<String, JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let copy: web_sys::Element = svg.clone_node_with_deep(true)?.unchecked_into();
    copy.set_attribute("xmlns", "http://www.w3.org/2000/svg")?;
    let (drawn, copied) =
        (svg.query_selector_all("rect, text, line, path")?, copy.query_selector_all("rect, text, line, path")?);
    for i in 0..drawn.length() {
        let (Some(from), Some(to)) = (drawn.item(i), copied.item(i)) else { continue };
        let (from, to): (web_sys::Element, web_sys::Element) = (from.unchecked_into(), to.unchecked_into());
        let Some(style) = window.get_computed_style(&from)? else { continue };
        for property in ["fill", "stroke", "stroke-width", "opacity", "font-size", "font-family"] {
            let value = style.get_property_value(property)?;
            if !value.is_empty() {
                to.set_attribute(property, &value)?;
            }
        }
    }
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}",
        web_sys::XmlSerializer::new()?.serialize_to_string(&copy)?
    ))
}
