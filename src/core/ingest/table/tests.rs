//! The table's tests.

use super::walker::{count_lines, plain_line};
use super::*;

/// `fields` as csv-core writes them: end to end, and where each ends.
fn joined(fields: &[Vec<u8>]) -> (Vec<u8>, Vec<usize>) {
    let bytes = fields.concat();
    let ends = fields.iter().scan(0, |end, f| {
        *end += f.len();
        Some(*end)
    });
    (bytes, ends.collect())
}

proptest::proptest! {
    /// A record checked all at once passes exactly when each of its fields is UTF-8 by
    /// itself, and then gives each field's text (a character cut by a delimiter, stray
    /// continuation or lead bytes, whether the fields end to end are UTF-8 or not).
    #[test]
    fn a_record_checked_at_once_passes_when_each_field_would(
        fields in proptest::collection::vec(
            proptest::collection::vec(
                // 订 is E8 AE A2: its halves, in two fields, are UTF-8 end to end.
                proptest::prop_oneof![
                    3 => proptest::strategy::Just(vec![b'a']),
                    2 => proptest::strategy::Just("订".as_bytes().to_vec()),
                    1 => proptest::strategy::Just("é".as_bytes().to_vec()),
                    2 => proptest::strategy::Just(vec![0xE8]),
                    2 => proptest::strategy::Just(vec![0xAE, 0xA2]),
                    1 => proptest::strategy::Just(vec![0x80]),
                    1 => proptest::strategy::Just(vec![0xFF]),
                ],
                0..5,
            ),
            1..6,
        ),
    ) {
        let fields: Vec<Vec<u8>> = fields.into_iter().map(|f| f.concat()).collect();
        let (bytes, ends) = joined(&fields);
        let each: Option<Vec<&str>> = fields.iter().map(|f| std::str::from_utf8(f).ok()).collect();
        let row = Fields::checked(&bytes, &ends);
        proptest::prop_assert_eq!(row.is_some(), each.is_some());
        if let (Some(row), Some(each)) = (row, each) {
            proptest::prop_assert_eq!(Row::len(&row), fields.len());
            for (i, f) in each.iter().enumerate() {
                proptest::prop_assert_eq!(row.get(i), Some(*f));
            }
            proptest::prop_assert_eq!(row.get(fields.len()), None);
        }
    }
}

/// What a walk saw: each record's line, start and fields, and whether it stopped at a record
/// that is not UTF-8.
type Walked = (Vec<(u64, u64, Vec<String>)>, bool);

/// The reference walk: the csv crate's reader over all of `bytes`, each record's line counted
/// from the start by the definition (the line ends before its first character).
fn walked_by_the_csv_crate(bytes: &[u8], format: Format) -> Walked {
    let delimiter = format.delimiter().unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut rows = Vec::new();
    while reader.read_byte_record(&mut record).unwrap_or(false) {
        let mut first = record.position().map_or(0, |p| p.byte()) as usize;
        while first < bytes.len() && matches!(bytes[first], b'\n' | b'\r') {
            first += 1;
        }
        let ends = (0..first).filter(|&i| bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n')));
        let fields: Option<Vec<String>> = record.iter().map(|f| std::str::from_utf8(f).ok().map(str::to_string)).collect();
        match fields {
            Some(fields) => rows.push((1 + ends.count() as u64, first as u64, fields)),
            None => return (rows, true),
        }
    }
    (rows, false)
}

/// The walk of `bytes` pushed into a [`Walker`] in chunks of the given sizes (in turn; the
/// rest in one).
fn walked_in_chunks(bytes: &[u8], format: Format, sizes: &[usize]) -> Walked {
    let mut rows = Vec::new();
    let mut visit = |pos: Position, row: &dyn Row| {
        rows.push((pos.line, pos.byte, (0..row.len()).map(|i| row.get(i).unwrap_or("?").to_string()).collect()));
        ControlFlow::Continue(())
    };
    let mut walker = Walker::new(format, bytes.len() as u64);
    let mut rest = bytes;
    let mut sizes = sizes.iter().cycle();
    let mut stopped = false;
    while !rest.is_empty() && !stopped {
        let n = sizes.next().map_or(rest.len(), |&n| n.clamp(1, rest.len()));
        stopped = walker.feed(&rest[..n], &mut visit).is_err();
        rest = &rest[n..];
    }
    if !stopped {
        stopped = walker.finish(&mut visit).is_err();
    }
    (rows, stopped)
}

/// Walking `bytes` pushed in chunks of `sizes` (in turn), of `small` bytes, and whole gives what
/// the csv crate's reader reads.
fn walks_as_the_csv_reader(
    bytes: &[u8],
    format: Format,
    sizes: &[usize],
    small: usize,
) -> Result<(), proptest::test_runner::TestCaseError> {
    let want = walked_by_the_csv_crate(bytes, format);
    for sizes in [sizes, &[small], &[bytes.len().max(1)]] {
        proptest::prop_assert_eq!(&walked_in_chunks(bytes, format, sizes), &want, "chunks of {:?}", sizes);
    }
    Ok(())
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config::with_cases(512))]
    /// Records pushed in however the text is cut are exactly what the csv crate's reader reads,
    /// with the lines their first characters are on: quotes, doubled quotes, quoted line ends
    /// and delimiters, CR, LF and CRLF, blank lines, characters cut across chunks, bytes that
    /// are not UTF-8.
    #[test]
    fn records_pushed_in_any_chunks_are_what_the_csv_reader_reads(
        pieces in proptest::collection::vec(
            proptest::prop_oneof![
                4 => proptest::strategy::Just("a".as_bytes()),
                2 => proptest::strategy::Just("订".as_bytes()),
                3 => proptest::strategy::Just(",".as_bytes()),
                2 => proptest::strategy::Just("\"".as_bytes()),
                3 => proptest::strategy::Just("\n".as_bytes()),
                1 => proptest::strategy::Just("\r".as_bytes()),
                1 => proptest::strategy::Just("\r\n".as_bytes()),
                1 => proptest::strategy::Just(";".as_bytes()),
                1 => proptest::strategy::Just(b"\xE8".as_slice()),
            ],
            0..120,
        ),
        sizes in proptest::collection::vec(1usize..40, 1..6),
        semicolons in proptest::bool::ANY,
    ) {
        walks_as_the_csv_reader(&pieces.concat(), if semicolons { Format::Semicolon } else { Format::Csv }, &sizes, 1)?;
    }
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config::with_cases(512))]
    /// Text that is mostly plain lines (which the walker reads itself, 16 bytes at a time) with
    /// now and then a quote, a lone CR, a blank line or a byte that is not UTF-8 (which
    /// csv-core reads): the same records and lines as the csv crate's reader, in any chunks,
    /// comma- or tab-separated.
    #[test]
    fn plain_lines_are_read_as_the_csv_reader_reads_them(
        pieces in proptest::collection::vec(
            proptest::prop_oneof![
                12 => proptest::strategy::Just("abc".as_bytes()),
                6 => proptest::strategy::Just("订单".as_bytes()),
                4 => proptest::strategy::Just("2023-01-01 08:46:25".as_bytes()),
                8 => proptest::strategy::Just(",".as_bytes()),
                8 => proptest::strategy::Just("\t".as_bytes()),
                4 => proptest::strategy::Just("\n".as_bytes()),
                3 => proptest::strategy::Just("\r\n".as_bytes()),
                1 => proptest::strategy::Just("\"".as_bytes()),
                1 => proptest::strategy::Just("\r".as_bytes()),
                1 => proptest::strategy::Just("\n\n".as_bytes()),
                1 => proptest::strategy::Just(b"\xE8".as_slice()),
            ],
            0..300,
        ),
        sizes in proptest::collection::vec(1usize..200, 1..6),
        tabs in proptest::bool::ANY,
    ) {
        walks_as_the_csv_reader(&pieces.concat(), if tabs { Format::Tsv } else { Format::Csv }, &sizes, 7)?;
    }
}

#[test]
fn a_plain_line_is_cut_at_its_delimiters_and_ends_at_lf_or_crlf() {
    let mut ends = Vec::new();
    // Fields across the sixteen-byte blocks, an empty one, and the last one empty.
    assert_eq!(plain_line(b"SO00001,00068372,,2023-01-01,\nnext", b',', &mut ends), Some((29, 30)));
    assert_eq!(ends, [7, 16, 17, 28, 29]);
    assert_eq!(plain_line(b"a\tb\r\n", b'\t', &mut ends), Some((3, 5)));
    assert_eq!(ends, [1, 3]);
    assert_eq!(plain_line(b"\n", b',', &mut ends), Some((0, 1)));
    assert_eq!(ends, [0]);
    // Not plain, or not ended here: csv-core reads it.
    for line in [&b"abcdefgh,\"quoted\"\n"[..], b"a,b\rc\n", b"abcdefghijk,no end", b"a,b\r"] {
        assert_eq!(plain_line(line, b',', &mut ends), None, "{:?}", String::from_utf8_lossy(line));
    }
}

/// Every place of a delimiter, a quote and the line end around the 16-byte blocks (the blocks'
/// last and first bytes, the tail read a byte at a time): what reading a byte at a time gives.
#[test]
fn plain_lines_are_cut_alike_wherever_the_blocks_fall() {
    fn by_bytes(input: &[u8], ends: &mut Vec<usize>) -> Option<(usize, usize)> {
        ends.clear();
        for (at, &b) in input.iter().enumerate() {
            match b {
                b'\n' => return Some((at, at + 1)).inspect(|_| ends.push(at)),
                b'\r' if input.get(at + 1) == Some(&b'\n') => return Some((at, at + 2)).inspect(|_| ends.push(at)),
                b'\r' | b'"' => return None,
                b',' => ends.push(at),
                _ => {}
            }
        }
        None
    }
    let (mut ends, mut expected) = (Vec::new(), Vec::new());
    for len in 0usize..50 {
        for comma in 0..len {
            for stop in [&b"\n"[..], b"\r\n", b"\"\n", b"\r"] {
                for other in [None, Some(len / 2), Some(len.saturating_sub(1))] {
                    let mut line = vec![b'a'; len];
                    line[comma] = b',';
                    if let Some(o) = other.filter(|&o| o != comma) {
                        line[o] = b',';
                    }
                    line.extend_from_slice(stop);
                    line.extend_from_slice(b"x,y\n");
                    let got = plain_line(&line, b',', &mut ends);
                    assert_eq!(got, by_bytes(&line, &mut expected), "{:?}", String::from_utf8_lossy(&line));
                    if got.is_some() {
                        assert_eq!(ends, expected, "{:?}", String::from_utf8_lossy(&line));
                    }
                }
            }
        }
    }
}

proptest::proptest! {
    /// Counting lines from one record start to the next, CR, LF and CRLF each ending a line,
    /// gives what counting them one byte at a time gives.
    #[test]
    fn count_lines_counts_every_kind_of_line_end(
        bytes in proptest::collection::vec(proptest::prop_oneof![proptest::strategy::Just(b'\n'), proptest::strategy::Just(b'\r'), proptest::strategy::Just(b'a')], 0..200),
        a in 0usize..220,
        b in 0usize..220,
    ) {
        let (from, record_start) = (a.min(b).min(bytes.len()), a.max(b));
        let mut line = 7;
        let end = count_lines(&bytes, from, record_start, &mut line);
        // By hand: the line ends in bytes[from..end], where end is past the record start's
        // line ends.
        let mut want_end = record_start.min(bytes.len());
        while want_end < bytes.len() && matches!(bytes[want_end], b'\n' | b'\r') {
            want_end += 1;
        }
        proptest::prop_assert_eq!(end, want_end.max(from));
        let ends = (from..want_end.max(from))
            .filter(|&i| bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
            .count() as u64;
        proptest::prop_assert_eq!(line, 7 + ends);
    }
}

#[test]
fn a_character_cut_by_a_delimiter_is_not_utf8() {
    let (bytes, ends) = joined(&[b"x\xE8".to_vec(), b"\xAE\xA2y".to_vec()]);
    assert!(std::str::from_utf8(&bytes).is_ok());
    assert!(Fields::checked(&bytes, &ends).is_none());
    let (bytes, ends) = joined(&["x订".as_bytes().to_vec(), b"y".to_vec()]);
    assert_eq!(
        Fields::checked(&bytes, &ends).map(|r| (r.get(0).map(str::to_string), r.get(1).map(str::to_string))),
        Some((Some("x订".into()), Some("y".into())))
    );
}

#[test]
fn the_walk_stops_at_a_record_that_is_not_utf8() {
    let bytes: &[u8] = b"id,name\n2,\xe5\xae\xa2\xe6\x88\xb7\n1,caf\xe9\n3,x\n";
    let mut rows = Vec::new();
    let walked = Walker::new(Format::Csv, bytes.len() as u64).feed(bytes, &mut |_, row: &dyn Row| {
        rows.push((row.get(0).map(str::to_string), row.get(1).map(str::to_string)));
        ControlFlow::Continue(())
    });
    assert!(walked.is_err());
    let cell = |s: &str| Some(s.to_string());
    assert_eq!(rows, vec![(cell("id"), cell("name")), (cell("2"), cell("客户"))]);
}

#[test]
fn delimiters_are_sniffed() {
    let cases = [
        ("id,date,amount\n1,2024-01-01,3\n2,2024-01-02,4\n", Format::Csv),
        ("id\tdate\tamount\n1\t2024-01-01\t3\n", Format::Tsv),
        ("id;date;amount\n1;2024-01-01;3,50\n2;2024-01-02;4,00\n", Format::Semicolon),
        ("id|date|amount\n1|2024-01-01|3\n", Format::Pipe),
        (" customer_id  date number_of_cds  dollar_value\r\n 00001 19970101  1   11.77\r\n", Format::Whitespace),
        ("only_ids\n1\n2\n", Format::Csv),
    ];
    for (text, want) in cases {
        assert_eq!(sniff_format(text), want, "{text:?}");
    }
}

#[test]
fn quoted_commas_do_not_confuse_the_sniffer() {
    let text = "name,amount\n\"Smith, John\",\"1,299.00\"\n\"Lee, Ann\",12\n";
    assert_eq!(sniff_format(text), Format::Csv);
}

#[test]
fn rows_carry_their_line_numbers() {
    let text = "a,b\n\n1,\"multi\nline\"\n2,x\n";
    let src = Source::Text { text, format: Format::Csv };
    let head = src.head(10);
    let lines: Vec<u64> = head.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, vec![1, 3, 5]);
    assert_eq!(head[1].1, vec!["1", "multi\nline"]);
}

#[test]
fn whitespace_rows_split_on_runs_of_spaces() {
    let text = " 00001 19970101  1   11.77\n 00002 19970112  1   12.00\n";
    let head = Source::Text { text, format: Format::Whitespace }.head(5);
    assert_eq!(head[0], (1, vec!["00001".to_string(), "19970101".into(), "1".into(), "11.77".into()]));
    assert_eq!(head[1].0, 2);
}

#[test]
fn mixed_line_endings_each_end_one_line() {
    let text = normalise_line_endings("a b\r\n1 2\r3 4\n5 6");
    let head = Source::Text { text: &text, format: Format::Whitespace }.head(10);
    let lines: Vec<u64> = head.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, vec![1, 2, 3, 4]);
}
