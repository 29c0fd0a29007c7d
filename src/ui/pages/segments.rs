//! The segmentation page: rules, RFM segments, R×F heat map, Chinese 8-class model, ABC/Pareto, and
//! the drill-down list of whatever was clicked.

use crate::core::segments::{CustomerFilter, SegmentationSummary};
use crate::protocol::Request;
use crate::ui::app::AppContext;
use crate::ui::components::{
    abc::AbcPanel, customer_list::CustomerListPanel, group_table::GroupTable, rf_heatmap::RfHeatmap, segment_bars::SegmentBars,
};
use crate::ui::state::Action;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
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
    let as_of_ref = use_node_ref();
    let bins_ref = use_node_ref();
    let open = {
        let ctx = ctx.clone();
        Callback::from(move |filter: CustomerFilter| ctx.send(Request::Customers { filter, offset: 0 }, None))
    };
    let apply = {
        let (ctx, as_of_ref, bins_ref) = (ctx.clone(), as_of_ref.clone(), bins_ref.clone());
        Callback::from(move |_: MouseEvent| {
            let mut params = ctx.state.seg_params.clone();
            if let Some(input) = as_of_ref.cast::<HtmlInputElement>() {
                params.as_of = crate::core::values::parse_date(&input.value(), crate::core::values::DateOrder::Ymd).ok();
            }
            if let Some(select) = bins_ref.cast::<HtmlSelectElement>() {
                params.rfm.bins = select.value().parse().unwrap_or(params.rfm.bins);
            }
            ctx.send(Request::Segment { params }, None);
        })
    };
    let list = ctx.state.list.clone();
    html! {
        <>
            <section class="card">
                <h2>{ t.seg_rules }</h2>
                <div class="controls">
                    <label>{ t.as_of }<input ref={as_of_ref} type="date" value={s.as_of.clone()} data-testid="as-of" /></label>
                    <label>{ t.bins }
                        <select ref={bins_ref} data-testid="bins">
                            { for (2..=10u8).map(|b| html! { <option key={b} value={b.to_string()} selected={b == s.bins}>{ b }</option> }) }
                        </select>
                    </label>
                    <button class="button" onclick={apply} data-testid="recalculate">{ t.apply }</button>
                    <button class="button" onclick={{ let open = open.clone(); move |_| open.emit(CustomerFilter::All) }} data-testid="all-customers">
                        { t.all_customers }
                    </button>
                </div>
                <p class="rule" data-testid="rule">{ s.rule.clone() }</p>
                if s.rows_after_as_of > 0 {
                    <p class="hint">{ format!("{}{}", t.rows_after_as_of, s.rows_after_as_of) }</p>
                }
            </section>
            if let Some(list) = list {
                <CustomerListPanel list={list} />
            }
            <section class="card">
                <h2>{ t.segments_title }</h2>
                <p class="hint">{ t.segments_hint }</p>
                <SegmentBars groups={s.segments.clone()} onselect={open.reform(CustomerFilter::Segment)} />
            </section>
            <div class="two-col">
                <section class="card">
                    <h2>{ t.rf_title }</h2>
                    <RfHeatmap cells={s.grid.clone()} bins={s.bins} onselect={open.reform(|(r, f)| CustomerFilter::Cell { r, f })} />
                </section>
                <section class="card">
                    <h2>{ t.cn_title }</h2>
                    <GroupTable groups={s.cn_segments.clone()} testid="cn-table"
                        onselect={open.reform(|i: usize| CustomerFilter::Cn(crate::core::rfm::CnSegment::ALL[i.min(7)]))} />
                </section>
            </div>
            <AbcPanel summary={s.clone()} onselect={open.reform(|i: usize| CustomerFilter::Abc(crate::core::pareto::Abc::ALL[i.min(2)]))} />
        </>
    }
}

/// The tab bar shown once a file is loaded.
#[component]
pub fn Tabs() -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let t = ctx.state.lang.texts();
    let tab = ctx.state.tab;
    let to = |target: crate::ui::state::Tab| {
        let state = ctx.state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::SetTab(target)))
    };
    use crate::ui::state::Tab;
    html! {
        <nav class="tabs" role="tablist">
            <button role="tab" class={classes!((tab == Tab::Data).then_some("active"))} onclick={to(Tab::Data)} data-testid="tab-data">{ t.tab_data }</button>
            <button role="tab" class={classes!((tab == Tab::Segments).then_some("active"))} onclick={to(Tab::Segments)} data-testid="tab-segments">{ t.tab_segments }</button>
            <button role="tab" class={classes!((tab == Tab::Lifecycle).then_some("active"))} onclick={to(Tab::Lifecycle)} data-testid="tab-lifecycle">{ t.tab_lifecycle }</button>
        </nav>
    }
}
