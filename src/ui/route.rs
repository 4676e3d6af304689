//! The page's address: `#/ex/<id>?name=value&...`.

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Route {
    /// `#/bench`: the benchmark page.
    pub bench: bool,
    pub example: Option<String>,
    pub query: Vec<(String, String)>,
    /// A path that is no page of ours (`#/nothing`), to say so.
    pub unknown: Option<String>,
}

impl Route {
    pub fn parse(hash: &str) -> Route {
        let hash = hash.trim_start_matches('#');
        let (path, query) = hash.split_once('?').unwrap_or((hash, ""));
        let example = path.strip_prefix("/ex/").filter(|id| !id.is_empty()).map(str::to_string);
        let bench = path == "/bench";
        let home = matches!(path, "" | "/");
        let unknown = (!bench && !home && example.is_none()).then(|| path.to_string());
        Route { bench, example, query: crate::params::parse_query(query), unknown }
    }

    /// A parameter of the route (the last, if repeated).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn current() -> Route {
        let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
        Route::parse(&hash)
    }
}

/// This page's address with another `hash` (a link to share).
pub fn page_link(hash: &str) -> String {
    let location = web_sys::window().map(|w| w.location());
    let base = location
        .and_then(|l| Some(format!("{}{}{}", l.origin().ok()?, l.pathname().ok()?, l.search().ok()?)))
        .unwrap_or_default();
    format!("{base}{hash}")
}

pub fn example_href(id: &str) -> String {
    crate::ui::address::Address::example(id).hash()
}
