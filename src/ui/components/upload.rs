//! Choosing data: a drop zone with a file input, and the sample-data button.

use crate::core::ingest::{IngestError, IngestOptions, MAX_BROWSER_BYTES};
use crate::protocol::{Request, Slot};
use crate::ui::app::AppContext;
use crate::ui::state::{next_load, Action, Tab};
use web_sys::{DragEvent, File, HtmlInputElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct UploadProps {
    /// A smaller drop zone once a file is shown.
    pub compact: bool,
}

/// Sends a file to the worker: into `slot`, or (None) wherever its content belongs.
fn load(ctx: &AppContext, file: File, slot: Option<Slot>) {
    let size = file.size() as u64;
    if size > MAX_BROWSER_BYTES {
        let e = IngestError::TooLarge { bytes: size, limit: MAX_BROWSER_BYTES };
        ctx.state.dispatch(Action::Failed { message: e.to_string(), code: e.code().to_string() });
        return;
    }
    let load = next_load();
    ctx.state.dispatch(Action::Started { load, target: slot, name: file.name(), landing: Tab::Overview });
    ctx.send(Request::Load { load, name: file.name(), size, options: IngestOptions::default(), slot }, Some(&file));
}

#[component]
pub fn Upload(props: &UploadProps) -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let t = ctx.state.lang.texts();
    let dragging = use_state(|| false);
    let onchange = {
        let ctx = ctx.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                load(&ctx, file, None);
            }
            // Choosing the same file again should read it again.
            input.set_value("");
        })
    };
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let ondrop = {
        let (ctx, dragging) = (ctx.clone(), dragging.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(file) = e.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
                load(&ctx, file, None);
            }
        })
    };
    let sample = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| {
            let load = next_load();
            let target = Some(Slot::Transactions);
            ctx.state.dispatch(Action::Started { load, target, name: "sample".into(), landing: Tab::Overview });
            ctx.send(Request::Sample { load, customers: 20_000, seed: 42 }, None);
        })
    };
    html! {
        <section
            class={classes!("card", "dropzone", props.compact.then_some("compact"), (*dragging).then_some("dragging"))}
            {ondragover} {ondragleave} {ondrop}
        >
            <div class="dropzone-text">
                <strong>{ t.drop_here }</strong>
                <span class="hint">{ t.formats_hint }</span>
            </div>
            <div class="dropzone-actions">
                <label class="button primary">
                    { t.choose_file }
                    <input type="file" class="visually-hidden" accept=".csv,.tsv,.txt,.xlsx,.xls,.xlsm,text/csv,text/plain" {onchange} data-testid="file-input" />
                </label>
                <button class="button" onclick={sample} data-testid="sample">{ t.try_sample }</button>
            </div>
        </section>
    }
}

/// Adding (or replacing, or removing) a survey file beside the transactions: its answers are joined
/// to the customers by id.
#[component]
pub fn SurveyUpload() -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let t = ctx.state.lang.texts();
    let onchange = {
        let ctx = ctx.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                load(&ctx, file, Some(Slot::Survey));
            }
            input.set_value("");
        })
    };
    let remove = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| {
            ctx.state.dispatch(Action::DropSurvey);
            ctx.send(Request::DropSurvey, None);
        })
    };
    let survey = ctx.state.survey.clone();
    html! {
        <section class="card survey-upload no-print" data-testid="survey-upload">
            <div class="card-head">
                <h2>{ t.survey_title }</h2>
                <div class="dropzone-actions">
                    <label class="button">
                        { if survey.is_some() { t.survey_replace } else { t.survey_add } }
                        <input type="file" class="visually-hidden" accept=".csv,.tsv,.txt,.xlsx,.xls,.xlsm,text/csv,text/plain" {onchange} data-testid="survey-input" />
                    </label>
                    if survey.is_some() {
                        <button class="button" onclick={remove} data-testid="survey-remove">{ t.survey_remove }</button>
                    }
                </div>
            </div>
            {
                match (&survey, &ctx.state.survey_error, &ctx.state.nps) {
                    (_, Some((message, code)), _) => html! {
                        <div class="error" role="alert" data-testid="survey-error">
                            if let Some(text) = ctx.state.lang.error(code) { <p class="error-text">{ text }</p> }
                            <p class="muted">{ message.clone() }</p>
                        </div>
                    },
                    (Some(r), None, nps) => html! {
                        <p data-testid="survey-status">{
                            t.survey_status(&r.file, r.totals.responses, nps.as_ref().and_then(|n| n.matched), nps.as_ref().map_or(0, |n| n.anonymous))
                        }</p>
                    },
                    (None, None, _) => html! { <p class="hint">{ t.survey_hint }</p> },
                }
            }
        </section>
    }
}
