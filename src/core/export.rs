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
