//! Dates as people type them, into day numbers: ISO and slashed forms (day or month first, decided
//! per column), compact digits, Excel serial numbers, Chinese `2024年3月5日`, with or without a time.

use super::*;

/// Days in month `m` (1–12) of year `y` in the proleptic Gregorian calendar.
pub(super) fn days_in_month(y: i32, m: u32) -> u32 {
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

/// A date read month first, read day first instead (`3/4` as 3 April, not 4 March): what a file
/// whose date order settled day first late makes of the dates read before; `day` itself where the
/// swap is no date (never, for dates read month first with both parts 12 or under).
pub fn swap_day_month(day: Day) -> Day {
    let (y, m, d) = ymd_from_day(day);
    day_from_ymd(y, d, m).unwrap_or(day)
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

pub(super) fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

pub(super) fn checked(y: i32, m: u32, d: u32) -> Result<Day, DateError> {
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
pub(super) fn date_part(s: &str) -> &str {
    let s = s.trim();
    let cut = s.find([' ', '\u{3000}']).unwrap_or(s.len());
    let s = &s[..cut];
    match s.find('T') {
        Some(i) if i >= 8 => &s[..i],
        _ => s,
    }
}

pub(super) fn parse_year(s: &str) -> Option<i32> {
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

pub(super) fn small(s: &str) -> Option<u32> {
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
pub(super) fn parse_date_general(s: &str, order: DateOrder) -> Result<Day, DateError> {
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
pub(super) fn iso_fast(s: &str) -> Option<Result<Day, DateError>> {
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
pub(super) fn excel_serial(s: &str) -> Option<Result<Day, DateError>> {
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

pub(super) fn parse_chinese(s: &str, y_end: usize) -> Result<Day, DateError> {
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
