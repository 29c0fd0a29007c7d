//! How the session words its answers: a load that failed, a request it refuses (with a code the
//! page translates), a file to download, the order of the CLV list, the page's rehearsal.

use crate::core::clv::form::ClvParamsError;
use crate::core::clv::ClvError;
use crate::core::export::{self, ExportEncoding};
use crate::core::ingest::IngestError;
use crate::core::report::segments::SegmentError;
use crate::protocol::{ProgressStage, Response, Slot};

/// Whether a file that failed `e` is worth keeping: the user may fix the reading options
/// (encoding, mapping) and read it again.
pub fn retry_after(e: &IngestError) -> bool {
    matches!(e, IngestError::NoCustomerColumn { .. } | IngestError::UnknownColumn { .. } | IngestError::UnknownEncoding(_))
}

/// The answer to a load that failed with `e`. Without a customer column, the page asks which
/// column it is.
pub fn failure(load: u32, e: &IngestError, slot: Slot) -> Response {
    let columns = match e {
        IngestError::NoCustomerColumn { columns } => columns.clone(),
        _ => Vec::new(),
    };
    Response::Failed { load, message: e.to_string(), code: e.code().to_string(), slot, columns }
}

/// A CSV text to download, as UTF-8 with a byte-order mark (Excel then shows Chinese).
pub(super) fn csv_download(file_name: String, csv: &str) -> Response {
    Response::Download { file_name, mime: "text/csv;charset=utf-8".into(), bytes: export::encode(csv, ExportEncoding::Utf8Bom).0 }
}

/// Why a request about the data cannot be answered: nothing to answer from yet, or the
/// computation's own error. The page shows its message, translated by its code.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Refusal {
    #[error("there is no data to segment: choose a file")]
    NoData,
    #[error("there is no segmentation: choose a file")]
    NoSegmentation,
    #[error("there is no CLV result: run the models first")]
    NoClv,
    #[error("CLV needs a transaction file: choose one")]
    ClvNoTransactions,
    #[error("the export failed: {0}")]
    Export(String),
    #[error(transparent)]
    Segment(#[from] SegmentError),
    #[error(transparent)]
    Clv(#[from] ClvError),
    #[error(transparent)]
    ClvParams(#[from] ClvParamsError),
}

impl Refusal {
    /// A stable key for the page to translate.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoData => "no_data",
            Self::NoSegmentation => "no_segmentation",
            Self::NoClv => "no_clv",
            Self::ClvNoTransactions => "clv_no_transactions",
            Self::Export(_) => "export_failed",
            Self::Segment(e) => e.code(),
            Self::Clv(e) => e.code(),
            Self::ClvParams(e) => e.code(),
        }
    }

    pub(super) fn segment_failed(&self) -> Response {
        Response::SegmentFailed { message: self.to_string(), code: self.code().into() }
    }

    pub(super) fn clv_failed(&self) -> Response {
        Response::ClvFailed { message: self.to_string(), code: self.code().into() }
    }
}

/// What the page rehearses its first render with ([`Response::Rehearsal`]): the answers a load of
/// the worker's warm-up file gave ([`Session::settle`] with load 1), after a progress answer, with
/// timings that are no file's (the page does not show them).
pub fn rehearsal(answers: Vec<Response>) -> Vec<Response> {
    let mut responses = vec![Response::Progress { load: 1, stage: ProgressStage::Parsing, fraction: 0.5 }];
    for answer in answers {
        responses.push(match answer {
            Response::Timings { .. } => {
                let stages = ["read", "parse", "segment", "wasm-mb"].map(|stage| (stage.to_string(), 1.0)).to_vec();
                Response::Timings { stages }
            }
            answer => answer,
        });
    }
    responses
}
