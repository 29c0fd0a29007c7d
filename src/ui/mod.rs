//! The Yew app: a thin layer over the worker. Components lay out values the worker computed.

pub mod app;
pub mod bridge;
pub mod chart_export;
pub mod components;
pub mod crash;
pub mod format;
pub mod i18n;
pub mod pages;
pub mod rehearsal;
pub mod state;

/// Mounts the app into the page's `<main id="app">`, or the body.
pub fn start() {
    crash::install_panic_hook();
    register_service_worker();
    let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => yew::Renderer::<app::App>::with_root(root).render(),
        None => yew::Renderer::<app::App>::new().render(),
    };
}

/// Registers `sw.js` (written by the build), which keeps the app's own files so that it opens
/// offline after the first load. Only where the browser allows service workers (https or
/// localhost); elsewhere the app works the same, online.
fn register_service_worker() {
    use wasm_bindgen::{closure::Closure, JsValue};
    let Some(window) = web_sys::window() else { return };
    let navigator = window.navigator();
    if !window.is_secure_context() || !js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false) {
        return;
    }
    let failed = Closure::<dyn FnMut(JsValue)>::new(|e: JsValue| {
        web_sys::console::warn_2(&JsValue::from_str("loyalty-lens: offline use is unavailable:"), &e);
    });
    let _ = navigator.service_worker().register("./sw.js").catch(&failed);
    failed.forget(); // once per page load
}
