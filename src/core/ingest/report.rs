//! What a file's reading reports: its columns, the mapping and why, the rows rejected and
//! left out, and what the reader noticed.

use super::*;

/// A column of the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// 1-based.
    pub position: usize,
    /// The header text, or `column N` in a headerless file.
    pub name: String,
    pub role: Option<Role>,
    /// A few values from the first rows.
    pub samples: Vec<String>,
}

/// A column a role is mapped to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappedColumn {
    /// 1-based.
    pub column: usize,
    pub name: String,
    /// Why the column has the role.
    pub reason: Reason,
    /// [`Reason`] in words (English).
    pub why: String,
}

/// Rows without a customer id: guest checkouts, left out of the customer analyses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Guests {
    pub rows: u64,
    /// Of the rows read.
    pub share: f64,
    /// Their amounts, netted.
    pub revenue: f64,
}

/// A row that was not accepted, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    /// 1-based line in the file (row in the sheet for workbooks).
    pub row: u64,
    pub column: String,
    pub value: String,
    /// Why, in English.
    pub reason: String,
    /// The reason as a stable key (`date_no_such_day`, `amount_invalid`, …) for translations and scripts.
    pub code: String,
}

/// What ingest understood: the JSON printed by `loyalty-lens inspect` and shown on the summary screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub file: String,
    pub bytes: u64,
    pub format: Format,
    pub encoding: String,
    pub bom: bool,
    /// Some bytes were invalid in the encoding and were replaced.
    pub encoding_errors: bool,
    /// `,` `\t` `;` `|` or `whitespace`; absent for workbooks.
    pub delimiter: Option<String>,
    pub sheets: Vec<SheetInfo>,
    pub sheet: Option<String>,
    pub header: bool,
    pub columns: Vec<Column>,
    pub mapping: BTreeMap<Role, MappedColumn>,
    pub date_order: DateOrder,
    /// Dates like 03/04/2024 were seen and nothing in the file settles day or month first.
    pub date_order_ambiguous: bool,
    pub decimal_mark: DecimalMark,
    /// Data rows read (blank rows and the header excluded).
    pub rows: u64,
    pub rows_accepted: u64,
    pub rows_rejected: u64,
    /// Customers, orders, date range, revenue, refunds, responses (flattened into the JSON).
    #[serde(flatten)]
    pub totals: Totals,
    pub currency: Option<String>,
    pub preview: Vec<Vec<String>>,
    /// What the user should check about the file, in English.
    pub warnings: Vec<String>,
    /// The same as codes and numbers (the app words them in its language).
    pub warning_codes: Vec<Warning>,
    pub rejected: Vec<Rejection>,
    /// How each row's amount was made (`amount`, `quantity_x_unit_price`, `unit_price`).
    pub amount_from: AmountFrom,
    /// Rows without a customer id, when there are any.
    pub guests: Option<Guests>,
    /// The order statuses, when a status column is mapped: rows, amounts, and whether left out.
    pub statuses: Vec<StatusCount>,
    /// Rows left out for their order status.
    pub rows_excluded: u64,
    /// Rows whose order id marks a cancellation (`C536379`): counted as returns.
    pub cancellations: u64,
    /// Rows whose refund is their whole amount: not orders.
    pub refunded_rows: u64,
    /// Lines without an amount of their own that belong to an order whose amount is on another
    /// line (order-level fields on the order's first line only).
    pub order_lines: u64,
    /// Cells of optional columns that could not be read, left out of their rows.
    pub cells_left_out: Vec<LeftOut>,
    /// Survey rows without a score.
    pub no_answer: u64,
    /// The date (line and text) that settled day-first or month-first after the head of the file
    /// left it open.
    pub date_order_settled_by: Option<(u64, String)>,
    /// The lines of the rows without a customer id.
    pub guest_lines: Vec<u64>,
    /// What reading did to rows besides rejecting them, as codes and numbers (English in
    /// `Display`; the app words them in its language).
    pub notices: Vec<Notice>,
    /// Customer ids are numbers, and an id of zeros (`0`, `000`) is a guest checkout, no customer.
    #[serde(default)]
    pub zero_ids_are_guests: bool,
    /// Order ids are invoice numbers, and `C` before one (`C536379`) marks a cancellation.
    #[serde(default)]
    pub cancellation_marker: bool,
}
