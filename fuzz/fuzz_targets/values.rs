//! Any text as a date or an amount cell, in every date order and decimal mark: a value or an
//! error with a reason, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use loyalty_lens::core::values::{parse_amount, parse_date, DateOrder, DecimalMark};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for order in [DateOrder::Ymd, DateOrder::Dmy, DateOrder::Mdy] {
        if let Err(e) = parse_date(&text, order) {
            assert!(!e.to_string().is_empty());
        }
    }
    for mark in [DecimalMark::Dot, DecimalMark::Comma] {
        if let Ok(a) = parse_amount(&text, mark) {
            assert!(a.value.is_finite());
        }
    }
});
