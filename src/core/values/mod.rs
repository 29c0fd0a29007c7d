//! Cell values as people type them: dates and money amounts, parsed once into typed values.
//!
//! Dates become day numbers (days since 1970-01-01) so that later maths is integer arithmetic. Forms
//! understood: ISO `2024-03-05`, `2024/3/5`, `2024.03.05`, `20240305`, `05/03/2024` and `03/05/2024`
//! (which of the two is decided per column, see [`detect_date_order`]), Excel serial numbers, Chinese
//! `2024年3月5日`, each optionally followed by a time. Amounts accept currency symbols and codes,
//! thousands separators, decimal commas, and a minus sign or parentheses for refunds.

use serde::{Deserialize, Serialize};

mod amount;
mod date;
#[cfg(test)]
mod tests;

pub use self::amount::*;
pub use self::date::*;

/// Days since 1970-01-01.
pub type Day = i32;

/// Years outside this range are rejected as typing or export errors.
pub const MIN_YEAR: i32 = 1900;
pub const MAX_YEAR: i32 = 2100;

/// Amounts beyond this magnitude are rejected: no single order is worth a trillion.
pub const MAX_AMOUNT: f64 = 1e12;

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

/// Orders member-level labels best first: the usual Chinese and English names in their order, any
/// other label after them by mean spend.
pub fn level_rank(label: &str) -> Option<usize> {
    let l = label.trim().to_lowercase();
    LEVEL_ORDER.iter().position(|names| names.iter().any(|n| *n == l))
}

/// The first day of the 12 months a customer's 12-month spend covers, as of `as_of`.
pub fn spend_window_start(as_of: Day) -> Day {
    as_of - 364
}

/// A member level's label with its rank among the usual names ([`level_rank`], which lower-cases
/// the label: worked out once a label, not at each of a million comparisons).
#[derive(Debug, Clone, Copy)]
pub struct Level<'a> {
    rank: Option<usize>,
    name: &'a str,
}

impl<'a> Level<'a> {
    pub fn of(name: &'a str) -> Self {
        Self { rank: level_rank(name), name }
    }
}

/// Of two member levels held on the same day (a file does not say which came later), whether `a`
/// counts rather than `b`: the better known level, then the later name in text order.
pub fn better_level(a: Level, b: Level) -> bool {
    match (a.rank, b.rank) {
        (Some(p), Some(q)) if p != q => p < q,
        (Some(_), None) => true,
        (None, Some(_)) => false,
        _ => a.name > b.name,
    }
}

/// The usual member-level names, best first; names of one rank together (lower-cased).
pub const LEVEL_ORDER: [&[&str]; 6] = [
    &["钻石", "钻石会员", "黑卡", "diamond", "platinum", "白金"],
    &["金卡", "金卡会员", "黄金", "gold"],
    &["银卡", "银卡会员", "白银", "silver"],
    &["铜卡", "bronze"],
    &["普通", "普通会员", "注册会员", "regular", "normal", "basic", "member"],
    &["非会员", "none", "guest"],
];
