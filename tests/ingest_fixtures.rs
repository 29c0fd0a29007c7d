//! Every fixture in `tests/fixtures/` read end to end by the core, with what a user must see.

use loyalty_lens::core::ingest::roles::Role;
use loyalty_lens::core::ingest::table::Format;
use loyalty_lens::core::ingest::{ingest, IngestOptions, MapOverride, Report};
use loyalty_lens::core::values::DateOrder;

const TOLERANCE: f64 = 1e-6;

fn read(name: &str, opts: &IngestOptions) -> Result<Report, String> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?;
    ingest(&bytes, name, opts, &mut |_, _| {}).map(|i| i.report).map_err(|e| e.to_string())
}

fn ok(name: &str) -> Report {
    read(name, &IngestOptions::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

struct Expect {
    file: &'static str,
    format: Format,
    encoding: &'static str,
    header: bool,
    accepted: u64,
    customers: usize,
    first: &'static str,
    last: &'static str,
    revenue: f64,
}

const CASES: &[Expect] = &[
    Expect {
        file: "gbk_orders.csv",
        format: Format::Csv,
        encoding: "GBK",
        header: true,
        accepted: 6,
        customers: 4,
        first: "2024-03-05",
        last: "2024-05-03",
        revenue: 6596.0,
    },
    Expect {
        file: "gb18030_orders.csv",
        format: Format::Csv,
        encoding: "GBK",
        header: true,
        accepted: 6,
        customers: 4,
        first: "2024-03-05",
        last: "2024-05-03",
        revenue: 6596.0,
    },
    Expect {
        file: "utf8_bom_orders.csv",
        format: Format::Csv,
        encoding: "UTF-8",
        header: true,
        accepted: 6,
        customers: 4,
        first: "2024-03-05",
        last: "2024-05-03",
        revenue: 6596.0,
    },
    Expect {
        file: "utf16be_orders.csv",
        format: Format::Csv,
        encoding: "UTF-16BE",
        header: true,
        accepted: 6,
        customers: 4,
        first: "2024-03-05",
        last: "2024-05-03",
        revenue: 6596.0,
    },
    Expect {
        file: "utf16le_orders.csv",
        format: Format::Tsv,
        encoding: "UTF-16LE",
        header: true,
        accepted: 3,
        customers: 2,
        first: "2024-03-05",
        last: "2024-04-01",
        revenue: -1601.0,
    },
    Expect {
        file: "utf16le_nobom_orders.tsv",
        format: Format::Tsv,
        encoding: "UTF-16LE",
        header: true,
        accepted: 3,
        customers: 2,
        first: "2024-03-05",
        last: "2024-04-01",
        revenue: -1601.0,
    },
    Expect {
        file: "orders.tsv",
        format: Format::Tsv,
        encoding: "UTF-8",
        header: true,
        accepted: 3,
        customers: 2,
        first: "2024-01-05",
        last: "2024-02-01",
        revenue: 22.75,
    },
    Expect {
        file: "semicolon_decimal_comma.csv",
        format: Format::Semicolon,
        encoding: "UTF-8",
        header: true,
        accepted: 3,
        customers: 2,
        first: "2024-01-13",
        last: "2024-03-05",
        revenue: 1244.06,
    },
    Expect {
        file: "pipe.txt",
        format: Format::Pipe,
        encoding: "UTF-8",
        header: true,
        accepted: 2,
        customers: 2,
        first: "2024-01-01",
        last: "2024-01-02",
        revenue: 3.0,
    },
    Expect {
        file: "whitespace_noheader.txt",
        format: Format::Whitespace,
        encoding: "UTF-8",
        header: false,
        accepted: 3,
        customers: 2,
        first: "2024-01-01",
        last: "2024-02-03",
        revenue: 20.75,
    },
    Expect {
        file: "us_dates.csv",
        format: Format::Csv,
        encoding: "UTF-8",
        header: true,
        accepted: 3,
        customers: 2,
        first: "2024-01-13",
        last: "2024-12-31",
        revenue: 13.25,
    },
    Expect {
        file: "date_and_amount_forms.csv",
        format: Format::Csv,
        encoding: "UTF-8",
        header: true,
        accepted: 9,
        customers: 9,
        first: "2024-03-05",
        last: "2024-03-05",
        revenue: 1299.0 * 5.0,
    },
    Expect {
        file: "orders.xlsx",
        format: Format::Xlsx,
        encoding: "n/a (workbook)",
        header: true,
        accepted: 5,
        customers: 4,
        first: "2024-03-05",
        last: "2024-05-03",
        revenue: 9197.5,
    },
    Expect {
        file: "orders.xls",
        format: Format::Xls,
        encoding: "n/a (workbook)",
        header: true,
        accepted: 5,
        customers: 4,
        first: "2024-03-05",
        last: "2024-05-03",
        revenue: 9197.5,
    },
    Expect {
        file: "cdnow/CDNOW_master.txt",
        format: Format::Whitespace,
        encoding: "UTF-8",
        header: true,
        accepted: 69_659,
        customers: 23_570,
        first: "1997-01-01",
        last: "1998-06-30",
        revenue: 2_500_315.63,
    },
    Expect {
        file: "cdnow/CDNOW_sample.txt",
        format: Format::Whitespace,
        encoding: "UTF-8",
        header: false,
        accepted: 6_919,
        customers: 2_357,
        first: "1997-01-01",
        last: "1998-06-30",
        revenue: 244_091.94,
    },
];

#[test]
fn every_format_and_encoding_fixture_is_read_completely() {
    for e in CASES {
        let r = ok(e.file);
        assert_eq!(r.format, e.format, "{}", e.file);
        assert_eq!(r.encoding, e.encoding, "{}", e.file);
        assert_eq!(r.header, e.header, "{}", e.file);
        assert_eq!(r.rows_rejected, 0, "{}: {:?}", e.file, r.rejected.first());
        assert_eq!(r.rows_accepted, e.accepted, "{}", e.file);
        assert_eq!(r.totals.customers, e.customers, "{}", e.file);
        let range = r.totals.date_range.as_ref().expect("a date range");
        assert_eq!((range.first.as_str(), range.last.as_str()), (e.first, e.last), "{}", e.file);
        let revenue = r.totals.revenue.expect("revenue");
        assert!((revenue - e.revenue).abs() < TOLERANCE, "{}: revenue {revenue} != {}", e.file, e.revenue);
    }
}

#[test]
fn gbk_text_is_decoded_to_the_right_chinese() {
    let r = ok("gbk_orders.csv");
    assert_eq!(r.columns[1].name, "客户ID");
    assert_eq!(r.preview[0][5], "线上商城");
    assert_eq!(r.preview[0][1], "00042");
    assert_eq!(r.currency.as_deref(), Some("CNY"));
    assert_eq!(r.totals.refunds, 1);
    assert_eq!(r.totals.responses, 4);
}

#[test]
fn excel_uses_the_first_visible_sheet_and_lists_all_of_them() {
    let r = ok("orders.xlsx");
    assert_eq!(r.sheet.as_deref(), Some("订单"));
    let names: Vec<(&str, bool)> = r.sheets.iter().map(|s| (s.name.as_str(), s.visible)).collect();
    assert_eq!(names, vec![("说明", false), ("订单", true), ("Survey", true)]);
    assert_eq!(r.preview[0][0], "00042");
    assert_eq!(r.preview[0][1], "2024-03-05 14:23:00");
    let survey = read("orders.xlsx", &IngestOptions { sheet: Some("Survey".into()), ..Default::default() }).unwrap();
    assert_eq!(survey.rows_accepted, 1);
    assert_eq!(survey.mapping.get(&Role::Score).map(|m| m.column), Some(3));
    let by_position = read("orders.xlsx", &IngestOptions { sheet: Some("3".into()), ..Default::default() }).unwrap();
    assert_eq!(by_position.sheet.as_deref(), Some("Survey"));
    assert!(read("orders.xlsx", &IngestOptions { sheet: Some("Nope".into()), ..Default::default() })
        .unwrap_err()
        .contains("Survey"));
}

#[test]
fn ambiguous_dates_are_flagged_and_the_user_can_choose() {
    let r = ok("ambiguous_dates.csv");
    assert!(r.date_order_ambiguous);
    assert_eq!(r.date_order, DateOrder::Mdy);
    let dmy = read("ambiguous_dates.csv", &IngestOptions { date_order: Some(DateOrder::Dmy), ..Default::default() }).unwrap();
    assert!(!dmy.date_order_ambiguous);
    assert_eq!(dmy.totals.date_range.unwrap().first, "2024-02-01");
}

#[test]
fn each_kind_of_bad_row_is_rejected_with_its_row_column_and_reason() {
    let r = ok("bad_rows.csv");
    let got: Vec<(u64, &str, &str)> = r.rejected.iter().map(|x| (x.row, x.column.as_str(), x.value.as_str())).collect();
    // Rows without a customer id (lines 3 and 4) are guest orders, and bad scores (an optional
    // column: lines 8, 13–15; N/A is no answer) are left out of their rows: neither is a rejection.
    let want = vec![
        (5, "order_date", "2024-02-30"),
        (6, "order_date", "yesterday"),
        (7, "order_date", "1899-12-31"),
        (9, "amount", "abc"),
        (10, "amount", "NaN"),
        (11, "amount", "--5"),
        (12, "amount", "1e308"),
        (17, "order_date", ""),
    ];
    assert_eq!(got, want);
    assert_eq!(r.rows_accepted, 8);
    assert_eq!(r.rows, 18);
    assert_eq!(r.guest_lines, [3, 4]);
    assert_eq!(r.cells_left_out.iter().map(|l| (l.role.key(), l.cells, l.row)).collect::<Vec<_>>(), [("score", 4, 8)]);
    for x in &r.rejected {
        assert!(!x.reason.is_empty(), "row {} has no reason", x.row);
    }
    assert_eq!(r.rejected[2].reason, "year 1899 is outside 1900–2100");
    assert!(r.rejected[7].reason.contains("the row has 1 column(s)"), "{}", r.rejected[7].reason);
}

#[test]
fn unusable_files_get_one_clear_message() {
    let cases = [
        ("image.csv", "PNG image"),
        ("not_a_workbook.xlsx", "not a readable Excel workbook"),
        ("only_decimals.csv", "no column looks like a customer id"),
    ];
    for (file, want) in cases {
        let err = read(file, &IngestOptions::default()).unwrap_err();
        assert!(err.contains(want), "{file}: {err}");
    }
    let header_only = ok("header_only.csv");
    assert_eq!(header_only.rows_accepted, 0);
    assert_eq!(header_only.totals.revenue, Some(0.0));
}

#[test]
fn headerless_files_are_mapped_by_position_on_request() {
    let opts = IngestOptions {
        map: vec![MapOverride::parse("customer_id=2").unwrap(), MapOverride::parse("amount=4").unwrap()],
        ..Default::default()
    };
    let r = read("cdnow/CDNOW_sample.txt", &opts).unwrap();
    // Column 2 is CDNOW's sample sequence number, one per customer; column 4 holds the CD counts,
    // whose total (16,479, by awk over the file) becomes the "amount".
    assert_eq!(r.totals.customers, 2_357);
    assert_eq!(r.mapping[&Role::Amount].column, 4);
    assert!((r.totals.revenue.unwrap() - 16_479.0).abs() < TOLERANCE, "{:?}", r.totals.revenue);
}
