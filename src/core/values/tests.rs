//! The cell readers' tests.

use super::*;

#[test]
fn no_value_markers_are_missing_and_values_that_look_like_them_are_not() {
    for cell in
        ["NA", "na", "N/A", "n/a", "#N/A", "NULL", "null", "None", "nan", "NaN", "-", "—", "空", "无", " NA ", "\tN/A", "", "  "]
    {
        assert_eq!(is_missing(cell), !cell.trim().is_empty(), "{cell:?}");
    }
    for cell in [
        "NAB",
        "n",
        "-5",
        "none of it",
        "N/A2",
        "0",
        "1",
        "Nan Jing",
        "空调",
        "无锡",
        "——",
        "#1001",
        "--",
        "一一",
        "\u{3000}空调",
    ] {
        assert!(!is_missing(cell), "{cell:?}");
    }
}

#[test]
fn day_numbers_match_chrono_for_every_day_from_1600_to_2500() {
    use chrono::{Datelike, NaiveDate};
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
    let mut date = NaiveDate::from_ymd_opt(1600, 1, 1).unwrap();
    let end = NaiveDate::from_ymd_opt(2500, 12, 31).unwrap();
    while date <= end {
        let day = (date - epoch).num_days() as Day;
        assert_eq!(day_from_ymd(date.year(), date.month(), date.day()), Some(day), "{date}");
        assert_eq!(ymd_from_day(day), (date.year(), date.month(), date.day()), "{date}");
        date = date.succ_opt().unwrap();
    }
    for y in 1600..=2500 {
        for m in 0..=13 {
            for d in [0, 28, 29, 30, 31, 32] {
                let real = NaiveDate::from_ymd_opt(y, m, d).map(|x| (x - epoch).num_days() as Day);
                assert_eq!(day_from_ymd(y, m, d), real, "{y}-{m}-{d}");
            }
        }
    }
    assert_eq!(day_from_ymd(i32::MAX, 1, 1), None);
    assert_eq!(day_from_ymd(i32::MIN, 1, 1), None);
}

#[test]
fn the_iso_fast_path_reads_what_the_general_path_reads() {
    let cells = [
        "2024-03-05",
        "2024-03-05 14:23:11",
        "2024-03-05T14:23Z",
        "2024-02-29",
        "2023-02-29",
        "2024-13-01",
        "2024-00-10",
        "1899-12-31",
        "2101-01-01",
        "2024-03-05x",
        "2024-3-05",
        "2024-03-5",
        "２024-03-05",
        "2024-03-05 年",
        "2024-03-05\u{3000}9:00",
        "2024-03-05 下午2:30",
        "abcd-ef-gh",
        "2024-03-05T",
        "2024/03/05",
        "2024-03-05  ",
        "+024-03-05",
        "2024-+3-05",
    ];
    for cell in cells {
        let s = cell.trim();
        let general = parse_date_general(s, DateOrder::Ymd);
        // Where the fast path declines, the general path alone reads the cell.
        if let Some(fast) = iso_fast(s) {
            assert_eq!(fast, general, "{cell}");
        }
    }
    assert!(iso_fast("2024-03-05").is_some());
    assert!(iso_fast("2024-03-05 14:23:11").is_some());
}

#[test]
fn the_plain_number_fast_path_reads_what_the_general_path_reads() {
    let cells = [
        "0",
        "12",
        "12.5",
        "12.50",
        "0.001",
        "1.2.3",
        "1.",
        "007",
        "1e3",
        "12..5",
        "9999999999999",
        "1000000000000",
        "1000000000000.5",
    ];
    for cell in cells {
        assert_eq!(parse_amount(cell, DecimalMark::Dot), parse_amount_general(cell, DecimalMark::Dot), "{cell}");
    }
    let long = "9".repeat(400);
    assert_eq!(parse_amount(&long, DecimalMark::Dot), parse_amount_general(&long, DecimalMark::Dot));
    for cell in ["233.00", "5069.00", "0.1", "0.3", "1.", "123456789012345", "12345678901234.5", "0.00000000000001"] {
        assert_eq!(short_decimal(cell.as_bytes()), Some(cell.parse::<f64>().unwrap()), "{cell}");
    }
    for cell in ["1234567890123456", "0.000000000000001", "1.2.3", ".", "", "1e3", "-1", "1,5"] {
        assert_eq!(short_decimal(cell.as_bytes()), None, "{cell}");
    }
}

proptest::proptest! {
    /// Plain decimals read by hand give exactly what `str::parse` gives, to the bit.
    #[test]
    fn short_decimals_read_as_str_parse_reads_them(
        int in "[0-9]{1,16}",
        frac in proptest::option::of("[0-9]{0,16}"),
    ) {
        let cell = match &frac { Some(f) => format!("{int}.{f}"), None => int.clone() };
        let parsed: f64 = cell.parse().unwrap();
        match short_decimal(cell.as_bytes()) {
            Some(v) => proptest::prop_assert_eq!(v.to_bits(), parsed.to_bits(), "{}", cell),
            None => proptest::prop_assert!(int.len() + frac.map_or(0, |f| f.len()) > 15, "{}", cell),
        }
        proptest::prop_assert_eq!(parse_amount(&cell, DecimalMark::Dot), parse_amount_general(&cell, DecimalMark::Dot));
    }
}

#[test]
fn long_amounts_spill_to_the_heap_and_still_parse() {
    let long = format!("{}.5", "1".repeat(11));
    assert_eq!(parse_amount(&long, DecimalMark::Dot).unwrap().value, 11_111_111_111.5);
    let very_long = format!("0.{}1", "0".repeat(60));
    assert!((parse_amount(&very_long, DecimalMark::Dot).unwrap().value - 1e-61).abs() < 1e-70);
    assert_eq!(parse_amount("1.234.567,5", DecimalMark::Comma).unwrap().value, 1_234_567.5);
}

const EPS: f64 = 1e-9;

fn day(y: i32, m: u32, d: u32) -> Day {
    day_from_ymd(y, m, d).unwrap()
}

#[test]
fn option_dates_are_strictly_iso() {
    assert_eq!(parse_iso_date("1997-09-30").ok(), day_from_ymd(1997, 9, 30));
    assert_eq!(parse_iso_date("30/9/97").unwrap_err().to_string(), "expected a date as YYYY-MM-DD");
    assert!(parse_iso_date("1997-9-30").is_err());
    assert!(parse_iso_date("2024-02-30").is_err());
}

#[test]
fn day_numbers_round_trip_through_the_calendar() {
    assert_eq!(day(1970, 1, 1), 0);
    assert_eq!(day(1997, 1, 1), 9862);
    for d in [-25567, -1, 0, 1, 9862, 19787, 47482] {
        let (y, m, dd) = ymd_from_day(d);
        assert_eq!(day(y, m, dd), d);
    }
    assert_eq!(format_day(day(2024, 3, 5)), "2024-03-05");
}

#[test]
fn every_documented_date_form_parses_to_the_same_day() {
    let want = day(2024, 3, 5);
    let cases = [
        ("2024-03-05", DateOrder::Ymd),
        ("2024/3/5", DateOrder::Ymd),
        ("2024.03.05", DateOrder::Ymd),
        ("20240305", DateOrder::Ymd),
        ("2024-03-05 14:23:11", DateOrder::Ymd),
        ("2024-03-05T14:23:11Z", DateOrder::Ymd),
        ("2024/3/5 14:23", DateOrder::Ymd),
        ("05/03/2024", DateOrder::Dmy),
        ("03/05/2024", DateOrder::Mdy),
        ("5.3.2024", DateOrder::Dmy),
        ("05/03/24", DateOrder::Dmy),
        ("2024年3月5日", DateOrder::Ymd),
        ("2024年03月05日 14:23", DateOrder::Ymd),
        ("2024年3月5号", DateOrder::Ymd),
        // Excel serial 45356 is 2024-03-05 (Excel's own DATE(2024,3,5)).
        ("45356", DateOrder::Ymd),
        ("45356.604166", DateOrder::Ymd),
        ("  2024-03-05  ", DateOrder::Ymd),
    ];
    for (text, order) in cases {
        assert_eq!(parse_date(text, order), Ok(want), "{text:?}");
    }
}

#[test]
fn a_day_over_twelve_settles_the_order_for_that_cell() {
    assert_eq!(parse_date("13/05/2024", DateOrder::Ymd), Ok(day(2024, 5, 13)));
    assert_eq!(parse_date("05/13/2024", DateOrder::Ymd), Ok(day(2024, 5, 13)));
    assert_eq!(parse_date("05/03/2024", DateOrder::Ymd), Err(DateError::Ambiguous));
}

#[test]
fn impossible_and_malformed_dates_are_rejected_with_a_reason() {
    assert_eq!(parse_date("2024-02-30", DateOrder::Ymd), Err(DateError::NoSuchDay { y: 2024, m: 2, d: 30 }));
    assert_eq!(parse_date("2023-02-29", DateOrder::Ymd), Err(DateError::NoSuchDay { y: 2023, m: 2, d: 29 }));
    assert_eq!(parse_date("2024-02-29", DateOrder::Ymd), Ok(day(2024, 2, 29)));
    assert_eq!(parse_date("1899-12-31", DateOrder::Ymd), Err(DateError::YearOutOfRange(1899)));
    assert_eq!(parse_date("", DateOrder::Ymd), Err(DateError::Empty));
    for bad in ["yesterday", "N/A", "2024", "12.5", "2024-03", "1/2/3/4", "２０２４"] {
        assert_eq!(parse_date(bad, DateOrder::Ymd), Err(DateError::NotADate), "{bad:?}");
    }
}

#[test]
fn date_order_is_detected_from_the_column() {
    assert_eq!(detect_date_order(["13/01/2024", "02/03/2024"]), (DateOrder::Dmy, false));
    assert_eq!(detect_date_order(["01/13/2024", "02/03/2024"]), (DateOrder::Mdy, false));
    assert_eq!(detect_date_order(["01/02/2024", "02/03/2024"]), (DateOrder::Mdy, true));
    assert_eq!(detect_date_order(["2024-01-13", "20240101"]), (DateOrder::Ymd, false));
}

fn amount(s: &str, mark: DecimalMark) -> f64 {
    parse_amount(s, mark).unwrap_or_else(|e| panic!("{s:?}: {e}")).value
}

#[test]
fn every_documented_amount_form_parses() {
    let cases: &[(&str, DecimalMark, f64)] = &[
        ("1299", DecimalMark::Dot, 1299.0),
        ("1299.50", DecimalMark::Dot, 1299.5),
        ("1,299.50", DecimalMark::Dot, 1299.5),
        ("¥1,299.50", DecimalMark::Dot, 1299.5),
        ("￥1299", DecimalMark::Dot, 1299.0),
        ("$12.00", DecimalMark::Dot, 12.0),
        ("€1.234,56", DecimalMark::Comma, 1234.56),
        ("12,5", DecimalMark::Comma, 12.5),
        ("1 234,56 €", DecimalMark::Comma, 1234.56),
        ("£3", DecimalMark::Dot, 3.0),
        ("-35.5", DecimalMark::Dot, -35.5),
        ("(35.50)", DecimalMark::Dot, -35.5),
        ("-¥35.50", DecimalMark::Dot, -35.5),
        ("¥-35.50", DecimalMark::Dot, -35.5),
        ("35.50-", DecimalMark::Dot, -35.5),
        ("−35.5", DecimalMark::Dot, -35.5),
        ("99元", DecimalMark::Dot, 99.0),
        ("RMB 99", DecimalMark::Dot, 99.0),
        ("1e3", DecimalMark::Dot, 1000.0),
        (".5", DecimalMark::Dot, 0.5),
    ];
    for &(text, mark, want) in cases {
        assert!((amount(text, mark) - want).abs() < EPS, "{text:?}");
    }
}

#[test]
fn the_currency_written_is_reported() {
    assert_eq!(parse_amount("¥12", DecimalMark::Dot).unwrap().currency, Some("CNY"));
    assert_eq!(parse_amount("US$12", DecimalMark::Dot).unwrap().currency, Some("USD"));
    assert_eq!(parse_amount("12", DecimalMark::Dot).unwrap().currency, None);
}

#[test]
fn bad_amounts_are_rejected_with_a_reason() {
    let cases: &[(&str, AmountError)] = &[
        ("", AmountError::Empty),
        ("abc", AmountError::NotANumber),
        ("12,5x", AmountError::NotANumber),
        ("--5", AmountError::NotANumber),
        ("NaN", AmountError::NotANumber),
        ("inf", AmountError::NotANumber),
        ("1e308", AmountError::TooLarge),
        ("1e999", AmountError::NotFinite),
        ("N/A", AmountError::NotANumber),
    ];
    for (text, want) in cases {
        assert_eq!(parse_amount(text, DecimalMark::Dot).map(|a| a.value), Err(want.clone()), "{text:?}");
    }
}

#[test]
fn decimal_commas_are_detected_and_thousands_commas_are_not() {
    assert_eq!(detect_decimal_mark(["12,50", "3,5"]), DecimalMark::Comma);
    assert_eq!(detect_decimal_mark(["1.234,56", "12"]), DecimalMark::Comma);
    assert_eq!(detect_decimal_mark(["1,234", "1,299.00"]), DecimalMark::Dot);
    assert_eq!(detect_decimal_mark(["12.50", "7"]), DecimalMark::Dot);
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config::with_cases(4096))]
    /// Millionths the fast way are `(x * 1e6).round() as i128` for every amount: cents and
    /// millionths, halves (rounded away from zero), values next to a half, ±0, amounts near and
    /// past 2⁵² millionths, and any double at all.
    #[test]
    fn millionths_are_those_of_round(
        cents in -10_000_000_000i64..10_000_000_000,
        micros in -1_000_000_000_000i64..1_000_000_000_000,
        bits in proptest::num::u64::ANY,
        ulps in -3i64..=3,
    ) {
        let near = |x: f64| f64::from_bits((x.to_bits() as i64 + ulps) as u64);
        let half = (micros as f64 + 0.5) / MICROS;
        for x in [
            cents as f64 / 100.0,
            micros as f64 / MICROS,
            half,
            near(half),
            near(4_503_599_627.370496),
            near(-4_503_599_627.370496),
            f64::from_bits(bits),
            0.0,
            -0.0,
        ] {
            proptest::prop_assert_eq!(amount::micros(x), (x * MICROS).round() as i128, "{:?}", x);
        }
    }
}
