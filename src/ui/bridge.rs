//! The UI's end of the worker: spawns it, queues requests until it says it is ready, and turns its
//! messages into [`Response`]s.

use super::later;
use crate::protocol::{Request, Response};
use serde::Serialize;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{File, MessageEvent, Worker};

/// The worker script trunk writes (a loader shim that starts `worker_bg.wasm`), relative to the page
/// so that the app works under any sub-path.
const WORKER_URL: &str = "./worker_loader.js";

pub struct Bridge {
    worker: Worker,
    ready: Rc<Cell<bool>>,
    queue: Rc<RefCell<Vec<js_sys::Array>>>,
    _onmessage: Closure<dyn Fn(MessageEvent)>,
    _onerror: Closure<dyn Fn(web_sys::Event)>,
}

impl Bridge {
    /// Spawns the worker; `on_response` receives every message, `on_error` a worker that failed
    /// (with whether it had started: a crash, rather than a worker that could not load).
    ///
    /// # Errors
    /// When the browser refuses to create the worker.
    pub fn new(on_response: impl Fn(Response) + 'static, on_error: impl Fn(bool) + 'static) -> Result<Self, String> {
        let on_response: Rc<dyn Fn(Response)> = Rc::new(on_response);
        let options = web_sys::WorkerOptions::new();
        let cores = web_sys::window().map_or(0.0, |w| w.navigator().hardware_concurrency());
        options.set_name(&crate::protocol::worker_name(cores));
        let worker = Worker::new_with_options(WORKER_URL, &options).map_err(|e| format!("{e:?}"))?;
        let ready = Rc::new(Cell::new(false));
        let queue: Rc<RefCell<Vec<js_sys::Array>>> = Rc::default();
        let receiver = Rc::new(Receiver {
            worker: worker.clone(),
            ready: ready.clone(),
            queue: queue.clone(),
            on_response,
            inbox: RefCell::default(),
            priming: Cell::new(false),
            primed: Cell::new(false),
            outbox: RefCell::default(),
            handing: Cell::new(false),
        });
        let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| receiver.receive(event.data()));
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        let onerror = {
            let ready = ready.clone();
            Closure::<dyn Fn(web_sys::Event)>::new(move |_| on_error(ready.get()))
        };
        worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        Ok(Self { worker, ready, queue, _onmessage: onmessage, _onerror: onerror })
    }

    /// Sends a request, with the file for [`Request::Load`].
    pub fn send(&self, request: &Request, file: Option<&File>) {
        let serializer = serde_wasm_bindgen::Serializer::json_compatible();
        let Ok(value) = request.serialize(&serializer) else { return };
        let message = js_sys::Array::new();
        message.push(&value);
        if let Some(file) = file {
            message.push(file);
        }
        if self.ready.get() {
            let _ = self.worker.post_message(&message);
        } else {
            self.queue.borrow_mut().push(message);
        }
    }
}

/// The page's end of the worker's messages: decodes each in the order they came and hands it on.
struct Receiver {
    worker: Worker,
    ready: Rc<Cell<bool>>,
    queue: Rc<RefCell<Vec<js_sys::Array>>>,
    on_response: Rc<dyn Fn(Response)>,
    /// Messages not yet decoded: those that came while a segmentation's parts were decoded.
    inbox: RefCell<VecDeque<JsValue>>,
    /// Whether the parts of a segmentation are being decoded, a task each ([`Receiver::prime`]).
    priming: Cell<bool>,
    /// Whether that has been done (once: the decoders are then compiled).
    primed: Cell<bool>,
    /// Answers decoded, to be handed on a task each, in the order they came.
    outbox: RefCell<VecDeque<Response>>,
    /// Whether a task to hand them on is scheduled.
    handing: Cell<bool>,
}

impl Receiver {
    fn receive(self: &Rc<Self>, message: JsValue) {
        self.inbox.borrow_mut().push_back(message);
        if !self.priming.get() {
            self.pump();
        }
    }

    /// Hands on the messages waiting, in order. The first segmentation (the rehearsal's, at
    /// start-up) waits for its parts to be decoded one a task first.
    fn pump(self: &Rc<Self>) {
        loop {
            let Some(message) = self.inbox.borrow_mut().pop_front() else { return };
            // Primed only where tasks can be scheduled, so that the messages after never wait for
            // good.
            if !self.primed.get() && web_sys::window().is_some() {
                if let Some(answer) = segmented(&message) {
                    self.primed.set(true);
                    self.priming.set(true);
                    self.inbox.borrow_mut().push_front(message);
                    return self.prime(answer, crate::protocol::segmented_parts(), 0);
                }
            }
            self.deliver(message);
        }
    }

    /// Decodes part `k` of a segmentation answer (and the rest in the tasks after), then the
    /// messages waiting. The browser compiles a decoder the first time it runs: decoded whole, the
    /// first segmentation compiled every decoder it needs in one task, over 50 ms at start-up.
    fn prime(self: &Rc<Self>, answer: JsValue, parts: Vec<(&'static str, Option<&'static str>, Decode)>, k: usize) {
        let Some(&(field, within, decode)) = parts.get(k) else {
            self.priming.set(false);
            return self.pump();
        };
        let mut value = get(&answer, field);
        if let Some(name) = within {
            value = value.and_then(|v| get(&v, name));
        }
        if let Some(value) = value {
            decode(serde_wasm_bindgen::Deserializer::from(value));
        }
        let me = self.clone();
        later(move || me.prime(answer, parts, k + 1));
    }

    fn deliver(self: &Rc<Self>, message: JsValue) {
        let response: Response = match serde_wasm_bindgen::from_value(message) {
            Ok(r) => r,
            Err(e) => Response::Failed {
                load: 0,
                message: format!("internal error: cannot decode the worker's answer: {e}"),
                code: String::new(),
                slot: crate::protocol::Slot::Transactions,
                columns: Vec::new(),
            },
        };
        if response == Response::Ready {
            self.ready.set(true);
            for message in self.queue.borrow_mut().drain(..) {
                let _ = self.worker.post_message(&message);
            }
        }
        // Updating the pages is a task of its own, after this one decoded the message: a
        // big answer (the whole segmentation) then never holds the page for long at once. One
        // task hands them on in turn: a timer set for each would not keep their order, the browser
        // delaying those set from deep within other timers (the end of the priming) by 4 ms — a
        // segmentation handed on before its file's report was then wiped by the report.
        self.outbox.borrow_mut().push_back(response);
        if !self.handing.replace(true) {
            let me = self.clone();
            later(move || me.hand_on());
        }
    }

    /// Hands on the first answer waiting, and schedules the next.
    fn hand_on(self: &Rc<Self>) {
        let next = self.outbox.borrow_mut().pop_front();
        if let Some(response) = next {
            (self.on_response)(response);
        }
        if self.outbox.borrow().is_empty() {
            self.handing.set(false);
        } else {
            let me = self.clone();
            later(move || me.hand_on());
        }
    }
}

type Decode = crate::core::report::segments::DecodePart<serde_wasm_bindgen::Deserializer>;

/// The segmentation a rehearsal answer carries (`{Rehearsal: {response: {Segmented: …}}}`).
fn segmented(message: &JsValue) -> Option<JsValue> {
    get(&get(&get(message, "Rehearsal")?, "response")?, "Segmented")
}

/// `value[key]`, when `value` is an object that has it.
fn get(value: &JsValue, key: &str) -> Option<JsValue> {
    if !value.is_object() {
        return None;
    }
    js_sys::Reflect::get(value, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined())
}

impl Drop for Bridge {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// Saves text as a file download (UTF-8 with a BOM, so that Excel shows Chinese correctly).
pub fn download_text(file_name: &str, text: &str, mime: &str) {
    let parts = js_sys::Array::new();
    parts.push(&JsValue::from_str(&format!("\u{feff}{text}")));
    download_parts(file_name, &parts, mime);
}

/// Saves bytes, already encoded, as a file download.
pub fn download_bytes(file_name: &str, bytes: &[u8], mime: &str) {
    let parts = js_sys::Array::new();
    parts.push(&js_sys::Uint8Array::from(bytes));
    download_parts(file_name, &parts, mime);
}

fn download_parts(file_name: &str, parts: &js_sys::Array, mime: &str) {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    if let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(parts, &options) {
        download_blob(file_name, &blob);
    }
}

/// Saves a blob as a file download.
pub fn download_blob(file_name: &str, blob: &web_sys::Blob) {
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else { return };
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        if let Ok(a) = document.create_element("a") {
            let a: web_sys::HtmlAnchorElement = a.unchecked_into();
            a.set_href(&url);
            a.set_download(file_name);
            a.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
