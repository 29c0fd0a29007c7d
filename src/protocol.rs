//! Messages between the UI (main thread) and the worker that holds the dataset.
//!
//! Requests carry options, never data rows; responses carry summaries (the [`Report`]), never row
//! dumps. The file itself crosses once, as a `File` handle posted beside a [`Request::Load`]: the
//! worker reads its bytes (the main thread never copies them) and keeps them to re-read with other
//! options.

use crate::core::clv::{ClvParams, ClvReport, CustomerClv};
use crate::core::export::ExportFormat;
use crate::core::ingest::{IngestOptions, Report, Stage};
use crate::core::nps::NpsSummary;
use crate::core::segments::{CustomerFilter, CustomerRow, SegmentationParams, SegmentationSummary};
use serde::{Deserialize, Serialize};

/// How many rejected rows a report sent to the UI lists; all are downloadable.
pub const REJECTED_SHOWN: usize = 100;
/// Customers per page of a drill-down list.
pub const PAGE_SIZE: usize = 100;

/// Which of the two files a message is about: the transactions (purchases) or a survey file of
/// its own (NPS answers joined to the transactions by customer id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Slot {
    #[default]
    Transactions,
    Survey,
}

/// UI → worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Read the `File` posted with this message, into `slot`; without one, a file with scores and
    /// no amounts is a survey and anything else is transactions.
    Load {
        name: String,
        size: u64,
        options: IngestOptions,
        slot: Option<Slot>,
    },
    /// Generate the demo dataset and read it.
    Sample {
        customers: usize,
        seed: u64,
    },
    /// Read the file held by the worker again with other options (mapping, encoding, …).
    Reparse {
        options: IngestOptions,
        slot: Slot,
    },
    /// All rejected rows of a file as CSV, for download.
    ExportRejected {
        slot: Slot,
    },
    /// Forget the survey file; NPS comes from the transactions' own score column again, if any.
    DropSurvey,
    /// Segment the loaded customers (RFM, named segments, Chinese classes, ABC).
    Segment {
        params: SegmentationParams,
    },
    /// A page of the customers passing a filter, highest monetary value first.
    Customers {
        filter: CustomerFilter,
        offset: usize,
    },
    /// All customers passing a filter as CSV, for download.
    ExportCustomers {
        filter: CustomerFilter,
        file_name: String,
        format: ExportFormat,
    },
    /// Fit the CLV models (in steps, with progress; a new request or [`Request::ClvCancel`] stops
    /// the one running between steps).
    Clv {
        params: ClvParams,
    },
    ClvCancel,
    /// A page of the CLV customer list, sorted by `sort` (highest first).
    ClvCustomers {
        sort: ClvSort,
        offset: usize,
    },
    /// Every customer's CLV predictions as CSV (UTF-8 with BOM).
    ExportClv {
        file_name: String,
    },
    /// Drop everything the worker holds.
    Clear,
    /// Panic on purpose: how the browser tests check that a crashed worker is replaced and the app
    /// stays usable. The UI sends it only when the page is opened as `#crash-test=worker`.
    Crash,
}

/// What the CLV customer list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ClvSort {
    #[default]
    Clv,
    PAlive,
    ExpectedPurchases,
}

/// The steps of a CLV run, for its progress line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClvStep {
    Summary,
    BgNbd,
    ParetoNbd,
    GammaGamma,
    Predicting,
}

impl ClvStep {
    pub const ALL: [ClvStep; 5] =
        [ClvStep::Summary, ClvStep::BgNbd, ClvStep::ParetoNbd, ClvStep::GammaGamma, ClvStep::Predicting];
}

/// Worker → UI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// The worker has started and can take requests.
    Ready,
    /// How far a load has got (0..1 within the stage).
    Progress {
        stage: ProgressStage,
        fraction: f64,
    },
    /// The file was read; `report.rejected` holds at most [`REJECTED_SHOWN`] rows.
    Loaded {
        report: Box<Report>,
        options: IngestOptions,
        slot: Slot,
    },
    /// The file cannot be used; the message says why and what to do (in English; `code` is a stable
    /// key the UI translates, empty for internal errors).
    Failed {
        message: String,
        code: String,
        /// The file that failed: a survey failing leaves the transactions as they were.
        slot: Slot,
    },
    /// The NPS page when there is no segmentation to carry it (a survey file without transactions,
    /// or after the survey was dropped).
    Nps {
        nps: Option<Box<NpsSummary>>,
    },
    /// The segmentation pages' numbers; `nps` is present when the file has survey answers.
    Segmented {
        summary: Box<SegmentationSummary>,
        params: SegmentationParams,
        nps: Option<Box<NpsSummary>>,
    },
    /// Segmentation is not possible (no dates or amounts mapped, bad parameters); the file stays loaded.
    SegmentFailed {
        message: String,
    },
    /// A page of a customer list.
    Customers {
        filter: CustomerFilter,
        offset: usize,
        total: usize,
        rows: Vec<CustomerRow>,
    },
    /// A customer list as a file to download (CSV with a UTF-8 BOM, GBK CSV, or XLSX).
    CustomersFile {
        file_name: String,
        mime: String,
        #[serde(with = "serde_bytes")]
        bytes: Vec<u8>,
    },
    /// The CSV of all rejected rows.
    RejectedCsv {
        file_name: String,
        csv: String,
    },
    Cleared,
    /// A CLV run has reached `step`.
    ClvProgress {
        step: ClvStep,
    },
    /// The CLV run finished (the report's per-customer rows stay in the worker; `top` is the first
    /// page by CLV).
    ClvDone {
        report: Box<ClvReport>,
        top: Vec<CustomerClv>,
        /// Milliseconds each step took, in [`ClvStep::ALL`] order.
        timings: Vec<f64>,
    },
    ClvFailed {
        message: String,
    },
    ClvCancelled,
    /// How long the last load took in the worker, stage by stage, in milliseconds (read the file,
    /// parse and validate it, segment it), for `make bench` and the curious.
    Timings {
        stages: Vec<(String, f64)>,
    },
    /// A page of the CLV customer list.
    ClvCustomers {
        sort: ClvSort,
        offset: usize,
        total: usize,
        rows: Vec<CustomerClv>,
    },
}

/// Stages of a load, for the progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgressStage {
    Reading,
    Generating,
    Decoding,
    Parsing,
}

impl From<Stage> for ProgressStage {
    fn from(s: Stage) -> Self {
        match s {
            Stage::Decoding => Self::Decoding,
            Stage::Parsing => Self::Parsing,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ingest::ingest;

    #[test]
    fn a_loaded_report_survives_the_trip_to_the_ui() {
        let text = "客户ID,下单时间,实付金额,评分\n00042,2024-03-05,¥12,9\n,2024-03-06,1,\n";
        let report = ingest(text.as_bytes(), "t.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap().report;
        let sent = Response::Loaded { report: Box::new(report), options: IngestOptions::default(), slot: Slot::Survey };
        let json = serde_json::to_string(&sent).unwrap();
        let received: Response = serde_json::from_str(&json).unwrap();
        assert_eq!(received, sent);
    }

    #[test]
    fn requests_survive_the_trip_to_the_worker() {
        let options = IngestOptions {
            map: vec![crate::core::ingest::MapOverride::parse("amount=3").unwrap()],
            encoding: Some("GBK".into()),
            ..Default::default()
        };
        for sent in [
            Request::Reparse { options, slot: Slot::Survey },
            Request::Sample { customers: 10, seed: 1 },
            Request::ExportRejected { slot: Slot::Transactions },
            Request::DropSurvey,
        ] {
            let json = serde_json::to_string(&sent).unwrap();
            assert_eq!(serde_json::from_str::<Request>(&json).unwrap(), sent);
        }
    }
}
