//! Customer states period by period, the Markov transition matrix between them, a projection of the
//! state mix, and the per-period KPIs that come from the same walk (repurchase and reactivation).
//!
//! # Rules (issue 3)
//! In each period (month or quarter) a customer who has bought before or in it is in one state:
//! - bought in the period: *new* if it holds their first order; *won back* if their previous order was
//!   more than the churn window (default 365 days) before this one; *loyal* if they bought in at least
//!   3 of the last 4 periods (this one included); *repeat* otherwise;
//! - did not buy: *lapsed* if their last order is within the churn window of the period's end,
//!   *churned* otherwise.
//!
//! The transition matrix counts, for every pair of consecutive periods, each customer's state in the
//! first against their state in the second; row probabilities divide by the row total. A projection
//! multiplies the last period's state mix by the probability matrix (no new customers assumed).
//! A customer is *dormant* at a period's start when their last order is at least the dormancy
//! threshold (default 180 days) before it; the reactivation rate is the share of dormant customers who
//! buy within the period.

use crate::core::analysis::customers::CustomerFacts;
use crate::core::values::{day_from_ymd, ymd_from_day, Day};
use serde::{Deserialize, Serialize};

/// Period length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    #[default]
    Month,
    Quarter,
}

impl Period {
    /// The period index of a day (months or quarters since year 0).
    pub fn of(self, day: Day) -> i32 {
        let (y, m, _) = ymd_from_day(day);
        match self {
            Period::Month => y * 12 + (m as i32 - 1),
            Period::Quarter => y * 4 + (m as i32 - 1) / 3,
        }
    }

    /// First day of period `p`.
    pub fn start(self, p: i32) -> Day {
        let (y, m0) = match self {
            Period::Month => (p.div_euclid(12), p.rem_euclid(12)),
            Period::Quarter => (p.div_euclid(4), p.rem_euclid(4) * 3),
        };
        day_from_ymd(y, m0 as u32 + 1, 1).unwrap_or(0) // invariant: month 1..=12, day 1
    }

    /// Last day of period `p`.
    pub fn end(self, p: i32) -> Day {
        self.start(p + 1) - 1
    }

    /// `2024-03` or `2024Q1`.
    pub fn label(self, p: i32) -> String {
        match self {
            Period::Month => format!("{:04}-{:02}", p.div_euclid(12), p.rem_euclid(12) + 1),
            Period::Quarter => format!("{:04}Q{}", p.div_euclid(4), p.rem_euclid(4) + 1),
        }
    }
}

/// A customer's state in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    New,
    Repeat,
    Loyal,
    WonBack,
    Lapsed,
    Churned,
}

impl State {
    pub const ALL: [State; 6] = [State::New, State::Repeat, State::Loyal, State::WonBack, State::Lapsed, State::Churned];
    pub fn index(self) -> usize {
        self as usize
    }
    pub fn zh(self) -> &'static str {
        match self {
            State::New => "新客",
            State::Repeat => "复购",
            State::Loyal => "忠诚",
            State::WonBack => "召回",
            State::Lapsed => "沉默",
            State::Churned => "流失",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            State::New => "New",
            State::Repeat => "Repeat",
            State::Loyal => "Loyal",
            State::WonBack => "Won back",
            State::Lapsed => "Lapsed",
            State::Churned => "Churned",
        }
    }
}

/// Parameters of the state walk.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StateParams {
    pub period: Period,
    pub churn_days: i32,
    pub dormant_days: i32,
    /// How many projected periods.
    pub horizon: usize,
}

impl Default for StateParams {
    fn default() -> Self {
        Self { period: Period::Month, churn_days: 365, dormant_days: 180, horizon: 4 }
    }
}

/// Counts of transitions from row state to column state.
pub type Matrix = [[usize; 6]; 6];

/// Per-period figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodStats {
    pub label: String,
    /// Customers in each state (indexed by [`State::index`]).
    pub mix: [usize; 6],
    pub buyers: usize,
    /// Buyers who had bought before this period.
    pub repeat_buyers: usize,
    pub dormant_at_start: usize,
    pub reactivated: usize,
}

impl PeriodStats {
    pub fn repurchase_rate(&self) -> f64 {
        ratio(self.repeat_buyers, self.buyers)
    }
    pub fn reactivation_rate(&self) -> f64 {
        ratio(self.reactivated, self.dormant_at_start)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// The walk's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatesResult {
    pub params: StateParams,
    pub periods: Vec<PeriodStats>,
    pub transitions: Matrix,
    pub last_transitions: Matrix,
    /// Projected state shares for the next `horizon` periods.
    pub projection: Vec<[f64; 6]>,
    /// Each customer's state in the last period, in the order of the facts.
    pub current: Vec<State>,
    /// Each customer's state in the period before the last (`None` if they were not yet a customer).
    pub previous: Vec<Option<State>>,
}

/// Row probabilities of a count matrix (a row with no transitions stays all zero).
pub fn probabilities<const N: usize>(m: &[[usize; N]; N]) -> [[f64; N]; N] {
    let mut p = [[0.0; N]; N];
    for (out, row) in p.iter_mut().zip(m) {
        let total: usize = row.iter().sum();
        for (x, &count) in out.iter_mut().zip(row) {
            *x = ratio(count, total);
        }
    }
    p
}

/// The shares of `mix` (counts) carried `horizon` periods forward by the probabilities `p`, no one
/// joining; a state with no observed moves keeps its share where it is.
pub fn project<const N: usize>(mix: &[usize; N], p: &[[f64; N]; N], horizon: usize) -> Vec<[f64; N]> {
    let total: usize = mix.iter().sum();
    let mut shares = mix.map(|count| ratio(count, total));
    let mut projection = Vec::with_capacity(horizon);
    for _ in 0..horizon {
        let mut next = [0.0; N];
        for (share, row) in shares.iter().zip(p) {
            for (x, prob) in next.iter_mut().zip(row) {
                *x += share * prob;
            }
        }
        for (i, row) in p.iter().enumerate() {
            if row.iter().sum::<f64>() == 0.0 {
                next[i] += shares[i];
            }
        }
        projection.push(next);
        shares = next;
    }
    projection
}

/// Walks every customer through the periods up to the one holding `as_of − 1`.
pub fn walk(customers: &[CustomerFacts], as_of: Day, params: &StateParams) -> StatesResult {
    let period = params.period;
    let first = customers.iter().filter_map(|c| c.order_days.first()).min().copied().unwrap_or(as_of - 1);
    let (p0, p_last) = (period.of(first), period.of(as_of - 1).max(period.of(first)));
    let n_periods = (p_last - p0 + 1) as usize;
    let mut periods: Vec<PeriodStats> = (0..n_periods)
        .map(|k| PeriodStats {
            label: period.label(p0 + k as i32),
            mix: [0; 6],
            buyers: 0,
            repeat_buyers: 0,
            dormant_at_start: 0,
            reactivated: 0,
        })
        .collect();
    let mut transitions = [[0usize; 6]; 6];
    let mut last_transitions = [[0usize; 6]; 6];
    let mut current = Vec::with_capacity(customers.len());
    let mut before_last = Vec::with_capacity(customers.len());
    // Where each period starts, and where the one after the last does: computed once, not per
    // customer (a million customers walk the same calendar).
    let starts: Vec<Day> = (0..=n_periods).map(|k| period.start(p0 + k as i32)).collect();
    // The period of a day on or after the first one's start (`n_periods` or more: after the last).
    let period_of = |d: Day| starts.partition_point(|&s| s <= d) - 1;
    let mut bought = vec![false; n_periods];
    for c in customers {
        let days = &c.order_days;
        let Some(&first_day) = days.first() else {
            current.push(State::Churned);
            before_last.push(None);
            continue;
        };
        bought.fill(false);
        for &d in days {
            let k = period_of(d);
            if k < n_periods {
                bought[k] = true;
            }
        }
        let mut previous: Option<State> = None;
        let mut second_last: Option<State> = None;
        // The customer's order days before the period's start (the periods come in order).
        let mut before = 0;
        for k in period_of(first_day)..n_periods {
            let (start, end) = (starts[k], starts[k + 1] - 1);
            while days.get(before).is_some_and(|&d| d < start) {
                before += 1;
            }
            let last_before = before.checked_sub(1).map(|i| days[i]);
            let stats = &mut periods[k];
            if let Some(last) = last_before {
                if start - last >= params.dormant_days {
                    stats.dormant_at_start += 1;
                    if bought[k] {
                        stats.reactivated += 1;
                    }
                }
            }
            let state = if bought[k] {
                stats.buyers += 1;
                match last_before {
                    None => State::New,
                    Some(last) => {
                        stats.repeat_buyers += 1;
                        if days[before] - last > params.churn_days {
                            State::WonBack
                        } else if bought[k.saturating_sub(3)..=k].iter().filter(|&&b| b).count() >= 3 {
                            State::Loyal
                        } else {
                            State::Repeat
                        }
                    }
                }
            } else {
                // No order in the period: the last on or before its end is the last before it.
                let last = days[before.saturating_sub(1)];
                if end - last <= params.churn_days {
                    State::Lapsed
                } else {
                    State::Churned
                }
            };
            stats.mix[state.index()] += 1;
            if let Some(prev) = previous {
                transitions[prev.index()][state.index()] += 1;
                if k + 1 == n_periods {
                    last_transitions[prev.index()][state.index()] += 1;
                }
            }
            if k + 1 == n_periods {
                second_last = previous;
            }
            previous = Some(state);
        }
        current.push(previous.unwrap_or(State::New));
        before_last.push(second_last);
    }
    let p = probabilities(&transitions);
    let projection = project(&periods.last().map_or([0; 6], |last| last.mix), &p, params.horizon);
    StatesResult { params: *params, periods, transitions, last_transitions, projection, current, previous: before_last }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Day {
        day_from_ymd(y, m, day).unwrap()
    }

    fn customer(order_days: &[Day]) -> CustomerFacts {
        CustomerFacts::with_orders(0, order_days)
    }

    fn states_of(days: &[Day], as_of: Day) -> Vec<State> {
        let r = walk(&[customer(days)], as_of, &StateParams::default());
        r.periods.iter().filter_map(|p| State::ALL.iter().copied().find(|s| p.mix[s.index()] == 1)).collect()
    }

    #[test]
    fn periods_have_labels_and_bounds() {
        let p = Period::Month.of(d(2024, 3, 15));
        assert_eq!(Period::Month.label(p), "2024-03");
        assert_eq!((Period::Month.start(p), Period::Month.end(p)), (d(2024, 3, 1), d(2024, 3, 31)));
        let q = Period::Quarter.of(d(2024, 11, 2));
        assert_eq!(Period::Quarter.label(q), "2024Q4");
        assert_eq!((Period::Quarter.start(q), Period::Quarter.end(q)), (d(2024, 10, 1), d(2024, 12, 31)));
    }

    #[test]
    fn each_state_rule_applies() {
        use State::*;
        // Buys Jan, Feb, Mar, then nothing until April next year (more than 365 days after March).
        let days = [d(2023, 1, 5), d(2023, 2, 5), d(2023, 3, 5), d(2024, 4, 5)];
        let got = states_of(&days, d(2024, 5, 1));
        assert_eq!(got.len(), 16);
        assert_eq!(&got[..4], &[New, Repeat, Loyal, Lapsed]);
        // 2024-03-31 − 2023-03-05 = 392 days > 365: churned in March 2024.
        assert_eq!(got[14], Churned);
        assert_eq!(got[13], Lapsed, "2024-02-29 is 361 days after the last order");
        assert_eq!(got[15], WonBack);
    }

    #[test]
    fn loyal_needs_three_of_the_last_four_periods() {
        use State::*;
        let days = [d(2023, 1, 5), d(2023, 2, 5), d(2023, 4, 5), d(2023, 6, 5)];
        // Apr: bought Jan, Feb, Apr of Jan–Apr = 3 → loyal. Jun: Mar–Jun holds Apr and Jun = 2 → repeat.
        assert_eq!(states_of(&days, d(2023, 7, 1)), vec![New, Repeat, Lapsed, Loyal, Lapsed, Repeat]);
    }

    #[test]
    fn transitions_count_consecutive_periods_and_rows_sum_to_one() {
        let customers = vec![
            customer(&[d(2023, 1, 5), d(2023, 2, 5)]),
            customer(&[d(2023, 1, 9)]),
            customer(&[d(2023, 2, 9), d(2023, 3, 9)]),
        ];
        let r = walk(&customers, d(2023, 4, 1), &StateParams::default());
        assert_eq!(r.periods.len(), 3);
        let t = &r.transitions;
        use State::*;
        assert_eq!(t[New.index()][Repeat.index()], 2, "Jan→Feb for the first, Feb→Mar for the third");
        assert_eq!(t[New.index()][Lapsed.index()], 1);
        assert_eq!(t[Repeat.index()][Lapsed.index()], 1);
        assert_eq!(t[Lapsed.index()][Lapsed.index()], 1);
        assert_eq!(t.iter().flatten().sum::<usize>(), 5);
        assert_eq!(r.last_transitions.iter().flatten().sum::<usize>(), 3);
        for row in probabilities(t) {
            let s: f64 = row.iter().sum();
            assert!(s == 0.0 || (s - 1.0).abs() < 1e-12);
        }
        for mix in &r.projection {
            assert!((mix.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{mix:?}");
        }
        assert_eq!(r.current, vec![Lapsed, Lapsed, Repeat]);
        assert_eq!(r.previous, vec![Some(Repeat), Some(Lapsed), Some(New)]);
        // The last transition's cells are exactly the (previous, current) pairs.
        for (prev, cur) in r.previous.iter().zip(&r.current) {
            assert!(r.last_transitions[prev.unwrap().index()][cur.index()] > 0);
        }
    }

    #[test]
    fn repurchase_and_reactivation_are_counted_per_period() {
        let customers = vec![customer(&[d(2023, 1, 5), d(2023, 9, 5)]), customer(&[d(2023, 1, 6), d(2023, 2, 6)])];
        let r = walk(&customers, d(2023, 10, 1), &StateParams::default());
        let feb = &r.periods[1];
        assert_eq!((feb.buyers, feb.repeat_buyers), (1, 1));
        assert!((feb.repurchase_rate() - 1.0).abs() < 1e-12);
        // September: the first customer's last order was 2023-01-05, 239 days before 09-01: dormant, and buys.
        // The second's was 2023-02-06, 207 days before: dormant, does not buy.
        let sep = &r.periods[8];
        assert_eq!((sep.dormant_at_start, sep.reactivated), (2, 1));
        assert!((sep.reactivation_rate() - 0.5).abs() < 1e-12);
    }
}
