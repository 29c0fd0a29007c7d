//! Summary cards: rows, customers, orders, dates, revenue.

use crate::core::ingest::{IngestOptions, Report};
use crate::protocol::Slot;
use crate::ui::context::AppContext;
use crate::ui::format;
use crate::ui::i18n::Lang;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ReportProps {
    pub report: Rc<Report>,
    /// Which file the report is of; edits and downloads go to it.
    #[prop_or_default]
    pub slot: Slot,
}

/// A panel of the data page that can have its file read again: the report, the options it was
/// read with, and where changed options go.
#[derive(Properties, PartialEq)]
pub struct RereadProps {
    pub report: Rc<Report>,
    pub options: Rc<IngestOptions>,
    pub lang: Lang,
    /// Read the file again with these options.
    pub onreparse: Callback<IngestOptions>,
}

#[component]
pub fn Summary(props: &ReportProps) -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let t = ctx.state.lang.texts();
    let r = &props.report;
    let card = |label: &str, value: String, id: &'static str| {
        html! {
            <div class="stat">
                <div class="stat-label">{ label.to_string() }</div>
                <div class="stat-value" data-testid={id}>{ value }</div>
            </div>
        }
    };
    let range = r.totals.date_range.as_ref().map_or("—".to_string(), |d| format!("{} – {}", d.first, d.last));
    let revenue = r.totals.revenue.map_or("—".to_string(), |v| format::money_exact(v, r.currency.as_deref()));
    html! {
        <section class="card">
            <div class="card-head">
                <h2>{ t.summary_title }</h2>
                <span class="muted" data-testid="file-name">{ format!("{} · {}", r.file, format::bytes(r.bytes)) }</span>
            </div>
            <div class="stats">
                { card(t.customers, format::int(r.totals.customers as u64), "customers") }
                { card(t.rows_accepted, format::int(r.rows_accepted), "rows-accepted") }
                { card(t.rows_rejected, format::int(r.rows_rejected), "rows-rejected") }
                { card(t.orders, format::int(r.totals.orders as u64), "orders") }
                { card(t.date_range, range, "date-range") }
                { card(t.revenue, revenue, "revenue") }
                if r.totals.refunds > 0 { { card(t.refunds, format::int(r.totals.refunds as u64), "refunds") } }
                if r.totals.responses > 0 { { card(t.responses, format::int(r.totals.responses as u64), "responses") } }
            </div>
            if !r.warning_codes.is_empty() || !r.notices.is_empty() {
                <div class="warnings" data-testid="warnings">
                    <strong>{ t.warnings_title }</strong>
                    <ul>
                        { for r.warning_codes.iter().enumerate().map(|(i, w)| html! { <li key={format!("w{i}")}>{ ctx.state.lang.warning(w) }</li> }) }
                        { for r.notices.iter().enumerate().map(|(i, n)| html! { <li key={format!("n{i}")}>{ ctx.state.lang.notice(n) }</li> }) }
                    </ul>
                </div>
            }
        </section>
    }
}
