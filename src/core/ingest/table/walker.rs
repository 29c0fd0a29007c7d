//! The CSV walker: delimited text pushed in as it arrives, cut into records (plain lines sixteen
//! bytes at a time, anything quoted through csv-core), each handed to a visitor with its line.

use super::*;

/// Why a walk over CSV records stopped short: a record's bytes are not UTF-8 text.
///
/// Whether the text is UTF-8 is checked record by record ([`Fields::checked`]): the CSV reader
/// drops only ASCII bytes (delimiters, quotes, line ends), so the bytes are UTF-8 exactly when
/// every record's fields are, save one case too rare to matter: a character cut in two by a doubled
/// quote inside a quoted cell is read whole.
#[derive(Debug)]
pub(crate) struct NotUtf8;

impl std::fmt::Display for NotUtf8 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the text is not plain UTF-8")
    }
}

/// The records of CSV text handed over a chunk at a time, however it is cut: each goes to the
/// visitor, with its line and where it starts, as soon as its last byte is in.
///
/// csv-core reads the records, set up and driven as the csv crate's reader does it (the
/// delimiter, `"` quotes, doubled quotes, records ending at CR, LF or CRLF, blank lines skipped;
/// no fixed number of fields): driving it directly lets a file's bytes be pushed in as they
/// arrive, and the fields are read where csv-core writes them, without copying.
///
/// A record's line is the 1-based line of its first character: CR, LF and CRLF each end a line,
/// line ends inside quoted cells included.
///
/// Most records are plain lines (no quotes, ending at LF or CRLF): between records, the walker
/// reads such a line itself, sixteen bytes at a time ([`plain_line`]), and leaves the rest to
/// csv-core, which would read the line the same way (a test checks that on every kind of line).
pub(crate) struct Walker {
    core: csv_core::Reader,
    delimiter: u8,
    /// csv-core is between records (it handed one out last, or the walker did), so that the next
    /// record may be read without it: its state then reads a line as it reads the first.
    between: bool,
    /// The record handed out last was a plain line: a record starting where it ended is on the
    /// next line.
    last_plain: bool,
    /// Where each field of a plain line ends.
    line_ends: Vec<usize>,
    /// The record being read: its fields end to end, and where each ends.
    fields: Vec<u8>,
    ends: Vec<usize>,
    filled: usize,
    ended: usize,
    /// Bytes read so far, and where the record being read starts (where the last one ended: the
    /// blank lines before it are its own).
    consumed: u64,
    record_start: u64,
    /// Line ends are counted up to `counted` (the first character of the last record handed out),
    /// on line `line`.
    counted: u64,
    line: u64,
    /// The bytes from `counted` up to the chunk being read (what a record that began in an earlier
    /// chunk needs counted).
    carry: Vec<u8>,
    /// Bytes of text in all (for progress).
    total: f64,
}

impl Walker {
    pub(crate) fn new(format: Format, total: u64) -> Self {
        let delimiter = format.delimiter().unwrap_or(b',');
        Self {
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            delimiter,
            between: false,
            last_plain: false,
            line_ends: Vec::new(),
            fields: vec![0; 1024],
            ends: vec![0; 32],
            filled: 0,
            ended: 0,
            consumed: 0,
            record_start: 0,
            counted: 0,
            line: 1,
            carry: Vec::new(),
            total: total.max(1) as f64,
        }
    }

    /// Hands `visit` each record that ends in `chunk`, the next bytes of the text; a record cut at
    /// its end is finished by the next chunk. Stops where `visit` breaks (the walk is then over).
    ///
    /// # Errors
    /// At a record that is not UTF-8.
    pub(crate) fn feed(
        &mut self,
        chunk: &[u8],
        visit: &mut dyn FnMut(Position, &dyn Row) -> ControlFlow<()>,
    ) -> Result<ControlFlow<()>, NotUtf8> {
        if chunk.is_empty() {
            // An empty input is how csv-core learns the text ended.
            return Ok(ControlFlow::Continue(()));
        }
        self.read(chunk, visit)
    }

    /// Hands `visit` the last record, if the text ended inside one (without a line end).
    ///
    /// # Errors
    /// As [`Walker::feed`].
    pub(crate) fn finish(
        &mut self,
        visit: &mut dyn FnMut(Position, &dyn Row) -> ControlFlow<()>,
    ) -> Result<ControlFlow<()>, NotUtf8> {
        self.read(&[], visit)
    }

    fn read(
        &mut self,
        chunk: &[u8],
        visit: &mut dyn FnMut(Position, &dyn Row) -> ControlFlow<()>,
    ) -> Result<ControlFlow<()>, NotUtf8> {
        use csv_core::ReadRecordResult;
        let chunk_start = self.consumed;
        let mut input = chunk;
        loop {
            if self.between {
                // Line ends before a record are blank lines, which csv-core skips whatever its
                // state between records (after a CR it skips the LF).
                let skip = input.iter().take_while(|&&b| b == b'\n' || b == b'\r').count();
                if let Some((len, used)) = plain_line(&input[skip..], self.delimiter, &mut self.line_ends) {
                    let line = &input[skip..skip + len];
                    input = &input[skip + used..];
                    self.consumed += (skip + used) as u64;
                    let (line_no, byte) = if self.last_plain && skip == 0 {
                        // The record before was one line, ending right here.
                        self.line += 1;
                        self.counted = self.record_start;
                        (self.line, self.counted)
                    } else {
                        self.line_at(chunk, chunk_start)
                    };
                    self.record_start = self.consumed;
                    self.last_plain = true;
                    let pos = Position { line: line_no, byte, fraction: (byte as f64 / self.total).min(1.0) };
                    let row = Fields::in_line(line, &self.line_ends).ok_or(NotUtf8)?;
                    if visit(pos, &row).is_break() {
                        return Ok(ControlFlow::Break(()));
                    }
                    if input.is_empty() {
                        // The chunk ended with the line (csv-core takes no input as the text's end).
                        break;
                    }
                    continue;
                }
            }
            let (result, read, written, fields) =
                self.core.read_record(input, &mut self.fields[self.filled..], &mut self.ends[self.ended..]);
            input = &input[read..];
            self.consumed += read as u64;
            self.filled += written;
            self.ended += fields;
            self.between = false;
            match result {
                ReadRecordResult::InputEmpty | ReadRecordResult::End => break,
                ReadRecordResult::OutputFull => self.fields.resize(self.fields.len() * 2, 0),
                ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                ReadRecordResult::Record => {
                    let (line, byte) = self.line_at(chunk, chunk_start);
                    let ends = std::mem::take(&mut self.ended);
                    self.filled = 0;
                    self.record_start = self.consumed;
                    self.last_plain = false;
                    self.between = true;
                    let pos = Position { line, byte, fraction: (byte as f64 / self.total).min(1.0) };
                    let row = Fields::checked(&self.fields, &self.ends[..ends]).ok_or(NotUtf8)?;
                    if visit(pos, &row).is_break() {
                        return Ok(ControlFlow::Break(()));
                    }
                }
            }
        }
        // What the next record's line count needs of this chunk.
        match self.counted.checked_sub(chunk_start) {
            Some(at) => {
                self.carry.clear();
                self.carry.extend_from_slice(&chunk[at as usize..]);
            }
            None => self.carry.extend_from_slice(chunk),
        }
        Ok(ControlFlow::Continue(()))
    }

    /// The line of the record read last, which started at `record_start`, and where its first
    /// character is (past the line ends counted as its start); `chunk` (from byte `chunk_start`)
    /// is the one being read.
    fn line_at(&mut self, chunk: &[u8], chunk_start: u64) -> (u64, u64) {
        let read = &chunk[..(self.consumed - chunk_start) as usize];
        match self.counted.checked_sub(chunk_start) {
            Some(from) => {
                let start = (self.record_start - chunk_start) as usize;
                let end = count_lines(read, from as usize, start, &mut self.line);
                self.counted = chunk_start + end as u64;
            }
            None => {
                // The count starts in an earlier chunk: in `carry`, then this one.
                let before = self.carry.len();
                self.carry.extend_from_slice(read);
                let end = count_lines(&self.carry, 0, (self.record_start - self.counted) as usize, &mut self.line);
                self.counted += end as u64;
                if end >= before {
                    self.carry.clear();
                } else {
                    self.carry.truncate(before);
                    self.carry.drain(..end);
                }
            }
        }
        (self.line, self.counted)
    }
}

/// The record at the start of `input` if it is a plain line: no quote, CR or LF inside, ending at
/// LF or CRLF (csv-core reads such a line as its delimiters cut it). Gives the line's length
/// without its end and the bytes it takes with it, and leaves where each field ends in `ends`;
/// `None` when the record is not plain or its line end is not in `input` (csv-core then reads it).
///
/// Sixteen bytes at a time (SSE2, WebAssembly SIMD or NEON, through `wide`): a compare per byte
/// that matters, each giving a bit a byte; the line's delimiters are read off the bits. Quicker
/// than eight bytes at a time in a 64-bit word, natively and in V8 (BENCHMARKS.md, "Design
/// measurements").
pub(super) fn plain_line(input: &[u8], delimiter: u8, ends: &mut Vec<usize>) -> Option<(usize, usize)> {
    use wide::u8x16;
    fn push_all(ends: &mut Vec<usize>, at: usize, mut bits: u32) {
        while bits != 0 {
            ends.push(at + bits.trailing_zeros() as usize);
            bits &= bits - 1;
        }
    }
    /// The line ends at `input[at]`, if that is its end.
    fn end(input: &[u8], at: usize, ends: &mut Vec<usize>) -> Option<(usize, usize)> {
        let used = match (input.get(at), input.get(at + 1)) {
            (Some(b'\n'), _) => at + 1,
            (Some(b'\r'), Some(b'\n')) => at + 2,
            _ => return None,
        };
        ends.push(at);
        Some((at, used))
    }
    let (commas, lf, cr, quote) = (u8x16::splat(delimiter), u8x16::splat(b'\n'), u8x16::splat(b'\r'), u8x16::splat(b'"'));
    ends.clear();
    let mut at = 0;
    while let Some(block) = input.get(at..).and_then(|rest| rest.first_chunk::<16>()) {
        let block = u8x16::new(*block);
        let delimiters = block.cmp_eq(commas).move_mask() as u32;
        let stops = (block.cmp_eq(lf) | block.cmp_eq(cr) | block.cmp_eq(quote)).move_mask() as u32;
        if stops == 0 {
            push_all(ends, at, delimiters);
            at += 16;
        } else {
            let stop = stops.trailing_zeros();
            push_all(ends, at, delimiters & ((1u32 << stop) - 1));
            return end(input, at + stop as usize, ends);
        }
    }
    while let Some(&b) = input.get(at) {
        match b {
            b'\n' | b'\r' | b'"' => return end(input, at, ends),
            _ if b == delimiter => ends.push(at),
            _ => {}
        }
        at += 1;
    }
    None
}

/// Counts the line ends in `bytes[from..]` up to the record that starts at `record_start` (and the
/// blank lines the CSV reader skipped before it, which belong before the record) onto `line`: CR,
/// LF and CRLF each end a line. Returns where counting stopped, the `from` of the next call.
pub(super) fn count_lines(bytes: &[u8], from: usize, record_start: usize, line: &mut u64) -> usize {
    let mut end = record_start.min(bytes.len());
    while end < bytes.len() && matches!(bytes[end], b'\n' | b'\r') {
        end += 1;
    }
    if end < from {
        return from;
    }
    let span = &bytes[from..end];
    // Most files end lines with LF alone: a plain count, unless a CR turns up.
    let mut lf = 0;
    for at in memchr::memchr2_iter(b'\n', b'\r', span) {
        if span[at] == b'\r' {
            for i in from..end {
                match bytes[i] {
                    b'\n' => *line += 1,
                    b'\r' if bytes.get(i + 1) != Some(&b'\n') => *line += 1,
                    _ => {}
                }
            }
            return end;
        }
        lf += 1;
    }
    *line += lf;
    end
}
