//! What a column's values look like (dates, amounts, ids, scores, …), and whether a first row is a
//! header.

use super::*;

/// What the first rows of a column look like.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub non_empty: usize,
    /// Cells that parse as dates without being plain numbers (so ids and amounts are not dates).
    pub dates: usize,
    pub numbers: usize,
    pub integers: usize,
    /// Numbers written with a decimal part.
    pub decimals: usize,
    /// Integers written with a leading zero (`00042`): identifiers, not quantities.
    pub leading_zeros: usize,
    pub distinct: usize,
    pub mean: f64,
    pub max: f64,
    /// Whole numbers each one more than the cell above: a row number, not a measure.
    pub sequential: usize,
    /// Whole numbers of 11 digits (a Chinese mobile number) or of one width of 6 digits or more
    /// (phone numbers, account numbers): never an amount.
    pub phone_like: usize,
    /// Whole numbers below 1,000 in size: quantities, scores, small codes.
    pub small_integers: usize,
    /// Cells that could be an account key: one token (no inner spaces) of ASCII letters, digits and
    /// `@._-` with at least one digit or an `@`, at most 64 characters.
    pub key_like: usize,
    /// Cells that are order numbers as shops write them: `#1001`.
    pub hash_numbers: usize,
}

impl Profile {
    fn share(&self, n: usize) -> f64 {
        if self.non_empty == 0 {
            0.0
        } else {
            n as f64 / self.non_empty as f64
        }
    }
    pub fn date_share(&self) -> f64 {
        self.share(self.dates)
    }
    pub fn number_share(&self) -> f64 {
        self.share(self.numbers)
    }
}

/// Profiles column `col` over some rows.
pub fn profile(cells: &[&str]) -> Profile {
    let mut p = Profile::default();
    let mut seen = HashSet::new();
    let mut sum = 0.0;
    let mark = values::detect_decimal_mark(cells.iter().copied());
    let (mut previous, mut width): (Option<f64>, Option<usize>) = (None, None);
    let mut one_width = true;
    for &cell in cells {
        let c = cell.trim();
        if c.is_empty() || values::is_missing(c) {
            continue;
        }
        p.non_empty += 1;
        seen.insert(c);
        let plain_number = c.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-');
        let eight_digits = c.len() == 8 && c.bytes().all(|b| b.is_ascii_digit());
        if (!plain_number || eight_digits || c.matches(['-', '.']).count() >= 2) && values::parse_date(c, DateOrder::Dmy).is_ok()
        {
            p.dates += 1;
        }
        let digits_only = c.bytes().all(|b| b.is_ascii_digit());
        if digits_only {
            one_width &= *width.get_or_insert(c.len()) == c.len();
            if c.len() == 11 {
                p.phone_like += 1;
            }
        } else {
            one_width = false;
        }
        if c.len() <= 64
            && c.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'@' | b'.' | b'_' | b'-'))
            && c.bytes().any(|b| b.is_ascii_digit() || b == b'@')
        {
            p.key_like += 1;
        }
        if c.strip_prefix('#').is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) {
            p.hash_numbers += 1;
        }
        if let Ok(a) = values::parse_amount(c, mark) {
            p.numbers += 1;
            sum += a.value;
            p.max = p.max.max(a.value);
            let decimal_sep = if mark == DecimalMark::Comma { ',' } else { '.' };
            if c.contains(decimal_sep) {
                p.decimals += 1;
            } else {
                p.integers += 1;
                if a.value.abs() < 1000.0 {
                    p.small_integers += 1;
                }
                if previous.is_some_and(|v| a.value == v + 1.0) {
                    p.sequential += 1;
                }
            }
            previous = Some(a.value);
            if c.len() > 1 && c.starts_with('0') && digits_only {
                p.leading_zeros += 1;
            }
        } else {
            previous = None;
        }
    }
    if one_width && width.is_some_and(|w| w >= 6) && p.non_empty > 1 {
        p.phone_like = p.non_empty;
    }
    p.distinct = seen.len();
    p.mean = if p.numbers > 0 { sum / p.numbers as f64 } else { 0.0 };
    p
}

/// Whether the first row is a header: some cell names a role, or some column holds numbers or dates
/// below a first cell that is neither.
pub fn looks_like_header(first: &[String], below: &[Vec<String>]) -> bool {
    if first.iter().any(|c| role_from_name(c).is_some()) {
        return true;
    }
    if below.is_empty() {
        return first.iter().all(|c| !c.trim().is_empty() && values::parse_amount(c, DecimalMark::Dot).is_err());
    }
    let mut typed_below = 0;
    for (i, head) in first.iter().enumerate() {
        let cells: Vec<&str> = below.iter().filter_map(|r| r.get(i).map(String::as_str)).collect();
        let p = profile(&cells);
        let head_is_value =
            values::parse_amount(head, DecimalMark::Dot).is_ok() || values::parse_date(head, DateOrder::Dmy).is_ok();
        if head_is_value && (p.number_share() > 0.8 || p.date_share() > 0.8) {
            return false;
        }
        if !head.trim().is_empty() && !head_is_value && (p.number_share() > 0.8 || p.date_share() > 0.8) {
            typed_below += 1;
        }
    }
    typed_below > 0
}
