//! Ingest: the bytes of a file the user dropped in → a typed [`Dataset`] and a [`Report`] of what was
//! understood and what was rejected.
//!
//! One pass decides the layout (workbook or text; encoding; delimiter; header; roles) from the first
//! rows, then one pass over all rows converts only the mapped columns. A bad cell rejects its row
//! with the row, column, value and reason; it never stops the file. Only a file that cannot be a
//! table of customers at all is an [`IngestError`].

pub mod cfb_check;
pub mod encoding;
pub mod excel;
pub mod facts;
pub mod roles;
pub mod split;
pub mod table;
pub mod tally;

mod drive;
mod error;
mod prepare;
mod report;
mod rows;
mod sniff;
#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;

pub use self::drive::*;
pub use self::error::*;
use self::prepare::*;
pub use self::report::*;
use self::rows::*;
use self::sniff::*;

use self::excel::SheetInfo;
use self::roles::{Mapping, Profile, Reason, Role};
use self::split::{Pending, Plan, Split};
use self::table::{Format, Position, Row, Source};
use self::tally::{LeftOut, Notice, StatusCount, Tally, Warning};
use crate::core::dataset::spill::Spill;
use crate::core::dataset::{Categorical, Dataset, Held, OrderIds, Recent, Totals, MISSING, NO_SCORE};
use crate::core::values::{self, DateOrder, DecimalMark};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::ControlFlow;

/// How many leading rows decide layout, header and roles.
const HEAD_ROWS: usize = 1000;
/// Rows shown in the preview.
const PREVIEW_ROWS: usize = 20;
/// Longest value quoted back in a rejection.
const MAX_QUOTED: usize = 200;
/// The largest file the browser app accepts: the worker holds the bytes, possibly a decoded copy,
/// and the dataset inside wasm32's 4 GiB address space.
pub const MAX_BROWSER_BYTES: u64 = 1 << 30;

/// A column named on the command line or picked in the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnRef {
    /// 1-based position.
    Position(usize),
    /// A header name, or failing that a 1-based position written as text (`--map date=3`).
    Spec(String),
}

/// One role assignment chosen by the user: `column: None` unmaps the role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapOverride {
    pub role: Role,
    pub column: Option<ColumnRef>,
}

impl MapOverride {
    /// Parses `ROLE=COLUMN` as written on the command line (`ROLE=` unmaps).
    ///
    /// # Errors
    /// A message naming the unknown role or the missing `=`.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let (role, column) = spec.split_once('=').ok_or_else(|| format!("--map expects ROLE=COLUMN, got '{spec}'"))?;
        let role = Role::from_key(role).ok_or_else(|| {
            let keys: Vec<&str> = Role::ALL.iter().map(|r| r.key()).collect();
            format!("unknown role '{role}' in --map; roles are {}", keys.join(", "))
        })?;
        let column = column.trim();
        Ok(Self { role, column: (!column.is_empty()).then(|| ColumnRef::Spec(column.to_string())) })
    }
}

/// Everything the user can override; `None` means detect.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IngestOptions {
    pub encoding: Option<String>,
    /// A text layout (delimiter); ignored for workbooks.
    pub format: Option<Format>,
    pub header: Option<bool>,
    /// Sheet name or 1-based position.
    pub sheet: Option<String>,
    pub date_order: Option<DateOrder>,
    pub decimal_mark: Option<DecimalMark>,
    pub map: Vec<MapOverride>,
    /// How each row's amount is made; `None`: from the amount column when one is mapped, else
    /// quantity × unit price.
    #[serde(default)]
    pub amount_from: Option<AmountFrom>,
    /// The order statuses to leave out, as written in the file; `None`: those that mean no sale.
    #[serde(default)]
    pub exclude_statuses: Option<Vec<String>>,
    /// The currency of the amounts (ISO code); `None`: from the symbols or codes in the file.
    #[serde(default)]
    pub currency: Option<String>,
}

/// Where each row's amount comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AmountFrom {
    /// The amount column (a line or order total).
    #[default]
    Amount,
    /// Quantity × unit price, line by line.
    #[serde(rename = "quantity_x_unit_price")]
    QuantityTimesUnitPrice,
    /// The unit price alone: one unit a line (no quantity column).
    UnitPrice,
}

impl AmountFrom {
    pub const ALL: [AmountFrom; 3] = [Self::Amount, Self::QuantityTimesUnitPrice, Self::UnitPrice];

    /// The key used in JSON and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Self::Amount => "amount",
            Self::QuantityTimesUnitPrice => "quantity_x_unit_price",
            Self::UnitPrice => "unit_price",
        }
    }

    pub fn from_key(s: &str) -> Option<Self> {
        let s = s.trim().to_ascii_lowercase().replace('-', "_");
        Self::ALL.into_iter().find(|a| a.key() == s)
    }

    /// A line's amount from what its cells gave (`None` where a cell was missing or unreadable).
    fn line(self, amount: Option<f64>, quantity: Option<f64>, price: Option<f64>) -> Option<f64> {
        match self {
            Self::Amount => amount,
            Self::QuantityTimesUnitPrice => Some(money(quantity? * price?)),
            Self::UnitPrice => price,
        }
    }
}

/// Ingest stages reported to a progress callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Reading a workbook's cells.
    Workbook,
    Decoding,
    Parsing,
}

/// The result of a successful ingest.
#[derive(Debug, Clone, PartialEq)]
pub struct Ingested {
    pub report: Report,
    pub dataset: Dataset,
}
