//! The shell: header (with the isolation check), catalogue sidebar, and the routed page.

use super::components::bench::BenchPage;
use super::components::example::ExamplePage;
use super::route::{example_href, Route};
use super::runner::Runner;
use crate::examples::{CATALOGUE, CHAPTERS};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    let route = use_state(Route::current);
    {
        let route = route.clone();
        use_effect_with((), move |_| {
            let on_change = Closure::<dyn FnMut()>::new(move || route.set(Route::current()));
            let window = web_sys::window().expect("the page has a window");
            window.set_onhashchange(Some(on_change.as_ref().unchecked_ref()));
            move || {
                window.set_onhashchange(None);
                drop(on_change);
            }
        });
    }
    let runner = use_memo((), |_| Runner::new());
    let isolated = crate::web::js::cross_origin_isolated();

    let page = match route.example.as_deref().map(|id| (id, crate::examples::find(id))) {
        _ if route.bench => html! { <BenchPage runner={Rc::clone(&*runner)} /> },
        Some((_, Some(example))) => html! {
            <ExamplePage key={example.id} {example} query={route.query.clone()} runner={Rc::clone(&*runner)} />
        },
        Some((id, None)) => html! {
            <section class="notice" data-testid="not-found">
                <h2>{ "No such example" }</h2>
                <p>{ format!("There is no example \u{201c}{id}\u{201d}. Pick one from the list.") }</p>
            </section>
        },
        None => html! { <Welcome /> },
    };

    html! {
        <div class="app">
            <header>
                <h1><a href="#/">{ "Parallel Playground" }</a></h1>
                <span class="tagline">{ "Python's threading, queue and multiprocessing, running for real on web workers" }</span>
                if isolated {
                    <span class="isolation" data-testid="isolation" data-isolated="true">{ "cross-origin isolated: shared memory on" }</span>
                }
            </header>
            if !isolated {
                <p class="isolation bad banner" data-testid="isolation" data-isolated="false" role="alert">
                    { "This page is not cross-origin isolated, so the browser gives it no shared memory between workers, and runs cannot start. \
                       Serve it with the headers \"Cross-Origin-Opener-Policy: same-origin\" and \"Cross-Origin-Embedder-Policy: require-corp\" \
                       (scripts/serve.sh does; on Netlify or Cloudflare Pages the _headers file of the build does)." }
                </p>
            }
            <div class="body">
                <Sidebar current={route.example.clone()} bench={route.bench} />
                <main>{ page }</main>
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct SidebarProps {
    current: Option<String>,
    bench: bool,
}

#[function_component(Sidebar)]
fn sidebar(props: &SidebarProps) -> Html {
    html! {
        <nav class="catalogue">
            { for CHAPTERS.iter().map(|ch| html! {
                <section>
                    <h3>{ format!("{}. {}", ch.number, ch.title) }</h3>
                    <ul>
                        { for CATALOGUE.iter().filter(|e| e.chapter == *ch).map(|e| {
                            let active = props.current.as_deref() == Some(e.id);
                            html! {
                                <li>
                                    <a href={example_href(e.id)} class={classes!(active.then_some("active"))}
                                       data-testid="example-link" data-id={e.id}>{ e.title }</a>
                                </li>
                            }
                        }) }
                    </ul>
                </section>
            }) }
            <section>
                <h3>{ "Measure" }</h3>
                <ul><li><a href="#/bench" class={classes!(props.bench.then_some("active"))}>{ "Benchmarks" }</a></li></ul>
            </section>
        </nav>
    }
}

#[function_component(Welcome)]
fn welcome() -> Html {
    html! {
        <section class="welcome">
            <h2>{ "Run the tutorial's examples, and see what every thread did" }</h2>
            <p>{ "Each example shows the tutorial's Python beside its Rust port. The port runs in your browser on real web workers sharing one WebAssembly memory: real threads, real locks, real timings." }</p>
            <p>{ "Pick an example on the left." }</p>
        </section>
    }
}
