//! Cohort retention: customers grouped by the period (month or quarter) of their first order, and
//! for each cohort, period by period since that first one, how many of them bought, the net
//! revenue they brought, and how many had made a second order by then.
//!
//! # Rules
//! - A customer's cohort is the period of their first order on or before the as-of date; period k
//!   of a cohort is the k-th period after it (k = 0: the first period itself, when everyone buys).
//! - *Active in k*: at least one order in period k (orders as counted everywhere: distinct order
//!   ids, or purchase days without one). Retention in k = active in k / the cohort's customers.
//! - *Revenue in k*: the net amount (refunds subtract) of the cohort's rows dated in period k (a row
//!   dated before the customer's first order, a refund of an older one, in period 0);
//!   revenue retained in k = revenue in k / revenue in period 0. Revenue is rounded to the cent.
//! - *Repeat by k*: customers whose second order is in period k or before (cumulative); a second
//!   order in the first period counts from k = 0.
//! - The periods run to the one holding the last row; it may be incomplete (`last_complete`).
//!   At most [`MAX_COHORTS`] cohorts are shown, the most recent; customers of older cohorts are
//!   counted in `left_out`.

use crate::core::analysis::customers::{CodeIndex, Facts};
use crate::core::analysis::states::Period;
use crate::core::dataset::Dataset;
use crate::core::values::{Day, Money};
use serde::{Deserialize, Serialize};

/// The most recent cohorts shown (five years of months).
pub const MAX_COHORTS: usize = 60;

/// One cohort's row of the triangle; each list has one entry per period from the cohort's first
/// to the last one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cohort {
    /// `2024-03` or `2024Q1`.
    pub label: String,
    /// The period's index (months or quarters since year 0), for the customer list.
    pub period: i32,
    pub customers: usize,
    /// Customers with an order in each period since the first.
    pub active: Vec<usize>,
    /// Net revenue of the cohort's customers in each period since the first; `None` when the file
    /// has no amounts.
    pub revenue: Option<Vec<f64>>,
    /// Customers with a second order by the end of each period since the first.
    pub repeat: Vec<usize>,
}

/// The cohort triangle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Cohorts {
    pub period: Period,
    /// Oldest first.
    pub cohorts: Vec<Cohort>,
    /// Whether the last period had ended by the as-of date.
    pub last_complete: bool,
    /// Customers of cohorts older than the ones shown.
    pub left_out: usize,
}

/// One cell of the triangle with its shares: a row of `loyalty-lens cohorts --format csv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CohortCell {
    pub cohort: String,
    pub customers: usize,
    pub k: usize,
    /// The period the cell is about.
    pub period: String,
    pub active: usize,
    /// `active / customers` (empty for a cohort without customers).
    pub retention: Option<f64>,
    /// Empty when the file has no amounts.
    pub revenue: Option<f64>,
    /// `revenue / revenue in period 0` (empty where that is not positive or there are no amounts).
    pub revenue_retained: Option<f64>,
    pub repeat: usize,
    /// `repeat / customers`.
    pub repeat_share: Option<f64>,
}

/// `a / b`, none where `b` is not positive.
fn share(a: f64, b: f64) -> Option<f64> {
    (b > 0.0).then(|| a / b)
}

impl Cohort {
    /// Retention in period k: active in k / the cohort's customers.
    pub fn retention(&self, k: usize) -> Option<f64> {
        share(self.active[k] as f64, self.customers as f64)
    }

    /// Revenue retained in period k: revenue in k / revenue in period 0.
    pub fn revenue_retained(&self, k: usize) -> Option<f64> {
        self.revenue.as_ref().and_then(|r| share(r[k], r[0]))
    }

    /// Repeat share by period k: repeat customers by then / the cohort's customers.
    pub fn repeat_share(&self, k: usize) -> Option<f64> {
        share(self.repeat[k] as f64, self.customers as f64)
    }
}

impl Cohorts {
    /// Every cell, cohort by cohort, k ascending.
    pub fn cells(&self) -> Vec<CohortCell> {
        self.cohorts
            .iter()
            .flat_map(|c| {
                (0..c.active.len()).map(move |k| CohortCell {
                    cohort: c.label.clone(),
                    customers: c.customers,
                    k,
                    period: self.period.label(c.period + k as i32),
                    active: c.active[k],
                    retention: c.retention(k),
                    revenue: c.revenue.as_ref().map(|r| r[k]),
                    revenue_retained: c.revenue_retained(k),
                    repeat: c.repeat[k],
                    repeat_share: c.repeat_share(k),
                })
            })
            .collect()
    }
}

/// The cohort triangle of `facts` (computed from `ds` up to `facts.as_of`).
pub fn cohorts(ds: &Dataset, facts: &Facts, period: Period) -> Cohorts {
    let customers = &facts.customers;
    // The days the rows span: a refund may come after a customer's last order, or before the first.
    let days = ds.day.as_deref().unwrap_or_default();
    let span = days
        .iter()
        .filter(|&&d| d <= facts.as_of)
        .fold(None, |span: Option<(Day, Day)>, &d| Some(span.map_or((d, d), |(lo, hi)| (lo.min(d), hi.max(d)))));
    let (Some((d0, d1)), Some(first)) = (span, customers.iter().map(|c| c.first_day).min()) else {
        return Cohorts { period, ..Cohorts::default() };
    };
    let d0 = d0.min(first);
    // The period of each day from the first row to the last, looked up rather than worked out for
    // every row (at most 73,000 days: dates are read from 1900 to 2100).
    let table: Vec<i32> = (d0..=d1).map(|d| period.of(d)).collect();
    let period_of = |d: Day| table[(d - d0) as usize];
    let (first, last) = (period_of(first), period_of(d1));
    let oldest = first.max(last - MAX_COHORTS as i32 + 1);
    let mut rows: Vec<Cohort> = (oldest..=last)
        .map(|p| {
            let n = (last - p + 1) as usize;
            Cohort {
                label: period.label(p),
                period: p,
                customers: 0,
                active: vec![0; n],
                revenue: ds.amount.is_some().then(|| vec![0.0; n]),
                repeat: vec![0; n],
            }
        })
        .collect();
    let mut left_out = 0;
    // Each customer's cohort (`None`: left out), in the order of the facts.
    let mut cohort_of = Vec::with_capacity(customers.len());
    for c in customers {
        let p = period_of(c.first_day);
        if p < oldest {
            left_out += 1;
            cohort_of.push(None);
            continue;
        }
        cohort_of.push(Some(p));
        let row = &mut rows[(p - oldest) as usize];
        row.customers += 1;
        let mut previous = None;
        for &day in &c.order_days {
            let q = period_of(day);
            if previous != Some(q) {
                row.active[(q - p) as usize] += 1;
                previous = Some(q);
            }
        }
        if let Some(&second) = c.order_days.get(1) {
            // Counted where it happens; summed into "by then" below.
            row.repeat[(period_of(second) - p) as usize] += 1;
        }
    }
    for row in &mut rows {
        for k in 1..row.repeat.len() {
            row.repeat[k] += row.repeat[k - 1];
        }
    }
    if let (Some(days), Some(amounts)) = (&ds.day, &ds.amount) {
        // Added up exactly (the same in any order of the rows), then to the cent, as amounts are.
        let mut sums: Vec<Vec<Money>> = rows.iter().map(|r| vec![Money::default(); r.active.len()]).collect();
        let index = CodeIndex::new(customers);
        for ((&code, &day), &amount) in ds.customer.iter().zip(days).zip(amounts) {
            if day > facts.as_of {
                continue;
            }
            if let Some(p) = index.get(code).and_then(|i| cohort_of[i]) {
                // A row dated before the customer's first order (a refund of an older one) counts in the first period.
                sums[(p - oldest) as usize][(period_of(day) - p).max(0) as usize].add(amount);
            }
        }
        for (row, sums) in rows.iter_mut().zip(sums) {
            if let Some(revenue) = &mut row.revenue {
                // +0.0 makes −0 zero.
                revenue.iter_mut().zip(sums).for_each(|(r, sum)| *r = crate::core::values::to_cents(sum.value()));
            }
        }
    }
    Cohorts { period, cohorts: rows, last_complete: facts.as_of > period.end(last), left_out }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::analysis::customers::facts;
    use crate::core::ingest::{ingest, IngestOptions};

    fn read(csv: &str) -> Dataset {
        ingest(csv.as_bytes(), "t.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap().dataset
    }

    /// Eight purchases of four customers over four months, the triangle worked out by hand:
    ///
    /// | cohort  | customers | active (Jan…Apr) | revenue          | repeat by then |
    /// |---------|-----------|------------------|------------------|----------------|
    /// | 2024-01 | A, B      | 2, 1, 0, 1       | 17, 20, 0, 5     | 0, 1, 1, 1     |
    /// | 2024-02 | C         | 1, 1, 0          | 7, 6, 0          | 1, 1, 1        |
    /// | 2024-03 | D         | 1, 0             | 8, −2            | 0, 0           |
    /// | 2024-04 | —         | 0                | 0                | 0              |
    ///
    /// A buys in January, February and April; B once in January; C twice in February (the second
    /// order counts as a repeat from k = 0) and once in March; D in March, with a refund of 2 in
    /// April (revenue, not an order).
    const SMALL: &str = "customer_id,date,amount\n\
        A,2024-01-05,10\nA,2024-02-10,20\nA,2024-04-01,5\nB,2024-01-20,7\n\
        C,2024-02-03,3\nC,2024-02-25,4\nC,2024-03-15,6\nD,2024-03-30,8\nD,2024-04-01,-2\n";

    #[test]
    fn a_small_triangle_worked_out_by_hand() {
        let ds = read(SMALL);
        let f = facts(&ds, None).unwrap();
        let t = cohorts(&ds, &f, Period::Month);
        /// A cohort's label, customers, active, revenue and repeat.
        type Row<'a> = (&'a str, usize, &'a [usize], &'a [f64], &'a [usize]);
        let got: Vec<Row> = t
            .cohorts
            .iter()
            .map(|c| (c.label.as_str(), c.customers, &c.active[..], &c.revenue.as_ref().unwrap()[..], &c.repeat[..]))
            .collect();
        assert_eq!(
            got,
            vec![
                ("2024-01", 2, &[2, 1, 0, 1][..], &[17.0, 20.0, 0.0, 5.0][..], &[0, 1, 1, 1][..]),
                ("2024-02", 1, &[1, 1, 0][..], &[7.0, 6.0, 0.0][..], &[1, 1, 1][..]),
                ("2024-03", 1, &[1, 0][..], &[8.0, -2.0][..], &[0, 0][..]),
                ("2024-04", 0, &[0][..], &[0.0][..], &[0][..]),
            ]
        );
        // The default as-of date is the day after the last order: April has not ended.
        assert!(!t.last_complete);
        assert_eq!(t.left_out, 0);
        let june = crate::core::values::parse_iso_date("2024-06-01").unwrap();
        assert!(cohorts(&ds, &facts(&ds, Some(june)).unwrap(), Period::Month).last_complete);
        let cells = t.cells();
        assert_eq!(cells.len(), 4 + 3 + 2 + 1);
        let jan_feb = &cells[1];
        assert_eq!((jan_feb.cohort.as_str(), jan_feb.k, jan_feb.period.as_str()), ("2024-01", 1, "2024-02"));
        assert_eq!(
            (jan_feb.retention, jan_feb.revenue_retained, jan_feb.repeat_share),
            (Some(0.5), Some(20.0 / 17.0), Some(0.5))
        );
        assert_eq!((cells[9].retention, cells[9].revenue_retained), (None, None), "April has no cohort");
    }

    #[test]
    fn quarters_put_the_same_purchases_in_one_cohort() {
        let ds = read(SMALL);
        let t = cohorts(&ds, &facts(&ds, None).unwrap(), Period::Quarter);
        assert_eq!(t.cohorts.len(), 2);
        let q1 = &t.cohorts[0];
        assert_eq!(
            (q1.label.as_str(), q1.customers, &q1.active[..], &q1.repeat[..]),
            ("2024Q1", 4, &[4, 1][..], &[2, 2][..]),
            "D's April refund is no order"
        );
        assert_eq!(q1.revenue.as_deref().unwrap(), vec![7.0 + 10.0 + 20.0 + 3.0 + 4.0 + 6.0 + 8.0, 5.0 - 2.0]);
        assert_eq!((t.cohorts[1].label.as_str(), t.cohorts[1].customers), ("2024Q2", 0));
    }

    #[test]
    fn an_as_of_date_leaves_later_rows_out_and_every_customer_and_amount_is_counted_once() {
        let ds = read(SMALL);
        let march = crate::core::values::parse_iso_date("2024-03-20").unwrap();
        let f = facts(&ds, Some(march)).unwrap();
        let t = cohorts(&ds, &f, Period::Month);
        assert_eq!(t.cohorts.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(), ["2024-01", "2024-02", "2024-03"]);
        assert_eq!(t.cohorts.iter().map(|c| c.customers).sum::<usize>(), f.customers.len());
        let revenue: f64 = t.cohorts.iter().flat_map(|c| c.revenue.iter().flatten()).sum();
        let monetary: f64 = f.customers.iter().map(|c| c.monetary).sum();
        assert!((revenue - monetary).abs() < 0.005 * 6.0, "{revenue} vs {monetary}");
        assert_eq!(t.cohorts[2].customers, 0, "D's first order is after the as-of date");
    }

    #[test]
    fn refunds_before_the_first_order_or_after_the_last_count_where_the_rules_say() {
        // F's refund of an older order comes before F's first order in the file; G's refund is the
        // file's last row, a month after every order.
        let ds = read("customer_id,date,amount\nF,2024-01-02,-1\nF,2024-02-02,9\nG,2024-02-10,5\nG,2024-03-12,-5\n");
        let t = cohorts(&ds, &facts(&ds, None).unwrap(), Period::Month);
        let labels: Vec<&str> = t.cohorts.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, ["2024-02", "2024-03"], "cohorts by first order; the periods run to the last row");
        assert_eq!(t.cohorts[0].customers, 2);
        assert_eq!(t.cohorts[0].revenue.as_deref().unwrap(), vec![9.0 - 1.0 + 5.0, -5.0]);
        assert_eq!(t.cohorts[0].active, vec![2, 0], "a refund is no order");
    }

    #[test]
    fn only_the_most_recent_cohorts_are_shown_and_the_others_are_counted() {
        let mut csv = String::from("customer_id,date,amount\n");
        for m in 0..70 {
            csv.push_str(&format!("c{m},{}-{:02}-15,1\n", 2015 + m / 12, m % 12 + 1));
        }
        let ds = read(&csv);
        let t = cohorts(&ds, &facts(&ds, None).unwrap(), Period::Month);
        assert_eq!(t.cohorts.len(), MAX_COHORTS);
        assert_eq!(t.left_out, 10);
        assert_eq!(t.cohorts[0].label, "2015-11");
        assert_eq!(t.cohorts.last().map(|c| c.active.clone()), Some(vec![1]));
    }
}
