//! Cell values as people type them: dates and money amounts, parsed once into typed values.
//!
//! Dates become day numbers (days since 1970-01-01) so that later maths is integer arithmetic. Forms
//! understood: ISO `2024-03-05`, `2024/3/5`, `2024.03.05`, `20240305`, `05/03/2024` and `03/05/2024`
//! (which of the two is decided per column, see [`detect_date_order`]), Excel serial numbers, Chinese
//! `2024年3月5日`, each optionally followed by a time. Amounts accept currency symbols and codes,
//! thousands separators, decimal commas, and a minus sign or parentheses for refunds.

use serde::{Deserialize, Serialize};

/// Days since 1970-01-01.
pub type Day = i32;

/// Years outside this range are rejected as typing or export errors.
pub const MIN_YEAR: i32 = 1900;
pub const MAX_YEAR: i32 = 2100;

/// Amounts beyond this magnitude are rejected: no single order is worth a trillion.
pub const MAX_AMOUNT: f64 = 1e12;

/// Days in month `m` (1–12) of year `y` in the proleptic Gregorian calendar.
fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// The day number of a calendar date, or `None` when the date does not exist.
///
/// Plain arithmetic (H. Hinnant's `days_from_civil`): a million rows' dates are converted without
/// building a calendar object for each; tests check it against chrono for every day of the years
/// accepted.
pub fn day_from_ymd(y: i32, m: u32, d: u32) -> Option<Day> {
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) || !(-1_000_000..=1_000_000).contains(&y) {
        return None;
    }
    let y = i64::from(if m <= 2 { y - 1 } else { y });
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let month_from_march = i64::from((m + 9) % 12);
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(d) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    Day::try_from(era * 146_097 + day_of_era - 719_468).ok()
}

/// The calendar date of a day number (H. Hinnant's `civil_from_days`).
pub fn ymd_from_day(day: Day) -> (i32, u32, u32) {
    let z = i64::from(day) + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let d = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = year_of_era + era * 400 + i64::from(m <= 2);
    (y as i32, m, d)
}

/// `YYYY-MM-DD`.
pub fn format_day(day: Day) -> String {
    let (y, m, d) = ymd_from_day(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// How to read dates written as `a/b/yyyy`, where a and b could be day and month either way round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    /// Year first (`2024-03-05`): no ambiguous forms were seen.
    #[default]
    Ymd,
    /// Day first (`05/03/2024`), as in Europe.
    Dmy,
    /// Month first (`03/05/2024`), as in the US.
    Mdy,
}

impl DateOrder {
    pub fn from_key(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ymd" => Some(Self::Ymd),
            "dmy" => Some(Self::Dmy),
            "mdy" => Some(Self::Mdy),
            _ => None,
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            Self::Ymd => "ymd",
            Self::Dmy => "dmy",
            Self::Mdy => "mdy",
        }
    }
}

/// Why a cell is not a usable date. The message is shown to the user after the row and column.
#[derive(Debug, Clone, PartialEq)]
pub enum DateError {
    Empty,
    NotADate,
    NoSuchDay {
        y: i32,
        m: u32,
        d: u32,
    },
    YearOutOfRange(i32),
    Ambiguous,
    /// An option that must be written `YYYY-MM-DD` ([`parse_iso_date`]) is not.
    NotIso,
}

impl DateError {
    /// A stable key for the reason.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "date_empty",
            Self::NotADate => "date_invalid",
            Self::NoSuchDay { .. } => "date_no_such_day",
            Self::YearOutOfRange(_) => "date_year_out_of_range",
            Self::Ambiguous => "date_ambiguous",
            Self::NotIso => "date_not_iso",
        }
    }
}

impl std::error::Error for DateError {}

impl std::fmt::Display for DateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Empty => write!(f, "date is empty"),
            Self::NotADate => write!(f, "not a date (expected e.g. 2024-03-05, 2024/3/5, 20240305 or 2024年3月5日)"),
            Self::NoSuchDay { y, m, d } => write!(f, "{y:04}-{m:02}-{d:02} is not a day in the calendar"),
            Self::YearOutOfRange(y) => write!(f, "year {y} is outside {MIN_YEAR}–{MAX_YEAR}"),
            Self::Ambiguous => write!(f, "day and month could be either way round: choose the date order"),
            Self::NotIso => write!(f, "expected a date as YYYY-MM-DD"),
        }
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn checked(y: i32, m: u32, d: u32) -> Result<Day, DateError> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
        return Err(DateError::YearOutOfRange(y));
    }
    day_from_ymd(y, m, d).ok_or(DateError::NoSuchDay { y, m, d })
}

/// Excel stores dates as days since 1899-12-30 (its 1900 leap-year bug makes that epoch right for
/// every date from 1900-03-01 on).
pub fn day_from_excel_serial(serial: f64) -> Option<Day> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let excel_epoch = day_from_ymd(1899, 12, 30)?;
    Some(excel_epoch + serial.floor() as Day)
}

/// Splits `2024-03-05 14:23:11`, `2024-03-05T14:23Z`, `2024/3/5 下午2:30` into the date part.
fn date_part(s: &str) -> &str {
    let s = s.trim();
    let cut = s.find([' ', '\u{3000}']).unwrap_or(s.len());
    let s = &s[..cut];
    match s.find('T') {
        Some(i) if i >= 8 => &s[..i],
        _ => s,
    }
}

fn parse_year(s: &str) -> Option<i32> {
    if !all_digits(s) {
        return None;
    }
    let y: i32 = s.parse().ok()?;
    match s.len() {
        4 => Some(y),
        2 => Some(if y < 70 { 2000 + y } else { 1900 + y }),
        _ => None,
    }
}

fn small(s: &str) -> Option<u32> {
    if all_digits(s) && s.len() <= 2 {
        s.parse().ok()
    } else {
        None
    }
}

/// A date typed as an option: exactly `YYYY-MM-DD` (no other form, so nothing is guessed).
///
/// # Errors
/// [`DateError::NotIso`] for another form, or why the day does not exist.
pub fn parse_iso_date(s: &str) -> Result<Day, DateError> {
    let t = s.trim();
    let b = t.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return Err(DateError::NotIso);
    }
    parse_date(t, DateOrder::Ymd)
}

/// Parses one date cell.
///
/// # Errors
/// [`DateError`] saying why the cell is not a date; `Ambiguous` only when `order` is `Ymd` (not yet
/// decided) and the cell is like `03/04/2024`.
pub fn parse_date(s: &str, order: DateOrder) -> Result<Day, DateError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(DateError::Empty);
    }
    if let Some(day) = iso_fast(s) {
        return day;
    }
    parse_date_general(s, order)
}

/// [`parse_date`] without its fast path for ISO dates: every form, from trimmed, non-empty text.
fn parse_date_general(s: &str, order: DateOrder) -> Result<Day, DateError> {
    if let Some(y_end) = s.find('年') {
        return parse_chinese(s, y_end);
    }
    let part = date_part(s);
    if all_digits(part) && part.len() == 8 {
        let y = part[..4].parse().map_err(|_| DateError::NotADate)?;
        let m = part[4..6].parse().map_err(|_| DateError::NotADate)?;
        let d = part[6..].parse().map_err(|_| DateError::NotADate)?;
        return checked(y, m, d);
    }
    if let Some(day) = excel_serial(s) {
        return day;
    }
    let sep = part.find(['-', '/', '.']).map(|i| part.as_bytes()[i] as char).ok_or(DateError::NotADate)?;
    let pieces: Vec<&str> = part.split(sep).collect();
    let [a, b, c] = pieces[..] else {
        return Err(DateError::NotADate);
    };
    if a.len() == 4 && all_digits(a) {
        let y = parse_year(a).ok_or(DateError::NotADate)?;
        let m = small(b).ok_or(DateError::NotADate)?;
        let d = small(c).ok_or(DateError::NotADate)?;
        return checked(y, m, d);
    }
    let y = parse_year(c).ok_or(DateError::NotADate)?;
    let p = small(a).ok_or(DateError::NotADate)?;
    let q = small(b).ok_or(DateError::NotADate)?;
    let (m, d) = match order {
        DateOrder::Dmy => (q, p),
        DateOrder::Mdy => (p, q),
        DateOrder::Ymd if p > 12 => (q, p),
        DateOrder::Ymd if q > 12 => (p, q),
        DateOrder::Ymd if p == q => (p, q),
        DateOrder::Ymd => return Err(DateError::Ambiguous),
    };
    checked(y, m, d)
}

/// `YYYY-MM-DD`, alone or before a space or `T` and a time: most files' form, read straight from
/// the bytes. `None` for anything else, which the general path reads (with the same result for
/// these forms: a test compares the two).
fn iso_fast(s: &str) -> Option<Result<Day, DateError>> {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b[r].iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')));
    // A time of day is ASCII: the search for '年' (a substring search, dear to set up for each
    // cell) only runs when something else follows the date.
    if b.len() < 10
        || b[4] != b'-'
        || b[7] != b'-'
        || (b.len() > 10 && !matches!(b[10], b' ' | b'T'))
        || (!b[10..].is_ascii() && s[10..].contains('年'))
    {
        return None;
    }
    let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    Some(checked(y as i32, m, d))
}

/// Serial numbers such as `45356` or `45356.604` (a time of day in the fraction). Only five-digit
/// integer parts are taken: that covers 1927–2173 and leaves room for nothing else a date column holds.
fn excel_serial(s: &str) -> Option<Result<Day, DateError>> {
    let int_part = s.split('.').next()?;
    let frac_ok = s.split('.').nth(1).is_none_or(all_digits) && s.split('.').count() <= 2;
    if int_part.len() == 5 && all_digits(int_part) && frac_ok {
        let serial: f64 = s.parse().ok()?;
        let day = day_from_excel_serial(serial)?;
        let (y, m, d) = ymd_from_day(day);
        return Some(checked(y, m, d));
    }
    None
}

fn parse_chinese(s: &str, y_end: usize) -> Result<Day, DateError> {
    let y = parse_year(s[..y_end].trim()).ok_or(DateError::NotADate)?;
    let rest = &s[y_end + '年'.len_utf8()..];
    let m_end = rest.find('月').ok_or(DateError::NotADate)?;
    let m = small(rest[..m_end].trim()).ok_or(DateError::NotADate)?;
    let rest = &rest[m_end + '月'.len_utf8()..];
    let d_end = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
    let d = small(&rest[..d_end]).ok_or(DateError::NotADate)?;
    checked(y, m, d)
}

/// Decides how a column writes `a/b/yyyy` dates from some of its cells: a first number over 12 means
/// day first, a second number over 12 means month first. Returns the order and whether the cells
/// left it undecided (every such date had both numbers ≤ 12), in which case month first is assumed and
/// the user should be asked.
pub fn detect_date_order<'a>(cells: impl IntoIterator<Item = &'a str>) -> (DateOrder, bool) {
    let (mut day_first, mut month_first, mut ambiguous) = (0usize, 0usize, 0usize);
    for cell in cells {
        let part = date_part(cell);
        let Some(sep) = part.find(['-', '/', '.']).map(|i| part.as_bytes()[i] as char) else {
            continue;
        };
        let pieces: Vec<&str> = part.split(sep).collect();
        let [a, b, c] = pieces[..] else { continue };
        if a.len() == 4 || parse_year(c).is_none() {
            continue;
        }
        match (small(a), small(b)) {
            (Some(p), Some(q)) if p > 12 && q <= 12 => day_first += 1,
            (Some(p), Some(q)) if q > 12 && p <= 12 => month_first += 1,
            (Some(_), Some(_)) => ambiguous += 1,
            _ => {}
        }
    }
    match (day_first, month_first) {
        (0, 0) if ambiguous == 0 => (DateOrder::Ymd, false),
        (0, 0) => (DateOrder::Mdy, true),
        (d, m) if d >= m => (DateOrder::Dmy, false),
        _ => (DateOrder::Mdy, false),
    }
}

/// Which character separates the decimals in an amount column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum DecimalMark {
    #[default]
    Dot,
    Comma,
}

/// Why a cell is not a usable amount.
#[derive(Debug, Clone, PartialEq)]
pub enum AmountError {
    Empty,
    NotANumber,
    NotFinite,
    TooLarge,
}

impl AmountError {
    /// A stable key for the reason.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "amount_empty",
            Self::NotANumber => "amount_invalid",
            Self::NotFinite => "amount_not_finite",
            Self::TooLarge => "amount_too_large",
        }
    }
}

impl std::fmt::Display for AmountError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Empty => write!(f, "amount is empty"),
            Self::NotANumber => write!(f, "not a number (expected e.g. 1299.00, ¥1,299 or (35.50) for a refund)"),
            Self::NotFinite => write!(f, "not a finite number"),
            Self::TooLarge => write!(f, "amount is implausibly large (over 10¹²)"),
        }
    }
}

/// A parsed amount and the currency written with it, if any.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Amount {
    pub value: f64,
    pub currency: Option<&'static str>,
}

/// Currency marks, longest first so that `US$` wins over `$`; each with its ISO code.
const CURRENCIES: &[(&str, &str)] = &[
    ("US$", "USD"),
    ("HK$", "HKD"),
    ("RMB", "CNY"),
    ("CNY", "CNY"),
    ("USD", "USD"),
    ("EUR", "EUR"),
    ("GBP", "GBP"),
    ("HKD", "HKD"),
    ("¥", "CNY"),
    ("￥", "CNY"),
    ("元", "CNY"),
    ("$", "USD"),
    ("€", "EUR"),
    ("£", "GBP"),
];

fn strip_currency(s: &str) -> (&str, Option<&'static str>) {
    let s = s.trim();
    for &(mark, code) in CURRENCIES {
        if let Some(rest) = s.strip_prefix(mark) {
            return (rest.trim(), Some(code));
        }
        if let Some(rest) = s.strip_suffix(mark) {
            return (rest.trim(), Some(code));
        }
    }
    (s, None)
}

fn strip_sign(s: &str) -> (&str, bool) {
    let s = s.trim();
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        return (inner.trim(), true);
    }
    if let Some(rest) = s.strip_prefix(['-', '−']) {
        return (rest.trim(), true);
    }
    if let Some(rest) = s.strip_suffix('-') {
        return (rest.trim(), true);
    }
    (s.strip_prefix('+').unwrap_or(s).trim(), false)
}

/// Whether a cell is one of the ways exports write "no value": `NA`, `N/A`, `#N/A`, `NULL`,
/// `null`, `None`, `nan`, `NaN`, `-`, `—`, `空`, `无` (R, pandas, Excel and databases write these
/// where a value is missing). Such a cell is empty for every role.
#[inline(always)]
pub fn is_missing(cell: &str) -> bool {
    let b = cell.as_bytes();
    // This runs for every cell of a file: a cell longer than any marker with no white space at
    // either end (told by its first and last bytes alone) is answered at once.
    match (b.first(), b.last()) {
        (None, _) | (_, None) => false,
        (Some(&f), Some(&l)) if !MAY_START_SPACE[f as usize] && !MAY_END_SPACE[l as usize] => {
            b.len() <= 4 && matches!(f, b'-' | b'#' | b'N' | b'n' | 0xE2 | 0xE6 | 0xE7) && is_marker(cell)
        }
        _ => is_missing_slow(cell),
    }
}

/// Bytes that may be the first of a white-space character: ASCII white space, and the lead bytes
/// of U+0085, U+00A0 (C2), U+1680 (E1), U+2000–U+205F (E2), U+3000 (E3).
const MAY_START_SPACE: [bool; 256] = {
    let mut t = [false; 256];
    let bytes = [b' ', b'\t', b'\n', b'\r', 0x0B, 0x0C, 0xC2, 0xE1, 0xE2, 0xE3];
    let mut i = 0;
    while i < bytes.len() {
        t[bytes[i] as usize] = true;
        i += 1;
    }
    t
};

/// Bytes that may be the last of a white-space character: ASCII white space, and the last bytes of
/// U+0085 (85), U+00A0 (A0), U+1680 and U+2000–U+200A (80–8A), U+2028/9 (A8, A9), U+202F (AF),
/// U+205F (9F), U+3000 (80).
const MAY_END_SPACE: [bool; 256] = {
    let mut t = [false; 256];
    let bytes = [b' ', b'\t', b'\n', b'\r', 0x0B, 0x0C, 0x9F, 0xA0, 0xA8, 0xA9, 0xAF];
    let mut i = 0;
    while i < bytes.len() {
        t[bytes[i] as usize] = true;
        i += 1;
    }
    let mut b = 0x80;
    while b <= 0x8A {
        t[b] = true;
        b += 1;
    }
    t
};

/// [`is_missing`] for short cells and cells that may have white space at an end.
#[inline(never)]
fn is_missing_slow(cell: &str) -> bool {
    let padded =
        cell.chars().next().is_some_and(char::is_whitespace) || cell.chars().next_back().is_some_and(char::is_whitespace);
    if padded {
        is_marker(cell.trim())
    } else {
        cell.len() <= 4 && is_marker(cell)
    }
}

/// A trimmed cell that is a "no value" marker.
fn is_marker(c: &str) -> bool {
    // Markers start with `-`, `#`, `N`, `n` or the first byte of `—`, `空`, `无`.
    if c.len() > 4 || !c.as_bytes().first().is_some_and(|f| matches!(f, b'-' | b'#' | b'N' | b'n' | 0xE2 | 0xE6 | 0xE7)) {
        return false;
    }
    matches!(c, "-" | "—" | "空" | "无" | "#N/A" | "None" | "NULL" | "null")
        || c.eq_ignore_ascii_case("na")
        || c.eq_ignore_ascii_case("n/a")
        || c.eq_ignore_ascii_case("nan")
}

/// Parses one amount cell.
///
/// # Errors
/// [`AmountError`] saying why the cell is not an amount.
pub fn parse_amount(s: &str, mark: DecimalMark) -> Result<Amount, AmountError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(AmountError::Empty);
    }
    // Most amounts are plain digits with a decimal point: read straight away.
    if mark == DecimalMark::Dot && s.as_bytes()[0].is_ascii_digit() {
        if let Some(value) = short_decimal(s.as_bytes()) {
            return checked_amount(value, false).map(|value| Amount { value, currency: None });
        }
        if s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            let value: f64 = s.parse().map_err(|_| AmountError::NotANumber)?;
            return checked_amount(value, false).map(|value| Amount { value, currency: None });
        }
    }
    parse_amount_general(s, mark)
}

/// Powers of ten that are exact in an `f64`.
const EXACT_POWERS_OF_TEN: [f64; 16] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/// Digits with at most one decimal point and at most 15 digits in all (`233.00`, `5069`, `1.`):
/// the digits as an integer, divided by the power of ten of the decimals. Both are exact in an
/// `f64` and IEEE division rounds correctly, so this is the value `str::parse` reads (its own first
/// path does the same); `None` for anything else. A test compares the two.
fn short_decimal(b: &[u8]) -> Option<f64> {
    let (mut digits, mut mantissa, mut point) = (0usize, 0u64, None);
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'0'..=b'9' if digits < 15 => {
                mantissa = mantissa * 10 + u64::from(c - b'0');
                digits += 1;
            }
            b'.' if point.is_none() => point = Some(i),
            _ => return None,
        }
    }
    if digits == 0 {
        return None;
    }
    let decimals = point.map_or(0, |p| b.len() - p - 1);
    Some(mantissa as f64 / EXACT_POWERS_OF_TEN[decimals])
}

/// [`parse_amount`] without its fast path for plain numbers: every form, from trimmed, non-empty text.
fn parse_amount_general(s: &str, mark: DecimalMark) -> Result<Amount, AmountError> {
    // The sign may stand outside or inside the currency: -¥12, ¥-12, (¥12), ¥(12).
    let (s, neg_outer) = strip_sign(s);
    let (s, currency) = strip_currency(s);
    let (body, neg_inner) = strip_sign(s);
    if neg_outer && neg_inner {
        return Err(AmountError::NotANumber);
    }
    let first = body.chars().next().ok_or(AmountError::NotANumber)?;
    if !(first.is_ascii_digit() || first == '.' || first == ',') {
        return Err(AmountError::NotANumber);
    }
    let (thousands, decimal) = match mark {
        DecimalMark::Dot => (',', '.'),
        DecimalMark::Comma => ('.', ','),
    };
    // The number without separators, in ASCII: on the stack for any amount a person types.
    let mut clean = Ascii::new();
    for c in body.chars() {
        match c {
            c if c == thousands => {}
            ' ' | '\u{a0}' | '\u{202f}' | '\'' | '_' => {}
            c if c == decimal => clean.push(b'.'),
            c if c.is_ascii_digit() || matches!(c, 'e' | 'E' | '+' | '-') => clean.push(c as u8),
            _ => return Err(AmountError::NotANumber),
        }
    }
    let value: f64 = clean.as_str().parse().map_err(|_| AmountError::NotANumber)?;
    checked_amount(value, neg_outer || neg_inner).map(|value| Amount { value, currency })
}

/// A parsed magnitude, negated for refunds, within the range an amount may have.
fn checked_amount(value: f64, negative: bool) -> Result<f64, AmountError> {
    if !value.is_finite() {
        return Err(AmountError::NotFinite);
    }
    if value.abs() > MAX_AMOUNT {
        return Err(AmountError::TooLarge);
    }
    Ok(if negative { -value } else { value })
}

/// ASCII text built byte by byte: on the stack up to 40 bytes, on the heap beyond.
enum Ascii {
    Stack([u8; 40], usize),
    Heap(Vec<u8>),
}

impl Ascii {
    fn new() -> Self {
        Self::Stack([0; 40], 0)
    }
    fn push(&mut self, byte: u8) {
        match self {
            Self::Stack(buf, len) if *len < buf.len() => {
                buf[*len] = byte;
                *len += 1;
            }
            Self::Stack(buf, len) => {
                let mut v = buf[..*len].to_vec();
                v.push(byte);
                *self = Self::Heap(v);
            }
            Self::Heap(v) => v.push(byte),
        }
    }
    fn as_str(&self) -> &str {
        let bytes = match self {
            Self::Stack(buf, len) => &buf[..*len],
            Self::Heap(v) => v,
        };
        // Only ASCII is pushed, so this never fails.
        std::str::from_utf8(bytes).unwrap_or_default()
    }
}

/// Decides whether a column writes decimals with a comma (`12,50`, `1.234,56`) from some of its
/// cells. A comma followed by exactly three digits is read as a thousands separator.
pub fn detect_decimal_mark<'a>(cells: impl IntoIterator<Item = &'a str>) -> DecimalMark {
    let (mut comma, mut dot) = (0usize, 0usize);
    for cell in cells {
        let body = cell.trim();
        let last_comma = body.rfind(',');
        let last_dot = body.rfind('.');
        match (last_comma, last_dot) {
            (Some(c), Some(d)) if c > d => comma += 1,
            (Some(_), Some(_)) => dot += 1,
            (Some(c), None) => {
                let digits_after = body[c + 1..].chars().take_while(char::is_ascii_digit).count();
                if digits_after != 3 {
                    comma += 1;
                }
            }
            (None, Some(_)) => dot += 1,
            (None, None) => {}
        }
    }
    if comma > dot {
        DecimalMark::Comma
    } else {
        DecimalMark::Dot
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_value_markers_are_missing_and_values_that_look_like_them_are_not() {
        for cell in [
            "NA", "na", "N/A", "n/a", "#N/A", "NULL", "null", "None", "nan", "NaN", "-", "—", "空", "无", " NA ", "\tN/A", "",
            "  ",
        ] {
            assert_eq!(is_missing(cell), !cell.trim().is_empty(), "{cell:?}");
        }
        for cell in [
            "NAB",
            "n",
            "-5",
            "none of it",
            "N/A2",
            "0",
            "1",
            "Nan Jing",
            "空调",
            "无锡",
            "——",
            "#1001",
            "--",
            "一一",
            "\u{3000}空调",
        ] {
            assert!(!is_missing(cell), "{cell:?}");
        }
    }

    #[test]
    fn day_numbers_match_chrono_for_every_day_from_1600_to_2500() {
        use chrono::{Datelike, NaiveDate};
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        let mut date = NaiveDate::from_ymd_opt(1600, 1, 1).unwrap();
        let end = NaiveDate::from_ymd_opt(2500, 12, 31).unwrap();
        while date <= end {
            let day = (date - epoch).num_days() as Day;
            assert_eq!(day_from_ymd(date.year(), date.month(), date.day()), Some(day), "{date}");
            assert_eq!(ymd_from_day(day), (date.year(), date.month(), date.day()), "{date}");
            date = date.succ_opt().unwrap();
        }
        for y in 1600..=2500 {
            for m in 0..=13 {
                for d in [0, 28, 29, 30, 31, 32] {
                    let real = NaiveDate::from_ymd_opt(y, m, d).map(|x| (x - epoch).num_days() as Day);
                    assert_eq!(day_from_ymd(y, m, d), real, "{y}-{m}-{d}");
                }
            }
        }
        assert_eq!(day_from_ymd(i32::MAX, 1, 1), None);
        assert_eq!(day_from_ymd(i32::MIN, 1, 1), None);
    }

    #[test]
    fn the_iso_fast_path_reads_what_the_general_path_reads() {
        let cells = [
            "2024-03-05",
            "2024-03-05 14:23:11",
            "2024-03-05T14:23Z",
            "2024-02-29",
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "1899-12-31",
            "2101-01-01",
            "2024-03-05x",
            "2024-3-05",
            "2024-03-5",
            "２024-03-05",
            "2024-03-05 年",
            "2024-03-05\u{3000}9:00",
            "2024-03-05 下午2:30",
            "abcd-ef-gh",
            "2024-03-05T",
            "2024/03/05",
            "2024-03-05  ",
            "+024-03-05",
            "2024-+3-05",
        ];
        for cell in cells {
            let s = cell.trim();
            let general = parse_date_general(s, DateOrder::Ymd);
            // Where the fast path declines, the general path alone reads the cell.
            if let Some(fast) = iso_fast(s) {
                assert_eq!(fast, general, "{cell}");
            }
        }
        assert!(iso_fast("2024-03-05").is_some());
        assert!(iso_fast("2024-03-05 14:23:11").is_some());
    }

    #[test]
    fn the_plain_number_fast_path_reads_what_the_general_path_reads() {
        let cells = [
            "0",
            "12",
            "12.5",
            "12.50",
            "0.001",
            "1.2.3",
            "1.",
            "007",
            "1e3",
            "12..5",
            "9999999999999",
            "1000000000000",
            "1000000000000.5",
        ];
        for cell in cells {
            assert_eq!(parse_amount(cell, DecimalMark::Dot), parse_amount_general(cell, DecimalMark::Dot), "{cell}");
        }
        let long = "9".repeat(400);
        assert_eq!(parse_amount(&long, DecimalMark::Dot), parse_amount_general(&long, DecimalMark::Dot));
        for cell in ["233.00", "5069.00", "0.1", "0.3", "1.", "123456789012345", "12345678901234.5", "0.00000000000001"] {
            assert_eq!(short_decimal(cell.as_bytes()), Some(cell.parse::<f64>().unwrap()), "{cell}");
        }
        for cell in ["1234567890123456", "0.000000000000001", "1.2.3", ".", "", "1e3", "-1", "1,5"] {
            assert_eq!(short_decimal(cell.as_bytes()), None, "{cell}");
        }
    }

    proptest::proptest! {
        /// Plain decimals read by hand give exactly what `str::parse` gives, to the bit.
        #[test]
        fn short_decimals_read_as_str_parse_reads_them(
            int in "[0-9]{1,16}",
            frac in proptest::option::of("[0-9]{0,16}"),
        ) {
            let cell = match &frac { Some(f) => format!("{int}.{f}"), None => int.clone() };
            let parsed: f64 = cell.parse().unwrap();
            match short_decimal(cell.as_bytes()) {
                Some(v) => proptest::prop_assert_eq!(v.to_bits(), parsed.to_bits(), "{}", cell),
                None => proptest::prop_assert!(int.len() + frac.map_or(0, |f| f.len()) > 15, "{}", cell),
            }
            proptest::prop_assert_eq!(parse_amount(&cell, DecimalMark::Dot), parse_amount_general(&cell, DecimalMark::Dot));
        }
    }

    #[test]
    fn long_amounts_spill_to_the_heap_and_still_parse() {
        let long = format!("{}.5", "1".repeat(11));
        assert_eq!(parse_amount(&long, DecimalMark::Dot).unwrap().value, 11_111_111_111.5);
        let very_long = format!("0.{}1", "0".repeat(60));
        assert!((parse_amount(&very_long, DecimalMark::Dot).unwrap().value - 1e-61).abs() < 1e-70);
        assert_eq!(parse_amount("1.234.567,5", DecimalMark::Comma).unwrap().value, 1_234_567.5);
    }

    const EPS: f64 = 1e-9;

    fn day(y: i32, m: u32, d: u32) -> Day {
        day_from_ymd(y, m, d).unwrap()
    }

    #[test]
    fn option_dates_are_strictly_iso() {
        assert_eq!(parse_iso_date("1997-09-30").ok(), day_from_ymd(1997, 9, 30));
        assert_eq!(parse_iso_date("30/9/97").unwrap_err().to_string(), "expected a date as YYYY-MM-DD");
        assert!(parse_iso_date("1997-9-30").is_err());
        assert!(parse_iso_date("2024-02-30").is_err());
    }

    #[test]
    fn day_numbers_round_trip_through_the_calendar() {
        assert_eq!(day(1970, 1, 1), 0);
        assert_eq!(day(1997, 1, 1), 9862);
        for d in [-25567, -1, 0, 1, 9862, 19787, 47482] {
            let (y, m, dd) = ymd_from_day(d);
            assert_eq!(day(y, m, dd), d);
        }
        assert_eq!(format_day(day(2024, 3, 5)), "2024-03-05");
    }

    #[test]
    fn every_documented_date_form_parses_to_the_same_day() {
        let want = day(2024, 3, 5);
        let cases = [
            ("2024-03-05", DateOrder::Ymd),
            ("2024/3/5", DateOrder::Ymd),
            ("2024.03.05", DateOrder::Ymd),
            ("20240305", DateOrder::Ymd),
            ("2024-03-05 14:23:11", DateOrder::Ymd),
            ("2024-03-05T14:23:11Z", DateOrder::Ymd),
            ("2024/3/5 14:23", DateOrder::Ymd),
            ("05/03/2024", DateOrder::Dmy),
            ("03/05/2024", DateOrder::Mdy),
            ("5.3.2024", DateOrder::Dmy),
            ("05/03/24", DateOrder::Dmy),
            ("2024年3月5日", DateOrder::Ymd),
            ("2024年03月05日 14:23", DateOrder::Ymd),
            ("2024年3月5号", DateOrder::Ymd),
            // Excel serial 45356 is 2024-03-05 (Excel's own DATE(2024,3,5)).
            ("45356", DateOrder::Ymd),
            ("45356.604166", DateOrder::Ymd),
            ("  2024-03-05  ", DateOrder::Ymd),
        ];
        for (text, order) in cases {
            assert_eq!(parse_date(text, order), Ok(want), "{text:?}");
        }
    }

    #[test]
    fn a_day_over_twelve_settles_the_order_for_that_cell() {
        assert_eq!(parse_date("13/05/2024", DateOrder::Ymd), Ok(day(2024, 5, 13)));
        assert_eq!(parse_date("05/13/2024", DateOrder::Ymd), Ok(day(2024, 5, 13)));
        assert_eq!(parse_date("05/03/2024", DateOrder::Ymd), Err(DateError::Ambiguous));
    }

    #[test]
    fn impossible_and_malformed_dates_are_rejected_with_a_reason() {
        assert_eq!(parse_date("2024-02-30", DateOrder::Ymd), Err(DateError::NoSuchDay { y: 2024, m: 2, d: 30 }));
        assert_eq!(parse_date("2023-02-29", DateOrder::Ymd), Err(DateError::NoSuchDay { y: 2023, m: 2, d: 29 }));
        assert_eq!(parse_date("2024-02-29", DateOrder::Ymd), Ok(day(2024, 2, 29)));
        assert_eq!(parse_date("1899-12-31", DateOrder::Ymd), Err(DateError::YearOutOfRange(1899)));
        assert_eq!(parse_date("", DateOrder::Ymd), Err(DateError::Empty));
        for bad in ["yesterday", "N/A", "2024", "12.5", "2024-03", "1/2/3/4", "２０２４"] {
            assert_eq!(parse_date(bad, DateOrder::Ymd), Err(DateError::NotADate), "{bad:?}");
        }
    }

    #[test]
    fn date_order_is_detected_from_the_column() {
        assert_eq!(detect_date_order(["13/01/2024", "02/03/2024"]), (DateOrder::Dmy, false));
        assert_eq!(detect_date_order(["01/13/2024", "02/03/2024"]), (DateOrder::Mdy, false));
        assert_eq!(detect_date_order(["01/02/2024", "02/03/2024"]), (DateOrder::Mdy, true));
        assert_eq!(detect_date_order(["2024-01-13", "20240101"]), (DateOrder::Ymd, false));
    }

    fn amount(s: &str, mark: DecimalMark) -> f64 {
        parse_amount(s, mark).unwrap_or_else(|e| panic!("{s:?}: {e}")).value
    }

    #[test]
    fn every_documented_amount_form_parses() {
        let cases: &[(&str, DecimalMark, f64)] = &[
            ("1299", DecimalMark::Dot, 1299.0),
            ("1299.50", DecimalMark::Dot, 1299.5),
            ("1,299.50", DecimalMark::Dot, 1299.5),
            ("¥1,299.50", DecimalMark::Dot, 1299.5),
            ("￥1299", DecimalMark::Dot, 1299.0),
            ("$12.00", DecimalMark::Dot, 12.0),
            ("€1.234,56", DecimalMark::Comma, 1234.56),
            ("12,5", DecimalMark::Comma, 12.5),
            ("1 234,56 €", DecimalMark::Comma, 1234.56),
            ("£3", DecimalMark::Dot, 3.0),
            ("-35.5", DecimalMark::Dot, -35.5),
            ("(35.50)", DecimalMark::Dot, -35.5),
            ("-¥35.50", DecimalMark::Dot, -35.5),
            ("¥-35.50", DecimalMark::Dot, -35.5),
            ("35.50-", DecimalMark::Dot, -35.5),
            ("−35.5", DecimalMark::Dot, -35.5),
            ("99元", DecimalMark::Dot, 99.0),
            ("RMB 99", DecimalMark::Dot, 99.0),
            ("1e3", DecimalMark::Dot, 1000.0),
            (".5", DecimalMark::Dot, 0.5),
        ];
        for &(text, mark, want) in cases {
            assert!((amount(text, mark) - want).abs() < EPS, "{text:?}");
        }
    }

    #[test]
    fn the_currency_written_is_reported() {
        assert_eq!(parse_amount("¥12", DecimalMark::Dot).unwrap().currency, Some("CNY"));
        assert_eq!(parse_amount("US$12", DecimalMark::Dot).unwrap().currency, Some("USD"));
        assert_eq!(parse_amount("12", DecimalMark::Dot).unwrap().currency, None);
    }

    #[test]
    fn bad_amounts_are_rejected_with_a_reason() {
        let cases: &[(&str, AmountError)] = &[
            ("", AmountError::Empty),
            ("abc", AmountError::NotANumber),
            ("12,5x", AmountError::NotANumber),
            ("--5", AmountError::NotANumber),
            ("NaN", AmountError::NotANumber),
            ("inf", AmountError::NotANumber),
            ("1e308", AmountError::TooLarge),
            ("1e999", AmountError::NotFinite),
            ("N/A", AmountError::NotANumber),
        ];
        for (text, want) in cases {
            assert_eq!(parse_amount(text, DecimalMark::Dot).map(|a| a.value), Err(want.clone()), "{text:?}");
        }
    }

    #[test]
    fn decimal_commas_are_detected_and_thousands_commas_are_not() {
        assert_eq!(detect_decimal_mark(["12,50", "3,5"]), DecimalMark::Comma);
        assert_eq!(detect_decimal_mark(["1.234,56", "12"]), DecimalMark::Comma);
        assert_eq!(detect_decimal_mark(["1,234", "1,299.00"]), DecimalMark::Dot);
        assert_eq!(detect_decimal_mark(["12.50", "7"]), DecimalMark::Dot);
    }
}
