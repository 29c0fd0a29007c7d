//! Reading a file from disk: streamed when it is UTF-8 delimited text (a few megabytes in memory,
//! whatever its size), else whole; big text on two cores, the second half on another thread.

use super::*;

/// Reads a file for an analysis; `Err` is the message to print.
pub(super) fn load(file: &PathBuf, read: &ReadArgs) -> Result<crate::core::ingest::Ingested, String> {
    let options = read.options()?;
    read_file(file, &options).map_err(|e| format!("{}: {e}", file.display()))
}

/// Reads a file as it streams from disk when it is UTF-8 delimited text (a few megabytes in
/// memory, whatever its size), else whole. Text of [`SPLIT_MIN`] bytes and more is read on two
/// cores: the second half on another thread (see `core::ingest::split`).
pub(super) fn read_file(file: &PathBuf, options: &IngestOptions) -> Result<crate::core::ingest::Ingested, String> {
    read_file_split(file, options, true)
}

pub(super) fn read_file_split(
    file: &PathBuf,
    options: &IngestOptions,
    split: bool,
) -> Result<crate::core::ingest::Ingested, String> {
    use std::io::{Read, Seek};
    let name = file.file_name().map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned());
    let mut handle = std::fs::File::open(file).map_err(|e| e.to_string())?;
    let size = handle.metadata().map_err(|e| e.to_string())?.len();
    let mut prefix = Vec::new();
    (&mut handle).take(STREAM_PREFIX as u64).read_to_end(&mut prefix).map_err(|e| e.to_string())?;
    let mut helper = None;
    let mut begin = |plan: &Plan| {
        let (plan, path) = (plan.clone(), file.clone());
        let read = move || -> Result<Part, String> {
            let mut tail = std::fs::File::open(path).map_err(|e| e.to_string())?;
            tail.seek(std::io::SeekFrom::Start(plan.from())).map_err(|e| e.to_string())?;
            read_part(&plan, &mut std::io::BufReader::with_capacity(1 << 20, tail), &mut |_, _| {})
        };
        helper = std::thread::Builder::new().name("read-tail".into()).spawn(read).ok();
        helper.is_some()
    };
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let split = (split && cores > 1 && size >= SPLIT_MIN).then(|| Split { at: split_point(size), begin: &mut begin });
    match ingest_stream(&prefix, &mut handle, size, &name, options, split, &mut |_, _| {}).map_err(|e| e.to_string())? {
        Streamed::Read(ingested) => Ok(*ingested),
        Streamed::Split(pending) => {
            let part = helper.take().and_then(|h| h.join().ok()).and_then(Result::ok);
            match part.and_then(|part| pending.join(part.into())) {
                Some(ingested) => Ok(ingested),
                // The split point fell inside a multi-line cell: read it again on one core.
                None => read_file_split(file, options, false),
            }
        }
        Streamed::Whole => {
            let bytes = std::fs::read(file).map_err(|e| e.to_string())?;
            ingest(&bytes, &name, options, &mut |_, _| {}).map_err(|e| e.to_string())
        }
    }
}
