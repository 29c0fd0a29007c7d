//! What reading a file's rows noticed besides rejections: rows without a customer id (guest
//! checkouts), rows left out by their order status, cancellations, wholly refunded orders, order
//! lines whose amount is on the order's first line, cells of optional columns that could not be
//! read, and which way round `a/b/yyyy` dates are written.
//!
//! Real exports hold all of these by the thousand; listed as rejected rows they would bury the
//! few rows that are really broken, and counted silently they would make confident wrong numbers.
//! Each becomes one notice with its count. A file read in two parts has a tally per part, added
//! up by [`Tally::merge`] into exactly the tally of one reader.

use crate::core::ingest::roles::Role;
use serde::{Deserialize, Serialize};

/// Status texts that mean no sale was made (default exclusions; lower-cased English, Chinese as
/// written): closed, cancelled, refunded, unpaid, pending payment, voided, failed.
pub const NO_SALE: &[&str] = &[
    "关闭",
    "取消",
    "退款成功",
    "已退款",
    "全额退款",
    "未付款",
    "待付款",
    "等待买家付款",
    "未支付",
    "待支付",
    "交易失败",
    "已作废",
    "cancel",
    "refund",
    "void",
    "fail",
    "unpaid",
    "pending",
    "declined",
    "abandoned",
];
/// Texts that keep a status in although it names a refund: a partial refund is still a sale (the
/// refunded part is subtracted through the refund amount).
pub const PARTIAL: &[&str] = &["partial", "部分"];

/// Whether a status is left out unless the user says otherwise: it names no sale ([`NO_SALE`])
/// and not a partial refund.
pub fn excluded_by_default(status: &str) -> bool {
    let s = status.trim().to_lowercase();
    !s.is_empty() && NO_SALE.iter().any(|w| s.contains(w)) && !PARTIAL.iter().any(|w| s.contains(w))
}

/// How many statuses are counted one by one; the rest are counted together as one.
pub const MAX_STATUSES: usize = 200;

/// One order status: how many rows have it, what they add up to, and whether they are left out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusCount {
    /// As written in the file (empty for rows without one).
    pub status: String,
    pub rows: u64,
    /// The rows' amounts, as read (before any refund is subtracted).
    pub amount: f64,
    pub excluded: bool,
}

/// Cells of an optional column that could not be read and were left out of their rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeftOut {
    pub role: Role,
    pub cells: u64,
    /// The first such cell: its line and value.
    pub row: u64,
    pub value: String,
}

/// The tally of one reader; see the module doc.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    /// Rows without a customer id, their amounts, and their lines.
    pub guest_rows: u64,
    pub guest_amount: f64,
    pub guest_lines: Vec<u64>,
    /// Order statuses in order of first appearance.
    pub statuses: Vec<StatusCount>,
    /// Rows whose order id carries the cancellation marker (`C536379`).
    pub cancellations: u64,
    /// Rows whose refund is the whole amount: kept for the totals, not counted as orders.
    pub refunded_rows: u64,
    /// Lines with no amount of their own that belong to an order (order-level fields only on the
    /// order's first line): the order's fingerprint and the line.
    pub order_lines: Vec<(u64, u64)>,
    /// The orders (fingerprints) of rows left out for their status: their further lines go too.
    pub excluded_orders: Vec<u64>,
    pub left_out: Vec<LeftOut>,
    /// Survey rows without a score (no answer).
    pub no_answer: u64,
    /// `a/b/yyyy` dates seen with a first part over 12 (day first) and a second part over 12
    /// (month first), while the head of the file left the order open.
    pub day_first: u64,
    pub month_first: u64,
    /// The first date that settled the order: its line and text.
    pub settled_by: Option<(u64, String)>,
    /// Rows (indexes into the dataset) whose date had both parts 12 or under, read month first
    /// until the order is settled.
    pub undecided_rows: Vec<u32>,
}

impl Tally {
    /// The status entry for `status`, added if new (statuses beyond [`MAX_STATUSES`] share one
    /// entry, which is never excluded by default).
    pub fn status(&mut self, status: &str, excluded: impl FnOnce(&str) -> bool) -> &mut StatusCount {
        let at = match self.statuses.iter().position(|s| s.status == status) {
            Some(at) => at,
            None if self.statuses.len() < MAX_STATUSES => {
                let excluded = excluded(status);
                self.statuses.push(StatusCount { status: status.to_string(), rows: 0, amount: 0.0, excluded });
                self.statuses.len() - 1
            }
            None => match self.statuses.iter().position(|s| s.status == OTHER_STATUSES) {
                Some(at) => at,
                None => {
                    self.statuses.push(StatusCount { status: OTHER_STATUSES.into(), rows: 0, amount: 0.0, excluded: false });
                    self.statuses.len() - 1
                }
            },
        };
        &mut self.statuses[at]
    }

    /// Counts a cell of an optional column left out.
    pub fn leave_out(&mut self, role: Role, row: u64, value: &str) {
        match self.left_out.iter_mut().find(|l| l.role == role) {
            Some(l) => l.cells += 1,
            None => self.left_out.push(LeftOut { role, cells: 1, row, value: value.chars().take(200).collect() }),
        }
    }

    /// Adds the tally of the rows after these: their lines are `shift` more than the part counted,
    /// and their rows start at `first_row` of the dataset.
    pub fn merge(&mut self, other: Tally, shift: u64, first_row: u32) {
        self.guest_rows += other.guest_rows;
        self.guest_amount += other.guest_amount;
        self.guest_lines.extend(other.guest_lines.into_iter().map(|l| l + shift));
        for s in other.statuses {
            let excluded = s.excluded;
            let mine = self.status(&s.status, |_| excluded);
            mine.rows += s.rows;
            mine.amount += s.amount;
        }
        self.cancellations += other.cancellations;
        self.refunded_rows += other.refunded_rows;
        self.order_lines.extend(other.order_lines.into_iter().map(|(k, l)| (k, l + shift)));
        self.excluded_orders.extend(other.excluded_orders);
        for l in other.left_out {
            match self.left_out.iter_mut().find(|m| m.role == l.role) {
                Some(m) => m.cells += l.cells,
                None => self.left_out.push(LeftOut { row: l.row + shift, ..l }),
            }
        }
        self.no_answer += other.no_answer;
        self.day_first += other.day_first;
        self.month_first += other.month_first;
        if self.settled_by.is_none() {
            self.settled_by = other.settled_by.map(|(l, v)| (l + shift, v));
        }
        self.undecided_rows.extend(other.undecided_rows.into_iter().map(|r| r + first_row));
    }
}

/// The bytes of a tally as one reader hands it to another ([`crate::core::ingest::split`]): numbers
/// little-endian, lists and texts after their length. Written by hand rather than with a general
/// format, which would add tens of kilobytes to the browser's worker for a few counts.
impl Tally {
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Vec::new();
        let n = |w: &mut Vec<u8>, v: u64| w.extend_from_slice(&v.to_le_bytes());
        let text = |w: &mut Vec<u8>, t: &str| {
            w.extend_from_slice(&(t.len() as u64).to_le_bytes());
            w.extend_from_slice(t.as_bytes());
        };
        n(&mut w, self.guest_rows);
        n(&mut w, self.guest_amount.to_bits());
        n(&mut w, self.guest_lines.len() as u64);
        self.guest_lines.iter().for_each(|&l| n(&mut w, l));
        n(&mut w, self.statuses.len() as u64);
        for s in &self.statuses {
            text(&mut w, &s.status);
            n(&mut w, s.rows);
            n(&mut w, s.amount.to_bits());
            n(&mut w, u64::from(s.excluded));
        }
        n(&mut w, self.cancellations);
        n(&mut w, self.refunded_rows);
        n(&mut w, self.order_lines.len() as u64);
        for &(k, l) in &self.order_lines {
            n(&mut w, k);
            n(&mut w, l);
        }
        n(&mut w, self.excluded_orders.len() as u64);
        self.excluded_orders.iter().for_each(|&k| n(&mut w, k));
        n(&mut w, self.left_out.len() as u64);
        for l in &self.left_out {
            n(&mut w, Role::ALL.iter().position(|&r| r == l.role).unwrap_or(0) as u64);
            n(&mut w, l.cells);
            n(&mut w, l.row);
            text(&mut w, &l.value);
        }
        for v in [self.no_answer, self.day_first, self.month_first] {
            n(&mut w, v);
        }
        n(&mut w, u64::from(self.settled_by.is_some()));
        if let Some((line, t)) = &self.settled_by {
            n(&mut w, *line);
            text(&mut w, t);
        }
        n(&mut w, self.undecided_rows.len() as u64);
        self.undecided_rows.iter().for_each(|&r| n(&mut w, u64::from(r)));
        w
    }

    /// How many bytes [`Tally::to_bytes`] writes, without writing them (the wire's buffer is sized
    /// before the part is written into it).
    pub fn encoded_len(&self) -> usize {
        let text = |t: &str| 8 + t.len();
        let statuses: usize = self.statuses.iter().map(|s| text(&s.status) + 3 * 8).sum();
        let left_out: usize = self.left_out.iter().map(|l| 3 * 8 + text(&l.value)).sum();
        let settled = self.settled_by.as_ref().map_or(0, |(_, t)| 8 + text(t));
        // Fourteen numbers always (counts, lists' lengths, whether settled), then the lists' items.
        8 * 14
            + 8 * self.guest_lines.len()
            + statuses
            + 16 * self.order_lines.len()
            + 8 * self.excluded_orders.len()
            + left_out
            + settled
            + 8 * self.undecided_rows.len()
    }

    /// The tally [`Tally::to_bytes`] wrote; `None` for bytes it did not write.
    pub fn from_bytes(bytes: &[u8]) -> Option<Tally> {
        fn num(rest: &mut &[u8]) -> Option<u64> {
            let (head, tail) = rest.split_first_chunk::<8>()?;
            *rest = tail;
            Some(u64::from_le_bytes(*head))
        }
        fn text(rest: &mut &[u8]) -> Option<String> {
            let len = usize::try_from(num(rest)?).ok()?;
            let (head, tail) = rest.split_at_checked(len)?;
            *rest = tail;
            String::from_utf8(head.to_vec()).ok()
        }
        // A list no longer than the bytes could hold: a damaged length allocates nothing.
        let count = |v: u64| usize::try_from(v).ok().filter(|&c| c <= bytes.len());
        let r = &mut &bytes[..];
        let mut t = Tally { guest_rows: num(r)?, guest_amount: f64::from_bits(num(r)?), ..Tally::default() };
        t.guest_lines = (0..count(num(r)?)?).map(|_| num(r)).collect::<Option<_>>()?;
        for _ in 0..count(num(r)?)? {
            let status = text(r)?;
            let (rows, amount, excluded) = (num(r)?, f64::from_bits(num(r)?), num(r)? == 1);
            t.statuses.push(StatusCount { status, rows, amount, excluded });
        }
        (t.cancellations, t.refunded_rows) = (num(r)?, num(r)?);
        t.order_lines = (0..count(num(r)?)?).map(|_| Some((num(r)?, num(r)?))).collect::<Option<_>>()?;
        t.excluded_orders = (0..count(num(r)?)?).map(|_| num(r)).collect::<Option<_>>()?;
        for _ in 0..count(num(r)?)? {
            let role = *Role::ALL.get(usize::try_from(num(r)?).ok()?)?;
            let (cells, row) = (num(r)?, num(r)?);
            t.left_out.push(LeftOut { role, cells, row, value: text(r)? });
        }
        (t.no_answer, t.day_first, t.month_first) = (num(r)?, num(r)?, num(r)?);
        if num(r)? == 1 {
            t.settled_by = Some((num(r)?, text(r)?));
        }
        t.undecided_rows = (0..count(num(r)?)?).map(|_| u32::try_from(num(r)?).ok()).collect::<Option<_>>()?;
        r.is_empty().then_some(t)
    }
}

/// Something reading did to rows that the user should know, as a code and its numbers: the UI words
/// it in the page's language, `Display` in English. Externally tagged in JSON (`{"guests": {…}}`):
/// an internally tagged enum costs the page 12 KB (gzipped) to decode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Notice {
    /// Rows without a customer id: guest orders, left out of the customer analyses.
    Guests { rows: u64, share: f64, amount: f64 },
    /// Rows left out for their order status (and further lines of those orders).
    StatusesLeftOut { rows: u64, lines: u64, statuses: Vec<(String, u64)> },
    /// Order lines without an amount, counted with their order.
    OrderLines { lines: u64 },
    /// Rows with the cancellation marker, counted as returns.
    Cancellations { rows: u64 },
    /// Rows refunded in full, not counted as orders.
    RefundedInFull { rows: u64 },
    /// Cells of an optional column that could not be read, left out of their rows.
    CellsLeftOut { role: Role, cells: u64, row: u64, value: String },
    /// Survey rows without a score.
    NoAnswer { rows: u64 },
    /// The date order, settled by a date further down than the head.
    DateOrderSettled { day_first: bool, line: u64, text: String },
    /// A customer facts file: its customers and lines (each the rows of an order on a day with one
    /// category, channel and level) stand for the transactions it was made from.
    FactsFile { customers: u64, lines: u64 },
}

impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Guests { rows, share, amount } => write!(
                f,
                "{rows} line(s) ({:.0}%, amount {amount}) have no customer id: guest orders, left out of the customer analyses",
                share * 100.0
            ),
            Self::StatusesLeftOut { rows, lines, statuses } => {
                let names: Vec<String> = statuses.iter().map(|(s, n)| format!("{s} ({n})")).collect();
                let more = if *lines > 0 { format!(" (and {lines} further line(s) of those orders)") } else { String::new() };
                write!(f, "{rows} row(s) left out for their order status{more}: {}", names.join(", "))
            }
            Self::OrderLines { lines } => write!(
                f,
                "{lines} line(s) have no amount of their own: they belong to orders whose amount is on their first line, and are counted with them"
            ),
            Self::Cancellations { rows } => {
                write!(f, "{rows} row(s) are cancellations (order ids starting with C): counted as returns")
            }
            Self::RefundedInFull { rows } => write!(f, "{rows} row(s) were refunded in full: not counted as orders"),
            Self::CellsLeftOut { role, cells, row, value } => write!(
                f,
                "{cells} cell(s) of {} could not be read and were left out (first: line {row}, '{value}'); their rows are kept",
                role.key()
            ),
            Self::NoAnswer { rows } => write!(f, "{rows} row(s) have no score: counted as no answer"),
            Self::DateOrderSettled { day_first, line, text } => {
                write!(f, "dates are written {}: line {line} has {text}", if *day_first { "day first" } else { "month first" })
            }
            Self::FactsFile { customers, lines } => write!(
                f,
                "a customer facts file: {customers} customer(s), {lines} line(s) standing for their orders and returns; \
                 a customer's story shows these lines, not the order lines they were added up from"
            ),
        }
    }
}

/// Something about the file the user should check, as a code and its numbers: `Display` is the
/// English sentence the report's `warnings` list carries; the app words it in its language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Warning {
    /// Bytes not valid in the encoding, replaced with U+FFFD.
    EncodingErrors { encoding: String },
    /// Report titles above the header, skipped.
    TitleLines { lines: usize },
    /// A column name the header repeats.
    DuplicateHeader { name: String },
    /// A survey without a customer id column.
    SurveyWithoutIds,
    /// A registration date without amounts: a member list, not purchases.
    RegistrationList,
    /// Both day-first and month-first dates; the ambiguous ones read month first.
    MixedDateOrders { day_first: u64, month_first: u64 },
    /// Only ambiguous dates; month first assumed.
    AmbiguousDates,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::EncodingErrors { encoding } => write!(
                f,
                "some bytes are not valid {encoding}; they were replaced with \u{FFFD}. If text looks garbled, choose another encoding."
            ),
            Self::TitleLines { lines } => write!(f, "skipped {lines} title line(s) above the table"),
            Self::DuplicateHeader { name } => {
                write!(f, "the header names '{name}' more than once; the first such column is used when named")
            }
            Self::SurveyWithoutIds => {
                f.write_str("no customer id column: the answers count for NPS but cannot be joined to purchases")
            }
            Self::RegistrationList => f.write_str(
                "the date column is a registration date and there are no amounts: a member or lead list, not purchases (use it as the member list of the funnel, or map a purchase date)",
            ),
            Self::MixedDateOrders { day_first, month_first } => write!(
                f,
                "the date column has day-first dates ({day_first}, such as 13/01) and month-first dates ({month_first}, such as 01/13); those with both parts 12 or under were read month first: choose the date order if that is wrong"
            ),
            Self::AmbiguousDates => f.write_str(
                "dates such as 03/04/2024 could be day-first or month-first; month-first was assumed: choose the date order if that is wrong",
            ),
        }
    }
}

/// The entry that counts the statuses beyond [`MAX_STATUSES`].
pub const OTHER_STATUSES: &str = "(other statuses)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_that_mean_no_sale_are_left_out_by_default_and_partial_refunds_are_not() {
        let cases = [
            ("交易成功", false),
            ("交易关闭", true),
            ("付款以后用户退款成功，交易自动关闭", true),
            ("等待买家付款", true),
            ("已取消", true),
            ("部分退款", false),
            ("卖家已发货，等待买家确认", false),
            ("paid", false),
            ("refunded", true),
            ("partially_refunded", false),
            ("voided", true),
            ("Pending", true),
            ("wc-cancelled", true),
            ("wc-completed", false),
            ("failed", true),
            ("", false),
        ];
        for (status, want) in cases {
            assert_eq!(excluded_by_default(status), want, "{status}");
        }
    }

    #[test]
    fn two_tallies_merge_into_the_tally_of_one_reader() {
        let mut one = Tally::default();
        one.status("paid", excluded_by_default).rows += 2;
        one.leave_out(Role::Score, 5, "x");
        one.guest_rows = 1;
        one.guest_lines = vec![3];
        let mut two = Tally::default();
        two.status("refunded", excluded_by_default).rows += 1;
        two.status("paid", excluded_by_default).rows += 1;
        two.leave_out(Role::Score, 2, "y");
        two.leave_out(Role::Quantity, 4, "z");
        two.guest_lines = vec![1];
        two.guest_rows = 1;
        two.undecided_rows = vec![0, 2];
        two.settled_by = Some((7, "13/01/2011".into()));
        one.merge(two, 10, 100);
        assert_eq!(
            one.statuses.iter().map(|s| (s.status.as_str(), s.rows, s.excluded)).collect::<Vec<_>>(),
            [("paid", 3, false), ("refunded", 1, true)]
        );
        assert_eq!(one.left_out[0].cells, 2);
        assert_eq!((one.left_out[1].role, one.left_out[1].row), (Role::Quantity, 14));
        assert_eq!(one.guest_lines, [3, 11]);
        assert_eq!(one.undecided_rows, [100, 102]);
        assert_eq!(one.settled_by, Some((17, "13/01/2011".into())));
    }

    #[test]
    fn a_tally_goes_through_its_bytes_unchanged_and_damaged_bytes_are_refused() {
        let mut t = Tally { guest_rows: 3, guest_amount: 0.1 + 0.2, guest_lines: vec![4, 9, 12], ..Tally::default() };
        t.status("交易关闭", excluded_by_default).rows += 2;
        t.status("paid", excluded_by_default).amount = -0.0;
        t.leave_out(Role::Score, 7, "十一");
        t.order_lines = vec![(u64::MAX, 3)];
        t.excluded_orders = vec![1, 2];
        (t.cancellations, t.refunded_rows, t.no_answer, t.day_first, t.month_first) = (1, 2, 3, 4, 5);
        t.settled_by = Some((1045, "1/13/2011 8:26".into()));
        t.undecided_rows = vec![0, u32::MAX];
        let bytes = t.to_bytes();
        assert_eq!(t.encoded_len(), bytes.len());
        assert_eq!(Tally::default().encoded_len(), Tally::default().to_bytes().len());
        let back = Tally::from_bytes(&bytes).expect("decodes");
        assert_eq!(back, t);
        assert!(back.statuses[1].amount.is_sign_negative() && back.guest_amount == 0.1 + 0.2);
        assert_eq!(Tally::from_bytes(&Tally::default().to_bytes()), Some(Tally::default()));
        for cut in 0..bytes.len() {
            assert_eq!(Tally::from_bytes(&bytes[..cut]), None, "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(Tally::from_bytes(&longer), None);
    }

    #[test]
    fn statuses_beyond_the_limit_are_counted_together() {
        let mut t = Tally::default();
        for i in 0..MAX_STATUSES + 5 {
            t.status(&format!("s{i}"), |_| true).rows += 1;
        }
        assert_eq!(t.statuses.len(), MAX_STATUSES + 1);
        let other = t.statuses.last().unwrap();
        assert_eq!((other.status.as_str(), other.rows, other.excluded), (OTHER_STATUSES, 5, false));
    }
}
