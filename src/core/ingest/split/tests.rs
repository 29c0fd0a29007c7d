//! Reading in parts gives exactly what one reader gives.

use super::*;
use crate::core::ingest::{ingest, ingest_pushed, ingest_stream, Begun, IngestOptions, Streamed};

/// Reads `bytes` split at `at` as the browser and the command line do (the first `prefix` bytes
/// in memory, the rest streamed, the part through its wire encoding). `None`: not streamed (read
/// whole, or an error); `Some(None)`: the parts did not meet and the file must be read again.
fn read_split(bytes: &[u8], prefix: usize, at: u64) -> Option<Option<Ingested>> {
    let opts = IngestOptions::default();
    let mut plan = None;
    let mut begin = |p: &Plan| {
        plan = Some(p.clone());
        true
    };
    let prefix = prefix.min(bytes.len());
    let split = Split { at, begin: &mut begin };
    let streamed =
        ingest_stream(&bytes[..prefix], &mut &bytes[prefix..], bytes.len() as u64, "f.csv", &opts, Some(split), &mut |_, _| {});
    // The same bytes pushed in as they arrive (the browser's reads) give the same.
    let step = 1 + (at % 4099) as usize;
    let mut pushed_plan = None;
    let mut begin = |p: &Plan| {
        pushed_plan = Some(p.clone());
        true
    };
    let split = Split { at, begin: &mut begin };
    let pushed =
        ingest_pushed(&bytes[..prefix], bytes.len() as u64, "f.csv", &opts, Some(split), &mut |_, _| {}).map(
            |begun| match begun {
                Begun::Whole => Streamed::Whole,
                Begun::Pushing(mut pushed) => {
                    for chunk in bytes[prefix..].chunks(step) {
                        if !pushed.push(chunk, &mut |_, _| {}) {
                            break;
                        }
                    }
                    pushed.finish(&mut |_, _| {})
                }
            },
        );
    // A read stopped at the split point is compared once joined, below (its ids are still
    // held for interning, in a table whose hashes are seeded per table).
    match (&pushed, &streamed) {
        (Ok(Streamed::Split(_)), Ok(Streamed::Split(_))) => {}
        _ => assert_eq!(format!("{pushed:?}"), format!("{streamed:?}")),
    }
    assert_eq!(pushed_plan, plan);
    let Some(plan) = plan else {
        // Not streamed, or not split (the head is not in the prefix).
        return match streamed {
            Ok(Streamed::Read(i)) => Some(Some(*i)),
            _ => None,
        };
    };
    assert_eq!(plan.at, at);
    let part = read_part(&plan, &mut &bytes[plan.from() as usize..], &mut |_, _| {}).unwrap();
    let mut part_pushed = PartReading::new(&plan);
    for chunk in bytes[plan.from() as usize..].chunks(step) {
        if !part_pushed.push(chunk, &mut |_, _| {}) {
            break;
        }
    }
    assert_eq!(part_pushed.finish(&mut |_, _| {}).unwrap(), part);
    let encoded = part.encode();
    assert_eq!(encoded.len(), part.encoded_size());
    let decoded = Part::decode(&encoded).expect("a part decodes");
    assert_eq!(decoded.to_part(), part);
    // As the browser reads it: from a buffer elsewhere, copied a piece at a time.
    let distant = Distant::from(&encoded);
    assert_eq!(Part::decode_from(Wire::Elsewhere(&distant)).expect("a part decodes").to_part(), part);
    // As the browser joins a part (from its buffer), or as the command line does (as read).
    let received = if at.is_multiple_of(3) { Received::from(part) } else { decoded };
    match streamed {
        Ok(Streamed::Split(pending)) => {
            let joined = pending.join(received);
            if let Ok(Streamed::Split(pushed)) = pushed {
                assert_eq!(pushed.join(Part::decode(&encoded).expect("a part decodes")), joined);
            }
            Some(joined)
        }
        Ok(Streamed::Read(i)) => Some(Some(*i)),
        _ => None,
    }
}

/// Bytes elsewhere (as a worker's posted buffer is), copied out only in pieces; it notes the
/// largest copy.
struct Distant {
    bytes: Vec<u8>,
    largest: std::cell::Cell<usize>,
}

impl From<&Vec<u8>> for Distant {
    fn from(bytes: &Vec<u8>) -> Self {
        Self { bytes: bytes.clone(), largest: 0.into() }
    }
}

impl Elsewhere for Distant {
    fn size(&self) -> usize {
        self.bytes.len()
    }

    fn copy_to(&self, at: usize, out: &mut [u8]) {
        self.largest.set(self.largest.get().max(out.len()));
        out.copy_from_slice(&self.bytes[at..at + out.len()]);
    }
}

/// A big part (comments, rejections, every column): what goes through the wire in pieces
/// arrives whole, and neither side holds the whole buffer at once.
#[test]
fn a_part_goes_through_the_wire_a_piece_at_a_time() {
    let mut bytes = sample(6_000, "00000001,bad,2024-01-01,x,1,线上商城,电视,普通,,\n");
    for i in 0..3_000 {
        bytes.extend_from_slice(format!("C{i},O{i},2024-02-01,12.5,1,门店,手机,金卡,9,第{i}条评论\n").as_bytes());
    }
    let mut plan = None;
    let mut begin = |p: &Plan| {
        plan = Some(p.clone());
        true
    };
    let split = Split { at: bytes.len() as u64 / 3, begin: &mut begin };
    let opts = IngestOptions::default();
    let _ = ingest_stream(&bytes, &mut std::io::empty(), bytes.len() as u64, "f.csv", &opts, Some(split), &mut |_, _| {});
    let plan = plan.expect("split");
    let part = read_part(&plan, &mut &bytes[plan.from() as usize..], &mut |_, _| {}).unwrap();
    assert!(part.comments.as_ref().is_some_and(|c| c.len() >= 3_000) && !part.rejected.is_empty());
    let (mut pieces, mut largest) = (Vec::new(), 0);
    part.encode_into(&mut |piece| {
        largest = largest.max(piece.len());
        pieces.extend_from_slice(piece);
    });
    assert_eq!(pieces, part.encode());
    assert_eq!(pieces.len(), part.encoded_size());
    assert!(pieces.len() > 8 * PIECE && largest <= 2 * PIECE, "{} bytes, largest piece {largest}", pieces.len());
    let distant = Distant::from(&pieces);
    let received = Part::decode_from(Wire::Elsewhere(&distant)).expect("a part decodes");
    assert_eq!(received.to_part(), part);
    assert!(distant.largest.get() <= PIECE, "largest copy {}", distant.largest.get());
    // A cut or damaged buffer elsewhere is refused as one here is.
    for cut in (0..pieces.len()).step_by(4_099) {
        assert!(Part::decode_from(Wire::Elsewhere(&Distant::from(&pieces[..cut].to_vec()))).is_none(), "cut at {cut}");
    }
}

fn sample(customers: usize, extra: &str) -> Vec<u8> {
    let mut bytes = Vec::new();
    crate::core::sample::write_sample(customers, 7, &mut bytes).unwrap();
    bytes.extend_from_slice(extra.as_bytes());
    bytes
}

#[test]
fn a_file_read_in_two_parts_reads_exactly_as_read_in_one() {
    // Rejected rows and a multi-line cell in the second half, blank lines, a BOM; and the same
    // file with CRLF line ends (the CSV reader starts a record after CR at the LF).
    let tail =
        "\n\n00000001,bad,2024-01-01,x,1,线上商城,电视,普通,,\"多行\n评论\"\n00000002,O9,2024-01-02,5,1,线上商城,电视,普通,,\n";
    let mut lf = sample(150, tail);
    lf.splice(0..0, b"\xEF\xBB\xBF".iter().copied());
    let crlf = String::from_utf8(lf.clone()).unwrap().replace('\n', "\r\n").into_bytes();
    for bytes in [lf, crlf] {
        let whole = ingest(&bytes, "f.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap();
        assert!(whole.report.rows_rejected > 0 && whole.report.bom);
        let cell = bytes.windows(6).position(|w| w == "多行".as_bytes()).unwrap() as u64;
        let record = bytes.windows(12).position(|w| w == b"00000001,bad").unwrap() as u64;
        let (mut joined, mut declined) = (0, 0);
        // Split points all over the file, cutting characters, lines and the multi-line cell.
        let points = (1_000..bytes.len() as u64 + 10).step_by(1_999).chain(record - 2..cell + 12);
        for at in points {
            // Most of the file in memory first, or the head only.
            let head = bytes.iter().enumerate().filter(|(_, &b)| b == b'\n').nth(1_010).unwrap().0 + 100;
            for prefix in [if at % 2 == 0 { bytes.len() } else { head }] {
                match read_split(&bytes, prefix, at).expect("streamed") {
                    Some(i) => {
                        assert_eq!(i, whole, "split at {at}, prefix {prefix}");
                        joined += 1;
                    }
                    None => {
                        // Only where the split point is inside the record with the multi-line
                        // cell (up to its line end within the cell) may the parts fail to meet.
                        assert!((record + 1..cell + 12).contains(&at), "split at {at} was declined");
                        declined += 1;
                    }
                }
            }
        }
        assert!(joined > 40 && declined > 0, "{joined} joined, {declined} declined");
    }
}

/// Reads `bytes` with `readers` readers as the command line does: the first reads up to its
/// share, the others read the parts of the rest, each stopping at its end; one part goes
/// through its wire encoding. `None`: the parts did not meet.
fn read_in_parts(bytes: &[u8], readers: usize) -> Option<Ingested> {
    let mut plan = None;
    let mut begin = |p: &Plan| {
        plan = Some(p.clone());
        true
    };
    let total = bytes.len() as u64;
    let split = Split { at: first_share(total, readers), begin: &mut begin };
    let streamed =
        ingest_stream(bytes, &mut std::io::empty(), total, "f.csv", &IngestOptions::default(), Some(split), &mut |_, _| {});
    let Ok(Streamed::Split(pending)) = streamed else { panic!("not split") };
    let plans = plan.expect("a plan").parts(readers - 1);
    assert_eq!(plans.len(), readers - 1);
    let parts: Vec<Part> =
        plans.iter().map(|p| read_part(p, &mut &bytes[p.from() as usize..], &mut |_, _| {}).unwrap()).collect();
    for (p, part) in plans.iter().zip(&parts) {
        // A part stops at its end, and says where; the last reads to the end of the file.
        assert_eq!(part.end.is_some(), p.until.is_some());
        if let (Some((end, _)), Some(until)) = (part.end, p.until) {
            assert!(end >= until, "stopped at {end} before its end {until}");
        }
    }
    let encoded: Vec<Vec<u8>> = parts.iter().map(Part::encode).collect();
    let received: Vec<Received> = parts
        .into_iter()
        .zip(&encoded)
        .enumerate()
        .map(|(k, (part, wire))| if k == 1 { Part::decode(wire).expect("a part decodes") } else { Received::from(part) })
        .collect();
    pending.join_all(received)
}

#[test]
fn a_file_read_in_many_parts_reads_exactly_as_read_in_one() {
    let tail =
        "\n00000001,bad,2024-01-01,x,1,线上商城,电视,普通,,\"多行\n评论\"\n00000002,O9,2024-01-02,5,1,线上商城,电视,普通,,\n";
    let lf = sample(400, tail);
    let crlf = String::from_utf8(lf.clone()).unwrap().replace('\n', "\r\n").into_bytes();
    for bytes in [lf, crlf] {
        let whole = ingest(&bytes, "f.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap();
        for readers in 2..=7 {
            let joined = read_in_parts(&bytes, readers).unwrap_or_else(|| panic!("{readers} readers did not meet"));
            assert_eq!(joined, whole, "{readers} readers");
        }
    }
    // Parts in the wrong order, or one missing, do not meet: the file is read again.
    let bytes = sample(400, "");
    let total = bytes.len() as u64;
    let mut plan = None;
    let mut begin = |p: &Plan| {
        plan = Some(p.clone());
        true
    };
    let split = Split { at: first_share(total, 4), begin: &mut begin };
    let Ok(Streamed::Split(pending)) =
        ingest_stream(&bytes, &mut std::io::empty(), total, "f.csv", &IngestOptions::default(), Some(split), &mut |_, _| {})
    else {
        panic!("not split")
    };
    let plans = plan.unwrap().parts(3);
    let part = |k: usize| Received::from(read_part(&plans[k], &mut &bytes[plans[k].from() as usize..], &mut |_, _| {}).unwrap());
    assert!(pending.join_all(vec![part(0), part(2), part(1)]).is_none());
}

#[test]
fn a_file_is_split_from_its_minimum_size_on_when_another_reader_is_there() {
    assert_eq!(split_at(SPLIT_MIN - 1, 8), None);
    assert_eq!(split_at(SPLIT_MIN * 4, 1), None, "one reader reads it all");
    assert_eq!(split_at(SPLIT_MIN * 4, 4), Some(SPLIT_MIN));
    assert_eq!(split_at(SPLIT_MIN * 2, 2), Some(split_point(SPLIT_MIN * 2)));
    // A part that could not be read sends the file back to one reader.
    let bytes = sample(200, "");
    let mut begin = |_: &Plan| true;
    let split = Split { at: bytes.len() as u64 / 2, begin: &mut begin };
    let opts = IngestOptions::default();
    let streamed = ingest_stream(&bytes, &mut std::io::empty(), bytes.len() as u64, "f.csv", &opts, Some(split), &mut |_, _| {});
    let Ok(Streamed::Split(pending)) = streamed else { panic!("not split") };
    assert!(matches!(pending.finish(None), Joined::Again));
}

#[test]
fn a_split_point_inside_a_multi_line_cell_sends_the_file_back_to_one_reader_whatever_the_number_of_parts() {
    // A cell of many lines in the middle of the file: some of the points cut it.
    let mut bytes = sample(300, "");
    let long: String = (0..400).map(|i| format!("第{i}行\n")).collect();
    let middle = bytes.len() / 2;
    let at = bytes[middle..].iter().position(|&b| b == b'\n').unwrap() + middle + 1;
    let row = format!("00000003,O77,2024-03-03,7,1,线上商城,电视,普通,8,\"{long}\"\n");
    bytes.splice(at..at, row.into_bytes());
    let whole = ingest(&bytes, "f.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap();
    let (mut met, mut declined) = (0, 0);
    for readers in 2..=9 {
        match read_in_parts(&bytes, readers) {
            Some(joined) => {
                assert_eq!(joined, whole, "{readers} readers");
                met += 1;
            }
            None => declined += 1,
        }
    }
    assert!(met > 0 && declined > 0, "{met} met, {declined} declined");
}

#[test]
fn what_the_rows_showed_joins_across_the_split_as_one_reader_counts_it() {
    // Over 1,000 undecided month-first dates, then (in the second part) guest rows, statuses
    // to leave out, an order line without an amount, cancellations, a bad score, and the date
    // that settles the order day first: the undecided dates of both parts are turned round.
    let mut text = String::from("InvoiceNo,CustomerID,InvoiceDate,Amount,Status,Score\n");
    for i in 0..1_400u32 {
        let id = if i > 1_100 && i % 7 == 0 { String::new() } else { format!("{}", 12_000 + i % 90) };
        let day = 1 + i % 12;
        let month = 1 + (i / 12) % 12;
        let status = if i > 1_050 && i % 11 == 0 { "cancelled" } else { "paid" };
        let invoice = if i > 1_200 && i % 13 == 0 { format!("C{}", 500_000 + i) } else { format!("{}", 500_000 + i) };
        let amount = if i == 1_300 { String::new() } else { format!("{}.5", i % 40) };
        let invoice = if i == 1_300 { format!("{}", 500_000 + 1_299) } else { invoice };
        let score = if i == 1_250 { "eleven" } else { "" };
        text.push_str(&format!("{invoice},{id},{day}/{month}/2024,{amount},{status},{score}\n"));
    }
    text.push_str("500999,12001,25/12/2024,3.5,paid,9\n");
    let bytes = text.into_bytes();
    let whole = ingest(&bytes, "f.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap();
    let r = &whole.report;
    assert!(!r.date_order_ambiguous && r.date_order == DateOrder::Dmy, "{:?}", r.warnings);
    assert!(r.guests.is_some() && r.rows_excluded > 0 && r.cancellations > 0 && r.order_lines == 1);
    assert_eq!(r.cells_left_out.len(), 1);
    // 2/1/2024 (the second row), read month first while undecided, is 2 January once settled.
    assert_eq!(whole.dataset.day.as_ref().unwrap()[1], crate::core::values::day_from_ymd(2024, 1, 2).unwrap());
    let mut joined = 0;
    for at in (bytes.len() as u64 * 3 / 4..bytes.len() as u64).step_by(997) {
        if let Some(Some(i)) = read_split(&bytes, bytes.len(), at) {
            assert_eq!(i, whole, "split at {at}");
            joined += 1;
        }
    }
    assert!(joined >= 3, "{joined} joined");
}

#[test]
fn every_fixture_that_streams_reads_in_two_parts_as_in_one() {
    let mut split_files = 0;
    for dir in ["tests/fixtures", "tests/fixtures/bad", "tests/fixtures/exports"] {
        for entry in std::fs::read_dir(format!("{}/{dir}", env!("CARGO_MANIFEST_DIR"))).unwrap() {
            let path = entry.unwrap().path();
            if !path.is_file() {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let whole = ingest(&bytes, "f.csv", &IngestOptions::default(), &mut |_, _| {});
            let mut joined = false;
            for at in [bytes.len() as u64 / 2] {
                if let (Some(Some(i)), Ok(w)) = (read_split(&bytes, bytes.len(), at.max(1)), &whole) {
                    assert_eq!(&i, w, "{} split at {at}", path.display());
                    joined = true;
                }
            }
            split_files += usize::from(joined);
        }
    }
    assert!(split_files >= 20, "only {split_files} fixtures read in two parts");
}

#[test]
fn a_broken_part_buffer_is_refused_not_trusted() {
    let bytes = sample(50, "");
    let opts = IngestOptions::default();
    let mut plan = None;
    let mut begin = |p: &Plan| {
        plan = Some(p.clone());
        true
    };
    let split = Split { at: bytes.len() as u64 / 2, begin: &mut begin };
    let _ = ingest_stream(&bytes, &mut std::io::empty(), bytes.len() as u64, "f.csv", &opts, Some(split), &mut |_, _| {});
    let plan = plan.unwrap();
    let part = read_part(&plan, &mut &bytes[plan.from() as usize..], &mut |_, _| {}).unwrap();
    let encoded = part.encode();
    for cut in (0..encoded.len()).step_by(97) {
        assert!(Part::decode(&encoded[..cut]).is_none(), "cut at {cut}");
    }
    let mut flipped = encoded.clone();
    for i in (0..flipped.len()).step_by(31) {
        flipped[i] ^= 0xA5;
        let _ = Part::decode(&flipped);
    }
}
