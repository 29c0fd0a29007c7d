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

/// Talc in place of Rust's default WebAssembly allocator (dlmalloc): a smaller module (the worker
/// 30 KB smaller gzipped), as fast on a million-row load (BENCHMARKS.md, "Bundle").
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
