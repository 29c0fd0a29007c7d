//! The parts after the first: what a reader of one gives ([`Part`], or [`Received`] from another
//! worker's buffer, left there until joined) and how it reads it ([`read_part`], [`PartReading`]).

use super::*;

/// Labels in code order, without their index: all a part's labels are needed for is to be added
/// to the first reader's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Texts {
    pub(super) text: String,
    pub(super) ends: Vec<usize>,
}

impl Texts {
    pub(super) fn iter(&self) -> impl Iterator<Item = &str> + '_ {
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
pub(super) type Coded = (Texts, Vec<u32>);

/// The rows a second reader read, as [`read_part`] gives them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Part {
    /// Where its first record starts (a byte of the file); `None` when it found none.
    pub(super) start: Option<u64>,
    /// The line of its first record, counting its own first line as 1.
    pub(super) first_line: u64,
    /// Where the record it stopped at starts, and its line (counted as `first_line`); `None` when
    /// it read to the end of the file.
    pub(super) end: Option<(u64, u64)>,
    pub(super) rows: u64,
    pub(super) customers: Texts,
    pub(super) customer: Vec<u32>,
    pub(super) day: Option<Vec<i32>>,
    pub(super) amount: Option<Vec<f64>>,
    pub(super) score: Option<Vec<u8>>,
    /// Order ids' fingerprints.
    pub(super) order: Option<Vec<u64>>,
    /// Channel, category, member level.
    pub(super) coded: [Option<Coded>; 3],
    pub(super) comments: Option<Vec<(u32, String)>>,
    /// Lines counted as in `first_line`.
    pub(super) rejected: Vec<Rejection>,
    pub(super) currencies: Vec<(String, u64)>,
    /// What the part's rows showed besides rejections (lines counted as in `first_line`, rows
    /// from the part's first).
    pub(super) tally: Tally,
}

/// A part as the first reader joins it: from another thread as read ([`From<Part>`]), or from
/// another worker as [`Part::decode_from`]'s view of the buffer. The columns of a decoded part stay
/// in the buffer until they are added to the first reader's: no copy of the whole buffer is made
/// (about 26 MB for half a million rows, memory the worker would have had to grow for it; memory
/// new to a browser tab costs a page fault per 4 KB the first time it is written).
#[derive(Debug, Clone)]
pub struct Received<'b> {
    pub(super) start: Option<u64>,
    pub(super) first_line: u64,
    pub(super) end: Option<(u64, u64)>,
    pub(super) rows: u64,
    pub(super) customers: Texts,
    pub(super) customer: Column<'b, u32>,
    pub(super) day: Option<Column<'b, i32>>,
    pub(super) amount: Option<Column<'b, f64>>,
    pub(super) score: Option<Column<'b, u8>>,
    pub(super) order: Option<Column<'b, u64>>,
    pub(super) coded: [Option<(Texts, Column<'b, u32>)>; 3],
    pub(super) comments: Option<Vec<(u32, String)>>,
    pub(super) rejected: Vec<Rejection>,
    pub(super) currencies: Vec<(String, u64)>,
    pub(super) tally: Tally,
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
pub(super) enum Column<'b, T> {
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
    pub(super) fn size(&self) -> usize {
        match self {
            Wire::Here(bytes) => bytes.len(),
            Wire::Elsewhere(e) => e.size(),
        }
    }

    /// Copies the bytes from `at` on into `out` (nothing where they are not all there).
    pub(super) fn copy_to(&self, at: usize, out: &mut [u8]) {
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
    pub(super) fn as_slice(&self) -> Option<&'b [u8]> {
        match *self {
            Wire::Here(bytes) => Some(bytes),
            Wire::Elsewhere(_) => None,
        }
    }
}

/// Bytes written or copied at a time when a part is encoded or read from a [`Wire`] not in this
/// memory (a multiple of every value's size).
pub(super) const PIECE: usize = 64 * 1024;

impl<T: wire::Value> Column<'_, T> {
    /// Appends the values, each through `f`, to `to`.
    pub(super) fn append_to(&self, to: &mut Vec<T>, f: impl Fn(T) -> T) {
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
    pub(super) fn to_vec(&self) -> Vec<T> {
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
    pull(&mut part, rest, progress)?;
    part.finish(progress)
}

/// Pushes what `rest` holds into `part` while it wants more.
fn pull(part: &mut PartReading, rest: &mut dyn std::io::Read, progress: &mut dyn FnMut(Stage, f64)) -> Result<(), String> {
    let mut buffer = vec![0u8; 256 * 1024];
    loop {
        let n = match rest.read(&mut buffer) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.to_string()),
        };
        if n == 0 || !part.push(&buffer[..n], progress) {
            return Ok(());
        }
    }
}

/// [`read_part`] with the rows put aside in `spill` as they are read (see
/// [`crate::core::ingest::ingest_spilled`]): the part holds its labels, the spill its rows.
///
/// # Errors
/// As [`read_part`].
pub fn read_part_spilled(plan: &Plan, rest: &mut dyn std::io::Read, spill: Spill) -> Result<(Part, Spill), String> {
    let mut part = PartReading::new(plan);
    part.spill_into(spill);
    pull(&mut part, rest, &mut |_, _| {})?;
    match part.finish_spilled(&mut |_, _| {})? {
        (part, Some(spill)) => Ok((part, spill)),
        (_, None) => Err("the rows were not put aside".into()),
    }
}

/// The rows after a split point, read as the bytes from [`Plan::from`] on are pushed in (the
/// helper's asynchronous reads): [`read_part`] for bytes pushed rather than pulled.
pub struct PartReading {
    pub(super) plan: Plan,
    /// Bytes up to and including the first line end (a character cut at `from` is skipped with
    /// the line); the rows start after it.
    pub(super) skipped: u64,
    /// Reading the rows, once the first line end is passed.
    pub(super) walker: Option<table::Walker>,
    pub(super) rows: PartRows,
    pub(super) failed: Option<String>,
}

/// The rows of a part read so far.
pub(super) struct PartRows {
    pub(super) reader: RowReader,
    pub(super) customer_col: Option<usize>,
    /// Where the part's text starts (a byte of the file).
    pub(super) begin: u64,
    /// Where the first record starts (a byte of the file), and its line.
    pub(super) start: Option<u64>,
    pub(super) first_line: u64,
    /// Where the part ends (see [`Plan::until`]), and where the record it stopped at starts, with
    /// its line.
    pub(super) until: Option<u64>,
    pub(super) end: Option<(u64, u64)>,
    pub(super) last_reported: usize,
    /// Where the rows are put aside as they are read, when they are not kept.
    pub(super) spill: Option<Spill>,
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
            if let Some(spill) = self.spill.as_mut() {
                if self.reader.dataset.rows() >= spill.chunk() {
                    self.reader.spill_into(spill);
                }
            }
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
            spill: None,
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
    pub fn finish(self, progress: &mut dyn FnMut(Stage, f64)) -> Result<Part, String> {
        self.finish_spilled(progress).map(|(part, _)| part)
    }

    /// Puts the rows aside in `spill` as they are read, instead of keeping them in the part
    /// ([`PartReading::finish_spilled`] gives it back).
    pub fn spill_into(&mut self, spill: Spill) {
        self.rows.spill = Some(spill);
    }

    /// [`PartReading::finish`], and the spill the rows were put aside in, if they were.
    ///
    /// # Errors
    /// As [`PartReading::finish`].
    pub fn finish_spilled(mut self, progress: &mut dyn FnMut(Stage, f64)) -> Result<(Part, Option<Spill>), String> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        // No line end after the split point: nothing to read.
        let Some(mut walker) = self.walker.take() else { return Ok((Part::default(), self.rows.spill)) };
        let rows = &mut self.rows;
        if rows.end.is_none() {
            let _ = walker.finish(&mut |pos, row| rows.visit(pos, row, progress)).map_err(|e| e.to_string())?;
        }
        let PartRows { mut reader, start, first_line, end, mut spill, .. } = self.rows;
        if let Some(spill) = spill.as_mut() {
            reader.spill_into(spill);
        }
        reader.flush();
        let RowReader { dataset, rejected, rows, currencies, tally, .. } = reader;
        let Dataset { customers, customer, day, amount, order, channel, category, member_level, score, comments, .. } = dataset;
        let coded = |c: Option<Categorical>| c.map(|c| (Texts::from(c.labels), c.codes));
        let part = Part {
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
        };
        Ok((part, spill))
    }
}

#[cfg(test)]
impl Received<'_> {
    /// The part the buffer holds, columns copied out: what the tests compare.
    pub(super) fn to_part(&self) -> Part {
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
