//! Any bytes, as a file a user drops in: CSV and text in any encoding, xlsx/xls (zip and OLE
//! containers go to calamine), binary junk. Ingest must answer with a report or an error, never
//! panic; what it reads then goes through the segmentation and the CLV summary.
#![no_main]
use libfuzzer_sys::fuzz_target;
use loyalty_lens::core::clv::summary::{summarise, Unit};
use loyalty_lens::core::ingest::{ingest, IngestOptions};
use loyalty_lens::core::report::segments::{segment, SegmentationParams};

fuzz_target!(|data: &[u8]| {
    let Ok(ingested) = ingest(data, "fuzz.csv", &IngestOptions::default(), &mut |_, _| {}) else { return };
    let ds = &ingested.dataset;
    if ds.rows() == 0 || ds.rows() > 5_000 {
        return;
    }
    let _ = segment(ds, &SegmentationParams::default().check().unwrap()).map(|s| s.summary());
    if let Some(last) = ds.day.as_ref().and_then(|d| d.iter().copied().max()) {
        let _ = summarise(ds, last, None, Unit::Week);
    }
});
