//! The CLV page's state: the last result and its list, a run in progress, why the last run failed,
//! and a cancel the worker has not confirmed yet.

use super::Problem;
use crate::core::clv::{ClvReport, CustomerClv};
use crate::protocol::{ClvSort, ClvStep, Response};
use std::rc::Rc;

/// A page of the CLV customer list.
#[derive(Debug, Clone, PartialEq)]
pub struct ClvList {
    pub sort: ClvSort,
    pub offset: usize,
    pub total: usize,
    pub rows: Vec<CustomerClv>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClvState {
    pub report: Option<Rc<ClvReport>>,
    /// The step of a run in progress.
    pub step: Option<ClvStep>,
    pub error: Option<Problem>,
    pub list: Option<Rc<ClvList>>,
    /// The predictions rolled up by group under the segmentation shown.
    pub groups: Option<Rc<crate::core::report::clv_groups::ClvGroups>>,
    /// Milliseconds per step of the last run.
    pub timings: Vec<f64>,
    /// The user cancelled a run and the worker has not confirmed it yet: whatever that run still
    /// sends (a result posted before the cancel reached the worker) is dropped.
    pub cancelling: bool,
    /// The page has started its one automatic fit for this file (with the default settings), so
    /// it does not start another after a cancel, a failure or a cleared result.
    pub auto_started: bool,
    /// Results received so far (a test or a script waits for the next one).
    pub runs: u32,
}

impl ClvState {
    /// Takes the worker's answer about CLV; whether it changed anything.
    pub fn answer(&mut self, response: Response) -> bool {
        match response {
            // Until the worker confirms the cancel, what the cancelled run still sends is stale.
            Response::ClvProgress { .. } | Response::ClvDone { .. } | Response::ClvFailed { .. } if self.cancelling => {
                return false
            }
            Response::ClvProgress { step } => {
                self.step = Some(step);
                self.error = None;
            }
            Response::ClvDone { report, top, timings } => {
                self.step = None;
                self.runs += 1;
                self.timings = timings;
                self.list = Some(Rc::new(ClvList { sort: ClvSort::Clv, offset: 0, total: report.customers, rows: top }));
                self.report = Some(Rc::new(*report));
                self.groups = None;
            }
            Response::ClvFailed { message, code } => {
                self.step = None;
                self.error = Some(Problem { code, message });
            }
            Response::ClvCancelled => {
                self.step = None;
                self.cancelling = false;
            }
            Response::ClvCustomers { sort, offset, total, rows } => {
                self.list = Some(Rc::new(ClvList { sort, offset, total, rows }));
            }
            Response::ClvGroups { groups } => self.groups = groups.map(|g| Rc::new(*g)),
            _ => return false,
        }
        true
    }

    /// The user cancelled the run (the worker is told separately).
    pub fn cancel(&mut self) {
        self.step = None;
        self.cancelling = true;
    }

    /// New transactions (or none): the last result was about the old ones. The last run's timings
    /// and a cancel still unconfirmed stay.
    pub fn new_file(&mut self) {
        self.report = None;
        self.step = None;
        self.error = None;
        self.list = None;
        self.groups = None;
        self.auto_started = false;
    }

    /// The page's automatic fit was sent: running from now (the report waits for it), before the
    /// worker's first progress arrives.
    pub fn auto_start(&mut self) {
        self.auto_started = true;
        self.step = Some(ClvStep::ALL[0]);
    }

    /// Whether the page should fit the models on its own now: once per file, when nothing was
    /// fitted, is running, failed or is being cancelled.
    pub fn wants_auto_fit(&self) -> bool {
        !self.auto_started && self.report.is_none() && self.step.is_none() && self.error.is_none() && !self.cancelling
    }
}
