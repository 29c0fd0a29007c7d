//! The first-run tour (issue 31): on the sample data, a card above the page walks through what
//! each page answers, opening the page it speaks of. Closed, it stays closed for that data;
//! "Don't show again" is remembered in localStorage (a setting, not customer data).

use crate::ui::context::AppContext;
use crate::ui::state::Tab;
use yew::prelude::*;

const STORAGE_KEY: &str = "loyalty-lens.tour";

/// The tour's steps: the page each opens and its text's index in `Texts::tour_steps`.
const STEPS: [Tab; 8] =
    [Tab::Overview, Tab::Data, Tab::Segments, Tab::Lifecycle, Tab::Pyramid, Tab::Clv, Tab::Actions, Tab::Overview];

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// Whether the user asked never to see the tour again.
fn dismissed() -> bool {
    storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()).is_some_and(|v| v == "dismissed")
}

#[component]
pub fn Tour() -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let t = ctx.state.lang.texts();
    // Which load the tour was closed for: a new sample load opens it again (unless dismissed).
    let closed_for = use_state(|| None::<u32>);
    let step = use_state(|| 0usize);
    let load = ctx.state.ingest.completed;
    let on_sample = ctx.state.ingest.report.as_ref().is_some_and(|r| crate::protocol::is_sample_file(&r.file));
    if !on_sample || *closed_for == Some(load) || dismissed() {
        return html! {};
    }
    let k = (*step).min(STEPS.len() - 1);
    let go = |to: usize| {
        let (ctx, step) = (ctx.clone(), step.clone());
        Callback::from(move |_: MouseEvent| {
            step.set(to);
            ctx.set_tab(STEPS[to]);
        })
    };
    let close = {
        let closed_for = closed_for.clone();
        Callback::from(move |_: MouseEvent| closed_for.set(Some(load)))
    };
    let never = {
        let closed_for = closed_for.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(s) = storage() {
                let _ = s.set_item(STORAGE_KEY, "dismissed");
            }
            closed_for.set(Some(load));
        })
    };
    let onkeydown = {
        let closed_for = closed_for.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                closed_for.set(Some(load));
            }
        })
    };
    html! {
        <section class="card tour no-print" role="region" aria-label={t.tour_title} data-testid="tour" {onkeydown}>
            <div class="card-head">
                <h2>{ t.tour_title }</h2>
                <span class="muted" data-testid="tour-step">{ t.tour_step.replace("{k}", &(k + 1).to_string()).replace("{n}", &STEPS.len().to_string()) }</span>
            </div>
            <p data-testid="tour-text">{ t.tour_steps[k] }</p>
            <div class="controls">
                if k > 0 { <button class="button" onclick={go(k - 1)} data-testid="tour-back">{ t.tour_back }</button> }
                if k + 1 < STEPS.len() {
                    <button class="button primary" onclick={go(k + 1)} data-testid="tour-next">{ t.tour_next }</button>
                } else {
                    <button class="button primary" onclick={close.clone()} data-testid="tour-done">{ t.tour_done }</button>
                }
                <button class="button" onclick={close} data-testid="tour-close">{ t.tour_close }</button>
                <button class="button" onclick={never} data-testid="tour-never">{ t.tour_never }</button>
            </div>
        </section>
    }
}
