//! App state: one reducer for the ingest flow; leaf UI state stays in components.

use super::i18n::Lang;
use crate::core::ingest::{IngestOptions, Report};
use crate::core::nps::NpsSummary;
use crate::core::segments::{CustomerFilter, CustomerRow, SegmentationParams, SegmentationSummary};
use crate::protocol::{ProgressStage, Response};
use std::rc::Rc;
use yew::prelude::*;

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
    Data,
    Segments,
    Lifecycle,
    Nps,
    Pyramid,
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
    pub seg_error: Option<String>,
    pub list: Option<Rc<CustomerList>>,
    /// The NPS page, when the file has survey answers.
    pub nps: Option<Rc<NpsSummary>>,
    pub lang: Lang,
    pub phase: Phase,
    pub report: Option<Rc<Report>>,
    /// The options the shown report was read with; edits start from them.
    pub options: IngestOptions,
    /// The worker has loaded and answers requests.
    pub worker_ready: bool,
    /// Loads sent and not yet answered. The worker answers in order, so while more than one is
    /// pending, what arrives belongs to a file the user has already replaced and is ignored.
    pub pending: u32,
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
            lang: Lang::initial(),
            phase: Phase::Idle,
            report: None,
            options: IngestOptions::default(),
            worker_ready: false,
            pending: 0,
        }
    }
}

pub enum Action {
    SetLang(Lang),
    SetTab(Tab),
    Started(String),
    /// A message from the worker.
    Worker(Response),
    Failed {
        message: String,
        code: String,
    },
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
            Action::Started(name) => {
                next.pending += 1;
                next.phase = Phase::Loading { name, stage: ProgressStage::Reading, fraction: 0.0 };
            }
            Action::Failed { message, code } => {
                next.phase = Phase::Failed { message, code };
                next.report = None;
            }
            Action::Worker(response) => match response {
                Response::Ready => next.worker_ready = true,
                Response::RejectedCsv { .. } | Response::CustomersFile { .. } => return self,
                Response::Segmented { summary, params, nps } => {
                    next.nps = nps.map(|n| Rc::new(*n));
                    next.segmentation = Some(Rc::new(*summary));
                    next.seg_params = params;
                    next.seg_error = None;
                    next.list = None;
                }
                // Keep the last good results on screen; the rules panel shows why the new ones failed.
                Response::SegmentFailed { message } => next.seg_error = Some(message),
                Response::Customers { filter, offset, total, rows } => {
                    next.list = Some(Rc::new(CustomerList { filter, offset, total, rows }));
                }
                Response::Progress { .. } | Response::Loaded { .. } | Response::Failed { .. } if self.pending > 1 => {
                    if !matches!(response, Response::Progress { .. }) {
                        next.pending -= 1;
                    }
                    return Rc::new(next);
                }
                Response::Progress { stage, fraction } => {
                    let name = match &self.phase {
                        Phase::Loading { name, .. } => name.clone(),
                        _ => String::new(),
                    };
                    next.phase = Phase::Loading { name, stage, fraction };
                }
                Response::Loaded { report, options } => {
                    // A new reading starts where its mapping can be checked.
                    next.tab = Tab::Data;
                    next.pending = 0;
                    next.segmentation = None;
                    next.seg_error = None;
                    next.list = None;
                    next.nps = None;
                    next.phase = Phase::Loaded;
                    next.report = Some(Rc::new(*report));
                    next.options = options;
                }
                Response::Failed { message, code } => {
                    next.pending = next.pending.saturating_sub(1);
                    next.phase = Phase::Failed { message, code };
                    next.report = None;
                }
                Response::Cleared => {
                    next.nps = None;
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
