//! Excel workbooks (`.xlsx`, `.xls`) read with calamine into a grid of cell texts.
//!
//! Cells are turned into the text a person sees in Excel (dates as `YYYY-MM-DD`, whole numbers
//! without `.0`), so that the same value parsers serve spreadsheets and text files alike. Formula
//! cells give their cached value.

use calamine::{open_workbook_auto_from_rs, Data, Reader, SheetVisible};
use serde::{Deserialize, Serialize};
use std::io::Cursor;

/// A sheet of a workbook, as listed in the sheet picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetInfo {
    pub name: String,
    pub visible: bool,
}

/// A sheet read into rows of cell texts.
#[derive(Debug, Clone)]
pub struct Grid {
    pub sheets: Vec<SheetInfo>,
    /// The sheet that was read.
    pub sheet: String,
    pub rows: Vec<Vec<String>>,
    /// The 1-based sheet row of `rows[0]` (the used range may start below row 1).
    pub first_line: u64,
}

/// Why a workbook could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExcelError {
    /// The bytes are not a workbook calamine can open (truncated, a zip of something else, …).
    Unreadable(String),
    /// An `.xls` whose internal structure is damaged in a way that would hang or crash the reader.
    Damaged(String),
    /// The workbook has no sheets.
    NoSheets,
    /// The sheet the user asked for does not exist.
    NoSuchSheet { wanted: String, available: Vec<String> },
}

impl std::fmt::Display for ExcelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unreadable(why) => write!(f, "the workbook cannot be read ({why}); is it damaged, or saved in another format?"),
            Self::Damaged(why) => {
                write!(f, "the .xls workbook is damaged: {why}; open it in Excel and save it again as .xlsx or CSV")
            }
            Self::NoSheets => write!(f, "the workbook has no sheets"),
            Self::NoSuchSheet { wanted, available } => {
                write!(f, "there is no sheet '{wanted}'; the sheets are: {}", available.join(", "))
            }
        }
    }
}

/// Reads one sheet: `sheet` names it or gives its 1-based position; by default the first visible
/// sheet that has any cells.
///
/// # Errors
/// [`ExcelError`] when the workbook cannot be opened or the sheet does not exist.
pub fn read_sheet(bytes: &[u8], sheet: Option<&str>) -> Result<Grid, ExcelError> {
    super::cfb_check::check(bytes).map_err(ExcelError::Damaged)?;
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| ExcelError::Unreadable(e.to_string()))?;
    let sheets: Vec<SheetInfo> = book
        .sheets_metadata()
        .iter()
        .map(|s| SheetInfo { name: s.name.clone(), visible: s.visible == SheetVisible::Visible })
        .collect();
    if sheets.is_empty() {
        return Err(ExcelError::NoSheets);
    }
    let names: Vec<String> = sheets.iter().map(|s| s.name.clone()).collect();
    let chosen: Vec<String> = match sheet.map(str::trim).filter(|s| !s.is_empty()) {
        Some(wanted) => {
            let by_name = names.iter().find(|n| n.as_str() == wanted).cloned();
            let by_position = wanted.parse::<usize>().ok().and_then(|i| i.checked_sub(1)).and_then(|i| names.get(i).cloned());
            match by_name.or(by_position) {
                Some(n) => vec![n],
                None => return Err(ExcelError::NoSuchSheet { wanted: wanted.to_string(), available: names }),
            }
        }
        None => sheets.iter().filter(|s| s.visible).chain(sheets.iter().filter(|s| !s.visible)).map(|s| s.name.clone()).collect(),
    };
    let mut first_read: Option<Grid> = None;
    for name in chosen {
        let range = book.worksheet_range(&name).map_err(|e| ExcelError::Unreadable(e.to_string()))?;
        let first_line = range.start().map_or(1, |(row, _)| row as u64 + 1);
        let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(cell_text).collect()).collect();
        let grid = Grid { sheets: sheets.clone(), sheet: name, rows, first_line };
        if !grid.rows.is_empty() {
            return Ok(grid);
        }
        first_read.get_or_insert(grid);
    }
    first_read.ok_or(ExcelError::NoSheets)
}

/// The text Excel would show for a cell, in a form the value parsers read.
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::Error(e) => e.to_string(),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(t) if dt.is_datetime() => {
                let text = t.format("%Y-%m-%d %H:%M:%S").to_string();
                text.strip_suffix(" 00:00:00").map(str::to_string).unwrap_or(text)
            }
            _ => number_text(dt.as_f64()),
        },
    }
}

fn number_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_lose_their_decimal_point_and_others_keep_it() {
        assert_eq!(cell_text(&Data::Float(42.0)), "42");
        assert_eq!(cell_text(&Data::Float(12.5)), "12.5");
        assert_eq!(cell_text(&Data::Int(-7)), "-7");
        assert_eq!(cell_text(&Data::String("00042".into())), "00042");
        assert_eq!(cell_text(&Data::Empty), "");
    }

    #[test]
    fn bytes_that_are_not_a_workbook_are_refused_not_panicked_on() {
        let err = read_sheet(b"PK\x03\x04 this is not really a zip", None).unwrap_err();
        assert!(matches!(err, ExcelError::Unreadable(_)), "{err:?}");
    }
}
