//! The Web Worker's entry point: holds the dataset and answers the UI.
#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    loyalty_lens::worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the worker runs in the browser: run `make serve`");
}
