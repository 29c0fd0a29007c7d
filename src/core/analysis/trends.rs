//! The loyalty KPIs period by period, each a share with its counts, and the test of a change
//! between two periods (before and after a campaign, say).
//!
//! # Rules
//! One name, one definition:
//! - *Repeat-customer share* (复购客户占比) at a period's end: customers with two or more orders by
//!   then, of the customers with at least one.
//! - *Returning-buyer share* (回头客占比) in a period: buyers of the period who had bought before it, of
//!   the period's buyers.
//! - *Dormant reactivation* (沉睡唤醒率) in a period: customers dormant at its start (last order at
//!   least the dormancy days before it) who buy in it, of those dormant.
//!
//! The headline is the last *complete* period (the one holding the as-of date's eve is left out while
//! it runs: a month seen for ten days is no month) against the period before it.
//!
//! A change between two periods is tested with the two-proportion z-test (pooled standard error,
//! two-sided); its 95% interval is the unpooled Wald interval of the difference. The change is
//! called significant at p < 0.05.

use crate::core::analysis::customers::CustomerFacts;
use crate::core::analysis::states::{PeriodStats, StateParams};
use crate::core::values::Day;
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

/// `hits` of `of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Share {
    pub hits: usize,
    pub of: usize,
}

impl Share {
    /// The share, `None` of nobody.
    pub fn rate(self) -> Option<f64> {
        (self.of > 0).then(|| self.hits as f64 / self.of as f64)
    }
}

/// The test of `b` against `a`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProportionTest {
    /// `b − a`, as a share (0.13 is 13 points).
    pub difference: f64,
    /// `None` when both shares are 0 or both 1 (no variance to test against).
    pub z: Option<f64>,
    pub p_value: Option<f64>,
    /// The difference's 95% interval.
    pub ci95: (f64, f64),
    /// p < 0.05.
    pub significant: bool,
}

/// The two-proportion z-test of `b` against `a`; `None` when either has no one.
pub fn two_proportions(a: Share, b: Share) -> Option<ProportionTest> {
    let (pa, pb) = (a.rate()?, b.rate()?);
    let (na, nb) = (a.of as f64, b.of as f64);
    let difference = pb - pa;
    let half = 1.959_963_984_540_054 * (pa * (1.0 - pa) / na + pb * (1.0 - pb) / nb).sqrt();
    let ci95 = (difference - half, difference + half);
    let pooled = (a.hits + b.hits) as f64 / (na + nb);
    let se = (pooled * (1.0 - pooled) * (1.0 / na + 1.0 / nb)).sqrt();
    if se <= 0.0 {
        return Some(ProportionTest { difference, z: None, p_value: None, ci95, significant: false });
    }
    let z = difference / se;
    let p_value = 2.0 * (1.0 - Normal::standard().cdf(z.abs()));
    Some(ProportionTest { difference, z: Some(z), p_value: Some(p_value), ci95, significant: p_value < 0.05 })
}

/// The KPIs of one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KpiPeriod {
    pub label: String,
    pub repeat_customers: Share,
    pub returning_buyers: Share,
    pub reactivation: Share,
}

/// The KPI series, oldest period first (the periods of the state walk), and the latest period's
/// change against the one before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct KpiTrends {
    pub periods: Vec<KpiPeriod>,
    /// The dormancy the reactivation rule uses, in days (the rule text shows it).
    pub dormant_days: i32,
    pub latest: Option<LatestChange>,
}

/// The last period's KPIs against the period before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LatestChange {
    pub label: String,
    pub previous: String,
    pub repeat_customers: Option<ProportionTest>,
    pub returning_buyers: Option<ProportionTest>,
    pub reactivation: Option<ProportionTest>,
}

impl KpiTrends {
    /// The KPIs of the latest complete period (the one `latest` compares).
    pub fn latest_period(&self) -> Option<&KpiPeriod> {
        let latest = self.latest.as_ref()?;
        self.periods.iter().find(|p| p.label == latest.label)
    }
}

/// The series from the state walk's periods (`periods`, labelled from the first period) and the
/// customers' order days, up to `as_of`.
pub fn trends(customers: &[CustomerFacts], periods: &[PeriodStats], params: &StateParams, as_of: Day) -> KpiTrends {
    let Some(first) = customers.iter().filter_map(|c| c.order_days.first()).min() else {
        return KpiTrends { dormant_days: params.dormant_days, ..KpiTrends::default() };
    };
    let p0 = params.period.of(*first);
    let n = periods.len();
    // Customers whose first (second) order falls in each period: summed into "by the period's end".
    let (mut firsts, mut seconds) = (vec![0usize; n], vec![0usize; n]);
    let at = |d: i32| usize::try_from(params.period.of(d) - p0).ok().filter(|&k| k < n);
    for c in customers {
        // The first order is the first purchase day, kept in the facts themselves: only repeat
        // customers' order lists are read (a cache miss each, at a million customers).
        if let Some(k) = (c.frequency > 0).then_some(c.first_day).and_then(at) {
            firsts[k] += 1;
        }
        if c.frequency > 1 {
            if let Some(k) = c.order_days.get(1).and_then(|&d| at(d)) {
                seconds[k] += 1;
            }
        }
    }
    let (mut customers_by, mut repeat_by) = (0, 0);
    let out: Vec<KpiPeriod> = periods
        .iter()
        .enumerate()
        .map(|(k, p)| {
            customers_by += firsts[k];
            repeat_by += seconds[k];
            KpiPeriod {
                label: p.label.clone(),
                repeat_customers: Share { hits: repeat_by, of: customers_by },
                returning_buyers: Share { hits: p.repeat_buyers, of: p.buyers },
                reactivation: Share { hits: p.reactivated, of: p.dormant_at_start },
            }
        })
        .collect();
    // The last period, unless it had not ended by the as-of date.
    let complete = if n > 0 && as_of <= params.period.end(p0 + n as i32 - 1) { n - 1 } else { n };
    let latest = match &out[..complete] {
        [.., a, b] => Some(LatestChange {
            label: b.label.clone(),
            previous: a.label.clone(),
            repeat_customers: two_proportions(a.repeat_customers, b.repeat_customers),
            returning_buyers: two_proportions(a.returning_buyers, b.returning_buyers),
            reactivation: two_proportions(a.reactivation, b.reactivation),
        }),
        _ => None,
    };
    KpiTrends { periods: out, dormant_days: params.dormant_days, latest }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn the_textbook_two_proportion_test() {
        // 45 of 100 against 55 of 100: pooled p = 0.5, SE = √(0.5 · 0.5 · (1/100 + 1/100)) = 0.070711,
        // z = 0.10 / 0.070711 = 1.41421, two-sided p = 0.15730 (normal table); the unpooled interval
        // 0.10 ± 1.96 · √(0.45 · 0.55 / 100 + 0.55 · 0.45 / 100) = 0.10 ± 0.13790.
        let t = two_proportions(Share { hits: 45, of: 100 }, Share { hits: 55, of: 100 }).unwrap();
        assert!(close(t.difference, 0.10, 1e-12));
        assert!(close(t.z.unwrap(), std::f64::consts::SQRT_2, 1e-6), "z is √2 here");
        assert!(close(t.p_value.unwrap(), 0.157_299_2, 1e-6));
        assert!(close(t.ci95.0, 0.10 - 0.137_896, 1e-5) && close(t.ci95.1, 0.10 + 0.137_896, 1e-5));
        assert!(!t.significant);
        // The case studies' 28% → 41% repurchase, on 1,000 members each: z = 0.13 / 0.021258 = 6.115.
        let big = two_proportions(Share { hits: 280, of: 1000 }, Share { hits: 410, of: 1000 }).unwrap();
        assert!(close(big.z.unwrap(), 6.1154, 1e-3) && big.significant && big.p_value.unwrap() < 1e-8);
    }

    /// Four customers over four months, each share counted by hand (dormant after 30 days):
    ///
    /// | period  | repeat customers | returning buyers | reactivation |
    /// |---------|------------------|------------------|--------------|
    /// | 2024-01 | 0 / 2 (A, B)     | 0 / 2            | 0 / 0        |
    /// | 2024-02 | 2 / 3 (A, C)     | 1 / 2 (A)        | 0 / 0        |
    /// | 2024-03 | 2 / 4 (+D)       | 1 / 2 (C)        | 0 / 1 (B)    |
    /// | 2024-04 | 2 / 4            | 1 / 1 (A)        | 1 / 2 (A; B) |
    ///
    /// A buys on Jan 5, Feb 10 and Apr 1; B on Jan 20; C on Feb 3, Feb 25 and Mar 15; D on Mar 30,
    /// and D's refund on Apr 1 is no order.
    #[test]
    fn a_small_history_counted_by_hand() {
        use crate::core::analysis::customers::facts;
        use crate::core::analysis::states::{walk, Period};
        use crate::core::ingest::{ingest, IngestOptions};
        let csv = "customer_id,date,amount\nA,2024-01-05,10\nA,2024-02-10,20\nA,2024-04-01,5\nB,2024-01-20,7\n\
                   C,2024-02-03,3\nC,2024-02-25,4\nC,2024-03-15,6\nD,2024-03-30,8\nD,2024-04-01,-2\n";
        let ds = ingest(csv.as_bytes(), "t.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap().dataset;
        let f = facts(&ds, None).unwrap();
        let params = StateParams { period: Period::Month, churn_days: 365, dormant_days: 30, horizon: 1 };
        let t = trends(&f.customers, &walk(&f.customers, f.as_of, &params).periods, &params, f.as_of);
        let s = |hits, of| Share { hits, of };
        let got: Vec<(&str, Share, Share, Share)> =
            t.periods.iter().map(|p| (p.label.as_str(), p.repeat_customers, p.returning_buyers, p.reactivation)).collect();
        assert_eq!(
            got,
            [
                ("2024-01", s(0, 2), s(0, 2), s(0, 0)),
                ("2024-02", s(2, 3), s(1, 2), s(0, 0)),
                ("2024-03", s(2, 4), s(1, 2), s(0, 1)),
                ("2024-04", s(2, 4), s(1, 1), s(1, 2)),
            ]
        );
        assert_eq!(t.dormant_days, 30);
        // The as-of date is April 2nd: April has not ended, so March against February.
        let latest = t.latest.unwrap();
        assert_eq!((latest.label.as_str(), latest.previous.as_str()), ("2024-03", "2024-02"));
        assert!((latest.repeat_customers.unwrap().difference - (2.0 / 4.0 - 2.0 / 3.0)).abs() < 1e-12);
        assert_eq!(latest.returning_buyers.unwrap().difference, 0.0);
        assert_eq!(latest.reactivation, None, "nobody was dormant in February");
        // Seen to May 1st, April is complete: April against March.
        let may = crate::core::values::parse_iso_date("2024-05-01").unwrap();
        let f = facts(&ds, Some(may)).unwrap();
        let t = trends(&f.customers, &walk(&f.customers, f.as_of, &params).periods, &params, f.as_of);
        let latest = t.latest.unwrap();
        assert_eq!((latest.label.as_str(), latest.previous.as_str()), ("2024-04", "2024-03"));
        assert!((latest.returning_buyers.unwrap().difference - 0.5).abs() < 1e-12);
        assert!((latest.reactivation.unwrap().difference - 0.5).abs() < 1e-12);
    }

    #[test]
    fn nothing_to_test_is_said_so() {
        assert_eq!(two_proportions(Share { hits: 0, of: 0 }, Share { hits: 1, of: 2 }), None);
        let flat = two_proportions(Share { hits: 0, of: 10 }, Share { hits: 0, of: 20 }).unwrap();
        assert_eq!((flat.z, flat.p_value, flat.significant), (None, None, false));
    }
}
