//! The customer facts file as input: recognised by its header, read into the dataset its lines
//! stand for, and checked against its own summary columns.
//!
//! The file (UTF-8 CSV, written by `loyalty-lens facts`, or by the SQL of `loyalty-lens facts-sql`
//! on Spark or DuckDB) has one row per customer:
//!
//! | column | what |
//! |---|---|
//! | `loyalty_lens_facts` | the format's version, `1` |
//! | `customer` | the customer id |
//! | `first_purchase`, `last_purchase` | `YYYY-MM-DD` (a customer with only returns: their first and last row) |
//! | `orders` | orders: distinct order ids with a purchase, or purchase days without one |
//! | `net_spend`, `spend_12_months` | returns netted; the 12 months up to the day after the file's last row (empty without amounts) |
//! | `first_channel`, `member_level` | the first purchase's channel; the latest member level |
//! | `categories`, `channels`, `levels` | the customer's labels, `;`-joined, each `rank:label`: its rank among the file's labels of its kind (the order the transactions name them first), `\` escaping `\` and `;` in the label |
//! | `lines_by_order` | the orders, `;`-joined in text order, each its lines `|`-joined in text order |
//! | `lines_without_order` | lines of rows without an order id, `;`-joined in text order |
//! | `answers` | survey answers in the transactions, `;`-joined in text order, each `day:score:category:channel:level:comment` (the places of the answer's row's labels, as in a line; escaped as labels) |
//! | `comments` | instead of `answers` when the transactions have comments and no scores: `day::category:channel:level:comment` |
//!
//! A line is `day:amount:category:channel:level`: days after `first_purchase`, the exact sum of the
//! rows it stands for (a return's with a leading `-`, `-0` for rows refunded in full; empty without
//! amounts), and 1-based places in the customer's label lists (empty for none). The rows of one
//! order (or of no order) on one day with one category, channel and level, purchases apart from
//! returns, make one line: everything an analysis tells rows apart by.
//!
//! Read, each line becomes a row of the dataset (an order's lines share an order id made up for
//! them; an answer goes on a row of its day), so every analysis runs as on the transactions; the
//! summary columns are then computed from those rows and must equal the file's, or nothing is read.

use super::report::{Column, MappedColumn, Report};
use super::roles::{Reason, Role};
use super::table::Format;
use super::{AmountFrom, IngestError, Ingested, Notice};
use crate::core::dataset::{Categorical, Dataset, OrderIds, MISSING, NO_SCORE};
use crate::core::values::{format_day, parse_iso_date, DateOrder, Day, DecimalMark, Money};
use std::collections::BTreeMap;

/// The format's version, in the first column of every row.
pub const VERSION: &str = "1";

/// Every column, in their order. The optional ones are there exactly when the transactions had
/// their role ([`Has`]).
pub const COLUMNS: [&str; 16] = [
    "loyalty_lens_facts",
    "customer",
    "first_purchase",
    "last_purchase",
    "orders",
    "net_spend",
    "spend_12_months",
    "first_channel",
    "member_level",
    "categories",
    "channels",
    "levels",
    "lines_by_order",
    "lines_without_order",
    "answers",
    "comments",
];

/// The roles the transactions had, each of which brings its columns: a role mapped with every
/// cell empty is still a role (tiers then come from the empty member-level column, not from spend).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Has {
    pub amounts: bool,
    pub orders: bool,
    pub categories: bool,
    pub channels: bool,
    pub levels: bool,
    /// A score column (answers with their comments, if any, in the `answers` column).
    pub scores: bool,
    /// A comment column without a score column (the comments in the `comments` column).
    pub comments: bool,
}

impl Has {
    /// What `dataset` has.
    pub fn of(dataset: &Dataset) -> Self {
        Self {
            amounts: dataset.amount.is_some(),
            orders: dataset.order.is_some(),
            categories: dataset.category.is_some(),
            channels: dataset.channel.is_some(),
            levels: dataset.member_level.is_some(),
            scores: dataset.score.is_some(),
            comments: dataset.comments.is_some() && dataset.score.is_none(),
        }
    }

    /// Whether the file has column `name`.
    pub fn column(self, name: &str) -> bool {
        match name {
            "net_spend" | "spend_12_months" => self.amounts,
            "first_channel" | "channels" => self.channels,
            "member_level" | "levels" => self.levels,
            "categories" => self.categories,
            "lines_by_order" => self.orders,
            "answers" => self.scores,
            "comments" => self.comments,
            _ => true,
        }
    }

    /// The header of a file of transactions that have these roles.
    pub fn columns(self) -> Vec<&'static str> {
        COLUMNS.into_iter().filter(|c| self.column(c)).collect()
    }

    /// What a header says the transactions had.
    fn from_header<'a>(header: impl Iterator<Item = &'a str> + Clone) -> Self {
        let has = |name: &str| header.clone().any(|h| h == name);
        Self {
            amounts: has("net_spend"),
            orders: has("lines_by_order"),
            categories: has("categories"),
            channels: has("channels"),
            levels: has("levels"),
            scores: has("answers"),
            comments: has("comments") && !has("answers"),
        }
    }
}

/// Whether a file starting with `head` is a customer facts file.
pub fn is_facts(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    head.starts_with(b"loyalty_lens_facts,")
}

/// A label as a `;`-joined list holds it (`\` before each `\` and `;`), written at the end of `out`.
pub fn escape_into(out: &mut String, label: &str) {
    for c in label.chars() {
        if c == '\\' || c == ';' {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Each label of a `;`-joined list, borrowed where it has no escape (a file of millions of
/// customers has millions of lists).
fn each_in_list<'a>(
    cell: &'a str,
    mut each: impl FnMut(std::borrow::Cow<'a, str>) -> Result<(), IngestError>,
) -> Result<(), IngestError> {
    if cell.contains('\\') {
        return unescape_list(cell).into_iter().try_for_each(|l| each(std::borrow::Cow::Owned(l)));
    }
    cell.split(';').filter(|_| !cell.is_empty()).try_for_each(|l| each(std::borrow::Cow::Borrowed(l)))
}

/// The labels of a `;`-joined list.
fn unescape_list(cell: &str) -> Vec<String> {
    let mut out = Vec::new();
    if cell.is_empty() {
        return out;
    }
    let mut current = String::new();
    let mut chars = cell.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => current.extend(chars.next()),
            ';' => out.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    out.push(current);
    out
}

/// An exact amount in millionths as the shortest decimal: `12.5`, `0.000001`, `-3`.
pub fn micros_text(micros: i128) -> String {
    let mut out = String::new();
    write_micros(&mut out, micros);
    out
}

/// [`micros_text`], written at the end of `out`.
pub fn write_micros(out: &mut String, micros: i128) {
    use std::fmt::Write as _;
    let sign = if micros < 0 { "-" } else { "" };
    let m = micros.unsigned_abs();
    let (whole, fraction) = (m / 1_000_000, m % 1_000_000);
    // Writing to a String cannot fail.
    let _ = write!(out, "{sign}{whole}");
    if fraction != 0 {
        let at = out.len();
        let _ = write!(out, ".{fraction:06}");
        let kept = out[at..].trim_end_matches('0').len();
        out.truncate(at + kept);
    }
}

/// An amount as a line writes it: a plain decimal, `-` before a return's.
fn parse_line_amount(text: &str) -> Option<f64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let plain = !whole.is_empty() && whole.bytes().all(|b| b.is_ascii_digit()) && fraction.bytes().all(|b| b.is_ascii_digit());
    plain.then(|| text.parse().ok()).flatten()
}

/// The codes (as first read) of a line's or an answer's places in the customer's label lists
/// (empty: none).
fn labels_at(places: &[&str], codes: &[Vec<u32>; 3]) -> Result<[u32; 3], String> {
    let mut code = [MISSING; 3];
    for (j, place) in places.iter().enumerate().take(3) {
        if !place.is_empty() {
            let p: usize = place.parse().map_err(|_| format!("'{place}' is not a place in the customer's labels"))?;
            code[j] = *p.checked_sub(1).and_then(|p| codes[j].get(p)).ok_or_else(|| format!("there is no label {place}"))?;
        }
    }
    Ok(code)
}

/// An order id made up for the `order`-th order of customer `customer`: distinct for every pair
/// (a bijection of the pair), never the empty order's.
fn order_key(customer: u32, order: u32) -> u64 {
    let mut z = (u64::from(customer) << 32 | u64::from(order)).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    match z ^ (z >> 31) {
        crate::core::dataset::NO_ORDER => u64::MAX,
        k => k,
    }
}

/// The labels of one kind: each with its rank, in the order first read, until [`Ranked::column`]
/// orders them by rank.
#[derive(Default)]
struct Ranked {
    labels: crate::core::dataset::Labels,
    rank: Vec<u32>,
}

impl Ranked {
    /// The codes (in the order first read) of a customer's `rank:label` list.
    fn read(&mut self, cell: &str, codes: &mut Vec<u32>) -> Result<(), String> {
        codes.clear();
        let mut fail = None;
        let _ = each_in_list(cell, |entry| {
            let step = (|| {
                let (rank, name) = entry.split_once(':').ok_or_else(|| format!("'{entry}' is not rank:label"))?;
                let rank: u32 = rank.parse().map_err(|_| format!("'{rank}' is not a rank"))?;
                let code = self.labels.intern(name);
                match self.rank.get(code as usize) {
                    None => self.rank.push(rank),
                    Some(&r) if r != rank => return Err(format!("'{name}' has rank {r} and {rank}")),
                    Some(_) => {}
                }
                codes.push(code);
                Ok(())
            })();
            step.map_err(|why| {
                fail = Some(why);
                IngestError::Empty
            })
        });
        fail.map_or(Ok(()), Err)
    }

    /// The column of `codes` (as first read), its labels in the order of their ranks.
    fn column(self, codes: Vec<u32>) -> Categorical {
        let mut order: Vec<u32> = (0..self.rank.len() as u32).collect();
        order.sort_unstable_by_key(|&c| self.rank[c as usize]);
        let mut column = Categorical::default();
        let mut to = vec![MISSING; order.len()];
        for &c in &order {
            to[c as usize] = column.labels.intern(self.labels.name(c).unwrap_or(""));
        }
        column.codes = codes.into_iter().map(|c| if c == MISSING { MISSING } else { to[c as usize] }).collect();
        column
    }
}

/// One customer's summary columns, as written.
///
/// Parsed, not kept as text: a file of five million customers holds five million of these.
struct Summary {
    line: u32,
    first: Day,
    last: Day,
    orders: u32,
    /// Millionths (0 without amounts).
    net: i64,
    spend_12: i64,
    /// Codes among the labels as first read ([`MISSING`] for none).
    first_channel: u32,
    level: u32,
}

/// Reads a customer facts file (`text`, UTF-8 without its byte order mark).
///
/// # Errors
/// [`IngestError::Facts`] with the line and what is wrong: a header or version that is not this
/// format's, a line that cannot be read, or summary columns that its lines do not give.
pub fn read(text: &str, file: &str, bytes: u64, bom: bool) -> Result<Ingested, IngestError> {
    let fail = |line: u64, why: String| IngestError::Facts { line, why };
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = records.next().and_then(Result::ok).ok_or_else(|| fail(1, "it has no header".into()))?;
    let has = Has::from_header(header.iter());
    if header.iter().ne(has.columns()) {
        let found: Vec<&str> = header.iter().collect();
        return Err(fail(
            1,
            format!("the columns are {}, not {} (some of them may be left out)", found.join(","), COLUMNS.join(",")),
        ));
    }
    let at: Vec<Option<usize>> = COLUMNS.iter().map(|c| header.iter().position(|h| h == *c)).collect();
    let mut ds = Dataset { day: Some(Vec::new()), ..Dataset::default() };
    let (mut days, mut amounts, mut orders) = (Vec::new(), Vec::new(), OrderIds::default());
    let (mut category, mut channel, mut level) = (Vec::new(), Vec::new(), Vec::new());
    let mut ranks: [Ranked; 3] = Default::default();
    // Each customer's labels (codes as first read), reused from one customer to the next.
    let mut codes: [Vec<u32>; 3] = Default::default();
    let mut answered: Vec<bool> = Vec::new();
    let mut keys: Vec<(bool, u64)> = Vec::new();
    let (mut scores, mut comments): (Vec<u8>, Vec<(u32, String)>) = (Vec::new(), Vec::new());

    let mut summaries = Vec::new();
    let mut preview = Vec::new();
    for (k, record) in records.enumerate() {
        let line = k as u64 + 2;
        let record = record.map_err(|e| fail(line, format!("the row cannot be read as CSV ({e})")))?;
        if record.len() != header.len() {
            return Err(fail(line, format!("the row has {} fields, the header {}", record.len(), header.len())));
        }
        let field =
            |name: &str| COLUMNS.iter().position(|c| *c == name).and_then(|k| at[k]).and_then(|i| record.get(i)).unwrap_or("");
        if field("loyalty_lens_facts") != VERSION {
            let v = field("loyalty_lens_facts");
            return Err(fail(line, format!("the row is of version '{v}' of the format; this reads version {VERSION}")));
        }
        if preview.len() < 20 {
            preview.push(record.iter().map(str::to_string).collect());
        }
        let id = field("customer");
        if id.is_empty() {
            return Err(fail(line, "the customer id is empty".into()));
        }
        let customer = ds.customers.intern(id);
        if customer as usize != summaries.len() {
            return Err(fail(line, format!("customer '{id}' has a row already")));
        }
        let base = parse_iso_date(field("first_purchase"))
            .map_err(|_| fail(line, format!("first_purchase '{}' is not a YYYY-MM-DD date", field("first_purchase"))))?;
        for ((kind, ranked), codes) in ranks.iter_mut().zip(["categories", "channels", "levels"]).zip(codes.iter_mut()) {
            kind.read(field(ranked), codes).map_err(|why| fail(line, format!("{ranked}: {why}")))?;
        }
        let first_row = days.len();
        let mut add = |item: &str, order: u64| -> Result<(), IngestError> {
            let bad = |what: String| fail(line, format!("line '{item}': {what}"));
            let mut parts = item.split(':');
            let mut next = || parts.next().ok_or_else(|| bad("a line is day:amount:category:channel:level".into()));
            let (offset, amount, places) = (next()?, next()?, [next()?, next()?, next()?]);
            if parts.next().is_some() {
                return Err(bad("a line is day:amount:category:channel:level".into()));
            }
            let offset: i32 = offset.parse().map_err(|_| bad(format!("'{offset}' is not a number of days")))?;
            let day = base.checked_add(offset).ok_or_else(|| bad("the day is out of range".into()))?;
            let value = if amount.is_empty() {
                None
            } else {
                Some(parse_line_amount(amount).ok_or_else(|| bad(format!("'{amount}' is not an amount")))?)
            };
            if value.is_some() != has.amounts {
                let why = if has.amounts {
                    "the file has amounts; this line has none"
                } else {
                    "the file has no amounts (no net_spend column); this line has one"
                };
                return Err(bad(why.into()));
            }
            let code = labels_at(&places, &codes).map_err(bad)?;
            ds.customer.push(customer);
            days.push(day);
            amounts.push(value.unwrap_or(0.0));
            orders.keys.push(order);
            category.push(code[0]);
            channel.push(code[1]);
            level.push(code[2]);
            Ok(())
        };
        for (j, order) in field("lines_by_order").split(';').filter(|o| !o.is_empty()).enumerate() {
            for item in order.split('|') {
                add(item, order_key(customer, j as u32))?;
            }
        }
        for item in field("lines_without_order").split(';').filter(|o| !o.is_empty()) {
            add(item, crate::core::dataset::NO_ORDER)?;
        }
        // Each answer on a row of its day and labels without one (there is such a line: the answer
        // was on a row), or on a row of its own that is no purchase (−0) where they have more
        // answers than lines.
        scores.resize(days.len(), NO_SCORE);
        answered.clear();
        answered.resize(days.len() - first_row, false);
        let answers = if has.scores { field("answers") } else { field("comments") };
        for answer in unescape_list(answers) {
            let bad = |what: String| fail(line, format!("answer '{answer}': {what}"));
            let parts: Vec<&str> = answer.splitn(6, ':').collect();
            let [offset, score, places @ .., comment] = parts.as_slice() else {
                return Err(bad("an answer is day:score:category:channel:level:comment".into()));
            };
            if places.len() != 3 {
                return Err(bad("an answer is day:score:category:channel:level:comment".into()));
            }
            let offset: i32 = offset.parse().map_err(|_| bad(format!("'{offset}' is not a number of days")))?;
            let day = base.checked_add(offset).ok_or_else(|| bad("the day is out of range".into()))?;
            let score = if score.is_empty() { NO_SCORE } else { super::rows::parse_score(score).map_err(bad)? };
            let code = labels_at(places, &codes).map_err(bad)?;
            let same = |r: usize| days[r] == day && [category[r], channel[r], level[r]] == code;
            let row = match (first_row..days.len()).find(|&r| same(r) && !answered[r - first_row]) {
                Some(r) => r,
                None => {
                    ds.customer.push(customer);
                    days.push(day);
                    amounts.push(-0.0);
                    orders.keys.push(crate::core::dataset::NO_ORDER);
                    category.push(code[0]);
                    channel.push(code[1]);
                    level.push(code[2]);
                    scores.push(NO_SCORE);
                    answered.push(false);
                    days.len() - 1
                }
            };
            answered[row - first_row] = true;
            scores[row] = score;
            if !comment.is_empty() {
                comments.push((row as u32, comment.to_string()));
            }
        }
        let date = |name: &str| {
            parse_iso_date(field(name)).map_err(|_| fail(line, format!("{name} '{}' is not a YYYY-MM-DD date", field(name))))
        };
        let money = |name: &str| -> Result<i64, IngestError> {
            let text = field(name);
            match (has.amounts, parse_line_amount(text)) {
                (false, _) if text.is_empty() => Ok(0),
                (true, Some(v)) => Ok(Money::of([v]).micros() as i64),
                _ => Err(fail(line, format!("{name} '{text}' is not an amount"))),
            }
        };
        let label = |kind: usize, name: &str| -> Result<u32, IngestError> {
            match field(name) {
                "" => Ok(MISSING),
                text => ranks[kind]
                    .labels
                    .code(text)
                    .ok_or_else(|| fail(line, format!("{name} '{text}' is none of the customer's labels"))),
            }
        };
        summaries.push(Summary {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            first: base,
            last: date("last_purchase")?,
            orders: field("orders").parse().map_err(|_| fail(line, format!("orders '{}' is not a number", field("orders"))))?,
            net: money("net_spend")?,
            spend_12: money("spend_12_months")?,
            first_channel: label(1, "first_channel")?,
            level: label(2, "member_level")?,
        });
        if let Some(s) = summaries.last() {
            let l = Lines { days: &days, amounts: &amounts, orders: &orders.keys, channel: &channel, level: &level };
            check_customer(s, first_row..days.len(), &l, has, &ranks, &mut keys)?;
        }
    }
    if summaries.is_empty() {
        return Err(IngestError::Empty);
    }
    // The 12-month spend, as of the day after the last line.
    if has.amounts {
        let as_of = days.iter().max().map_or(0, |d| d + 1);
        let mut spend = vec![Money::default(); summaries.len()];
        for ((&c, &d), &a) in ds.customer.iter().zip(&days).zip(&amounts) {
            if d >= crate::core::values::spend_window_start(as_of) {
                spend[c as usize].add(a);
            }
        }
        if let Some((s, m)) = summaries.iter().zip(&spend).find(|(s, m)| m.micros() as i64 != s.spend_12) {
            let why = format!(
                "spend_12_months says '{}', the customer's lines give '{}'",
                micros_text(i128::from(s.spend_12)),
                micros_text(m.micros())
            );
            return Err(IngestError::Facts { line: u64::from(s.line), why });
        }
    }
    let lines = days.len() as u64;
    let days_len = |ds: &Dataset| ds.day.as_ref().map_or(0, Vec::len);
    ds.day = Some(days);
    ds.amount = has.amounts.then_some(amounts);
    ds.order = has.orders.then_some(orders);
    let [c, h, l] = ranks;
    ds.category = has.categories.then(|| c.column(category));
    ds.channel = has.channels.then(|| h.column(channel));
    ds.member_level = has.levels.then(|| l.column(level));
    scores.resize(days_len(&ds), NO_SCORE);
    comments.sort_unstable_by_key(|c| c.0);
    // With scores, comments may be there or not: without any, the two are the same to every analysis.
    ds.score = has.scores.then_some(scores);
    ds.comments = (has.scores || has.comments).then_some(comments);
    let totals = ds.totals();
    let names = has.columns();
    let columns: Vec<Column> = names
        .iter()
        .enumerate()
        .map(|(i, name)| Column {
            position: i + 1,
            name: name.to_string(),
            role: (i == 1).then_some(Role::CustomerId),
            samples: preview.iter().take(3).map(|r: &Vec<String>| r.get(i).cloned().unwrap_or_default()).collect(),
        })
        .collect();
    let lines_column = names.iter().position(|c| *c == "lines_without_order").unwrap_or(0);
    let mapped = |column: usize| MappedColumn {
        column: column + 1,
        name: names[column].into(),
        reason: Reason::Header { name: names[column].into() },
        why: format!("the customer facts file's column {}", names[column]),
    };
    let mut mapping = BTreeMap::from([(Role::CustomerId, mapped(1)), (Role::Date, mapped(lines_column))]);
    for (role, present) in [
        (Role::Amount, ds.amount.is_some()),
        (Role::OrderId, ds.order.is_some()),
        (Role::Category, ds.category.is_some()),
        (Role::Channel, ds.channel.is_some()),
        (Role::MemberLevel, ds.member_level.is_some()),
    ] {
        if present {
            mapping.insert(role, mapped(lines_column));
        }
    }
    let rows = summaries.len() as u64;
    let report = Report {
        file: file.to_string(),
        bytes,
        format: Format::Csv,
        encoding: "UTF-8".into(),
        bom,
        encoding_errors: false,
        delimiter: Format::Csv.delimiter_label().map(str::to_string),
        sheets: Vec::new(),
        sheet: None,
        header: true,
        columns,
        mapping,
        date_order: DateOrder::Ymd,
        date_order_ambiguous: false,
        decimal_mark: DecimalMark::default(),
        rows,
        rows_accepted: rows,
        rows_rejected: 0,
        totals,
        currency: None,
        preview,
        warnings: Vec::new(),
        warning_codes: Vec::new(),
        rejected: Vec::new(),
        amount_from: AmountFrom::default(),
        guests: None,
        statuses: Vec::new(),
        rows_excluded: 0,
        cancellations: 0,
        refunded_rows: 0,
        order_lines: 0,
        cells_left_out: Vec::new(),
        no_answer: 0,
        date_order_settled_by: None,
        guest_lines: Vec::new(),
        notices: vec![Notice::FactsFile { customers: rows, lines }],
        zero_ids_are_guests: false,
        cancellation_marker: false,
    };
    Ok(Ingested { report, dataset: ds })
}

/// The order lines of the reader's columns a customer's check reads.
struct Lines<'a> {
    days: &'a [Day],
    amounts: &'a [f64],
    orders: &'a [u64],
    channel: &'a [u32],
    level: &'a [u32],
}

/// Checks a customer's summary columns (all but the 12-month spend, which needs every customer's
/// lines) against the lines of rows `rows`, computed here from the lines alone by the rules the
/// writer's facts follow (`analysis::customers`, `lifecycle::latest_levels`): a second reading of
/// them, so that a file whose summary and lines disagree is not read.
fn check_customer(
    s: &Summary,
    rows: std::ops::Range<usize>,
    l: &Lines,
    has: Has,
    ranks: &[Ranked; 3],
    keys: &mut Vec<(bool, u64)>,
) -> Result<(), IngestError> {
    let refund = |r: usize| has.amounts && (l.amounts[r].is_sign_negative() || l.amounts[r].is_nan());
    let bought = || rows.clone().filter(|&r| !refund(r));
    let day_range = |it: &mut dyn Iterator<Item = usize>| {
        it.map(|r| l.days[r]).fold(None, |m: Option<(Day, Day)>, d| Some(m.map_or((d, d), |(a, b)| (a.min(d), b.max(d)))))
    };
    let (first, last) = day_range(&mut bought()).or_else(|| day_range(&mut rows.clone())).unwrap_or((s.first, s.last));
    // Orders: each order id with a purchase, and each purchase day without one.
    keys.clear();
    keys.extend(bought().map(|r| match l.orders[r] {
        crate::core::dataset::NO_ORDER => (false, l.days[r] as u64),
        key => (true, key),
    }));
    keys.sort_unstable();
    keys.dedup();
    let orders = keys.len() as u32;
    let net = if has.amounts { Money::of(rows.clone().map(|r| l.amounts[r])).micros() as i64 } else { 0 };
    let name = |kind: usize, code: u32| ranks[kind].labels.name(code).unwrap_or("");
    // The first day with a channel: the channel bought most through, then the first by name.
    let first_channel = {
        let with = || bought().filter(|&r| l.channel[r] != MISSING);
        let day = with().map(|r| l.days[r]).min();
        let mut sums: Vec<(u32, Money)> = Vec::new();
        for r in with().filter(|&r| Some(l.days[r]) == day) {
            match sums.iter_mut().find(|(c, _)| *c == l.channel[r]) {
                Some((_, m)) => m.add(l.amounts[r]),
                None => sums.push((l.channel[r], Money::of([l.amounts[r]]))),
            }
        }
        sums.iter()
            .max_by(|a, b| a.1.micros().cmp(&b.1.micros()).then_with(|| name(1, b.0).cmp(name(1, a.0))))
            .map_or(MISSING, |&(c, _)| c)
    };
    // The latest level; on one day the best known one, then the last by name.
    let level = {
        use crate::core::values::{better_level, Level};
        let better = |a: u32, b: u32| better_level(Level::of(name(2, a)), Level::of(name(2, b)));
        let mut best: Option<(Day, u32)> = None;
        for r in rows.clone().filter(|&r| l.level[r] != MISSING) {
            let (d, c) = (l.days[r], l.level[r]);
            if best.is_none_or(|(bd, bc)| d > bd || (d == bd && better(c, bc))) {
                best = Some((d, c));
            }
        }
        best.map_or(MISSING, |b| b.1)
    };
    let money = |m: i64| if has.amounts { micros_text(i128::from(m)) } else { String::new() };
    let differs =
        [first != s.first, last != s.last, orders != s.orders, net != s.net, first_channel != s.first_channel, level != s.level];
    let Some(k) = differs.iter().position(|&d| d) else { return Ok(()) };
    let (field, written, from_lines) = match k {
        0 => ("first_purchase", format_day(s.first), format_day(first)),
        1 => ("last_purchase", format_day(s.last), format_day(last)),
        2 => ("orders", s.orders.to_string(), orders.to_string()),
        3 => ("net_spend", money(s.net), money(net)),
        4 => ("first_channel", name(1, s.first_channel).to_string(), name(1, first_channel).to_string()),
        _ => ("member_level", name(2, s.level).to_string(), name(2, level).to_string()),
    };
    Err(IngestError::Facts {
        line: u64::from(s.line),
        why: format!("{field} says '{written}', the customer's lines give '{from_lines}'"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::export::facts_csv;
    use crate::core::report::segments::{segment, SegmentationParams};

    const CATEGORIES: [&str; 4] = ["手机", "a;b", "c\\d", "e:f"];
    const CHANNELS: [&str; 3] = ["App", "线上商城", "Store"];
    const LEVELS: [&str; 4] = ["金卡", "银卡", "普通", "VIP x"];

    /// A dataset of `rows`: (customer, day, cents, −0, order, category, channel, level, score,
    /// comment), every optional column mapped when `mapped` says so.
    #[allow(clippy::type_complexity)]
    fn dataset(
        rows: &[(u8, i32, i32, bool, Option<u8>, Option<u8>, Option<u8>, Option<u8>, Option<u8>, bool)],
        mapped: [bool; 5],
    ) -> Dataset {
        let some = |on: bool| on.then(Categorical::default);
        let mut ds = Dataset {
            day: Some(vec![]),
            amount: Some(vec![]),
            order: mapped[0].then(OrderIds::default),
            category: some(mapped[1]),
            channel: some(mapped[2]),
            member_level: some(mapped[3]),
            score: mapped[4].then(Vec::new),
            comments: mapped[4].then(Vec::new),
            ..Dataset::default()
        };
        for (i, &(c, d, cents, negative_zero, order, category, channel, level, score, comment)) in rows.iter().enumerate() {
            let code = ds.customers.intern(&format!("c{c}"));
            ds.customer.push(code);
            ds.day.as_mut().unwrap().push(19_000 + d * 9);
            ds.amount.as_mut().unwrap().push(if negative_zero { -0.0 } else { f64::from(cents) / 100.0 });
            if let Some(ids) = ds.order.as_mut() {
                ids.push(&order.map(|o| format!("o{c}-{o}")).unwrap_or_default());
            }
            let text = |c: &mut Option<Categorical>, names: &[&str], v: Option<u8>| {
                if let Some(c) = c.as_mut() {
                    c.push(v.map_or("", |v| names[v as usize % names.len()]));
                }
            };
            text(&mut ds.category, &CATEGORIES, category);
            text(&mut ds.channel, &CHANNELS, channel);
            text(&mut ds.member_level, &LEVELS, level);
            if let Some(s) = ds.score.as_mut() {
                s.push(score.map_or(NO_SCORE, |s| s % 11));
            }
            if let (Some(list), true) = (ds.comments.as_mut(), comment) {
                list.push((i as u32, format!("好;评:{}\\", i % 3)));
            }
        }
        ds
    }

    fn read_back(ds: &Dataset) -> Dataset {
        let text = facts_csv(ds).unwrap();
        assert!(is_facts(text.as_bytes()));
        read(&text, "f.csv", text.len() as u64, false).unwrap().dataset
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        /// The facts file read back segments exactly as the transactions it was written from
        /// (facts, RFM, tiers, stages, states, KPIs, pyramid, cohorts, trends, answers), as of the
        /// day after the last row and as of a day within the rows.
        #[test]
        fn the_facts_file_segments_as_its_transactions(
            rows in proptest::collection::vec(
                (0u8..12, 0i32..80, -3000i32..20000, proptest::bool::weighted(0.05),
                 proptest::option::of(0u8..4), proptest::option::of(0u8..4), proptest::option::of(0u8..3),
                 proptest::option::of(0u8..4), proptest::option::weighted(0.3, 0u8..11), proptest::bool::weighted(0.2)),
                1..200,
            ),
            mapped in proptest::array::uniform5(proptest::bool::ANY),
            within in 0i32..80,
        ) {
            let ds = dataset(&rows, mapped);
            let back = read_back(&ds);
            proptest::prop_assert_eq!(&back.customers, &ds.customers);
            let whole = SegmentationParams::default().check().unwrap();
            let at = SegmentationParams { as_of: Some(19_000 + within * 9), ..SegmentationParams::default() }.check().unwrap();
            for params in [&whole, &at] {
                match (segment(&ds, params), segment(&back, params)) {
                    (Ok(mut a), Ok(mut b)) => {
                        // Rows after the as-of date are counted as lines in a facts file.
                        (a.facts.rows_after_as_of, b.facts.rows_after_as_of) = (0, 0);
                        proptest::prop_assert_eq!(a, b);
                    }
                    (a, b) => proptest::prop_assert_eq!(a.err(), b.err()),
                }
            }
            // And the facts file written from the facts file's rows segments as they do (its rows
            // may differ: a day with more answers than lines has rows of its own for them).
            let again = read_back(&back);
            proptest::prop_assert_eq!(segment(&again, &whole).ok(), segment(&back, &whole).ok());
        }
    }

    #[test]
    fn amounts_are_written_exactly_and_read_back() {
        for (micros, text) in
            [(0, "0"), (12_500_000, "12.5"), (1, "0.000001"), (-3_000_000, "-3"), (1_234_567_891, "1234.567891")]
        {
            assert_eq!(micros_text(micros), text);
        }
        assert_eq!(parse_line_amount("-0").map(f64::is_sign_negative), Some(true));
        for bad in ["1e3", "+1", "1.2.3", "", "-", "0x1", " 1"] {
            assert_eq!(parse_line_amount(bad), None, "{bad}");
        }
        let mut list = String::new();
        escape_into(&mut list, "a;b");
        list.push(';');
        escape_into(&mut list, "c\\d");
        assert_eq!(unescape_list(&list), ["a;b", "c\\d"]);
    }

    #[test]
    fn a_file_that_is_not_the_format_is_refused_with_its_line() {
        let header = Has { amounts: true, categories: true, ..Has::default() }.columns().join(",");
        let refused = |text: &str| match read(text, "f.csv", 0, false) {
            Err(IngestError::Facts { line, why }) => (line, why),
            other => panic!("{other:?}"),
        };
        assert_eq!(refused("loyalty_lens_facts,customer\n").0, 1);
        let row = "1,c1,2024-01-01,2024-01-01,1,5,5,,0:5:::";
        assert!(read(&format!("{header}\n{row}\n"), "f.csv", 0, false).is_ok());
        for (text, want) in [
            (row.replacen("1,", "2,", 1), "version '2'"),
            (row.replace("0:5:::", "0:5::"), "a line is day:amount"),
            (row.replace("0:5:::", "0:5:1::"), "there is no label 1"),
            (row.replace("0:5:::", "x:5:::"), "not a number of days"),
            (row.replace("0:5:::", "0:1e3:::"), "not an amount"),
            (row.replace(",1,5,5,", ",2,5,5,"), "orders says '2'"),
            (row.replace("2024-01-01,1", "2024-01-02,1"), "last_purchase says '2024-01-02'"),
            (format!("{row}\n{row}"), "has a row already"),
            (row.replace(",0:5:::", ",0::::"), "this line has none"),
            (row.replacen(",", ",,", 1), "the row has 10 fields, the header 9"),
        ] {
            let (line, why) = refused(&format!("{header}\n{text}\n"));
            assert!(why.contains(want), "{text}: {why}");
            assert!(line >= 2, "{text}");
        }
    }
}
