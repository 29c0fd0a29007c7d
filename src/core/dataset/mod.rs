//! The validated, typed dataset: one column per role, one entry per accepted row.
//!
//! Columnar on purpose: customer ids and other labels are interned to `u32` codes ([`Labels`]),
//! dates are day numbers, amounts are `f64`, order ids 64-bit fingerprints ([`OrderIds`]).
//! Downstream metrics never look at strings again.

mod labels;
mod orders;
pub mod spill;
pub mod totals;

pub use self::labels::{Categorical, Held, Labels, Recent};
pub use self::orders::{order_key, OrderIds, NO_ORDER};
use crate::core::values::{format_day, Day};
use serde::{Deserialize, Serialize};

/// The code of a missing label.
pub const MISSING: u32 = u32::MAX;

/// Code `code` of another reader's labels as this reader's, by `map` (theirs → ours): a missing
/// label, or a code the map does not cover, is [`MISSING`].
pub fn recode(map: &[u32], code: u32) -> u32 {
    if code == MISSING {
        MISSING
    } else {
        map.get(code as usize).copied().unwrap_or(MISSING)
    }
}

/// A text column's codes, when it is mapped.
pub fn codes_of(column: &Option<Categorical>) -> Option<&[u32]> {
    column.as_ref().map(|c| c.codes.as_slice())
}

/// The value of a missing score.
pub const NO_SCORE: u8 = u8::MAX;

/// Accepted rows, column by column. Optional columns are `Some` exactly when the role is mapped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dataset {
    pub customers: Labels,
    /// Codes into `customers`; [`MISSING`] only for anonymous survey answers (a survey file may
    /// have no customer id).
    pub customer: Vec<u32>,
    pub day: Option<Vec<Day>>,
    pub amount: Option<Vec<f64>>,
    pub order: Option<OrderIds>,
    pub channel: Option<Categorical>,
    pub category: Option<Categorical>,
    pub member_level: Option<Categorical>,
    /// 0–10, or [`NO_SCORE`] where the cell was empty.
    pub score: Option<Vec<u8>>,
    /// Non-empty comments with the index of their row.
    pub comments: Option<Vec<(u32, String)>>,
    /// Whether the date column's name says registration (注册日期, signup date): a member list's
    /// dates, not purchases' — what a file without amounts cannot be analysed as.
    pub registration_dates: bool,
}

/// The first and last purchase day, as `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateRange {
    pub first: String,
    pub last: String,
}

/// Totals shown on the summary screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Totals {
    pub customers: usize,
    /// Distinct order ids when an order id is mapped, otherwise distinct customer-days; returns
    /// and rows refunded in full are not orders.
    pub orders: usize,
    pub date_range: Option<DateRange>,
    /// Sum of amounts, refunds netted.
    pub revenue: Option<f64>,
    /// Rows with a negative amount.
    pub refunds: usize,
    pub responses: usize,
    pub channels: usize,
    pub categories: usize,
}

impl Dataset {
    /// Row `row`'s amount; 0 in a file without amounts, where every row is a purchase of nothing
    /// (as the facts count it).
    pub fn amount_or_zero(&self, row: usize) -> f64 {
        self.amount.as_ref().map_or(0.0, |a| a[row])
    }

    /// Whether the file is a survey: scores and no amounts (its dates are answers, its customers
    /// may be anonymous), not purchases — a visit log has neither scores nor amounts.
    pub fn is_survey(&self) -> bool {
        self.score.is_some() && self.amount.is_none()
    }

    pub fn rows(&self) -> usize {
        self.customer.len()
    }

    /// The comment of row `row`, when it has one.
    pub fn comment(&self, row: usize) -> Option<&str> {
        let comments = self.comments.as_deref()?;
        comments.binary_search_by_key(&(row as u32), |c| c.0).ok().map(|k| comments[k].1.as_str())
    }

    pub fn totals(&self) -> Totals {
        // Returns and rows refunded in full (a negative sign, −0 included) are no orders.
        let returned = |i: usize| self.amount.as_ref().is_some_and(|a| a[i].is_sign_negative());
        let orders = match (&self.order, &self.day) {
            (Some(order), _) => match &self.amount {
                Some(amounts) => order.distinct_bought(amounts),
                None => order.distinct(),
            },
            (None, Some(days)) => distinct_customer_days(&self.customer, days, self.customers.len(), |i| !returned(i)),
            (None, None) => self.rows(),
        };
        let date_range = self.day.as_ref().and_then(|days| {
            let first = days.iter().min()?;
            let last = days.iter().max()?;
            Some(DateRange { first: format_day(*first), last: format_day(*last) })
        });
        Totals {
            customers: self.customers.len(),
            orders,
            date_range,
            // Money: cents, so that float noise (2500315.6300004106) does not reach the user.
            revenue: self
                .amount
                .as_ref()
                .map(|a| crate::core::values::to_cents(crate::core::values::Money::of(a.iter().copied()).value())),
            refunds: self.amount.as_ref().map_or(0, |a| a.iter().filter(|&&v| v < 0.0).count()),
            responses: self.score.as_ref().map_or(0, |s| s.iter().filter(|&&v| v != NO_SCORE).count()),
            channels: self.channel.as_ref().map_or(0, |c| c.labels.len()),
            categories: self.category.as_ref().map_or(0, |c| c.labels.len()),
        }
    }
}

/// How many distinct (customer, day) pairs the rows `kept` keeps have: the orders of a file without
/// order ids. Customer codes are dense, so the days are put in buckets by customer (a counting
/// pass and a scattering pass; anonymous rows, [`MISSING`], in a bucket of their own) and each
/// customer's few days sorted, rather than one hash set of every pair, which grows through many
/// rehashes and misses the cache at each row (BENCHMARKS.md, "Design measurements").
fn distinct_customer_days(customer: &[u32], days: &[Day], customers: usize, kept: impl Fn(usize) -> bool) -> usize {
    let bucket = |c: u32| if c == MISSING { customers } else { c as usize };
    let mut starts = vec![0usize; customers + 2];
    for (i, &c) in customer.iter().enumerate() {
        if kept(i) {
            starts[bucket(c) + 1] += 1;
        }
    }
    for b in 1..starts.len() {
        starts[b] += starts[b - 1];
    }
    let mut next = starts.clone();
    let mut sorted: Vec<Day> = vec![0; starts[customers + 1]];
    for (i, (&c, &d)) in customer.iter().zip(days).enumerate() {
        if kept(i) {
            let at = &mut next[bucket(c)];
            sorted[*at] = d;
            *at += 1;
        }
    }
    starts
        .windows(2)
        .map(|w| {
            let run = &mut sorted[w[0]..w[1]];
            run.sort_unstable();
            run.windows(2).filter(|p| p[0] != p[1]).count() + usize::from(!run.is_empty())
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::values::day_from_ymd;

    proptest::proptest! {
        /// Distinct (customer, day) pairs counted by customer buckets are the pairs of a set of
        /// them: anonymous rows, rows left out, customers without a row, one customer's many days.
        #[test]
        fn customer_days_by_buckets_are_the_distinct_pairs(
            rows in proptest::collection::vec((proptest::prop_oneof![0u32..40, proptest::strategy::Just(MISSING)], -3i32..30, proptest::bool::ANY), 0..600),
            customers in 40usize..60,
        ) {
            let customer: Vec<u32> = rows.iter().map(|r| r.0).collect();
            let days: Vec<Day> = rows.iter().map(|r| r.1).collect();
            let kept = |i: usize| rows[i].2;
            let pairs: std::collections::HashSet<(u32, Day)> = rows.iter().filter(|r| r.2).map(|r| (r.0, r.1)).collect();
            proptest::prop_assert_eq!(distinct_customer_days(&customer, &days, customers, kept), pairs.len());
        }
    }

    #[test]
    fn orders_are_distinct_order_ids_when_mapped() {
        let mut ds = Dataset { order: Some(OrderIds::default()), ..Dataset::default() };
        for (c, order) in [("a", "o1"), ("a", "o1"), ("a", ""), ("b", "o2"), ("b", "o3")] {
            let code = ds.customers.intern(c);
            ds.customer.push(code);
            ds.order.as_mut().unwrap().push(order);
        }
        assert_eq!(ds.totals().orders, 3);
    }

    #[test]
    fn orders_are_customer_days_without_an_order_id_and_refunds_are_netted_but_not_orders() {
        let mut ds = Dataset::default();
        for (c, d, a) in [("a", 1, 10.0), ("a", 1, 5.0), ("a", 2, -3.0), ("b", 1, 7.0)] {
            let code = ds.customers.intern(c);
            ds.customer.push(code);
            ds.day.get_or_insert_with(Vec::new).push(day_from_ymd(2024, 1, d).unwrap());
            ds.amount.get_or_insert_with(Vec::new).push(a);
        }
        let t = ds.totals();
        assert_eq!(t.customers, 2);
        // a on day 1 and b on day 1; a's day of a refund only is no order.
        assert_eq!(t.orders, 2);
        assert_eq!(t.revenue, Some(19.0));
        assert_eq!(t.refunds, 1);
        assert_eq!(t.date_range, Some(DateRange { first: "2024-01-01".into(), last: "2024-01-02".into() }));
    }
}
