//! Money amounts as people type them: currency symbols and codes, thousands separators, decimal
//! commas (decided per column), and a minus sign or parentheses for refunds.

use super::*;

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
pub(super) const CURRENCIES: &[(&str, &str)] = &[
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

pub(super) fn strip_currency(s: &str) -> (&str, Option<&'static str>) {
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

pub(super) fn strip_sign(s: &str) -> (&str, bool) {
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

/// Money added up exactly: each amount counted in millionths (what amounts are read to, and what
/// arithmetic on them is rounded to), added as integers.
///
/// A float sum depends on the order of its terms in its last bits, and a last bit decides ties
/// (two customers with equal spend, a quintile's edge). Counted exactly, a customer's spend is
/// the same number whether it is added from their rows in file order, from a facts file's lines,
/// or by a warehouse in `DECIMAL(38, 6)`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Money {
    micros: i128,
    /// Whether a term was not a negative zero: the sum of nothing but −0 (rows refunded in full)
    /// is −0, as a float sum's is, and stays a refund.
    positive_zero: bool,
}

/// Millionths in one unit of money.
pub const MICROS: f64 = 1e6;

/// `x` in millionths, rounded half away from zero: `(x * MICROS).round() as i128`. An amount
/// under 2⁵² millionths (4.5 billion) takes the fast way: truncated to an `i64` (one instruction)
/// and rounded by its fraction, which is exact there; `round` and the conversion to `i128` are
/// calls into software routines, and this runs for every row (BENCHMARKS.md, "Design measurements").
#[inline]
pub(super) fn micros(x: f64) -> i128 {
    /// 2⁵²: below it a double's fraction is exact.
    const EXACT: f64 = 4_503_599_627_370_496.0;
    let y = x * MICROS;
    if y.abs() < EXACT {
        let whole = y as i64;
        let fraction = y - whole as f64;
        i128::from(whole + i64::from(fraction >= 0.5) - i64::from(fraction <= -0.5))
    } else {
        y.round() as i128
    }
}

impl Money {
    /// The sum of `terms`.
    pub fn of(terms: impl IntoIterator<Item = f64>) -> Self {
        let mut sum = Self::default();
        terms.into_iter().for_each(|x| sum.add(x));
        sum
    }

    #[inline]
    pub fn add(&mut self, x: f64) {
        let m = micros(x);
        self.micros += m;
        self.positive_zero |= m != 0 || !x.is_sign_negative();
    }

    #[inline]
    pub fn add_sum(&mut self, other: Money) {
        self.micros += other.micros;
        self.positive_zero |= other.positive_zero;
    }

    /// The sum in millionths.
    pub fn micros(self) -> i128 {
        self.micros
    }

    /// The sum: the float nearest to it (−0 for nothing but negative zeros, or nothing).
    #[inline]
    pub fn value(self) -> f64 {
        if self.micros == 0 {
            return if self.positive_zero { 0.0 } else { -0.0 };
        }
        self.micros as f64 / MICROS
    }
}

/// An amount rounded to the cent, without a negative zero: how figures of money are reported.
pub fn to_cents(x: f64) -> f64 {
    (x * 100.0).round() / 100.0 + 0.0
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
pub(super) const EXACT_POWERS_OF_TEN: [f64; 16] =
    [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/// Digits with at most one decimal point and at most 15 digits in all (`233.00`, `5069`, `1.`):
/// the digits as an integer, divided by the power of ten of the decimals. Both are exact in an
/// `f64` and IEEE division rounds correctly, so this is the value `str::parse` reads (its own first
/// path does the same); `None` for anything else. A test compares the two.
pub(super) fn short_decimal(b: &[u8]) -> Option<f64> {
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
pub(super) fn parse_amount_general(s: &str, mark: DecimalMark) -> Result<Amount, AmountError> {
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
pub(super) fn checked_amount(value: f64, negative: bool) -> Result<f64, AmountError> {
    if !value.is_finite() {
        return Err(AmountError::NotFinite);
    }
    if value.abs() > MAX_AMOUNT {
        return Err(AmountError::TooLarge);
    }
    Ok(if negative { -value } else { value })
}

/// ASCII text built byte by byte: on the stack up to 40 bytes, on the heap beyond.
pub(super) enum Ascii {
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
