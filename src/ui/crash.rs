//! What a panic on the page leaves behind: not a blank or frozen page but a screen that says what
//! happened, that the data never left the browser, and offers a reload. It is drawn with plain DOM
//! calls (text nodes only) because Yew cannot be trusted after a panic.

use super::i18n::Lang;
use wasm_bindgen::JsCast;

/// Replaces the default panic handling of the page: log to the console, then show the crash screen.
/// (Through Yew, which otherwise installs its own hook when the app is rendered.)
pub fn install_panic_hook() {
    yew::set_custom_panic_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_crash_screen(&info.to_string());
    }));
}

fn show_crash_screen(detail: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(body) = document.body() else { return };
    if document.get_element_by_id("crash").is_some() {
        return;
    }
    let t = Lang::initial().texts();
    let element = |tag: &str, class: &str, text: &str| {
        let e = document.create_element(tag).ok()?;
        if !class.is_empty() {
            e.set_class_name(class);
        }
        e.set_text_content(Some(text));
        Some(e)
    };
    let Some(overlay) = element("div", "crash", "") else { return };
    overlay.set_id("crash");
    let _ = overlay.set_attribute("role", "alert");
    let _ = overlay.set_attribute("data-testid", "crash");
    let card = element("section", "card error", "");
    let parts = [
        element("h2", "", t.crash_title),
        element("p", "", t.crash_body),
        element("pre", "crash-detail", detail),
        element("a", "button", t.crash_reload),
    ];
    if let Some(card) = card {
        for part in parts.into_iter().flatten() {
            if part.tag_name() == "A" {
                // Reloads the app itself (relative, so any sub-path works); no script needed.
                if let Some(a) = part.dyn_ref::<web_sys::HtmlAnchorElement>() {
                    a.set_href("./");
                }
                let _ = part.set_attribute("data-testid", "crash-reload");
            }
            let _ = card.append_child(&part);
        }
        let _ = overlay.append_child(&card);
    }
    let _ = body.append_child(&overlay);
}
