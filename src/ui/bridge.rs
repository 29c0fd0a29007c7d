//! The UI's end of the worker: spawns it, queues requests until it says it is ready, and turns its
//! messages into [`Response`]s.

use crate::protocol::{Request, Response};
use serde::Serialize;
use std::cell::{Cell, RefCell};
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
        let on_response = Rc::new(on_response);
        let options = web_sys::WorkerOptions::new();
        let cores = web_sys::window().map_or(0.0, |w| w.navigator().hardware_concurrency());
        options.set_name(&crate::protocol::worker_name(cores));
        let worker = Worker::new_with_options(WORKER_URL, &options).map_err(|e| format!("{e:?}"))?;
        let ready = Rc::new(Cell::new(false));
        let queue: Rc<RefCell<Vec<js_sys::Array>>> = Rc::default();
        let onmessage = {
            let (worker, ready, queue) = (worker.clone(), ready.clone(), queue.clone());
            Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
                let response: Response = match serde_wasm_bindgen::from_value(event.data()) {
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
                    ready.set(true);
                    for message in queue.borrow_mut().drain(..) {
                        let _ = worker.post_message(&message);
                    }
                }
                // Updating the pages is a task of its own, after this one decoded the message: a
                // big answer (the whole segmentation) then never holds the page for long at once.
                let on_response = on_response.clone();
                let update = Closure::once_into_js(move || on_response(response));
                let scheduled = web_sys::window()
                    .map(|w| w.set_timeout_with_callback_and_timeout_and_arguments_0(update.unchecked_ref(), 0).is_ok());
                if scheduled != Some(true) {
                    web_sys::console::error_1(&"loyalty-lens: cannot schedule a page update".into());
                }
            })
        };
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
