//! The file flow's state: the loads sent and their answers in order, what is being read, the
//! transactions and survey files read (with the options they were read with), and why a file was
//! refused.

use super::{Phase, Tab};
use crate::core::ingest::{IngestOptions, Report};
use crate::protocol::{Loads, ProgressStage, Response, Slot};
use std::rc::Rc;

#[derive(Debug, Clone, PartialEq)]
pub struct IngestState {
    pub phase: Phase,
    pub report: Option<Rc<Report>>,
    /// The options the shown report was read with; edits start from them.
    pub options: IngestOptions,
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
    /// The tab a load in progress lands on: the overview for a new file, the data page for a re-read.
    pub landing: Tab,
    /// A file refused before it was read (too large for the tab) while other data is on screen:
    /// (English message, code). The analysis shown stays.
    pub refusal: Option<(String, String)>,
    /// Milliseconds per stage of the last load in the worker.
    pub load_timings: Vec<(String, f64)>,
    /// Loads finished (read or refused), for the page to say when a file's outcome is on screen.
    pub completed: u32,
    /// Loads sent and not yet answered, and answers held back until no later file can replace them.
    pub loads: Loads<Response>,
    /// A file that failed while another was still being read: (English message, code), shown
    /// once the last one is answered.
    pub failed_meanwhile: Option<(String, String)>,
}

impl Default for IngestState {
    fn default() -> Self {
        Self {
            phase: Phase::Idle,
            report: None,
            options: IngestOptions::default(),
            survey: None,
            survey_options: IngestOptions::default(),
            survey_error: None,
            pick_customer: None,
            data_view: Slot::Transactions,
            landing: Tab::Overview,
            refusal: None,
            load_timings: Vec::new(),
            completed: 0,
            loads: Loads::default(),
            failed_meanwhile: None,
        }
    }
}

/// A file's outcome as shown: which pages open, and whether the other features start afresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// New transactions: the segmentation and CLV of the old ones go; the landing tab opens.
    Transactions,
    /// A survey: the NPS page opens (the data page for a re-read).
    Survey,
    /// A failure; the tab stays.
    Failed,
}

impl IngestState {
    /// The options a file was read with; edits start from them.
    pub fn options_for(&self, slot: Slot) -> &IngestOptions {
        match slot {
            Slot::Transactions => &self.options,
            Slot::Survey => &self.survey_options,
        }
    }

    /// A load or re-read was sent.
    pub fn started(&mut self, load: u32, target: Option<Slot>, name: String, landing: Tab) {
        self.landing = landing;
        self.refusal = None;
        self.pick_customer = None;
        self.loads.send(load, target, name.clone());
        self.phase = Phase::Loading { name, stage: ProgressStage::Reading, fraction: 0.0 };
    }

    /// A file refused before it reached the worker. What is on screen stays when there is some.
    pub fn refused(&mut self, message: String, code: String) {
        self.completed += 1;
        if matches!(self.phase, Phase::Loaded) && (self.report.is_some() || self.survey.is_some()) {
            self.refusal = Some((message, code));
        } else {
            self.phase = Phase::Failed { message, code };
            self.report = None;
        }
    }

    /// A load's progress; `false` for a load already answered or replaced.
    pub fn progress(&mut self, load: u32, stage: ProgressStage, fraction: f64) -> bool {
        match self.loads.sent(load) {
            Some(sent) => {
                self.phase = Phase::Loading { name: sent.name.clone(), stage, fraction };
                true
            }
            None => false,
        }
    }

    /// The answer to load `load`: shows the answers that can be shown now, in order (a later
    /// file's answer waits for the earlier ones; a replaced load shows nothing), and returns their
    /// outcomes.
    pub fn answer(&mut self, load: u32, response: Response) -> Vec<Shown> {
        let slot = match &response {
            Response::Loaded { slot, .. } | Response::Failed { slot, .. } => *slot,
            _ => return Vec::new(),
        };
        let replaced = matches!(&response, Response::Failed { code, .. } if code == "replaced");
        let was = self.phase.clone();
        let mut shown = Vec::new();
        for answer in self.loads.answer(load, (!replaced).then_some(slot), response) {
            shown.extend(self.show(answer));
        }
        // Another file is still being read: its progress stays on screen, and a failure shown
        // meanwhile waits for it.
        if let Some(latest) = self.loads.latest() {
            if let Phase::Failed { message, code } = &self.phase {
                self.failed_meanwhile = Some((message.clone(), code.clone()));
            }
            self.phase = match &was {
                Phase::Loading { name, .. } if *name == latest.name => was.clone(),
                _ => Phase::Loading { name: latest.name.clone(), stage: ProgressStage::Reading, fraction: 0.0 },
            };
        } else if let Some((message, code)) = self.failed_meanwhile.take() {
            // The failed file's message, as if it had been read alone: in place of the pages when
            // it left no transactions, else above them.
            if self.report.is_none() {
                self.phase = Phase::Failed { message, code };
            } else {
                self.refusal = Some((message, code));
            }
        }
        shown
    }

    /// Shows the answer to a load: the file read, or why it could not be.
    pub fn show(&mut self, answer: Response) -> Option<Shown> {
        match answer {
            Response::Loaded { report, options, slot: Slot::Survey, .. } => {
                self.completed += 1;
                self.phase = Phase::Loaded;
                self.survey = Some(Rc::new(*report));
                self.survey_options = options;
                self.survey_error = None;
                self.data_view = Slot::Survey;
                Some(Shown::Survey)
            }
            Response::Loaded { report, options, slot: Slot::Transactions, .. } => {
                self.completed += 1;
                self.data_view = Slot::Transactions;
                self.phase = Phase::Loaded;
                self.report = Some(Rc::new(*report));
                self.options = options;
                Some(Shown::Transactions)
            }
            // A survey that cannot be read leaves the transactions' pages as they were.
            Response::Failed { message, code, slot: Slot::Survey, .. } if self.report.is_some() => {
                self.completed += 1;
                self.phase = Phase::Loaded;
                self.survey = None;
                self.survey_error = Some((message, code));
                self.data_view = Slot::Transactions;
                Some(Shown::Failed)
            }
            Response::Failed { message, code, slot, columns, .. } => {
                self.completed += 1;
                self.phase = Phase::Failed { message, code };
                self.pick_customer = (slot == Slot::Transactions && !columns.is_empty()).then_some(columns);
                match slot {
                    Slot::Transactions => self.report = None,
                    Slot::Survey => self.survey = None,
                }
                Some(Shown::Failed)
            }
            _ => None,
        }
    }

    /// The survey file was dropped (the worker is told separately).
    pub fn drop_survey(&mut self) {
        self.survey = None;
        self.survey_error = None;
        self.data_view = Slot::Transactions;
    }

    /// The worker dropped everything.
    pub fn cleared(&mut self) {
        self.survey = None;
        self.survey_error = None;
        self.phase = Phase::Idle;
        self.report = None;
        self.options = IngestOptions::default();
    }
}
