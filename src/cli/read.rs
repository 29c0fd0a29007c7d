//! Reading a file from disk: streamed when it is UTF-8 delimited text (a few megabytes in memory,
//! whatever its size), else whole; big text on several cores, the parts after the first on other
//! threads.

use super::*;

/// Reads a file for an analysis; `Err` is the message to print.
pub(super) fn load(file: &PathBuf, read: &ReadArgs) -> Result<crate::core::ingest::Ingested, String> {
    let options = read.options()?;
    read_file(file, &options).map_err(|e| format!("{}: {e}", file.display()))
}

/// At most this many readers read one file (each holds its part's rows until they are joined).
const MAX_READERS: usize = 8;

/// How many readers read a file: one a core (at most [`MAX_READERS`]), or as many as
/// `LOYALTY_LENS_READERS` says (1 reads on one core).
fn readers() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    std::env::var("LOYALTY_LENS_READERS").ok().and_then(|v| v.trim().parse().ok()).unwrap_or(cores).clamp(1, MAX_READERS)
}

/// Reads a file as it streams from disk when it is UTF-8 delimited text (a few megabytes in
/// memory, whatever its size), else whole. Text of [`crate::core::ingest::split::SPLIT_MIN`] bytes and more is read on several
/// cores: the first part here, the rest in parts on other threads (see `core::ingest::split`).
pub(super) fn read_file(file: &PathBuf, options: &IngestOptions) -> Result<crate::core::ingest::Ingested, String> {
    read_file_split(file, options, readers())
}

/// [`read_file`] by `readers` readers.
fn read_file_split(file: &PathBuf, options: &IngestOptions, readers: usize) -> Result<crate::core::ingest::Ingested, String> {
    let (mut handle, size, prefix, name) = open(file)?;
    let mut others = Vec::new();
    let mut begin =
        |plan: &Plan| spawn_parts(file, plan, readers, &mut others, |part, rest| read_part(part, rest, &mut |_, _| {}));
    let split = split_at(size, readers).map(|at| Split { at, begin: &mut begin });
    match ingest_stream(&prefix, &mut handle, size, &name, options, split, &mut |_, _| {}).map_err(|e| e.to_string())? {
        Streamed::Read(ingested) => Ok(*ingested),
        Streamed::Split(pending) => {
            let parts = others.drain(..).map(|t| t.join().ok().and_then(Result::ok).map(Received::from)).collect();
            match pending.finish(parts) {
                Joined::Read(ingested) => Ok(*ingested),
                Joined::Again => read_file_split(file, options, 1),
            }
        }
        Streamed::Whole => {
            let bytes = std::fs::read(file).map_err(|e| e.to_string())?;
            ingest(&bytes, &name, options, &mut |_, _| {}).map_err(|e| e.to_string())
        }
    }
}

/// A file opened for reading: its handle past the first [`STREAM_PREFIX`] bytes, its size, those
/// bytes, and its name.
fn open(file: &PathBuf) -> Result<(std::fs::File, u64, Vec<u8>, String), String> {
    use std::io::Read;
    let name = file.file_name().map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned());
    let mut handle = std::fs::File::open(file).map_err(|e| e.to_string())?;
    let size = handle.metadata().map_err(|e| e.to_string())?.len();
    let mut prefix = Vec::new();
    (&mut handle).take(STREAM_PREFIX as u64).read_to_end(&mut prefix).map_err(|e| e.to_string())?;
    Ok((handle, size, prefix, name))
}

/// Starts a thread a part for the parts of `file` after the first reader's (`plan`'s, cut for
/// `readers` readers), each reading its part with `read`; false when one could not be started
/// (then the file is read on this thread).
fn spawn_parts<T: Send + 'static>(
    file: &std::path::Path,
    plan: &Plan,
    readers: usize,
    others: &mut Vec<std::thread::JoinHandle<Result<T, String>>>,
    read: impl Fn(&Plan, &mut dyn std::io::Read) -> Result<T, String> + Clone + Send + 'static,
) -> bool {
    use std::io::Seek;
    for part in plan.parts(readers - 1) {
        let (path, read) = (file.to_path_buf(), read.clone());
        let run = move || -> Result<T, String> {
            let mut rest = std::fs::File::open(path).map_err(|e| e.to_string())?;
            rest.seek(std::io::SeekFrom::Start(part.from())).map_err(|e| e.to_string())?;
            read(&part, &mut std::io::BufReader::with_capacity(1 << 20, rest))
        };
        match std::thread::Builder::new().name("read-part".into()).spawn(run) {
            Ok(thread) => others.push(thread),
            Err(_) => return false,
        }
    }
    true
}

/// Text files of this many bytes and more are read for `rfm` and `facts` with their rows put aside in
/// temporary files (see [`load_spilled`]): below it, putting them aside costs more than it saves
/// (BENCHMARKS.md, "Memory that grows with customers").
const SPILL_BYTES: u64 = 256 << 20;

/// Customers a bucket of rows put aside holds, and rows held before they are put aside.
const SPILL_PER_BUCKET: u32 = 1 << 18;
const SPILL_CHUNK: usize = 1 << 20;

/// Whether `file` is read with its rows put aside: from [`SPILL_BYTES`] on, or as
/// `LOYALTY_LENS_SPILL` says (`1` always, `0` never).
fn spills(file: &PathBuf) -> bool {
    match std::env::var("LOYALTY_LENS_SPILL").ok().as_deref().map(str::trim) {
        Some("1") => true,
        Some("0") => false,
        _ => std::fs::metadata(file).is_ok_and(|m| m.len() >= SPILL_BYTES),
    }
}

/// Reads `file` with its rows put aside in temporary files (`TMPDIR`), a bucket of customers a
/// file, so that memory grows with its customers and not its rows — for the commands that need only
/// each customer's facts; on several cores as [`read_file`] reads, each reader putting its rows
/// aside, the first adding the others' to its own. `None` when it is not read that way (under
/// [`SPILL_BYTES`], or not UTF-8 delimited text): read it with [`load`].
/// With `answers`, each row's survey answer is put aside too (the facts file's; not the facts').
pub(super) fn load_spilled(file: &PathBuf, read: &ReadArgs, answers: bool) -> Result<Option<SpilledRead>, String> {
    if !spills(file) {
        return Ok(None);
    }
    let options = read.options()?;
    // Where the limit cannot be raised, a file too many is refused with the system's reason.
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let new: fn() -> crate::core::dataset::spill::Spill = if answers { || new_spill().with_answers() } else { new_spill };
    read_aside(file, &options, readers(), new).map_err(|e| format!("{}: {e}", file.display()))
}

/// `file` read by `readers` readers, each putting its rows aside in a spill from `new_spill`.
fn read_aside(
    file: &PathBuf,
    options: &IngestOptions,
    readers: usize,
    new_spill: fn() -> crate::core::dataset::spill::Spill,
) -> Result<Option<SpilledRead>, String> {
    let (mut handle, size, prefix, name) = open(file)?;
    let mut others = Vec::new();
    let mut begin =
        |plan: &Plan| spawn_parts(file, plan, readers, &mut others, move |part, rest| read_part_spilled(part, rest, new_spill()));
    let split = split_at(size, readers).map(|at| Split { at, begin: &mut begin });
    match ingest_spilled(&prefix, &mut handle, size, &name, options, new_spill(), split, &mut |_, _| {})
        .map_err(|e| e.to_string())?
    {
        SpilledStream::Read(read) => Ok(Some(*read)),
        SpilledStream::Split(pending) => {
            let parts = others
                .drain(..)
                .map(|t| t.join().ok().and_then(Result::ok).map(|(part, spill)| (Received::from(part), spill)))
                .collect();
            match pending.finish_spilled(parts).map_err(|e| e.to_string())? {
                Some(read) => Ok(Some(read)),
                None => read_aside(file, options, 1, new_spill),
            }
        }
        SpilledStream::Whole => Ok(None),
    }
}

/// An empty spill into temporary files (made as its buckets are).
fn new_spill() -> crate::core::dataset::spill::Spill {
    use crate::core::dataset::spill::{Scratch, Spill};
    let scratch = || tempfile::tempfile().map(|f| Box::new(f) as Box<dyn Scratch>);
    Spill::new(Box::new(scratch), SPILL_PER_BUCKET, SPILL_CHUNK)
}

/// The report of `file` read without keeping its rows, its totals counted as they pass (nothing
/// written to disk; each reader counts its part): `inspect` on a file of [`SPILL_BYTES`] and
/// more, or as `LOYALTY_LENS_SPILL` says. `None` when it is not read that way: read it with
/// [`read_file`].
pub(super) fn report_counted(file: &PathBuf, options: &IngestOptions) -> Result<Option<crate::core::ingest::Report>, String> {
    if !spills(file) {
        return Ok(None);
    }
    let counting = || crate::core::dataset::spill::Spill::counting(SPILL_CHUNK);
    Ok(read_aside(file, options, readers(), counting)?.and_then(|read| read.report))
}
