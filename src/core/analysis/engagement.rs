//! Participation beyond purchases (issue 33, part 2): an events file — customer id, date, event
//! type (论坛发帖, 内测, 新品试用, 评价, 推荐好友, 线下活动, 积分 …), optionally points — joined to the
//! customers of the transactions by id, as each customer's engagement score.
//!
//! # Formula
//! score = Σ over the customer's events up to the as-of date of
//!   weight(type) × points × ½^(days before the as-of date / half-life)
//! - weight(type): the rules' weight of the event's type, 1 for a type the rules do not name;
//! - points: the event's number in the points column when the file has one and the cell is a
//!   number, else 1 (a blank or unreadable cell counts the event once; unreadable cells are counted);
//! - the half-life (default 90 days): an event that long ago counts half, twice as long a quarter.
//!
//! Events are matched to the transactions' customers by id exactly (after trimming); events of ids
//! that bought nothing are counted and reported, not scored. Events after the as-of date are left
//! out and counted.

use crate::core::dataset::{Dataset, MISSING};
use crate::core::values::{format_day, Day};
use serde::{Deserialize, Serialize};

/// The engagement rules the user can edit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngagementParams {
    /// Weight per event type, by the type's name as in the file; a type not listed weighs 1.
    #[serde(default)]
    pub weights: Vec<(String, f64)>,
    /// Days after which an event counts half.
    #[serde(default = "default_half_life")]
    pub half_life_days: f64,
}

fn default_half_life() -> f64 {
    90.0
}

impl Default for EngagementParams {
    fn default() -> Self {
        Self { weights: Vec::new(), half_life_days: default_half_life() }
    }
}

/// Why engagement rules cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EngagementError {
    #[error("the engagement half-life must be a positive number of days")]
    HalfLife,
    #[error("the weight of event type '{0}' must be a number 0 or more")]
    Weight(String),
    /// A line of the weights as typed ([`parse_weights`]); lines count from 1.
    #[error("event weight line {line}: expected 'type: weight'")]
    Line { line: usize },
}

impl EngagementError {
    /// A stable key for the page to translate.
    pub fn code(&self) -> &'static str {
        match self {
            Self::HalfLife => "engagement_half_life",
            Self::Weight(_) => "engagement_weight",
            Self::Line { .. } => "engagement_weight_line",
        }
    }
}

impl EngagementParams {
    /// # Errors
    /// [`EngagementError`] for a half-life that is not positive or a weight that is negative.
    pub fn check(&self) -> Result<(), EngagementError> {
        if !(self.half_life_days.is_finite() && self.half_life_days > 0.0) {
            return Err(EngagementError::HalfLife);
        }
        match self.weights.iter().find(|(_, w)| !(w.is_finite() && *w >= 0.0)) {
            Some((name, _)) => Err(EngagementError::Weight(name.clone())),
            None => Ok(()),
        }
    }

    /// The weight of event type `name`.
    pub fn weight(&self, name: &str) -> f64 {
        self.weights.iter().find(|(n, _)| n == name).map_or(1.0, |w| w.1)
    }
}

/// Weights as the user writes them, one per line or separated by commas: `推荐好友: 5`.
///
/// # Errors
/// [`EngagementError::Line`] naming the part that is not `type: weight`.
pub fn parse_weights(text: &str) -> Result<Vec<(String, f64)>, EngagementError> {
    text.split(['\n', ',', '，'])
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| {
            let bad = EngagementError::Line { line: i + 1 };
            let (name, weight) = line.rsplit_once([':', '：']).ok_or(bad.clone())?;
            let weight: f64 = weight.trim().parse().map_err(|_| bad)?;
            Ok((name.trim().to_string(), weight))
        })
        .collect()
}

/// Weights as [`parse_weights`] reads them.
pub fn weights_text(weights: &[(String, f64)]) -> String {
    weights.iter().map(|(name, w)| format!("{name}: {w}")).collect::<Vec<_>>().join("\n")
}

/// One event type's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeStat {
    pub name: String,
    pub weight: f64,
    /// Events of the transactions' customers up to the as-of date.
    pub events: usize,
    /// Customers with at least one.
    pub customers: usize,
}

/// Every customer's engagement, and what the events file held.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Engagement {
    pub as_of: String,
    pub half_life_days: f64,
    /// The formula in words, with the half-life.
    pub formula: String,
    /// Rows of the events file.
    pub events: usize,
    /// Events of the transactions' customers up to the as-of date: the ones scored.
    pub matched: usize,
    /// Events of ids that are not customers of the transactions, and how many such ids.
    pub unknown_events: usize,
    pub unknown_customers: usize,
    /// The first few of those ids, in the file's order.
    pub unknown_examples: Vec<String>,
    /// Events dated after the as-of date (left out).
    pub after_as_of: usize,
    /// Customers with at least one scored event.
    pub customers: usize,
    /// Whether the file has a points column.
    pub points: bool,
    /// Cells of the points column that were not numbers (those events counted once).
    pub bad_points: usize,
    /// The event types, most events first (equal counts by name).
    pub types: Vec<TypeStat>,
    /// Each customer's score, by their code in the transactions (0 without events).
    #[serde(skip)]
    pub score: Vec<f64>,
    /// Every scored event as (customer code, type code, day), in that order: a customer's events,
    /// by type and last, for their story, and the types' figures.
    #[serde(skip)]
    pub scored: Vec<(u32, u32, Day)>,
    /// The type names by type code (the file's order).
    #[serde(skip)]
    pub type_names: Vec<String>,
}

/// One customer's engagement, for their story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerEngagement {
    /// To 6 decimals.
    pub score: f64,
    pub events: u32,
    /// Events by type, most first (equal counts by name).
    pub by_type: Vec<(String, u32)>,
    pub last_event: Option<String>,
}

impl Engagement {
    /// Customer `code`'s (in the transactions) engagement.
    pub fn of(&self, code: u32) -> CustomerEngagement {
        let lo = self.scored.partition_point(|e| e.0 < code);
        let hi = self.scored.partition_point(|e| e.0 <= code);
        let mine = &self.scored[lo..hi];
        let mut counts: Vec<(String, u32)> = Vec::new();
        for &(_, kind, _) in mine {
            let name = self.type_names.get(kind as usize).cloned().unwrap_or_default();
            match counts.iter_mut().find(|(n, _)| *n == name) {
                Some(c) => c.1 += 1,
                None => counts.push((name, 1)),
            }
        }
        counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        CustomerEngagement {
            score: (self.score.get(code as usize).copied().unwrap_or(0.0) * 1e6).round() / 1e6 + 0.0,
            events: mine.len() as u32,
            by_type: counts,
            last_event: mine.iter().map(|e| e.2).max().map(format_day),
        }
    }
}

/// How many unknown ids are named.
const EXAMPLES: usize = 5;

/// The engagement of `tx`'s customers from the events file `events` (read with the event type as
/// its category and the points as its comment: see `api::read_events`), as of `as_of`.
pub fn engagement(events: &Dataset, tx: &Dataset, as_of: Day, params: &EngagementParams) -> Engagement {
    let n = tx.customers.len();
    let mut score = vec![0.0f64; n];
    let days = events.day.as_deref().unwrap_or_default();
    let types = events.category.as_ref();
    let type_names: Vec<&str> = types.map(|t| t.labels.names()).unwrap_or_default();
    let weights: Vec<f64> = type_names.iter().map(|name| params.weight(name)).collect();
    // The points column's cells by row (the comment role keeps non-empty cells with their row).
    let mut points = vec![None::<&str>; events.rows()];
    if let Some(cells) = &events.comments {
        for (row, text) in cells {
            if let Some(p) = points.get_mut(*row as usize) {
                *p = Some(text.as_str());
            }
        }
    }
    let mut bad_points = 0;
    // The transactions' code of each events-file code (`None`: not a customer).
    let to_tx: Vec<Option<u32>> = (0..events.customers.len() as u32)
        .map(|c| events.customers.name(c).and_then(|name| tx.customers.code(name.trim())))
        .collect();
    let (mut unknown_events, mut after_as_of) = (0, 0);
    let mut unknown_seen = vec![false; events.customers.len()];
    let mut unknown_examples = Vec::new();
    let mut scored = Vec::new();
    for (row, &code) in events.customer.iter().enumerate() {
        if code == MISSING {
            continue;
        }
        let Some(&day) = days.get(row) else { continue };
        let Some(c) = to_tx.get(code as usize).copied().flatten() else {
            unknown_events += 1;
            if !std::mem::replace(&mut unknown_seen[code as usize], true) && unknown_examples.len() < EXAMPLES {
                unknown_examples.push(events.customers.name(code).unwrap_or_default().to_string());
            }
            continue;
        };
        if day > as_of {
            after_as_of += 1;
            continue;
        }
        let kind = types.map_or(MISSING, |t| t.codes[row]);
        let weight = weights.get(kind as usize).copied().unwrap_or(1.0);
        let p = match points[row] {
            None => 1.0,
            Some(text) => match text.trim().replace(',', "").parse::<f64>() {
                Ok(v) if v.is_finite() => v,
                _ => {
                    bad_points += 1;
                    1.0
                }
            },
        };
        let decay = 0.5f64.powf(f64::from(as_of - day) / params.half_life_days);
        score[c as usize] += weight * p * decay;
        scored.push((c, kind, day));
    }
    // By customer, type and day: each type's events and customers (a customer once per type), and
    // the customers with any, counted from the events themselves.
    scored.sort_unstable();
    let mut types: Vec<TypeStat> = type_names
        .iter()
        .map(|name| TypeStat { name: name.to_string(), weight: params.weight(name), events: 0, customers: 0 })
        .collect();
    for (i, &(c, kind, _)) in scored.iter().enumerate() {
        if let Some(t) = types.get_mut(kind as usize) {
            t.events += 1;
            t.customers += usize::from(i == 0 || scored[i - 1].0 != c || scored[i - 1].1 != kind);
        }
    }
    let customers = scored.iter().enumerate().filter(|&(i, e)| i == 0 || scored[i - 1].0 != e.0).count();
    types.sort_by(|a, b| b.events.cmp(&a.events).then_with(|| a.name.cmp(&b.name)));
    Engagement {
        as_of: format_day(as_of),
        half_life_days: params.half_life_days,
        formula: format!(
            "score = Σ weight(type) × points × ½^(days before {} / {} days); weight 1 for a type without one, points 1 without a points column",
            format_day(as_of),
            params.half_life_days
        ),
        events: events.rows(),
        matched: scored.len(),
        unknown_events,
        unknown_customers: unknown_seen.iter().filter(|&&s| s).count(),
        unknown_examples,
        after_as_of,
        customers,
        points: events.comments.is_some(),
        bad_points,
        types,
        score,
        scored,
        type_names: type_names.iter().map(|n| n.to_string()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ingest::roles::Role;
    use crate::core::ingest::{ingest, ColumnRef, IngestOptions, MapOverride};

    fn read(text: &str, map: &[(Role, &str)]) -> Dataset {
        let map = map.iter().map(|&(role, col)| MapOverride { role, column: Some(ColumnRef::Spec(col.into())) }).collect();
        ingest(text.as_bytes(), "f.csv", &IngestOptions { map, ..IngestOptions::default() }, &mut |_, _| {}).unwrap().dataset
    }

    #[test]
    fn scores_worked_out_by_hand() {
        let tx = read("customer_id,date,amount\na,2024-01-01,10\nb,2024-01-01,10\nc,2024-01-01,10\n", &[]);
        let events = read(
            "customer_id,date,type,points\n\
             a,2024-07-01,推荐好友,\n\
             a,2024-04-02,论坛发帖,2\n\
             b,2024-07-01,论坛发帖,x\n\
             z,2024-06-01,评价,\n\
             z,2024-06-02,评价,\n\
             a,2024-07-05,评价,\n",
            &[(Role::Category, "type"), (Role::Comment, "points")],
        );
        let as_of = crate::core::values::parse_iso_date("2024-07-01").unwrap();
        let params = EngagementParams { weights: vec![("推荐好友".into(), 5.0)], half_life_days: 90.0 };
        let e = engagement(&events, &tx, as_of, &params);
        let code = |id: &str| tx.customers.code(id).unwrap() as usize;
        // a: 推荐好友 today, weight 5 × 1 point × ½⁰ = 5; 论坛发帖 90 days before (2024-04-02 to
        // 07-01), weight 1 × 2 points × ½¹ = 1 → 6. b: 论坛发帖 today, an unreadable point → 1.
        assert!((e.score[code("a")] - 6.0).abs() < 1e-12, "{}", e.score[code("a")]);
        assert!((e.score[code("b")] - 1.0).abs() < 1e-12);
        assert_eq!((e.score[code("c")], e.of(code("c") as u32).events), (0.0, 0));
        assert_eq!((e.matched, e.unknown_events, e.unknown_customers, e.after_as_of, e.bad_points), (3, 2, 1, 1, 1));
        assert_eq!(e.unknown_examples, ["z"]);
        assert_eq!((e.customers, e.events, e.points), (2, 6, true));
        let types: Vec<(&str, usize, usize, f64)> =
            e.types.iter().map(|t| (t.name.as_str(), t.events, t.customers, t.weight)).collect();
        assert_eq!(types, [("论坛发帖", 2, 2, 1.0), ("推荐好友", 1, 1, 5.0), ("评价", 0, 0, 1.0)]);
        // a's story: two events (the one after the as-of date left out), the last today.
        let a = e.of(code("a") as u32);
        assert_eq!((a.score, a.events, a.last_event.as_deref()), (6.0, 2, Some("2024-07-01")));
        assert_eq!(a.by_type, [("推荐好友".to_string(), 1), ("论坛发帖".to_string(), 1)]);
        assert_eq!((e.of(code("c") as u32).events, e.of(code("c") as u32).last_event), (0, None));
    }

    #[test]
    fn weights_are_read_as_written_and_checked() {
        assert_eq!(
            parse_weights("推荐好友: 5\n内测：4, beta: 0.5").unwrap(),
            [("推荐好友".to_string(), 5.0), ("内测".to_string(), 4.0), ("beta".to_string(), 0.5)]
        );
        assert_eq!(parse_weights("a 5").unwrap_err(), EngagementError::Line { line: 1 });
        assert_eq!(parse_weights(&weights_text(&[("x".into(), 2.5)])).unwrap(), [("x".to_string(), 2.5)]);
        assert_eq!(EngagementParams { half_life_days: 0.0, ..Default::default() }.check(), Err(EngagementError::HalfLife));
        let negative = EngagementParams { weights: vec![("x".into(), -1.0)], ..Default::default() };
        assert_eq!(negative.check(), Err(EngagementError::Weight("x".into())));
    }
}
