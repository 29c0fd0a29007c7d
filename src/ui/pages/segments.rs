//! The segmentation page: rules, RFM segments, R×F heat map, Chinese 8-class model, ABC/Pareto, and
//! the drill-down list of whatever was clicked.

use crate::core::report::segments::{CustomerFilter, SegmentationSummary};
use crate::ui::components::{
    abc::AbcPanel, customer_list::CustomerListPanel, group_table::GroupTable, rf_heatmap::RfHeatmap, rules::RulesPanel,
    segment_bars::SegmentBars,
};
use crate::ui::context::AppContext;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SegmentsPageProps {
    pub summary: Rc<SegmentationSummary>,
}

#[component]
pub fn SegmentsPage(props: &SegmentsPageProps) -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let t = ctx.state.lang.texts();
    let s = props.summary.clone();
    let open = {
        let ctx = ctx.clone();
        Callback::from(move |filter: CustomerFilter| ctx.customers(filter, 0))
    };
    let list = ctx.state.segments.list.clone();
    let champions = s.segments.iter().find(|g| g.key == "Champions").map_or(0, |g| g.customers);
    html! {
        <>
            { crate::ui::components::guide::guide("segments", t.g_segments_q, t.g_segments_a.replace("{n}", &crate::ui::format::int(champions as u64))) }
            <RulesPanel summary={s.clone()} params={ctx.state.segments.params.clone()} error={ctx.state.segments.error.clone()} lang={ctx.state.lang} onapply={ctx.on_segment()} onall={ctx.on_all_customers()} />
            if let Some(list) = list {
                <CustomerListPanel {list} summary={ctx.state.segments.summary.clone()} file={ctx.file_name()} lang={ctx.state.lang} onpage={ctx.on_list_page()} onexport={ctx.on_list_export()} />
            }
            <section class="card">
                <h2>{ t.segments_title }</h2>
                <p class="hint">{ t.segments_hint }</p>
                <SegmentBars groups={s.segments.clone()} onselect={open.reform(CustomerFilter::Segment)} />
            </section>
            <div class="two-col">
                <section class="card">
                    <h2>{ if s.revenue.is_some() { t.rf_title } else { t.rf_title_counts } }</h2>
                    <RfHeatmap cells={s.grid.clone()} bins={s.bins} onselect={open.reform(|(r, f)| CustomerFilter::Cell { r, f })} />
                </section>
                <section class="card">
                    <h2>{ t.cn_title }</h2>
                    // The 8 classes compare M with its mean: without amounts, what they need instead.
                    if let (Some(m), Some(groups)) = (s.cn_means.2, s.cn_segments.clone()) {
                        <p class="rule" data-testid="cn-means">{ format!("{} R < {:.1} · F > {:.2} · M > {}", t.high_means, s.cn_means.0, s.cn_means.1, crate::ui::format::money(m)) }</p>
                        <GroupTable {groups} testid="cn-table"
                            onselect={open.reform(|i: usize| CustomerFilter::Cn(crate::core::analysis::rfm::CnSegment::ALL[i.min(7)]))} />
                    } else {
                        <p class="attention-text" data-testid="cn-needs-amount">{ t.cn_needs_amount }</p>
                    }
                </section>
            </div>
            <AbcPanel summary={s.clone()} onselect={open.reform(|i: usize| CustomerFilter::Abc(crate::core::analysis::pareto::Abc::ALL[i.min(2)]))} />
        </>
    }
}
