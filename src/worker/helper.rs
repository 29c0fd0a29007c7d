//! The other cores: other instances of this worker (the helpers, one for each core after the worker's,
//! [`MAX_READERS`] readers at most) read the rest of a big text file while this one reads its
//! first part (see [`crate::core::ingest::split`]).
//!
//! The worker starts the helpers when it starts. For a file of [`SPLIT_MIN`] bytes and more, once
//! the head of the file is understood, it posts each ready helper its [`Plan`] (the rest of the
//! file cut into one part a helper) and the `File`; a helper reads from its part's start (streamed,
//! as the worker reads, see [`FileStream`]) and posts back the [`Part`], encoded in one transferred
//! buffer. The worker, having read up to its split point, goes back to its event loop until every
//! part has arrived, then joins them in order. If anything goes wrong (no helper, a failed read,
//! parts that do not meet) the file is read again on one core, as before.

use super::read::{joined, Chunks, FileStream};
use super::shell::{now_ms, scope, WARM_UP_CUSTOMERS, WARM_UP_RUNS};
use crate::core::ingest::split::{read_part, split_point, Elsewhere, Part, PartReading, Pending, Plan, Split};
use crate::core::ingest::{ingest_stream, IngestOptions, Ingested, Streamed};
use crate::protocol::{cores_in_worker_name, Slot};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{File, FileReaderSync, MessageEvent, Worker, WorkerOptions};

/// The helper's name (`self.name` inside it): how an instance of the worker knows it is the helper.
const NAME: &str = "loyalty-lens-helper";
/// The worker's script (trunk's loader), beside the running worker's.
const SCRIPT: &str = "./worker_loader.js";
/// What the helper posts once it runs (its code is loaded), and once it is warmed up and listens.
const LOADED: &str = "loaded";
const READY: &str = "ready";

/// Whether this instance of the worker is the helper.
pub(super) fn is_helper() -> bool {
    scope().name() == NAME
}

/// A part to read: sent with the `File`.
#[derive(Serialize, Deserialize)]
struct Task {
    job: u32,
    /// Which of the job's parts (0: the one after the worker's).
    #[serde(default)]
    part: usize,
    plan: Plan,
    /// When the worker posted it (`performance.timeOrigin + now()`, milliseconds since the epoch).
    posted: f64,
}

/// The helper's answer, sent with the encoded part (empty on an error).
#[derive(Serialize, Deserialize)]
struct Done {
    job: u32,
    #[serde(default)]
    part: usize,
    error: Option<String>,
    /// How the helper spent its time, in milliseconds: from the task's posting to its arrival
    /// (`helper-start`), reading the file (`helper-read`), parsing (`helper-parse`), encoding the
    /// part (`helper-encode`). The worker adds them to the load's timings.
    #[serde(default)]
    timings: Vec<(String, f64)>,
}

/// A file read up to the split point, waiting for the helpers' parts.
pub(super) struct Waiting {
    pub job: u32,
    /// The helpers' timings (see [`Done`]): each the slowest helper's.
    pub helper_timings: Vec<(String, f64)>,
    /// The page's number for this load.
    pub load: u32,
    pub pending: Box<Pending>,
    pub name: String,
    pub file: File,
    pub options: IngestOptions,
    pub slot: Option<Slot>,
    /// When reading started, how long reading the first part took, when the first part was done.
    pub started: f64,
    pub read_ms: f64,
    pub stopped: f64,
}

/// A file waiting for the helpers to start: its slot, the page's number for the load, and the read.
type Queued = (Slot, u32, Box<dyn FnOnce()>);

/// Readers of one file at most: the worker and seven helpers. Each helper is another copy of the
/// app's code and of its own small warm-up data in memory (tens of MB), and past eight parts the
/// worker's own work (the head, the join) is most of what is left.
pub(super) const MAX_READERS: usize = 8;

/// One helper: its worker while it works, whether its code has loaded and it is ready.
struct Helper {
    worker: Option<Worker>,
    loaded: bool,
    ready: bool,
}

#[derive(Default)]
struct State {
    helpers: Vec<Helper>,
    jobs: u32,
    waiting: Option<Waiting>,
    /// Files chosen while the helpers were still starting, to read once they are ready.
    queued: Vec<Queued>,
    /// What to do once every helper has loaded (or failed to).
    on_loaded: Option<Box<dyn FnOnce()>>,
    /// The last job's parts as they come in: a helper may finish its part before the worker has
    /// read up to its split point and waits.
    job: Job,
}

/// The parts of the job [`begin`] handed out last.
#[derive(Default)]
struct Job {
    /// The helpers reading them, in the parts' order.
    helpers: Vec<usize>,
    /// The parts in the file's order, as they come in.
    parts: Vec<Option<Posted>>,
    /// A part could not be read: the file is to be read on one core.
    failed: bool,
    /// The helpers' timings, each stage the slowest helper's.
    timings: Vec<(String, f64)>,
}

impl State {
    /// The file waiting for its parts, with them, once they are all in (`None` for the parts: one
    /// failed); it is then no longer waiting.
    fn complete(&mut self) -> Option<(Waiting, Option<Vec<Posted>>)> {
        let job = &mut self.job;
        if self.waiting.as_ref()?.job != self.jobs || !(job.failed || job.parts.iter().all(Option::is_some)) {
            return None;
        }
        let mut waiting = self.waiting.take()?;
        waiting.helper_timings = std::mem::take(&mut job.timings);
        let parts = std::mem::take(&mut job.parts);
        Some((waiting, (!job.failed).then(|| parts.into_iter().flatten().collect())))
    }

    /// Helpers still starting: working, but not ready yet.
    fn starting(&self) -> bool {
        self.helpers.iter().any(|h| h.worker.is_some() && !h.ready)
    }

    /// The helpers ready to take a part, by number.
    fn ready(&self) -> Vec<usize> {
        (0..self.helpers.len()).filter(|&i| self.helpers[i].ready && self.helpers[i].worker.is_some()).collect()
    }
}

/// How long a file waits at most for helpers that are still starting, and the worker for the
/// helpers' code to load, in milliseconds.
const START_WAIT_MS: i32 = 3000;

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

/// How many helpers to start: one for each core after the worker's (the page's
/// `navigator.hardwareConcurrency`, which the worker's name carries, else the worker's own), at
/// least one (the second reader the app always had), [`MAX_READERS`] readers in all at most.
fn helpers_wanted() -> usize {
    let own = scope().navigator().hardware_concurrency();
    let cores =
        cores_in_worker_name(&scope().name()).or_else(|| (own.is_finite() && own >= 1.0).then_some(own as usize)).unwrap_or(2);
    cores.clamp(2, MAX_READERS) - 1
}

/// Starts the helpers (in the worker), and calls `loaded` once the code of every one has loaded,
/// or failed to, or [`START_WAIT_MS`] passed. Without helpers (a browser that cannot start a worker
/// from a worker), files are read on one core.
pub(super) fn spawn(loaded: impl FnOnce() + 'static) {
    STATE.with(|s| s.borrow_mut().on_loaded = Some(Box::new(loaded)));
    for index in 0..helpers_wanted() {
        let options = WorkerOptions::new();
        options.set_name(NAME);
        let Ok(worker) = Worker::new_with_options(SCRIPT, &options) else { break };
        let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| on_reply(index, &event));
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        onmessage.forget();
        // A helper that fails (it crashed, or its script did not load) is not used again; a file
        // waiting for its part is read on one core.
        let onerror = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
            event.prevent_default();
            let waiting = STATE.with(|s| {
                let mut s = s.borrow_mut();
                let helper = &mut s.helpers[index];
                helper.worker = None;
                helper.ready = false;
                helper.loaded = true;
                // Its part of the last job, if not in yet, will not come.
                if let Some(part) = s.job.helpers.iter().position(|&i| i == index) {
                    s.job.failed |= s.job.parts.get(part).is_some_and(Option::is_none);
                }
                s.complete()
            });
            if let Some((waiting, parts)) = waiting {
                joined(waiting, parts);
            }
            loaded_one();
            run_queued_once_started();
        });
        worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        onerror.forget();
        STATE.with(|s| s.borrow_mut().helpers.push(Helper { worker: Some(worker), loaded: false, ready: false }));
    }
    if STATE.with(|s| s.borrow().helpers.is_empty()) {
        return run_loaded();
    }
    let give_up = Closure::once_into_js(run_loaded);
    if scope().set_timeout_with_callback_and_timeout_and_arguments_0(give_up.unchecked_ref(), START_WAIT_MS).is_err() {
        run_loaded();
    }
}

/// How many helpers are ready to take a part.
pub(super) fn available() -> usize {
    STATE.with(|s| s.borrow().ready().len())
}

/// Runs `load` once the helpers are ready (at once if they are, or if there are none). They are
/// ready a few tenths of a second after the page loads; their messages saying so may still be
/// queued behind a file chosen right away. Helpers not ready within [`START_WAIT_MS`] are not
/// waited for.
pub(super) fn when_ready(slot: Option<Slot>, id: u32, load: impl FnOnce() + 'static) {
    // The load to run now, unless it was queued.
    let now = STATE.with(|s| {
        let mut s = s.borrow_mut();
        if s.starting() {
            s.queued.push((slot.unwrap_or_default(), id, Box::new(load)));
            return None;
        }
        Some(load)
    });
    match now {
        Some(load) => load(),
        None => {
            let go = Closure::once_into_js(run_queued);
            let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(go.unchecked_ref(), START_WAIT_MS);
        }
    }
}

/// Notes that one more helper's code is in (or failed to load): once every one's is, says so.
fn loaded_one() {
    let all = STATE.with(|s| s.borrow().helpers.iter().all(|h| h.loaded));
    if all {
        run_loaded();
    }
}

/// Says the helpers' code is in (once).
fn run_loaded() {
    if let Some(loaded) = STATE.with(|s| s.borrow_mut().on_loaded.take()) {
        loaded();
    }
}

/// Reads the files that waited for the helpers, once none is still starting.
fn run_queued_once_started() {
    if !STATE.with(|s| s.borrow().starting()) {
        run_queued();
    }
}

/// Reads the files that waited for the helpers.
fn run_queued() {
    let queued = STATE.with(|s| std::mem::take(&mut s.borrow_mut().queued));
    for (_, _, load) in queued {
        load();
    }
}

/// Hands the ready helpers the rest of `file` after `plan`'s split point, a part each (read by
/// [`available`] + 1 readers, the worker first); the job's number, or `None` if it could not be
/// sent to every one (the worker then reads the whole file).
pub(super) fn begin(plan: &Plan, file: &File) -> Option<u32> {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        let ready = s.ready();
        if ready.is_empty() {
            return None;
        }
        s.jobs += 1;
        let job = s.jobs;
        s.job = Job { parts: ready.iter().map(|_| None).collect(), ..Job::default() };
        for (part, (plan, &index)) in plan.parts(ready.len()).into_iter().zip(&ready).enumerate() {
            let task = Task { job, part, plan, posted: epoch_ms() };
            let value = task.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).ok()?;
            s.helpers[index].worker.as_ref()?.post_message(&js_sys::Array::of2(&value, file)).ok()?;
        }
        s.job.helpers = ready;
        Some(job)
    })
}

/// Keeps `waiting` until its parts are in (those that came already are kept), then joins them.
pub(super) fn wait(waiting: Waiting) {
    let complete = STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.waiting = Some(waiting);
        s.complete()
    });
    if let Some((waiting, parts)) = complete {
        joined(waiting, parts);
    }
}

/// Forgets a file for `slot` waiting for its parts or for the helpers to start (another file for
/// the slot replaces it); its part is dropped when it comes. A file for the other slot (a survey
/// chosen while the transactions are read) goes on. Returns the loads forgotten: each still
/// needs an answer, as the page keeps track of the loads it sent.
pub(super) fn cancel(slot: Option<Slot>) -> Vec<u32> {
    let slot = slot.unwrap_or_default();
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        let mut cancelled = Vec::new();
        if s.waiting.as_ref().is_some_and(|w| w.slot.unwrap_or_default() == slot) {
            cancelled.extend(s.waiting.take().map(|w| w.load));
            // Its parts' buffers go; parts still to come are then not kept.
            s.job = Job::default();
        }
        s.queued.retain(|&(queued, load, _)| {
            let keep = queued != slot;
            if !keep {
                cancelled.push(load);
            }
            keep
        });
        cancelled
    })
}

/// Forgets every file waiting (the data is cleared); which, as [`cancel`].
pub(super) fn cancel_all() -> Vec<u32> {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        let mut cancelled: Vec<u32> = s.waiting.take().map(|w| w.load).into_iter().collect();
        s.job = Job::default();
        cancelled.extend(s.queued.drain(..).map(|(_, load, _)| load));
        cancelled
    })
}

/// A message from helper `index`: its code is in, it is ready, or a part is read.
fn on_reply(index: usize, event: &MessageEvent) {
    let data = event.data();
    if data.as_string().as_deref() == Some(LOADED) {
        STATE.with(|s| s.borrow_mut().helpers[index].loaded = true);
        return loaded_one();
    }
    if data.as_string().as_deref() == Some(READY) {
        STATE.with(|s| s.borrow_mut().helpers[index].ready = true);
        return run_queued_once_started();
    }
    let Ok(message) = data.dyn_into::<js_sys::Array>() else { return };
    let Ok(done) = serde_wasm_bindgen::from_value::<Done>(message.get(0)) else { return };
    let part = match done.error {
        None => message.get(1).dyn_into::<js_sys::Uint8Array>().ok().map(Posted),
        Some(_) => None,
    };
    // Kept for the last job; the file, once its last part is in (or at once when one failed).
    let complete = STATE.with(|s| {
        let mut s = s.borrow_mut();
        if done.job != s.jobs || done.part >= s.job.parts.len() {
            return None;
        }
        for (stage, ms) in done.timings {
            match s.job.timings.iter_mut().find(|(s, _)| *s == stage) {
                Some((_, slowest)) => *slowest = slowest.max(ms),
                None => s.job.timings.push((stage, ms)),
            }
        }
        match part {
            Some(part) => s.job.parts[done.part] = Some(part),
            None => s.job.failed = true,
        }
        s.complete()
    });
    if let Some((waiting, parts)) = complete {
        joined(waiting, parts);
    }
}

/// Starts the helper's side (in the helper): reads parts as they are asked for.
pub(super) fn start_helper() {
    let onmessage = Closure::<dyn Fn(MessageEvent)>::new(|event: MessageEvent| on_task(&event));
    scope().set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    let _ = scope().post_message(&JsValue::from_str(LOADED));
    let warm = Closure::once_into_js(warm_up);
    let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(warm.unchecked_ref(), 0);
}

thread_local! {
    /// The task being read: a newer one replaces it.
    static TASK: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Reads the part a task asks for and posts it back.
fn on_task(event: &MessageEvent) {
    let Ok(message) = event.data().dyn_into::<js_sys::Array>() else { return };
    let Ok(task) = serde_wasm_bindgen::from_value::<Task>(message.get(0)) else { return };
    let started = now_ms();
    let timings = vec![("helper-start".to_string(), epoch_ms() - task.posted)];
    let Ok(file) = message.get(1).dyn_into::<File>() else {
        return post_done((task.job, task.part), Err("no file came with the task".into()), timings);
    };
    TASK.with(|t| t.set(task.job));
    // From the split point on, with the browser's asynchronous reads where it can.
    match file.slice_with_f64(task.plan.from() as f64).ok().and_then(|rest| FileStream::new(&rest)) {
        Some(stream) => wasm_bindgen_futures::spawn_local(read_streamed(task, stream, started, timings)),
        None => read_sync(&task, &file, started, timings),
    }
}

/// Reads a task's part as it streams in.
async fn read_streamed(task: Task, mut stream: FileStream, started: f64, mut timings: Vec<(String, f64)>) {
    let mut part = PartReading::new(&task.plan);
    loop {
        let next = stream.next().await;
        if TASK.with(|t| t.get()) != task.job {
            // Replaced: the worker no longer waits for this part.
            return;
        }
        match next {
            Ok(Some(bytes)) => {
                if !part.push(bytes, &mut |_, _| {}) {
                    break;
                }
            }
            Ok(None) => break,
            Err(()) => return post_done((task.job, task.part), Err("the file could not be read".into()), timings),
        }
    }
    let read_ms = stream.wait_ms;
    drop(stream);
    let part = part.finish(&mut |_, _| {});
    post_done((task.job, task.part), part.map(|part| encoded(part, started, read_ms, &mut timings)), timings);
}

/// Reads a task's part with `FileReaderSync` (a browser that cannot stream a file into a buffer).
fn read_sync(task: &Task, file: &File, started: f64, mut timings: Vec<(String, f64)>) {
    let mut read = || -> Result<js_sys::Uint8Array, String> {
        let reader = FileReaderSync::new().map_err(|_| "cannot read files here".to_string())?;
        let mut chunks = Chunks::new(file, &reader);
        chunks.offset = task.plan.from() as f64;
        let part = read_part(&task.plan, &mut chunks, &mut |_, _| {})?;
        Ok(encoded(part, started, chunks.read_ms, &mut timings))
    };
    let result = read();
    post_done((task.job, task.part), result, timings);
}

/// `part` encoded into one buffer outside WebAssembly memory (written a piece at a time: the
/// helper's memory never holds it whole), with the helper's timings (`read_ms` of the time since
/// `started` waiting for reads).
fn encoded(part: Part, started: f64, read_ms: f64, timings: &mut Vec<(String, f64)>) -> js_sys::Uint8Array {
    let parsed = now_ms();
    timings.push(("helper-read".into(), read_ms));
    timings.push(("helper-parse".into(), parsed - started - read_ms));
    let mut array = js_sys::Uint8Array::new_with_length(part.encoded_size() as u32);
    let mut written = 0u32;
    part.encode_into(&mut |piece| {
        let end = written + piece.len() as u32;
        // The size is exact (a test checks it); should it not be, the buffer grows.
        if end > array.length() {
            let bigger = js_sys::Uint8Array::new_with_length(end.max(2 * array.length()));
            bigger.set(&array.subarray(0, written), 0);
            array = bigger;
        }
        array.subarray(written, end).copy_from(piece);
        written = end;
    });
    drop(part);
    timings.push(("helper-encode".into(), now_ms() - parsed));
    array.subarray(0, written)
}

/// Posts a task's part (its buffer transferred), or why it could not be read; `(job, part)`: the
/// task's.
fn post_done((job, part): (u32, usize), result: Result<js_sys::Uint8Array, String>, timings: Vec<(String, f64)>) {
    let (error, array) = match result {
        Ok(array) => (None, array),
        Err(e) => (Some(e), js_sys::Uint8Array::new_with_length(0)),
    };
    let done = Done { job, part, error, timings };
    let Ok(value) = done.serialize(&serde_wasm_bindgen::Serializer::json_compatible()) else { return };
    let buffer = array.buffer();
    let _ = scope().post_message_with_transfer(&js_sys::Array::of2(&value, &array), &js_sys::Array::of1(&buffer));
}

/// A part's buffer as the helper posted it, outside WebAssembly memory: read a piece at a time
/// as it is joined (copying it in whole first cost a buffer as big again, in memory the worker had
/// to grow for it).
pub(super) struct Posted(js_sys::Uint8Array);

impl Elsewhere for Posted {
    fn size(&self) -> usize {
        self.0.length() as usize
    }

    fn copy_to(&self, at: usize, out: &mut [u8]) {
        let end = at + out.len();
        // `copy_to` needs lengths that match: `Wire` asks only for bytes that are there.
        if end <= self.size() {
            self.0.subarray(at as u32, end as u32).copy_to(out);
        }
    }
}

/// Milliseconds since the epoch on a clock both workers share (`performance.timeOrigin + now()`;
/// each worker's `now()` counts from its own start).
fn epoch_ms() -> f64 {
    scope().performance().map_or_else(js_sys::Date::now, |p| p.time_origin() + p.now())
}

/// Reads a file in two parts on this core: the worker and the helper warm up the code of both
/// readers and of the join with it (see `super::warm_up`).
pub(super) fn warm_up_split(bytes: &[u8]) -> Option<Ingested> {
    let mut plan = None;
    let mut begin = |p: &Plan| {
        plan = Some(p.clone());
        true
    };
    let total = bytes.len() as u64;
    let split = Split { at: split_point(total), begin: &mut begin };
    let streamed =
        ingest_stream(bytes, &mut std::io::empty(), total, "warm-up.csv", &IngestOptions::default(), Some(split), &mut |_, _| {});
    let plan = plan?;
    let tail = bytes.get(plan.from() as usize..)?;
    let encoded = read_part(&plan, &mut &tail[..], &mut |_, _| {}).ok()?.encode();
    let part = Part::decode(&encoded)?;
    match streamed {
        Ok(Streamed::Split(pending)) => pending.join(part),
        Ok(Streamed::Read(ingested)) => Some(*ingested),
        _ => None,
    }
}

/// The helper's warm-up (the reading part of the worker's), after which it says it is ready: a
/// part read before would run as baseline code.
fn warm_up() {
    let mut bytes = Vec::new();
    if crate::core::sample::write_sample(WARM_UP_CUSTOMERS, 1, &mut bytes).is_ok() {
        for _ in 0..WARM_UP_RUNS {
            let _ = warm_up_split(&bytes);
        }
    }
    let _ = scope().post_message(&JsValue::from_str(READY));
}
