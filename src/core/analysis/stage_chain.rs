//! The lifecycle stages as a Markov chain: every customer's stage at the end of each period (month
//! or quarter), the moves between consecutive periods, and the end of the relationship (终止) as
//! the absorbing state — so that a business sees how stages move and how likely each is to move
//! towards the end.
//!
//! # Rules
//! - At the end of each of the last [`MAX_PERIODS`] periods (the last one: up to the as-of date), a
//!   customer who has ordered by then is in the stage the stage rule gives on the orders up to
//!   that day (`lifecycle::stage_of`): one of the four, or *终止 (end)* when their last order is
//!   more than the churn window before that day.
//! - The transition matrix counts each customer's state at one period's end against the next, for
//!   every pair of consecutive periods (whole history) and for the last pair; probabilities divide
//!   by the row's total. A customer who orders again after 终止 moves out of it as the data shows
//!   (in the matrix and the projection); the expected periods treat 终止 as the end.
//! - Expected periods until 终止 from each stage: t = (I − Q)⁻¹·1, Q the whole history's
//!   probabilities among the four stages (none for a stage from which the end is not certain).
//! - Projection: the last period's mix times the probability matrix, `horizon` times (no new
//!   customers).

use crate::core::analysis::customers::CustomerFacts;
use crate::core::analysis::lifecycle::{stage_with, Stage, StageParams, Window};
use crate::core::analysis::states::{probabilities, project, Period};
use crate::core::values::Day;
use serde::{Deserialize, Serialize};

/// The most recent periods the chain walks through (two years of months).
pub const MAX_PERIODS: usize = 25;

/// Counts of moves from row state to column state ([`Stage::index`] order: the four stages, then 终止).
pub type ChainMatrix = [[usize; 5]; 5];

/// The chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct StageChain {
    pub period: Period,
    /// Days without an order after which a customer is in 终止.
    pub churn_days: i32,
    /// The periods walked, oldest first, and the mix of states at each one's end.
    pub periods: Vec<String>,
    pub mix: Vec<[usize; 5]>,
    pub transitions: ChainMatrix,
    pub probabilities: [[f64; 5]; 5],
    pub last_transitions: ChainMatrix,
    pub last_probabilities: [[f64; 5]; 5],
    /// Expected periods until 终止 from each of the four stages (`None` where the chain never gets
    /// there from it).
    pub expected_periods_to_end: [Option<f64>; 4],
    /// The last period's mix (shares) projected 1..=horizon periods ahead.
    pub projection: Vec<[f64; 5]>,
    /// Each customer's state at the end of the last period and of the one before (`None`: not a
    /// customer yet), in the order of the facts; for the customer lists, not sent to the page.
    #[serde(skip)]
    pub current: Vec<Option<Stage>>,
    #[serde(skip)]
    pub previous: Vec<Option<Stage>>,
}

/// Solves (I − Q) t = 1 for the four stages by Gaussian elimination with partial pivoting; `None`
/// for a stage from which the end is not certain (the chain can move from it, directly or through
/// other stages, to a stage that never reaches 终止: the expected time is then unbounded).
fn expected_to_end(p: &[[f64; 5]; 5]) -> [Option<f64>; 4] {
    // The stages that reach 终止 with positive probability, directly or through others…
    let mut reaches = [false; 4];
    for (i, r) in reaches.iter_mut().enumerate() {
        *r = p[i][4] > 0.0;
    }
    loop {
        let mut changed = false;
        for i in 0..4 {
            if !reaches[i] && (0..4).any(|j| reaches[j] && p[i][j] > 0.0) {
                reaches[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    // …and of those, the ones that cannot move to a stage that does not: there the end is certain,
    // and the system over them is well posed.
    let mut certain = reaches;
    loop {
        let mut changed = false;
        for i in 0..4 {
            if certain[i] && (0..4).any(|j| !certain[j] && p[i][j] > 0.0) {
                certain[i] = false;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let idx: Vec<usize> = (0..4).filter(|&i| certain[i]).collect();
    let n = idx.len();
    // [I − Q | 1] over those stages.
    let mut a: Vec<Vec<f64>> = idx
        .iter()
        .map(|&i| {
            let mut row: Vec<f64> = idx.iter().map(|&j| if i == j { 1.0 - p[i][j] } else { -p[i][j] }).collect();
            row.push(1.0);
            row
        })
        .collect();
    for col in 0..n {
        let pivot = (col..n).max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs())).unwrap_or(col);
        if a[pivot][col].abs() < 1e-12 {
            return [None; 4];
        }
        a.swap(col, pivot);
        let pivot_row = a[col].clone();
        for (r, row) in a.iter_mut().enumerate() {
            if r != col {
                let f = row[col] / pivot_row[col];
                for (x, p) in row.iter_mut().zip(&pivot_row).skip(col) {
                    *x -= f * p;
                }
            }
        }
    }
    let mut out = [None; 4];
    for (k, &i) in idx.iter().enumerate() {
        let t = a[k][n] / a[k][k];
        out[i] = (t.is_finite() && t > 0.0).then_some(t);
    }
    out
}

/// Walks every customer through the ends of the last [`MAX_PERIODS`] periods up to `as_of`.
pub fn chain(
    customers: &[CustomerFacts],
    as_of: Day,
    period: Period,
    churn_days: i32,
    params: &StageParams,
    horizon: usize,
) -> StageChain {
    let Some(first) = customers.iter().filter_map(|c| c.order_days.first()).min().copied() else {
        return StageChain { period, churn_days, ..StageChain::default() };
    };
    let last = period.of(as_of - 1);
    let p0 = period.of(first).max(last - MAX_PERIODS as i32 + 1);
    // The day after each period's end (after the as-of date for the last one): the orders before it
    // count, and the stage is the one on its eve.
    let ends: Vec<Day> = (p0..=last).map(|p| if p == last { as_of + 1 } else { period.end(p) + 1 }).collect();
    let n = ends.len();
    let mut mix = vec![[0usize; 5]; n];
    let mut transitions = [[0usize; 5]; 5];
    let mut last_transitions = [[0usize; 5]; 5];
    let (mut current, mut previous) = (Vec::with_capacity(customers.len()), Vec::with_capacity(customers.len()));
    // Each customer's running spend totals, kept once for the walk through every period's end.
    let mut cumulative: Vec<f64> = Vec::new();
    for c in customers {
        let days = &c.order_days;
        cumulative.clear();
        cumulative.push(0.0);
        for s in &c.order_spend {
            cumulative.push(cumulative[cumulative.len() - 1] + s);
        }
        let mut before: Option<Stage> = None;
        let mut second_last = None;
        let mut seen = 0;
        // The orders before the window: the window only moves forward.
        let mut split = 0;
        for (k, &at) in ends.iter().enumerate() {
            // Orders strictly before the day the period is seen from.
            while seen < days.len() && days[seen] < at {
                seen += 1;
            }
            let state = (seen > 0).then(|| {
                stage_with(&days[..seen], at - 1, params, churn_days, |window_start| {
                    while split < seen && days[split] < window_start {
                        split += 1;
                    }
                    Window { split, upto: seen, before: cumulative[split], through: cumulative[seen] }
                })
            });
            if let Some(s) = state {
                mix[k][s.index()] += 1;
                if let Some(b) = before {
                    transitions[b.index()][s.index()] += 1;
                    if k == n - 1 {
                        last_transitions[b.index()][s.index()] += 1;
                    }
                }
            }
            second_last = before;
            before = state;
        }
        current.push(before);
        previous.push(second_last);
    }
    let probabilities = probabilities(&transitions);
    let projection = project(&mix.last().copied().unwrap_or_default(), &probabilities, horizon);
    StageChain {
        period,
        churn_days,
        periods: (p0..=last).map(|p| period.label(p)).collect(),
        mix,
        transitions,
        probabilities,
        last_probabilities: self::probabilities(&last_transitions),
        last_transitions,
        expected_periods_to_end: expected_to_end(&probabilities),
        projection,
        current,
        previous,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::values::parse_iso_date;

    fn day(text: &str) -> Day {
        parse_iso_date(text).unwrap()
    }

    fn customer(code: u32, days: &[&str]) -> CustomerFacts {
        CustomerFacts::with_orders(code, &days.iter().map(|d| day(d)).collect::<Vec<_>>())
    }

    const E: usize = 0;
    const F: usize = 1;
    const S: usize = 2;
    const END: usize = 4;

    /// Three customers walked month by month by hand (a 60-day window, churn after 90 days, stable
    /// from 2 orders in the window, seen up to May 1st, 2024):
    ///
    /// | customer | orders                     | Jan  | Feb  | Mar  | Apr (as of May 1)    |
    /// |----------|----------------------------|------|------|------|----------------------|
    /// | X        | Jan 10                     | 考察 | 考察 | 考察 | 终止 (112 days > 90)  |
    /// | Y        | Jan 5, Feb 5, Mar 5, Apr 5 | 考察 | 形成 | 稳定 | 稳定                  |
    /// | Z        | Mar 20                     | —    | —    | 考察 | 考察                  |
    ///
    /// Y at the end of February: two orders, both inside the window Dec 31 – Feb 29: a relationship
    /// forming. At the end of March: window Feb 1 – Mar 31 holds 2 orders; before it, 1 order in 27
    /// days = 0.45 windows, a rate of 2.22; 2 is neither above 1.25 × 2.22 nor below 0.75 × 2.22,
    /// and reaches the level of 2: stable. At May 1st: window Mar 3 – May 1 holds 2; before, 2 in
    /// 58 days (0.967 windows), rate 2.07: stable again.
    #[test]
    fn a_stage_walk_month_by_month_worked_out_by_hand() {
        let customers = [
            customer(0, &["2024-01-10"]),
            customer(1, &["2024-01-05", "2024-02-05", "2024-03-05", "2024-04-05"]),
            customer(2, &["2024-03-20"]),
        ];
        let params = StageParams { window_days: 60, ..StageParams::default() };
        let c = chain(&customers, day("2024-05-01"), Period::Month, 90, &params, 2);
        assert_eq!(c.periods, ["2024-01", "2024-02", "2024-03", "2024-04"]);
        assert_eq!(c.mix, vec![[2, 0, 0, 0, 0], [1, 1, 0, 0, 0], [2, 0, 1, 0, 0], [1, 0, 1, 0, 1]]);
        let mut want = [[0usize; 5]; 5];
        want[E][E] = 3; // X twice, Z once
        want[E][F] = 1; // Y in February
        want[F][S] = 1; // Y in March
        want[E][END] = 1; // X in April
        want[S][S] = 1; // Y in April
        assert_eq!(c.transitions, want);
        let mut last = [[0usize; 5]; 5];
        (last[E][END], last[S][S], last[E][E]) = (1, 1, 1);
        assert_eq!(c.last_transitions, last);
        assert_eq!(c.probabilities[E], [3.0 / 5.0, 1.0 / 5.0, 0.0, 0.0, 1.0 / 5.0]);
        assert_eq!(c.current, [Some(Stage::End), Some(Stage::Stability), Some(Stage::Exploration)]);
        assert_eq!(c.previous, [Some(Stage::Exploration), Some(Stage::Stability), Some(Stage::Exploration)]);
        // Stability never reaches 终止 in these data, and Exploration and Formation lead to it: no
        // finite time.
        assert_eq!(c.expected_periods_to_end, [None; 4]);
        // One period ahead: Exploration (1/3) splits 3:1:1, Stability (1/3) stays, 终止 (1/3) keeps its own.
        let third = 1.0 / 3.0;
        let ahead = c.projection[0];
        let want = [third * 3.0 / 5.0, third / 5.0, third, 0.0, third + third / 5.0];
        assert!(ahead.iter().zip(want).all(|(a, b)| (a - b).abs() < 1e-12), "{ahead:?}");
        assert!((c.projection[1].iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn expected_periods_to_the_end_solve_the_absorbing_chain() {
        // Exploration: stays half the time, else ends: 1 / (1 − 0.5) = 2 periods. Decline: the same,
        // 2. Stability: stays 0.8, declines 0.2: t = 1 + 0.8 t + 0.2 · 2, so t = 7. Formation always
        // becomes stable: 1 + 7 = 8.
        let mut p = [[0.0; 5]; 5];
        (p[0][0], p[0][4]) = (0.5, 0.5);
        p[1][2] = 1.0;
        (p[2][2], p[2][3]) = (0.8, 0.2);
        (p[3][3], p[3][4]) = (0.5, 0.5);
        let t = expected_to_end(&p);
        let want = [2.0, 8.0, 7.0, 2.0];
        for (got, want) in t.iter().zip(want) {
            assert!((got.unwrap() - want).abs() < 1e-9, "{t:?}");
        }
        // Stability never ends; Decline ends half the time and else becomes stable for good, so its
        // end is not certain, nor Formation's, which always declines. Exploration always ends: 1.
        let mut p = [[0.0; 5]; 5];
        p[0][4] = 1.0;
        p[1][3] = 1.0;
        p[2][2] = 1.0;
        (p[3][2], p[3][4]) = (0.5, 0.5);
        assert_eq!(expected_to_end(&p), [Some(1.0), None, None, None]);
    }

    #[test]
    fn the_last_state_is_the_stage_of_the_stages_page() {
        let customers = [
            customer(0, &["2023-01-10", "2023-03-01", "2023-09-15", "2024-02-01", "2024-04-20"]),
            customer(1, &["2022-05-01", "2022-06-01"]),
            customer(2, &["2024-04-01", "2024-04-02"]),
            customer(3, &["2020-01-01"]),
        ];
        let (as_of, params) = (day("2024-05-01"), StageParams::default());
        let c = chain(&customers, as_of, Period::Month, 365, &params, 1);
        for (k, f) in customers.iter().enumerate() {
            assert_eq!(c.current[k], Some(crate::core::analysis::lifecycle::stage(f, as_of, &params, 365)), "customer {k}");
        }
        assert_eq!(c.current[3], Some(Stage::End));
        // From January 2020 to April 2024, the last 25 months only.
        assert_eq!((c.periods.len(), c.periods[0].as_str()), (MAX_PERIODS, "2022-04"));
    }
}
