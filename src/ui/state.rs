//! App state: one reducer for the ingest flow; leaf UI state stays in components.

use super::i18n::Lang;
use crate::core::analysis::comments::Comment;
use crate::core::clv::{ClvReport, CustomerClv};
use crate::core::ingest::{IngestOptions, Report};
use crate::core::report::nps_page::NpsSummary;
use crate::core::report::segments::{CustomerFilter, CustomerRow, SegmentationParams, SegmentationSummary};
use crate::protocol::{ClvSort, ClvStep, Loads, ProgressStage, Response, Slot};
use std::cell::Cell;
use std::rc::Rc;
use yew::prelude::*;

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
}

/// A page of the CLV customer list.
#[derive(Debug, Clone, PartialEq)]
pub struct ClvList {
    pub sort: ClvSort,
    pub offset: usize,
    pub total: usize,
    pub rows: Vec<CustomerClv>,
}

/// A page of a drill-down list.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerList {
    pub filter: CustomerFilter,
    pub offset: usize,
    pub total: usize,
    pub rows: Vec<CustomerRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    pub tab: Tab,
    pub segmentation: Option<Rc<SegmentationSummary>>,
    /// The rules the shown segmentation used.
    pub seg_params: SegmentationParams,
    pub seg_error: Option<Problem>,
    pub list: Option<Rc<CustomerList>>,
    /// The NPS page, when there are survey answers (in the transactions or a survey file).
    pub nps: Option<Rc<NpsSummary>>,
    /// The survey comments the worker sent last ([`Response::Comments`]): NPS summaries come
    /// without them and get these.
    pub comments: Rc<Vec<Comment>>,
    /// The survey file, when one was loaded beside the transactions.
    pub survey: Option<Rc<Report>>,
    pub survey_options: IngestOptions,
    /// Why the last survey file could not be used (English message, code), shown beside the pages
    /// of the transactions, which stay.
    pub survey_error: Option<(String, String)>,
    /// The columns of a transactions file refused for want of a customer id: the page asks which
    /// one it is.
    pub pick_customer: Option<Vec<String>>,
    /// Which file the data page shows.
    pub data_view: Slot,
    /// The last CLV result, the step of a run in progress, and why the last run failed.
    pub clv: Option<Rc<ClvReport>>,
    pub clv_step: Option<ClvStep>,
    pub clv_error: Option<Problem>,
    pub clv_list: Option<Rc<ClvList>>,
    /// Milliseconds per step of the last CLV run.
    pub clv_timings: Vec<f64>,
    /// The user cancelled a CLV run and the worker has not confirmed it yet: whatever that run
    /// still sends (a result posted before the cancel reached the worker) is dropped.
    pub clv_cancelling: bool,
    /// The tab a load in progress lands on: the overview for a new file, the data page for a re-read.
    pub landing: Tab,
    pub lang: Lang,
    pub phase: Phase,
    pub report: Option<Rc<Report>>,
    /// The options the shown report was read with; edits start from them.
    pub options: IngestOptions,
    /// The worker has loaded and answers requests.
    pub worker_ready: bool,
    /// A file refused before it was read (too large for the tab) while other data is on screen:
    /// (English message, code). The analysis shown stays.
    pub refusal: Option<(String, String)>,
    /// Milliseconds per stage of the last load in the worker.
    pub load_timings: Vec<(String, f64)>,
    /// Loads finished (read or refused), for the page to say when a file's outcome is on screen.
    pub completed: u32,
    /// Counts the workers started: a crashed worker is replaced by the next one.
    pub worker_generation: u32,
    /// Loads sent and not yet answered, and answers held back until no later file can replace them.
    pub loads: Loads<Response>,
    /// A file that failed while another was still being read: (English message, code), shown
    /// once the last one is answered.
    pub failed_meanwhile: Option<(String, String)>,
}

/// An NPS summary as the worker sent it (without its comments list) with the comments it sent.
fn with_comments(mut nps: NpsSummary, shown: &[Comment]) -> NpsSummary {
    nps.comments.shown = shown.to_vec();
    nps
}

impl Default for AppState {
    fn default() -> Self {
        Self {
            tab: Tab::Data,
            segmentation: None,
            seg_params: SegmentationParams::default(),
            seg_error: None,
            list: None,
            nps: None,
            comments: Rc::default(),
            survey: None,
            survey_options: IngestOptions::default(),
            survey_error: None,
            pick_customer: None,
            data_view: Slot::Transactions,
            landing: Tab::Overview,
            clv: None,
            clv_step: None,
            clv_error: None,
            clv_list: None,
            clv_timings: Vec::new(),
            clv_cancelling: false,
            lang: Lang::initial(),
            phase: Phase::Idle,
            report: None,
            options: IngestOptions::default(),
            worker_ready: false,
            worker_generation: 0,
            refusal: None,
            load_timings: Vec::new(),
            completed: 0,
            loads: Loads::default(),
            failed_meanwhile: None,
        }
    }
}

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
    /// A message from the worker.
    Worker(Response),
    /// The worker crashed after it had started: everything it held is gone, a new one starts.
    WorkerCrashed {
        message: String,
    },
    Failed {
        message: String,
        code: String,
    },
}

impl AppState {
    /// The options a file was read with; edits start from them.
    pub fn options_for(&self, slot: Slot) -> &IngestOptions {
        match slot {
            Slot::Transactions => &self.options,
            Slot::Survey => &self.survey_options,
        }
    }

    /// Shows the answer to a load: the file read, or why it could not be.
    fn show(&mut self, answer: Response) {
        match answer {
            Response::Loaded { report, options, slot: Slot::Survey, .. } => {
                self.completed += 1;
                self.phase = Phase::Loaded;
                self.survey = Some(Rc::new(*report));
                self.survey_options = options;
                self.survey_error = None;
                self.data_view = Slot::Survey;
                self.tab = if self.landing == Tab::Data { Tab::Data } else { Tab::Nps };
            }
            Response::Loaded { report, options, slot: Slot::Transactions, .. } => {
                self.tab = self.landing;
                self.completed += 1;
                self.data_view = Slot::Transactions;
                self.segmentation = None;
                self.seg_error = None;
                self.list = None;
                self.phase = Phase::Loaded;
                self.report = Some(Rc::new(*report));
                self.options = options;
                self.clv = None;
                self.clv_step = None;
                self.clv_error = None;
                self.clv_list = None;
            }
            // A survey that cannot be read leaves the transactions' pages as they were.
            Response::Failed { message, code, slot: Slot::Survey, .. } if self.report.is_some() => {
                self.completed += 1;
                self.phase = Phase::Loaded;
                self.survey = None;
                self.survey_error = Some((message, code));
                self.data_view = Slot::Transactions;
            }
            Response::Failed { message, code, slot, columns, .. } => {
                self.completed += 1;
                self.phase = Phase::Failed { message, code };
                self.pick_customer = (slot == Slot::Transactions && !columns.is_empty()).then_some(columns);
                match slot {
                    Slot::Transactions => self.report = None,
                    Slot::Survey => self.survey = None,
                }
            }
            _ => {}
        }
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::SetLang(lang) => {
                lang.save();
                next.lang = lang;
            }
            Action::SetTab(tab) => next.tab = tab,
            Action::SetDataView(slot) => next.data_view = slot,
            Action::DropSurvey => {
                next.survey = None;
                next.survey_error = None;
                next.data_view = Slot::Transactions;
                if next.tab == Tab::Nps {
                    next.tab = Tab::Overview;
                }
            }
            Action::Started { load, target, name, landing } => {
                next.landing = landing;
                next.refusal = None;
                next.pick_customer = None;
                next.loads.send(load, target, name.clone());
                next.phase = Phase::Loading { name, stage: ProgressStage::Reading, fraction: 0.0 };
            }
            // A file refused up front never reached the worker: what is on screen stays.
            Action::Failed { message, code }
                if matches!(self.phase, Phase::Loaded) && (self.report.is_some() || self.survey.is_some()) =>
            {
                next.completed += 1;
                next.refusal = Some((message, code));
            }
            Action::DismissRefusal => next.refusal = None,
            Action::Failed { message, code } => {
                next.completed += 1;
                next.phase = Phase::Failed { message, code };
                next.report = None;
            }
            Action::WorkerCrashed { message } => {
                let lang = next.lang;
                next = AppState {
                    lang,
                    worker_generation: self.worker_generation + 1,
                    completed: self.completed + 1,
                    phase: Phase::Failed { message, code: String::new() },
                    ..AppState::default()
                };
            }
            Action::ClvCancel => {
                next.clv_step = None;
                next.clv_cancelling = true;
            }
            // Until the worker confirms the cancel, what the cancelled run still sends is stale.
            Action::Worker(Response::ClvProgress { .. } | Response::ClvDone { .. } | Response::ClvFailed { .. })
                if self.clv_cancelling =>
            {
                return self;
            }
            Action::Worker(response) => match response {
                Response::Ready => next.worker_ready = true,
                Response::Timings { stages } => next.load_timings = stages,
                // Rendered out of sight (`ui::rehearsal`), never into the app's state.
                Response::Rehearsal { .. } => return self,
                Response::Download { .. } => return self,
                Response::Nps { nps } => next.nps = nps.map(|n| Rc::new(with_comments(*n, &next.comments))),
                Response::Comments { shown } => next.comments = Rc::new(shown),
                Response::ClvProgress { step } => {
                    next.clv_step = Some(step);
                    next.clv_error = None;
                }
                Response::ClvDone { report, top, timings } => {
                    next.clv_step = None;
                    next.clv_timings = timings;
                    next.clv_list = Some(Rc::new(ClvList { sort: ClvSort::Clv, offset: 0, total: report.customers, rows: top }));
                    next.clv = Some(Rc::new(*report));
                }
                Response::ClvFailed { message, code } => {
                    next.clv_step = None;
                    next.clv_error = Some(Problem { code, message });
                }
                Response::ClvCancelled => {
                    next.clv_step = None;
                    next.clv_cancelling = false;
                }
                Response::ClvCustomers { sort, offset, total, rows } => {
                    next.clv_list = Some(Rc::new(ClvList { sort, offset, total, rows }));
                }
                Response::Segmented { summary, params, nps } => {
                    next.nps = nps.map(|n| Rc::new(with_comments(*n, &next.comments)));
                    next.segmentation = Some(Rc::new(*summary));
                    next.seg_params = params;
                    next.seg_error = None;
                    next.list = None;
                }
                // Keep the last good results on screen; the rules panel shows why the new ones failed.
                Response::SegmentFailed { message, code } => next.seg_error = Some(Problem { code, message }),
                Response::Customers { filter, offset, total, rows } => {
                    next.list = Some(Rc::new(CustomerList { filter, offset, total, rows }));
                }
                Response::Progress { load, stage, fraction } => match self.loads.sent(load) {
                    Some(sent) => next.phase = Phase::Loading { name: sent.name.clone(), stage, fraction },
                    // A load already answered or replaced.
                    None => return self,
                },
                Response::Loaded { load, slot, .. } | Response::Failed { load, slot, .. } if load != 0 => {
                    let replaced = matches!(&response, Response::Failed { code, .. } if code == "replaced");
                    for answer in next.loads.answer(load, (!replaced).then_some(slot), response) {
                        next.show(answer);
                    }
                    // Another file is still being read: its progress stays on screen, and a failure
                    // shown meanwhile waits for it.
                    if let Some(latest) = next.loads.latest() {
                        if let Phase::Failed { message, code } = &next.phase {
                            next.failed_meanwhile = Some((message.clone(), code.clone()));
                        }
                        next.phase = match &self.phase {
                            Phase::Loading { name, .. } if *name == latest.name => self.phase.clone(),
                            _ => Phase::Loading { name: latest.name.clone(), stage: ProgressStage::Reading, fraction: 0.0 },
                        };
                    } else if let Some((message, code)) = next.failed_meanwhile.take() {
                        // The failed file's message, as if it had been read alone: in place of the
                        // pages when it left no transactions, else above them.
                        if next.report.is_none() {
                            next.phase = Phase::Failed { message, code };
                        } else {
                            next.refusal = Some((message, code));
                        }
                    }
                }
                Response::Loaded { .. } | Response::Failed { .. } => next.show(response),
                Response::Cleared => {
                    next.comments = Rc::default();
                    next.clv = None;
                    next.clv_step = None;
                    next.clv_error = None;
                    next.clv_list = None;
                    next.nps = None;
                    next.survey = None;
                    next.survey_error = None;
                    next.segmentation = None;
                    next.list = None;
                    next.tab = Tab::Data;
                    next.phase = Phase::Idle;
                    next.report = None;
                    next.options = IngestOptions::default();
                }
            },
        }
        Rc::new(next)
    }
}
