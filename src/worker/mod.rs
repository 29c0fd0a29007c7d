//! The Web Worker: holds the dataset, runs ingest off the main thread, and answers the UI with
//! summaries and progress (see [`crate::protocol`]).
//!
//! The file arrives as a `File` handle and is read here, so the main thread never copies it and the
//! progress bar moves while it is read: text streams in with the browser's asynchronous reads
//! ([`FileStream`]) and is parsed as it arrives; workbooks and other encodings are read whole with
//! `FileReaderSync`. Once read, its bytes are let go (before segmenting, which needs the memory)
//! and the handle is kept to read it again.

use crate::core::analysis::comments::Comment;
use crate::core::analysis::nps::Survey;
use crate::core::clv::bgnbd::BgNbd;
use crate::core::clv::pareto_nbd::ParetoNbd;
use crate::core::clv::summary::Summary;
use crate::core::clv::{self, ClvParams, ClvReport, Fitted, SpendModel};
use crate::core::dataset::Labels;
use crate::core::export::{self, ExportEncoding, ExportFormat};
use crate::core::ingest::split::{split_point, Part, Plan, Split, Wire, SPLIT_MIN};
use crate::core::ingest::{
    ingest, ingest_pushed, ingest_stream, Begun, IngestError, IngestOptions, Ingested, Stage, Streamed, MAX_BROWSER_BYTES,
    STREAM_PREFIX,
};
use crate::core::report::nps_page::{self, NpsSummary};
use crate::core::report::segments::{segment_with, CustomerFilter, Segmentation, SegmentationParams, SegmentationSummary};
use crate::core::sample::write_sample;
use crate::protocol::{ClvSort, ClvStep, ProgressStage, Request, Response, Slot, PAGE_SIZE, REJECTED_SHOWN};
use serde::Serialize;
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, File, FileReaderSync, MessageEvent};

mod helper;

/// Bytes read per chunk: large enough to be quick, small enough for a smooth progress bar.
const CHUNK: f64 = 8.0 * 1024.0 * 1024.0;

/// Bytes read per chunk of a file bigger than [`SMALL_STREAM`] streamed with `FileReaderSync` (a
/// browser without [`FileStream`]). Each read is a new
/// JavaScript buffer that only a garbage collection frees, and the worker does not return to its
/// event loop until the file is read: smaller chunks keep less waiting for collection (10M rows,
/// 850 MB: 8 MB chunks left ~590 MB of them in the tab at peak, 1 MB ~180–380 MB), but each read
/// costs several milliseconds (2 MB chunks made reading a million rows 0.2 s slower than 8 MB).
const STREAM_CHUNK: f64 = 2.0 * 1024.0 * 1024.0;
/// Files up to this size stream in chunks of [`CHUNK`] with `FileReaderSync`: what waits for
/// collection is small beside the dataset, and fewer reads are quicker. Files up to this size are
/// read on two cores: above it, the helper's copy of half the columns would cost the memory target.
const SMALL_STREAM: f64 = 256.0 * 1024.0 * 1024.0;

/// One file: where to read it again with other options, and what was read from it.
#[derive(Default)]
struct HeldFile {
    name: String,
    /// The user's file, to read again; `None` for a generated sample, kept in `bytes` instead.
    file: Option<File>,
    bytes: Vec<u8>,
    ingested: Option<Ingested>,
}

#[derive(Default)]
struct Held {
    transactions: HeldFile,
    survey: HeldFile,
    segmentation: Option<Segmentation>,
    /// The rules last asked for (kept while there are no transactions to apply them to).
    params: SegmentationParams,
    /// The CLV run in progress, and the last finished one with its list order.
    clv_job: Option<ClvJob>,
    clv: Option<ClvReport>,
    clv_list: Option<(ClvSort, Vec<usize>)>,
    /// Numbers CLV runs, so that a step of a cancelled or replaced run stops.
    clv_runs: u32,
    /// The sorted customers of the list last shown, so that paging does not sort again.
    list: Option<(CustomerFilter, Vec<usize>)>,
}

impl Held {
    fn file(&mut self, slot: Slot) -> &mut HeldFile {
        match slot {
            Slot::Transactions => &mut self.transactions,
            Slot::Survey => &mut self.survey,
        }
    }

    /// The survey answers: the survey file joined to the transactions, or else the transactions'
    /// own score column.
    fn answers(&self) -> Option<Survey<'_>> {
        let tx = self.transactions.ingested.as_ref().map(|i| &i.dataset);
        match (&self.survey.ingested, tx) {
            (Some(survey), Some(tx)) => Some(Survey::joined(&survey.dataset, &tx.customers)),
            (Some(survey), None) => Some(Survey::joined(&survey.dataset, &Labels::default())),
            (None, Some(tx)) => tx.score.is_some().then(|| Survey::inline(tx)),
            (None, None) => None,
        }
    }

    /// Segments the transactions (with the survey's answers for the pyramid) and builds the NPS page.
    fn segment(&mut self, params: &SegmentationParams) -> Result<(SegmentationSummary, Option<Box<NpsSummary>>), String> {
        self.params = params.clone();
        let dataset = &self.transactions.ingested.as_ref().ok_or("there is no data to segment: choose a file")?.dataset;
        let answers = self.answers();
        let clv = self.clv.as_ref().map(|r| clv::by_code(r, &dataset.customers));
        let seg = segment_with(dataset, answers.as_ref(), clv.as_deref(), params)?;
        let nps = answers
            .and_then(|a| nps_page::summary(&a, Some(&seg), seg.params.states.period, seg.params.nps_latest).ok())
            .map(Box::new);
        let summary = seg.summary();
        self.segmentation = Some(seg);
        self.list = None;
        Ok((summary, nps))
    }

    /// Posts what the pages show after a file changed: the segmentation with NPS, or NPS alone.
    fn refresh(&mut self) {
        let params = self.params.clone();
        if self.transactions.ingested.is_some() {
            match self.segment(&params) {
                Ok((summary, nps)) => post(Response::Segmented { summary: Box::new(summary), params, nps }),
                Err(message) => {
                    self.segmentation = None;
                    post(Response::SegmentFailed { message });
                    let nps = self
                        .answers()
                        .and_then(|a| nps_page::summary(&a, None, params.states.period, params.nps_latest).ok())
                        .map(Box::new);
                    post(Response::Nps { nps });
                }
            }
        } else {
            let nps = self
                .answers()
                .and_then(|a| nps_page::summary(&a, None, params.states.period, params.nps_latest).ok())
                .map(Box::new);
            post(Response::Nps { nps });
        }
    }
}

/// A CLV run between its steps.
struct ClvJob {
    run: u32,
    params: ClvParams,
    summary: Option<Summary>,
    bgnbd: Option<Fitted<BgNbd>>,
    pareto: Option<Result<Fitted<ParetoNbd>, String>>,
    spend: Option<Result<SpendModel, String>>,
    /// Milliseconds per finished step.
    timings: Vec<f64>,
}

thread_local! {
    static HELD: RefCell<Held> = RefCell::new(Held::default());
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Posts `response` to the page. NPS summaries go without their comments list (see
/// [`detach_comments`]), whichever answer carries them.
fn post(mut response: Response) {
    if let Response::Segmented { nps, .. } | Response::Nps { nps } = &mut response {
        detach_comments(nps);
    }
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    match response.serialize(&serializer) {
        Ok(value) => {
            if let Err(e) = scope().post_message(&value) {
                web_sys::console::error_2(&"loyalty-lens worker: cannot post".into(), &e);
            }
        }
        Err(e) => web_sys::console::error_1(&format!("loyalty-lens worker: cannot encode a response: {e}").into()),
    }
}

thread_local! {
    /// The page's number of the load being read (0 while handling any other request): the
    /// answers to a load carry it.
    static LOAD: Cell<u32> = const { Cell::new(0) };
}

thread_local! {
    /// The survey comments last posted to the page ([`Response::Comments`]), which it keeps.
    static COMMENTS_SENT: RefCell<Option<Vec<Comment>>> = const { RefCell::new(None) };
}

/// Takes the comments list out of `nps` before it is posted: the page has it already, or gets it
/// now (posted first, as [`Response::Comments`], when it differs from the one sent last).
fn detach_comments(nps: &mut Option<Box<NpsSummary>>) {
    if let Some(summary) = nps.as_mut() {
        let shown = std::mem::take(&mut summary.comments.shown);
        COMMENTS_SENT.with(|sent| {
            let mut sent = sent.borrow_mut();
            if sent.as_ref() != Some(&shown) {
                post(Response::Comments { shown: shown.clone() });
                *sent = Some(shown);
            }
        });
    }
}

fn load_id() -> u32 {
    LOAD.with(Cell::get)
}

fn set_load(load: u32) {
    LOAD.with(|l| l.set(load));
}

fn fail(message: impl Into<String>) {
    fail_in(message, Slot::Transactions);
}

fn fail_in(message: impl Into<String>, slot: Slot) {
    post(Response::Failed { load: load_id(), message: message.into(), code: String::new(), slot, columns: Vec::new() });
}

/// A file the browser could not read (it was moved, deleted or changed after it was chosen).
fn fail_unreadable(name: &str, slot: Slot) {
    fail_in(format!("the file '{name}' could not be read; was it moved or deleted?"), slot);
}

fn fail_with(e: &IngestError, slot: Slot) {
    // Without a customer column, the page asks which column it is.
    let columns = match e {
        IngestError::NoCustomerColumn { columns } => columns.clone(),
        _ => Vec::new(),
    };
    post(Response::Failed { load: load_id(), message: e.to_string(), code: e.code().to_string(), slot, columns });
}

/// Starts listening; called by the worker binary. The same binary is the helper that reads the
/// second half of big files ([`helper`]), when started under the helper's name.
pub fn start() {
    if helper::is_helper() {
        return helper::start_helper();
    }
    let onmessage = Closure::<dyn Fn(MessageEvent)>::new(|event: MessageEvent| handle(event));
    scope().set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    // Ready once the helper has loaded: all of the app's code is then in, and nothing is fetched
    // after the user chooses a file.
    helper::spawn(|| {
        post(Response::Ready);
        let warm = Closure::once_into_js(warm_up);
        // Not being able to schedule it only costs speed.
        let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(warm.unchecked_ref(), 0);
    });
}

/// Customers in the warm-up sample (about 16,000 rows), and how many times it is read (streamed),
/// segmented and fitted.
const WARM_UP_CUSTOMERS: usize = 2000;
const WARM_UP_RUNS: usize = 2;

/// Runs the pipeline once on a small generated file while the user is still choosing theirs.
///
/// V8 first runs WebAssembly with its baseline compiler (Liftoff) and moves a function to its
/// optimising compiler (TurboFan) only after it has run for a while, and only for calls that start
/// after that: a function called once for a whole file (the row loop, the segmentation) would run
/// its whole million rows as baseline code, 2–3× slower. After this warm-up the file's own run
/// starts with the optimised code. The results are thrown away; only its duration is posted.
fn warm_up() {
    let started = now_ms();
    let mut bytes = Vec::new();
    if write_sample(WARM_UP_CUSTOMERS, 1, &mut bytes).is_err() {
        return;
    }
    // V8 counts how much of a function has run across calls: functions that loop once per file
    // (or per customer) need a few runs of a small file to count as hot. Both ways of reading a
    // file: streamed (most files) and whole (GBK, workbooks, …).
    let options = IngestOptions::default();
    let _ = ingest(&bytes, "warm-up.csv", &options, &mut |_, _| {});
    let mut streamed = None;
    for _ in 0..WARM_UP_RUNS {
        // As a file streams in: its head, then the rest as it arrives.
        let head = bytes.len().min(STREAM_PREFIX / 16);
        streamed = match ingest_pushed(&bytes[..head], bytes.len() as u64, "warm-up.csv", &options, None, &mut |_, _| {}) {
            Ok(Begun::Pushing(mut pushed)) => {
                for chunk in bytes[head..].chunks(1 << 16) {
                    pushed.push(chunk, &mut |_, _| {});
                }
                match pushed.finish(&mut |_, _| {}) {
                    Streamed::Read(ingested) => Some(ingested),
                    _ => None,
                }
            }
            _ => None,
        };
        // Big files are read in two parts, and joined.
        let _ = helper::warm_up_split(&bytes);
    }
    let Some(ingested) = streamed else { return };
    // The same path as a user's file, on a `Held` of its own.
    let mut held = Held { transactions: HeldFile { ingested: Some(*ingested), ..HeldFile::default() }, ..Held::default() };
    let params = SegmentationParams::default();
    let mut segmented = None;
    for run in 1..=WARM_UP_RUNS {
        if let Ok((summary, nps)) = held.segment(&params) {
            let response = Response::Segmented { summary: Box::new(summary), params: params.clone(), nps };
            // The last run's answer is serialised when it is posted for the rehearsal, below.
            if run < WARM_UP_RUNS {
                let _ = response.serialize(&serde_wasm_bindgen::Serializer::json_compatible());
            }
            segmented = Some(response);
        }
    }
    let Some(ingested) = held.transactions.ingested.as_ref() else { return };
    if let Some(segmented) = segmented {
        let mut responses = rehearsal(ingested, segmented).into_iter().peekable();
        while let Some(response) = responses.next() {
            post(Response::Rehearsal { response: Box::new(response), last: responses.peek().is_none() });
        }
    }
    let ds = &ingested.dataset;
    // The CLV fits too (not Pareto/NBD, the slowest to fit and not the default model): a first CLV
    // run then takes what later runs take.
    if let Ok(summary) = clv::prepare(ds, &ClvParams::default()) {
        for _ in 0..WARM_UP_RUNS {
            let _ = clv::fit_purchases(&summary);
            let _ = clv::fit_spend(ds, &summary);
        }
    }
    // Shown on the page (`data-load-ms`) until a file's own timings replace it.
    post(Response::Timings { stages: vec![("warm-up".into(), now_ms() - started)] });
}

/// The answers a load of the warm-up file gives the page, for it to rehearse its first render
/// ([`Response::Rehearsal`]). The comments go as their own answer, as [`post`] sends them, but
/// without counting as sent: the page's own state never sees them.
fn rehearsal(ingested: &Ingested, mut segmented: Response) -> Vec<Response> {
    let mut report = ingested.report.clone();
    report.rejected.truncate(REJECTED_SHOWN);
    let loaded =
        Response::Loaded { load: 1, report: Box::new(report), options: IngestOptions::default(), slot: Slot::Transactions };
    let mut responses = vec![Response::Progress { load: 1, stage: ProgressStage::Parsing, fraction: 0.5 }, loaded];
    if let Response::Segmented { nps: Some(nps), .. } = &mut segmented {
        responses.push(Response::Comments { shown: std::mem::take(&mut nps.comments.shown) });
    }
    responses.push(segmented);
    let stages = ["read", "parse", "segment", "wasm-mb"].map(|stage| (stage.to_string(), 1.0)).to_vec();
    responses.push(Response::Timings { stages });
    responses
}

fn handle(event: MessageEvent) {
    let message: js_sys::Array = match event.data().dyn_into() {
        Ok(a) => a,
        Err(_) => return fail("internal error: a message to the worker was not an array"),
    };
    let request: Request = match serde_wasm_bindgen::from_value(message.get(0)) {
        Ok(r) => r,
        Err(e) => return fail(format!("internal error: cannot decode a request: {e}")),
    };
    set_load(match &request {
        Request::Load { load, .. } | Request::Sample { load, .. } | Request::Reparse { load, .. } => *load,
        _ => 0,
    });
    match request {
        Request::Load { load: id, name, size, options, slot } => match message.get(1).dyn_into::<File>() {
            Ok(file) => {
                replaced(cancel(slot), slot.unwrap_or_default());
                let load = move || {
                    set_load(id);
                    load_file(&file, name, size, options, slot, true);
                };
                // A big file right after the page loaded waits for the helper to be ready.
                if size >= SPLIT_MIN {
                    helper::when_ready(slot, id, load);
                } else {
                    load();
                }
            }
            Err(_) => fail("internal error: no file came with the request"),
        },
        Request::Sample { customers, seed, .. } => {
            replaced(cancel(Some(Slot::Transactions)), Slot::Transactions);
            post(Response::Progress { load: load_id(), stage: ProgressStage::Generating, fraction: 0.0 });
            let mut bytes = Vec::new();
            if let Err(e) = write_sample(customers, seed, &mut bytes) {
                return fail(format!("could not generate the sample: {e}"));
            }
            run(
                format!("sample-{customers}-customers-seed-{seed}.csv"),
                bytes,
                IngestOptions::default(),
                Some(Slot::Transactions),
            );
        }
        Request::Reparse { options, slot, .. } => {
            replaced(cancel(Some(slot)), slot);
            let (name, file, bytes) = HELD.with(|h| {
                let mut h = h.borrow_mut();
                let held = h.file(slot);
                held.ingested = None;
                (std::mem::take(&mut held.name), held.file.take(), std::mem::take(&mut held.bytes))
            });
            match file {
                Some(file) => {
                    let size = file.size() as u64;
                    load_file(&file, name, size, options, Some(slot), true);
                }
                None if !bytes.is_empty() => run(name, bytes, options, Some(slot)),
                None => fail("there is no file to read again: choose a file"),
            }
        }
        Request::ExportRejected { slot } => {
            let csv = HELD.with(|h| {
                let mut h = h.borrow_mut();
                let file = h.file(slot);
                file.ingested.as_ref().map(|i| (file.name.clone(), export::rejections_csv(&i.report.rejected)))
            });
            match csv {
                Some((name, csv)) => post(Response::RejectedCsv { file_name: format!("{name}.rejected.csv"), csv }),
                None => fail("there is nothing to export: choose a file"),
            }
        }
        Request::DropSurvey => HELD.with(|h| {
            let mut h = h.borrow_mut();
            h.survey = HeldFile::default();
            h.refresh();
        }),
        Request::Segment { params } if HELD.with(|h| h.borrow().transactions.ingested.is_none()) => HELD.with(|h| {
            let mut h = h.borrow_mut();
            h.params = params;
            h.refresh();
        }),
        Request::Segment { params } => {
            let result = HELD.with(|h| h.borrow_mut().segment(&params));
            match result {
                Ok((summary, nps)) => post(Response::Segmented { summary: Box::new(summary), params, nps }),
                Err(message) => post(Response::SegmentFailed { message }),
            }
        }
        Request::Customers { filter, offset } => {
            let page = HELD.with(|h| {
                let mut h = h.borrow_mut();
                let held = &mut *h;
                let (ingested, seg) = (held.transactions.ingested.as_ref()?, held.segmentation.as_ref()?);
                if held.list.as_ref().is_none_or(|(f, _)| *f != filter) {
                    held.list = Some((filter.clone(), seg.order(&ingested.dataset, &filter)));
                }
                let order = &held.list.as_ref()?.1;
                let rows = order.iter().skip(offset).take(PAGE_SIZE).map(|&i| seg.row(&ingested.dataset, i)).collect::<Vec<_>>();
                Some((order.len(), rows))
            });
            match page {
                Some((total, rows)) => post(Response::Customers { filter, offset, total, rows }),
                None => post(Response::SegmentFailed { message: "there is no segmentation: choose a file".into() }),
            }
        }
        Request::ExportCustomers { filter, file_name, format } => {
            let file = HELD.with(|h| {
                let h = h.borrow();
                let rows = h.segmentation.as_ref()?.rows(&h.transactions.ingested.as_ref()?.dataset, &filter);
                Some(match format {
                    ExportFormat::CsvUtf8 => Ok(export::encode(&export::customers_csv(&rows), ExportEncoding::Utf8Bom).0),
                    ExportFormat::CsvGbk => Ok(export::encode(&export::customers_csv(&rows), ExportEncoding::Gbk).0),
                    ExportFormat::Xlsx => export::customers_xlsx(&rows),
                })
            });
            match file {
                Some(Ok(bytes)) => post(Response::CustomersFile {
                    file_name: format!("{file_name}.{}", format.extension()),
                    mime: format.mime().into(),
                    bytes,
                }),
                Some(Err(message)) => post(Response::SegmentFailed { message: format!("the export failed: {message}") }),
                None => post(Response::SegmentFailed { message: "there is no segmentation: choose a file".into() }),
            }
        }
        Request::Clv { params } => {
            let run = HELD.with(|h| {
                let mut h = h.borrow_mut();
                h.clv_runs += 1;
                let run = h.clv_runs;
                h.clv_job =
                    Some(ClvJob { run, params, summary: None, bgnbd: None, pareto: None, spend: None, timings: Vec::new() });
                run
            });
            schedule_clv(run);
        }
        Request::ClvCancel => {
            HELD.with(|h| h.borrow_mut().clv_job = None);
            post(Response::ClvCancelled);
        }
        Request::ClvCustomers { sort, offset } => {
            let page = HELD.with(|h| {
                let mut h = h.borrow_mut();
                let held = &mut *h;
                let report = held.clv.as_ref()?;
                if held.clv_list.as_ref().is_none_or(|(s, _)| *s != sort) {
                    held.clv_list = Some((sort, clv_order(report, sort)));
                }
                let order = &held.clv_list.as_ref()?.1;
                Some((order.len(), order.iter().skip(offset).take(PAGE_SIZE).map(|&i| report.rows[i].clone()).collect()))
            });
            match page {
                Some((total, rows)) => post(Response::ClvCustomers { sort, offset, total, rows }),
                None => post(Response::ClvFailed { message: "there is no CLV result: run the models first".into() }),
            }
        }
        Request::ExportClv { file_name } => {
            let csv = HELD.with(|h| h.borrow().clv.as_ref().map(|r| export::clv_csv(&r.rows)));
            match csv {
                Some(Ok(csv)) => post(Response::RejectedCsv { file_name: format!("{file_name}.csv"), csv }),
                Some(Err(message)) => post(Response::ClvFailed { message: format!("the export failed: {message}") }),
                None => post(Response::ClvFailed { message: "there is no CLV result: run the models first".into() }),
            }
        }
        Request::Clear => {
            replaced(cancel_all(), Slot::Transactions);
            HELD.with(|h| *h.borrow_mut() = Held::default());
            // The page forgets its comments on `Cleared`.
            COMMENTS_SENT.with(|sent| *sent.borrow_mut() = None);
            post(Response::Cleared);
        }
        Request::Crash => panic!("crash requested by #crash-test=worker"),
    }
}

/// Reads `file` into `slot`: streamed when it is UTF-8 delimited text, else whole; when `split` and
/// the file is big, on two cores (the helper reads the second half, and the rest happens when its
/// part arrives: [`joined`]).
///
/// The file streams in with the browser's asynchronous reads ([`FileStream`]), so that the browser
/// reads the next bytes while these are parsed; where the browser cannot stream a file into a
/// buffer of the worker's (`ReadableStreamBYOBReader`), it is read a chunk at a time with
/// `FileReaderSync`, the worker waiting for each.
fn load_file(file: &File, name: String, size: u64, options: IngestOptions, slot: Option<Slot>, split: bool) {
    let failed = slot.unwrap_or_default();
    if size > MAX_BROWSER_BYTES {
        return fail_with(&IngestError::TooLarge { bytes: size, limit: MAX_BROWSER_BYTES }, failed);
    }
    // A new transaction file replaces the old one: free it before reading (a survey is small).
    if failed == Slot::Transactions {
        HELD.with(|h| {
            let mut h = h.borrow_mut();
            h.transactions = HeldFile::default();
            h.segmentation = None;
            h.list = None;
        });
    }
    let Some(stream) = FileStream::new(file) else { return load_file_sync(file, name, size, options, slot, split) };
    post(Response::Progress { load: load_id(), stage: ProgressStage::Reading, fraction: 0.0 });
    let reading = READING.with(|r| {
        let mut r = r.borrow_mut();
        r.0 += 1;
        let reading = r.0;
        r.1.push((reading, failed, load_id()));
        reading
    });
    let read = Read { file: file.clone(), name, size, options, slot, split, reading, load: load_id() };
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

/// Whether `read` is still in progress (nothing replaced it while it waited for the browser); if
/// so, its answers carry its load's number again.
fn resume(read: &Read) -> bool {
    let current = READING.with(|r| r.borrow().1.iter().any(|&(n, ..)| n == read.reading));
    if current {
        set_load(read.load);
    }
    current
}

/// Marks `read` as no longer in progress.
fn end_reading(read: &Read) {
    READING.with(|r| r.borrow_mut().1.retain(|&(n, ..)| n != read.reading));
}

/// Forgets the files for `slot` being read, waiting for the helper's part or for the helper to
/// start (another file for the slot replaces them); see [`helper::cancel`]. Returns the loads
/// forgotten, which still need an answer.
fn cancel(slot: Option<Slot>) -> Vec<u32> {
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
fn cancel_all() -> Vec<u32> {
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
                return fail_unreadable(&read.name, failed);
            }
        }
    }
    let mut progress = |stage: Stage, fraction: f64| post(Response::Progress { load: load_id(), stage: stage.into(), fraction });
    let mut job = None;
    let file = read.file.clone();
    let mut begin = |plan: &Plan| {
        job = helper::begin(plan, &file);
        job.is_some()
    };
    let size = read.size;
    let split = split_at(size, read.split).map(|at| Split { at, begin: &mut begin });
    let begun = ingest_pushed(&prefix, size, &read.name, &read.options, split, &mut progress);
    drop(prefix);
    let mut pushed = match begun {
        Ok(Begun::Pushing(pushed)) => pushed,
        Ok(Begun::Whole) => {
            end_reading(&read);
            drop(stream);
            return streamed_read(Streamed::Whole, None, read.file, read.name, size, read.options, read.slot, (started, 0.0));
        }
        Err(e) => {
            end_reading(&read);
            return stream_failed(&e, read.name, &read.file, read.slot);
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
                return fail_unreadable(&read.name, failed);
            }
        }
    }
    let read_ms = stream.wait_ms;
    drop(stream);
    end_reading(&read);
    let Read { file, name, options, slot, .. } = read;
    streamed_read(pushed.finish(&mut progress), job, file, name, size, options, slot, (started, read_ms));
}

/// Where to split a file of `size` bytes to read it on two cores, if it is to be (`split`: not
/// read again after its parts did not meet). Up to the size streamed in big chunks: a second copy
/// of part of the dataset, in the helper, matters little beside it; above it, memory is what counts.
fn split_at(size: u64, split: bool) -> Option<u64> {
    (split && size >= SPLIT_MIN && size as f64 <= SMALL_STREAM && helper::available()).then(|| split_point(size))
}

/// Goes on with a file read as it streamed in (either way of reading it): waits for the helper's
/// part (`job`, when it was handed one), holds what was read, or reads the file whole.
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
) {
    match streamed {
        Streamed::Split(pending) => match job {
            Some(job) => helper::wait(helper::Waiting {
                job,
                helper_timings: Vec::new(),
                load: load_id(),
                pending,
                name,
                file,
                options,
                slot,
                started,
                read_ms,
                stopped: now_ms(),
            }),
            None => load_file(&file, name, size, options, slot, false),
        },
        Streamed::Read(ingested) => {
            let parse_ms = now_ms() - started - read_ms;
            settle(
                name,
                Vec::new(),
                Some(file),
                *ingested,
                options,
                slot,
                vec![("read".into(), read_ms), ("parse".into(), parse_ms)],
            );
        }
        Streamed::Whole => match FileReaderSync::new() {
            Ok(reader) => load_whole(&file, &reader, name, size, options, slot),
            Err(_) => fail_in("this browser cannot read files in a worker", slot.unwrap_or_default()),
        },
    }
}

/// Reports a file whose head could not be used; as after reading whole, the file is kept when the
/// user may fix the options and read it again.
fn stream_failed(e: &IngestError, name: String, file: &File, slot: Option<Slot>) {
    let retry = matches!(e, IngestError::NoCustomerColumn { .. } | IngestError::UnknownColumn { .. });
    let keep = retry.then(|| HeldFile { name, file: Some(file.clone()), bytes: Vec::new(), ingested: None });
    settle_failed(keep, e, slot);
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
fn load_file_sync(file: &File, name: String, size: u64, options: IngestOptions, slot: Option<Slot>, split: bool) {
    let failed = slot.unwrap_or_default();
    let reader = match FileReaderSync::new() {
        Ok(r) => r,
        Err(_) => return fail_in("this browser cannot read files in a worker", failed),
    };
    post(Response::Progress { load: load_id(), stage: ProgressStage::Reading, fraction: 0.0 });
    // UTF-8 delimited text (most files) is read as it streams in, a chunk at a time; anything else
    // (workbooks, GBK, …) is read whole below.
    let started = now_ms();
    let mut chunks = Chunks::new(file, &reader);
    let mut prefix = Vec::new();
    while prefix.len() < STREAM_PREFIX && chunks.offset < file.size() {
        if chunks.next_chunk().is_err() {
            return fail_unreadable(&name, failed);
        }
        prefix.append(&mut chunks.buffer);
    }
    let mut job = None;
    let mut begin = |plan: &Plan| {
        job = helper::begin(plan, file);
        job.is_some()
    };
    let split = split_at(size, split).map(|at| Split { at, begin: &mut begin });
    let streamed = ingest_stream(&prefix, &mut chunks, size, &name, &options, split, &mut |stage, fraction| {
        post(Response::Progress { load: load_id(), stage: stage.into(), fraction });
    });
    drop(prefix);
    match streamed {
        Err(_) if chunks.failed => fail_unreadable(&name, failed),
        Err(e) => stream_failed(&e, name, file, slot),
        Ok(streamed) => streamed_read(streamed, job, file.clone(), name, size, options, slot, (started, chunks.read_ms)),
    }
}

/// Answers `count` loads that another request replaced before they finished (they waited for the
/// helper): the page counts the loads it sent, and takes an answer as the end of the oldest. Before
/// reading on two cores the worker answered every load, one after the other; it still does.
fn replaced(loads: Vec<u32>, slot: Slot) {
    for load in loads {
        post(Response::Failed {
            load,
            message: "replaced by another file".into(),
            code: "replaced".into(),
            slot,
            columns: Vec::new(),
        });
    }
}

/// Finishes a file read in two parts once the helper's part is there (its encoded buffer; `None`:
/// it failed): joins them, or reads the file again on one core where they do not meet.
fn joined(waiting: helper::Waiting, part: Option<helper::Posted>) {
    let waited = now_ms() - waiting.stopped;
    let helper::Waiting { load, pending, name, file, options, slot, started, read_ms, helper_timings, .. } = waiting;
    set_load(load);
    let joining = now_ms();
    let ingested = part.as_ref().and_then(|part| Part::decode_from(Wire::Elsewhere(part))).and_then(|part| pending.join(part));
    // The part's buffer (outside WebAssembly memory) goes before segmenting.
    drop(part);
    match ingested {
        Some(ingested) => {
            let parse_ms = now_ms() - started - read_ms;
            let join_ms = now_ms() - joining;
            let mut stages = vec![
                ("read".into(), read_ms),
                ("parse".into(), parse_ms),
                ("helper-wait".into(), waited),
                ("join".into(), join_ms),
            ];
            stages.extend(helper_timings);
            settle(name, Vec::new(), Some(file.clone()), ingested, options, slot, stages);
        }
        None => {
            let size = file.size() as u64;
            load_file(&file, name, size, options, slot, false);
        }
    }
}

/// A `File` as a byte stream: read a chunk at a time with `FileReaderSync` (see [`ingest_stream`]).
struct Chunks<'f> {
    file: &'f File,
    reader: &'f FileReaderSync,
    /// Where the next chunk starts in the file.
    offset: f64,
    buffer: Vec<u8>,
    /// How much of `buffer` is handed out.
    at: usize,
    /// Time spent reading, in milliseconds.
    read_ms: f64,
    /// Reading failed (the file was moved, deleted or changed).
    failed: bool,
}

impl<'f> Chunks<'f> {
    fn new(file: &'f File, reader: &'f FileReaderSync) -> Self {
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
fn load_whole(file: &File, reader: &FileReaderSync, name: String, size: u64, options: IngestOptions, slot: Option<Slot>) {
    let failed = slot.unwrap_or_default();
    let mut bytes: Vec<u8> = Vec::new();
    if bytes.try_reserve_exact(size as usize).is_err() {
        return fail_with(&IngestError::TooLarge { bytes: size, limit: MAX_BROWSER_BYTES }, failed);
    }
    let mut chunks = Chunks::new(file, reader);
    post(Response::Progress { load: load_id(), stage: ProgressStage::Reading, fraction: 0.0 });
    while chunks.offset < file.size() {
        if chunks.next_chunk().is_err() {
            return fail_unreadable(&name, failed);
        }
        bytes.append(&mut chunks.buffer);
        post(Response::Progress { load: load_id(), stage: ProgressStage::Reading, fraction: chunks.offset / file.size() });
    }
    run_timed(name, bytes, Some(file.clone()), options, slot, Some(chunks.read_ms));
}

/// Reads generated `bytes` into `slot` (or the slot its content asks for), then refreshes the pages.
fn run(name: String, bytes: Vec<u8>, options: IngestOptions, slot: Option<Slot>) {
    run_timed(name, bytes, None, options, slot, None);
}

/// [`run`] for `bytes` read from `file` (or generated, without one), posting how long each stage
/// took (`read_ms`: reading the file, when it was read).
fn run_timed(name: String, bytes: Vec<u8>, file: Option<File>, options: IngestOptions, slot: Option<Slot>, read_ms: Option<f64>) {
    let started = now_ms();
    let result = ingest(&bytes, &name, &options, &mut |stage, fraction| {
        post(Response::Progress { load: load_id(), stage: stage.into(), fraction });
    });
    // A file can be read again from its handle: its bytes go now, before segmenting needs memory.
    let bytes = if file.is_some() { Vec::new() } else { bytes };
    match result {
        Ok(ingested) => {
            let mut stages: Vec<(String, f64)> = read_ms.map(|ms| ("read".to_string(), ms)).into_iter().collect();
            stages.push(("parse".into(), now_ms() - started));
            settle(name, bytes, file, ingested, options, slot, stages);
        }
        Err(e) => {
            // Keep the file: the user may fix the reading options (encoding, mapping) and retry.
            let retry = matches!(
                e,
                IngestError::NoCustomerColumn { .. } | IngestError::UnknownColumn { .. } | IngestError::UnknownEncoding(_)
            );
            let keep = retry.then_some(HeldFile { name, file, bytes, ingested: None });
            settle_failed(keep, &e, slot);
        }
    }
}

/// Holds what was read in `slot` (or the slot its content asks for), tells the pages, segments, and
/// posts the time of each stage (`stages`, to which segmenting is added).
fn settle(
    name: String,
    bytes: Vec<u8>,
    file: Option<File>,
    ingested: Ingested,
    options: IngestOptions,
    slot: Option<Slot>,
    mut stages: Vec<(String, f64)>,
) {
    let ds = &ingested.dataset;
    let slot = slot.unwrap_or(if ds.score.is_some() && ds.amount.is_none() { Slot::Survey } else { Slot::Transactions });
    let mut report = ingested.report.clone();
    report.rejected.truncate(REJECTED_SHOWN);
    HELD.with(|h| {
        let mut h = h.borrow_mut();
        *h.file(slot) = HeldFile { name, file, bytes, ingested: Some(ingested) };
        if slot == Slot::Transactions {
            h.segmentation = None;
            h.list = None;
            h.clv_job = None;
            h.clv = None;
            h.clv_list = None;
            // Rules start afresh for new transactions (an as-of date of the old file would not fit).
            h.params = SegmentationParams { nps_latest: h.params.nps_latest, ..SegmentationParams::default() };
        }
    });
    let parsed = now_ms();
    post(Response::Loaded { load: load_id(), report: Box::new(report), options, slot });
    // Segment with the rules in use right away, so the pages are ready when the user opens them.
    HELD.with(|h| h.borrow_mut().refresh());
    stages.push(("segment".into(), now_ms() - parsed));
    // The worker's memory (it only grows): its high-water mark, for the benchmark.
    let memory = wasm_bindgen::memory().unchecked_into::<js_sys::WebAssembly::Memory>().buffer();
    stages.push(("wasm-mb".into(), memory.unchecked_into::<js_sys::ArrayBuffer>().byte_length() as f64 / 1e6));
    post(Response::Timings { stages });
}

/// Reports a file that could not be read; `keep` holds it when the user may fix the options and
/// read it again.
fn settle_failed(keep: Option<HeldFile>, e: &IngestError, slot: Option<Slot>) {
    let slot = slot.unwrap_or_default();
    HELD.with(|h| {
        let mut h = h.borrow_mut();
        *h.file(slot) = keep.unwrap_or_default();
        if slot == Slot::Transactions {
            h.segmentation = None;
            h.list = None;
        }
    });
    fail_with(e, slot);
}

fn clv_order(report: &ClvReport, sort: ClvSort) -> Vec<usize> {
    match sort {
        ClvSort::Clv => clv::order_by(&report.rows, |r| r.clv.unwrap_or(f64::NEG_INFINITY)),
        ClvSort::PAlive => clv::order_by(&report.rows, |r| r.p_alive),
        ClvSort::ExpectedPurchases => clv::order_by(&report.rows, |r| r.expected_purchases),
    }
}

/// Runs the next step of CLV run `run` after the messages waiting now (a cancel among them).
fn schedule_clv(run: u32) {
    let step = Closure::once_into_js(move || clv_step(run));
    if scope().set_timeout_with_callback_and_timeout_and_arguments_0(step.unchecked_ref(), 0).is_err() {
        post(Response::ClvFailed { message: "internal error: the worker cannot schedule work".into() });
    }
}

/// Milliseconds from the worker's high-resolution clock (`performance.now()`).
fn now_ms() -> f64 {
    scope().performance().map_or_else(js_sys::Date::now, |p| p.now())
}

/// One step of a CLV run: the summary, one model fit, or the predictions.
fn clv_step(run: u32) {
    let started = now_ms();
    let more = HELD.with(|h| {
        let mut h = h.borrow_mut();
        let held = &mut *h;
        let Some(job) = held.clv_job.as_mut().filter(|j| j.run == run) else { return false };
        let Some(ds) = held.transactions.ingested.as_ref().map(|i| &i.dataset) else {
            held.clv_job = None;
            post(Response::ClvFailed { message: "CLV needs a transaction file: choose one".into() });
            return false;
        };
        let failed = |message: String| post(Response::ClvFailed { message });
        let Some(summary) = &job.summary else {
            post(Response::ClvProgress { step: ClvStep::Summary });
            match clv::prepare(ds, &job.params) {
                Ok(s) => job.summary = Some(s),
                Err(e) => {
                    failed(e.to_string());
                    held.clv_job = None;
                    return false;
                }
            }
            return true;
        };
        if job.bgnbd.is_none() {
            post(Response::ClvProgress { step: ClvStep::BgNbd });
            match clv::fit_purchases(summary) {
                Ok(f) => job.bgnbd = Some(f),
                Err(e) => {
                    failed(e.to_string());
                    held.clv_job = None;
                    return false;
                }
            }
            return true;
        }
        if job.pareto.is_none() {
            post(Response::ClvProgress { step: ClvStep::ParetoNbd });
            job.pareto = Some(clv::fit_pareto(summary));
            return true;
        }
        if job.spend.is_none() {
            post(Response::ClvProgress { step: ClvStep::GammaGamma });
            job.spend = Some(clv::fit_spend(ds, summary));
            return true;
        }
        post(Response::ClvProgress { step: ClvStep::Predicting });
        let Some(job) = held.clv_job.take() else { return false };
        let (Some(summary), Some(bg), Some(pareto), Some(spend)) = (job.summary, job.bgnbd, job.pareto, job.spend) else {
            return false;
        };
        let report = clv::report(ds, &summary, &job.params, bg, pareto, spend);
        let order = clv_order(&report, ClvSort::Clv);
        let top = order.iter().take(PAGE_SIZE).map(|&i| report.rows[i].clone()).collect();
        let mut timings = job.timings;
        timings.push(now_ms() - started);
        post(Response::ClvDone { report: Box::new(report.clone()), top, timings });
        held.clv_list = Some((ClvSort::Clv, order));
        held.clv = Some(report);
        false
    });
    if more {
        HELD.with(|h| {
            if let Some(job) = h.borrow_mut().clv_job.as_mut().filter(|j| j.run == run) {
                job.timings.push(now_ms() - started);
            }
        });
        schedule_clv(run);
    }
}
