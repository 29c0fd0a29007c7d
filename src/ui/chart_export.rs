//! Charts saved as files: an SVG with the page's styles inlined (so it looks the same outside the
//! app), or a PNG drawn from that SVG at twice the size, on white. Everything happens in the
//! browser; nothing is sent anywhere.

use super::bridge::download_blob;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, CanvasRenderingContext2d, Element, HtmlCanvasElement, HtmlImageElement, Url};

/// The computed properties that decide how SVG shapes and text look.
const STYLE_PROPS: &[&str] = &[
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-dasharray",
    "opacity",
    "font-family",
    "font-size",
    "font-weight",
    "text-anchor",
    "dominant-baseline",
    "display",
];

/// Copies the computed look onto the copy as SVG presentation attributes (not a `style`
/// attribute, which the page's Content-Security-Policy forbids).
fn inline_style(window: &web_sys::Window, from: &Element, to: &Element) {
    let Ok(Some(style)) = window.get_computed_style(from) else { return };
    for p in STYLE_PROPS {
        if let Some(value) = style.get_property_value(p).ok().filter(|v| !v.is_empty()) {
            let _ = to.set_attribute(p, &value);
        }
    }
}

/// The chart as a standalone SVG document, and its size in CSS pixels.
pub fn standalone_svg(svg: &Element) -> Option<(String, f64, f64)> {
    let window = web_sys::window()?;
    let clone: Element = svg.clone_node_with_deep(true).ok()?.dyn_into().ok()?;
    inline_style(&window, svg, &clone);
    let (originals, copies) = (svg.query_selector_all("*").ok()?, clone.query_selector_all("*").ok()?);
    for i in 0..originals.length().min(copies.length()) {
        if let (Some(a), Some(b)) = (originals.item(i), copies.item(i)) {
            if let (Ok(a), Ok(b)) = (a.dyn_into::<Element>(), b.dyn_into::<Element>()) {
                inline_style(&window, &a, &b);
            }
        }
    }
    let rect = svg.get_bounding_client_rect();
    let (w, h) = (rect.width().max(1.0), rect.height().max(1.0));
    clone.set_attribute("xmlns", "http://www.w3.org/2000/svg").ok()?;
    clone.set_attribute("width", &format!("{w:.0}")).ok()?;
    clone.set_attribute("height", &format!("{h:.0}")).ok()?;
    let text = web_sys::XmlSerializer::new().ok()?.serialize_to_string(&clone).ok()?;
    Some((format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{text}"), w, h))
}

fn svg_blob(text: &str) -> Option<Blob> {
    let parts = js_sys::Array::new();
    parts.push(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type("image/svg+xml;charset=utf-8");
    Blob::new_with_str_sequence_and_options(&parts, &options).ok()
}

/// Saves the chart as `name.svg`.
pub fn download_svg(svg: &Element, name: &str) {
    if let Some(blob) = standalone_svg(svg).and_then(|(text, _, _)| svg_blob(&text)) {
        download_blob(&format!("{name}.svg"), &blob);
    }
}

/// Saves the chart as `name.png`, drawn at twice its on-screen size on a white background.
pub fn download_png(svg: &Element, name: &str) {
    const SCALE: f64 = 2.0;
    let Some((text, w, h)) = standalone_svg(svg) else { return };
    let Some(blob) = svg_blob(&text) else { return };
    let Ok(url) = Url::create_object_url_with_blob(&blob) else { return };
    let Ok(img) = HtmlImageElement::new() else { return };
    let file_name = format!("{name}.png");
    let onload = {
        let (img, url) = (img.clone(), url.clone());
        Closure::once(move || {
            let _ = Url::revoke_object_url(&url);
            let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
            let Some(canvas) = document.create_element("canvas").ok().and_then(|c| c.dyn_into::<HtmlCanvasElement>().ok()) else {
                return;
            };
            canvas.set_width((w * SCALE) as u32);
            canvas.set_height((h * SCALE) as u32);
            let Some(ctx) = canvas.get_context("2d").ok().flatten().and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
            else {
                return;
            };
            ctx.set_fill_style_str("#ffffff");
            ctx.fill_rect(0.0, 0.0, w * SCALE, h * SCALE);
            let _ = ctx.draw_image_with_html_image_element_and_dw_and_dh(&img, 0.0, 0.0, w * SCALE, h * SCALE);
            let saved = Closure::once(move |blob: Option<Blob>| {
                if let Some(blob) = blob {
                    download_blob(&file_name, &blob);
                }
            });
            let _ = canvas.to_blob(saved.as_ref().unchecked_ref());
            saved.forget();
        })
    };
    img.set_onload(Some(onload.as_ref().unchecked_ref()));
    onload.forget();
    img.set_src(&url);
}
