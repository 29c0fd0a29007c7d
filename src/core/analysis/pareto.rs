//! ABC / Pareto analysis of revenue concentration: A, B and C classes, the Lorenz curve, the Gini
//! coefficient, and the share of revenue from the top 20% of customers.
//!
//! # Formula
//! Customers are sorted by revenue, highest first (ties by customer code, so results are stable).
//! A customer is class A while the cumulative revenue share before them is below the A cut (default
//! 80%), B below A + B cut (default 95%), C otherwise; customers with no positive revenue are C.
//! Gini over revenues x₁ ≤ … ≤ xₙ (negative values count as 0):
//! `G = 2 Σ i·xᵢ / (n Σ xᵢ) − (n + 1) / n`, 0 when all are equal, approaching 1 when one customer has
//! everything.

use serde::{Deserialize, Serialize};

/// The class of a customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Abc {
    A,
    B,
    C,
}

impl Abc {
    pub const ALL: [Abc; 3] = [Abc::A, Abc::B, Abc::C];
    pub fn label(self) -> &'static str {
        match self {
            Abc::A => "A",
            Abc::B => "B",
            Abc::C => "C",
        }
    }
}

/// Cut points as shares of revenue; validated by [`AbcParams::check`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AbcParams {
    /// Share of revenue made by class A (default 0.80).
    pub a: f64,
    /// Share of revenue made by class B (default 0.15).
    pub b: f64,
}

impl Default for AbcParams {
    fn default() -> Self {
        Self { a: 0.80, b: 0.15 }
    }
}

/// ABC cuts that cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AbcError {
    #[error("ABC cuts must be shares between 0 and 1 adding up to at most 1 (got A {a} and B {b})")]
    Cuts { a: f64, b: f64 },
}

impl AbcError {
    /// A stable key for the page to translate.
    pub fn code(&self) -> &'static str {
        "abc_cuts"
    }
}

impl AbcParams {
    /// # Errors
    /// [`AbcError::Cuts`] when the cuts are not shares in (0, 1) adding up to at most 1.
    pub fn check(&self) -> Result<(), AbcError> {
        let ok = |x: f64| x.is_finite() && x > 0.0 && x < 1.0;
        if !ok(self.a) || !ok(self.b) || self.a + self.b > 1.0 + 1e-12 {
            return Err(AbcError::Cuts { a: self.a, b: self.b });
        }
        Ok(())
    }
}

/// The result for a set of customers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pareto {
    /// Each customer's class, in the order the revenues were given.
    pub classes: Vec<Abc>,
    /// Points (share of customers, share of revenue) of the Lorenz curve, from (0, 0) to (1, 1),
    /// customers taken from the lowest revenue up; at most `LORENZ_POINTS` + 1 points.
    pub lorenz: Vec<(f64, f64)>,
    pub gini: f64,
    /// Share of revenue from the top 20% of customers (rounded up to whole customers).
    pub top20_share: f64,
}

/// How finely the Lorenz curve is sampled for charts.
pub const LORENZ_POINTS: usize = 100;

/// Classifies customers by revenue.
///
/// # Errors
/// When the cut points are invalid (see [`AbcParams::check`]).
pub fn pareto(revenues: &[f64], params: AbcParams) -> Result<Pareto, AbcError> {
    params.check()?;
    let n = revenues.len();
    let positive: Vec<f64> = revenues.iter().map(|&x| if x.is_finite() { x.max(0.0) } else { 0.0 }).collect();
    let total: f64 = positive.iter().sum();
    // Highest revenue first, then by position: the values side by side with their positions, so
    // that a comparison does not look the value up, and a total order, so an unstable sort is exact.
    let mut keyed: Vec<(f64, usize)> = positive.iter().copied().zip(0..).collect();
    keyed.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut classes = vec![Abc::C; n];
    let mut before = 0.0;
    // Customers with equal revenue share a class (the one the first of them gets), so that the
    // classes never depend on the order customers appear in the file.
    let mut group: Option<(f64, f64)> = None;
    for &(x, i) in &keyed {
        let share_before = match group {
            Some((value, share)) if value == x => share,
            _ => {
                let share = if total > 0.0 { before / total } else { 1.0 };
                group = Some((x, share));
                share
            }
        };
        if x > 0.0 {
            classes[i] = if share_before < params.a - 1e-12 {
                Abc::A
            } else if share_before < params.a + params.b - 1e-12 {
                Abc::B
            } else {
                Abc::C
            };
        }
        before += x;
    }
    let top = n.div_ceil(5);
    let top20_share = if total > 0.0 { keyed.iter().take(top).map(|&(x, _)| x).sum::<f64>() / total } else { 0.0 };
    // The same values from the lowest up (values that compare equal are the same bits).
    let ascending: Vec<f64> = keyed.iter().rev().map(|&(x, _)| x).collect();
    let gini = if total > 0.0 && n > 0 {
        let weighted: f64 = ascending.iter().enumerate().map(|(i, &x)| (i + 1) as f64 * x).sum();
        2.0 * weighted / (n as f64 * total) - (n as f64 + 1.0) / n as f64
    } else {
        0.0
    };
    let mut lorenz = vec![(0.0, 0.0)];
    if n > 0 {
        let mut cumulative = Vec::with_capacity(n);
        let mut sum = 0.0;
        for &x in &ascending {
            sum += x;
            cumulative.push(sum);
        }
        let steps = n.min(LORENZ_POINTS);
        for k in 1..=steps {
            let count = (k * n).div_ceil(steps);
            let y = if total > 0.0 { cumulative[count - 1] / total } else { count as f64 / n as f64 };
            lorenz.push((count as f64 / n as f64, y));
        }
    }
    Ok(Pareto { classes, lorenz, gini, top20_share })
}

#[cfg(test)]
mod tests {
    use super::*;

    const EPS: f64 = 1e-12;

    #[test]
    fn classes_follow_the_cumulative_revenue_cuts() {
        // 50 + 30 = 80 (A: the 30 starts at 50% < 80%), 10 starts at 80% (B), 5 at 90% (B), 3 at 95% (C).
        let p = pareto(&[5.0, 30.0, 50.0, 10.0, 3.0], AbcParams::default()).unwrap();
        assert_eq!(p.classes, vec![Abc::B, Abc::A, Abc::A, Abc::B, Abc::C]);
    }

    #[test]
    fn equal_revenues_share_a_class_whatever_their_order() {
        // 50 + 30 = 80 (A), 12 starts at 80% (B); the two customers with 4 start at 92% and 96%,
        // either side of the 95% cut: both get the class of the first, B, in any order.
        for revenues in [[50.0, 30.0, 12.0, 4.0, 4.0], [4.0, 30.0, 12.0, 4.0, 50.0]] {
            let p = pareto(&revenues, AbcParams::default()).unwrap();
            let tied: Vec<Abc> = revenues.iter().zip(&p.classes).filter(|(r, _)| **r == 4.0).map(|(_, c)| *c).collect();
            assert_eq!(tied, vec![Abc::B, Abc::B]);
        }
    }

    #[test]
    fn customers_without_positive_revenue_are_class_c() {
        let p = pareto(&[0.0, -5.0, 10.0], AbcParams::default()).unwrap();
        assert_eq!(p.classes, vec![Abc::C, Abc::C, Abc::A]);
    }

    #[test]
    fn gini_is_zero_for_equal_revenues_and_hand_computed_otherwise() {
        assert!(pareto(&[7.0; 10], AbcParams::default()).unwrap().gini.abs() < EPS);
        // One of five has everything: 2·5·100 / (5·100) − 6/5 = 0.8.
        assert!((pareto(&[0.0, 0.0, 100.0, 0.0, 0.0], AbcParams::default()).unwrap().gini - 0.8).abs() < EPS);
        // 1, 2, 3: 2·(1 + 4 + 9) / (3·6) − 4/3 = 28/18 − 24/18 = 2/9.
        assert!((pareto(&[3.0, 1.0, 2.0], AbcParams::default()).unwrap().gini - 2.0 / 9.0).abs() < EPS);
    }

    #[test]
    fn top_twenty_percent_share_rounds_up_to_whole_customers() {
        // 10 customers: the top 2 have 40 + 20 of 100.
        let revenues = [40.0, 20.0, 10.0, 5.0, 5.0, 5.0, 5.0, 4.0, 3.0, 3.0];
        assert!((pareto(&revenues, AbcParams::default()).unwrap().top20_share - 0.6).abs() < EPS);
        // 3 customers: ceil(0.6) = 1 customer.
        assert!((pareto(&[1.0, 1.0, 2.0], AbcParams::default()).unwrap().top20_share - 0.5).abs() < EPS);
    }

    #[test]
    fn the_lorenz_curve_runs_from_origin_to_one_and_never_decreases() {
        let revenues: Vec<f64> = (1..=1000).map(|i| f64::from(i % 37)).collect();
        let p = pareto(&revenues, AbcParams::default()).unwrap();
        assert_eq!(p.lorenz.first(), Some(&(0.0, 0.0)));
        let last = p.lorenz.last().unwrap();
        assert!((last.0 - 1.0).abs() < EPS && (last.1 - 1.0).abs() < EPS);
        assert_eq!(p.lorenz.len(), LORENZ_POINTS + 1);
        assert!(p.lorenz.windows(2).all(|w| w[1].0 >= w[0].0 && w[1].1 >= w[0].1));
        assert!(p.lorenz.iter().all(|&(x, y)| y <= x + EPS), "a Lorenz curve lies under the diagonal");
    }

    #[test]
    fn empty_and_single_customer_inputs_are_handled() {
        let p = pareto(&[], AbcParams::default()).unwrap();
        assert_eq!((p.classes.len(), p.gini, p.top20_share), (0, 0.0, 0.0));
        let p = pareto(&[9.0], AbcParams::default()).unwrap();
        assert_eq!(p.classes, vec![Abc::A]);
        assert!((p.top20_share - 1.0).abs() < EPS);
    }

    #[test]
    fn invalid_cuts_are_refused() {
        assert!(pareto(&[1.0], AbcParams { a: 0.9, b: 0.2 }).is_err());
        assert!(pareto(&[1.0], AbcParams { a: 0.0, b: 0.2 }).is_err());
        assert!(pareto(&[1.0], AbcParams { a: f64::NAN, b: 0.2 }).is_err());
    }
}
