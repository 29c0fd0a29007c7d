//! The pure core: ingest (bytes → table → validated dataset) and, in later issues, every metric and
//! model. No web crates here (checked by `make test`): callers hand it bytes and options, it hands
//! back typed values, so the browser worker and the native command line share every line of it.

pub mod cfb_check;
pub mod charts;
pub mod clv;
pub mod comments;
pub mod compact;
pub mod customers;
pub mod dataset;
pub mod encoding;
pub mod excel;
pub mod export;
pub mod ingest;
pub mod kpis;
pub mod lifecycle;
pub mod nps;
pub mod pareto;
pub mod pyramid;
pub mod rfm;
pub mod roles;
pub mod rules;
pub mod sample;
pub mod segments;
pub mod split;
pub mod states;
pub mod table;
pub mod tally;
pub mod values;
