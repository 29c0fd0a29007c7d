//! The corpus of broken and hostile files in `tests/fixtures/bad/` (written by its make_corpus.py),
//! each with the outcome in its expected.json: refused with a clear message, or read with exactly
//! the listed rows rejected and the rest analysed. Every analysis then runs on what was read: no
//! file may make anything panic.

use loyalty_lens::core::clv::summary::{summarise, Unit};
use loyalty_lens::core::ingest::{ingest, IngestOptions};
use loyalty_lens::core::report::segments::{segment, SegmentationParams};
use serde_json::Value;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/bad");

fn expected() -> serde_json::Map<String, Value> {
    let text = std::fs::read_to_string(format!("{DIR}/expected.json")).unwrap();
    let mut map: serde_json::Map<String, Value> = serde_json::from_str(&text).unwrap();
    map.remove("_doc");
    map
}

#[test]
fn every_file_in_the_corpus_has_an_expected_outcome_and_there_are_at_least_40() {
    let expected = expected();
    let mut files: Vec<String> = std::fs::read_dir(DIR)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".py") && !n.ends_with(".json"))
        .collect();
    files.sort();
    let mut listed: Vec<String> = expected.keys().cloned().collect();
    listed.sort();
    assert_eq!(files, listed);
    assert!(files.len() >= 40, "{} files", files.len());
}

#[test]
fn every_broken_file_is_refused_clearly_or_read_with_its_bad_rows_named() {
    let mut failures = Vec::new();
    for (file, want) in expected() {
        let bytes = std::fs::read(format!("{DIR}/{file}")).unwrap();
        let got = ingest(&bytes, &file, &IngestOptions::default(), &mut |_, _| {});
        let mut check = |ok: bool, what: String| {
            if !ok {
                failures.push(format!("{file}: {what}"));
            }
        };
        match (want.get("error").and_then(Value::as_str), got) {
            (Some(code), Err(e)) => {
                check(e.code() == code, format!("error code {} (want {code}): {e}", e.code()));
                let message = want["message"].as_str().unwrap();
                check(e.to_string().contains(message), format!("message '{e}' lacks '{message}'"));
            }
            (Some(code), Ok(i)) => check(false, format!("read {} rows, want error {code}", i.report.rows_accepted)),
            (None, Err(e)) => check(false, format!("refused: {e}")),
            (None, Ok(ingested)) => {
                let r = &ingested.report;
                check(r.rows_accepted == want["accepted"].as_u64().unwrap(), format!("accepted {}", r.rows_accepted));
                check(
                    r.totals.customers as u64 == want["customers"].as_u64().unwrap(),
                    format!("customers {}", r.totals.customers),
                );
                let rejected: Vec<Value> = r.rejected.iter().map(|x| serde_json::json!([x.row, x.column, x.code])).collect();
                check(Value::Array(rejected.clone()) == want["rejected"], format!("rejected {rejected:?}"));
                check(r.rows_rejected as usize == r.rejected.len(), "rows_rejected disagrees with the list".into());
                for x in &r.rejected {
                    check(!x.reason.is_empty(), format!("row {} has no reason", x.row));
                }
                let guests = r.guests.as_ref().map_or(0, |g| g.rows);
                check(want.get("guests").and_then(Value::as_u64).unwrap_or(0) == guests, format!("guests {guests}"));
                let left_out: u64 = r.cells_left_out.iter().map(|l| l.cells).sum();
                check(want.get("left_out").and_then(Value::as_u64).unwrap_or(0) == left_out, format!("left_out {left_out}"));
                if let Some(enc) = want.get("encoding").and_then(Value::as_str) {
                    check(r.encoding == enc, format!("encoding {}", r.encoding));
                }
                if let Some(errors) = want.get("encoding_errors").and_then(Value::as_bool) {
                    check(r.encoding_errors == errors, format!("encoding_errors {}", r.encoding_errors));
                    if errors {
                        check(!r.warnings.is_empty(), "no warning about the undecodable bytes".into());
                    }
                }
                if let Some(revenue) = want.get("revenue").and_then(Value::as_f64) {
                    check(
                        r.totals.revenue.is_some_and(|v| (v - revenue).abs() < 1e-9),
                        format!("revenue {:?}", r.totals.revenue),
                    );
                }
                if let Some(sheet) = want.get("sheet").and_then(Value::as_str) {
                    check(r.sheet.as_deref() == Some(sheet), format!("sheet {:?}", r.sheet));
                }
                if let Some(channels) = want.get("channels") {
                    let got: Vec<String> = ingested
                        .dataset
                        .channel
                        .as_ref()
                        .map(|c| c.labels.iter().map(str::to_string).collect())
                        .unwrap_or_default();
                    check(serde_json::json!(got) == *channels, format!("channels {got:?}"));
                }
                // Whatever was read goes through every analysis without a panic; too little data
                // is an error message, not a crash.
                let ds = &ingested.dataset;
                if ds.rows() > 0 {
                    let _ = segment(ds, &SegmentationParams::default().check().unwrap()).map(|s| s.summary());
                    if let Some(last) = ds.day.as_ref().and_then(|d| d.iter().copied().max()) {
                        let _ = summarise(ds, last, None, Unit::Week);
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
