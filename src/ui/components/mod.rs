//! One component per file; each reads the shared [`super::context::AppContext`].

pub mod abc;
pub mod chart_card;
pub mod clv_groups;
pub mod comments;
pub mod compare;
pub mod cross_sell;
pub mod customer_list;
pub mod customer_picker;
pub mod flow;
pub mod follow_up;
pub mod funnel;
pub mod group_table;
pub mod guide;
pub mod header;
pub mod kpi_trend;
pub mod mapping;
pub mod matrix;
pub mod more;
pub mod nps_trend;
pub mod participation;
pub mod preview;
pub mod profile;
pub mod progress;
pub mod pyramid_chart;
pub mod reading;
pub mod rejected;
pub mod report;
pub mod rf_heatmap;
pub mod rules;
pub mod segment_bars;
pub mod statuses;
pub mod summary;
pub mod tables;
pub mod tabs;
pub mod tour;
pub mod upload;

/// The `onchange` of a file input for a second file (a survey, a member list, events): `load`
/// gets the file chosen, and the input is emptied so that the same file can be chosen again.
pub fn on_file_chosen(load: impl Fn(&web_sys::File) + 'static) -> yew::Callback<web_sys::Event> {
    use yew::TargetCast;
    yew::Callback::from(move |e: web_sys::Event| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            load(&file);
        }
        input.set_value("");
    })
}

/// `onkeydown` for a chart part or table row that opens something on click: Enter or Space does
/// the same (with `tabindex="0"` and `role="button"` the whole flow works with the keyboard alone).
pub fn on_activate(open: yew::Callback<()>) -> yew::Callback<web_sys::KeyboardEvent> {
    yew::Callback::from(move |e: web_sys::KeyboardEvent| {
        if e.key() == "Enter" || e.key() == " " {
            e.prevent_default();
            open.emit(());
        }
    })
}

/// What a data file input offers to choose: the formats the reader understands.
const DATA_FILES: &str = ".csv,.tsv,.txt,.xlsx,.xls,.xlsm,text/csv,text/plain";

/// A button that chooses a data file (transactions, a survey, a member list, events): `label` on a
/// button (`primary` or not) over a hidden file input with test id `testid`.
pub fn data_file_button(label: &str, onchange: yew::Callback<web_sys::Event>, testid: &'static str, primary: bool) -> yew::Html {
    use yew::prelude::*;
    html! {
        <label class={classes!("button", primary.then_some("primary"))}>
            { label.to_string() }
            <input type="file" class="visually-hidden" accept={DATA_FILES} {onchange} data-testid={testid} />
        </label>
    }
}

/// Money in a card or a line of text: compact ([`crate::ui::format::money_compact`]) with the exact amount, currency
/// symbol included, on hover (the exports carry the exact value).
pub fn money_html(v: f64, currency: Option<&str>, lang: crate::ui::i18n::Lang) -> yew::Html {
    use crate::ui::format;
    yew::html! { <span title={format::money_exact(v, currency)}>{ format::money_compact(v, currency, lang) }</span> }
}
