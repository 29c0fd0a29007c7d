//! What the tests of reading with the rows put aside share: the reading itself, by one reader or
//! in parts as the command line reads, and random files whose dates settle late.

use super::split::{read_part_spilled, Plan, Received, Split};
use super::*;

/// Scratch spaces in memory, for spills in tests.
pub(crate) fn in_memory() -> crate::core::dataset::spill::MakeScratch {
    use crate::core::dataset::spill::Scratch;
    Box::new(|| Ok(Box::new(std::io::Cursor::new(Vec::new())) as Box<dyn Scratch>))
}

/// `bytes` read with its rows put aside in spills from `new_spill`, by one reader or, with
/// `split`, the first stopping at that share of the file and that many others reading the rest
/// (read again by one reader where the parts do not meet, as the command line does); `None`
/// where the file does not stream.
pub(crate) fn read_aside(
    bytes: &[u8],
    new_spill: &dyn Fn() -> Spill,
    split: Option<(f64, usize)>,
) -> Option<Result<SpilledRead, IngestError>> {
    let mut plan = None;
    let mut begin = |p: &Plan| {
        plan = Some(p.clone());
        true
    };
    let at = split.map(|(share, _)| ((bytes.len() as f64 * share) as u64).max(1));
    let split_at = at.map(|at| Split { at, begin: &mut begin });
    let prefix = bytes.len().min(STREAM_PREFIX);
    let opts = IngestOptions::default();
    let read = ingest_spilled(
        &bytes[..prefix],
        &mut &bytes[prefix..],
        bytes.len() as u64,
        "f.csv",
        &opts,
        new_spill(),
        split_at,
        &mut |_, _| {},
    );
    match read {
        Ok(SpilledStream::Read(read)) => Some(Ok(*read)),
        Ok(SpilledStream::Split(pending)) => {
            let (plan, others) = (plan.expect("a plan"), split.map_or(1, |(_, n)| n));
            let parts = plan
                .parts(others)
                .iter()
                .map(|p| read_part_spilled(p, &mut &bytes[p.from() as usize..], new_spill()).ok())
                .map(|part| part.map(|(part, spill)| (Received::from(part), spill)))
                .collect();
            match pending.finish_spilled(parts) {
                Ok(Some(read)) => Some(Ok(read)),
                Ok(None) => read_aside(bytes, new_spill, None),
                Err(e) => Some(Err(e)),
            }
        }
        Ok(SpilledStream::Whole) => None,
        Err(e) => Some(Err(e)),
    }
}

/// One row of [`random_file`]: customer (0: a guest), the date's first and second part, the
/// amount (an index into its list: returns, −0, empty — an order's further line), the order id
/// (under 10: none), the channel and the score (over 10: no answer).
pub(crate) type RandomRow = (u32, u32, u32, usize, u32, usize, u8);

/// A CSV of `rows`: its dates `a/b/2023` with both parts 12 or under, so that the head leaves the
/// date order open; row `at` settles it day first (`settle` 1) or month first (2), or nothing
/// does (0). With `orders` the order column is an order id, else a note.
pub(crate) fn random_file(rows: &[RandomRow], settle: usize, at: usize, orders: bool) -> String {
    const AMOUNTS: [&str; 8] = ["10", "-5.5", "-0", "0", "3.25", "99.99", "1e3", ""];
    const CHANNELS: [&str; 4] = ["", "web", "app", "store"];
    let order_column = if orders { "order_id" } else { "note" };
    let mut text = format!("customer_id,order_date,amount,{order_column},channel,score\n");
    for (i, &(c, a, b, amount, order, channel, score)) in rows.iter().enumerate() {
        let id = if c == 0 { String::new() } else { format!("c{c}") };
        let date = random_date(a, b, settle, i == at);
        let order = if order < 10 { String::new() } else { format!("o{order}") };
        let score = if score > 10 { String::new() } else { score.to_string() };
        text.push_str(&format!("{id},{date},{},{order},{},{score}\n", AMOUNTS[amount % AMOUNTS.len()], CHANNELS[channel % 4]));
    }
    text
}

/// A random file's date `a/b/2023`, whose order (month or day first) is open until the row `at`
/// where `settle` settles it: day first (1), month first (2), or never (0).
pub(crate) fn random_date(a: u32, b: u32, settle: usize, at: bool) -> String {
    match settle {
        1 if at => format!("25/{b}/2023"),
        2 if at => format!("{a}/25/2023"),
        _ => format!("{a}/{b}/2023"),
    }
}

/// Every fixture file (of the fixtures' folder, bad files, exports, CDNOW), with its bytes.
pub(crate) fn fixture_files() -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    for dir in ["tests/fixtures", "tests/fixtures/bad", "tests/fixtures/exports", "tests/fixtures/cdnow"] {
        let Ok(entries) = std::fs::read_dir(format!("{}/{dir}", env!("CARGO_MANIFEST_DIR"))) else { continue };
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()) {
            if let Ok(bytes) = std::fs::read(&path) {
                files.push((path, bytes));
            }
        }
    }
    files
}
