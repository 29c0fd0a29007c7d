//! The Web Worker: holds the datasets, runs ingest off the main thread, and answers the UI with
//! summaries and progress (see [`crate::protocol`]).
//!
//! [`session`] is the worker's state and its answers to every request; it compiles natively and is
//! tested there. Around it, for WebAssembly only: `shell` (the message loop, posting, CLV
//! scheduling, the warm-up), `read` (reading a user's file with the browser's APIs) and `helper`
//! (the second worker that reads the second half of a big file).

pub mod session;

#[cfg(target_arch = "wasm32")]
mod helper;
#[cfg(target_arch = "wasm32")]
mod read;
#[cfg(target_arch = "wasm32")]
mod shell;

#[cfg(target_arch = "wasm32")]
pub use shell::start;
