//! Small form pieces shared by the pages: the two periods a comparison is between (before and
//! after a campaign, say) — the KPI, cross-purchase and NPS trends use them — a labelled text
//! field bound to a state, and the format of an export.

use crate::core::export::ExportFormat;
use crate::ui::i18n::Texts;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The periods picked (indices into the labels), until the user picks, none.
pub type Pick = UseStateHandle<Option<(usize, usize)>>;

/// The "before" and "after" selects over `labels`, showing `(a, b)`; their test ids are
/// `{prefix}-before` and `{prefix}-after`.
pub fn period_selects(t: &Texts, labels: &[String], pick: &Pick, (a, b): (usize, usize), prefix: &str) -> Html {
    let select = |which: usize, value: usize| {
        let pick = pick.clone();
        let onchange = Callback::from(move |e: Event| {
            let v: usize = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value().parse().unwrap_or(0);
            pick.set(Some(if which == 0 { (v, b) } else { (a, v) }));
        });
        let (label, side) = if which == 0 { (t.trend_before, "before") } else { (t.trend_after, "after") };
        html! {
            <label>{ label }
                <select {onchange} data-testid={format!("{prefix}-{side}")}>
                    { for labels.iter().enumerate().map(|(k, l)| html! { <option value={k.to_string()} selected={k == value}>{ l.clone() }</option> }) }
                </select>
            </label>
        }
    };
    html! { <>{ select(0, a) }{ select(1, b) }</> }
}

/// A labelled text input bound to `handle`, with test id `id`.
pub fn text_field(label: &'static str, id: &'static str, handle: &UseStateHandle<String>) -> Html {
    let h = handle.clone();
    html! {
        <label>{ label }
            <input type="text" inputmode="decimal" value={(**handle).clone()} data-testid={id}
                oninput={move |e: InputEvent| h.set(e.target_unchecked_into::<HtmlInputElement>().value())} />
        </label>
    }
}

/// The export format's select (CSV UTF-8, CSV GBK, XLSX) bound to `format`, with test id `id`.
pub fn format_select(format: &UseStateHandle<ExportFormat>, id: &'static str) -> Html {
    let handle = format.clone();
    let onchange = Callback::from(move |e: Event| {
        handle.set(match e.target_unchecked_into::<web_sys::HtmlSelectElement>().value().as_str() {
            "gbk" => ExportFormat::CsvGbk,
            "xlsx" => ExportFormat::Xlsx,
            _ => ExportFormat::CsvUtf8,
        })
    });
    html! {
        <select {onchange} data-testid={id} aria-label="format">
            <option value="utf8" selected={**format == ExportFormat::CsvUtf8}>{ "CSV (UTF-8)" }</option>
            <option value="gbk" selected={**format == ExportFormat::CsvGbk}>{ "CSV (GBK)" }</option>
            <option value="xlsx" selected={**format == ExportFormat::Xlsx}>{ "Excel (.xlsx)" }</option>
        </select>
    }
}
