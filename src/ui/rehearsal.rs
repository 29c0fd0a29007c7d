//! The first file's overview, rehearsed out of sight.
//!
//! The first load in a page spent noticeably more time on the page's side than later ones:
//! decoding the answers, building the overview and laying it out ran in code the browser had not
//! yet compiled, and in styles and fonts not yet matched. After its warm-up the worker posts the
//! warm-up file's answers ([`Response::Rehearsal`]); here they go through a state and an overview
//! of their own, rendered into an element outside the document, which is then put beside the app
//! and taken out again within a task for each of its pieces (laid out, never painted: no frame,
//! script or test sees it), and unmounted. Nothing of it reaches the app's state. It costs the
//! start-up a few short tasks, while the user is choosing a file (the measurements are in
//! BENCHMARKS.md, "Design measurements").

use super::components::{progress::ProgressBar, tabs::Tabs};
use super::context::AppContext;
use super::later;
use super::pages::overview::OverviewPage;
use super::state::{Action, AppState, Phase, Tab};
use crate::protocol::{Response, Slot};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties)]
struct Props {
    responses: Rc<Vec<Response>>,
    /// Called a task after the last answer's render.
    rendered: Callback<()>,
}

impl PartialEq for Props {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.responses, &other.responses)
    }
}

/// The app's body during and after a load, on a state of its own fed the warm-up's answers: the
/// progress first, then (a task later, as a file's answers come) the rest.
#[component]
fn Rehearsal(props: &Props) -> Html {
    let state = use_reducer(|| AppState::new(super::i18n::Lang::initial()));
    let step = use_state(|| 0);
    {
        let (state, responses, set_step, rendered) =
            (state.clone(), props.responses.clone(), step.setter(), props.rendered.clone());
        use_effect_with(*step, move |&step| {
            let progress = responses.iter().take_while(|r| matches!(r, Response::Progress { .. })).count();
            let (progress, rest) = responses.split_at(progress);
            if step == 0 {
                // As a file chosen by the user: started, its progress, and a task later the rest.
                let name = "warm-up.csv".to_string();
                state.dispatch(Action::Started { load: 1, target: Some(Slot::Transactions), name, landing: Tab::Overview });
                for response in progress {
                    state.dispatch(Action::Worker(response.clone()));
                }
                later(move || set_step.set(1));
            } else {
                for response in rest {
                    state.dispatch(Action::Worker(response.clone()));
                }
                later(move || rendered.emit(()));
            }
        });
    }
    let body = match &state.ingest.phase {
        Phase::Loading { name, stage, fraction } => html! {
            <ProgressBar name={name.clone()} label={state.lang.stage(*stage)} fraction={*fraction} />
        },
        Phase::Loaded if state.segments.summary.is_some() => html! { <><Tabs /><OverviewPage /></> },
        _ => html! {},
    };
    let load_ms = super::app::load_ms(&state);
    let context = AppContext { state, bridge: Rc::new(None) };
    html! {
        <ContextProvider<AppContext> {context}>
            <div class="app" data-load-ms={load_ms}><div class="container content">{ body }</div></div>
        </ContextProvider<AppContext>>
    }
}

thread_local! {
    /// The answers received so far.
    static RECEIVED: RefCell<Vec<Response>> = const { RefCell::new(Vec::new()) };
}

/// Keeps `response`, and once the `last` has come renders them all (a load's answers) into a
/// detached element, lays it out beside the app a piece at a time (put in the document and taken
/// out in the same task: no script, test or frame sees it), then unmounts it.
pub fn rehearse(response: Response, last: bool) {
    RECEIVED.with(|r| r.borrow_mut().push(response));
    if last {
        play(RECEIVED.take());
    }
}

fn play(responses: Vec<Response>) {
    let Some(window) = web_sys::window() else { return };
    let Some(document) = window.document() else { return };
    let Ok(root) = document.create_element("div") else { return };
    let performance = window.performance();
    let now = move || performance.as_ref().map_or(0.0, web_sys::Performance::now);
    let started = now();
    let handle = Rc::new(RefCell::new(None::<yew::AppHandle<Rehearsal>>));
    let rendered = {
        let (root, handle) = (root.clone(), handle.clone());
        Callback::from(move |()| {
            let pieces = pieces(&root);
            let (document, handle) = (document.clone(), handle.clone());
            let now = now.clone();
            lay_out(document.clone(), root.clone(), pieces, move || {
                // When it is done, and how long it took from the last answer (for the tests and
                // `make bench`): `<html data-rehearsal="…">`.
                if let Some(html) = document.document_element() {
                    let _ = html.set_attribute("data-rehearsal", &format!("{:.1}", now() - started));
                }
                // Unmounted a task later: not from within its own callback.
                later(move || {
                    if let Some(handle) = handle.borrow_mut().take() {
                        handle.destroy();
                    }
                });
            });
        })
    };
    let props = Props { responses: Rc::new(responses), rendered };
    *handle.borrow_mut() = Some(yew::Renderer::<Rehearsal>::with_root_and_props(root, props).render());
}

/// The parts of the rehearsed page laid out one at a time: the children of its content (the tabs,
/// the summary, each row of cards), or the root itself when it has none.
fn pieces(root: &web_sys::Element) -> Vec<web_sys::Element> {
    let children = root.query_selector(".content").ok().flatten().map(|content| content.children());
    let pieces: Vec<web_sys::Element> = children.map(|c| (0..c.length()).filter_map(|k| c.item(k)).collect()).unwrap_or_default();
    if pieces.is_empty() {
        vec![root.clone()]
    } else {
        pieces
    }
}

/// Styles and lays out `root` as the app's own page would be (the same place in the document, the
/// same width): the browser's first style, layout and font fallback for the overview's text —
/// one piece a task (the others not displayed), then `done`: the whole page laid out in one task
/// was one of the start-up's long tasks (BENCHMARKS.md, "Design measurements"), and the caches it
/// warms (fonts, shaping, compiled code) do not care in how many tasks they were filled. In the
/// document only within each task, hidden and inert meanwhile.
fn lay_out(
    document: web_sys::Document,
    root: web_sys::Element,
    mut pieces: Vec<web_sys::Element>,
    done: impl FnOnce() + 'static,
) {
    let Some(piece) = pieces.pop() else { return done() };
    let Some(app) = document.get_element_by_id("app").or_else(|| document.body().map(Into::into)) else { return done() };
    let Some(parent) = app.parent_node() else { return done() };
    let _ = root.set_attribute("aria-hidden", "true");
    let _ = root.set_attribute("inert", "");
    // Hidden by the style sheet (an inline style would break the Content-Security-Policy); of the
    // content, only the piece marked [`STEP`] is displayed.
    root.set_class_name("rehearsal");
    let _ = piece.set_attribute(STEP, "");
    if parent.append_child(&root).is_ok() {
        // Reading a size makes the browser style and lay out now.
        let _ = root.get_bounding_client_rect();
        let _ = parent.remove_child(&root);
    }
    let _ = piece.remove_attribute(STEP);
    later(move || lay_out(document, root, pieces, done));
}

/// The attribute of the piece laid out in this task (www/style.css).
const STEP: &str = "data-rehearsal-step";
