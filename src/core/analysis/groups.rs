//! A group of customers in figures: how many, their revenue and shares, mean recency, frequency
//! and spend, repurchase rate and order value. Every grouping (segments, classes, tiers, stages,
//! pyramid tiers) is summed the same way, customer by customer, in one pass.

use crate::core::analysis::customers::CustomerFacts;
use serde::{Deserialize, Serialize};

/// Totals for one group of customers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupStat {
    /// The group's key (segment name, class key, `A`…).
    pub key: String,
    /// The Chinese name where there is one.
    pub zh: Option<String>,
    pub customers: usize,
    /// `None` (like every figure of money here) when the file has no amounts.
    pub revenue: Option<f64>,
    pub customer_share: f64,
    pub revenue_share: Option<f64>,
    pub mean_recency_days: f64,
    pub mean_frequency: f64,
    pub mean_monetary: Option<f64>,
    /// Share of the group's customers with two or more orders.
    pub repurchase_rate: f64,
    /// Revenue per order.
    pub average_order_value: Option<f64>,
}

/// A group's running totals, added up customer by customer in the order of the facts: one pass over
/// the customers gives every group of a grouping (the sums are the same additions, in the same
/// order, as adding up a list of the group's members).
#[derive(Debug, Clone, Copy)]
pub struct Totals {
    pub(crate) customers: usize,
    /// Sums start at −0.0, as `Iterator::sum` does for floats.
    pub(crate) monetary: f64,
    pub(crate) recency_days: f64,
    pub(crate) frequency: f64,
    pub(crate) repeat: usize,
    pub(crate) orders: u64,
}

impl Default for Totals {
    fn default() -> Self {
        Self { customers: 0, monetary: -0.0, recency_days: -0.0, frequency: -0.0, repeat: 0, orders: 0 }
    }
}

impl Totals {
    pub fn add(&mut self, c: &CustomerFacts) {
        self.customers += 1;
        self.monetary += c.monetary;
        self.recency_days += f64::from(c.recency_days);
        self.frequency += f64::from(c.frequency);
        self.repeat += usize::from(c.frequency >= 2);
        self.orders += u64::from(c.frequency);
    }

    /// `sum` per customer of the group (0 for none).
    pub(crate) fn mean(&self, sum: f64) -> f64 {
        if self.customers == 0 {
            0.0
        } else {
            sum / self.customers as f64
        }
    }

    /// The group's [`GroupStat`] among `all` customers making `total_revenue` (`None`: the file
    /// has no amounts, and the group's figures of money are `None` too).
    pub fn stat(&self, key: String, zh: Option<String>, all: usize, total_revenue: Option<f64>) -> GroupStat {
        let n = self.customers;
        let revenue = self.monetary + 0.0;
        let money = |x: f64| total_revenue.map(|_| x);
        GroupStat {
            key,
            zh,
            customers: n,
            revenue: money(revenue),
            customer_share: if all == 0 { 0.0 } else { n as f64 / all as f64 },
            revenue_share: total_revenue.map(|t| if t.abs() > 0.0 { revenue / t } else { 0.0 }),
            mean_recency_days: self.mean(self.recency_days),
            mean_frequency: self.mean(self.frequency),
            mean_monetary: money(self.mean(self.monetary)),
            repurchase_rate: if n == 0 { 0.0 } else { self.repeat as f64 / n as f64 },
            average_order_value: money(if self.orders == 0 { 0.0 } else { revenue / self.orders as f64 }),
        }
    }
}
