//! The shell: header (the isolation check, the language and the theme), the catalogue
//! sidebar, the routed page, and the keys that move between examples.

use super::components::bench::BenchPage;
use super::components::example::ExamplePage;
use super::hooks::use_document_keydown;
use super::route::{example_href, Route};
use super::runner::Runner;
use super::saved;
use crate::examples::{CATALOGUE, CHAPTERS};
use crate::i18n::{self, Lang};
use pp_web::js::SharedMemory;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The interface language as `www/loader.js` decided it before the module loaded (the page's
/// or the route's `lang=`, the learner's last choice, the browser's languages: the rule is
/// written there once, since the read-only catalogue needs it when the module cannot load).
fn initial_lang() -> Lang {
    html_element()
        .and_then(|html| html.get_attribute("data-lang"))
        .and_then(|tag| Lang::parse(&tag))
        .unwrap_or_default()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Theme {
    System,
    Light,
    Dark,
}

impl Theme {
    fn parse(s: &str) -> Option<Theme> {
        match s {
            "system" => Some(Theme::System),
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

fn html_element() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.document_element()
}

/// The example `step` places after (or before) `id` in the list, if any.
fn neighbour(id: Option<&str>, step: isize) -> Option<&'static str> {
    let at = id.and_then(|id| CATALOGUE.iter().position(|e| e.id == id));
    let next = match at {
        Some(i) => i.checked_add_signed(step)?,
        None if step > 0 => 0,
        None => return None,
    };
    CATALOGUE.get(next).map(|e| e.id)
}

#[function_component(App)]
pub fn app() -> Html {
    let route = use_state(Route::current);
    let lang = use_state(initial_lang);
    let theme = use_state(|| saved::preference("theme").as_deref().and_then(Theme::parse).unwrap_or(Theme::System));
    {
        let (route, lang) = (route.clone(), lang.clone());
        use_effect_with((), move |_| {
            let on_change = Closure::<dyn FnMut()>::new(move || {
                let next = Route::current();
                if let Some(asked) = next.param("lang").and_then(Lang::parse) {
                    saved::set_preference("lang", asked.tag());
                    lang.set(asked);
                }
                route.set(next);
            });
            let window = web_sys::window().expect("the page has a window");
            window.set_onhashchange(Some(on_change.as_ref().unchecked_ref()));
            move || {
                window.set_onhashchange(None);
                drop(on_change);
            }
        });
    }
    use_effect_with(*lang, |lang| {
        if let Some(html) = html_element() {
            let _ = html.set_attribute("lang", lang.tag());
        }
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(i18n::APP_NAME.get(*lang));
        }
    });
    use_effect_with(*theme, |theme| {
        if let Some(html) = html_element() {
            let _ = match theme {
                Theme::System => html.remove_attribute("data-theme"),
                other => html.set_attribute("data-theme", other.as_str()),
            };
        }
    });
    // Alt+↓ / Alt+↑: the next / previous example.
    use_document_keydown(|e: web_sys::KeyboardEvent| {
        let step = match e.key().as_str() {
            "ArrowDown" if e.alt_key() => 1,
            "ArrowUp" if e.alt_key() => -1,
            _ => return,
        };
        if let Some(id) = neighbour(Route::current().example.as_deref(), step) {
            e.prevent_default();
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_hash(&example_href(id));
            }
        }
    });
    let runner = use_memo((), |_| Runner::new());
    let memory = pp_web::js::shared_memory();
    let l = *lang;

    let page = match route.example.as_deref().map(|id| (id, crate::examples::find(id))) {
        _ if route.bench => html! { <BenchPage runner={Rc::clone(&*runner)} /> },
        // Keyed by the address too: another address (a followed link, an edited URL) is a
        // fresh page, its form filled from that address.
        Some((_, Some(example))) => html! {
            <ExamplePage key={format!("{}?{:?}", example.id, route.query)} {example} query={route.query.clone()}
                         runner={Rc::clone(&*runner)} />
        },
        Some((id, None)) => html! {
            <section class="notice" data-testid="not-found">
                <h2>{ i18n::NO_SUCH_EXAMPLE.get(l) }</h2>
                <p>{ i18n::not_found(id, l) }</p>
            </section>
        },
        None => match &route.unknown {
            Some(path) => html! {
                <section class="notice" data-testid="not-found">
                    <h2>{ i18n::NO_SUCH_PAGE.get(l) }</h2>
                    <p>{ i18n::unknown_page(path, l) }</p>
                </section>
            },
            None => html! { <Welcome runner={Rc::clone(&*runner)} /> },
        },
    };
    let on_lang = {
        let lang = lang.clone();
        Callback::from(move |_| {
            let next = lang.other();
            saved::set_preference("lang", next.tag());
            lang.set(next);
        })
    };
    let on_theme = {
        let theme = theme.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            if let Some(next) = Theme::parse(&value) {
                saved::set_preference("theme", next.as_str());
                theme.set(next);
            }
        })
    };

    html! {
        <ContextProvider<Lang> context={l}>
        <div class="app">
            <header>
                <h1><a href="#/">{ i18n::APP_NAME.get(l) }</a></h1>
                <span class="tagline">{ i18n::TAGLINE.get(l) }</span>
                if memory == SharedMemory::Works {
                    <span class="isolation" data-testid="isolation" data-isolated="true">{ i18n::ISOLATED.get(l) }</span>
                }
                <span class="prefs">
                    <label>
                        <span class="visually-hidden">{ i18n::THEME_LABEL.get(l) }</span>
                        <select data-testid="theme" onchange={on_theme} aria-label={i18n::THEME_LABEL.get(l)}>
                            { for [Theme::System, Theme::Light, Theme::Dark].into_iter().map(|t| {
                                let text = match t {
                                    Theme::System => i18n::THEME_SYSTEM,
                                    Theme::Light => i18n::THEME_LIGHT,
                                    Theme::Dark => i18n::THEME_DARK,
                                };
                                html! { <option value={t.as_str()} selected={*theme == t}>{ text.get(l) }</option> }
                            }) }
                        </select>
                    </label>
                    <button data-testid="lang-switch" onclick={on_lang} lang={l.other().tag()}
                            aria-label={i18n::SWITCH_LANGUAGE_LABEL.get(l)}>{ i18n::SWITCH_LANGUAGE.get(l) }</button>
                </span>
            </header>
            if memory == SharedMemory::NotIsolated {
                <p class="isolation bad banner" data-testid="isolation" data-isolated="false"
                   data-reason="not-isolated" role="alert">
                    { i18n::NOT_ISOLATED.get(l) }
                </p>
            }
            // `data-isolated` is `crossOriginIsolated`, as the page contract has it (here: true);
            // `data-reason` says why runs cannot start all the same.
            if memory == SharedMemory::Unavailable {
                <p class="isolation bad banner" data-testid="isolation" data-isolated="true"
                   data-reason="no-shared-memory" role="alert">
                    { i18n::NO_SHARED_MEMORY.get(l) }
                </p>
            }
            <div class="body">
                <Sidebar current={route.example.clone()} bench={route.bench} />
                <main>{ page }</main>
            </div>
        </div>
        </ContextProvider<Lang>>
    }
}

#[derive(Properties, PartialEq)]
struct SidebarProps {
    current: Option<String>,
    bench: bool,
}

#[function_component(Sidebar)]
fn sidebar(props: &SidebarProps) -> Html {
    let l = use_context::<Lang>().unwrap_or_default();
    html! {
        <nav class="catalogue" aria-label={i18n::CATALOGUE_LABEL.get(l)}>
            { for CHAPTERS.iter().map(|ch| html! {
                <section>
                    <h3>{ format!("{}. {}", ch.number, i18n::chapter_title(ch, l)) }</h3>
                    <ul>
                        { for CATALOGUE.iter().filter(|e| e.chapter == *ch).map(|e| {
                            let active = props.current.as_deref() == Some(e.id);
                            html! {
                                <li>
                                    <a href={example_href(e.id)} class={classes!(active.then_some("active"))}
                                       aria-current={active.then_some("page")}
                                       data-testid="example-link" data-id={e.id}>
                                        if i18n::title_is_code(e) { <code>{ e.title }</code> } else { { i18n::example_title(e, l) } }
                                    </a>
                                </li>
                            }
                        }) }
                    </ul>
                </section>
            }) }
            <section>
                <h3>{ i18n::MEASURE.get(l) }</h3>
                <ul><li><a href="#/bench" class={classes!(props.bench.then_some("active"))}>{ i18n::BENCHMARKS.get(l) }</a></li></ul>
            </section>
            <p class="keys-help">{ i18n::KEYS_HELP.get(l) }</p>
        </nav>
    }
}

#[derive(Properties)]
struct WelcomeProps {
    runner: Rc<Runner>,
}

impl PartialEq for WelcomeProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.runner, &other.runner)
    }
}

/// The landing page: what this is, the chapters, and the benchmark in this browser on request.
#[function_component(Welcome)]
fn welcome(props: &WelcomeProps) -> Html {
    let l = use_context::<Lang>().unwrap_or_default();
    let measuring = use_state(|| false);
    let on_measure = {
        let measuring = measuring.clone();
        Callback::from(move |_| measuring.set(true))
    };
    html! {
        <section class="welcome" data-testid="welcome">
            <h2>{ i18n::WELCOME_TITLE.get(l) }</h2>
            <p>{ i18n::WELCOME_WHAT.get(l) }</p>
            <h3>{ i18n::WELCOME_CHAPTERS.get(l) }</h3>
            <ol class="chapters">
                { for CHAPTERS.iter().filter_map(|ch| {
                    let first = CATALOGUE.iter().find(|e| e.chapter == *ch)?;
                    Some(html! {
                        <li><a href={example_href(first.id)} data-testid="chapter-link">{ i18n::chapter_title(ch, l) }</a></li>
                    })
                }) }
            </ol>
            <h3>{ i18n::WELCOME_MEASURE.get(l) }</h3>
            if *measuring {
                <BenchPage runner={props.runner.clone()} />
            } else {
                <button data-testid="welcome-measure" onclick={on_measure}>{ i18n::WELCOME_MEASURE_RUN.get(l) }</button>
            }
        </section>
    }
}
