//! `sample`: the generated file written as it is generated. The file is in time order and the
//! generator makes it customer by customer, so the lines are sorted before they are written; a
//! sample of more lines than [`HOLD`] is sorted in parts — its days cut into runs, each line
//! spilled to its run's file as it comes, each run read back, sorted and written in turn — so that
//! memory stays near one run (100 M rows held at once took over 13 GB).

use crate::core::sample::{generate, sample_days, write_sample, Line, SampleStats, HEADER};
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};

/// Lines held in memory at once, about (some 150 bytes each).
pub(super) const HOLD: usize = 1_000_000;

/// Runs at most: a file open for each while the sample is generated.
const MAX_RUNS: usize = 256;

/// Lines per customer the generator makes, about: what the number of runs is planned from.
const LINES_PER_CUSTOMER: usize = 9;

/// Writes the sample of `customers` (seed `seed`) to `out`: byte for byte what
/// [`write_sample`] writes, in parts of at most about `hold` lines when there are more.
pub fn write(customers: usize, seed: u64, out: &mut dyn Write, hold: usize) -> io::Result<SampleStats> {
    let expected = customers.saturating_mul(LINES_PER_CUSTOMER);
    if expected <= hold {
        return write_sample(customers, seed, out);
    }
    let (first, last) = sample_days();
    let days = (last - first + 1) as usize;
    let runs = expected.div_ceil(hold.max(1)).clamp(2, days.min(MAX_RUNS));
    // Run k holds the days whose offset d has d · runs / days = k: consecutive and in order.
    let run_of = |day: i32| ((day - first).clamp(0, last - first) as usize) * runs / days;
    let mut files: Vec<BufWriter<std::fs::File>> =
        (0..runs).map(|_| tempfile::tempfile().map(BufWriter::new)).collect::<io::Result<_>>()?;
    let mut rows = 0;
    generate(customers, seed, &mut |line: Line| {
        rows += 1;
        let f = &mut files[run_of(line.day)];
        f.write_all(&line.day.to_le_bytes())?;
        f.write_all(&line.second.to_le_bytes())?;
        f.write_all(&(line.text.len() as u32).to_le_bytes())?;
        f.write_all(line.text.as_bytes())
    })?;
    writeln!(out, "{HEADER}")?;
    for file in files {
        let mut file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.rewind()?;
        let mut lines = read_run(BufReader::new(file))?;
        // Stable, as `write_sample`'s: lines of the same moment in the order they were generated.
        lines.sort_by_key(|l| (l.day, l.second));
        for l in &lines {
            writeln!(out, "{}", l.text)?;
        }
    }
    Ok(SampleStats { customers, rows })
}

/// The lines of one run's file, in the order they were spilled.
fn read_run(mut r: impl Read) -> io::Result<Vec<Line>> {
    let mut lines = Vec::new();
    let mut head = [0u8; 12];
    loop {
        match r.read_exact(&mut head) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(lines),
            Err(e) => return Err(e),
        }
        let word = |k: usize| [head[k], head[k + 1], head[k + 2], head[k + 3]];
        let (day, second, len) = (i32::from_le_bytes(word(0)), u32::from_le_bytes(word(4)), u32::from_le_bytes(word(8)));
        let mut text = vec![0; len as usize];
        r.read_exact(&mut text)?;
        let text = String::from_utf8(text).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        lines.push(Line { day, second, text });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sample_written_in_parts_is_the_sample_written_at_once() {
        let mut whole = Vec::new();
        let stats = write_sample(3_000, 11, &mut whole).unwrap();
        // From two runs to one run per few days: every cut between runs falls somewhere new.
        for hold in [20_000, 5_000, 700, 30] {
            let mut parts = Vec::new();
            let got = write(3_000, 11, &mut parts, hold).unwrap();
            assert_eq!(got.rows, stats.rows);
            assert!(parts == whole, "hold {hold}: the files differ");
        }
    }
}
