//! The drill-down list: a page of customers (100 at a time, so 100,000 stay smooth), paging and CSV
//! export of the whole list.

use crate::core::analysis::groups::GroupStat;
use crate::core::export::ExportFormat;
use crate::core::report::segments::{CustomerFilter, SegmentationSummary};
use crate::protocol::PAGE_SIZE;
use crate::ui::components::profile::customer_button;
use crate::ui::format;
use crate::ui::i18n::Lang;
use crate::ui::state::segments::CustomerList;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CustomerListProps {
    pub list: Rc<CustomerList>,
    /// The segmentation the filter's names come from.
    pub summary: Option<Rc<SegmentationSummary>>,
    /// The file's name, which the export's name starts with.
    pub file: AttrValue,
    pub lang: Lang,
    /// The user asked for the page starting at this offset.
    pub onpage: Callback<(CustomerFilter, usize)>,
    /// The user asked for the whole list as a file: filter, file name, format.
    pub onexport: Callback<(CustomerFilter, String, ExportFormat)>,
}

/// A short name for the filter, for the title and the export file name.
pub fn filter_name(filter: &CustomerFilter, summary: Option<&SegmentationSummary>) -> String {
    let key =
        |groups: Option<&Vec<GroupStat>>, k: usize| groups.and_then(|g| g.get(k)).map(|g| g.key.clone()).unwrap_or_default();
    match filter {
        CustomerFilter::All => "all".into(),
        CustomerFilter::Segment(k) => key(summary.map(|s| &s.segments), *k),
        CustomerFilter::Cn(c) => c.zh().into(),
        CustomerFilter::Cell { r, f } => format!("R{r}-F{f}"),
        CustomerFilter::Abc(a) => format!("ABC-{}", a.label()),
        CustomerFilter::Tier(k) => key(summary.and_then(|s| s.tiers.as_ref()), *k),
        CustomerFilter::Stage(st) => st.en().into(),
        CustomerFilter::State(st) => st.en().into(),
        CustomerFilter::Moved { from, to } => format!("{}-to-{}", from.en(), to.en()),
        CustomerFilter::Pyramid(k) => summary.and_then(|s| s.pyramid.tiers.get(*k)).map(|t| t.name.clone()).unwrap_or_default(),
        CustomerFilter::StageMoved { from, to } => format!("{}-to-{}", from.en(), to.en()),
        CustomerFilter::Participation { engagement, spend } => format!("engagement-{}-spend-{}", engagement + 1, spend + 1),
        CustomerFilter::Cohort { period, k } => {
            let label = summary.map_or_else(|| period.to_string(), |s| s.cohorts.period.label(*period));
            k.map_or_else(|| format!("cohort-{label}"), |k| format!("cohort-{label}+{k}"))
        }
        CustomerFilter::Attitude { behaviour, attitude } => format!("{behaviour:?}-{attitude:?}").to_lowercase(),
        CustomerFilter::NotYet { anchor, targets } => format!("{}-not-yet-{}", anchor.join("+"), targets.join("+")),
    }
}

#[component]
pub fn CustomerListPanel(props: &CustomerListProps) -> Html {
    let t = props.lang.texts();
    let l = &props.list;
    let name = filter_name(&l.filter, props.summary.as_deref());
    let page = |offset: usize| {
        let filter = l.filter.clone();
        props.onpage.reform(move |_: MouseEvent| (filter.clone(), offset))
    };
    let format = use_state(ExportFormat::default);
    let export = {
        let (filter, format) = (l.filter.clone(), format.clone());
        let file_name = format!("{}.{}.customers", props.file, name.replace([' ', '\''], "-"));
        props.onexport.reform(move |_: MouseEvent| (filter.clone(), file_name.clone(), *format))
    };
    let end = (l.offset + l.rows.len()).min(l.total);
    // A file without amounts: its money columns (spend, M, the 8 classes, ABC) and tiers by spend are left out.
    let money = props.summary.as_ref().is_none_or(|s| s.revenue.is_some());
    let tiers = props.summary.as_ref().is_none_or(|s| s.tiers.is_some());
    // An events file given: each customer's engagement score too.
    let engaged = l.rows.first().is_some_and(|r| r.engagement_score.is_some());
    let ctx = use_context::<crate::ui::context::AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let ids: Rc<Vec<String>> = Rc::new(l.rows.iter().map(|r| r.customer_id.clone()).collect());
    // A click on a chart far down the page (or a story's "everyone in …") opens the list elsewhere:
    // bring it into view, and the keyboard's focus to it.
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with(props.list.clone(), move |_| {
            if let Some(el) = node.cast::<web_sys::Element>() {
                el.scroll_into_view();
            }
        });
    }
    {
        // Focus moves to a new list, not to each page of one (paging keeps it on the pager).
        let node = node.clone();
        use_effect_with(l.filter.clone(), move |_| {
            let title = node.cast::<web_sys::Element>().and_then(|el| el.query_selector("h2").ok().flatten());
            if let Some(title) = title.and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = title.focus();
            }
        });
    }
    html! {
        <section class="card" data-testid="customer-list" ref={node}>
            <div class="card-head">
                <h2 tabindex="-1">{ format!("{} · {}", t.list_title, name) }<span class="badge" data-testid="list-total">{ format::int(l.total as u64) }</span></h2>
                <div class="pager">
                    <button class="button" disabled={l.offset == 0} onclick={page(l.offset.saturating_sub(PAGE_SIZE))}>{ t.prev }</button>
                    <span class="muted">{ format!("{}–{} / {}", if l.total == 0 { 0 } else { l.offset + 1 }, end, format::int(l.total as u64)) }</span>
                    <button class="button" disabled={end >= l.total} onclick={page(l.offset + PAGE_SIZE)} data-testid="next-page">{ t.next }</button>
                    { crate::ui::components::compare::format_select(&format, "export-format") }
                    <button class="button primary" onclick={export} data-testid="export-customers">{ t.export }</button>
                </div>
            </div>
            if !money {
                <p class="hint" data-testid="list-money-left-out">{ t.money_left_out }</p>
            }
            <div class="table-wrap" tabindex="0">
                <table>
                    <thead><tr>
                        <th>{ "ID" }</th><th class="num">{ t.recency }</th><th class="num">{ t.frequency }</th>
                        if money { <th class="num">{ t.monetary }</th> }
                        <th>{ "R" }</th><th>{ "F" }</th>
                        if money { <th>{ "M" }</th> }
                        <th>{ t.segment }</th>
                        if money { <th>{ t.cn_segment }</th><th>{ t.abc_class }</th> }
                        if tiers { <th>{ t.tiers_title }</th> }
                        <th>{ t.stages_title }</th><th>{ t.states_title }</th>
                        if engaged { <th class="num">{ t.engagement_score }</th> }
                    </tr></thead>
                    <tbody>
                        { for l.rows.iter().enumerate().map(|(k, r)| html! {
                            <tr key={r.customer_id.clone()}>
                                <td>{ customer_button(&ctx, &ids, k) }</td>
                                <td class="num">{ r.recency_days }</td>
                                <td class="num">{ r.frequency }</td>
                                if money { <td class="num">{ r.monetary.map_or_else(|| "—".into(), format::money) }</td> }
                                <td>{ r.r }</td><td>{ r.f }</td>
                                if money { <td>{ r.m.map_or_else(|| "—".into(), |m| m.to_string()) }</td> }
                                <td>{ props.lang.segment_label(&r.segment) }</td>
                                if money { <td>{ props.lang.class_label(&r.cn_segment) }</td><td>{ r.abc.clone() }</td> }
                                if tiers { <td>{ r.tier.clone() }</td> }
                                <td>{ props.lang.stage_label(&r.stage) }</td><td>{ props.lang.state_label(&r.state) }</td>
                                if let Some(score) = r.engagement_score { <td class="num">{ format!("{score:.2}") }</td> }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}
