//! The Yew app: a thin layer over the worker. Components lay out values the worker computed.

pub mod app;
pub mod bridge;
pub mod chart_export;
pub mod components;
pub mod format;
pub mod i18n;
pub mod pages;
pub mod state;

/// Mounts the app into the page's `<main id="app">`, or the body.
pub fn start() {
    let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => yew::Renderer::<app::App>::with_root(root).render(),
        None => yew::Renderer::<app::App>::new().render(),
    };
}
