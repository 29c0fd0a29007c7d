//! The web app's entry point (main thread).
#[cfg(target_arch = "wasm32")]
fn main() {
    loyalty_lens::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the app is built for the browser with trunk: run `make serve`");
}

/// Talc in place of Rust's default WebAssembly allocator (dlmalloc): a smaller module (the worker
/// 30 KB smaller gzipped), as fast on a million-row load (BENCHMARKS.md, "Bundle").
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
