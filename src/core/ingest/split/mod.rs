//! Reading one file on several cores: the rows before a point of the file on one, the rest in parts
//! on others, joined into exactly what one reader gives.
//!
//! The first reader works out the layout from the head of the file as always, and hands the
//! decisions (a [`Plan`]) to the others ([`Plan::parts`] cuts the rest of the file into one plan a
//! reader). Each reads from the first line end at or after its start ([`read_part`]) and stops at
//! the first record that starts at or after its end, as the first reader stops at its split point
//! ([`crate::core::ingest::ingest_stream`] with a [`Split`]); the first reader joins their
//! [`Part`]s in order ([`Pending::join_all`]). The browser has one other reader (the helper
//! worker), the command line one a core.
//!
//! A line end is not always a record end: a quoted cell may hold line ends. The join therefore
//! checks that, at every point, the readers on both sides saw a record start at the same byte; a CSV reader at a record start
//! reads on the same whatever came before, so from there the second reader's rows are the first
//! reader's rows. Where the check fails (the split point fell in a multi-line cell) the join
//! says so and the caller reads the file again on one core.
//!
//! The browser's second reader is another worker: [`Part::encode_into`] and [`Part::decode_from`]
//! carry a part between them as one buffer, written and read a piece at a time ([`Wire`]).

use crate::core::dataset::{Categorical, Dataset, Labels, MISSING};
use crate::core::ingest::roles::Mapping;
use crate::core::ingest::table::{self, Format};
use crate::core::ingest::tally::Tally;
use crate::core::ingest::{AmountFrom, Head, Ingested, Rejection, RowReader, Stage};
use crate::core::values::{DateOrder, DecimalMark};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::ops::ControlFlow;

/// Files from this size on are worth reading on two cores: below it, starting the second reader and
/// joining the parts cost about what they save.
pub const SPLIT_MIN: u64 = 4 << 20;

/// Where to split a file of `total` bytes: the middle. The first reader also works out the layout
/// and joins the parts, but the second starts later (it waits for the plan) and has its part
/// encoded and decoded; at a million rows in the browser, splitting at 55% was no quicker.
pub fn split_point(total: u64) -> u64 {
    first_share(total, 2)
}

/// Asks [`crate::core::ingest::ingest_stream`] to stop reading at byte `at` of the file, once
/// `begin` has started another reader on the rest with the plan (it returns false when it could
/// not, and then the whole file is read as usual).
pub struct Split<'s> {
    pub at: u64,
    pub begin: &'s mut dyn FnMut(&Plan) -> bool,
}

/// What a second reader needs to read rows as the first does: the decisions taken from the head.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub format: Format,
    pub names: Vec<String>,
    pub mapping: Mapping,
    pub date_order: DateOrder,
    pub decimal_mark: DecimalMark,
    pub survey: bool,
    pub customer_col: Option<usize>,
    /// How each row's amount is made.
    pub amount_from: AmountFrom,
    /// Order ids are numbers, and one written `C` + digits is a cancellation.
    pub cancel_prefix: bool,
    /// The head of the file left the date order open: dates are read either way round as they
    /// settle it ([`crate::core::ingest::tally::Tally::undecided_rows`]).
    pub date_provisional: bool,
    /// Customer ids are numbers, and an id of only zeros (`0`) means no customer: a guest order
    /// (WooCommerce writes customer 0 for guests).
    pub zero_is_guest: bool,
    /// The order statuses to leave out; `None`: those that mean no sale
    /// ([`crate::core::ingest::tally::excluded_by_default`]).
    pub exclude_statuses: Option<Vec<String>>,
    /// About how many rows the file holds (to reserve room).
    pub rows: usize,
    /// The split point: the second reader reads from the first line end at or after `at - 1`.
    pub at: u64,
    /// Where this part ends: it stops at the first record that starts at or after it (the next
    /// part's `at`); `None`: it reads to the end of the file.
    #[serde(default)]
    pub until: Option<u64>,
    /// The file's size.
    pub total: u64,
}

impl Plan {
    /// Where in the file the second reader's bytes start: `rest` of [`read_part`] begins here.
    pub fn from(&self) -> u64 {
        self.at.saturating_sub(1)
    }

    /// The rest of the file from `at` on, cut into `n` parts of about the same size: one plan a
    /// reader, in the file's order, the last reading to the end.
    pub fn parts(&self, n: usize) -> Vec<Plan> {
        let n = n.max(1) as u64;
        let rest = self.total.saturating_sub(self.at);
        let point = |k: u64| self.at + rest / n * k;
        (0..n).map(|k| Plan { at: point(k), until: (k + 1 < n).then(|| point(k + 1)), ..self.clone() }).collect()
    }
}

/// Where to split a file of `total` bytes read by `readers` readers: the first reader's share.
pub fn first_share(total: u64, readers: usize) -> u64 {
    total / readers.max(1) as u64
}

/// Where the first of `readers` readers of a file of `size` bytes stops, if the file is read in
/// parts at all: from [`SPLIT_MIN`] bytes on, with another reader to take the rest. The command
/// line's threads and the browser's workers both ask here.
pub fn split_at(size: u64, readers: usize) -> Option<u64> {
    (readers > 1 && size >= SPLIT_MIN).then(|| first_share(size, readers))
}

/// How a read in parts ends.
#[derive(Debug)]
pub enum Joined {
    /// Exactly what one reader gives.
    Read(Box<Ingested>),
    /// The parts did not meet (a split point fell inside a multi-line cell) or one could not be
    /// read: the file is to be read again by one reader.
    Again,
}

/// The rows the first reader read, waiting for the second reader's part.
#[derive(Debug)]
pub struct Pending {
    pub(crate) head: Head,
    pub(crate) reader: RowReader,
    /// Where the record the first reader stopped at starts (a byte of the file), and its line.
    pub(crate) at: u64,
    pub(crate) line: u64,
}

impl Pending {
    /// Both parts as one: exactly what reading the file on one core gives. `None` when the parts do
    /// not meet at a record start (the split point fell inside a multi-line cell, or the second
    /// reader met the end of the file): then the file must be read again without a split.
    pub fn join(self, part: Received) -> Option<Ingested> {
        self.join_all(vec![part])
    }

    /// The end of a read in parts, with the other readers' parts in the file's order (`None`: one
    /// of them could not be read).
    pub fn finish(self, parts: Option<Vec<Received>>) -> Joined {
        match parts.and_then(|parts| self.join_all(parts)) {
            Some(ingested) => Joined::Read(Box::new(ingested)),
            None => Joined::Again,
        }
    }

    /// All parts, in the file's order, as one: [`Pending::join`] for a file read by several
    /// readers. `None` when two neighbours do not meet at a record start, or a part before the
    /// last did not stop at its end.
    pub fn join_all(self, parts: Vec<Received>) -> Option<Ingested> {
        let Pending { head, mut reader, mut at, mut line } = self;
        let last = parts.len().checked_sub(1)?;
        for (k, part) in parts.into_iter().enumerate() {
            // The part's first record is where the reader before stopped, on its line `line`, and
            // no later a line of its own count (a part from a broken buffer may say otherwise: it
            // is refused).
            if part.start != Some(at) || part.first_line > line {
                return None;
            }
            let shift = line - part.first_line;
            let next = match (k == last, part.end) {
                (true, None) => None,
                (false, Some((end, end_line))) => Some((end, end_line.checked_add(shift)?)),
                _ => return None,
            };
            merge(&mut reader, part, line);
            if let Some((end, end_line)) = next {
                (at, line) = (end, end_line);
            }
        }
        Some(head.finish(reader))
    }
}

/// Labels in code order, without their index: all a part's labels are needed for is to be added
/// to the first reader's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Texts {
    text: String,
    ends: Vec<usize>,
}

impl Texts {
    fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        self.ends.iter().scan(0, |start, &end| {
            let s = self.text.get(*start..end).unwrap_or_default();
            *start = end;
            Some(s)
        })
    }
}

impl From<Labels> for Texts {
    fn from(labels: Labels) -> Self {
        let (text, ends) = labels.into_texts();
        Self { text, ends }
    }
}

/// A text column of a part: its labels and codes.
type Coded = (Texts, Vec<u32>);

/// The rows a second reader read, as [`read_part`] gives them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Part {
    /// Where its first record starts (a byte of the file); `None` when it found none.
    start: Option<u64>,
    /// The line of its first record, counting its own first line as 1.
    first_line: u64,
    /// Where the record it stopped at starts, and its line (counted as `first_line`); `None` when
    /// it read to the end of the file.
    end: Option<(u64, u64)>,
    rows: u64,
    customers: Texts,
    customer: Vec<u32>,
    day: Option<Vec<i32>>,
    amount: Option<Vec<f64>>,
    score: Option<Vec<u8>>,
    /// Order ids' fingerprints.
    order: Option<Vec<u64>>,
    /// Channel, category, member level.
    coded: [Option<Coded>; 3],
    comments: Option<Vec<(u32, String)>>,
    /// Lines counted as in `first_line`.
    rejected: Vec<Rejection>,
    currencies: Vec<(String, u64)>,
    /// What the part's rows showed besides rejections (lines counted as in `first_line`, rows
    /// from the part's first).
    tally: Tally,
}

/// A part as the first reader joins it: from another thread as read ([`From<Part>`]), or from
/// another worker as [`Part::decode_from`]'s view of the buffer. The columns of a decoded part stay
/// in the buffer until they are added to the first reader's: no copy of the whole buffer is made
/// (about 26 MB for half a million rows, memory the worker would have had to grow for it; memory
/// new to a browser tab costs a page fault per 4 KB the first time it is written).
#[derive(Debug, Clone)]
pub struct Received<'b> {
    start: Option<u64>,
    first_line: u64,
    end: Option<(u64, u64)>,
    rows: u64,
    customers: Texts,
    customer: Column<'b, u32>,
    day: Option<Column<'b, i32>>,
    amount: Option<Column<'b, f64>>,
    score: Option<Column<'b, u8>>,
    order: Option<Column<'b, u64>>,
    coded: [Option<(Texts, Column<'b, u32>)>; 3],
    comments: Option<Vec<(u32, String)>>,
    rejected: Vec<Rejection>,
    currencies: Vec<(String, u64)>,
    tally: Tally,
}

impl From<Part> for Received<'static> {
    fn from(part: Part) -> Self {
        Received {
            start: part.start,
            first_line: part.first_line,
            end: part.end,
            rows: part.rows,
            customers: part.customers,
            customer: Column::Owned(part.customer),
            day: part.day.map(Column::Owned),
            amount: part.amount.map(Column::Owned),
            score: part.score.map(Column::Owned),
            order: part.order.map(Column::Owned),
            coded: part.coded.map(|c| c.map(|(t, codes)| (t, Column::Owned(codes)))),
            comments: part.comments,
            rejected: part.rejected,
            currencies: part.currencies,
            tally: part.tally,
        }
    }
}

/// A column of a received part: its values, or where they are in the buffer (`len` bytes from
/// `at`, the values one after the other, little-endian).
#[derive(Clone)]
enum Column<'b, T> {
    Owned(Vec<T>),
    Wired { wire: Wire<'b>, at: usize, len: usize },
}

impl<T: std::fmt::Debug> std::fmt::Debug for Column<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Column::Owned(values) => f.debug_tuple("Owned").field(values).finish(),
            Column::Wired { at, len, .. } => f.debug_struct("Wired").field("at", at).field("len", len).finish(),
        }
    }
}

/// Bytes a part was encoded into: in this memory, or elsewhere, copied in a piece at a time as they
/// are read (in the browser, the buffer the helper worker posted, outside WebAssembly memory).
#[derive(Clone, Copy)]
pub enum Wire<'b> {
    Here(&'b [u8]),
    Elsewhere(&'b dyn Elsewhere),
}

/// Bytes not in this memory (see [`Wire::Elsewhere`]).
pub trait Elsewhere {
    /// How many bytes there are.
    fn size(&self) -> usize;
    /// Copies the bytes from `at` on into `out`; callers keep `at + out.len()` within `size()`.
    fn copy_to(&self, at: usize, out: &mut [u8]);
}

impl<'b> Wire<'b> {
    fn size(&self) -> usize {
        match self {
            Wire::Here(bytes) => bytes.len(),
            Wire::Elsewhere(e) => e.size(),
        }
    }

    /// Copies the bytes from `at` on into `out` (nothing where they are not all there).
    fn copy_to(&self, at: usize, out: &mut [u8]) {
        let Some(end) = at.checked_add(out.len()).filter(|&end| end <= self.size()) else { return };
        match self {
            Wire::Here(bytes) => {
                if let Some(bytes) = bytes.get(at..end) {
                    out.copy_from_slice(bytes);
                }
            }
            Wire::Elsewhere(e) => e.copy_to(at, out),
        }
    }

    /// The bytes, when they are in this memory (then nothing is copied).
    fn as_slice(&self) -> Option<&'b [u8]> {
        match *self {
            Wire::Here(bytes) => Some(bytes),
            Wire::Elsewhere(_) => None,
        }
    }
}

/// Bytes written or copied at a time when a part is encoded or read from a [`Wire`] not in this
/// memory (a multiple of every value's size).
const PIECE: usize = 64 * 1024;

impl<T: wire::Value> Column<'_, T> {
    /// Appends the values, each through `f`, to `to`.
    fn append_to(&self, to: &mut Vec<T>, f: impl Fn(T) -> T) {
        match self {
            Column::Owned(values) => to.extend(values.iter().map(|&v| f(v))),
            Column::Wired { wire, at, len } => {
                let end = at + len;
                if let Some(bytes) = wire.as_slice().and_then(|b| b.get(*at..end)) {
                    return to.extend(bytes.chunks_exact(T::SIZE).map(T::get).map(f));
                }
                // Exactly the room needed (usually there already: the first reader makes room for
                // the whole file), not twice it.
                to.reserve_exact(len / T::SIZE);
                let mut piece = vec![0u8; PIECE.min(*len)];
                let mut from = *at;
                while from < end {
                    let n = PIECE.min(end - from);
                    wire.copy_to(from, &mut piece[..n]);
                    to.extend(piece[..n].chunks_exact(T::SIZE).map(T::get).map(&f));
                    from += n;
                }
            }
        }
    }

    #[cfg(test)]
    fn to_vec(&self) -> Vec<T> {
        let mut values = Vec::new();
        self.append_to(&mut values, |v| v);
        values
    }
}

/// Reads the rows after the split point of `plan`: `rest` holds the file from [`Plan::from`] on.
/// Lines are counted from the first line end there.
///
/// # Errors
/// When `rest` cannot be read, or is not plain UTF-8 text (then the first reader, reading on into
/// it, finds that too and reads the file whole).
pub fn read_part(plan: &Plan, rest: &mut dyn std::io::Read, progress: &mut dyn FnMut(Stage, f64)) -> Result<Part, String> {
    let mut part = PartReading::new(plan);
    let mut buffer = vec![0u8; 256 * 1024];
    loop {
        let n = match rest.read(&mut buffer) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.to_string()),
        };
        if n == 0 || !part.push(&buffer[..n], progress) {
            break;
        }
    }
    part.finish(progress)
}

/// The rows after a split point, read as the bytes from [`Plan::from`] on are pushed in (the
/// helper's asynchronous reads): [`read_part`] for bytes pushed rather than pulled.
pub struct PartReading {
    plan: Plan,
    /// Bytes up to and including the first line end (a character cut at `from` is skipped with
    /// the line); the rows start after it.
    skipped: u64,
    /// Reading the rows, once the first line end is passed.
    walker: Option<table::Walker>,
    rows: PartRows,
    failed: Option<String>,
}

/// The rows of a part read so far.
struct PartRows {
    reader: RowReader,
    customer_col: Option<usize>,
    /// Where the part's text starts (a byte of the file).
    begin: u64,
    /// Where the first record starts (a byte of the file), and its line.
    start: Option<u64>,
    first_line: u64,
    /// Where the part ends (see [`Plan::until`]), and where the record it stopped at starts, with
    /// its line.
    until: Option<u64>,
    end: Option<(u64, u64)>,
    last_reported: usize,
}

impl PartRows {
    fn visit(&mut self, pos: table::Position, row: &dyn table::Row, progress: &mut dyn FnMut(Stage, f64)) -> ControlFlow<()> {
        let byte = self.begin + pos.byte;
        if self.start.is_none() {
            self.start = Some(byte);
            self.first_line = pos.line;
        }
        if self.until.is_some_and(|until| byte >= until) {
            self.end = Some((byte, pos.line));
            return ControlFlow::Break(());
        }
        if !row.is_blank() {
            self.reader.read(pos, row, self.customer_col);
            if self.reader.rows - self.last_reported >= 1 << 16 {
                self.last_reported = self.reader.rows;
                progress(Stage::Parsing, pos.fraction);
            }
        }
        ControlFlow::Continue(())
    }
}

impl PartReading {
    pub fn new(plan: &Plan) -> Self {
        let rows = PartRows {
            reader: RowReader::new(plan),
            customer_col: plan.customer_col,
            begin: plan.from(),
            start: None,
            first_line: 0,
            until: plan.until,
            end: None,
            last_reported: 0,
        };
        Self { plan: plan.clone(), skipped: 0, walker: None, rows, failed: None }
    }

    /// Reads the rows in `bytes`, the next bytes of the file. Returns whether more are wanted
    /// (not after an error).
    pub fn push(&mut self, mut bytes: &[u8], progress: &mut dyn FnMut(Stage, f64)) -> bool {
        if self.failed.is_some() {
            return false;
        }
        let walker = match self.walker.as_mut() {
            Some(walker) => walker,
            None => {
                let Some(end) = memchr::memchr(b'\n', bytes) else {
                    self.skipped += bytes.len() as u64;
                    return true;
                };
                self.skipped += end as u64 + 1;
                bytes = &bytes[end + 1..];
                let plan = &self.plan;
                let begin = plan.from() + self.skipped;
                let end = plan.until.unwrap_or(plan.total);
                let share = end.saturating_sub(begin) as f64 / plan.total.max(1) as f64;
                self.rows.reader.reserve((plan.rows as f64 * share) as usize);
                self.rows.begin = begin;
                self.walker.insert(table::Walker::new(plan.format, plan.total.saturating_sub(begin)))
            }
        };
        if memchr::memchr(0, bytes).is_some() {
            self.failed = Some("the text has NUL characters".into());
            return false;
        }
        let rows = &mut self.rows;
        match walker.feed(bytes, &mut |pos, row| rows.visit(pos, row, progress)) {
            Ok(ControlFlow::Continue(())) => true,
            // At the part's end: the rest is the next reader's.
            Ok(ControlFlow::Break(())) => false,
            Err(e) => {
                self.failed = Some(e.to_string());
                false
            }
        }
    }

    /// The part read, once the file's last bytes are pushed.
    ///
    /// # Errors
    /// When the text is not plain UTF-8 or has NUL characters.
    pub fn finish(mut self, progress: &mut dyn FnMut(Stage, f64)) -> Result<Part, String> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        // No line end after the split point: nothing to read.
        let Some(mut walker) = self.walker.take() else { return Ok(Part::default()) };
        let rows = &mut self.rows;
        if rows.end.is_none() {
            let _ = walker.finish(&mut |pos, row| rows.visit(pos, row, progress)).map_err(|e| e.to_string())?;
        }
        let PartRows { mut reader, start, first_line, end, .. } = self.rows;
        reader.flush();
        let RowReader { dataset, rejected, rows, currencies, tally, .. } = reader;
        let Dataset { customers, customer, day, amount, order, channel, category, member_level, score, comments } = dataset;
        let coded = |c: Option<Categorical>| c.map(|c| (Texts::from(c.labels), c.codes));
        Ok(Part {
            start,
            first_line,
            end,
            rows: rows as u64,
            customers: customers.into(),
            customer,
            day,
            amount,
            score,
            order: order.map(|o| o.keys),
            coded: [coded(channel), coded(category), coded(member_level)],
            comments,
            rejected,
            currencies: currencies.into_iter().map(|(c, n)| (c.into_owned(), n as u64)).collect(),
            tally,
        })
    }
}

/// Adds `part`'s rows to `reader`'s, whose row at `line` is the part's first.
fn merge(reader: &mut RowReader, part: Received, line: u64) {
    fn remap(labels: &mut Labels, texts: &Texts) -> Vec<u32> {
        texts.iter().map(|t| labels.intern(t)).collect()
    }
    fn append(codes: &mut Vec<u32>, more: &Column<u32>, map: &[u32]) {
        more.append_to(codes, |c| if c == MISSING { MISSING } else { map.get(c as usize).copied().unwrap_or(MISSING) });
    }
    fn extend<T: wire::Value>(to: &mut Option<Vec<T>>, from: Option<Column<T>>) {
        if let (Some(to), Some(from)) = (to.as_mut(), from) {
            from.append_to(to, |v| v);
        }
    }
    reader.flush();
    let ds = &mut reader.dataset;
    let first_row = ds.customer.len() as u32;
    let map = remap(&mut ds.customers, &part.customers);
    append(&mut ds.customer, &part.customer, &map);
    extend(&mut ds.day, part.day);
    extend(&mut ds.amount, part.amount);
    extend(&mut ds.score, part.score);
    if let (Some(to), Some(from)) = (ds.order.as_mut(), part.order) {
        from.append_to(&mut to.keys, |k| k);
    }
    let columns = [&mut ds.channel, &mut ds.category, &mut ds.member_level];
    for (column, coded) in columns.into_iter().zip(part.coded) {
        if let (Some(column), Some((texts, codes))) = (column.as_mut(), coded) {
            let map = remap(&mut column.labels, &texts);
            append(&mut column.codes, &codes, &map);
        }
    }
    if let (Some(to), Some(from)) = (ds.comments.as_mut(), part.comments) {
        to.extend(from.into_iter().map(|(row, text)| (row + first_row, text)));
    }
    let shift = line - part.first_line;
    reader.rejected.extend(part.rejected.into_iter().map(|r| Rejection { row: r.row + shift, ..r }));
    reader.tally.merge(part.tally, shift, first_row);
    reader.rows += part.rows as usize;
    for (currency, n) in part.currencies {
        *reader.currencies.entry(Cow::Owned(currency)).or_default() += n as usize;
    }
}

mod wire;

#[cfg(test)]
impl Received<'_> {
    /// The part the buffer holds, columns copied out: what the tests compare.
    fn to_part(&self) -> Part {
        fn owned<T: wire::Value>(c: &Option<Column<T>>) -> Option<Vec<T>> {
            c.as_ref().map(Column::to_vec)
        }
        Part {
            start: self.start,
            first_line: self.first_line,
            end: self.end,
            rows: self.rows,
            customers: self.customers.clone(),
            customer: self.customer.to_vec(),
            day: owned(&self.day),
            amount: owned(&self.amount),
            score: owned(&self.score),
            order: owned(&self.order),
            coded: self.coded.clone().map(|c| c.map(|(t, codes)| (t, codes.to_vec()))),
            comments: self.comments.clone(),
            rejected: self.rejected.clone(),
            currencies: self.currencies.clone(),
            tally: self.tally.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ingest::{ingest, ingest_pushed, ingest_stream, Begun, IngestOptions, Streamed};

    /// Reads `bytes` split at `at` as the browser and the command line do (the first `prefix` bytes
    /// in memory, the rest streamed, the part through its wire encoding). `None`: not streamed (read
    /// whole, or an error); `Some(None)`: the parts did not meet and the file must be read again.
    fn read_split(bytes: &[u8], prefix: usize, at: u64) -> Option<Option<Ingested>> {
        let opts = IngestOptions::default();
        let mut plan = None;
        let mut begin = |p: &Plan| {
            plan = Some(p.clone());
            true
        };
        let prefix = prefix.min(bytes.len());
        let split = Split { at, begin: &mut begin };
        let streamed = ingest_stream(
            &bytes[..prefix],
            &mut &bytes[prefix..],
            bytes.len() as u64,
            "f.csv",
            &opts,
            Some(split),
            &mut |_, _| {},
        );
        // The same bytes pushed in as they arrive (the browser's reads) give the same.
        let step = 1 + (at % 4099) as usize;
        let mut pushed_plan = None;
        let mut begin = |p: &Plan| {
            pushed_plan = Some(p.clone());
            true
        };
        let split = Split { at, begin: &mut begin };
        let pushed =
            ingest_pushed(&bytes[..prefix], bytes.len() as u64, "f.csv", &opts, Some(split), &mut |_, _| {}).map(|begun| {
                match begun {
                    Begun::Whole => Streamed::Whole,
                    Begun::Pushing(mut pushed) => {
                        for chunk in bytes[prefix..].chunks(step) {
                            if !pushed.push(chunk, &mut |_, _| {}) {
                                break;
                            }
                        }
                        pushed.finish(&mut |_, _| {})
                    }
                }
            });
        // A read stopped at the split point is compared once joined, below (its ids are still
        // held for interning, in a table whose hashes are seeded per table).
        match (&pushed, &streamed) {
            (Ok(Streamed::Split(_)), Ok(Streamed::Split(_))) => {}
            _ => assert_eq!(format!("{pushed:?}"), format!("{streamed:?}")),
        }
        assert_eq!(pushed_plan, plan);
        let Some(plan) = plan else {
            // Not streamed, or not split (the head is not in the prefix).
            return match streamed {
                Ok(Streamed::Read(i)) => Some(Some(*i)),
                _ => None,
            };
        };
        assert_eq!(plan.at, at);
        let part = read_part(&plan, &mut &bytes[plan.from() as usize..], &mut |_, _| {}).unwrap();
        let mut part_pushed = PartReading::new(&plan);
        for chunk in bytes[plan.from() as usize..].chunks(step) {
            if !part_pushed.push(chunk, &mut |_, _| {}) {
                break;
            }
        }
        assert_eq!(part_pushed.finish(&mut |_, _| {}).unwrap(), part);
        let encoded = part.encode();
        assert_eq!(encoded.len(), part.encoded_size());
        let decoded = Part::decode(&encoded).expect("a part decodes");
        assert_eq!(decoded.to_part(), part);
        // As the browser reads it: from a buffer elsewhere, copied a piece at a time.
        let distant = Distant::from(&encoded);
        assert_eq!(Part::decode_from(Wire::Elsewhere(&distant)).expect("a part decodes").to_part(), part);
        // As the browser joins a part (from its buffer), or as the command line does (as read).
        let received = if at.is_multiple_of(3) { Received::from(part) } else { decoded };
        match streamed {
            Ok(Streamed::Split(pending)) => {
                let joined = pending.join(received);
                if let Ok(Streamed::Split(pushed)) = pushed {
                    assert_eq!(pushed.join(Part::decode(&encoded).expect("a part decodes")), joined);
                }
                Some(joined)
            }
            Ok(Streamed::Read(i)) => Some(Some(*i)),
            _ => None,
        }
    }

    /// Bytes elsewhere (as a worker's posted buffer is), copied out only in pieces; it notes the
    /// largest copy.
    struct Distant {
        bytes: Vec<u8>,
        largest: std::cell::Cell<usize>,
    }

    impl From<&Vec<u8>> for Distant {
        fn from(bytes: &Vec<u8>) -> Self {
            Self { bytes: bytes.clone(), largest: 0.into() }
        }
    }

    impl Elsewhere for Distant {
        fn size(&self) -> usize {
            self.bytes.len()
        }

        fn copy_to(&self, at: usize, out: &mut [u8]) {
            self.largest.set(self.largest.get().max(out.len()));
            out.copy_from_slice(&self.bytes[at..at + out.len()]);
        }
    }

    /// A big part (comments, rejections, every column): what goes through the wire in pieces
    /// arrives whole, and neither side holds the whole buffer at once.
    #[test]
    fn a_part_goes_through_the_wire_a_piece_at_a_time() {
        let mut bytes = sample(6_000, "00000001,bad,2024-01-01,x,1,线上商城,电视,普通,,\n");
        for i in 0..3_000 {
            bytes.extend_from_slice(format!("C{i},O{i},2024-02-01,12.5,1,门店,手机,金卡,9,第{i}条评论\n").as_bytes());
        }
        let mut plan = None;
        let mut begin = |p: &Plan| {
            plan = Some(p.clone());
            true
        };
        let split = Split { at: bytes.len() as u64 / 3, begin: &mut begin };
        let opts = IngestOptions::default();
        let _ = ingest_stream(&bytes, &mut std::io::empty(), bytes.len() as u64, "f.csv", &opts, Some(split), &mut |_, _| {});
        let plan = plan.expect("split");
        let part = read_part(&plan, &mut &bytes[plan.from() as usize..], &mut |_, _| {}).unwrap();
        assert!(part.comments.as_ref().is_some_and(|c| c.len() >= 3_000) && !part.rejected.is_empty());
        let (mut pieces, mut largest) = (Vec::new(), 0);
        part.encode_into(&mut |piece| {
            largest = largest.max(piece.len());
            pieces.extend_from_slice(piece);
        });
        assert_eq!(pieces, part.encode());
        assert_eq!(pieces.len(), part.encoded_size());
        assert!(pieces.len() > 8 * PIECE && largest <= 2 * PIECE, "{} bytes, largest piece {largest}", pieces.len());
        let distant = Distant::from(&pieces);
        let received = Part::decode_from(Wire::Elsewhere(&distant)).expect("a part decodes");
        assert_eq!(received.to_part(), part);
        assert!(distant.largest.get() <= PIECE, "largest copy {}", distant.largest.get());
        // A cut or damaged buffer elsewhere is refused as one here is.
        for cut in (0..pieces.len()).step_by(4_099) {
            assert!(Part::decode_from(Wire::Elsewhere(&Distant::from(&pieces[..cut].to_vec()))).is_none(), "cut at {cut}");
        }
    }

    fn sample(customers: usize, extra: &str) -> Vec<u8> {
        let mut bytes = Vec::new();
        crate::core::sample::write_sample(customers, 7, &mut bytes).unwrap();
        bytes.extend_from_slice(extra.as_bytes());
        bytes
    }

    #[test]
    fn a_file_read_in_two_parts_reads_exactly_as_read_in_one() {
        // Rejected rows and a multi-line cell in the second half, blank lines, a BOM; and the same
        // file with CRLF line ends (the CSV reader starts a record after CR at the LF).
        let tail = "\n\n00000001,bad,2024-01-01,x,1,线上商城,电视,普通,,\"多行\n评论\"\n00000002,O9,2024-01-02,5,1,线上商城,电视,普通,,\n";
        let mut lf = sample(150, tail);
        lf.splice(0..0, b"\xEF\xBB\xBF".iter().copied());
        let crlf = String::from_utf8(lf.clone()).unwrap().replace('\n', "\r\n").into_bytes();
        for bytes in [lf, crlf] {
            let whole = ingest(&bytes, "f.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap();
            assert!(whole.report.rows_rejected > 0 && whole.report.bom);
            let cell = bytes.windows(6).position(|w| w == "多行".as_bytes()).unwrap() as u64;
            let record = bytes.windows(12).position(|w| w == b"00000001,bad").unwrap() as u64;
            let (mut joined, mut declined) = (0, 0);
            // Split points all over the file, cutting characters, lines and the multi-line cell.
            let points = (1_000..bytes.len() as u64 + 10).step_by(1_999).chain(record - 2..cell + 12);
            for at in points {
                // Most of the file in memory first, or the head only.
                let head = bytes.iter().enumerate().filter(|(_, &b)| b == b'\n').nth(1_010).unwrap().0 + 100;
                for prefix in [if at % 2 == 0 { bytes.len() } else { head }] {
                    match read_split(&bytes, prefix, at).expect("streamed") {
                        Some(i) => {
                            assert_eq!(i, whole, "split at {at}, prefix {prefix}");
                            joined += 1;
                        }
                        None => {
                            // Only where the split point is inside the record with the multi-line
                            // cell (up to its line end within the cell) may the parts fail to meet.
                            assert!((record + 1..cell + 12).contains(&at), "split at {at} was declined");
                            declined += 1;
                        }
                    }
                }
            }
            assert!(joined > 40 && declined > 0, "{joined} joined, {declined} declined");
        }
    }

    /// Reads `bytes` with `readers` readers as the command line does: the first reads up to its
    /// share, the others read the parts of the rest, each stopping at its end; one part goes
    /// through its wire encoding. `None`: the parts did not meet.
    fn read_in_parts(bytes: &[u8], readers: usize) -> Option<Ingested> {
        let mut plan = None;
        let mut begin = |p: &Plan| {
            plan = Some(p.clone());
            true
        };
        let total = bytes.len() as u64;
        let split = Split { at: first_share(total, readers), begin: &mut begin };
        let streamed =
            ingest_stream(bytes, &mut std::io::empty(), total, "f.csv", &IngestOptions::default(), Some(split), &mut |_, _| {});
        let Ok(Streamed::Split(pending)) = streamed else { panic!("not split") };
        let plans = plan.expect("a plan").parts(readers - 1);
        assert_eq!(plans.len(), readers - 1);
        let parts: Vec<Part> =
            plans.iter().map(|p| read_part(p, &mut &bytes[p.from() as usize..], &mut |_, _| {}).unwrap()).collect();
        for (p, part) in plans.iter().zip(&parts) {
            // A part stops at its end, and says where; the last reads to the end of the file.
            assert_eq!(part.end.is_some(), p.until.is_some());
            if let (Some((end, _)), Some(until)) = (part.end, p.until) {
                assert!(end >= until, "stopped at {end} before its end {until}");
            }
        }
        let encoded: Vec<Vec<u8>> = parts.iter().map(Part::encode).collect();
        let received: Vec<Received> = parts
            .into_iter()
            .zip(&encoded)
            .enumerate()
            .map(|(k, (part, wire))| if k == 1 { Part::decode(wire).expect("a part decodes") } else { Received::from(part) })
            .collect();
        pending.join_all(received)
    }

    #[test]
    fn a_file_read_in_many_parts_reads_exactly_as_read_in_one() {
        let tail =
            "\n00000001,bad,2024-01-01,x,1,线上商城,电视,普通,,\"多行\n评论\"\n00000002,O9,2024-01-02,5,1,线上商城,电视,普通,,\n";
        let lf = sample(400, tail);
        let crlf = String::from_utf8(lf.clone()).unwrap().replace('\n', "\r\n").into_bytes();
        for bytes in [lf, crlf] {
            let whole = ingest(&bytes, "f.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap();
            for readers in 2..=7 {
                let joined = read_in_parts(&bytes, readers).unwrap_or_else(|| panic!("{readers} readers did not meet"));
                assert_eq!(joined, whole, "{readers} readers");
            }
        }
        // Parts in the wrong order, or one missing, do not meet: the file is read again.
        let bytes = sample(400, "");
        let total = bytes.len() as u64;
        let mut plan = None;
        let mut begin = |p: &Plan| {
            plan = Some(p.clone());
            true
        };
        let split = Split { at: first_share(total, 4), begin: &mut begin };
        let Ok(Streamed::Split(pending)) =
            ingest_stream(&bytes, &mut std::io::empty(), total, "f.csv", &IngestOptions::default(), Some(split), &mut |_, _| {})
        else {
            panic!("not split")
        };
        let plans = plan.unwrap().parts(3);
        let part =
            |k: usize| Received::from(read_part(&plans[k], &mut &bytes[plans[k].from() as usize..], &mut |_, _| {}).unwrap());
        assert!(pending.join_all(vec![part(0), part(2), part(1)]).is_none());
    }

    #[test]
    fn a_file_is_split_from_its_minimum_size_on_when_another_reader_is_there() {
        assert_eq!(split_at(SPLIT_MIN - 1, 8), None);
        assert_eq!(split_at(SPLIT_MIN * 4, 1), None, "one reader reads it all");
        assert_eq!(split_at(SPLIT_MIN * 4, 4), Some(SPLIT_MIN));
        assert_eq!(split_at(SPLIT_MIN * 2, 2), Some(split_point(SPLIT_MIN * 2)));
        // A part that could not be read sends the file back to one reader.
        let bytes = sample(200, "");
        let mut begin = |_: &Plan| true;
        let split = Split { at: bytes.len() as u64 / 2, begin: &mut begin };
        let opts = IngestOptions::default();
        let streamed =
            ingest_stream(&bytes, &mut std::io::empty(), bytes.len() as u64, "f.csv", &opts, Some(split), &mut |_, _| {});
        let Ok(Streamed::Split(pending)) = streamed else { panic!("not split") };
        assert!(matches!(pending.finish(None), Joined::Again));
    }

    #[test]
    fn a_split_point_inside_a_multi_line_cell_sends_the_file_back_to_one_reader_whatever_the_number_of_parts() {
        // A cell of many lines in the middle of the file: some of the points cut it.
        let mut bytes = sample(300, "");
        let long: String = (0..400).map(|i| format!("第{i}行\n")).collect();
        let middle = bytes.len() / 2;
        let at = bytes[middle..].iter().position(|&b| b == b'\n').unwrap() + middle + 1;
        let row = format!("00000003,O77,2024-03-03,7,1,线上商城,电视,普通,8,\"{long}\"\n");
        bytes.splice(at..at, row.into_bytes());
        let whole = ingest(&bytes, "f.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap();
        let (mut met, mut declined) = (0, 0);
        for readers in 2..=9 {
            match read_in_parts(&bytes, readers) {
                Some(joined) => {
                    assert_eq!(joined, whole, "{readers} readers");
                    met += 1;
                }
                None => declined += 1,
            }
        }
        assert!(met > 0 && declined > 0, "{met} met, {declined} declined");
    }

    #[test]
    fn what_the_rows_showed_joins_across_the_split_as_one_reader_counts_it() {
        // Over 1,000 undecided month-first dates, then (in the second part) guest rows, statuses
        // to leave out, an order line without an amount, cancellations, a bad score, and the date
        // that settles the order day first: the undecided dates of both parts are turned round.
        let mut text = String::from("InvoiceNo,CustomerID,InvoiceDate,Amount,Status,Score\n");
        for i in 0..1_400u32 {
            let id = if i > 1_100 && i % 7 == 0 { String::new() } else { format!("{}", 12_000 + i % 90) };
            let day = 1 + i % 12;
            let month = 1 + (i / 12) % 12;
            let status = if i > 1_050 && i % 11 == 0 { "cancelled" } else { "paid" };
            let invoice = if i > 1_200 && i % 13 == 0 { format!("C{}", 500_000 + i) } else { format!("{}", 500_000 + i) };
            let amount = if i == 1_300 { String::new() } else { format!("{}.5", i % 40) };
            let invoice = if i == 1_300 { format!("{}", 500_000 + 1_299) } else { invoice };
            let score = if i == 1_250 { "eleven" } else { "" };
            text.push_str(&format!("{invoice},{id},{day}/{month}/2024,{amount},{status},{score}\n"));
        }
        text.push_str("500999,12001,25/12/2024,3.5,paid,9\n");
        let bytes = text.into_bytes();
        let whole = ingest(&bytes, "f.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap();
        let r = &whole.report;
        assert!(!r.date_order_ambiguous && r.date_order == DateOrder::Dmy, "{:?}", r.warnings);
        assert!(r.guests.is_some() && r.rows_excluded > 0 && r.cancellations > 0 && r.order_lines == 1);
        assert_eq!(r.cells_left_out.len(), 1);
        // 2/1/2024 (the second row), read month first while undecided, is 2 January once settled.
        assert_eq!(whole.dataset.day.as_ref().unwrap()[1], crate::core::values::day_from_ymd(2024, 1, 2).unwrap());
        let mut joined = 0;
        for at in (bytes.len() as u64 * 3 / 4..bytes.len() as u64).step_by(997) {
            if let Some(Some(i)) = read_split(&bytes, bytes.len(), at) {
                assert_eq!(i, whole, "split at {at}");
                joined += 1;
            }
        }
        assert!(joined >= 3, "{joined} joined");
    }

    #[test]
    fn every_fixture_that_streams_reads_in_two_parts_as_in_one() {
        let mut split_files = 0;
        for dir in ["tests/fixtures", "tests/fixtures/bad", "tests/fixtures/exports"] {
            for entry in std::fs::read_dir(format!("{}/{dir}", env!("CARGO_MANIFEST_DIR"))).unwrap() {
                let path = entry.unwrap().path();
                if !path.is_file() {
                    continue;
                }
                let bytes = std::fs::read(&path).unwrap();
                let whole = ingest(&bytes, "f.csv", &IngestOptions::default(), &mut |_, _| {});
                let mut joined = false;
                for at in [bytes.len() as u64 / 2] {
                    if let (Some(Some(i)), Ok(w)) = (read_split(&bytes, bytes.len(), at.max(1)), &whole) {
                        assert_eq!(&i, w, "{} split at {at}", path.display());
                        joined = true;
                    }
                }
                split_files += usize::from(joined);
            }
        }
        assert!(split_files >= 20, "only {split_files} fixtures read in two parts");
    }

    #[test]
    fn a_broken_part_buffer_is_refused_not_trusted() {
        let bytes = sample(50, "");
        let opts = IngestOptions::default();
        let mut plan = None;
        let mut begin = |p: &Plan| {
            plan = Some(p.clone());
            true
        };
        let split = Split { at: bytes.len() as u64 / 2, begin: &mut begin };
        let _ = ingest_stream(&bytes, &mut std::io::empty(), bytes.len() as u64, "f.csv", &opts, Some(split), &mut |_, _| {});
        let plan = plan.unwrap();
        let part = read_part(&plan, &mut &bytes[plan.from() as usize..], &mut |_, _| {}).unwrap();
        let encoded = part.encode();
        for cut in (0..encoded.len()).step_by(97) {
            assert!(Part::decode(&encoded[..cut]).is_none(), "cut at {cut}");
        }
        let mut flipped = encoded.clone();
        for i in (0..flipped.len()).step_by(31) {
            flipped[i] ^= 0xA5;
            let _ = Part::decode(&flipped);
        }
    }
}
