//! Excel workbooks (`.xlsx`, `.xls`) read with calamine into a grid of cell texts.
//!
//! Cells are turned into the text a person sees in Excel (dates as `YYYY-MM-DD`, whole numbers
//! without `.0`), so that the same value parsers serve spreadsheets and text files alike. Formula
//! cells give their cached value.

use calamine::{open_workbook_auto_from_rs, Data, DataRef, Range, Reader, SheetVisible, Sheets, Xlsx, XlsxError};
use serde::{Deserialize, Serialize};
use std::io::{Cursor, Read, Seek};

/// The last row and column a worksheet can have (Excel's grid, `XFD1048576`), 0-based.
const LAST_ROW: u32 = 1_048_575;
const LAST_COLUMN: u32 = 16_383;

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
    /// The used range's rows, from its first column.
    pub rows: Rows,
    /// How many columns the used range spans: every row has this many cells, those it does not
    /// hold empty.
    pub width: usize,
    /// The 1-based sheet row of the first row (the used range may start below row 1).
    pub first_line: u64,
}

impl Grid {
    /// Row `i` (0-based) of the used range, `width` cells long.
    pub fn row(&self, i: usize) -> Option<SheetRow<'_>> {
        (i < self.rows.len()).then(|| {
            let (cells, lead) = self.rows.cells(i);
            let width = self.width.max(lead as usize + cells.len());
            SheetRow { rows: &self.rows, cells, lead: lead as usize, width }
        })
    }
}

/// Rows of cell texts, end to end in one buffer: a million rows of ten cells would otherwise be
/// ten million small allocations, three times the memory of the texts themselves. A row holds its
/// cells from its first non-empty one to its last; those before it (`lead`) and after it, up to the
/// sheet's width, are empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rows {
    text: String,
    /// Where each cell's text ends in `text`.
    ends: Vec<usize>,
    /// Each row's first cell in `ends`, and how many empty cells come before it.
    rows: Vec<(usize, u32)>,
}

impl Rows {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Starts a row whose first cell is in `column` (counted from the used range's first column
    /// once [`Rows::shift`] has been called).
    fn start_row(&mut self, column: u32) {
        self.rows.push((self.ends.len(), column));
    }

    fn push_cell(&mut self, text: &str) {
        self.text.push_str(text);
        self.ends.push(self.text.len());
    }

    /// Puts the cell at `row`, `column` after the one before it, `at` (its row and the column
    /// after it), with empty cells and rows between them: `false` (and nothing put) when the cell
    /// does not come after it.
    fn place(&mut self, at: &mut Option<(u32, u32)>, row: u32, column: u32, text: &str) -> bool {
        match *at {
            Some((r, next)) if r == row => {
                if column < next {
                    return false;
                }
                (next..column).for_each(|_| self.push_cell(""));
            }
            Some((r, _)) if row < r => return false,
            before => {
                if let Some((r, _)) = before {
                    (r + 1..row).for_each(|_| self.start_row(0));
                }
                self.start_row(column);
            }
        }
        self.push_cell(text);
        *at = Some((row, column + 1));
        true
    }

    /// Counts the rows' first columns from `first_column`.
    fn shift(&mut self, first_column: u32) {
        for (_, lead) in &mut self.rows {
            *lead = lead.saturating_sub(first_column);
        }
    }

    /// Row `index`'s cells (their indices in `ends`) and lead.
    fn cells(&self, index: usize) -> (std::ops::Range<usize>, u32) {
        let (first, lead) = self.rows.get(index).copied().unwrap_or((self.ends.len(), 0));
        let last = self.rows.get(index + 1).map_or(self.ends.len(), |&(next, _)| next);
        (first..last, lead)
    }

    fn text(&self, cell: usize) -> &str {
        let start = cell.checked_sub(1).and_then(|before| self.ends.get(before)).copied().unwrap_or(0);
        self.ends.get(cell).and_then(|&end| self.text.get(start..end)).unwrap_or("")
    }
}

/// One row of a [`Grid`]: `width` cells, those the row does not hold empty.
pub struct SheetRow<'a> {
    rows: &'a Rows,
    /// The row's cells in `rows.ends`, after `lead` empty ones.
    cells: std::ops::Range<usize>,
    lead: usize,
    /// The sheet's width (and at least the row's cells).
    width: usize,
}

impl<'a> SheetRow<'a> {
    /// Cell `i`'s text; `None` past the row's end.
    fn cell(&self, i: usize) -> Option<&'a str> {
        match i.checked_sub(self.lead) {
            Some(k) if k < self.cells.len() => Some(self.rows.text(self.cells.start + k)),
            _ => (i < self.width).then_some(""),
        }
    }

    /// The row's cells as texts.
    pub fn texts(&self) -> Vec<&'a str> {
        (0..self.width).map(|i| self.cell(i).unwrap_or("")).collect()
    }
}

impl super::table::Row for SheetRow<'_> {
    fn len(&self) -> usize {
        self.width
    }

    fn get(&self, i: usize) -> Option<&str> {
        self.cell(i)
    }
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
    read_sheet_with(bytes, sheet, &mut |_| {})
}

/// [`read_sheet`], telling `progress` how far through an `.xlsx` sheet's rows it is (0 to 1, from
/// the sheet's declared size, at most a hundred times).
///
/// # Errors
/// [`ExcelError`] when the workbook cannot be opened or the sheet does not exist.
pub fn read_sheet_with(bytes: &[u8], sheet: Option<&str>, progress: &mut dyn FnMut(f64)) -> Result<Grid, ExcelError> {
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
        let (rows, width, first_line) = match &mut book {
            Sheets::Xlsx(xlsx) => match xlsx_cells(xlsx, &name, progress, Order::AsWritten)? {
                Some(cells) => cells,
                None => xlsx_cells(xlsx, &name, progress, Order::Any)?.unwrap_or_default(),
            },
            other => range_cells(&other.worksheet_range(&name).map_err(|e| ExcelError::Unreadable(e.to_string()))?),
        };
        let grid = Grid { sheets: sheets.clone(), sheet: name, rows, width, first_line: first_line.max(1) };
        if !grid.rows.is_empty() {
            return Ok(grid);
        }
        first_read.get_or_insert(grid);
    }
    first_read.ok_or(ExcelError::NoSheets)
}

/// A sheet's used range, cell by cell: its rows, its width and the 1-based row it starts on.
fn range_cells(range: &Range<Data>) -> (Rows, usize, u64) {
    let mut rows = Rows::default();
    for row in range.rows() {
        rows.start_row(0);
        for cell in row {
            rows.push_cell(&cell_text(cell));
        }
    }
    (rows, range.width(), range.start().map_or(1, |(row, _)| u64::from(row) + 1))
}

/// In which order [`xlsx_cells`] takes a sheet's cells.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Order {
    /// Row by row and left to right, as Excel writes them: each cell is put in place as it comes.
    /// A cell out of that order gives up (`None`).
    AsWritten,
    /// Any order: the cells are kept with their places and sorted.
    Any,
}

/// An `.xlsx` sheet read with calamine's cell reader: what [`range_cells`] gives for the sheet's
/// used range (calamine's `worksheet_range`: the cells that are not empty, a later cell at the same
/// place replacing an earlier one), without holding every cell three times over (the cells as
/// read, the range, the range's values) beside their texts, and with progress.
fn xlsx_cells<RS: Read + Seek>(
    book: &mut Xlsx<RS>,
    name: &str,
    progress: &mut dyn FnMut(f64),
    order: Order,
) -> Result<Option<(Rows, usize, u64)>, ExcelError> {
    let unreadable = |e: XlsxError| ExcelError::Unreadable(e.to_string());
    let mut reader = match book.worksheet_cells_reader(name) {
        Ok(reader) => reader,
        // A chart sheet: no cells (as `worksheet_range` has it).
        Err(XlsxError::NotAWorksheet(_)) => return Ok(Some((Rows::default(), 0, 1))),
        Err(e) => return Err(unreadable(e)),
    };
    let declared = reader.dimensions();
    let (top, bottom) = (declared.start.0, declared.end.0.max(declared.start.0));
    let mut reported = 0u32;
    let mut rows = Rows::default();
    // The last cell put: its row and the column after it.
    let mut current: Option<(u32, u32)> = None;
    // In any order: each cell's place and text.
    let mut placed: Vec<(u32, u32, String)> = Vec::new();
    let (mut first_column, mut last_column, mut top_row) = (u32::MAX, 0u32, None);
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        let value = cell.get_value();
        if matches!(value, DataRef::Empty) {
            continue;
        }
        let (row, column) = cell.get_position();
        if row > LAST_ROW || column > LAST_COLUMN {
            return Err(ExcelError::Unreadable(format!(
                "a cell lies beyond the last row or column a worksheet can have (row {}, column {})",
                u64::from(row) + 1,
                u64::from(column) + 1
            )));
        }
        first_column = first_column.min(column);
        last_column = last_column.max(column);
        top_row = Some(top_row.map_or(row, |t: u32| t.min(row)));
        // Progress through the declared rows, a step of 1% at a time.
        let done = (u64::from(row.saturating_sub(top)) * 100 / (u64::from(bottom - top) + 1)) as u32;
        if done > reported && done <= 100 {
            reported = done;
            progress(f64::from(done) / 100.0);
        }
        if order == Order::Any {
            placed.push((row, column, value_text(value).into_owned()));
            continue;
        }
        if !rows.place(&mut current, row, column, &value_text(value)) {
            return Ok(None);
        }
    }
    if order == Order::Any {
        // Stable: of two cells at one place, the later one comes last, and is the one kept.
        placed.sort_by_key(|&(row, column, _)| (row, column));
        for (i, (row, column, text)) in placed.iter().enumerate() {
            if placed.get(i + 1).is_none_or(|&(r, c, _)| (r, c) != (*row, *column)) {
                rows.place(&mut current, *row, *column, text);
            }
        }
    }
    let Some(top_row) = top_row else {
        return Ok(Some((Rows::default(), 0, 1)));
    };
    rows.shift(first_column);
    Ok(Some((rows, (last_column - first_column) as usize + 1, u64::from(top_row) + 1)))
}

/// [`cell_text`] of a cell as the cell reader gives it, borrowed where it can be.
fn value_text<'v>(value: &'v DataRef<'_>) -> std::borrow::Cow<'v, str> {
    match value {
        DataRef::SharedString(s) => std::borrow::Cow::Borrowed(*s),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => std::borrow::Cow::Borrowed(s.as_str()),
        other => std::borrow::Cow::Owned(cell_text(&Data::from(other.clone()))),
    }
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

    use crate::core::export::xlsx::workbook_with;
    use proptest::prelude::*;

    /// Every row of a grid as texts, `width` cells each.
    fn texts(grid: &Grid) -> Vec<Vec<String>> {
        (0..grid.rows.len()).map(|i| grid.row(i).unwrap().texts().into_iter().map(String::from).collect()).collect()
    }

    /// The first sheet as calamine's `worksheet_range` gives it: (rows, width, first line).
    fn by_range(bytes: &[u8]) -> (Vec<Vec<String>>, usize, u64) {
        let mut book = open_workbook_auto_from_rs(Cursor::new(bytes)).unwrap();
        let name = book.sheet_names()[0].clone();
        let (rows, width, first_line) = range_cells(&book.worksheet_range(&name).unwrap());
        let grid = Grid { sheets: Vec::new(), sheet: name, rows, width, first_line };
        (texts(&grid), grid.width, grid.first_line)
    }

    fn by_cells(bytes: &[u8]) -> (Vec<Vec<String>>, usize, u64) {
        let grid = read_sheet(bytes, None).unwrap();
        (texts(&grid), grid.width, grid.first_line)
    }

    fn column_name(mut c: u32) -> String {
        let mut name = String::new();
        loop {
            name.insert(0, char::from(b'A' + (c % 26) as u8));
            if c < 26 {
                return name;
            }
            c = c / 26 - 1;
        }
    }

    /// A cell's XML: kind 0 a number, 1 an inline string, 2 a boolean, 3 an error, 4 a styled
    /// empty cell, 5 an empty inline string.
    fn cell_xml(row: u32, column: u32, kind: u8, text: &str) -> String {
        let r = format!("{}{}", column_name(column), row + 1);
        match kind {
            0 => format!("<c r=\"{r}\"><v>{}</v></c>", text.len() as f64 * 1.5 - 2.0),
            1 => format!("<c r=\"{r}\" t=\"inlineStr\"><is><t>{text}</t></is></c>"),
            2 => format!("<c r=\"{r}\" t=\"b\"><v>{}</v></c>", text.len() % 2),
            3 => format!("<c r=\"{r}\" t=\"e\"><v>#N/A</v></c>"),
            4 => format!("<c r=\"{r}\" s=\"1\"/>"),
            _ => format!("<c r=\"{r}\" t=\"inlineStr\"><is><t></t></is></c>"),
        }
    }

    /// Each cell in a `<row>` of its own, in the order given.
    fn sheet_xml(cells: &[(u32, u32, u8, String)]) -> String {
        cells.iter().map(|(r, c, k, t)| format!("<row r=\"{}\">{}</row>", r + 1, cell_xml(*r, *c, *k, t))).collect()
    }

    proptest::proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        /// Cells anywhere (gaps, rows and columns that start late, empty and styled cells, two
        /// cells at one place), written in order as Excel does or in any order: read cell by cell,
        /// the sheet is exactly what calamine's used range gives.
        #[test]
        fn a_sheet_read_cell_by_cell_is_its_used_range(
            mut cells in prop::collection::vec((0u32..9, 0u32..30, 0u8..6, "[a-z0-9]{0,3}"), 0..40),
            in_order in any::<bool>(),
        ) {
            if in_order {
                cells.sort_by_key(|&(r, c, ..)| (r, c));
            }
            let book = workbook_with(None, &sheet_xml(&cells));
            prop_assert_eq!(by_cells(&book), by_range(&book));
        }
    }

    #[test]
    fn excel_written_rows_are_read_in_one_pass_and_others_sorted() {
        let cells: Vec<(u32, u32, u8, String)> = vec![
            (2, 3, 1, "x".into()),
            (2, 5, 0, "ab".into()),
            (4, 2, 1, "y".into()),
            (4, 2, 1, "z".into()),
            (6, 4, 4, String::new()),
        ];
        let book = workbook_with(Some("C3:F7"), &sheet_xml(&cells));
        let want = (
            vec![
                vec!["".into(), "x".into(), "".into(), "1".into()],
                vec!["".into(); 4],
                vec!["z".into(), "".into(), "".into(), "".into()],
            ],
            4,
            3,
        );
        assert_eq!(by_cells(&book), want);
        assert_eq!(by_range(&book), want);
        let mut xlsx: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(book.as_slice())).unwrap();
        // Two cells at one place are out of Excel's order: the first pass gives up on them.
        assert!(xlsx_cells(&mut xlsx, "Sheet1", &mut |_| {}, Order::AsWritten).unwrap().is_none());
        let in_order = workbook_with(Some("C3:F7"), &sheet_xml(&cells[..3]));
        let mut xlsx: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(in_order.as_slice())).unwrap();
        let (rows, width, first_line) = xlsx_cells(&mut xlsx, "Sheet1", &mut |_| {}, Order::AsWritten).unwrap().unwrap();
        assert_eq!((rows.len(), width, first_line), (3, 4, 3));
    }

    #[test]
    fn reading_a_sheet_reports_its_progress_through_the_declared_rows() {
        let cells: Vec<(u32, u32, u8, String)> = (0..200).map(|r| (r, 0, 1, format!("c{r}"))).collect();
        let book = workbook_with(Some("A1:A200"), &sheet_xml(&cells));
        let mut seen = Vec::new();
        let grid = read_sheet_with(&book, None, &mut |f| seen.push(f)).unwrap();
        assert_eq!(grid.rows.len(), 200);
        assert!(seen.len() >= 90 && seen.len() <= 100, "{} reports", seen.len());
        assert!(seen.windows(2).all(|w| w[0] < w[1]) && seen.iter().all(|f| (0.0..=1.0).contains(f)), "{seen:?}");
    }

    #[test]
    fn a_cell_beyond_the_last_row_or_column_is_refused_not_allocated_for() {
        for r in ["A1048577", "XFE1", "A4000000000"] {
            let book =
                workbook_with(None, &format!("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row><c r=\"{r}\"><v>2</v></c></row>"));
            let err = read_sheet(&book, None).unwrap_err();
            assert!(matches!(&err, ExcelError::Unreadable(why) if why.contains("beyond the last row or column")), "{r}: {err:?}");
        }
        // The last cell of the grid is fine.
        let book = workbook_with(None, "<row r=\"1048576\"><c r=\"XFD1048576\"><v>2</v></c></row>");
        let grid = read_sheet(&book, None).unwrap();
        assert_eq!((grid.rows.len(), grid.width, grid.first_line), (1, 1, 1_048_576));
    }

    #[test]
    fn bytes_that_are_not_a_workbook_are_refused_not_panicked_on() {
        let err = read_sheet(b"PK\x03\x04 this is not really a zip", None).unwrap_err();
        assert!(matches!(err, ExcelError::Unreadable(_)), "{err:?}");
    }
}
