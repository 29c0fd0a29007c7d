//! Choosing data: a drop zone with a file input, and the sample-data button.

use crate::core::ingest::{IngestError, IngestOptions, MAX_BROWSER_BYTES};
use crate::protocol::Request;
use crate::ui::app::AppContext;
use crate::ui::state::Action;
use web_sys::{DragEvent, File, HtmlInputElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct UploadProps {
    /// A smaller drop zone once a file is shown.
    pub compact: bool,
}

fn load(ctx: &AppContext, file: File) {
    let size = file.size() as u64;
    if size > MAX_BROWSER_BYTES {
        let e = IngestError::TooLarge { bytes: size, limit: MAX_BROWSER_BYTES };
        ctx.state.dispatch(Action::Failed { message: e.to_string(), code: e.code().to_string() });
        return;
    }
    ctx.state.dispatch(Action::Started(file.name()));
    ctx.send(Request::Load { name: file.name(), size, options: IngestOptions::default() }, Some(&file));
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
                load(&ctx, file);
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
                load(&ctx, file);
            }
        })
    };
    let sample = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| {
            ctx.state.dispatch(Action::Started("sample".into()));
            ctx.send(Request::Sample { customers: 20_000, seed: 42 }, None);
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
