//! The per-customer summary the buy-till-you-die models take, from transactions.
//!
//! # Rules
//! - A purchase day is a day with at least one row of the customer whose amount is not negative
//!   (nor −0, the mark of an order refunded in full)
//!   (a day with only refunds is not a purchase); several rows on one day are one purchase.
//! - Calibration: purchase days up to and including `calibration_end`. Customers whose first
//!   purchase is after it are left out.
//! - x = purchase days after the first (repeat purchases); t_x = last purchase day − first; T =
//!   calibration end − first; times in the chosen unit (a week is 7 days of day-resolution time).
//! - Monetary value = the mean of the customer's repeat purchase days' totals (the first day is the
//!   trial and is left out); 0 without repeats.
//! - Holdout: purchase days after `calibration_end` up to and including `holdout_end`.

use crate::core::dataset::Dataset;
use crate::core::values::{format_day, Day, Money};
use serde::{Deserialize, Serialize};

/// The time unit of x, t_x and T.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Day,
    #[default]
    Week,
}

impl Unit {
    pub fn days(self) -> f64 {
        match self {
            Unit::Day => 1.0,
            Unit::Week => 7.0,
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            Unit::Day => "day",
            Unit::Week => "week",
        }
    }
}

/// One customer's summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerSummary {
    /// The customer's code in the dataset.
    pub customer: u32,
    pub first: Day,
    pub x: f64,
    pub t_x: f64,
    pub t: f64,
    pub monetary: f64,
    /// Purchase days in the holdout period (0 without a holdout).
    pub holdout: f64,
    /// Day offsets (in units, from the first purchase) of the repeat purchases in calibration and
    /// holdout, for the tracking plot.
    #[serde(skip)]
    pub repeats: Vec<f64>,
}

/// The summary of all customers.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub unit: Unit,
    pub calibration_end: Day,
    pub holdout_end: Option<Day>,
    pub customers: Vec<CustomerSummary>,
}

/// Why there is no summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SummaryError {
    NoDates,
    /// The rows are not purchases (a survey, a member list).
    NotPurchases(crate::core::analysis::customers::FactsError),
    NoneBefore(String),
    HoldoutBeforeCalibration,
}

impl std::fmt::Display for SummaryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoDates => write!(f, "CLV needs purchase dates: map a date column"),
            Self::NotPurchases(e) => write!(f, "{e}"),
            Self::NoneBefore(d) => write!(f, "no customer bought on or before the calibration end {d}: choose a later date"),
            Self::HoldoutBeforeCalibration => write!(f, "the holdout end must be after the calibration end"),
        }
    }
}

impl Summary {
    /// The holdout length in units (0 without a holdout).
    pub fn holdout_length(&self) -> f64 {
        self.holdout_end.map_or(0.0, |h| f64::from(h - self.calibration_end) / self.unit.days())
    }
}

/// Summarises the customers of `ds`. Without an amount column every row is a purchase (of nothing:
/// the mean repeat value is 0, and Gamma-Gamma is not fitted).
///
/// # Errors
/// [`SummaryError`] when dates are not mapped, nobody bought by the calibration end, or the
/// holdout ends before the calibration.
pub fn summarise(ds: &Dataset, calibration_end: Day, holdout_end: Option<Day>, unit: Unit) -> Result<Summary, SummaryError> {
    let days = ds.day.as_ref().ok_or(SummaryError::NoDates)?;
    crate::core::analysis::customers::purchases(ds).map_err(SummaryError::NotPurchases)?;
    let amount = |i: usize| ds.amount_or_zero(i);
    if holdout_end.is_some_and(|h| h <= calibration_end) {
        return Err(SummaryError::HoldoutBeforeCalibration);
    }
    let last = holdout_end.unwrap_or(calibration_end);
    // (customer, day, amount) of the rows up to the end of the holdout, grouped by customer and day.
    let mut rows: Vec<(u32, Day, f64)> = (0..ds.rows())
        .filter(|&i| days[i] <= last && !amount(i).is_sign_negative() && ds.customer[i] != crate::core::dataset::MISSING)
        .map(|i| (ds.customer[i], days[i], amount(i)))
        .collect();
    rows.sort_unstable_by_key(|r| (r.0, r.1));
    let mut out = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let customer = rows[i].0;
        // The customer's purchase days with their totals (exact: the same in any order of the rows).
        let mut days: Vec<(Day, Money)> = Vec::new();
        while i < rows.len() && rows[i].0 == customer {
            let (_, day, amount) = rows[i];
            match days.last_mut() {
                Some((d, total)) if *d == day => total.add(amount),
                _ => days.push((day, Money::of([amount]))),
            }
            i += 1;
        }
        let purchases: Vec<(Day, f64)> = days.into_iter().map(|(d, total)| (d, total.value())).collect();
        let first = purchases[0].0;
        if first > calibration_end {
            continue;
        }
        let calibration: Vec<&(Day, f64)> = purchases.iter().filter(|(d, _)| *d <= calibration_end).collect();
        let x = calibration.len() - 1;
        let u = unit.days();
        let last_day = calibration.last().map_or(first, |p| p.0);
        let monetary = if x == 0 { 0.0 } else { Money::of(calibration[1..].iter().map(|p| p.1)).value() / x as f64 };
        out.push(CustomerSummary {
            customer,
            first,
            x: x as f64,
            t_x: f64::from(last_day - first) / u,
            t: f64::from(calibration_end - first) / u,
            monetary,
            holdout: (purchases.len() - calibration.len()) as f64,
            repeats: purchases[1..].iter().map(|p| f64::from(p.0 - first) / u).collect(),
        });
    }
    if out.is_empty() {
        return Err(SummaryError::NoneBefore(format_day(calibration_end)));
    }
    Ok(Summary { unit, calibration_end, holdout_end, customers: out })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ingest::{ingest, IngestOptions};
    use crate::core::values::day_from_ymd;

    #[test]
    fn repeats_recency_and_age_follow_the_rules() {
        let text = "id,date,amount\na,2024-01-01,10\na,2024-01-01,5\na,2024-01-08,20\na,2024-01-15,-3\na,2024-01-29,40\nb,2024-01-20,7\nc,2024-02-10,9\n";
        let ds = ingest(text.as_bytes(), "t.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap().dataset;
        let end = day_from_ymd(2024, 1, 29).unwrap();
        let s = summarise(&ds, end, day_from_ymd(2024, 2, 12), Unit::Week).unwrap();
        // c first bought after the calibration end: left out.
        assert_eq!(s.customers.len(), 2);
        let a = &s.customers[0];
        // Days 1, 8 and 29 (the refund day is not a purchase): x = 2, t_x = 4 weeks, T = 4 weeks.
        assert_eq!((a.x, a.t_x, a.t), (2.0, 4.0, 4.0));
        assert_eq!(a.monetary, 30.0, "mean of the repeat days 20 and 40; the trial day 15 is left out");
        let b = &s.customers[1];
        assert_eq!((b.x, b.t_x, b.monetary), (0.0, 0.0, 0.0));
        assert!((b.t - 9.0 / 7.0).abs() < 1e-12);
        assert_eq!(s.holdout_length(), 2.0);
        let days = summarise(&ds, end, None, Unit::Day).unwrap();
        assert_eq!((days.customers[0].t_x, days.customers[0].holdout), (28.0, 0.0));
        assert_eq!(summarise(&ds, end, Some(end), Unit::Day), Err(SummaryError::HoldoutBeforeCalibration));
        assert!(matches!(summarise(&ds, day_from_ymd(2023, 1, 1).unwrap(), None, Unit::Day), Err(SummaryError::NoneBefore(_))));
    }
}
