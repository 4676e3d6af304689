//! The Python tab's lazy loads (www/python.js): the Python module, fetched once with its
//! progress and compiled, and the editor.

use crate::ui::example_state::Progress;
use pp_web::host::{describe, Module};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/www/python.js")]
extern "C" {
    #[wasm_bindgen(js_name = loadPython)]
    fn load_python_js(on_progress: &js_sys::Function) -> js_sys::Promise;

    #[wasm_bindgen(js_name = loadEditor)]
    fn load_editor_js() -> js_sys::Promise;
}

/// The Python module's name for the host: a child process of any run may name it
/// (`Process::in_module`) once the Python tab has loaded it.
pub const PYTHON_MODULE: &str = "python";

/// Python processes kept instantiated for a run (each a memory of tens of MiB): two, for the
/// tutorial's pairs of processes and `Pool(2)`; a larger pool's other workers start cold.
const PYTHON_WARM_CHILDREN: usize = 2;

/// Fetches and compiles the Python module (once per page: a second call gets the same
/// module), telling `on_progress` how far it is.
pub async fn load_python(on_progress: impl Fn(Progress) + 'static) -> Result<Module, String> {
    let callback = Closure::<dyn Fn(f64, f64, String)>::new(move |received, total, phase: String| {
        on_progress(if phase == "compiling" { Progress::Compiling } else { Progress::Downloading { received, total } })
    });
    let loaded = JsFuture::from(load_python_js(callback.as_ref().unchecked_ref())).await.map_err(describe)?;
    let field = |name: &str| js_sys::Reflect::get(&loaded, &name.into()).map_err(describe);
    let glue = field("glue")?.as_string().ok_or("the Python module's glue has no URL")?;
    Ok(Module::other(PYTHON_MODULE, glue, field("module")?, PYTHON_WARM_CHILDREN))
}

/// Fills `pre` with `text` highlighted as `language` (`python`, `rust`), with line numbers
/// (www/editor/editor.js's `highlightInto`; the text stays the element's textContent).
pub async fn highlight_into(pre: &web_sys::Element, text: &str, language: &str) -> Result<(), String> {
    let module = JsFuture::from(load_editor_js()).await.map_err(describe)?;
    let highlight: js_sys::Function = js_sys::Reflect::get(&module, &"highlightInto".into())
        .map_err(describe)?
        .dyn_into()
        .map_err(|_| "the editor module has no highlightInto".to_string())?;
    highlight.call3(&JsValue::NULL, pre, &text.into(), &language.into()).map_err(describe)?;
    Ok(())
}

/// An editor of the Python tab (www/editor/editor.js): a handle on the page's CodeMirror.
pub struct Editor {
    handle: JsValue,
}

impl Editor {
    /// Makes an editor in `parent` holding `text`, `label` its name for screen readers.
    pub async fn create(
        parent: &web_sys::Element,
        text: &str,
        label: &str,
        on_change: Closure<dyn Fn(String)>,
        on_run: Closure<dyn Fn()>,
    ) -> Result<Editor, String> {
        let module = JsFuture::from(load_editor_js()).await.map_err(describe)?;
        let create: js_sys::Function = js_sys::Reflect::get(&module, &"createEditor".into())
            .map_err(describe)?
            .dyn_into()
            .map_err(|_| "the editor module has no createEditor".to_string())?;
        let args = js_sys::Array::of5(parent, &text.into(), on_change.as_ref(), on_run.as_ref(), &label.into());
        let handle = create.apply(&JsValue::NULL, &args).map_err(describe)?;
        // The editor calls them as long as it lives: for the page's life.
        on_change.forget();
        on_run.forget();
        Ok(Editor { handle })
    }

    fn call(&self, method: &str, args: &[JsValue]) -> JsValue {
        let Ok(f) = js_sys::Reflect::get(&self.handle, &method.into()).and_then(|f| f.dyn_into::<js_sys::Function>())
        else {
            return JsValue::UNDEFINED;
        };
        f.apply(&JsValue::NULL, &args.iter().collect::<js_sys::Array>()).unwrap_or(JsValue::UNDEFINED)
    }

    pub fn text(&self) -> String {
        self.call("getText", &[]).as_string().unwrap_or_default()
    }

    pub fn set_text(&self, text: &str) {
        self.call("setText", &[text.into()]);
    }

    /// Marks line `line` (1-based; 0 clears) as where the source does not compile.
    pub fn mark_line(&self, line: u32) {
        self.call("markLine", &[line.into()]);
    }

    pub fn destroy(&self) {
        self.call("destroy", &[]);
    }
}
