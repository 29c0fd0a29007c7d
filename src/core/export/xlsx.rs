//! A one-sheet XLSX workbook, written directly: text cells as text, numbers as numbers.

/// A cell of an exported table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

/// A one-sheet workbook with a bold header row and the header frozen. Text cells are written as
/// text (inline strings), never as formulas; numbers as numbers.
///
/// The workbook is the few parts of the Office Open XML package (ECMA-376) a spreadsheet needs:
/// content types, relationships, the workbook, its styles and the sheet, deflated with miniz_oxide
/// into a plain zip archive. A general writer (rust_xlsxwriter, through the zip crate's writer with
/// its zlib-rs and zopfli compressors) made the browser's download about 170 KB (gzip) bigger.
///
/// # Errors
/// A sheet name Excel refuses, more rows or columns than a worksheet holds, or a workbook past a
/// zip archive's 4 GiB.
pub fn xlsx<R: AsRef<[Cell]>>(sheet: &str, header: &[&str], rows: impl IntoIterator<Item = R>) -> Result<Vec<u8>, String> {
    check_sheet_name(sheet)?;
    write_xlsx(sheet, header, rows.into_iter())
}

/// Rows and columns of an Excel worksheet.
const MAX_ROWS: usize = 1_048_576;
const MAX_COLUMNS: usize = 16_384;

/// Excel's rules for sheet names: 1 to 31 characters, none of `[]:*?/\`, not starting or ending
/// with an apostrophe.
fn check_sheet_name(name: &str) -> Result<(), String> {
    let length = name.chars().count();
    if length == 0 || length > 31 {
        return Err(format!("the sheet name '{name}' must have 1 to 31 characters"));
    }
    if let Some(c) = name.chars().find(|c| "[]:*?/\\".contains(*c)) {
        return Err(format!("the sheet name '{name}' may not contain '{c}'"));
    }
    if name.starts_with('\'') || name.ends_with('\'') {
        return Err(format!("the sheet name '{name}' may not start or end with an apostrophe"));
    }
    Ok(())
}

/// Rows are taken one at a time and written as they come: an export of a million customers never
/// holds a second copy of them.
fn write_xlsx<R: AsRef<[Cell]>>(sheet: &str, header: &[&str], rows: impl Iterator<Item = R>) -> Result<Vec<u8>, String> {
    let mut name = String::new();
    escape_xml(sheet, true, &mut name);
    let workbook = format!(
        "{XML_DECLARATION}<workbook xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\"><bookViews><workbookView/></bookViews>\
         <sheets><sheet name=\"{name}\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
    );
    if header.len() > MAX_COLUMNS {
        return Err(format!("{} columns are more than a worksheet holds ({MAX_COLUMNS})", header.len()));
    }
    let mut zip = package(&workbook)?;
    let mut entry = Deflater::new();
    entry.write(XML_DECLARATION.as_bytes());
    entry.write(
        format!(
            "<worksheet xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\"><sheetViews><sheetView tabSelected=\"1\" workbookViewId=\"0\">\
             <pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>\
             <selection pane=\"bottomLeft\" activeCell=\"A2\" sqref=\"A2\"/></sheetView></sheetViews><sheetData>"
        )
        .as_bytes(),
    );
    // Rows' XML gathered in a buffer reused from one batch to the next, and deflated a batch at a
    // time: the sheet's text (tens of megabytes for a hundred thousand customers) is never whole.
    let mut xml = String::new();
    let header = header.iter().map(|h| Cell::Text((*h).to_string())).collect::<Vec<_>>();
    row_xml(1, &header, true, &mut xml);
    let mut width = header.len();
    for (r, row) in rows.enumerate() {
        let number = r + 2;
        if number > MAX_ROWS {
            return Err(format!("more rows than a worksheet holds ({} below the header)", MAX_ROWS - 1));
        }
        let row = row.as_ref();
        width = width.max(row.len());
        if width > MAX_COLUMNS {
            return Err(format!("{width} columns are more than a worksheet holds ({MAX_COLUMNS})"));
        }
        row_xml(number, row, false, &mut xml);
        if xml.len() >= 1 << 16 {
            entry.write(xml.as_bytes());
            xml.clear();
        }
    }
    xml.push_str("</sheetData></worksheet>");
    entry.write(xml.as_bytes());
    zip.add("xl/worksheets/sheet1.xml", entry)?;
    Ok(zip.finish())
}

/// A workbook's package but its sheet: the content types, the relationships, `workbook` (the
/// workbook part's XML) and the styles.
fn package(workbook: &str) -> Result<ZipOut, String> {
    let mut zip = ZipOut::default();
    for (path, part) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", PACKAGE_RELS),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ("xl/styles.xml", STYLES),
    ] {
        let mut entry = Deflater::new();
        entry.write(part.as_bytes());
        zip.add(path, entry)?;
    }
    Ok(zip)
}

/// One zip entry's data, deflated (raw DEFLATE, as zip stores it) as it is written.
struct Deflater {
    compressor: Box<miniz_oxide::deflate::core::CompressorOxide>,
    crc: crc32fast::Hasher,
    size: u64,
    out: Vec<u8>,
    /// What went wrong while deflating, reported by [`Self::finish`].
    failed: Option<String>,
}

impl Deflater {
    fn new() -> Self {
        use miniz_oxide::deflate::core::{create_comp_flags_from_zip_params, CompressorOxide};
        // Level 3: less than half the time of zlib's default 6 for a slightly bigger file, and much
        // smaller than level 1 (BENCHMARKS.md, "Design measurements"). Negative window bits: raw
        // DEFLATE, no zlib header.
        let flags = create_comp_flags_from_zip_params(3, -15, 0);
        Self {
            compressor: Box::new(CompressorOxide::new(flags)),
            crc: crc32fast::Hasher::new(),
            size: 0,
            out: Vec::new(),
            failed: None,
        }
    }

    fn write(&mut self, bytes: &[u8]) {
        self.crc.update(bytes);
        self.size += bytes.len() as u64;
        self.deflate(bytes, miniz_oxide::deflate::core::TDEFLFlush::None);
    }

    /// Deflates `bytes`. Output goes to a callback that takes all of it, so the compressor takes
    /// all the input in one call (miniz_oxide's `compress_inner` stops early only when its output
    /// is refused); what it reports is checked when the entry is finished.
    fn deflate(&mut self, bytes: &[u8], flush: miniz_oxide::deflate::core::TDEFLFlush) {
        use miniz_oxide::deflate::core::compress_to_output;
        let out = &mut self.out;
        let (status, used) = compress_to_output(&mut self.compressor, bytes, flush, |o| {
            out.extend_from_slice(o);
            true
        });
        if used < bytes.len() {
            self.failed = Some(format!("the compressor took {used} of {} bytes ({status:?})", bytes.len()));
        }
    }

    /// The deflated data, its CRC-32 and the size it inflates to.
    fn finish(mut self) -> Result<(Vec<u8>, u32, u64), String> {
        use miniz_oxide::deflate::core::{TDEFLFlush, TDEFLStatus};
        self.deflate(&[], TDEFLFlush::Finish);
        let done = self.compressor.prev_return_status() == TDEFLStatus::Done;
        match self.failed {
            None if done => Ok((self.out, self.crc.finalize(), self.size)),
            failed => Err(format!(
                "the workbook could not be compressed: {}",
                failed.unwrap_or_else(|| format!("{:?}", self.compressor.prev_return_status()))
            )),
        }
    }
}

/// A zip archive (PKWARE's APPNOTE) of deflated entries with UTF-8 names, written whole into
/// memory: local headers and data, then the central directory. No ZIP64: an export is far below
/// its 4 GiB limits, and one that is not is refused.
#[derive(Default)]
struct ZipOut {
    bytes: Vec<u8>,
    central: Vec<u8>,
    entries: u16,
}

impl ZipOut {
    fn add(&mut self, name: &str, data: Deflater) -> Result<(), String> {
        let (data, crc, size) = data.finish()?;
        let too_big = || format!("the workbook is too big for a zip archive ({name})");
        let size = u32::try_from(size).map_err(|_| too_big())?;
        let compressed = u32::try_from(data.len()).map_err(|_| too_big())?;
        let offset = u32::try_from(self.bytes.len()).map_err(|_| too_big())?;
        let name_length = u16::try_from(name.len()).map_err(|_| too_big())?;
        self.entries = self.entries.checked_add(1).ok_or_else(too_big)?;
        // Version 2.0 needed; flag bit 11: the name is UTF-8; method 8: deflated; the DOS time of
        // 1980-01-01 00:00 (an export has no meaningful file times inside it).
        let common = |out: &mut Vec<u8>| {
            for field in [20u16, 1 << 11, 8, 0, (1 << 5) | 1] {
                out.extend_from_slice(&field.to_le_bytes());
            }
            for field in [crc, compressed, size] {
                out.extend_from_slice(&field.to_le_bytes());
            }
            out.extend_from_slice(&name_length.to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes()); // no extra field
        };
        self.bytes.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common(&mut self.bytes);
        self.bytes.extend_from_slice(name.as_bytes());
        self.bytes.extend_from_slice(&data);
        // Central directory entry: made by version 2.0, then the same fields, then no comment,
        // disk 0, no attributes, and where the local header is.
        self.central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        self.central.extend_from_slice(&20u16.to_le_bytes());
        common(&mut self.central);
        for field in [0u16, 0, 0] {
            self.central.extend_from_slice(&field.to_le_bytes());
        }
        self.central.extend_from_slice(&0u32.to_le_bytes());
        self.central.extend_from_slice(&offset.to_le_bytes());
        self.central.extend_from_slice(name.as_bytes());
        u32::try_from(self.bytes.len() + self.central.len()).map_err(|_| too_big())?;
        Ok(())
    }

    fn finish(mut self) -> Vec<u8> {
        // Sizes and offsets were checked against u32 as entries were added.
        let offset = self.bytes.len() as u32;
        let length = self.central.len() as u32;
        self.bytes.append(&mut self.central);
        // End of central directory: disk numbers 0, the entries on this disk and in all, the
        // directory's size and offset, no comment.
        self.bytes.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        for field in [0u16, 0, self.entries, self.entries] {
            self.bytes.extend_from_slice(&field.to_le_bytes());
        }
        self.bytes.extend_from_slice(&length.to_le_bytes());
        self.bytes.extend_from_slice(&offset.to_le_bytes());
        self.bytes.extend_from_slice(&0u16.to_le_bytes());
        self.bytes
    }
}

/// Row `number` (1-based) as `<row>` XML; `bold` gives its cells the header style.
fn row_xml(number: usize, cells: &[Cell], bold: bool, xml: &mut String) {
    use std::fmt::Write;
    let style = if bold { " s=\"1\"" } else { "" };
    let _ = write!(xml, "<row r=\"{number}\">");
    for (c, cell) in cells.iter().enumerate() {
        // Excel has no infinities or NaN: such a cell is left empty.
        if matches!(cell, Cell::Number(n) if !n.is_finite()) {
            continue;
        }
        xml.push_str("<c r=\"");
        column_name(c, xml);
        let _ = write!(xml, "{number}\"{style}");
        match cell {
            Cell::Text(text) => {
                xml.push_str(" t=\"inlineStr\"><is><t xml:space=\"preserve\">");
                escape_xml(text, false, xml);
                xml.push_str("</t></is></c>");
            }
            Cell::Number(n) => {
                let _ = write!(xml, "><v>{}</v></c>", XmlNumber(*n));
            }
        }
    }
    xml.push_str("</row>");
}

/// A finite number as `xsd:double` text: plain digits when that is short, an exponent otherwise
/// (Rust prints 1e300 with 301 digits). Both read back to the same `f64`.
struct XmlNumber(f64);

impl std::fmt::Display for XmlNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let a = self.0.abs();
        if a == 0.0 || (1e-5..1e16).contains(&a) {
            write!(f, "{}", self.0 + 0.0)
        } else {
            write!(f, "{:e}", self.0)
        }
    }
}

/// Column `index` (0-based) as Excel names it: A … Z, AA … ZZ, AAA ….
fn column_name(index: usize, out: &mut String) {
    let mut letters = [0u8; 3];
    let (mut n, mut len) = (index + 1, 0);
    while n > 0 && len < letters.len() {
        let digit = (n - 1) % 26;
        letters[len] = b'A' + digit as u8;
        len += 1;
        n = (n - 1) / 26;
    }
    out.extend(letters[..len].iter().rev().map(|&b| char::from(b)));
}

/// Appends `text` escaped for XML element content (and for an attribute when `attribute`).
///
/// XML 1.0 cannot hold most control characters at all, and parsers turn a carriage return into a
/// line feed: those are written the way Excel writes them, `_xHHHH_`, which spreadsheets read back
/// as the character. A literal `_xHHHH_` in the text gets its underscore escaped (`_x005F_`), so
/// that it reads back as written.
fn escape_xml(text: &str, attribute: bool, out: &mut String) {
    use std::fmt::Write;
    for (i, c) in text.char_indices() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\t' | '\n' if !attribute => out.push(c),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => {
                let _ = write!(out, "_x{:04X}_", u32::from(c));
            }
            '_' if is_excel_escape(&text[i..]) => out.push_str("_x005F_"),
            _ => out.push(c),
        }
    }
}

/// Whether `text` starts with `_xHHHH_` (four hexadecimal digits).
fn is_excel_escape(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 7 && b[1] == b'x' && b[2..6].iter().all(u8::is_ascii_hexdigit) && b[6] == b'_'
}

const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>\
<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>\
</Types>";

const PACKAGE_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>\
</Relationships>";

const WORKBOOK_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
</Relationships>";

/// Two cell formats: 0 the default, 1 bold (the header).
const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>\
<font><b/><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font></fonts>\
<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>\
<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>\
<cellXfs count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>\
<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/></cellXfs>\
<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>\
</styleSheet>";

/// A workbook of one sheet, `Sheet1`, whose `<sheetData>` is `sheet_data` as given (cells anywhere,
/// in any order), after a `<dimension>` of `dimension` when there is one: for the reader's tests.
#[cfg(test)]
pub(crate) fn workbook_with(dimension: Option<&str>, sheet_data: &str) -> Vec<u8> {
    let workbook = format!(
        "{XML_DECLARATION}<workbook xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\"><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
    );
    let dimension = dimension.map(|d| format!("<dimension ref=\"{d}\"/>")).unwrap_or_default();
    let sheet = format!("{XML_DECLARATION}<worksheet xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\">{dimension}<sheetData>{sheet_data}</sheetData></worksheet>");
    let mut zip = package(&workbook).expect("a small workbook fits a zip archive");
    let mut entry = Deflater::new();
    entry.write(sheet.as_bytes());
    zip.add("xl/worksheets/sheet1.xml", entry).expect("a small workbook fits a zip archive");
    zip.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The workbook's cells as calamine reads them, typed.
    fn cells_of(book: &[u8]) -> (String, Vec<Vec<calamine::Data>>) {
        use calamine::Reader;
        let mut wb = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(book)).unwrap();
        let name = wb.sheet_names()[0].clone();
        let range = wb.worksheet_range(&name).unwrap();
        (name, range.rows().map(<[calamine::Data]>::to_vec).collect())
    }

    /// The text of one part of the workbook's zip.
    fn part(book: &[u8], path: &str) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(book)).unwrap();
        std::io::read_to_string(zip.by_name(path).unwrap()).unwrap()
    }

    #[test]
    fn xlsx_text_reads_back_exactly_whatever_it_holds() {
        use calamine::Data;
        let texts = [
            "a & b < c > d \"e\" 'f'",
            "  spaces kept  ",
            "line\nbreak\tand tab",
            "carriage\r\nreturn",
            "bell\u{7} nul\u{0} esc\u{1b} \u{fffe}",
            "_x0041_ stays _x0041_, not A; _x004_ and _xZZZZ_ too",
            "重要价值客户 😀",
            "=SUM(A1:A2)",
            "",
        ];
        let rows: Vec<Vec<Cell>> = texts.iter().map(|t| vec![Cell::Text((*t).to_string())]).collect();
        let book = xlsx("texts", &["text"], &rows).unwrap();
        let (_, cells) = cells_of(&book);
        for (i, want) in texts.iter().enumerate() {
            let got = match &cells[i + 1][0] {
                Data::String(s) => s.clone(),
                Data::Empty => String::new(),
                other => panic!("row {}: {other:?}", i + 2),
            };
            assert_eq!(&got, want, "row {}", i + 2);
        }
    }

    #[test]
    fn xlsx_numbers_read_back_as_the_same_numbers() {
        use calamine::Data;
        let numbers =
            [0.0, -0.0, 1299.5, -3.0, 0.1 + 0.2, 1e300, -2.5e-300, 1e-5, 123_456_789_012_345_680.0, f64::MAX, f64::MIN_POSITIVE];
        let rows: Vec<Vec<Cell>> = numbers.iter().map(|&n| vec![Cell::Number(n)]).collect();
        let (_, cells) = cells_of(&xlsx("numbers", &["n"], &rows).unwrap());
        for (i, &want) in numbers.iter().enumerate() {
            match cells[i + 1][0] {
                Data::Float(got) => assert_eq!(got, want, "row {}", i + 2),
                Data::Int(got) => assert_eq!(got as f64, want, "row {}", i + 2),
                ref other => panic!("row {}: {other:?}", i + 2),
            }
        }
        // No infinities or NaN in Excel: those cells are empty.
        let rows = vec![vec![Cell::Number(f64::NAN), Cell::Number(f64::INFINITY), Cell::Number(1.0)]];
        let (_, cells) = cells_of(&xlsx("numbers", &["a", "b", "c"], &rows).unwrap());
        assert_eq!(cells[1], vec![Data::Empty, Data::Empty, Data::Float(1.0)]);
    }

    #[test]
    fn xlsx_columns_past_z_are_named_as_excel_names_them() {
        let name = |i| {
            let mut s = String::new();
            column_name(i, &mut s);
            s
        };
        for (i, want) in [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"), (701, "ZZ"), (702, "AAA"), (16_383, "XFD")] {
            assert_eq!(name(i), want);
        }
        // A wide row reads back in its columns.
        let header: Vec<String> = (0..60).map(|i| format!("c{i}")).collect();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let rows = vec![(0..60).map(|i| Cell::Number(f64::from(i))).collect::<Vec<_>>()];
        let (_, cells) = cells_of(&xlsx("wide", &header, &rows).unwrap());
        assert_eq!(cells[0].len(), 60);
        assert_eq!(cells[0][59], calamine::Data::String("c59".into()));
        assert_eq!(cells[1][59], calamine::Data::Float(59.0));
    }

    #[test]
    fn xlsx_header_is_bold_and_frozen_and_the_sheet_is_named() {
        let book = xlsx("客户 & <co>", &["customer_id"], &[vec![Cell::Text("42".into())]]).unwrap();
        assert_eq!(cells_of(&book).0, "客户 & <co>");
        let sheet = part(&book, "xl/worksheets/sheet1.xml");
        assert!(sheet.contains("state=\"frozen\"") && sheet.contains("ySplit=\"1\""), "{sheet}");
        assert!(sheet.contains("<c r=\"A1\" s=\"1\" t=\"inlineStr\">"), "header cell styled: {sheet}");
        assert!(sheet.contains("<c r=\"A2\" t=\"inlineStr\">"), "body cell unstyled: {sheet}");
        let styles = part(&book, "xl/styles.xml");
        assert!(styles.contains("<font><b/>") && styles.contains("fontId=\"1\""), "{styles}");
    }

    #[test]
    fn a_big_xlsx_is_a_sound_zip_and_reads_back_whole() {
        let rows: Vec<Vec<Cell>> = (0..30_000)
            .map(|i| vec![Cell::Text(format!("C{i:06}")), Cell::Number(f64::from(i) * 1.25), Cell::Text("重要价值客户".into())])
            .collect();
        let book = xlsx("customers", &["customer_id", "monetary", "cn_segment"], &rows).unwrap();
        // Every entry inflates to what its header says, with the right CRC-32 (the reader checks).
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(book.as_slice())).unwrap();
        let mut names = Vec::new();
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap();
            assert_eq!(entry.compression(), zip::CompressionMethod::Deflated);
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
            assert_eq!(bytes.len() as u64, entry.size());
            names.push(entry.name().unwrap().to_string());
        }
        assert_eq!(names.len(), 6);
        assert!(names.contains(&"xl/worksheets/sheet1.xml".to_string()), "{names:?}");
        // The sheet's text is several batches long; it deflates to a fraction of itself.
        let sheet = part(&book, "xl/worksheets/sheet1.xml");
        assert!(sheet.len() > 1 << 21 && book.len() < sheet.len() / 5, "{} → {}", sheet.len(), book.len());
        let (_, cells) = cells_of(&book);
        assert_eq!(cells.len(), 30_001);
        assert_eq!(cells[30_000][0], calamine::Data::String("C029999".into()));
        assert_eq!(cells[30_000][1], calamine::Data::Float(29_999.0 * 1.25));
    }

    #[test]
    fn xlsx_refuses_what_excel_cannot_hold() {
        for bad in ["", "a/b", "a[1]", "what?", "'quoted'", "this name is much longer than 31 chars"] {
            assert!(xlsx(bad, &["a"], Vec::<Vec<Cell>>::new()).is_err(), "{bad:?}");
        }
        assert!(xlsx("a name with 31 characters, fine", &["a"], Vec::<Vec<Cell>>::new()).is_ok());
        let too_many = vec![Vec::new(); MAX_ROWS];
        assert!(xlsx("rows", &["a"], &too_many).unwrap_err().contains("(1048575 below the header)"));
        let fits = vec![Vec::new(); MAX_ROWS - 1];
        assert!(xlsx("rows", &["a"], &fits).is_ok());
        let wide = vec![vec![Cell::Number(1.0); MAX_COLUMNS + 1]];
        assert!(xlsx("cols", &["a"], &wide).is_err());
        let header = vec!["h"; MAX_COLUMNS + 1];
        assert!(xlsx("cols", &header, Vec::<Vec<Cell>>::new()).is_err());
        let header = vec!["h"; MAX_COLUMNS];
        assert!(xlsx("cols", &header, Vec::<Vec<Cell>>::new()).is_ok());
    }

    #[test]
    fn an_xlsx_export_reads_back_with_ids_as_text_and_formulas_as_text() {
        let rows = vec![
            vec![Cell::Text("00042".into()), Cell::Number(1299.5), Cell::Text("重要价值客户".into())],
            vec![Cell::Text("=1+1".into()), Cell::Number(-3.0), Cell::Text("".into())],
        ];
        let bytes = xlsx("客户", &["customer_id", "monetary", "cn_segment"], &rows).unwrap();
        let grid = crate::core::ingest::excel::read_sheet(&bytes, None).unwrap();
        assert_eq!(grid.sheet, "客户");
        let row = |i| grid.row(i).unwrap().texts();
        assert_eq!(row(0), vec!["customer_id", "monetary", "cn_segment"]);
        assert_eq!(row(1), vec!["00042", "1299.5", "重要价值客户"]);
        assert_eq!(row(2)[0], "=1+1", "stored as text, not evaluated");
        assert_eq!(row(2)[1], "-3");
    }
}
