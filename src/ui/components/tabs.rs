//! The tab bar of a loaded file: data, segments, lifecycle, pyramid, and NPS when there are answers.

use crate::ui::context::AppContext;
use crate::ui::state::Tab;
use yew::prelude::*;

/// The tab bar shown once a file is loaded.
#[component]
pub fn Tabs() -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let t = ctx.state.lang.texts();
    let tab = ctx.state.tab;
    let to = |target: Tab| {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| ctx.set_tab(target))
    };
    html! {
        <nav class="tabs no-print" role="tablist">
            <button role="tab" class={classes!((tab == Tab::Overview).then_some("active"))} onclick={to(Tab::Overview)} data-testid="tab-overview">{ t.tab_overview }</button>
            <button role="tab" class={classes!((tab == Tab::Data).then_some("active"))} onclick={to(Tab::Data)} data-testid="tab-data">{ t.tab_data }</button>
            if ctx.state.ingest.report.is_some() {
                <button role="tab" class={classes!((tab == Tab::Segments).then_some("active"))} onclick={to(Tab::Segments)} data-testid="tab-segments">{ t.tab_segments }</button>
                <button role="tab" class={classes!((tab == Tab::Lifecycle).then_some("active"))} onclick={to(Tab::Lifecycle)} data-testid="tab-lifecycle">{ t.tab_lifecycle }</button>
                <button role="tab" class={classes!((tab == Tab::Pyramid).then_some("active"))} onclick={to(Tab::Pyramid)} data-testid="tab-pyramid">{ t.tab_pyramid }</button>
                <button role="tab" class={classes!((tab == Tab::Clv).then_some("active"))} onclick={to(Tab::Clv)} data-testid="tab-clv">{ ctx.state.lang.texts().tab_clv }</button>
                <button role="tab" class={classes!((tab == Tab::Actions).then_some("active"))} onclick={to(Tab::Actions)} data-testid="tab-actions">{ t.tab_actions }</button>
            }
            if ctx.state.nps.summary.is_some() || ctx.state.ingest.report.is_some() {
                <button role="tab" class={classes!((tab == Tab::Nps).then_some("active"))} onclick={to(Tab::Nps)} data-testid="tab-nps">{ t.tab_nps }</button>
            }
        </nav>
    }
}
