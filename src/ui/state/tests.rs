//! The app's reducers, natively: answers of a real session (the worker's, without the browser) go
//! through them as the page would receive them.

use super::*;
use crate::core::clv::ClvParams;
use crate::protocol::{Request, Response};
use crate::worker::session::{Host, Next, Session};

/// The answers a session gives to `request`, CLV runs stepped to their end.
fn answers(session: &mut Session<()>, request: Request) -> Vec<Response> {
    let mut out = Vec::new();
    let mut next = session.handle(request, &mut |r| out.push(r));
    while let Next::ClvStep(run) = next {
        next = session.clv_step(run, &mut |r| out.push(r));
    }
    out
}

/// `state` after each of `actions`; an action that changes nothing leaves it as it was.
fn apply(state: AppState, actions: impl IntoIterator<Item = Action>) -> AppState {
    actions.into_iter().fold(state, |s, a| s.after(a).unwrap_or(s))
}

fn worker(responses: Vec<Response>) -> Vec<Action> {
    responses.into_iter().map(Action::Worker).collect()
}

fn started(load: u32, target: Option<Slot>, name: &str) -> Action {
    Action::Started { load, target, name: name.into(), landing: Tab::Overview }
}

/// A page that asked the session for the demo sample (load `load`) and got its answers.
fn with_sample(session: &mut Session<()>, state: AppState, load: u32, customers: usize) -> AppState {
    let state = apply(state, [started(load, Some(Slot::Transactions), "sample")]);
    apply(state, worker(answers(session, Request::Sample { load, customers, seed: 5 })))
}

fn session() -> Session<()> {
    Session::new(Host::native())
}

#[test]
fn a_sample_read_by_the_worker_opens_the_overview_with_its_pages() {
    let mut s = session();
    let state = with_sample(&mut s, AppState::new(Lang::En), 1, 200);
    assert_eq!(state.tab, Tab::Overview);
    assert_eq!(state.ingest.phase, Phase::Loaded);
    assert_eq!(state.ingest.completed, 1);
    assert_eq!(state.ingest.report.as_ref().map(|r| r.totals.customers), Some(200));
    assert_eq!(state.segments.summary.as_ref().map(|s| s.customers), Some(200));
    let nps = state.nps.summary.as_ref().expect("the sample has survey answers");
    assert!(!nps.comments.shown.is_empty(), "the comments sent on their own are put back");
    assert_eq!(nps.comments.shown, *state.nps.comments);
    let stages: Vec<&str> = state.ingest.load_timings.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(stages, ["parse", "segment"]);
}

#[test]
fn an_action_clones_only_the_features_it_changes() {
    let mut s = session();
    let before = with_sample(&mut s, AppState::new(Lang::Zh), 1, 100);
    let tab = before.after(Action::SetTab(Tab::Clv)).unwrap();
    assert!(Rc::ptr_eq(&tab.ingest, &before.ingest) && Rc::ptr_eq(&tab.segments, &before.segments));
    assert!(Rc::ptr_eq(&tab.nps, &before.nps) && Rc::ptr_eq(&tab.clv, &before.clv));
    let mut params = before.segments.params.clone();
    params.rfm.bins = 3;
    let segmented = apply(before.clone(), worker(answers(&mut s, Request::Segment { params })));
    assert_eq!(segmented.segments.summary.as_ref().map(|s| s.bins), Some(3));
    assert!(Rc::ptr_eq(&segmented.ingest, &before.ingest) && Rc::ptr_eq(&segmented.clv, &before.clv));
    // Answers that show nothing change nothing.
    assert!(before
        .after(Action::Worker(Response::Download { file_name: "a".into(), mime: "text/csv".into(), bytes: vec![] }))
        .is_none());
}

#[test]
fn a_rule_the_worker_refuses_keeps_the_last_results_and_says_why() {
    let mut s = session();
    let state = with_sample(&mut s, AppState::new(Lang::En), 1, 100);
    let mut params = state.segments.params.clone();
    params.rfm.bins = 11;
    let refused = apply(state.clone(), worker(answers(&mut s, Request::Segment { params })));
    assert_eq!(refused.segments.summary, state.segments.summary, "the last good results stay");
    let problem = refused.segments.error.as_ref().unwrap();
    assert_eq!(problem.code, "rfm_bins");
    assert_eq!(Lang::Zh.problem(problem), "分箱数必须是 2 到 10。");
    assert_eq!(Lang::En.problem(problem), "bins must be 2 to 10, not 11");
}

#[test]
fn progress_of_a_load_already_answered_or_replaced_changes_nothing() {
    let state = apply(AppState::new(Lang::En), [started(1, None, "a.csv"), started(2, None, "b.csv")]);
    let replaced = Response::Failed {
        load: 1,
        message: "replaced by another file".into(),
        code: "replaced".into(),
        slot: Slot::Transactions,
        columns: vec![],
    };
    let state = apply(state, [Action::Worker(replaced)]);
    assert!(matches!(&state.ingest.phase, Phase::Loading { name, .. } if name == "b.csv"), "the file still read shows");
    let late = Action::Worker(Response::Progress { load: 1, stage: ProgressStage::Parsing, fraction: 0.5 });
    assert!(state.after(late).is_none());
    let now = Action::Worker(Response::Progress { load: 2, stage: ProgressStage::Parsing, fraction: 0.5 });
    assert!(matches!(state.after(now).unwrap().ingest.phase, Phase::Loading { fraction, .. } if fraction == 0.5));
}

#[test]
fn a_survey_that_cannot_be_read_leaves_the_transactions_on_screen() {
    let mut s = session();
    let state = with_sample(&mut s, AppState::new(Lang::En), 1, 100);
    let state = apply(state, [Action::SetTab(Tab::Segments), started(2, Some(Slot::Survey), "survey.csv")]);
    let failed = Response::Failed { load: 2, message: "empty".into(), code: "empty".into(), slot: Slot::Survey, columns: vec![] };
    let after = apply(state.clone(), [Action::Worker(failed)]);
    assert_eq!(after.ingest.report, state.ingest.report);
    assert_eq!(after.ingest.survey_error, Some(("empty".to_string(), "empty".to_string())));
    assert_eq!((after.ingest.phase.clone(), after.tab), (Phase::Loaded, Tab::Segments));
}

#[test]
fn a_cancelled_clv_run_drops_what_it_still_sends_until_the_worker_confirms() {
    let mut s = session();
    let state = with_sample(&mut s, AppState::new(Lang::En), 1, 150);
    let run = answers(&mut s, Request::Clv { params: ClvParams::default() });
    let cancelled = apply(state.clone(), [Action::ClvCancel]);
    assert!(cancelled.clv.cancelling);
    // The run's answers were posted before the cancel reached the worker: all dropped.
    for response in run.iter().cloned() {
        assert!(cancelled.after(Action::Worker(response)).is_none());
    }
    let confirmed = apply(cancelled, [Action::Worker(Response::ClvCancelled)]);
    assert!(!confirmed.clv.cancelling && confirmed.clv.report.is_none());
    // Without a cancel, the same answers show the result and its first page.
    let done = apply(state, worker(run));
    let report = done.clv.report.as_ref().expect("a result");
    assert_eq!(done.clv.list.as_ref().map(|l| l.total), Some(report.customers));
    assert_eq!(done.clv.timings.len(), 5);
}

#[test]
fn the_clv_page_fits_on_its_own_once_per_file() {
    let mut s = session();
    let state = with_sample(&mut s, AppState::new(Lang::En), 1, 150);
    assert!(state.clv.wants_auto_fit());
    let started = apply(state, [Action::ClvAutoStarted]);
    assert!(!started.clv.wants_auto_fit());
    assert!(started.clv.step.is_some(), "running from the request on: the printed report waits for it");
    // Cancelled: the page waits for the button, even once the worker confirms.
    let cancelled = apply(started.clone(), [Action::ClvCancel, Action::Worker(Response::ClvCancelled)]);
    assert!(!cancelled.clv.wants_auto_fit() && cancelled.clv.report.is_none());
    // A new file gets its own automatic fit.
    let next = with_sample(&mut s, cancelled, 2, 80);
    assert!(next.clv.wants_auto_fit());
    // A result or a failure already shown: nothing to fit.
    let done = apply(next, worker(answers(&mut s, Request::Clv { params: ClvParams::default() })));
    assert!(!done.clv.wants_auto_fit());
}

#[test]
fn new_transactions_start_the_segmentation_and_clv_afresh() {
    let mut s = session();
    let state = with_sample(&mut s, AppState::new(Lang::En), 1, 150);
    let state = apply(state, worker(answers(&mut s, Request::Clv { params: ClvParams::default() })));
    assert!(state.clv.report.is_some());
    let state = apply(state, [Action::SetTab(Tab::Clv)]);
    let next = with_sample(&mut s, state, 2, 80);
    assert!(next.clv.report.is_none() && next.clv.list.is_none());
    assert_eq!(next.segments.summary.as_ref().map(|s| s.customers), Some(80));
    assert_eq!(next.tab, Tab::Overview, "a new file opens on the overview");
}

#[test]
fn clearing_and_a_crashed_worker_leave_a_clean_page() {
    let mut s = session();
    let state = with_sample(&mut s, AppState::new(Lang::Zh), 1, 100);
    let cleared = apply(state.clone(), worker(answers(&mut s, Request::Clear)));
    assert_eq!((cleared.tab, cleared.ingest.phase.clone()), (Tab::Data, Phase::Idle));
    assert!(cleared.ingest.report.is_none() && cleared.segments.summary.is_none() && cleared.nps.summary.is_none());
    let crashed = apply(state, [Action::WorkerCrashed { message: "the worker stopped".into() }]);
    assert_eq!((crashed.lang, crashed.worker_generation, crashed.ingest.completed), (Lang::Zh, 1, 2));
    assert!(matches!(&crashed.ingest.phase, Phase::Failed { message, .. } if message == "the worker stopped"));
    assert!(crashed.ingest.report.is_none() && crashed.segments.summary.is_none());
}

#[test]
fn a_file_too_big_is_refused_beside_what_is_shown_or_in_its_place() {
    let refused =
        |state: &AppState| apply(state.clone(), [Action::Failed { message: "too large".into(), code: "too_large".into() }]);
    let empty = refused(&AppState::new(Lang::En));
    assert!(matches!(&empty.ingest.phase, Phase::Failed { code, .. } if code == "too_large"));
    let mut s = session();
    let shown = with_sample(&mut s, AppState::new(Lang::En), 1, 100);
    let beside = refused(&shown);
    assert_eq!(beside.ingest.phase, Phase::Loaded);
    assert_eq!(beside.ingest.refusal, Some(("too large".into(), "too_large".into())));
    assert!(apply(beside, [Action::DismissRefusal]).ingest.refusal.is_none());
}
