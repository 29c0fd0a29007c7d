//! App state by feature: the file flow ([`ingest`]), the segmentation pages ([`segments`]), the NPS
//! page ([`nps`]) and the CLV page ([`clv`]), each with its own reducer, and the app's own few
//! fields (language, tab, the worker). It compiles natively and is tested there; the browser's
//! side effects (saving the language, talking to the worker) live in the context's commands.
//!
//! Each feature is behind an `Rc`: an action clones only the features it changes.

pub mod clv;
pub mod ingest;
pub mod nps;
pub mod profile;
pub mod segments;

use self::clv::ClvState;
use self::ingest::{IngestState, Shown};
use self::nps::NpsState;
use self::profile::ProfileState;
use self::segments::SegmentsState;
use super::i18n::Lang;
use crate::protocol::{ProgressStage, Response, Slot};
use std::cell::Cell;
use std::rc::Rc;

thread_local! {
    static LAST_LOAD: Cell<u32> = const { Cell::new(0) };
}

/// A number for a new load (from 1; 0 is never a load), sent with it and echoed in its answers.
pub fn next_load() -> u32 {
    LAST_LOAD.with(|l| {
        l.set(l.get() + 1);
        l.get()
    })
}

/// Why the worker could not answer a request: its stable code (which the page translates) and its
/// English message (shown where there is no translation).
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    /// Waiting for a file.
    Idle,
    Loading {
        name: String,
        stage: ProgressStage,
        fraction: f64,
    },
    Loaded,
    /// The English message, and the stable code the UI translates (empty if none).
    Failed {
        message: String,
        code: String,
    },
}

/// The pages of a loaded file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Overview,
    Data,
    Segments,
    Lifecycle,
    Nps,
    Pyramid,
    Clv,
    Actions,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    pub lang: Lang,
    pub tab: Tab,
    /// The worker has loaded and answers requests.
    pub worker_ready: bool,
    /// Counts the workers started: a crashed worker is replaced by the next one.
    pub worker_generation: u32,
    pub ingest: Rc<IngestState>,
    pub segments: Rc<SegmentsState>,
    pub nps: Rc<NpsState>,
    pub clv: Rc<ClvState>,
    /// One customer's story, when open.
    pub profile: Rc<ProfileState>,
    /// The user asked for the printed report: it is rendered (and printed once no CLV fit is
    /// running) until the browser says printing is over.
    pub printing: bool,
}

impl AppState {
    /// The state of a page in `lang` before anything happened.
    pub fn new(lang: Lang) -> Self {
        Self {
            lang,
            tab: Tab::Data,
            worker_ready: false,
            worker_generation: 0,
            ingest: Rc::default(),
            segments: Rc::default(),
            nps: Rc::default(),
            clv: Rc::default(),
            profile: Rc::default(),
            printing: false,
        }
    }
}

// An action lives for one dispatch and is moved, never stored: its size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    SetLang(Lang),
    SetTab(Tab),
    SetDataView(Slot),
    /// A load or re-read was sent (numbered by [`next_load`], into `target` or where its content
    /// says); `landing` is the tab its result opens on.
    Started {
        load: u32,
        target: Option<Slot>,
        name: String,
        landing: Tab,
    },
    /// The survey file was dropped (the worker is told separately).
    DropSurvey,
    /// The user closed the notice of a refused file.
    DismissRefusal,
    /// The user cancelled the CLV run (the worker is told separately).
    ClvCancel,
    /// The user asked for the printed report (`true`) or the browser finished printing.
    Print(bool),
    /// The CLV page started its automatic fit (the worker is told separately).
    ClvAutoStarted,
    /// Customer `at` of `list` (ids) opens in the story view.
    OpenProfile {
        list: Rc<Vec<String>>,
        at: usize,
    },
    CloseProfile,
    /// A message from the worker.
    Worker(Response),
    /// The worker crashed after it had started: everything it held is gone, a new one starts.
    WorkerCrashed {
        message: String,
    },
    /// A file refused before it reached the worker, or a worker that could not start.
    Failed {
        message: String,
        code: String,
    },
}

impl AppState {
    /// The state after `action`, or `None` when nothing changes.
    pub fn after(&self, action: Action) -> Option<Self> {
        let mut next = self.clone();
        match action {
            Action::SetLang(lang) => next.lang = lang,
            Action::SetTab(tab) => next.tab = tab,
            Action::SetDataView(slot) => Rc::make_mut(&mut next.ingest).data_view = slot,
            Action::DropSurvey => {
                Rc::make_mut(&mut next.ingest).drop_survey();
                if next.tab == Tab::Nps {
                    next.tab = Tab::Overview;
                }
            }
            Action::Started { load, target, name, landing } => {
                Rc::make_mut(&mut next.ingest).started(load, target, name, landing)
            }
            Action::Failed { message, code } => Rc::make_mut(&mut next.ingest).refused(message, code),
            Action::DismissRefusal => Rc::make_mut(&mut next.ingest).refusal = None,
            Action::WorkerCrashed { message } => {
                let ingest = IngestState {
                    completed: self.ingest.completed + 1,
                    phase: Phase::Failed { message, code: String::new() },
                    ..IngestState::default()
                };
                next = AppState {
                    worker_generation: self.worker_generation + 1,
                    ingest: Rc::new(ingest),
                    ..AppState::new(self.lang)
                };
            }
            Action::ClvCancel => Rc::make_mut(&mut next.clv).cancel(),
            Action::Print(on) if on == self.printing => return None,
            Action::Print(on) => next.printing = on,
            Action::ClvAutoStarted => Rc::make_mut(&mut next.clv).auto_start(),
            Action::OpenProfile { list, at } => Rc::make_mut(&mut next.profile).open(list, at),
            Action::CloseProfile => Rc::make_mut(&mut next.profile).close(),
            Action::Worker(response) => {
                if !next.answer(response) {
                    return None;
                }
            }
        }
        Some(next)
    }

    /// Takes a message from the worker; whether anything changed.
    fn answer(&mut self, response: Response) -> bool {
        match response {
            Response::Ready => self.worker_ready = true,
            Response::Timings { stages } => Rc::make_mut(&mut self.ingest).load_timings = stages,
            // Rendered out of sight (`ui::rehearsal`), never into the app's state; saved as files.
            Response::Rehearsal { .. } | Response::Download { .. } => return false,
            Response::Nps { nps } => Rc::make_mut(&mut self.nps).show(nps),
            Response::Comments { shown } => Rc::make_mut(&mut self.nps).comments = Rc::new(shown),
            r @ (Response::ClvProgress { .. }
            | Response::ClvDone { .. }
            | Response::ClvFailed { .. }
            | Response::ClvCancelled
            | Response::ClvCustomers { .. }
            | Response::ClvGroups { .. }) => {
                // A stale answer of a cancelled run changes nothing, and clones nothing.
                let mut clv = (*self.clv).clone();
                if !clv.answer(r) {
                    return false;
                }
                self.clv = Rc::new(clv);
            }
            Response::Segmented { summary, params, nps } => {
                Rc::make_mut(&mut self.nps).show(nps);
                Rc::make_mut(&mut self.segments).answer(Response::Segmented { summary, params, nps: None });
            }
            r @ (Response::SegmentFailed { .. }
            | Response::Customers { .. }
            | Response::CrossSell { .. }
            | Response::CrossSellFailed { .. }
            | Response::Actions { .. }
            | Response::FollowUp { .. }
            | Response::Funnel { .. }
            | Response::MembersDropped
            | Response::Events { .. }
            | Response::ActionsFailed { .. }) => {
                Rc::make_mut(&mut self.segments).answer(r);
            }
            r @ (Response::Profile { .. } | Response::ProfileFailed { .. }) => {
                Rc::make_mut(&mut self.profile).answer(r);
            }
            Response::Progress { load, stage, fraction } => {
                if self.ingest.loads.sent(load).is_none() {
                    return false;
                }
                Rc::make_mut(&mut self.ingest).progress(load, stage, fraction);
            }
            Response::Loaded { load, .. } | Response::Failed { load, .. } if load != 0 => {
                for outcome in Rc::make_mut(&mut self.ingest).answer(load, response) {
                    self.shown(outcome);
                }
            }
            Response::Loaded { .. } | Response::Failed { .. } => {
                if let Some(outcome) = Rc::make_mut(&mut self.ingest).show(response) {
                    self.shown(outcome);
                }
            }
            Response::Cleared => {
                self.nps = Rc::default();
                self.profile = Rc::default();
                Rc::make_mut(&mut self.clv).new_file();
                let segments = Rc::make_mut(&mut self.segments);
                segments.summary = None;
                segments.list = None;
                segments.funnel = None;
                segments.events = None;
                Rc::make_mut(&mut self.ingest).cleared();
                self.tab = Tab::Data;
            }
        }
        true
    }

    /// Opens the pages of a file's outcome; new transactions start the other features afresh.
    fn shown(&mut self, outcome: Shown) {
        match outcome {
            Shown::Transactions => {
                self.tab = self.ingest.landing;
                self.profile = Rc::default();
                Rc::make_mut(&mut self.segments).new_file();
                Rc::make_mut(&mut self.clv).new_file();
            }
            Shown::Survey => self.tab = if self.ingest.landing == Tab::Data { Tab::Data } else { Tab::Nps },
            Shown::Failed => {}
        }
    }
}

#[cfg(target_arch = "wasm32")]
impl yew::Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match self.after(action) {
            Some(next) => Rc::new(next),
            None => self,
        }
    }
}

#[cfg(test)]
mod tests;
