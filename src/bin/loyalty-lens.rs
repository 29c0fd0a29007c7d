//! The native command line; see `loyalty_lens::cli`.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    loyalty_lens::cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
