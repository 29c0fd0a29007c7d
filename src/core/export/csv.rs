//! CSV for spreadsheets: every field a spreadsheet could run as a formula is made plain text.

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
}
