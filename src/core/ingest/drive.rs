//! The ways a file comes in: whole bytes ([`ingest`]), a reader ([`ingest_stream`]), or bytes
//! pushed as they arrive ([`ingest_pushed`]); each decides the layout from the head, then reads
//! every row, or hands the rest of a big file to a second reader ([`super::split`]).

use super::*;

/// Reads a file.
///
/// # Errors
/// [`IngestError`] when the file is not a usable table at all; bad rows are reported in
/// [`Report::rejected`] instead.
pub fn ingest(
    bytes: &[u8],
    file: &str,
    opts: &IngestOptions,
    progress: &mut dyn FnMut(Stage, f64),
) -> Result<Ingested, IngestError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(IngestError::Empty);
    }
    if let Some(kind) = binary_kind(bytes) {
        return Err(IngestError::Binary(kind));
    }
    progress(Stage::Decoding, 0.0);
    let is_zip = bytes.starts_with(ZIP_MAGIC);
    let is_ole = bytes.starts_with(OLE_MAGIC);
    if is_zip || is_ole {
        let grid =
            excel::read_sheet_with(bytes, opts.sheet.as_deref(), &mut |f| progress(Stage::Workbook, f)).map_err(|e| match e {
                excel::ExcelError::Unreadable(_) if is_zip => IngestError::Workbook(format!(
                    "this is a zip archive but not a readable Excel workbook ({e}); save it as .xlsx or CSV and try again"
                )),
                other => IngestError::Workbook(format!("Excel: {other}")),
            })?;
        let format = if is_zip { Format::Xlsx } else { Format::Xls };
        let layout = Layout {
            file: file.to_string(),
            bytes: bytes.len() as u64,
            format,
            encoding: "n/a (workbook)".into(),
            bom: false,
            encoding_errors: false,
            sheets: grid.sheets.clone(),
            sheet: Some(grid.sheet.clone()),
        };
        let source = Source::Grid(&grid);
        progress(Stage::Decoding, 1.0);
        return read_table(&source, layout, opts, None, progress).map(Table::into_read);
    }
    if opts.format.is_some_and(|f| f.delimiter().is_none() && f != Format::Whitespace) {
        return Err(IngestError::NotText(opts.format.unwrap_or(Format::Csv)));
    }
    let forced = opts.encoding.as_deref().filter(|e| !e.trim().is_empty());
    let (detected, checked_utf8) = match forced {
        Some(label) => {
            let enc = encoding::from_label(label).ok_or_else(|| IngestError::UnknownEncoding(label.to_string()))?;
            (
                encoding::Detected { encoding: enc, bom: encoding_rs::Encoding::for_bom(bytes).is_some_and(|(e, _)| e == enc) },
                None,
            )
        }
        None => encoding::detect_and_check(bytes),
    };
    let mixed = if forced.is_some() || detected.bom { None } else { encoding::decode_mixed(bytes, detected.encoding) };
    let encoding_label = match &mixed {
        Some(m) if m.legacy_lines == 0 => "UTF-8".to_string(),
        Some(m) => format!("UTF-8 and {} (mixed: {} line(s) in {0})", encoding::label(detected.encoding), m.legacy_lines),
        None => encoding::label(detected.encoding).to_string(),
    };
    let mut decoded = match mixed {
        Some(m) => m.decoded,
        None => match checked_utf8 {
            Some(text) => encoding::Decoded { text: std::borrow::Cow::Borrowed(text), had_errors: false },
            None => encoding::decode(bytes, detected.encoding),
        },
    };
    progress(Stage::Decoding, 1.0);
    if let Some(stripped) = strip_stray_nuls(&decoded.text) {
        // A few NUL bytes in otherwise plain text (padding from some database exports): dropped,
        // and the file is flagged as having had undecodable bytes.
        decoded = encoding::Decoded { text: std::borrow::Cow::Owned(stripped), had_errors: true };
    }
    if looks_binary(&decoded.text) {
        return Err(IngestError::Binary("binary data"));
    }
    if let Some(kind) = text_kind(&decoded.text) {
        return Err(IngestError::Binary(kind));
    }
    if facts::is_facts(decoded.text.as_bytes()) {
        return facts::read(&decoded.text, file, bytes.len() as u64, detected.bom);
    }
    let format = opts.format.unwrap_or_else(|| table::sniff_format(&decoded.text));
    let text = if format == Format::Whitespace {
        table::normalise_line_endings(&decoded.text)
    } else {
        std::borrow::Cow::Borrowed(decoded.text.as_ref())
    };
    let layout = Layout {
        file: file.to_string(),
        bytes: bytes.len() as u64,
        format,
        encoding: encoding_label,
        bom: detected.bom,
        encoding_errors: decoded.had_errors,
        sheets: Vec::new(),
        sheet: None,
    };
    read_table(&Source::Text { text: &text, format }, layout, opts, None, progress).map(Table::into_read)
}

/// What [`ingest_stream`] made of a file.
#[derive(Debug)]
pub enum Streamed {
    Read(Box<Ingested>),
    /// The rows before the split point were read ([`Split`]); [`Pending::join`] adds the rest.
    Split(Box<Pending>),
    /// The file is not UTF-8 text in a delimited layout, or turned out not to be part-way (a line in
    /// another encoding, NUL bytes): read it whole with [`ingest`].
    Whole,
}

/// How much of a file [`ingest_stream`] wants in memory first: enough to work out its layout and
/// read its header and first rows.
pub const STREAM_PREFIX: usize = 8 << 20;

/// Reads a file as it streams in: `prefix` (its first [`STREAM_PREFIX`] bytes, or all of it), then
/// `rest`, `total` bytes in all, never holding more than a few megabytes of it. For UTF-8 text in a
/// delimited layout (CSV, TSV, …), the common case, the result is exactly what [`ingest`] gives for
/// the same bytes; for anything else it says [`Streamed::Whole`] and [`ingest`] must read the file.
///
/// With a `split`, another reader may take the rows after the split point (see [`crate::core::ingest::split`]).
///
/// # Errors
/// As [`ingest`], and when reading `rest` fails.
pub fn ingest_stream(
    prefix: &[u8],
    rest: &mut dyn std::io::Read,
    total: u64,
    file: &str,
    opts: &IngestOptions,
    split: Option<Split<'_>>,
    progress: &mut dyn FnMut(Stage, f64),
) -> Result<Streamed, IngestError> {
    let mut pushed = match ingest_pushed(prefix, total, file, opts, split, progress)? {
        Begun::Whole => return Ok(Streamed::Whole),
        Begun::Pushing(pushed) => pushed,
    };
    feed(&mut pushed, rest, progress)?;
    Ok(pushed.finish(progress))
}

/// A file read with its rows put aside as they were read ([`ingest_spilled`]).
#[derive(Debug)]
pub struct SpilledRead {
    /// The file's labels (customers, channels, categories …) and which roles are mapped (the
    /// columns are `Some` and empty): no rows — those are in `spill`.
    pub dataset: Dataset,
    pub spill: Spill,
    /// The file's report, where the spill counted the totals as the rows passed
    /// ([`Spill::counting`]); `None` otherwise: its totals would be those of no rows.
    pub report: Option<Report>,
}

/// What [`ingest_spilled`] made of a file.
#[derive(Debug)]
pub enum SpilledStream {
    Read(Box<SpilledRead>),
    /// The rows before the split point were read and put aside; [`Pending::finish_spilled`] adds
    /// the other readers' (read with [`crate::core::ingest::split::read_part_spilled`]).
    Split(Box<Pending>),
    /// The file does not stream ([`Streamed::Whole`]): read it whole with [`ingest`].
    Whole,
}

/// Reads a file as [`ingest_stream`] does, but puts its rows aside in `spill` as they are read
/// instead of keeping them: the memory taken grows with the customers, not the rows. With a
/// `split`, other readers read the rows after the split point, each into a spill of its own.
///
/// # Errors
/// As [`ingest_stream`], and [`IngestError::Scratch`] when the rows cannot be put aside.
#[allow(clippy::too_many_arguments)]
pub fn ingest_spilled(
    prefix: &[u8],
    rest: &mut dyn std::io::Read,
    total: u64,
    file: &str,
    opts: &IngestOptions,
    spill: Spill,
    split: Option<Split<'_>>,
    progress: &mut dyn FnMut(Stage, f64),
) -> Result<SpilledStream, IngestError> {
    let Some(mut pushed) = start_pushed(prefix, total, file, opts, split, Some(spill), progress)? else {
        return Ok(SpilledStream::Whole);
    };
    feed(&mut pushed, rest, progress)?;
    if !pushed.end(progress) {
        return Ok(SpilledStream::Whole);
    }
    pushed.reading.into_spilled()
}

/// Pushes what `rest` holds into `pushed` while it wants more.
fn feed(pushed: &mut Pushed, rest: &mut dyn std::io::Read, progress: &mut dyn FnMut(Stage, f64)) -> Result<(), IngestError> {
    let mut buffer = vec![0u8; 256 * 1024];
    while pushed.wants_more() {
        let n = match rest.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(IngestError::Workbook(format!("the file could not be read: {e}"))),
        };
        pushed.push(&buffer[..n], progress);
    }
    Ok(())
}

/// A file read as its bytes are pushed in as they arrive (the browser's asynchronous reads):
/// [`ingest_pushed`] starts it, [`Pushed::push`] takes each next chunk of the file,
/// [`Pushed::finish`] gives what [`ingest_stream`] (which pushes what it reads) gives.
pub struct Pushed {
    reading: Reading,
    walker: table::Walker,
    /// No more bytes are wanted: the rows up to the split point are read, or the text turned out
    /// not to fit ([`Streamed::Whole`]).
    over: bool,
    unfit: bool,
}

/// How [`ingest_pushed`] starts.
pub enum Begun {
    /// Push the rest of the file.
    Pushing(Box<Pushed>),
    /// Read the file whole with [`ingest`] (as [`Streamed::Whole`]).
    Whole,
}

/// Starts reading a file whose bytes are pushed in: `prefix` as for [`ingest_stream`]; the bytes
/// after it go to [`Pushed::push`].
///
/// # Errors
/// As [`ingest`], for what the head of the file shows (no customer column, a column that is not
/// there).
pub fn ingest_pushed(
    prefix: &[u8],
    total: u64,
    file: &str,
    opts: &IngestOptions,
    split: Option<Split<'_>>,
    progress: &mut dyn FnMut(Stage, f64),
) -> Result<Begun, IngestError> {
    Ok(match start_pushed(prefix, total, file, opts, split, None, progress)? {
        Some(pushed) => Begun::Pushing(Box::new(pushed)),
        None => Begun::Whole,
    })
}

/// [`ingest_pushed`], the rows put aside in `spill` when there is one; `None` where the file does
/// not stream.
fn start_pushed(
    prefix: &[u8],
    total: u64,
    file: &str,
    opts: &IngestOptions,
    split: Option<Split<'_>>,
    spill: Option<Spill>,
    progress: &mut dyn FnMut(Stage, f64),
) -> Result<Option<Pushed>, IngestError> {
    let Some(start) = stream_start(prefix, total, file, opts) else { return Ok(None) };
    progress(Stage::Decoding, 1.0);
    let format = start.layout.format;
    // The head is read from the text in memory.
    let head = Source::Text { text: start.head, format };
    let mut reading = prepare(&head, start.layout, opts, split)?;
    reading.spill = spill;
    let mut pushed = Pushed { reading, walker: table::Walker::new(format, start.text_bytes), over: false, unfit: false };
    pushed.push(start.body, progress);
    Ok(Some(pushed))
}

impl Pushed {
    /// Whether more bytes are wanted (not once the rows up to the split point are read, or the
    /// text turned out not to fit).
    pub fn wants_more(&self) -> bool {
        !self.over
    }

    /// Reads the rows in `bytes`, the next bytes of the file. Returns whether more are wanted.
    pub fn push(&mut self, bytes: &[u8], progress: &mut dyn FnMut(Stage, f64)) -> bool {
        if self.over {
            return false;
        }
        if memchr::memchr(0, bytes).is_some() {
            self.unfit = true;
        } else {
            let Pushed { reading, walker, .. } = self;
            match walker.feed(bytes, &mut |pos, row| reading.visit(pos, row, progress)) {
                Ok(ControlFlow::Continue(())) => return true,
                Ok(ControlFlow::Break(())) => {}
                Err(_) => self.unfit = true,
            }
        }
        self.over = true;
        false
    }

    /// What was read, once the file's last bytes are pushed (or no more were wanted).
    pub fn finish(mut self, progress: &mut dyn FnMut(Stage, f64)) -> Streamed {
        if !self.end(progress) {
            return Streamed::Whole;
        }
        self.reading.into_table().into_streamed()
    }

    /// Reads the last row (unless no more bytes were wanted); whether the text fit (else the file
    /// is read whole).
    fn end(&mut self, progress: &mut dyn FnMut(Stage, f64)) -> bool {
        if !self.over {
            let Pushed { reading, walker, .. } = self;
            if walker.finish(&mut |pos, row| reading.visit(pos, row, progress)).is_err() {
                self.unfit = true;
            }
        }
        if self.unfit {
            return false;
        }
        progress(Stage::Parsing, 1.0);
        true
    }
}

/// A file that can be read as it streams in: how it is laid out, the text its head is read from
/// (the prefix up to its last line end), and the text after the byte order mark.
pub(super) struct StreamStart<'p> {
    layout: Layout,
    head: &'p str,
    body: &'p [u8],
    /// Bytes of text in all (the file's, less the byte order mark).
    text_bytes: u64,
}

/// Whether a file whose first bytes are `prefix` streams (UTF-8 delimited text), and how.
pub(super) fn stream_start<'p>(prefix: &'p [u8], total: u64, file: &str, opts: &IngestOptions) -> Option<StreamStart<'p>> {
    let forced = opts.encoding.as_deref().is_some_and(|e| !e.trim().is_empty());
    let workbook = prefix.starts_with(ZIP_MAGIC) || prefix.starts_with(OLE_MAGIC);
    if forced
        || workbook
        || facts::is_facts(prefix)
        || prefix.iter().all(u8::is_ascii_whitespace)
        || binary_kind(prefix).is_some()
        || opts.format.is_some_and(|f| f.delimiter().is_none())
    {
        return None;
    }
    let bom = match encoding_rs::Encoding::for_bom(prefix) {
        Some((e, n)) if e == encoding_rs::UTF_8 => n,
        Some(_) => return None,
        None if encoding::utf16_without_bom(prefix).is_some() => return None,
        None => 0,
    };
    let body = &prefix[bom..];
    // The prefix may end inside a character; the rest of it comes with the next bytes.
    let checked = match simdutf8::compat::from_utf8(body) {
        Ok(text) => text,
        Err(e) if e.error_len().is_none() => simdutf8::compat::from_utf8(&body[..e.valid_up_to()]).unwrap_or_default(),
        Err(_) => return None,
    };
    let start = checked.trim_start_matches(is_blank);
    if checked.contains('\0') || looks_binary(checked) || text_kind(checked).is_some() || start.starts_with(['{', '[']) {
        return None;
    }
    let format = opts.format.unwrap_or_else(|| table::sniff_format(checked));
    format.delimiter()?;
    // The header and first rows come from complete lines; they must all be there.
    let more = (prefix.len() as u64) < total;
    let head = match checked.rfind('\n') {
        _ if !more => checked,
        Some(i) => &checked[..=i],
        None => return None,
    };
    if more && (Source::Text { text: head, format }).head(HEAD_ROWS + 1).len() <= HEAD_ROWS {
        return None;
    }
    let layout = Layout {
        file: file.to_string(),
        bytes: total,
        format,
        encoding: "UTF-8".into(),
        bom: bom > 0,
        encoding_errors: false,
        sheets: Vec::new(),
        sheet: None,
    };
    Some(StreamStart { layout, head, body, text_bytes: total.saturating_sub(bom as u64) })
}
