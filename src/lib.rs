//! loyalty-lens (客户洞察): customer analytics that runs entirely in the browser.
//!
//! Three layers: [`core`] (pure: ingest, metrics, models), `worker` + [`protocol`] (the Web Worker
//! that holds the dataset and answers the UI's requests), and `ui` (the Yew app). The native command
//! line ([`cli`], run by `src/bin/loyalty-lens.rs`) uses `core` directly.

pub mod api;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod core;
pub mod protocol;

pub mod ui;
pub mod worker;
