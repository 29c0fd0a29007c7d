//! The reader's tests.

use super::*;

/// Hands out at most `step` bytes per read.
struct Trickle<'a> {
    bytes: &'a [u8],
    step: usize,
}

impl std::io::Read for Trickle<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = self.step.min(out.len()).min(self.bytes.len());
        out[..n].copy_from_slice(&self.bytes[..n]);
        self.bytes = &self.bytes[n..];
        Ok(n)
    }
}

/// `bytes` read by [`ingest_stream`] from a reader handing out `step` bytes at a time after
/// `prefix`; pushed in `step` bytes at a time by hand ([`ingest_pushed`], as the worker does),
/// they must give the same.
fn streamed(bytes: &[u8], prefix: usize, step: usize, opts: &IngestOptions) -> Result<Streamed, IngestError> {
    let prefix = prefix.min(bytes.len());
    let mut rest = Trickle { bytes: &bytes[prefix..], step };
    let streamed = ingest_stream(&bytes[..prefix], &mut rest, bytes.len() as u64, "f.csv", opts, None, &mut |_, _| {});
    let pushed =
        ingest_pushed(&bytes[..prefix], bytes.len() as u64, "f.csv", opts, None, &mut |_, _| {}).map(|begun| match begun {
            Begun::Whole => Streamed::Whole,
            Begun::Pushing(mut pushed) => {
                for chunk in bytes[prefix..].chunks(step.max(1)) {
                    if !pushed.push(chunk, &mut |_, _| {}) {
                        break;
                    }
                }
                pushed.finish(&mut |_, _| {})
            }
        });
    assert_eq!(format!("{pushed:?}"), format!("{streamed:?}"), "pushed and streamed differ (prefix {prefix}, step {step})");
    streamed
}

/// A sample file (Chinese text in several columns), with `extra` appended.
fn sample_with(customers: usize, extra: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::new();
    crate::core::sample::write_sample(customers, 7, &mut bytes).unwrap();
    bytes.extend_from_slice(extra);
    bytes
}

#[test]
fn a_streamed_file_reads_exactly_as_the_whole_file() {
    let mut bytes = sample_with(600, "\n\n00000001,bad,2024-01-01,x,1,线上商城,电视,普通,,\"多行\n评论\"\r\n".as_bytes());
    bytes.splice(0..0, b"\xEF\xBB\xBF".iter().copied());
    let opts = IngestOptions::default();
    let whole = ingest(&bytes, "f.csv", &opts, &mut |_, _| {}).unwrap();
    assert!(whole.report.rows > 4000 && whole.report.rows_rejected > 0 && whole.report.bom);
    // Prefixes that cut characters and rows; reads of 1 byte (every character split) to 64 KiB.
    for (prefix, step) in [(bytes.len(), 1), (200_001, 1), (200_000, 7), (150_003, 4096), (300_000, 65536)] {
        match streamed(&bytes, prefix, step, &opts).unwrap() {
            Streamed::Read(i) => assert_eq!(*i, whole, "prefix {prefix}, reads of {step}"),
            other => panic!("prefix {prefix}: not streamed: {other:?}"),
        }
    }
}

#[test]
fn files_that_need_reading_whole_are_left_to_ingest() {
    let opts = IngestOptions::default();
    // A line in GBK, NUL padding, after the prefix; a prefix too short for the first rows.
    let gbk = sample_with(600, b"\n00000001,O1,2024-01-01,12,1,\xCF\xDF\xC9\xCF,x,y,,\n");
    let nul = sample_with(600, b"\n00000001,O1,2024-01-01,12,1,a\0,x,y,,\n");
    // A character cut in two by a delimiter (each half UTF-8 with the other, not alone), and
    // a file that ends inside a character.
    let cut = sample_with(600, b"\n00000001,O1,2024-01-01,12,1,\xE5,\xAE\xA2,y,,\n");
    let unfinished = sample_with(600, b"\n00000001,O1,2024-01-01,12,1,a,x,\xE5\xAE");
    for bytes in [&gbk, &nul, &cut, &unfinished] {
        assert!(matches!(streamed(bytes, 200_000, 4096, &opts), Ok(Streamed::Whole)));
    }
    assert!(matches!(streamed(&gbk, 2_000, 4096, &opts), Ok(Streamed::Whole)));
    for name in [
        "gbk_orders.csv",
        "utf16le_orders.csv",
        "utf16le_nobom_orders.tsv",
        "whitespace_noheader.txt",
        "orders.xlsx",
        "image.csv",
    ] {
        let bytes = std::fs::read(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        assert!(matches!(streamed(&bytes, bytes.len(), 100, &opts), Ok(Streamed::Whole)), "{name}");
    }
    let forced = IngestOptions { encoding: Some("gbk".into()), ..IngestOptions::default() };
    assert!(matches!(streamed(&sample_with(10, b""), usize::MAX, 100, &forced), Ok(Streamed::Whole)));
}

#[test]
fn every_fixture_that_streams_reads_as_it_does_whole() {
    let dirs =
        [format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR")), format!("{}/tests/fixtures/bad", env!("CARGO_MANIFEST_DIR"))];
    let mut streamed_files = 0;
    for dir in dirs {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if !path.is_file() {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let opts = IngestOptions::default();
            let whole = ingest(&bytes, "f.csv", &opts, &mut |_, _| {});
            match (streamed(&bytes, bytes.len(), 3, &opts), whole) {
                (Ok(Streamed::Whole), _) => continue,
                (Ok(Streamed::Split(_)), _) => panic!("{}: split without being asked to", path.display()),
                (Ok(Streamed::Read(i)), Ok(w)) => assert_eq!(*i, w, "{}", path.display()),
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{}", path.display()),
                (a, b) => panic!("{}: streamed {a:?}, whole {b:?}", path.display()),
            }
            streamed_files += 1;
        }
    }
    assert!(streamed_files >= 20, "only {streamed_files} fixtures streamed");
}

#[test]
fn a_row_wider_than_a_table_can_be_is_refused_with_its_line() {
    let row = |fields: usize| (0..fields).map(|i| if i == 0 { "c1".to_string() } else { i.to_string() }).collect::<Vec<_>>();
    let text = |fields: usize| format!("customer_id,order_date,amount\nc0,2024-01-05,10.00\n{}\n", row(fields).join(","));
    let opts = IngestOptions::default();
    let err = ingest(text(table::MAX_COLUMNS + 1).as_bytes(), "w.csv", &opts, &mut |_, _| {}).unwrap_err();
    assert_eq!(err, IngestError::TooWide { line: 3 });
    assert_eq!(err.code(), "too_wide");
    // As many fields as Excel has columns is a table (the extra fields of the row are not read).
    let ok = ingest(text(table::MAX_COLUMNS).as_bytes(), "w.csv", &opts, &mut |_, _| {}).unwrap();
    assert_eq!(ok.report.columns.len(), table::MAX_COLUMNS);
}

#[test]
fn trimming_cells_quickly_gives_what_trimming_them_gives() {
    for cell in ["c1", " c1", "c1 ", "c1\u{200b}", "\u{feff}c1", "　客户　", "客户", "a b", "", " ", "\t1\t", "x\u{a0}"] {
        assert_eq!(trim_with(cell, is_blank), cell.trim_matches(is_blank), "{cell:?}");
        assert_eq!(trim_with(cell, char::is_whitespace), cell.trim(), "{cell:?}");
    }
}

fn run(text: &str) -> Ingested {
    ingest(text.as_bytes(), "t.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap()
}

#[test]
fn a_plain_csv_is_read_with_roles_from_its_header() {
    let r = run("客户ID,下单时间,实付金额,渠道\n00042,2024-03-05,¥1,12\n00042,2024-03-06,\"¥1,299.00\",app\n7,2024-03-07,5,\n")
        .report;
    assert_eq!(r.format, Format::Csv);
    assert!(r.header);
    assert_eq!(r.rows_accepted, 3);
    assert_eq!(r.totals.customers, 2);
    let id = &r.mapping[&Role::CustomerId];
    assert_eq!((id.column, id.name.as_str()), (1, "客户ID"));
    assert_eq!(id.reason, Reason::Header { name: "客户ID".into() });
    assert_eq!(id.why, "from the header 客户ID");
    assert_eq!(r.mapping[&Role::Channel].column, 4);
    assert_eq!(r.currency.as_deref(), Some("CNY"));
    assert!((r.totals.revenue.unwrap() - 1305.0).abs() < 1e-9);
    assert_eq!(r.totals.date_range.as_ref().map(|d| d.first.as_str()), Some("2024-03-05"));
}

#[test]
fn bad_rows_are_rejected_with_row_column_value_and_reason_and_the_rest_kept() {
    let text = "customer_id,date,amount,score\n1,2024-01-01,10,9\n,2024-01-02,5,\n2,2024-02-30,5,\n3,2024-01-03,12,5x,\n4,2024-01-04,3,11\n5,2024-01-05,3,7.5\n6\n7,2024-01-06,1,N/A\n8,2024-01-07,2,\n9,2024-01-08,x,\n";
    let ing = run(text);
    let r = &ing.report;
    assert_eq!(r.rows, 10);
    // A bad score (an optional column) is left out of its row, never the row; N/A is empty.
    assert_eq!(r.rows_accepted, 6);
    let got: Vec<(u64, &str)> = r.rejected.iter().map(|x| (x.row, x.column.as_str())).collect();
    assert_eq!(got, vec![(4, "date"), (8, "date"), (11, "amount")]);
    assert_eq!(r.rejected[0].reason, "2024-02-30 is not a day in the calendar");
    assert_eq!(r.rejected[0].value, "2024-02-30");
    let codes: Vec<&str> = r.rejected.iter().map(|x| x.code.as_str()).collect();
    assert_eq!(codes, ["date_no_such_day", "row_too_short", "amount_invalid"]);
    assert_eq!(r.cells_left_out.len(), 1);
    let left = &r.cells_left_out[0];
    assert_eq!((left.role, left.cells, left.row, left.value.as_str()), (Role::Score, 3, 5, "5x"));
    // The row without a customer id is a guest order, not a rejection.
    assert_eq!(r.guests.as_ref().map(|g| (g.rows, g.revenue)), Some((1, 5.0)));
    assert_eq!(r.guest_lines, [3]);
    assert_eq!(ing.dataset.score.as_ref().unwrap(), &[9, NO_SCORE, NO_SCORE, NO_SCORE, NO_SCORE, NO_SCORE]);
}

#[test]
fn ids_keep_leading_zeros() {
    let ing = run("customer_id,date,amount\n00042,2024-01-01,1\n42,2024-01-01,1\n");
    assert_eq!(ing.dataset.customers.names(), ["00042", "42"]);
}

#[test]
fn map_overrides_take_names_or_positions() {
    let text = "a,b,c\nx,2024-01-01,3\ny,2024-01-02,4\n";
    let opts = IngestOptions {
        map: vec![MapOverride::parse("customer_id=a").unwrap(), MapOverride::parse("amount=3").unwrap()],
        ..Default::default()
    };
    let r = ingest(text.as_bytes(), "t", &opts, &mut |_, _| {}).unwrap().report;
    assert_eq!(r.mapping[&Role::CustomerId].column, 1);
    assert_eq!(r.mapping[&Role::Amount].column, 3);
    let bad = IngestOptions { map: vec![MapOverride::parse("amount=zzz").unwrap()], ..Default::default() };
    assert!(matches!(ingest(text.as_bytes(), "t", &bad, &mut |_, _| {}), Err(IngestError::UnknownColumn { .. })));
    assert!(MapOverride::parse("colour=1").is_err());
    assert!(MapOverride::parse("amount").is_err());
}

#[test]
fn unusable_files_get_one_clear_error() {
    let cases: &[(&[u8], &str)] = &[
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\xEF\xBB\xBF", "empty"),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "PNG"),
        (b"\0\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18", "binary"),
        (b"PK\x03\x04garbage that is not a zip", "zip"),
    ];
    for (bytes, want) in cases {
        let err = ingest(bytes, "x.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap_err();
        assert!(err.to_string().contains(want), "{want}: {err}");
    }
}

#[test]
fn a_file_of_only_decimals_has_no_customer_column() {
    let err = ingest(b"1.5,2.5\n3.5,4.5\n", "x.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap_err();
    assert!(matches!(err, IngestError::NoCustomerColumn { .. }), "{err:?}");
}

#[test]
fn title_lines_above_the_header_are_skipped() {
    let r = run("订单报表 2024年\n客户ID,日期,金额\nA,2024-01-01,3\nB,2024-01-02,4\n").report;
    assert!(r.header);
    assert_eq!(r.rows_accepted, 2);
    assert_eq!(r.columns[0].name, "客户ID");
}

#[test]
fn scores_must_be_whole_numbers_from_zero_to_ten() {
    assert_eq!(parse_score("10"), Ok(10));
    assert_eq!(parse_score("0"), Ok(0));
    assert_eq!(parse_score(""), Ok(NO_SCORE));
    for bad in ["11", "-1", "7.5", "N/A", "NaN"] {
        assert!(parse_score(bad).is_err(), "{bad}");
    }
}

#[test]
fn rejections_export_as_csv() {
    let csv = crate::core::export::rejections_csv(&[Rejection {
        row: 3,
        column: "金额".into(),
        value: "1,2x".into(),
        reason: "not a number".into(),
        code: "amount_invalid".into(),
    }]);
    assert_eq!(csv, "row,column,value,reason,code\n3,金额,\"1,2x\",not a number,amount_invalid\n");
}

/// The report of `bytes` read with its rows counted as they pass, `chunk` at a time, not kept
/// (`inspect` on a big file), by one reader or in parts ([`testing::read_aside`]).
fn counted(bytes: &[u8], chunk: usize, split: Option<(f64, usize)>) -> Option<Result<Report, IngestError>> {
    let read = testing::read_aside(bytes, &|| crate::core::dataset::spill::Spill::counting(chunk), split)?;
    Some(read.map(|read| read.report.expect("a counting spill gives the report")))
}

#[test]
fn every_fixture_that_streams_reports_the_same_with_its_rows_counted_not_kept() {
    let mut compared = 0;
    for (path, bytes) in testing::fixture_files() {
        let whole = ingest(&bytes, "f.csv", &IngestOptions::default(), &mut |_, _| {}).map(|i| i.report);
        for (chunk, split) in [(1, None), (7, None), (1 << 20, None), (5, Some((0.4, 1))), (1 << 20, Some((0.3, 3)))] {
            if let Some(report) = counted(&bytes, chunk, split) {
                assert!(report == whole, "{} (chunk {chunk}, {split:?}): {report:?} against {whole:?}", path.display());
                compared += 1;
            }
        }
    }
    assert!(compared >= 150, "only {compared} reports compared");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(32))]
    /// Random files: an order's further lines without an amount of their own (some of orders no
    /// row has), returns and refunds in full, guests, scores and empty answers, and dates whose
    /// order the head leaves open and the rest settles either way or never; with order ids, or
    /// orders by customer and day; by one reader or in parts.
    #[test]
    fn random_files_report_the_same_with_their_rows_counted_not_kept(
        rows in proptest::collection::vec((0u32..40, 1u32..=6, 1u32..=12, 0usize..8, 0u32..40, 0usize..4, 0u8..13), 1001..1200),
        settle in 0usize..3,
        at in 1000usize..1200,
        chunk in 1usize..300,
        with_orders in proptest::bool::ANY,
        split in proptest::option::of((0.05f64..0.95, 1usize..4)),
    ) {
        // Months first 1–6 and days 1–12: read the other way round, the dates span other days.
        let text = testing::random_file(&rows, settle, at, with_orders);
        let whole = ingest(text.as_bytes(), "f.csv", &IngestOptions::default(), &mut |_, _| {}).map(|i| i.report);
        let got = counted(text.as_bytes(), chunk, split);
        proptest::prop_assert!(got == Some(whole.clone()), "{got:?} against {whole:?}");
    }
}
