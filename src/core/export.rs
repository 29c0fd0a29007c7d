//! Exported files: CSV in UTF-8 with a byte-order mark (so Excel shows Chinese) or GBK for older
//! Excel on Chinese Windows, and XLSX workbooks (written with rust_xlsxwriter).

use serde::{Deserialize, Serialize};

/// The encoding of an exported CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ExportEncoding {
    #[default]
    Utf8Bom,
    Gbk,
}

/// What a list is exported as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    #[default]
    CsvUtf8,
    CsvGbk,
    Xlsx,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            Self::CsvUtf8 | Self::CsvGbk => "csv",
            Self::Xlsx => "xlsx",
        }
    }
    pub fn mime(self) -> &'static str {
        match self {
            Self::CsvUtf8 | Self::CsvGbk => "text/csv",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// Encodes CSV text for download. GBK cannot write every character (emoji, for one): those become
/// HTML-style numeric references such as `&#128512;`, as the WHATWG encoder specifies; `lossy` says
/// whether that happened.
pub fn encode(text: &str, encoding: ExportEncoding) -> (Vec<u8>, bool) {
    match encoding {
        ExportEncoding::Utf8Bom => {
            let mut out = Vec::with_capacity(text.len() + 3);
            out.extend_from_slice(b"\xEF\xBB\xBF");
            out.extend_from_slice(text.as_bytes());
            (out, false)
        }
        ExportEncoding::Gbk => {
            let (bytes, _, lossy) = encoding_rs::GBK.encode(text);
            (bytes.into_owned(), lossy)
        }
    }
}

/// Formula injection guard for exported CSV (the OWASP rule). A spreadsheet opening a CSV runs a
/// cell that starts with `=`, `+`, `-` or `@` as a formula (`=HYPERLINK(…)`, `=cmd|' /C calc'!A0`),
/// and a leading tab or carriage return can hide such a prefix; customer ids, names, comments and
/// rejected values come from files nobody here controls. Such a field gets a leading `'`, which
/// spreadsheets read as "this is text". A field that is a plain number (`-5`, `+3.5`, `-1.2e3`)
/// stays as it is, so negative amounts remain numbers.
///
/// XLSX exports need no prefix: their text cells are stored as strings, which are never formulas.
pub fn neutralise(field: &str) -> std::borrow::Cow<'_, str> {
    match field.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') if !is_plain_number(field) => format!("'{field}").into(),
        _ => field.into(),
    }
}

/// `[+-]digits[.digits][e[+-]digits]`, with at least one digit before the exponent.
fn is_plain_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let mut n = digits(&mut i);
    if b.get(i) == Some(&b'.') {
        i += 1;
        n += digits(&mut i);
    }
    if n == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// CSV text with every field passed through [`neutralise`] (quoting kept valid by the csv crate).
pub fn guard_csv(text: &str) -> String {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::with_capacity(text.len() + 64));
    for record in reader.records().flatten() {
        let _ = w.write_record(record.iter().map(neutralise).collect::<Vec<_>>().iter().map(|c| c.as_ref()));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// A cell of an exported table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

/// A one-sheet workbook with a bold header row. Text cells are written as text, never as formulas.
///
/// # Errors
/// What rust_xlsxwriter reports (a sheet name it refuses, too many rows for Excel).
pub fn xlsx(sheet: &str, header: &[&str], rows: &[Vec<Cell>]) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet).map_err(|e| e.to_string())?;
    let bold = Format::new().set_bold();
    for (c, name) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *name, &bold).map_err(|e| e.to_string())?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| "too many rows for a worksheet".to_string())?;
        for (c, cell) in row.iter().enumerate() {
            match cell {
                Cell::Text(t) => ws.write_string(r, c as u16, t),
                Cell::Number(n) => ws.write_number(r, c as u16, *n),
            }
            .map_err(|e| e.to_string())?;
        }
    }
    ws.set_freeze_panes(1, 0).map_err(|e| e.to_string())?;
    book.save_to_buffer().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_prefixes_are_neutralised_and_numbers_stay_numbers() {
        for (input, want) in [
            ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("--5", "'--5"),
            ("-", "'-"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-5", "-5"),
            ("-12.50", "-12.50"),
            ("+3.5", "+3.5"),
            ("-1.2e3", "-1.2e3"),
            ("-.5", "-.5"),
            ("-1e", "'-1e"),
            ("00042", "00042"),
            ("重要价值客户", "重要价值客户"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(neutralise(input), want, "{input:?}");
        }
    }

    #[test]
    fn guarded_csv_stays_valid_csv() {
        let text = "customer_id,monetary\n\"=1+2,\"\"x\"\"\",-5\n00042,12.5\n";
        let guarded = guard_csv(text);
        let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(guarded.as_bytes());
        let rows: Vec<Vec<String>> = r.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
        assert_eq!(rows, vec![vec!["customer_id", "monetary"], vec!["'=1+2,\"x\"", "-5"], vec!["00042", "12.5"]]);
    }

    #[test]
    fn utf8_gets_a_bom_and_gbk_round_trips_chinese() {
        let text = "customer_id,segment\n00042,重要价值客户\n";
        let (utf8, lossy) = encode(text, ExportEncoding::Utf8Bom);
        assert!(!lossy);
        assert_eq!(&utf8[..3], b"\xEF\xBB\xBF");
        let (gbk, lossy) = encode(text, ExportEncoding::Gbk);
        assert!(!lossy);
        assert_eq!(encoding_rs::GBK.decode(&gbk).0, text);
        assert!(gbk.len() < utf8.len(), "two bytes per Chinese character instead of three");
        assert!(encode("😀", ExportEncoding::Gbk).1);
    }

    #[test]
    fn an_xlsx_export_reads_back_with_ids_as_text_and_formulas_as_text() {
        let rows = vec![
            vec![Cell::Text("00042".into()), Cell::Number(1299.5), Cell::Text("重要价值客户".into())],
            vec![Cell::Text("=1+1".into()), Cell::Number(-3.0), Cell::Text("".into())],
        ];
        let bytes = xlsx("客户", &["customer_id", "monetary", "cn_segment"], &rows).unwrap();
        let grid = crate::core::excel::read_sheet(&bytes, None).unwrap();
        assert_eq!(grid.sheet, "客户");
        assert_eq!(grid.rows[0], vec!["customer_id", "monetary", "cn_segment"]);
        assert_eq!(grid.rows[1], vec!["00042", "1299.5", "重要价值客户"]);
        assert_eq!(grid.rows[2][0], "=1+1", "stored as text, not evaluated");
        assert_eq!(grid.rows[2][1], "-3");
    }
}
