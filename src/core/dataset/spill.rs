//! Rows put aside as a file is read, in buckets of customers, and read back a bucket at a time: a
//! file of any length is then analysed in the memory its customers take, not its rows. What each
//! customer's facts and facts file read is kept (day, amount, order, category, channel, member
//! level, and where asked a survey answer's score and comment); the other columns are not.
//! Natively the buckets are temporary files (the CLI's `rfm` and `facts` on a big file); tests
//! keep them in memory.

use super::totals::Counting;
use super::{codes_of, recode, Dataset, MISSING, NO_ORDER, NO_SCORE};
use crate::core::values::{swap_day_month, Day};
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

/// Where a bucket's rows are written and then read back.
pub trait Scratch: Read + Write + Seek + Send {}
impl<T: Read + Write + Seek + Send> Scratch for T {}

/// Makes the scratch space of a new bucket.
pub type MakeScratch = Box<dyn FnMut() -> io::Result<Box<dyn Scratch>> + Send>;

/// One row as it was put aside ([`MISSING`] codes and [`NO_ORDER`] where a column is not mapped or
/// the cell is empty; amount 0 in a file without amounts).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpilledRow {
    pub customer: u32,
    pub day: Day,
    pub amount: f64,
    pub order: u64,
    pub category: u32,
    pub channel: u32,
    pub level: u32,
    /// A survey answer's score ([`NO_SCORE`] for none).
    pub score: u8,
}

/// Bytes of a row on disk: customer, day, amount, order, category, channel, member level, score,
/// and its flags — whether its date was read while the date order was open ([`UNDECIDED`]), whether
/// a comment follows ([`COMMENTED`]: its length in 4 bytes, then its text).
const RECORD: usize = 4 + 4 + 8 + 8 + 4 + 4 + 4 + 1 + 1;
const UNDECIDED: u8 = 1;
const COMMENTED: u8 = 2;

/// A row as it is put aside (its comment's length and text follow it where it has one).
fn encode(row: &SpilledRow, undecided: bool, comment: Option<&str>) -> [u8; RECORD] {
    let mut record = [0u8; RECORD];
    record[0..4].copy_from_slice(&row.customer.to_le_bytes());
    record[4..8].copy_from_slice(&row.day.to_le_bytes());
    record[8..16].copy_from_slice(&row.amount.to_bits().to_le_bytes());
    record[16..24].copy_from_slice(&row.order.to_le_bytes());
    record[24..28].copy_from_slice(&row.category.to_le_bytes());
    record[28..32].copy_from_slice(&row.channel.to_le_bytes());
    record[32..36].copy_from_slice(&row.level.to_le_bytes());
    record[36] = row.score;
    record[37] = if undecided { UNDECIDED } else { 0 } | if comment.is_some() { COMMENTED } else { 0 };
    record
}

/// Writes a row, and its comment where it has one, to a bucket.
fn write_row(out: &mut impl Write, row: &SpilledRow, undecided: bool, comment: Option<&str>) -> io::Result<()> {
    out.write_all(&encode(row, undecided, comment))?;
    if let Some(text) = comment {
        let length = u32::try_from(text.len()).map_err(|_| io::Error::other("a comment of over 4 GB"))?;
        out.write_all(&length.to_le_bytes())?;
        out.write_all(text.as_bytes())?;
    }
    Ok(())
}

/// A bucket's rows: written while the file is read, then read back as often as needed.
struct Bucket {
    out: BufWriter<Box<dyn Scratch>>,
    rows: u64,
}

/// The rows of a file put aside by customer: customers `k · per_bucket ..` in bucket `k`, in the
/// order they were read, anonymous rows in a bucket of their own after the others.
pub struct Spill {
    /// None: the rows are counted, not put aside ([`Spill::counting`]).
    make: Option<MakeScratch>,
    /// The dataset's totals, counted as the rows pass.
    counting: Option<Counting>,
    per_bucket: u32,
    chunk: usize,
    buckets: Vec<Option<Bucket>>,
    anonymous: Option<Bucket>,
    rows: u64,
    /// The latest day of the rows read as they are, of those read month first while the date
    /// order was open, and of the same read day first.
    latest: Option<Day>,
    latest_open: Option<Day>,
    latest_open_swapped: Option<Day>,
    /// The dates read while the order was open are read day first ([`Spill::settle_dates`]).
    swap: bool,
    /// The first failure to write: nothing more is written after it.
    error: Option<io::Error>,
    /// Whether survey answers (scores, comments) are put aside with their rows.
    answers: bool,
}

impl std::fmt::Debug for Spill {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spill").field("rows", &self.rows).field("buckets", &self.buckets()).finish_non_exhaustive()
    }
}

impl Spill {
    /// A spill into scratch spaces from `make`, `per_bucket` customers a bucket, taking the
    /// dataset's rows whenever it holds `chunk` of them.
    pub fn new(make: MakeScratch, per_bucket: u32, chunk: usize) -> Self {
        Self::with(Some(make), None, per_bucket, chunk)
    }

    fn with(make: Option<MakeScratch>, counting: Option<Counting>, per_bucket: u32, chunk: usize) -> Self {
        Self {
            make,
            counting,
            per_bucket: per_bucket.max(1),
            chunk: chunk.max(1),
            buckets: Vec::new(),
            anonymous: None,
            rows: 0,
            latest: None,
            latest_open: None,
            latest_open_swapped: None,
            swap: false,
            error: None,
            answers: false,
        }
    }

    /// The spill putting aside each row's survey answer too (its score and comment): what the
    /// facts file needs and the facts do not.
    pub fn with_answers(mut self) -> Self {
        self.answers = true;
        self
    }

    /// Whether the rows' survey answers are put aside ([`Spill::with_answers`]).
    pub fn keeps_answers(&self) -> bool {
        self.answers
    }

    /// A spill that puts nothing aside but counts the dataset's totals as the rows pass, taking
    /// them whenever the dataset holds `chunk`: for a report of a file whose rows are not needed.
    /// A file read in parts has one for each reader, the first adding the others' ([`Spill::append`]).
    pub fn counting(chunk: usize) -> Self {
        Self::with(None, Some(Counting::default()), 1, chunk)
    }

    /// The totals counted ([`Spill::counting`]), taken out.
    pub fn take_counting(&mut self) -> Option<Counting> {
        self.counting.take()
    }

    /// Rows a dataset holds before they are put aside.
    pub fn chunk(&self) -> usize {
        self.chunk
    }

    /// Rows put aside (none where the spill only counts: its [`Counting`] has the rows).
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Puts aside every row of `ds` (its customer codes interned); `open` lists, in ascending
    /// order, the rows whose dates were read month first while the date order was open.
    pub fn take(&mut self, ds: &Dataset, open: &[u32]) {
        if let Some(counting) = self.counting.as_mut() {
            counting.take(ds, open);
        }
        if self.make.is_none() {
            return;
        }
        let (days, amounts) = (ds.day.as_deref(), ds.amount.as_deref());
        let orders = ds.order.as_ref().map(|o| o.keys.as_slice());
        let (categories, channels, levels) = (codes_of(&ds.category), codes_of(&ds.channel), codes_of(&ds.member_level));
        let mut open = open.iter().peekable();
        let answers = self.answers;
        let scores = ds.score.as_deref().filter(|_| answers);
        // By row, as the dataset keeps them.
        let mut comments = ds.comments.iter().flatten().filter(|_| answers).peekable();
        for (i, &customer) in ds.customer.iter().enumerate() {
            let row = SpilledRow {
                customer,
                day: days.map_or(0, |d| d[i]),
                amount: amounts.map_or(0.0, |a| a[i]),
                order: orders.map_or(NO_ORDER, |o| o[i]),
                category: categories.map_or(MISSING, |c| c[i]),
                channel: channels.map_or(MISSING, |c| c[i]),
                level: levels.map_or(MISSING, |c| c[i]),
                score: scores.map_or(NO_SCORE, |s| s[i]),
            };
            let undecided = open.next_if(|&&k| k as usize == i).is_some();
            let comment = comments.next_if(|c| c.0 as usize == i).map(|c| c.1.as_str());
            self.put(&row, undecided, comment);
        }
    }

    /// Puts aside every row of `other` (the rows of a later part of the file, read by another
    /// reader whose labels were then added to this reader's), its codes mapped by `customers` and
    /// `coded` (channels, categories, member levels: a part's code → this reader's), after the rows put aside so
    /// far. Each customer's rows stay in the file's order: theirs in `other` come from one bucket,
    /// in the order they were read. Where the spills count, what `other` counted is added (its
    /// orders customer-days when `by_day`).
    ///
    /// # Errors
    /// When `other` cannot be read back.
    pub fn append(
        &mut self,
        other: &mut Spill,
        customers: &[u32],
        [channels, categories, levels]: &[Vec<u32>; 3],
        by_day: bool,
    ) -> io::Result<()> {
        if let (Some(mine), Some(theirs)) = (self.counting.as_mut(), other.counting.take()) {
            mine.absorb(theirs, customers, by_day);
        }
        if other.make.is_none() {
            return Ok(());
        }
        other.finish()?;
        for mut bucket in other.each_bucket() {
            bucket.read_raw(&mut |row, undecided, comment| {
                let row = SpilledRow {
                    customer: recode(customers, row.customer),
                    channel: recode(channels, row.channel),
                    category: recode(categories, row.category),
                    level: recode(levels, row.level),
                    ..row
                };
                self.put(&row, undecided, comment);
            })?;
        }
        Ok(())
    }

    /// Puts one row aside.
    fn put(&mut self, row: &SpilledRow, undecided: bool, comment: Option<&str>) {
        if undecided {
            self.latest_open = self.latest_open.max(Some(row.day));
            self.latest_open_swapped = self.latest_open_swapped.max(Some(swap_day_month(row.day)));
        } else {
            self.latest = self.latest.max(Some(row.day));
        }
        self.write(row, undecided, comment);
    }

    fn write(&mut self, row: &SpilledRow, undecided: bool, comment: Option<&str>) {
        if self.error.is_some() {
            return;
        }
        let written = self.bucket_for(row.customer).and_then(|b| {
            b.rows += 1;
            write_row(&mut b.out, row, undecided, comment)
        });
        match written {
            Ok(()) => self.rows += 1,
            Err(e) => self.error = Some(e),
        }
    }

    /// The bucket of customer code `customer`, made when it is first needed.
    fn bucket_for(&mut self, customer: u32) -> io::Result<&mut Bucket> {
        let slot = if customer == MISSING {
            &mut self.anonymous
        } else {
            let k = (customer / self.per_bucket) as usize;
            if self.buckets.len() <= k {
                self.buckets.resize_with(k + 1, || None);
            }
            &mut self.buckets[k]
        };
        if slot.is_none() {
            let make = self.make.as_mut().ok_or_else(|| io::Error::other("the rows are counted, not put aside"))?;
            *slot = Some(Bucket { out: BufWriter::with_capacity(1 << 16, make()?), rows: 0 });
        }
        slot.as_mut().ok_or_else(|| io::Error::other("bucket"))
    }

    /// Whether the dates read while the date order was open are read day first, as the rest of
    /// the file settled it.
    pub fn settle_dates(&mut self, day_first: bool) {
        self.swap = day_first;
    }

    /// The latest day of any row put aside (its date order settled).
    pub fn latest_day(&self) -> Option<Day> {
        self.latest.max(if self.swap { self.latest_open_swapped } else { self.latest_open })
    }

    /// Ends the writing: every bucket's rows written out, or the first failure to write.
    ///
    /// # Errors
    /// The first write that failed, or the flush that does.
    pub fn finish(&mut self) -> io::Result<()> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        for b in self.buckets.iter_mut().flatten().chain(self.anonymous.as_mut()) {
            b.out.flush()?;
        }
        Ok(())
    }

    /// How many buckets there are: those of customer codes, then the anonymous rows' (last).
    pub fn buckets(&self) -> usize {
        self.buckets.len() + 1
    }

    /// Every bucket, to be read back on its own (on several threads), in order (after
    /// [`Spill::finish`]).
    pub fn each_bucket(&mut self) -> Vec<BucketRows<'_>> {
        self.each_bucket_and_maker().0
    }

    /// [`Spill::each_bucket`], and what makes scratch spaces ([`BucketRows::cut`]; none where the
    /// spill only counts).
    pub fn each_bucket_and_maker(&mut self) -> (Vec<BucketRows<'_>>, Option<&mut MakeScratch>) {
        let (swap, per_bucket) = (self.swap, self.per_bucket);
        let codes = |k: usize| {
            let first = k as u32 * per_bucket;
            first..=first.saturating_add(per_bucket - 1)
        };
        let mut all: Vec<BucketRows<'_>> =
            self.buckets.iter_mut().enumerate().map(|(k, b)| BucketRows { bucket: b.as_mut(), codes: codes(k), swap }).collect();
        all.push(BucketRows { bucket: self.anonymous.as_mut(), codes: MISSING..=MISSING, swap });
        (all, self.make.as_mut())
    }
}

/// A run of a bucket's customers cut out into a scratch space of its own ([`BucketRows::cut`]).
pub struct Piece {
    bucket: Bucket,
    codes: std::ops::RangeInclusive<u32>,
    swap: bool,
}

impl Piece {
    /// The piece's rows, to be read back.
    pub fn rows(&mut self) -> BucketRows<'_> {
        BucketRows { bucket: Some(&mut self.bucket), codes: self.codes.clone(), swap: self.swap }
    }
}

/// One bucket of a [`Spill`], read back on its own.
pub struct BucketRows<'s> {
    bucket: Option<&'s mut Bucket>,
    codes: std::ops::RangeInclusive<u32>,
    swap: bool,
}

impl BucketRows<'_> {
    /// The customer codes of the bucket (`MISSING..=MISSING` for the anonymous rows').
    pub fn codes(&self) -> std::ops::RangeInclusive<u32> {
        self.codes.clone()
    }

    /// Rows in the bucket.
    pub fn rows(&self) -> u64 {
        self.bucket.as_ref().map_or(0, |b| b.rows)
    }

    /// Reads the rows back, in the order they were put aside, their dates as the file settled them.
    ///
    /// # Errors
    /// When the scratch space cannot be read.
    pub fn read(&mut self, each: &mut dyn FnMut(SpilledRow)) -> io::Result<()> {
        self.read_answered(&mut |row, _| each(row))
    }

    /// [`BucketRows::read`], with each row's comment.
    ///
    /// # Errors
    /// When the scratch space cannot be read.
    pub fn read_answered(&mut self, each: &mut dyn FnMut(SpilledRow, Option<&str>)) -> io::Result<()> {
        let swap = self.swap;
        self.read_raw(&mut |row, undecided, comment| {
            each(if swap && undecided { SpilledRow { day: swap_day_month(row.day), ..row } } else { row }, comment)
        })
    }

    /// Cuts the rows into a piece for each of `runs` (runs of the bucket's codes, in order, that
    /// cover them all), each in a scratch space from `make`, in one reading: a bucket too big to
    /// gather at once is then read a piece at a time, rather than whole for each run.
    ///
    /// # Errors
    /// When the bucket cannot be read or a piece written.
    pub fn cut(
        &mut self,
        runs: &[std::ops::RangeInclusive<u32>],
        make: &mut dyn FnMut() -> io::Result<Box<dyn Scratch>>,
    ) -> io::Result<Vec<Piece>> {
        let mut pieces = Vec::with_capacity(runs.len());
        for codes in runs {
            let out = BufWriter::with_capacity(1 << 16, make()?);
            pieces.push(Piece { bucket: Bucket { out, rows: 0 }, codes: codes.clone(), swap: self.swap });
        }
        let mut failed = None;
        self.read_raw(&mut |row, undecided, comment| {
            if failed.is_some() {
                return;
            }
            let k = runs.partition_point(|codes| *codes.end() < row.customer);
            if let Some(piece) = pieces.get_mut(k) {
                piece.bucket.rows += 1;
                if let Err(e) = write_row(&mut piece.bucket.out, &row, undecided, comment) {
                    failed = Some(e);
                }
            }
        })?;
        if let Some(e) = failed {
            return Err(e);
        }
        for piece in &mut pieces {
            piece.bucket.out.flush()?;
        }
        Ok(pieces)
    }

    /// The rows as they were put aside, each with whether its date was read while the date order
    /// was open, and its comment.
    fn read_raw(&mut self, each: &mut dyn FnMut(SpilledRow, bool, Option<&str>)) -> io::Result<()> {
        let Some(bucket) = self.bucket.as_mut() else { return Ok(()) };
        let rows = bucket.rows;
        let scratch = bucket.out.get_mut();
        scratch.seek(SeekFrom::Start(0))?;
        let mut input = BufReader::with_capacity(1 << 16, scratch);
        let mut record = [0u8; RECORD];
        let mut comment = Vec::new();
        let word = |r: &[u8; RECORD], at: usize| u32::from_le_bytes([r[at], r[at + 1], r[at + 2], r[at + 3]]);
        let long = |r: &[u8; RECORD], at: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&r[at..at + 8]);
            u64::from_le_bytes(b)
        };
        for _ in 0..rows {
            input.read_exact(&mut record)?;
            let row = SpilledRow {
                customer: word(&record, 0),
                day: word(&record, 4) as Day,
                amount: f64::from_bits(long(&record, 8)),
                order: long(&record, 16),
                category: word(&record, 24),
                channel: word(&record, 28),
                level: word(&record, 32),
                score: record[36],
            };
            let flags = record[37];
            let text = if flags & COMMENTED != 0 {
                let mut length = [0u8; 4];
                input.read_exact(&mut length)?;
                comment.resize(u32::from_le_bytes(length) as usize, 0);
                input.read_exact(&mut comment)?;
                Some(std::str::from_utf8(&comment).map_err(io::Error::other)?)
            } else {
                None
            };
            each(row, flags & UNDECIDED != 0, text);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::dataset::{Categorical, OrderIds};
    use crate::core::ingest::testing::in_memory;
    use crate::core::values::day_from_ymd;

    #[test]
    fn rows_come_back_by_bucket_in_the_order_they_were_put_aside_with_open_dates_settled() {
        let day = |m, d| day_from_ymd(2024, m, d).unwrap();
        let mut spill = Spill::new(in_memory(), 2, 3);
        // Customers 0..5 and an anonymous row; rows 1 and 3 of the first chunk were read month first.
        type Rows<'a> = &'a [(u32, Day, f64, &'a str, &'a str)];
        let chunks: [Rows; 2] = [
            &[
                (0, day(1, 5), 10.0, "o1", "a"),
                (3, day(2, 3), -0.0, "", "b"),
                (4, day(3, 1), 2.5, "o2", ""),
                (MISSING, day(7, 12), 1.0, "", "a"),
            ],
            &[(1, day(1, 2), 7.0, "o3", "b"), (0, day(6, 30), 3.0, "o1", "")],
        ];
        let opens: [&[u32]; 2] = [&[1, 3], &[]];
        // One dataset, emptied after each chunk as the reader does: its labels stay.
        let mut ds = Dataset {
            day: Some(Vec::new()),
            amount: Some(Vec::new()),
            order: Some(OrderIds::default()),
            category: Some(Categorical::default()),
            ..Dataset::default()
        };
        for (rows, open) in chunks.into_iter().zip(opens) {
            for &(c, d, a, o, cat) in rows {
                ds.customer.push(c);
                ds.day.as_mut().unwrap().push(d);
                ds.amount.as_mut().unwrap().push(a);
                ds.order.as_mut().unwrap().push(o);
                ds.category.as_mut().unwrap().push(cat);
            }
            spill.take(&ds, open);
            ds.customer.clear();
            ds.day.as_mut().unwrap().clear();
            ds.amount.as_mut().unwrap().clear();
            ds.order.as_mut().unwrap().keys.clear();
            ds.category.as_mut().unwrap().codes.clear();
        }
        spill.finish().unwrap();
        assert_eq!(spill.rows(), 6);
        // Buckets: codes 0–1, 2–3, 4–5, and the anonymous rows'.
        assert_eq!(spill.buckets(), 4);
        let buckets = spill.each_bucket();
        assert_eq!((buckets[1].codes(), buckets[3].codes()), (2..=3, MISSING..=MISSING));
        assert_eq!(buckets.iter().map(BucketRows::rows).collect::<Vec<_>>(), [3, 1, 1, 1]);
        // Month first, the latest day is the open 12 July; read day first, 7 December.
        assert_eq!(spill.latest_day(), Some(day(7, 12)));
        spill.settle_dates(true);
        assert_eq!(spill.latest_day(), Some(day(12, 7)));
        let mut got = Vec::new();
        for mut bucket in spill.each_bucket() {
            bucket.read(&mut |r| got.push((r.customer, r.day, r.amount.to_bits(), r.order == NO_ORDER, r.category))).unwrap();
        }
        let expected = vec![
            (0, day(1, 5), 10f64.to_bits(), false, 0),
            (1, day(1, 2), 7f64.to_bits(), false, 1),
            (0, day(6, 30), 3f64.to_bits(), false, MISSING),
            (3, day(3, 2), (-0f64).to_bits(), true, 1),
            (4, day(3, 1), 2.5f64.to_bits(), false, MISSING),
            (MISSING, day(12, 7), 1f64.to_bits(), true, 0),
        ];
        assert_eq!(got, expected);
        // Read again, month first: the same rows, the open dates as they were read.
        spill.settle_dates(false);
        let mut again = Vec::new();
        spill.each_bucket()[1].read(&mut |r| again.push(r.day)).unwrap();
        assert_eq!(again, [day(2, 3)]);
    }

    #[test]
    fn levels_and_answers_come_back_with_their_rows_and_a_parts_codes_are_made_the_firsts() {
        let day = day_from_ymd(2024, 5, 1).unwrap();
        let mut ds = Dataset {
            customer: vec![0, 1, 0],
            day: Some(vec![day; 3]),
            amount: Some(vec![1.0, 2.0, 3.0]),
            member_level: Some(Categorical::default()),
            score: Some(vec![9, NO_SCORE, NO_SCORE]),
            // By row; an empty comment is a comment.
            comments: Some(vec![(1, "好, \"慢\"\n".into()), (2, String::new())]),
            ..Dataset::default()
        };
        for level in ["金卡", "", "银卡"] {
            ds.member_level.as_mut().unwrap().push(level);
        }
        // Put aside without them, the answers are not kept.
        let mut plain = Spill::new(in_memory(), 8, 100);
        plain.take(&ds, &[]);
        plain.finish().unwrap();
        let mut scores = Vec::new();
        plain.each_bucket()[0].read_answered(&mut |r, comment| scores.push((r.score, comment.is_some()))).unwrap();
        assert_eq!(scores, [(NO_SCORE, false); 3]);
        let mut spill = Spill::new(in_memory(), 8, 100).with_answers();
        spill.take(&ds, &[]);
        // Another reader's part: its customers 0 and 1 are this reader's 1 and 0, its levels 0 and
        // 1 this reader's 5 and 6.
        let mut part = Spill::new(in_memory(), 8, 100).with_answers();
        part.take(&ds, &[]);
        spill.append(&mut part, &[1, 0], &[Vec::new(), Vec::new(), vec![5, 6]], false).unwrap();
        spill.finish().unwrap();
        let mut got = Vec::new();
        for mut bucket in spill.each_bucket() {
            bucket.read_answered(&mut |r, comment| got.push((r.customer, r.level, r.score, comment.map(String::from)))).unwrap();
        }
        let said = Some("好, \"慢\"\n".to_string());
        let expected = vec![
            (0, 0, 9, None),
            (1, MISSING, NO_SCORE, said.clone()),
            (0, 1, NO_SCORE, Some(String::new())),
            (1, 5, 9, None),
            (0, MISSING, NO_SCORE, said),
            (1, 6, NO_SCORE, Some(String::new())),
        ];
        assert_eq!(got, expected);
    }

    #[test]
    fn a_failed_write_is_reported_and_nothing_more_is_written() {
        struct Full;
        impl Read for Full {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Ok(0)
            }
        }
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        impl Seek for Full {
            fn seek(&mut self, _: SeekFrom) -> io::Result<u64> {
                Ok(0)
            }
        }
        let mut spill = Spill::new(Box::new(|| Ok(Box::new(Full) as Box<dyn Scratch>)), 4, 1);
        let ds = Dataset { customer: vec![0; 5000], day: Some(vec![0; 5000]), ..Dataset::default() };
        spill.take(&ds, &[]);
        assert!(spill.rows() < 5000);
        assert_eq!(spill.finish().map_err(|e| e.kind()), Err(io::ErrorKind::StorageFull));
    }
}
