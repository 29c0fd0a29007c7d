//! Behavioural × attitudinal loyalty (Dick & Basu's loyalty matrix): what customers do (their
//! state at the end of the last period) against what they say (their latest survey answer), and
//! whether promoters and detractors buy again after answering.
//!
//! # Rules
//! - Behaviour: *loyal* (the state Loyal), *repeat* (Repeat or Won back), *new* (New), *lapsed*
//!   (Lapsed or Churned).
//! - Attitude: the customer's latest answer — promoter 9–10, passive 7–8, detractor 0–6.
//! - True loyalty = loyal or repeat × promoter; spurious = loyal or repeat × detractor; latent =
//!   lapsed × promoter; no loyalty = lapsed × detractor. New customers and passives are counted in
//!   the grid, in no quadrant.
//! - Bought again after answering: an order on a day after the latest answer's, up to the as-of
//!   date, among the customers whose answer is dated; promoters against detractors with the
//!   two-proportion test of `trends`.

use crate::core::analysis::customers::{CodeIndex, Facts};
use crate::core::analysis::nps::Survey;
use crate::core::analysis::states::State;
use crate::core::analysis::trends::{two_proportions, ProportionTest, Share};
use crate::core::values::Day;
use serde::{Deserialize, Serialize};

/// What a customer does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Behaviour {
    Loyal,
    Repeat,
    New,
    Lapsed,
}

impl Behaviour {
    pub const ALL: [Behaviour; 4] = [Behaviour::Loyal, Behaviour::Repeat, Behaviour::New, Behaviour::Lapsed];

    pub fn of(state: State) -> Self {
        match state {
            State::Loyal => Self::Loyal,
            State::Repeat | State::WonBack => Self::Repeat,
            State::New => Self::New,
            State::Lapsed | State::Churned => Self::Lapsed,
        }
    }
}

/// What a customer says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attitude {
    Promoter,
    Passive,
    Detractor,
}

impl Attitude {
    pub const ALL: [Attitude; 3] = [Attitude::Promoter, Attitude::Passive, Attitude::Detractor];

    pub fn of(score: u8) -> Self {
        match score {
            9.. => Self::Promoter,
            7..=8 => Self::Passive,
            _ => Self::Detractor,
        }
    }

    /// `promoter`, `passive` or `detractor`: as it is serialised, for the lists' columns.
    pub fn key(self) -> &'static str {
        match self {
            Self::Promoter => "promoter",
            Self::Passive => "passive",
            Self::Detractor => "detractor",
        }
    }
}

/// Customers and their net spend (`None` when the file has no amounts).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Cell {
    pub customers: usize,
    pub revenue: Option<f64>,
}

/// The matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoyaltyMatrix {
    /// Rows in [`Behaviour::ALL`] order, columns in [`Attitude::ALL`] order.
    pub cells: Vec<Vec<Cell>>,
    pub true_loyalty: Cell,
    pub latent: Cell,
    pub spurious: Cell,
    pub no_loyalty: Cell,
    /// Customers with an answer.
    pub answered: usize,
    /// Promoters and detractors with a dated answer who ordered after it.
    pub promoters_bought_after: Share,
    pub detractors_bought_after: Share,
    /// Detractors against promoters.
    pub test: Option<ProportionTest>,
}

/// Each customer's latest answer (attitude and day), in the order of `facts`.
pub fn attitudes(survey: &Survey, facts: &Facts) -> Vec<Option<(Attitude, Option<Day>)>> {
    let index = CodeIndex::new(&facts.customers);
    let mut out = vec![None; facts.customers.len()];
    let Some(scores) = survey.answers.score.as_ref() else { return out };
    let days = survey.answers.day.as_ref();
    for (code, row) in survey.latest(index.codes()).into_iter().enumerate() {
        if let (Some(row), Some(k)) = (row, index.get(code as u32)) {
            out[k] = Some((Attitude::of(scores[row]), days.map(|d| d[row])));
        }
    }
    out
}

/// The matrix of `facts`' customers by their `states` and `attitudes` (both in the facts' order);
/// `None` when nobody answered.
pub fn matrix(facts: &Facts, states: &[State], attitudes: &[Option<(Attitude, Option<Day>)>]) -> Option<LoyaltyMatrix> {
    let empty = Cell { customers: 0, revenue: facts.amounts.then_some(0.0) };
    let mut cells = vec![vec![empty; 3]; 4];
    let (mut promoters, mut detractors) = (Share::default(), Share::default());
    let mut answered = 0;
    for ((c, &state), attitude) in facts.customers.iter().zip(states).zip(attitudes) {
        let Some((attitude, day)) = *attitude else { continue };
        answered += 1;
        let b = Behaviour::ALL.iter().position(|&x| x == Behaviour::of(state)).unwrap_or(0);
        let a = Attitude::ALL.iter().position(|&x| x == attitude).unwrap_or(0);
        cells[b][a].customers += 1;
        if let Some(r) = &mut cells[b][a].revenue {
            *r += c.monetary;
        }
        if let Some(day) = day {
            let after = c.order_days.last().is_some_and(|&last| last > day);
            let share = match attitude {
                Attitude::Promoter => &mut promoters,
                Attitude::Detractor => &mut detractors,
                Attitude::Passive => continue,
            };
            share.of += 1;
            share.hits += usize::from(after);
        }
    }
    if answered == 0 {
        return None;
    }
    let add = |parts: &[(usize, usize)]| {
        parts.iter().fold(empty, |s, &(b, a)| Cell {
            customers: s.customers + cells[b][a].customers,
            revenue: s.revenue.zip(cells[b][a].revenue).map(|(x, y)| x + y),
        })
    };
    // Rows: loyal 0, repeat 1, new 2, lapsed 3; columns: promoter 0, passive 1, detractor 2.
    Some(LoyaltyMatrix {
        true_loyalty: add(&[(0, 0), (1, 0)]),
        spurious: add(&[(0, 2), (1, 2)]),
        latent: add(&[(3, 0)]),
        no_loyalty: add(&[(3, 2)]),
        cells,
        answered,
        promoters_bought_after: promoters,
        detractors_bought_after: detractors,
        test: two_proportions(promoters, detractors),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::analysis::customers::CustomerFacts;

    #[test]
    fn the_matrix_of_a_handful_of_customers_worked_out_by_hand() {
        // (state, answer (score, day), last order, spend): every answer is on day 10, an order after
        // it is a buy after answering.
        type Row = (State, Option<(u8, Day)>, Day, f64);
        let rows: [Row; 7] = [
            (State::Loyal, Some((10, 10)), 20, 100.0), // true loyalty, bought after
            (State::Repeat, Some((9, 10)), 5, 50.0),   // true loyalty, not after
            (State::WonBack, Some((3, 10)), 30, 70.0), // spurious, bought after
            (State::Lapsed, Some((9, 10)), 8, 20.0),   // latent
            (State::Churned, Some((0, 10)), 2, 10.0),  // no loyalty
            (State::New, Some((8, 10)), 40, 5.0),      // passive, new: in no quadrant
            (State::Loyal, None, 40, 999.0),           // no answer: not in the matrix
        ];
        let customers: Vec<CustomerFacts> = rows
            .iter()
            .enumerate()
            .map(|(k, r)| CustomerFacts { monetary: r.3, ..CustomerFacts::with_orders(k as u32, &[1, r.2]) })
            .collect();
        let facts = Facts { as_of: 50, customers, rows_after_as_of: 0, amounts: true };
        let states: Vec<State> = rows.iter().map(|r| r.0).collect();
        let attitudes: Vec<_> = rows.iter().map(|r| r.1.map(|(s, d)| (Attitude::of(s), Some(d)))).collect();
        let m = matrix(&facts, &states, &attitudes).unwrap();
        assert_eq!(m.answered, 6);
        assert_eq!((m.true_loyalty.customers, m.true_loyalty.revenue), (2, Some(150.0)));
        assert_eq!((m.spurious.customers, m.latent.customers, m.no_loyalty.customers), (1, 1, 1));
        assert_eq!(m.cells[2][1].customers, 1, "the new passive");
        // Promoters: loyal (after), repeat (not), lapsed (not) → 1 of 3; detractors: won back
        // (after), churned (not) → 1 of 2.
        assert_eq!(m.promoters_bought_after, Share { hits: 1, of: 3 });
        assert_eq!(m.detractors_bought_after, Share { hits: 1, of: 2 });
        assert!(matrix(&facts, &states, &[None; 7]).is_none());
    }
}
