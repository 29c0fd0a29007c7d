//! The root component: owns the state reducer and the worker bridge, shares them by context.

use super::bridge::{download_bytes, Bridge};
use super::components::customer_picker::CustomerPicker;
use super::components::profile::ProfileDialog;
use super::components::report::Report;
use super::components::tabs::Tabs;
use super::components::tour::Tour;
use super::components::{header::Header, progress::ProgressBar, upload::SurveyUpload, upload::Upload};
use super::context::AppContext;
use super::pages::actions::ActionsPage;
use super::pages::clv::ClvPage;
use super::pages::data::DataPage;
use super::pages::lifecycle::LifecyclePage;
use super::pages::nps::NpsPage;
use super::pages::overview::OverviewPage;
use super::pages::pyramid::PyramidPage;
use super::pages::segments::SegmentsPage;
use super::state::{Action, AppState, Phase, Tab};
use crate::protocol::{Response, Slot};
use std::rc::Rc;
use yew::prelude::*;

#[component]
pub fn App() -> Html {
    let state = use_reducer(|| AppState::new(super::i18n::Lang::initial()));
    let bridge = {
        let dispatcher = state.dispatcher();
        // A new worker for each generation: a crashed one is dropped (terminated) and replaced.
        use_memo(state.worker_generation, move |_| {
            let on_error = dispatcher.clone();
            let worker_failed = move |had_started: bool| {
                let t = super::i18n::Lang::initial().texts();
                if had_started {
                    on_error.dispatch(Action::WorkerCrashed { message: t.worker_crashed.to_string() });
                } else {
                    on_error.dispatch(Action::Failed { message: t.worker_failed.to_string(), code: String::new() });
                }
            };
            let on_response = move |response: Response| {
                match response {
                    Response::Download { ref file_name, ref mime, ref bytes } => download_bytes(file_name, bytes, mime),
                    Response::Rehearsal { response, last } => return super::rehearsal::rehearse(*response, last),
                    _ => {}
                }
                dispatcher.dispatch(Action::Worker(response));
            };
            Bridge::new(on_response, worker_failed).ok()
        })
    };
    let context = AppContext { state: state.clone(), bridge };
    // `#crash-test=worker` / `#crash-test=ui`: how the browser tests check that a crash leaves a
    // usable app (a new worker) or a recovery screen (a page panic), never a blank page.
    {
        let (context, ready) = (context.clone(), state.worker_ready);
        use_effect_with(ready, move |ready| {
            if *ready {
                let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
                if hash == "#crash-test=worker" && context.state.worker_generation == 0 {
                    context.crash_worker();
                } else if hash == "#crash-test=ui" {
                    panic!("crash requested by #crash-test=ui");
                }
            }
        });
    }
    {
        // The printed report: printed once rendered and no CLV fit is running (a fit started for
        // it fills its CLV section); the browser's `afterprint` takes it away again.
        let context = context.clone();
        let ready = state.printing && state.clv.step.is_none();
        use_effect_with(ready, move |ready| {
            let listener = web_sys::window().filter(|_| *ready).map(|w| {
                // Listening first: Chromium fires `afterprint` before `print()` returns.
                let listener = gloo::events::EventListener::once(&w, "afterprint", move |_| context.printed());
                let _ = w.print();
                listener
            });
            move || drop(listener)
        });
    }
    let t = state.lang.texts();
    let body = match &state.ingest.phase {
        Phase::Idle => html! {},
        Phase::Loading { name, stage, fraction } => html! {
            <ProgressBar name={name.clone()} label={state.lang.stage(*stage)} fraction={*fraction} />
        },
        Phase::Failed { message, code } => {
            let footer = match &state.ingest.pick_customer {
                Some(columns) => {
                    html! { <CustomerPicker columns={Rc::new(columns.clone())} lang={state.lang} onreparse={context.on_reparse(Slot::Transactions)} /> }
                }
                None => html! { <p class="hint">{ t.error_hint }</p> },
            };
            error_card(&state, message, code, footer)
        }
        Phase::Loaded if state.ingest.report.is_some() || state.ingest.survey.is_some() => {
            let waiting = html! { <section class="card"><p class="muted">{ "…" }</p></section> };
            let needs_transactions = html! { <section class="card" data-testid="needs-transactions"><p class="hint">{ t.needs_transactions }</p></section> };
            let page = match (state.tab, state.segments.summary.clone(), state.segments.error.clone(), state.nps.summary.clone())
            {
                (Tab::Overview, ..) => html! { <OverviewPage /> },
                (Tab::Data, ..) => html! { <DataPage /> },
                (Tab::Nps, _, _, Some(summary)) => html! { <NpsPage {summary} /> },
                (Tab::Nps, ..) if state.ingest.survey.is_none() && state.ingest.report.is_some() => html! {
                    <><SurveyUpload /><section class="card"><p class="hint">{ t.nps_needs_survey }</p></section></>
                },
                (Tab::Segments | Tab::Lifecycle | Tab::Pyramid | Tab::Clv | Tab::Actions, ..)
                    if state.ingest.report.is_none() =>
                {
                    needs_transactions
                }
                (Tab::Clv, ..) => html! { <ClvPage /> },
                (Tab::Segments, Some(summary), ..) => html! { <SegmentsPage summary={summary} /> },
                (Tab::Lifecycle, Some(summary), ..) => html! { <LifecyclePage summary={summary} /> },
                (Tab::Pyramid, Some(summary), ..) => html! { <PyramidPage summary={summary} /> },
                (Tab::Actions, Some(summary), ..) => html! { <ActionsPage summary={summary} /> },
                (_, None, Some(message), _) => html! {
                    <section class="card error" data-testid="segment-error"><h2>{ t.seg_unavailable }</h2><p>{ state.lang.problem(&message) }</p></section>
                },
                _ => waiting,
            };
            let refusal = state.ingest.refusal.as_ref().map(|(message, code)| {
                let dismiss = {
                    let context = context.clone();
                    Callback::from(move |_: MouseEvent| context.dismiss_refusal())
                };
                error_card(
                    &state,
                    message,
                    code,
                    html! { <>
                        <p class="hint">{ t.refusal_kept }</p>
                        <button class="button" onclick={dismiss} data-testid="error-dismiss">{ t.dismiss }</button>
                    </> },
                )
            });
            html! { <>{ for refusal }<Tabs /><Tour />{ page }</> }
        }
        Phase::Loaded => html! {},
    };
    // The customer profile's dialog a task after the first render: it is never open before a
    // file is read, and the first render is the start-up's longest task.
    let later_parts = use_state(|| false);
    {
        let later_parts = later_parts.setter();
        use_effect_with((), move |_| super::later(move || later_parts.set(true)));
    }
    let load_ms = load_ms(&state);
    html! {
        <ContextProvider<AppContext> context={context}>
            <div class={classes!("app", state.printing.then_some("printing"))} data-worker={if state.worker_ready { "ready" } else { "starting" }} data-completed={state.ingest.completed.to_string()} data-load-ms={load_ms}>
                <Header />
                <div class="container content">
                    <Upload compact={state.ingest.report.is_some() || state.ingest.survey.is_some()} />
                    { body }
                </div>
                if *later_parts { <ProfileDialog /> }
                if state.printing { <Report /> }
            </div>
        </ContextProvider<AppContext>>
    }
}

/// The last load's stages as `data-load-ms` shows them: `read:12.3,parse:…`.
pub(super) fn load_ms(state: &AppState) -> String {
    state.ingest.load_timings.iter().map(|(stage, ms)| format!("{stage}:{ms:.1}")).collect::<Vec<_>>().join(",")
}

/// A file's error: in Chinese the translated sentence leads, the English message keeps the
/// specifics; `footer` says what to do next.
fn error_card(state: &AppState, message: &str, code: &str, footer: Html) -> Html {
    let t = state.lang.texts();
    let translated = state.lang.error(code);
    html! {
        <section class="card error" role="alert" data-testid="error">
            <h2>{ t.error_title }</h2>
            if let Some(text) = translated { <p class="error-text">{ text }</p> }
            <p class={classes!(translated.is_some().then_some("muted"))} data-testid="error-message">{ message.to_string() }</p>
            { footer }
        </section>
    }
}
