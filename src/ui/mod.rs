//! The Yew app: a thin layer over the worker. Components lay out values the worker computed.
//!
//! The app's state ([`state`]), its texts ([`i18n`]) and number formats ([`format`]) compile natively and are tested there;
//! everything that touches the browser is WebAssembly only.

pub mod format;
pub mod i18n;
pub mod state;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod bridge;
#[cfg(target_arch = "wasm32")]
pub mod chart_export;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod context;
#[cfg(target_arch = "wasm32")]
pub mod crash;
#[cfg(target_arch = "wasm32")]
pub mod pages;
#[cfg(target_arch = "wasm32")]
pub mod rehearsal;

/// Mounts the app into the page's `<main id="app">`, or the body.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    crash::install_panic_hook();
    // A task after the first render: nothing needs it sooner, and its first call was about 5 ms
    // of the first render's task.
    later(register_service_worker);
    let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => yew::Renderer::<app::App>::with_root(root).render(),
        None => yew::Renderer::<app::App>::new().render(),
    };
}

/// Registers `sw.js` (written by the build), which keeps the app's own files so that it opens
/// offline after the first load. Only where the browser allows service workers (https or
/// localhost); elsewhere the app works the same, online.
#[cfg(target_arch = "wasm32")]
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

/// Runs `f` in a task of its own, after the current one (not at all where the browser will not
/// schedule it, which it says on the console).
#[cfg(target_arch = "wasm32")]
pub(crate) fn later(f: impl FnOnce() + 'static) {
    use wasm_bindgen::{closure::Closure, JsCast};
    let f = Closure::once_into_js(f);
    let scheduled =
        web_sys::window().map(|w| w.set_timeout_with_callback_and_timeout_and_arguments_0(f.unchecked_ref(), 0).is_ok());
    if scheduled != Some(true) {
        web_sys::console::error_1(&"loyalty-lens: cannot schedule a task".into());
    }
}
