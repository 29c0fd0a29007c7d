//! Cross-purchase in sequence: of the customers who bought an *anchor* category (手机, say), the
//! share who then bought a *target* category (the IoT ones) within N days, how long they took, how
//! that compares with a benchmark (an industry 28%), how it moves from one period's anchor buyers to
//! the next, and who bought the anchor but no target yet.
//!
//! # Rules
//! - Purchases are rows on or before the as-of date with a mapped category and an amount that is
//!   not a return (negative); anonymous rows are left out.
//! - A customer's *anchor day* is the day of their first anchor purchase. They *convert* when they
//!   buy a target 0..=N days after it (1..=N when same-day purchases do not count: a target bought
//!   with the anchor is then no cross-sell).
//! - Only anchor buyers whose anchor day is at least N days before the as-of date are counted (the
//!   *eligible*): a customer who bought the anchor last week has not had N days to convert, and
//!   counting them would understate the share. The others are reported as too recent to tell.
//! - Share = converted / eligible, with its 95% Wilson interval; the days to convert are the
//!   converted customers' (median). Against a benchmark p₀ the one-sample z-test
//!   z = (p̂ − p₀) / √(p₀(1 − p₀)/n), two-sided, significant at p < 0.05.
//! - Per period (month or quarter): the anchor buyers whose anchor day falls in it, eligible and
//!   converted as above; two periods compare with the two-proportion test of `trends`.
//! - *Not yet*: anchor buyers who have never bought a target (before or after the anchor): whom to
//!   offer one.

use crate::core::analysis::states::Period;
use crate::core::analysis::trends::Share;
use crate::core::dataset::{Dataset, MISSING};
use crate::core::values::Day;
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

/// What to measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrossSellParams {
    /// Anchor categories, by their names in the file.
    pub anchor: Vec<String>,
    /// Target categories, by their names in the file.
    pub targets: Vec<String>,
    /// The days after the anchor purchase within which a target purchase counts.
    pub within_days: i32,
    /// Whether a target bought on the anchor's day counts.
    pub same_day: bool,
    /// The share to compare with (0.28 for an industry 28%), if any.
    pub benchmark: Option<f64>,
}

impl Default for CrossSellParams {
    fn default() -> Self {
        Self { anchor: Vec::new(), targets: Vec::new(), within_days: 180, same_day: true, benchmark: Some(0.28) }
    }
}

/// Why cross-purchase cannot be measured as asked.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CrossSellError {
    #[error("cross-purchase needs a category column: map one")]
    NoCategory,
    #[error("choose at least one anchor category and one target category")]
    NothingChosen,
    #[error("'{name}' is not a category of the file (categories: {known})")]
    UnknownCategory { name: String, known: String },
    #[error("'{0}' is both an anchor and a target: choose different categories")]
    Both(String),
    #[error("the window must be at least one day (or zero with same-day purchases) and the benchmark between 0 and 1")]
    Params,
}

impl CrossSellError {
    /// A stable key for the page to translate.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoCategory => "no_category",
            Self::NothingChosen => "cross_sell_nothing_chosen",
            Self::UnknownCategory { .. } => "unknown_category",
            Self::Both(_) => "cross_sell_both",
            Self::Params => "cross_sell_params",
        }
    }
}

/// The one-sample test of a share against a benchmark.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchmarkTest {
    pub benchmark: f64,
    /// share − benchmark (0.25 is 25 points).
    pub difference: f64,
    pub z: Option<f64>,
    pub p_value: Option<f64>,
    /// p < 0.05.
    pub significant: bool,
}

/// The anchor buyers of one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrossSellPeriod {
    pub label: String,
    /// Anchor buyers whose anchor day falls in the period.
    pub anchor_buyers: usize,
    /// Converted of eligible.
    pub converted: Share,
}

/// The measurement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrossSell {
    pub params: CrossSellParams,
    /// Customers who bought an anchor category.
    pub anchor_buyers: usize,
    /// Anchor buyers with fewer than N days seen since their anchor day.
    pub too_recent: usize,
    /// Converted of eligible.
    pub converted: Share,
    pub share: Option<f64>,
    /// The share's 95% Wilson interval.
    pub ci95: Option<(f64, f64)>,
    /// Median days from the anchor to the first target, of the converted.
    pub median_days: Option<f64>,
    pub test: Option<BenchmarkTest>,
    /// Anchor buyers who have bought no target at all.
    pub not_yet: usize,
    pub period: Period,
    pub periods: Vec<CrossSellPeriod>,
    /// Per customer code: an anchor buyer with no target (the "not yet" list); not sent to the page.
    #[serde(skip)]
    pub pending: Vec<bool>,
}

impl CrossSellParams {
    /// # Errors
    /// [`CrossSellError::Params`] for a window below 0 (below 1 without same-day purchases) or a
    /// benchmark outside 0..=1.
    pub fn check(&self) -> Result<(), CrossSellError> {
        let window = self.within_days >= if self.same_day { 0 } else { 1 };
        let benchmark = self.benchmark.is_none_or(|b| (0.0..=1.0).contains(&b));
        if window && benchmark {
            Ok(())
        } else {
            Err(CrossSellError::Params)
        }
    }
}

impl CrossSellParams {
    /// The codes of the anchor and the target categories in `dataset`.
    ///
    /// # Errors
    /// [`CrossSellError`]: no category column, nothing chosen, a name that is not a category of the
    /// file, or a category on both sides.
    pub fn resolve(&self, dataset: &Dataset) -> Result<(Vec<u32>, Vec<u32>), CrossSellError> {
        if dataset.category.is_none() {
            return Err(CrossSellError::NoCategory);
        }
        if self.anchor.is_empty() || self.targets.is_empty() {
            return Err(CrossSellError::NothingChosen);
        }
        let (anchor, targets) = (codes(dataset, &self.anchor)?, codes(dataset, &self.targets)?);
        if let Some(k) = anchor.iter().position(|a| targets.contains(a)) {
            return Err(CrossSellError::Both(self.anchor[k].clone()));
        }
        Ok((anchor, targets))
    }
}

/// The 95% Wilson score interval of `hits` of `n`.
pub fn wilson(hits: usize, n: usize) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let (n, p, z) = (n as f64, hits as f64 / n as f64, 1.959_963_984_540_054_f64);
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z / (1.0 + z * z / n) * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// The one-sample z-test of `share` against `benchmark`; `None` without anyone.
pub fn against_benchmark(share: Share, benchmark: f64) -> Option<BenchmarkTest> {
    let p = share.rate()?;
    let difference = p - benchmark;
    let se = (benchmark * (1.0 - benchmark) / share.of as f64).sqrt();
    if se <= 0.0 {
        return Some(BenchmarkTest { benchmark, difference, z: None, p_value: None, significant: false });
    }
    let z = difference / se;
    let p_value = 2.0 * (1.0 - Normal::standard().cdf(z.abs()));
    Some(BenchmarkTest { benchmark, difference, z: Some(z), p_value: Some(p_value), significant: p_value < 0.05 })
}

/// Category codes of `names`, each required to be a category of the file.
fn codes(dataset: &Dataset, names: &[String]) -> Result<Vec<u32>, CrossSellError> {
    let column = dataset.category.as_ref().ok_or(CrossSellError::NoCategory)?;
    names
        .iter()
        .map(|name| {
            column.labels.code(name.trim()).ok_or_else(|| {
                // A column mapped as the category by mistake may have thousands of labels.
                let mut known: Vec<&str> = column.labels.iter().take(20).collect();
                if column.labels.len() > known.len() {
                    known.push("…");
                }
                CrossSellError::UnknownCategory { name: name.clone(), known: known.join(", ") }
            })
        })
        .collect()
}

/// Measures cross-purchase from the anchor to the targets up to `as_of`, by `period`.
///
/// # Errors
/// [`CrossSellError`]: no category column, nothing chosen, a name that is not a category, a
/// category on both sides, or parameters out of range.
pub fn cross_sell(dataset: &Dataset, as_of: Day, period: Period, params: &CrossSellParams) -> Result<CrossSell, CrossSellError> {
    params.check()?;
    let (anchor, targets) = params.resolve(dataset)?;
    let (Some(days), Some(amounts), Some(category)) = (&dataset.day, &dataset.amount, &dataset.category) else {
        return Err(CrossSellError::NoCategory);
    };
    let labels = category.labels.len();
    let (mut is_anchor, mut is_target) = (vec![false; labels], vec![false; labels]);
    anchor.iter().for_each(|&c| is_anchor[c as usize] = true);
    targets.iter().for_each(|&c| is_target[c as usize] = true);
    // The purchases of a side: (customer code, day).
    let purchases = |side: &[bool], each: &mut dyn FnMut(usize, Day)| {
        for (((&c, &d), &a), &k) in dataset.customer.iter().zip(days).zip(amounts).zip(&category.codes) {
            if c != MISSING && k != MISSING && d <= as_of && !a.is_sign_negative() && !a.is_nan() && side[k as usize] {
                each(c as usize, d);
            }
        }
    };
    let customers = dataset.customers.len();
    let mut anchor_day: Vec<Option<Day>> = vec![None; customers];
    purchases(&is_anchor, &mut |c, d| {
        let first = anchor_day[c].get_or_insert(d);
        *first = (*first).min(d);
    });
    // Each anchor buyer's first target purchase counted after the anchor, and whether they bought
    // a target at all.
    let mut target_after: Vec<Option<Day>> = vec![None; customers];
    let mut any_target = vec![false; customers];
    let earliest = if params.same_day { 0 } else { 1 };
    purchases(&is_target, &mut |c, d| {
        any_target[c] = true;
        if let Some(a) = anchor_day[c] {
            if d - a >= earliest {
                let first = target_after[c].get_or_insert(d);
                *first = (*first).min(d);
            }
        }
    });
    let n = params.within_days;
    let first_period = anchor_day.iter().flatten().map(|&d| period.of(d)).min();
    let last_period = period.of(as_of);
    let mut periods: Vec<CrossSellPeriod> = first_period
        .map(|p0| {
            (p0..=last_period)
                .map(|p| CrossSellPeriod { label: period.label(p), anchor_buyers: 0, converted: Share::default() })
                .collect()
        })
        .unwrap_or_default();
    let (mut anchor_buyers, mut too_recent, mut converted, mut not_yet) = (0, 0, Share::default(), 0);
    let mut waits: Vec<i32> = Vec::new();
    let mut pending = vec![false; customers];
    for c in 0..customers {
        let Some(a) = anchor_day[c] else { continue };
        anchor_buyers += 1;
        if !any_target[c] {
            not_yet += 1;
            pending[c] = true;
        }
        let in_time = target_after[c].filter(|&t| t - a <= n);
        if let Some(row) = first_period.and_then(|p0| periods.get_mut((period.of(a) - p0) as usize)) {
            row.anchor_buyers += 1;
            if as_of - a >= n {
                row.converted.of += 1;
                row.converted.hits += usize::from(in_time.is_some());
            }
        }
        if as_of - a < n {
            too_recent += 1;
            continue;
        }
        converted.of += 1;
        if let Some(t) = in_time {
            converted.hits += 1;
            waits.push(t - a);
        }
    }
    waits.sort_unstable();
    let median_days = match waits.len() {
        0 => None,
        k if k % 2 == 1 => Some(f64::from(waits[k / 2])),
        k => Some((f64::from(waits[k / 2 - 1]) + f64::from(waits[k / 2])) / 2.0),
    };
    Ok(CrossSell {
        params: params.clone(),
        anchor_buyers,
        too_recent,
        converted,
        share: converted.rate(),
        ci95: wilson(converted.hits, converted.of),
        median_days,
        test: params.benchmark.and_then(|b| against_benchmark(converted, b)),
        not_yet,
        period,
        periods,
        pending,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::dataset::Categorical;
    use crate::core::values::day_from_ymd;

    const EPS: f64 = 1e-9;

    fn day(m: u32, d: u32) -> Day {
        if m == 12 {
            day_from_ymd(2023, 12, d).unwrap()
        } else {
            day_from_ymd(2024, m, d).unwrap()
        }
    }

    /// Rows of (customer, month, day, amount, category); December is 2023's.
    fn dataset(rows: &[(&str, u32, u32, f64, &str)]) -> Dataset {
        let mut ds =
            Dataset { day: Some(vec![]), amount: Some(vec![]), category: Some(Categorical::default()), ..Dataset::default() };
        for &(c, m, d, a, k) in rows {
            let code = ds.customers.intern(c);
            ds.customer.push(code);
            ds.day.as_mut().unwrap().push(day(m, d));
            ds.amount.as_mut().unwrap().push(a);
            ds.category.as_mut().unwrap().push(k);
        }
        ds
    }

    /// Eight customers worked out by hand, as of March 31st, 2024, within 30 days:
    /// - a: phone Jan 1, band Jan 15 — converted in 14 days;
    /// - b: phone Jan 5, band Mar 1 (56 days) — too late, but has a target;
    /// - c: phone and speaker on Jan 10 — converted in 0 days when same-day purchases count;
    /// - d: band Dec 1, phone Jan 20 — the target came first: not converted, not "not yet";
    /// - e: phone Feb 1 — 59 days seen, not converted, not yet;
    /// - f: phone Mar 20 — 11 days seen: too recent, not yet;
    /// - g: band only — no anchor buyer;
    /// - h: phone Jan 2, a band returned Jan 3 (a return is no purchase) — not yet.
    fn shop() -> Dataset {
        dataset(&[
            ("a", 1, 1, 999.0, "手机"),
            ("a", 1, 15, 199.0, "手环"),
            ("b", 1, 5, 999.0, "手机"),
            ("b", 3, 1, 199.0, "手环"),
            ("c", 1, 10, 999.0, "手机"),
            ("c", 1, 10, 299.0, "音箱"),
            ("d", 12, 1, 199.0, "手环"),
            ("d", 1, 20, 999.0, "手机"),
            ("e", 2, 1, 999.0, "手机"),
            ("f", 3, 20, 999.0, "手机"),
            ("g", 2, 2, 199.0, "手环"),
            ("h", 1, 2, 999.0, "手机"),
            ("h", 1, 3, -199.0, "手环"),
        ])
    }

    fn params(same_day: bool) -> CrossSellParams {
        CrossSellParams {
            anchor: vec!["手机".into()],
            targets: vec!["手环".into(), "音箱".into()],
            within_days: 30,
            same_day,
            benchmark: Some(0.28),
        }
    }

    #[test]
    fn a_handful_of_anchor_buyers_worked_out_by_hand() {
        let ds = shop();
        let x = cross_sell(&ds, day(3, 31), Period::Month, &params(true)).unwrap();
        assert_eq!((x.anchor_buyers, x.too_recent, x.not_yet), (7, 1, 3));
        assert_eq!(x.converted, Share { hits: 2, of: 6 });
        assert_eq!(x.median_days, Some(7.0), "the median of 0 and 14 days");
        let pending: Vec<&str> =
            (0..ds.customers.len() as u32).filter(|&c| x.pending[c as usize]).map(|c| ds.customers.name(c).unwrap()).collect();
        assert_eq!(pending, ["e", "f", "h"]);
        let months: Vec<(&str, usize, Share)> =
            x.periods.iter().map(|p| (p.label.as_str(), p.anchor_buyers, p.converted)).collect();
        assert_eq!(
            months,
            [
                ("2024-01", 5, Share { hits: 2, of: 5 }),
                ("2024-02", 1, Share { hits: 0, of: 1 }),
                ("2024-03", 1, Share::default())
            ]
        );
        // Without same-day purchases, c's speaker no longer counts.
        let later = cross_sell(&ds, day(3, 31), Period::Month, &params(false)).unwrap();
        assert_eq!((later.converted, later.median_days), (Share { hits: 1, of: 6 }, Some(14.0)));
    }

    #[test]
    fn the_share_s_interval_and_benchmark_test_match_statsmodels() {
        // statsmodels: proportion_confint(2, 6, method='wilson') = (0.0967714, 0.7000067);
        // proportions_ztest(2, 6, value=0.28, prop_var=0.28) = (z 0.290957, p 0.771084).
        let x = cross_sell(&shop(), day(3, 31), Period::Month, &params(true)).unwrap();
        let (lo, hi) = x.ci95.unwrap();
        assert!((lo - 0.096_771_411).abs() < 1e-8 && (hi - 0.700_006_685).abs() < 1e-8, "{lo} {hi}");
        let t = x.test.unwrap();
        assert!((t.z.unwrap() - 0.290_957_187).abs() < 1e-8);
        assert!((t.p_value.unwrap() - 0.771_084_063).abs() < 1e-8);
        assert!(!t.significant);
        assert!((t.difference - (2.0 / 6.0 - 0.28)).abs() < EPS);
        // statsmodels: proportion_confint(81, 263, method='wilson') = (0.2552885, 0.3662096).
        let (lo, hi) = wilson(81, 263).unwrap();
        assert!((lo - 0.255_288_520).abs() < 1e-8 && (hi - 0.366_209_577).abs() < 1e-8);
    }

    #[test]
    fn choices_that_cannot_be_measured_are_refused_with_a_reason() {
        let ds = shop();
        let at = day(3, 31);
        let with = |f: &dyn Fn(&mut CrossSellParams)| {
            let mut p = params(true);
            f(&mut p);
            cross_sell(&ds, at, Period::Month, &p).unwrap_err().code()
        };
        assert_eq!(with(&|p| p.anchor.clear()), "cross_sell_nothing_chosen");
        assert_eq!(with(&|p| p.targets = vec!["电视".into()]), "unknown_category");
        assert_eq!(with(&|p| p.targets.push("手机".into())), "cross_sell_both");
        assert_eq!(with(&|p| p.benchmark = Some(28.0)), "cross_sell_params");
        assert_eq!(with(&|p| (p.same_day, p.within_days) = (false, 0)), "cross_sell_params");
        let no_category = Dataset { category: None, ..shop() };
        assert_eq!(cross_sell(&no_category, at, Period::Month, &params(true)).unwrap_err().code(), "no_category");
        let err =
            cross_sell(&ds, at, Period::Month, &CrossSellParams { targets: vec!["TV".into()], ..params(true) }).unwrap_err();
        assert_eq!(err.to_string(), "'TV' is not a category of the file (categories: 手机, 手环, 音箱)");
    }
}
