//! One component per file; each reads the shared [`super::app::AppContext`].

pub mod header;
pub mod mapping;
pub mod preview;
pub mod progress;
pub mod reading;
pub mod rejected;
pub mod summary;
pub mod upload;
