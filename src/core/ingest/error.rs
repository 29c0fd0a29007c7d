//! A file that cannot be a table of customers at all: why, with a stable code the page
//! translates.

use super::*;

/// Why a file cannot be used at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IngestError {
    Empty,
    Binary(&'static str),
    Workbook(String),
    /// No column can be the customer id; `columns` are the file's columns, to choose one from.
    NoCustomerColumn {
        columns: Vec<String>,
    },
    UnknownColumn {
        role: Role,
        column: String,
        available: Vec<String>,
    },
    UnknownEncoding(String),
    NotText(Format),
    TooLarge {
        bytes: u64,
        limit: u64,
    },
    /// A row among the first has more fields than a table can have columns ([`table::MAX_COLUMNS`]).
    TooWide {
        line: u64,
    },
    /// A customer facts file ([`super::facts`]) that is not what its header promises: the line and
    /// what is wrong with it.
    Facts {
        line: u64,
        why: String,
    },
    /// The rows of a big file could not be put aside ([`crate::core::dataset::spill`]): why.
    Scratch(String),
}

impl IngestError {
    /// A stable key for the error, for translations and scripts.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::Binary(_) => "binary",
            Self::Workbook(_) => "workbook",
            Self::NoCustomerColumn { .. } => "no_customer_column",
            Self::UnknownColumn { .. } => "unknown_column",
            Self::UnknownEncoding(_) => "unknown_encoding",
            Self::NotText(_) => "not_text",
            Self::TooLarge { .. } => "too_large",
            Self::TooWide { .. } => "too_wide",
            Self::Facts { .. } => "facts_invalid",
            Self::Scratch(_) => "scratch_failed",
        }
    }
}

impl std::fmt::Display for IngestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Empty => write!(f, "the file is empty: it has no rows to read"),
            Self::Binary(kind) => write!(f, "this is {kind}, not a table of customers: choose a CSV, text or Excel file"),
            Self::Workbook(why) => write!(f, "{why}"),
            Self::NoCustomerColumn { .. } => write!(
                f,
                "no column looks like a customer id: map one (e.g. --map customer_id=COLUMN, a header name or 1-based position)"
            ),
            Self::UnknownColumn { role, column, available } => write!(
                f,
                "--map {}={column}: there is no such column; the columns are {}",
                role.key(),
                available.iter().enumerate().map(|(i, n)| format!("{} ({n})", i + 1)).collect::<Vec<_>>().join(", ")
            ),
            Self::UnknownEncoding(label) => write!(f, "unknown encoding '{label}' (try UTF-8, GBK, GB18030, UTF-16LE)"),
            Self::NotText(format) => write!(f, "'{}' is a workbook format; it cannot be forced on a text file", format.key()),
            Self::TooLarge { bytes, limit } => write!(
                f,
                "the file is {} MB; the browser app holds files up to {} MB: use the loyalty-lens command line for larger files",
                bytes / 1_000_000,
                limit / 1_000_000
            ),
            Self::TooWide { line } => write!(
                f,
                "line {line} has more than {} fields, more than a table can have columns: are the file's line ends missing?",
                table::MAX_COLUMNS
            ),
            Self::Facts { line, why } => write!(f, "line {line} of this customer facts file: {why}; nothing was read from it"),
            Self::Scratch(why) => write!(f, "the rows could not be put aside in temporary files (TMPDIR): {why}"),
        }
    }
}
