//! The web app's entry point (main thread).
#[cfg(target_arch = "wasm32")]
fn main() {
    loyalty_lens::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the app is built for the browser with trunk: run `make serve`");
}
