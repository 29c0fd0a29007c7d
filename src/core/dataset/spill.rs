//! Rows put aside as a file is read, in buckets of customers, and read back a bucket at a time: a
//! file of any length is then analysed in the memory its customers take, not its rows. What each
//! customer's facts read is kept (day, amount, order, category, channel); the other columns are
//! not. Natively the buckets are temporary files (the CLI's `rfm` on a big file); tests keep them
//! in memory.

use super::totals::Counting;
use super::{recode, Dataset, MISSING, NO_ORDER};
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
}

/// Bytes of a row on disk: customer, day, amount, order, category, channel, and whether its date
/// was read while the date order was open.
const RECORD: usize = 4 + 4 + 8 + 8 + 4 + 4 + 1;

/// A row as it is put aside.
fn encode(row: &SpilledRow, undecided: bool) -> [u8; RECORD] {
    let mut record = [0u8; RECORD];
    record[0..4].copy_from_slice(&row.customer.to_le_bytes());
    record[4..8].copy_from_slice(&row.day.to_le_bytes());
    record[8..16].copy_from_slice(&row.amount.to_bits().to_le_bytes());
    record[16..24].copy_from_slice(&row.order.to_le_bytes());
    record[24..28].copy_from_slice(&row.category.to_le_bytes());
    record[28..32].copy_from_slice(&row.channel.to_le_bytes());
    record[32] = u8::from(undecided);
    record
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
        }
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
        let (categories, channels) = (ds.category.as_ref().map(|c| &c.codes[..]), ds.channel.as_ref().map(|c| &c.codes[..]));
        let mut open = open.iter().peekable();
        for (i, &customer) in ds.customer.iter().enumerate() {
            let row = SpilledRow {
                customer,
                day: days.map_or(0, |d| d[i]),
                amount: amounts.map_or(0.0, |a| a[i]),
                order: orders.map_or(NO_ORDER, |o| o[i]),
                category: categories.map_or(MISSING, |c| c[i]),
                channel: channels.map_or(MISSING, |c| c[i]),
            };
            let undecided = open.next_if(|&&k| k as usize == i).is_some();
            self.put(&row, undecided);
        }
    }

    /// Puts aside every row of `other` (the rows of a later part of the file, read by another
    /// reader whose labels were then added to this reader's), its codes mapped by `customers`,
    /// `channels` and `categories` (a part's code → this reader's), after the rows put aside so
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
        channels: &[u32],
        categories: &[u32],
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
            bucket.read_raw(&mut |row, undecided| {
                let row = SpilledRow {
                    customer: recode(customers, row.customer),
                    channel: recode(channels, row.channel),
                    category: recode(categories, row.category),
                    ..row
                };
                self.put(&row, undecided);
            })?;
        }
        Ok(())
    }

    /// Puts one row aside.
    fn put(&mut self, row: &SpilledRow, undecided: bool) {
        if undecided {
            self.latest_open = self.latest_open.max(Some(row.day));
            self.latest_open_swapped = self.latest_open_swapped.max(Some(swap_day_month(row.day)));
        } else {
            self.latest = self.latest.max(Some(row.day));
        }
        self.write(row, undecided);
    }

    fn write(&mut self, row: &SpilledRow, undecided: bool) {
        if self.error.is_some() {
            return;
        }
        let record = encode(row, undecided);
        let written = self.bucket_for(row.customer).and_then(|b| {
            b.rows += 1;
            b.out.write_all(&record)
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
        let swap = self.swap;
        self.read_raw(&mut |row, undecided| {
            each(if swap && undecided { SpilledRow { day: swap_day_month(row.day), ..row } } else { row })
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
        self.read_raw(&mut |row, undecided| {
            if failed.is_some() {
                return;
            }
            let k = runs.partition_point(|codes| *codes.end() < row.customer);
            if let Some(piece) = pieces.get_mut(k) {
                piece.bucket.rows += 1;
                if let Err(e) = piece.bucket.out.write_all(&encode(&row, undecided)) {
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
    /// was open.
    fn read_raw(&mut self, each: &mut dyn FnMut(SpilledRow, bool)) -> io::Result<()> {
        let Some(bucket) = self.bucket.as_mut() else { return Ok(()) };
        let rows = bucket.rows;
        let scratch = bucket.out.get_mut();
        scratch.seek(SeekFrom::Start(0))?;
        let mut input = BufReader::with_capacity(1 << 16, scratch);
        let mut record = [0u8; RECORD];
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
            };
            each(row, record[32] == 1);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::dataset::{Categorical, OrderIds};
    use crate::core::values::day_from_ymd;

    fn in_memory() -> MakeScratch {
        Box::new(|| Ok(Box::new(io::Cursor::new(Vec::new())) as Box<dyn Scratch>))
    }

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
