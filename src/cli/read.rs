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
    use std::io::{Read, Seek};
    let name = file.file_name().map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned());
    let mut handle = std::fs::File::open(file).map_err(|e| e.to_string())?;
    let size = handle.metadata().map_err(|e| e.to_string())?.len();
    let mut prefix = Vec::new();
    (&mut handle).take(STREAM_PREFIX as u64).read_to_end(&mut prefix).map_err(|e| e.to_string())?;
    let mut others = Vec::new();
    let mut begin = |plan: &Plan| {
        for part in plan.parts(readers - 1) {
            let path = file.clone();
            let read = move || -> Result<Part, String> {
                let mut rest = std::fs::File::open(path).map_err(|e| e.to_string())?;
                rest.seek(std::io::SeekFrom::Start(part.from())).map_err(|e| e.to_string())?;
                read_part(&part, &mut std::io::BufReader::with_capacity(1 << 20, rest), &mut |_, _| {})
            };
            match std::thread::Builder::new().name("read-part".into()).spawn(read) {
                Ok(thread) => others.push(thread),
                // Without all the readers the file is read on this one.
                Err(_) => return false,
            }
        }
        true
    };
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
