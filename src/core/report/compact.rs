//! Large numbers in little room: 170,900,000 is `1.71 亿` to a Chinese reader and `170.9 M` to an
//! English one. The core gives the scaled value and its unit; the UI writes the unit's word.

/// The unit a compact number is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// As it is.
    One,
    /// 万: ten thousand.
    Wan,
    /// 亿: a hundred million.
    Yi,
    /// Million.
    Million,
    /// Billion (a thousand million).
    Billion,
}

/// Which counting a reader uses: Chinese groups by 万 and 亿, English by thousands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    Chinese,
    Western,
}

/// `v` scaled to the largest unit it reaches, from a million (100 万) up; below that, as it is.
///
/// # Formula
/// Chinese: v ≥ 10⁸ → v / 10⁸ 亿; v ≥ 10⁶ → v / 10⁴ 万. Western: v ≥ 10⁹ → v / 10⁹ B; v ≥ 10⁶ →
/// v / 10⁶ M. The sign is kept.
pub fn compact(v: f64, grouping: Grouping) -> (f64, Unit) {
    let a = v.abs();
    match grouping {
        Grouping::Chinese if a >= 1e8 => (v / 1e8, Unit::Yi),
        Grouping::Chinese if a >= 1e6 => (v / 1e4, Unit::Wan),
        Grouping::Western if a >= 1e9 => (v / 1e9, Unit::Billion),
        Grouping::Western if a >= 1e6 => (v / 1e6, Unit::Million),
        _ => (v, Unit::One),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOLERANCE: f64 = 1e-9;

    #[test]
    fn big_numbers_scale_to_the_reader_s_units_and_small_ones_stay() {
        // The example: 170.9 million is 1.709 亿 and 170.9 M.
        let cases = [
            (170_900_000.0, Grouping::Chinese, 1.709, Unit::Yi),
            (170_900_000.0, Grouping::Western, 170.9, Unit::Million),
            (8_300_000.0, Grouping::Chinese, 830.0, Unit::Wan),
            (2_500_000_000.0, Grouping::Western, 2.5, Unit::Billion),
            (-3_000_000.0, Grouping::Western, -3.0, Unit::Million),
            (999_999.0, Grouping::Chinese, 999_999.0, Unit::One),
            (999_999.0, Grouping::Western, 999_999.0, Unit::One),
        ];
        for (v, g, want, unit) in cases {
            let (got, u) = compact(v, g);
            assert!((got - want).abs() < TOLERANCE && u == unit, "{v} {g:?}: {got} {u:?}");
        }
    }
}
