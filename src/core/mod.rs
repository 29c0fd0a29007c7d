//! The pure core: ingest (bytes → table → validated dataset) and, in later issues, every metric and
//! model. No web crates here (checked by `make test`): callers hand it bytes and options, it hands
//! back typed values, so the browser worker and the native command line share every line of it.

pub mod analysis;
pub mod clv;
pub mod dataset;
pub mod export;
pub mod ingest;
pub mod report;
pub mod sample;
pub mod values;
