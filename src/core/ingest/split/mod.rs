//! Reading one file on several cores: the rows before a point of the file on one, the rest in parts
//! on others, joined into exactly what one reader gives.
//!
//! The first reader works out the layout from the head of the file as always, and hands the
//! decisions (a [`Plan`]) to the others ([`Plan::parts`] cuts the rest of the file into one plan a
//! reader). Each reads from the first line end at or after its start ([`read_part`]) and stops at
//! the first record that starts at or after its end, as the first reader stops at its split point
//! ([`crate::core::ingest::ingest_stream`] with a [`Split`]); the first reader joins their
//! [`Part`]s in order ([`Pending::join_all`]). The browser has a helper worker for each
//! further core (eight readers at most), the command line a thread a core.
//!
//! A line end is not always a record end: a quoted cell may hold line ends. The join therefore
//! checks that, at every point, the readers on both sides saw a record start at the same byte; a CSV reader at a record start
//! reads on the same whatever came before, so from there the second reader's rows are the first
//! reader's rows. Where the check fails (the split point fell in a multi-line cell) the join
//! says so and the caller reads the file again on one core.
//!
//! The browser's second reader is another worker: [`Part::encode_into`] and [`Part::decode_from`]
//! carry a part between them as one buffer, written and read a piece at a time ([`Wire`]).

use crate::core::dataset::spill::Spill;
use crate::core::dataset::{recode, Categorical, Dataset, Labels};
use crate::core::ingest::roles::Mapping;
use crate::core::ingest::table::{self, Format};
use crate::core::ingest::tally::Tally;
use crate::core::ingest::{AmountFrom, Head, IngestError, Ingested, Rejection, RowReader, SpilledRead, Stage};
use crate::core::values::{DateOrder, DecimalMark};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::ops::ControlFlow;

mod part;
#[cfg(test)]
mod tests;
mod wire;

pub use self::part::{read_part, read_part_spilled, Elsewhere, Part, PartReading, Received, Texts, Wire};
use self::part::{Column, PIECE};

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
    /// Where the first reader's rows were put aside, when they were ([`Pending::finish_spilled`]).
    pub(crate) spill: Option<Spill>,
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
        let (head, reader) = self.merge_all(parts.into_iter().map(|p| (p, ())), &mut |_, ()| Ok(())).ok()??;
        Some(head.finish(reader))
    }

    /// The end of a read in parts whose rows were put aside as they were read, the first reader's
    /// in its [`Pending::spill`] and each other reader's in the spill beside its part: every part's
    /// rows added to the first reader's spill, its codes made the first reader's. `None` as for
    /// [`Pending::finish`]: the file is to be read again by one reader.
    ///
    /// # Errors
    /// [`IngestError::Scratch`] when the rows put aside cannot be read back or written.
    pub fn finish_spilled(mut self, parts: Option<Vec<(Received, Spill)>>) -> Result<Option<SpilledRead>, IngestError> {
        let scratch = |e: std::io::Error| IngestError::Scratch(e.to_string());
        let (Some(parts), Some(mut spill)) = (parts, self.spill.take()) else { return Ok(None) };
        let mut first = self;
        first.reader.spill_into(&mut spill);
        let by_day = first.reader.dataset.order.is_none();
        let merged = first
            .merge_all(parts.into_iter(), &mut |maps, mut part| spill.append(&mut part, &maps.customers, &maps.coded, by_day));
        let Some((head, reader)) = merged.map_err(scratch)? else { return Ok(None) };
        head.close_spilled(reader, spill).map(Some)
    }

    /// Merges each part into the first reader's rows in turn, `then` given what came with it and
    /// how its codes were mapped; `Ok(None)` when two neighbours do not meet at a record start.
    fn merge_all<'b, T>(
        self,
        parts: impl ExactSizeIterator<Item = (Received<'b>, T)>,
        then: &mut dyn FnMut(&Maps, T) -> std::io::Result<()>,
    ) -> std::io::Result<Option<(Head, RowReader)>> {
        let Pending { head, mut reader, mut at, mut line, .. } = self;
        let Some(last) = parts.len().checked_sub(1) else { return Ok(None) };
        for (k, (part, with)) in parts.enumerate() {
            // The part's first record is where the reader before stopped, on its line `line`, and
            // no later a line of its own count (a part from a broken buffer may say otherwise: it
            // is refused).
            if part.start != Some(at) || part.first_line > line {
                return Ok(None);
            }
            let shift = line - part.first_line;
            let next = match (k == last, part.end) {
                (true, None) => None,
                (false, Some((end, end_line))) => match end_line.checked_add(shift) {
                    Some(end_line) => Some((end, end_line)),
                    None => return Ok(None),
                },
                _ => return Ok(None),
            };
            let maps = merge(&mut reader, part, line);
            then(&maps, with)?;
            if let Some((end, end_line)) = next {
                (at, line) = (end, end_line);
            }
        }
        Ok(Some((head, reader)))
    }
}

/// How a part's codes became the first reader's: customers, and channels, categories and member
/// levels (empty where the column is not mapped).
struct Maps {
    customers: Vec<u32>,
    coded: [Vec<u32>; 3],
}

/// Adds `part`'s rows to `reader`'s, whose row at `line` is the part's first.
fn merge(reader: &mut RowReader, part: Received, line: u64) -> Maps {
    fn remap(labels: &mut Labels, texts: &Texts) -> Vec<u32> {
        texts.iter().map(|t| labels.intern(t)).collect()
    }
    fn append(codes: &mut Vec<u32>, more: &Column<u32>, map: &[u32]) {
        more.append_to(codes, |c| recode(map, c));
    }
    fn extend<T: wire::Value>(to: &mut Option<Vec<T>>, from: Option<Column<T>>) {
        if let (Some(to), Some(from)) = (to.as_mut(), from) {
            from.append_to(to, |v| v);
        }
    }
    reader.flush();
    let ds = &mut reader.dataset;
    let first_row = ds.customer.len() as u32;
    let customers = remap(&mut ds.customers, &part.customers);
    append(&mut ds.customer, &part.customer, &customers);
    extend(&mut ds.day, part.day);
    extend(&mut ds.amount, part.amount);
    extend(&mut ds.score, part.score);
    if let (Some(to), Some(from)) = (ds.order.as_mut(), part.order) {
        from.append_to(&mut to.keys, |k| k);
    }
    let columns = [&mut ds.channel, &mut ds.category, &mut ds.member_level];
    let mut maps = Maps { customers, coded: Default::default() };
    for ((column, coded), map) in columns.into_iter().zip(part.coded).zip(&mut maps.coded) {
        if let (Some(column), Some((texts, codes))) = (column.as_mut(), coded) {
            *map = remap(&mut column.labels, &texts);
            append(&mut column.codes, &codes, map);
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
    maps
}
