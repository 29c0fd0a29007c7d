//! The worker's shell around the [`Session`]: the message loop, posting answers to the page,
//! scheduling CLV steps, and the warm-up. Files are read in `read.rs`.

use super::helper;
use super::read::{cancel, cancel_all, load_file};
use super::session::{rehearsal, Host, Kept, Next, ReadAgain, Session};
use crate::core::clv::{self, ClvParams};
use crate::core::ingest::split::SPLIT_MIN;
use crate::core::ingest::{ingest, ingest_pushed, Begun, IngestOptions, Streamed, STREAM_PREFIX};
use crate::core::report::segments::SegmentationParams;
use crate::core::sample::write_sample;
use crate::protocol::{Request, Response, Slot};
use serde::Serialize;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, File, MessageEvent};

thread_local! {
    static SESSION: RefCell<Session<File>> = RefCell::new(Session::new(host()));
}

/// The browser as the session's host: `performance.now()` and the WebAssembly memory's size (it
/// only grows: its high-water mark, for the benchmark).
fn host() -> Host {
    Host {
        now_ms,
        memory_mb: || {
            let memory = wasm_bindgen::memory().unchecked_into::<js_sys::WebAssembly::Memory>().buffer();
            Some(memory.unchecked_into::<js_sys::ArrayBuffer>().byte_length() as f64 / 1e6)
        },
    }
}

/// Runs `f` on the session, with [`post`] as where its answers go, then does what it asks next.
pub(super) fn with_session(f: impl FnOnce(&mut Session<File>, &mut dyn FnMut(Response)) -> Next<File>) {
    let next = SESSION.with(|s| f(&mut s.borrow_mut(), &mut post));
    match next {
        Next::Idle => {}
        Next::ClvStep(run) => schedule_clv(run),
        Next::Read(ReadAgain { load, name, file, options, slot }) => {
            let size = file.size() as u64;
            load_file(&file, name, size, options, Some(slot), true, load);
        }
    }
}

pub(super) fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Milliseconds from the worker's high-resolution clock (`performance.now()`).
pub(super) fn now_ms() -> f64 {
    scope().performance().map_or_else(js_sys::Date::now, |p| p.now())
}

/// How answers become JavaScript values: JSON-like objects, bytes as one `Uint8Array` (as an array of
/// numbers, a file of 20 MB took a second to post and another to read on the page).
fn serializer() -> serde_wasm_bindgen::Serializer {
    serde_wasm_bindgen::Serializer::json_compatible().serialize_bytes_as_arrays(false)
}

/// Posts `response` to the page.
pub(super) fn post(response: Response) {
    match response.serialize(&serializer()) {
        Ok(value) => {
            if let Err(e) = scope().post_message(&value) {
                web_sys::console::error_2(&"loyalty-lens worker: cannot post".into(), &e);
            }
        }
        Err(e) => web_sys::console::error_1(&format!("loyalty-lens worker: cannot encode a response: {e}").into()),
    }
}

/// Posts the failure of `load` (0 for a request that is no load) in `slot`, not about the file's
/// content.
pub(super) fn fail_in(load: u32, message: impl Into<String>, slot: Slot) {
    post(Response::Failed { load, message: message.into(), code: String::new(), slot, columns: Vec::new() });
}

/// Starts listening; called by the worker binary. The same binary is a helper that reads a later
/// part of big files ([`helper`]), when started under the helpers' name.
pub fn start() {
    if helper::is_helper() {
        return helper::start_helper();
    }
    let onmessage = Closure::<dyn Fn(MessageEvent)>::new(|event: MessageEvent| handle(event));
    scope().set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    // Ready once the helpers have loaded: all of the app's code is then in, and nothing is fetched
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
pub(super) const WARM_UP_CUSTOMERS: usize = 2000;
pub(super) const WARM_UP_RUNS: usize = 2;

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
    // The same path as a user's file, on a session of its own: its answers are posted for the
    // page's rehearsal, after a second segmentation (serialised, and thrown away).
    let mut session = Session::<File>::new(host());
    let kept = Kept { name: "warm-up.csv".into(), file: None, bytes: Vec::new() };
    let mut answers = Vec::new();
    session.settle(1, kept, *ingested, options, Some(Slot::Transactions), Vec::new(), &mut |r| answers.push(r));
    let params = SegmentationParams::default();
    for _ in 1..WARM_UP_RUNS {
        if let Ok((summary, nps)) = session.segment(&params) {
            let response = Response::Segmented { summary: Box::new(summary), params: params.clone(), nps };
            let _ = response.serialize(&serializer());
        }
    }
    let Some(ingested) = session.transactions() else { return };
    let ds = &ingested.dataset;
    // The CLV fits too (not Pareto/NBD, the slowest to fit and not the default model): a first CLV
    // run then takes what later runs take.
    if let Some(summary) = ClvParams::default().check().ok().and_then(|p| clv::prepare(ds, &p).ok()) {
        for _ in 0..WARM_UP_RUNS {
            let _ = clv::fit_purchases(&summary);
            let _ = clv::fit_spend(ds, &summary);
        }
    }
    // Posted last, so that the page rehearses while this worker is idle: on two cores, the fits
    // running beside the page's decoding and first layout stretched them into long tasks.
    let mut responses = rehearsal(answers).into_iter().peekable();
    while let Some(response) = responses.next() {
        post(Response::Rehearsal { response: Box::new(response), last: responses.peek().is_none() });
    }
    // Shown on the page (`data-load-ms`) until a file's own timings replace it.
    post(Response::Timings { stages: vec![("warm-up".into(), now_ms() - started)] });
}

fn handle(event: MessageEvent) {
    let message: js_sys::Array = match event.data().dyn_into() {
        Ok(a) => a,
        Err(_) => return fail_in(0, "internal error: a message to the worker was not an array", Slot::Transactions),
    };
    let request: Request = match serde_wasm_bindgen::from_value(message.get(0)) {
        Ok(r) => r,
        Err(e) => return fail_in(0, format!("internal error: cannot decode a request: {e}"), Slot::Transactions),
    };
    match request {
        Request::Load { load, name, size, options, slot } => match message.get(1).dyn_into::<File>() {
            Ok(file) => {
                replaced(cancel(slot), slot.unwrap_or_default());
                let read = move || load_file(&file, name, size, options, slot, true, load);
                // A big file right after the page loaded waits for the helpers to be ready.
                if size >= SPLIT_MIN {
                    helper::when_ready(slot, load, read);
                } else {
                    read();
                }
            }
            Err(_) => fail_in(load, "internal error: no file came with the request", Slot::Transactions),
        },
        Request::Sample { .. } => {
            replaced(cancel(Some(Slot::Transactions)), Slot::Transactions);
            with_session(|s, out| s.handle(request, out));
        }
        Request::Reparse { slot, .. } => {
            replaced(cancel(Some(slot)), slot);
            with_session(|s, out| s.handle(request, out));
        }
        Request::Clear => {
            replaced(cancel_all(), Slot::Transactions);
            with_session(|s, out| s.handle(request, out));
        }
        Request::Events { name } => match whole_file(&message) {
            Some(bytes) => with_session(|s, out| {
                s.events_read(name, &bytes, out);
                Next::Idle
            }),
            None => post(Response::Events {
                file: name,
                error: Some(("unreadable".into(), "the events file could not be read".into())),
            }),
        },
        Request::Members { name } => {
            let bytes = whole_file(&message);
            match bytes {
                Some(bytes) => with_session(|s, out| {
                    s.members_read(name, &bytes, out);
                    Next::Idle
                }),
                None => post(Response::Funnel {
                    file: name,
                    funnel: None,
                    compare: None,
                    error: Some(("unreadable".into(), "the member list could not be read".into())),
                }),
            }
        }
        Request::Crash => panic!("crash requested by #crash-test=worker"),
        request => with_session(|s, out| s.handle(request, out)),
    }
}

/// Answers the loads that another request replaced before they finished (they waited for the
/// helper): the page counts the loads it sent, and takes an answer as the end of the oldest.
/// Before reading on two cores the worker answered every load, one after the other; it still does.
/// The file posted with `message` (its second part), read whole at once: a member list or an
/// events file is small beside the orders.
fn whole_file(message: &js_sys::Array) -> Option<Vec<u8>> {
    let file = message.get(1).dyn_into::<File>().ok()?;
    let reader = web_sys::FileReaderSync::new().ok()?;
    reader.read_as_array_buffer(&file).ok().map(|b| js_sys::Uint8Array::new(&b).to_vec())
}

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

/// Runs the next step of CLV run `run` after the messages waiting now (a cancel among them).
fn schedule_clv(run: u32) {
    let step = Closure::once_into_js(move || with_session(|s, out| s.clv_step(run, out)));
    if scope().set_timeout_with_callback_and_timeout_and_arguments_0(step.unchecked_ref(), 0).is_err() {
        post(Response::ClvFailed { message: "internal error: the worker cannot schedule work".into(), code: String::new() });
    }
}
