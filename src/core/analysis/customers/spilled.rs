//! Facts from rows put aside ([`Spill`]): each customer's facts computed as [`facts`] computes them
//! — the same rows, in the same (customer, day, row) order, through the same rules — a bucket of
//! customers at a time, of which only what the caller keeps stays: neither the rows nor the whole
//! facts are all held at once.

use super::*;
use crate::core::dataset::spill::{BucketRows, MakeScratch, Spill, SpilledRow};
use std::io;

/// What was found besides each customer's facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpilledFacts {
    pub as_of: Day,
    /// Rows dated after the as-of date, left out.
    pub rows_after_as_of: usize,
    /// Whether the file has amounts (see [`Facts::amounts`]).
    pub amounts: bool,
}

/// What is kept of each customer: made of their facts, their rows (in (day, row) order) and those
/// of them with a survey answer.
pub type Keep<'k, T> = dyn Fn(CustomerFacts, &[Row], &[Answer<'_>]) -> T + Sync + 'k;

/// Rows of a bucket gathered at a time, at most (a bucket with more is read again for each run
/// of its customers; one customer's rows are always gathered together).
pub const SPILL_GATHER_ROWS: usize = 2 << 20;

/// Each customer's facts, as `keep` keeps them, in the order [`facts`] lists them (by customer
/// code, the anonymous rows last), for the rows put aside in `spill` of a file whose labels and
/// mapped roles `dataset` holds ([`crate::core::ingest::SpilledRead`]). The buckets are read back
/// on up to `threads` threads, a bucket at a time each.
///
/// # Errors
/// The outer error when the rows cannot be read back; the inner one as [`facts`] refuses.
pub fn spilled_facts<T: Send>(
    dataset: &Dataset,
    spill: &mut Spill,
    as_of: Option<Day>,
    gather: usize,
    threads: usize,
    keep: &Keep<'_, T>,
) -> io::Result<Result<(SpilledFacts, Vec<T>), FactsError>> {
    let mut kept = Vec::new();
    let found = each_bucket_facts(dataset, spill, as_of, gather, threads, keep, &mut |bucket| {
        kept.extend(bucket);
        Ok(())
    })?;
    Ok(found.and_then(|found| if kept.is_empty() { Err(FactsError::NoRows) } else { Ok((found, kept)) }))
}

/// [`spilled_facts`], each bucket's kept facts handed to `emit` in the buckets' order as soon as
/// those before it have been (only the buckets being computed, and those done before their turn,
/// are held), `keep` given each customer's facts and rows (in (day, row) order).
///
/// # Errors
/// As [`spilled_facts`]; the outer error also when `emit` fails (nothing more is emitted then). A
/// file whose rows are all after the as-of date emits nothing and is not an error here.
pub fn each_bucket_facts<T: Send>(
    dataset: &Dataset,
    spill: &mut Spill,
    as_of: Option<Day>,
    gather: usize,
    threads: usize,
    keep: &Keep<'_, T>,
    emit: &mut (dyn FnMut(Vec<T>) -> io::Result<()> + Send),
) -> io::Result<Result<SpilledFacts, FactsError>> {
    use std::sync::{Mutex, PoisonError};
    if dataset.day.is_none() {
        return Ok(Err(FactsError::NoDates));
    }
    if let Err(e) = purchases(dataset) {
        return Ok(Err(e));
    }
    if spill.rows() == 0 {
        return Ok(Err(FactsError::NothingRead));
    }
    let Some(as_of) = as_of.or_else(|| spill.latest_day().map(|d| d + 1)) else { return Ok(Err(FactsError::NoRows)) };
    let rules = Rules::of(dataset, as_of);
    let (buckets, make) = spill.each_bucket_and_maker();
    let buckets: Vec<Mutex<BucketRows<'_>>> = buckets.into_iter().map(Mutex::new).collect();
    let make = make.map(Mutex::new);
    // Each bucket's kept facts and rows after the as-of date, until its turn to be emitted.
    let done: Vec<Mutex<Option<BucketResult<T>>>> = buckets.iter().map(|_| Mutex::new(None)).collect();
    // The next bucket to emit, the rows after the as-of date so far, and the first failure.
    let emitted = Mutex::new((0usize, 0usize, None::<io::Error>, emit));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut scratch = Scratch::default();
        loop {
            let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(bucket) = buckets.get(k) else { break };
            let mut bucket = bucket.lock().unwrap_or_else(PoisonError::into_inner);
            let result = bucket_facts(&mut bucket, rules, gather.max(1), &mut scratch, keep, make.as_ref());
            *done[k].lock().unwrap_or_else(PoisonError::into_inner) = Some(result);
            let mut guard = emitted.lock().unwrap_or_else(PoisonError::into_inner);
            let (turn, after, failed, emit) = &mut *guard;
            while let Some(result) = done.get(*turn).and_then(|d| d.lock().unwrap_or_else(PoisonError::into_inner).take()) {
                *turn += 1;
                let result = result.and_then(|(facts, rows_after)| {
                    *after += rows_after;
                    if failed.is_none() {
                        emit(facts)
                    } else {
                        Ok(())
                    }
                });
                if let Err(e) = result {
                    failed.get_or_insert(e);
                }
            }
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..threads.clamp(1, buckets.len()) {
            scope.spawn(work);
        }
        work();
    });
    let (turn, rows_after_as_of, failed, _) = emitted.into_inner().unwrap_or_else(PoisonError::into_inner);
    if let Some(e) = failed {
        return Err(e);
    }
    if turn < done.len() {
        return Err(io::Error::other("a bucket of rows was not read back"));
    }
    Ok(Ok(SpilledFacts { as_of, rows_after_as_of, amounts: dataset.amount.is_some() }))
}

/// What [`bucket_facts`] gives.
type BucketResult<T> = io::Result<(Vec<T>, usize)>;

/// The facts of one bucket's customers, as `keep` keeps them, and its rows after the as-of date.
/// A bucket of more rows than are gathered at once is read a run of customers at a time: cut into
/// a piece a run first (with a scratch space from `make` for each) where it has more than two.
fn bucket_facts<T>(
    bucket: &mut BucketRows<'_>,
    rules: Rules<'_>,
    gather: usize,
    scratch: &mut Scratch,
    keep: &Keep<'_, T>,
    make: Option<&std::sync::Mutex<&mut MakeScratch>>,
) -> BucketResult<T> {
    let runs = runs(bucket, gather)?;
    let mut found = (Vec::new(), 0);
    match make {
        Some(make) if runs.len() > 2 => {
            let mut make = || (make.lock().unwrap_or_else(std::sync::PoisonError::into_inner))();
            for mut piece in bucket.cut(&runs, &mut make)? {
                let mut rows = piece.rows();
                let codes = rows.codes();
                run_facts(&mut rows, codes, rules, scratch, keep, &mut found)?;
            }
        }
        _ => {
            for codes in runs {
                run_facts(bucket, codes, rules, scratch, keep, &mut found)?;
            }
        }
    }
    Ok(found)
}

/// Adds the facts of the customers `codes` of `bucket`, as `keep` keeps them, and their rows
/// after the as-of date, to `found`.
fn run_facts<T>(
    bucket: &mut BucketRows<'_>,
    codes: std::ops::RangeInclusive<u32>,
    rules: Rules<'_>,
    scratch: &mut Scratch,
    keep: &Keep<'_, T>,
    (kept, after): &mut (Vec<T>, usize),
) -> io::Result<()> {
    let mut pending = Vec::new();
    // The rows with a survey answer, by customer (they are few): (customer, row, score, comment).
    let mut answered: Vec<(u32, Row, u8, Option<String>)> = Vec::new();
    bucket.read_answered(&mut |r: SpilledRow, comment| {
        if codes.contains(&r.customer) {
            if r.day > rules.as_of {
                *after += 1;
            } else {
                let row = Row {
                    day: r.day,
                    amount: r.amount,
                    order: r.order,
                    category: r.category,
                    channel: r.channel,
                    level: r.level,
                };
                pending.push((r.customer, row));
                if r.score != NO_SCORE || comment.is_some() {
                    answered.push((r.customer, row, r.score, comment.map(String::from)));
                }
            }
        }
    })?;
    answered.sort_by_key(|a| a.0);
    let mut answers = answered.iter().peekable();
    let mut theirs = Vec::new();
    // By customer (a counting pass and a scattering pass, the rows of each in the order they
    // were read), then each customer's by day: the order `Input::gather` makes.
    let first = *codes.start();
    let mut starts = vec![0usize; (*codes.end() - first) as usize + 2];
    for (c, _) in &pending {
        starts[(c - first) as usize + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut next = starts.clone();
    let mut sorted = vec![Row::default(); pending.len()];
    for &(c, row) in &pending {
        let at = &mut next[(c - first) as usize];
        sorted[*at] = row;
        *at += 1;
    }
    drop(pending);
    for (i, w) in starts.windows(2).enumerate() {
        let group = &mut sorted[w[0]..w[1]];
        if !group.is_empty() {
            group.sort_by_key(|r| r.day);
            let code = first + i as u32;
            theirs.clear();
            while let Some((_, row, score, comment)) = answers.next_if(|a| a.0 == code) {
                theirs.push(Answer { row: *row, score: *score, comment: comment.as_deref() });
            }
            kept.push(keep(rules.customer(code, group, scratch), group, &theirs));
        }
    }
    Ok(())
}

/// The runs of a bucket's customer codes whose rows are gathered together: the whole bucket when
/// its rows are at most `gather`, else runs of about `gather` rows (counted in a first reading).
fn runs(bucket: &mut BucketRows<'_>, gather: usize) -> io::Result<Vec<std::ops::RangeInclusive<u32>>> {
    let codes = bucket.codes();
    if bucket.rows() as usize <= gather || codes.start() == codes.end() {
        return Ok(vec![codes]);
    }
    let first = *codes.start();
    let mut counts = vec![0usize; (*codes.end() - first) as usize + 1];
    bucket.read(&mut |r| counts[(r.customer - first) as usize] += 1)?;
    let mut runs = Vec::new();
    let (mut from, mut rows) = (0usize, 0usize);
    for (i, &n) in counts.iter().enumerate() {
        if rows > 0 && rows + n > gather {
            runs.push(first + from as u32..=first + i as u32 - 1);
            (from, rows) = (i, 0);
        }
        rows += n;
    }
    runs.push(first + from as u32..=*codes.end());
    Ok(runs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ingest::testing::{fixture_files, in_memory, random_file, read_aside};
    use crate::core::ingest::{ingest, IngestOptions};

    /// How a file is read with its rows put aside: rows held before they are put aside, customers
    /// a bucket, rows gathered, threads computing facts, and the split — where the first reader
    /// stops (a share of the file) and how many readers read the rest (none: not split).
    type Sizes = (usize, u32, usize, usize, Option<(f64, usize)>);

    /// The facts of `bytes` read with its rows put aside as `sizes` says, as [`facts`] gives
    /// them; `None` where the file does not stream.
    fn spilled(bytes: &[u8], as_of: Option<Day>, sizes: Sizes) -> Option<Result<Facts, String>> {
        let (chunk, per_bucket, gather, threads, split) = sizes;
        let new_spill = || Spill::new(in_memory(), per_bucket, chunk);
        let mut read = match read_aside(bytes, &new_spill, split)? {
            Ok(read) => read,
            Err(e) => return Some(Err(e.to_string())),
        };
        let found = spilled_facts(&read.dataset, &mut read.spill, as_of, gather, threads, &|f, _, _| f).unwrap();
        Some(found.map_err(|e| e.to_string()).map(|(f, customers)| Facts {
            as_of: f.as_of,
            customers,
            rows_after_as_of: f.rows_after_as_of,
            amounts: f.amounts,
        }))
    }

    /// The facts of `bytes` read whole, rows held.
    fn held(bytes: &[u8], as_of: Option<Day>) -> Result<Facts, String> {
        let ingested = ingest(bytes, "f.csv", &IngestOptions::default(), &mut |_, _| {}).map_err(|e| e.to_string())?;
        facts(&ingested.dataset, as_of).map_err(|e| e.to_string())
    }

    #[test]
    fn every_fixture_that_streams_has_the_same_facts_with_its_rows_put_aside() {
        let mut compared = 0;
        let sizes: [Sizes; 5] = [
            (1 << 20, 1 << 18, SPILL_GATHER_ROWS, 2, None),
            (7, 3, 5, 3, None),
            (1, 1, 1, 1, None),
            (1 << 20, 1 << 18, SPILL_GATHER_ROWS, 2, Some((0.5, 1))),
            (5, 2, 7, 2, Some((0.3, 3))),
        ];
        for (path, bytes) in fixture_files() {
            for sizes in sizes {
                let Some(got) = spilled(&bytes, None, sizes) else { continue };
                let expected = held(&bytes, None);
                assert!(got == expected, "{} {sizes:?}: {got:?} against {expected:?}", path.display());
                compared += 1;
            }
        }
        assert!(compared >= 100, "only {compared} readings compared");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
        /// Random files: customers who come back, guests, order ids over several days, refunds and
        /// wholly refunded rows (−0), channels; dates whose order stays open through the head and
        /// is settled later (day first or month first) or never; an as-of date inside the file; read
        /// by one reader or in parts, each part's rows put aside by its reader.
        #[test]
        fn random_files_have_the_same_facts_with_their_rows_put_aside(
            rows in proptest::collection::vec((0u32..40, 1u32..=12, 1u32..=12, 0usize..8, 0u32..30, 0usize..4, 0u8..13), 1001..1300),
            settle in 0usize..3,
            at in 1000usize..1300,
            as_of in proptest::option::of(0u32..12),
            chunk in 1usize..300,
            per_bucket in 1u32..9,
            gather in 1usize..400,
            threads in 1usize..4,
            split in proptest::option::of((0.05f64..0.95, 1usize..4)),
        ) {
            let text = random_file(&rows, settle, at, true);
            let as_of = as_of.map(|m| crate::core::values::day_from_ymd(2023, m + 1, 15).unwrap());
            let got = spilled(text.as_bytes(), as_of, (chunk, per_bucket, gather, threads, split));
            proptest::prop_assert!(got.is_some(), "the file streams");
            let expected = held(text.as_bytes(), as_of);
            proptest::prop_assert!(got == Some(expected.clone()), "{got:?} against {expected:?}");
        }
    }
}
