//! Choosing data: a drop zone with a file input, and the sample-data button.

use crate::protocol::Slot;
use crate::ui::context::AppContext;
use web_sys::{DragEvent, HtmlInputElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct UploadProps {
    /// A smaller drop zone once a file is shown.
    pub compact: bool,
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
                ctx.load(&file, None);
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
                ctx.load(&file, None);
            }
        })
    };
    let sample = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| {
            ctx.sample();
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
                { super::data_file_button(t.choose_file, onchange, "file-input", true) }
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
        super::on_file_chosen(move |file| ctx.load(file, Some(Slot::Survey)))
    };
    let remove = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| {
            ctx.drop_survey();
        })
    };
    let survey = ctx.state.ingest.survey.clone();
    html! {
        <section class="card survey-upload no-print" data-testid="survey-upload">
            <div class="card-head">
                <h2>{ t.survey_title }</h2>
                <div class="dropzone-actions">
                    { super::data_file_button(if survey.is_some() { t.survey_replace } else { t.survey_add }, onchange, "survey-input", false) }
                    if survey.is_some() {
                        <button class="button" onclick={remove} data-testid="survey-remove">{ t.survey_remove }</button>
                    }
                </div>
            </div>
            {
                match (&survey, &ctx.state.ingest.survey_error, &ctx.state.nps.summary) {
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
