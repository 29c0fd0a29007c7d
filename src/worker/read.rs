//! Reading a user's file in the worker: streamed when it is UTF-8 delimited text, else whole; a
//! big file on every core (the helpers read its later parts). What was read goes to the session
//! ([`super::session::Session::settle`]); every answer carries the number of the load it is about.
//!
//! The file arrives as a `File` handle and is read here, so the main thread never copies it and the
//! progress bar moves while it is read: text streams in with the browser's asynchronous reads
//! ([`FileStream`]) and is parsed as it arrives; workbooks and other encodings are read whole with
//! `FileReaderSync`. Once read, its bytes are let go (before segmenting, which needs the memory)
//! and the handle is kept to read it again.

use super::helper;
use super::session::{failure, retry_after, Kept, Next};
use super::shell::{fail_in, now_ms, post, with_session};
use crate::core::ingest::split::{split_at, Joined, Part, Plan, Split, Wire};
use crate::core::ingest::{
    ingest, ingest_pushed, ingest_stream, Begun, IngestError, IngestOptions, Ingested, Stage, Streamed, MAX_BROWSER_BYTES,
    STREAM_PREFIX,
};
use crate::protocol::{ProgressStage, Response, Slot};
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use web_sys::{File, FileReaderSync};

/// Bytes read per chunk: large enough to be quick, small enough for a smooth progress bar.
const CHUNK: f64 = 8.0 * 1024.0 * 1024.0;

/// Bytes read per chunk of a file bigger than [`SMALL_STREAM`] streamed with `FileReaderSync` (a
/// browser without [`FileStream`]). Each read is a new JavaScript buffer that only a garbage
/// collection frees, and the worker does not return to its event loop until the file is read:
/// smaller chunks keep less waiting for collection, but each read costs several milliseconds
/// (BENCHMARKS.md, "Design measurements").
const STREAM_CHUNK: f64 = 2.0 * 1024.0 * 1024.0;
/// Files up to this size stream in chunks of [`CHUNK`] with `FileReaderSync`: what waits for
/// collection is small beside the dataset, and fewer reads are quicker. Files up to this size are
/// read on several cores: above it, the helpers' copies of their parts' columns would cost the memory target.
const SMALL_STREAM: f64 = 256.0 * 1024.0 * 1024.0;

/// Reads `file` into `slot`: streamed when it is UTF-8 delimited text, else whole; when `split` and
/// the file is big, on every core (the helpers read the later parts, and the rest happens when their
/// parts arrive: [`joined`]).
///
/// The file streams in with the browser's asynchronous reads ([`FileStream`]), so that the browser
/// reads the next bytes while these are parsed; where the browser cannot stream a file into a
/// buffer of the worker's (`ReadableStreamBYOBReader`), it is read a chunk at a time with
/// `FileReaderSync`, the worker waiting for each.
pub(super) fn load_file(
    file: &File,
    name: String,
    size: u64,
    options: IngestOptions,
    slot: Option<Slot>,
    split: bool,
    load: u32,
) {
    let failed = slot.unwrap_or_default();
    if size > MAX_BROWSER_BYTES {
        return post(failure(load, &IngestError::TooLarge { bytes: size, limit: MAX_BROWSER_BYTES }, failed));
    }
    with_session(|s, _| {
        s.begin_load(failed);
        Next::Idle
    });
    let Some(stream) = FileStream::new(file) else { return load_file_sync(file, name, size, options, slot, split, load) };
    post(Response::Progress { load, stage: ProgressStage::Reading, fraction: 0.0 });
    let reading = READING.with(|r| {
        let mut r = r.borrow_mut();
        r.0 += 1;
        let reading = r.0;
        r.1.push((reading, failed, load));
        reading
    });
    let read = Read { file: file.clone(), name, size, options, slot, split, reading, load };
    wasm_bindgen_futures::spawn_local(read_streamed(read, stream));
}

/// A file being read with asynchronous reads.
struct Read {
    file: File,
    name: String,
    size: u64,
    options: IngestOptions,
    slot: Option<Slot>,
    split: bool,
    /// This read's number ([`READING`]), and the page's number for the load.
    reading: u32,
    load: u32,
}

/// A read in progress: its number, slot and the page's number for the load.
type Reading = (u32, Slot, u32);

thread_local! {
    /// Numbers the asynchronous reads, and those in progress (a survey may be read while the
    /// transactions are). Another file for a slot replaces its read ([`cancel`]).
    static READING: RefCell<(u32, Vec<Reading>)> = const { RefCell::new((0, Vec::new())) };
}

/// Whether `read` is still in progress (nothing replaced it while it waited for the browser).
fn resume(read: &Read) -> bool {
    READING.with(|r| r.borrow().1.iter().any(|&(n, ..)| n == read.reading))
}

/// Marks `read` as no longer in progress.
fn end_reading(read: &Read) {
    READING.with(|r| r.borrow_mut().1.retain(|&(n, ..)| n != read.reading));
}

/// Forgets the files for `slot` being read, waiting for the helpers' parts or for the helpers to
/// start (another file for the slot replaces them); see [`helper::cancel`]. Returns the loads
/// forgotten, which still need an answer.
pub(super) fn cancel(slot: Option<Slot>) -> Vec<u32> {
    let mut loads = helper::cancel(slot);
    let slot = slot.unwrap_or_default();
    READING.with(|r| {
        r.borrow_mut().1.retain(|&(_, reading, load)| {
            if reading == slot {
                loads.push(load);
            }
            reading != slot
        });
    });
    loads
}

/// Forgets every file being read or waiting (the data is cleared); which, as [`cancel`].
pub(super) fn cancel_all() -> Vec<u32> {
    let mut loads = helper::cancel_all();
    loads.extend(READING.with(|r| std::mem::take(&mut r.borrow_mut().1)).into_iter().map(|(_, _, load)| load));
    loads
}

/// Reads a file as it streams in (see [`load_file`]): its head first, then the rest pushed into
/// the reader as it arrives.
async fn read_streamed(read: Read, mut stream: FileStream) {
    let failed = read.slot.unwrap_or_default();
    let started = now_ms();
    let mut prefix = Vec::new();
    while prefix.len() < STREAM_PREFIX {
        let next = stream.next().await;
        if !resume(&read) {
            return;
        }
        match next {
            Ok(Some(bytes)) => prefix.extend_from_slice(bytes),
            Ok(None) => break,
            Err(()) => {
                end_reading(&read);
                return fail_unreadable(read.load, &read.name, failed);
            }
        }
    }
    let load = read.load;
    let mut progress = |stage: Stage, fraction: f64| post(Response::Progress { load, stage: stage.into(), fraction });
    let mut job = None;
    let file = read.file.clone();
    let mut begin = |plan: &Plan| {
        job = helper::begin(plan, &file);
        job.is_some()
    };
    let size = read.size;
    let split = split_here(size, read.split).map(|at| Split { at, begin: &mut begin });
    let begun = ingest_pushed(&prefix, size, &read.name, &read.options, split, &mut progress);
    drop(prefix);
    let mut pushed = match begun {
        Ok(Begun::Pushing(pushed)) => pushed,
        Ok(Begun::Whole) => {
            end_reading(&read);
            drop(stream);
            return streamed_read(
                Streamed::Whole,
                None,
                read.file,
                read.name,
                size,
                read.options,
                read.slot,
                (started, 0.0),
                load,
            );
        }
        Err(e) => {
            end_reading(&read);
            return stream_failed(&e, read.name, &read.file, read.slot, load);
        }
    };
    let mut more = true;
    while more {
        let next = stream.next().await;
        if !resume(&read) {
            return;
        }
        match next {
            Ok(Some(bytes)) => more = pushed.push(bytes, &mut progress),
            Ok(None) => break,
            Err(()) => {
                end_reading(&read);
                return fail_unreadable(read.load, &read.name, failed);
            }
        }
    }
    let read_ms = stream.wait_ms;
    drop(stream);
    end_reading(&read);
    let Read { file, name, options, slot, .. } = read;
    streamed_read(pushed.finish(&mut progress), job, file, name, size, options, slot, (started, read_ms), load);
}

/// Where to split a file of `size` bytes to read it on several cores (this worker and the ready helpers), if it
/// is to be (`split`: not read again after its parts did not meet). Up to the size streamed in big
/// chunks: a second copy of part of the dataset, in the helpers, matters little beside it; above it,
/// memory is what counts.
fn split_here(size: u64, split: bool) -> Option<u64> {
    let readers = if split && size as f64 <= SMALL_STREAM { 1 + helper::available() } else { 1 };
    split_at(size, readers)
}

/// Goes on with a file read as it streamed in (either way of reading it): waits for the helpers'
/// parts (`job`, when they were handed parts), holds what was read, or reads the file whole.
/// `(started, read_ms)`: when reading started, and how long it waited for reads.
#[allow(clippy::too_many_arguments)]
fn streamed_read(
    streamed: Streamed,
    job: Option<u32>,
    file: File,
    name: String,
    size: u64,
    options: IngestOptions,
    slot: Option<Slot>,
    (started, read_ms): (f64, f64),
    load: u32,
) {
    match streamed {
        Streamed::Split(pending) => match job {
            Some(job) => helper::wait(helper::Waiting {
                job,
                helper_timings: Vec::new(),
                load,
                pending,
                name,
                file,
                options,
                slot,
                started,
                read_ms,
                stopped: now_ms(),
            }),
            None => load_file(&file, name, size, options, slot, false, load),
        },
        Streamed::Read(ingested) => {
            let parse_ms = now_ms() - started - read_ms;
            let stages = vec![("read".into(), read_ms), ("parse".into(), parse_ms)];
            settle(load, name, file, *ingested, options, slot, stages);
        }
        Streamed::Whole => match FileReaderSync::new() {
            Ok(reader) => load_whole(&file, &reader, name, size, options, slot, load),
            Err(_) => fail_in(load, "this browser cannot read files in a worker", slot.unwrap_or_default()),
        },
    }
}

/// Reports a file whose head could not be used; as after reading whole, the file is kept when the
/// user may fix the options and read it again.
fn stream_failed(e: &IngestError, name: String, file: &File, slot: Option<Slot>, load: u32) {
    let retry = matches!(e, IngestError::NoCustomerColumn { .. } | IngestError::UnknownColumn { .. });
    let keep = retry.then(|| Kept { name, file: Some(file.clone()), bytes: Vec::new() });
    with_session(|s, out| {
        s.failed(load, keep, e, slot, out);
        Next::Idle
    });
}

/// Bytes the browser reads at a time into a [`FileStream`]'s buffer.
const STREAM_BUFFER: u32 = 2 << 20;

/// A file (or part of one) read with the browser's asynchronous reads, into a buffer of the
/// worker's that goes back and forth with each read ("bring your own buffer"): the browser reads
/// the next bytes while the worker parses these, and no new buffer is left for collection per read.
/// With `FileReaderSync`, the worker waited for each chunk: about a fifth of the time to the first
/// page on a million rows.
pub(super) struct FileStream {
    reader: web_sys::ReadableStreamByobReader,
    /// The buffer the browser reads into, between reads.
    buffer: Option<js_sys::ArrayBuffer>,
    /// The bytes of the last read.
    bytes: Vec<u8>,
    /// Time spent waiting for reads, in milliseconds.
    pub(super) wait_ms: f64,
    /// The last bytes were read.
    ended: bool,
}

impl FileStream {
    /// A stream of `blob`'s bytes, if the browser can read it so.
    pub(super) fn new(blob: &web_sys::Blob) -> Option<Self> {
        let reader = web_sys::ReadableStreamByobReader::new(&blob.stream()).ok()?;
        Some(Self {
            reader,
            buffer: Some(js_sys::ArrayBuffer::new(STREAM_BUFFER)),
            bytes: Vec::new(),
            wait_ms: 0.0,
            ended: false,
        })
    }

    /// The next bytes (`None` at the end).
    pub(super) async fn next(&mut self) -> Result<Option<&[u8]>, ()> {
        if self.ended {
            return Ok(None);
        }
        let buffer = self.buffer.take().ok_or(())?;
        let started = now_ms();
        let read = self.reader.read_with_array_buffer_view(&js_sys::Uint8Array::new(&buffer));
        let result = wasm_bindgen_futures::JsFuture::from(read).await.map_err(|_| ())?;
        self.wait_ms += now_ms() - started;
        let done = js_sys::Reflect::get(&result, &"done".into()).ok().and_then(|d| d.as_bool()).ok_or(())?;
        if done {
            self.ended = true;
            return Ok(None);
        }
        let value: js_sys::Uint8Array =
            js_sys::Reflect::get(&result, &"value".into()).map_err(|_| ())?.dyn_into().map_err(|_| ())?;
        self.bytes.resize(value.length() as usize, 0);
        value.copy_to(&mut self.bytes);
        self.buffer = Some(value.buffer());
        Ok(Some(&self.bytes))
    }
}

impl Drop for FileStream {
    fn drop(&mut self) {
        // Stops the browser reading on (a file read up to its split point, or replaced).
        let _ = self.reader.cancel();
    }
}

/// [`load_file`] with `FileReaderSync`, for browsers that cannot stream a file into a buffer.
fn load_file_sync(file: &File, name: String, size: u64, options: IngestOptions, slot: Option<Slot>, split: bool, load: u32) {
    let failed = slot.unwrap_or_default();
    let reader = match FileReaderSync::new() {
        Ok(r) => r,
        Err(_) => return fail_in(load, "this browser cannot read files in a worker", failed),
    };
    post(Response::Progress { load, stage: ProgressStage::Reading, fraction: 0.0 });
    // UTF-8 delimited text (most files) is read as it streams in, a chunk at a time; anything else
    // (workbooks, GBK, …) is read whole below.
    let started = now_ms();
    let mut chunks = Chunks::new(file, &reader);
    let mut prefix = Vec::new();
    while prefix.len() < STREAM_PREFIX && chunks.offset < file.size() {
        if chunks.next_chunk().is_err() {
            return fail_unreadable(load, &name, failed);
        }
        prefix.append(&mut chunks.buffer);
    }
    let mut job = None;
    let mut begin = |plan: &Plan| {
        job = helper::begin(plan, file);
        job.is_some()
    };
    let split = split_here(size, split).map(|at| Split { at, begin: &mut begin });
    let streamed = ingest_stream(&prefix, &mut chunks, size, &name, &options, split, &mut |stage, fraction| {
        post(Response::Progress { load, stage: stage.into(), fraction });
    });
    drop(prefix);
    match streamed {
        Err(_) if chunks.failed => fail_unreadable(load, &name, failed),
        Err(e) => stream_failed(&e, name, file, slot, load),
        Ok(streamed) => streamed_read(streamed, job, file.clone(), name, size, options, slot, (started, chunks.read_ms), load),
    }
}

/// Finishes a file read in parts once the helpers' parts are there (their encoded buffers, in the
/// file's order; `None`: one failed): joins them, or reads the file again on one core where they
/// do not meet.
pub(super) fn joined(waiting: helper::Waiting, parts: Option<Vec<helper::Posted>>) {
    let waited = now_ms() - waiting.stopped;
    let helper::Waiting { load, pending, name, file, options, slot, started, read_ms, helper_timings, .. } = waiting;
    let joining = now_ms();
    let decoded = parts.as_ref().and_then(|parts| parts.iter().map(|part| Part::decode_from(Wire::Elsewhere(part))).collect());
    let joined = pending.finish(decoded);
    let readers = parts.as_ref().map_or(1, |parts| parts.len() + 1);
    // The parts' buffers (outside WebAssembly memory) go before segmenting.
    drop(parts);
    match joined {
        Joined::Read(ingested) => {
            let parse_ms = now_ms() - started - read_ms;
            let join_ms = now_ms() - joining;
            let mut stages = vec![
                ("read".into(), read_ms),
                ("parse".into(), parse_ms),
                ("helper-wait".into(), waited),
                ("join".into(), join_ms),
                // Not a time: how many read the file (the worker and its helpers).
                ("readers".into(), readers as f64),
            ];
            stages.extend(helper_timings);
            settle(load, name, file, *ingested, options, slot, stages);
        }
        Joined::Again => {
            let size = file.size() as u64;
            load_file(&file, name, size, options, slot, false, load);
        }
    }
}

/// A `File` as a byte stream: read a chunk at a time with `FileReaderSync` (see [`ingest_stream`]).
pub(super) struct Chunks<'f> {
    file: &'f File,
    reader: &'f FileReaderSync,
    /// Where the next chunk starts in the file.
    pub(super) offset: f64,
    buffer: Vec<u8>,
    /// How much of `buffer` is handed out.
    at: usize,
    /// Time spent reading, in milliseconds.
    pub(super) read_ms: f64,
    /// Reading failed (the file was moved, deleted or changed).
    failed: bool,
}

impl<'f> Chunks<'f> {
    pub(super) fn new(file: &'f File, reader: &'f FileReaderSync) -> Self {
        Self { file, reader, offset: 0.0, buffer: Vec::new(), at: 0, read_ms: 0.0, failed: false }
    }

    /// Reads the next chunk into `buffer` (replacing what it held).
    fn next_chunk(&mut self) -> Result<(), ()> {
        let started = now_ms();
        let size = self.file.size();
        let end = (self.offset + if size > SMALL_STREAM { STREAM_CHUNK } else { CHUNK }).min(size);
        let chunk = self.file.slice_with_f64_and_f64(self.offset, end).and_then(|blob| self.reader.read_as_array_buffer(&blob));
        let Ok(buffer) = chunk else {
            self.failed = true;
            return Err(());
        };
        let array = js_sys::Uint8Array::new(&buffer);
        self.buffer.resize(array.length() as usize, 0);
        array.copy_to(&mut self.buffer);
        self.at = 0;
        self.offset = end;
        self.read_ms += now_ms() - started;
        Ok(())
    }
}

impl std::io::Read for Chunks<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.buffer.len() {
            if self.offset >= self.file.size() {
                return Ok(0);
            }
            self.next_chunk().map_err(|()| std::io::Error::other("the file could not be read; was it moved or deleted?"))?;
        }
        let n = out.len().min(self.buffer.len() - self.at);
        out[..n].copy_from_slice(&self.buffer[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Reads `file` whole into memory, then ingests it.
fn load_whole(
    file: &File,
    reader: &FileReaderSync,
    name: String,
    size: u64,
    options: IngestOptions,
    slot: Option<Slot>,
    load: u32,
) {
    let failed = slot.unwrap_or_default();
    let mut bytes: Vec<u8> = Vec::new();
    if bytes.try_reserve_exact(size as usize).is_err() {
        return post(failure(load, &IngestError::TooLarge { bytes: size, limit: MAX_BROWSER_BYTES }, failed));
    }
    let mut chunks = Chunks::new(file, reader);
    post(Response::Progress { load, stage: ProgressStage::Reading, fraction: 0.0 });
    while chunks.offset < file.size() {
        if chunks.next_chunk().is_err() {
            return fail_unreadable(load, &name, failed);
        }
        bytes.append(&mut chunks.buffer);
        post(Response::Progress { load, stage: ProgressStage::Reading, fraction: chunks.offset / file.size() });
    }
    read_whole(load, name, bytes, file.clone(), options, slot, chunks.read_ms);
}

/// Ingests the bytes of `file`, read whole (`read_ms` reading them), into `slot`. The bytes go
/// before segmenting, which needs the memory: the file can be read again from its handle.
fn read_whole(load: u32, name: String, bytes: Vec<u8>, file: File, options: IngestOptions, slot: Option<Slot>, read_ms: f64) {
    let started = now_ms();
    let result = ingest(&bytes, &name, &options, &mut |stage, fraction| {
        post(Response::Progress { load, stage: stage.into(), fraction });
    });
    drop(bytes);
    match result {
        Ok(ingested) => {
            let stages = vec![("read".to_string(), read_ms), ("parse".into(), now_ms() - started)];
            settle(load, name, file, ingested, options, slot, stages);
        }
        Err(e) => {
            let keep = retry_after(&e).then_some(Kept { name, file: Some(file), bytes: Vec::new() });
            with_session(|s, out| {
                s.failed(load, keep, &e, slot, out);
                Next::Idle
            });
        }
    }
}

/// Hands what was read from `file` to the session.
fn settle(
    load: u32,
    name: String,
    file: File,
    ingested: Ingested,
    options: IngestOptions,
    slot: Option<Slot>,
    stages: Vec<(String, f64)>,
) {
    let kept = Kept { name, file: Some(file), bytes: Vec::new() };
    with_session(|s, out| {
        s.settle(load, kept, ingested, options, slot, stages, out);
        Next::Idle
    });
}

/// A file the browser could not read (it was moved, deleted or changed after it was chosen).
fn fail_unreadable(load: u32, name: &str, slot: Slot) {
    fail_in(load, format!("the file '{name}' could not be read; was it moved or deleted?"), slot);
}
