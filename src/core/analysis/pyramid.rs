//! The loyalty pyramid: customers ranked by a measure and cut into tiers (default top 5% super fans
//! / next 30% active / bottom 65% base), each tier's size, revenue, orders, repurchase, value
//! multiple against the base and NPS; and the loyalty ladder customer → repeat → loyal → advocate.
//!
//! # Rules
//! - Ranking measure: the RFM composite r + f + m (default), total spend, last-12-months spend, or
//!   predicted CLV (customers the CLV models did not value, e.g. first buying after the calibration
//!   end, count as 0);
//!   ties broken by total spend, then by customer id (text order), so that the cuts depend neither
//!   on the order of the file's rows nor on anything else but the customers' figures and ids.
//! - Tier k holds the customers whose rank falls in its share of N, top first (rounded to whole
//!   customers; with fewer customers than tiers the top tiers fill first).
//! - Multiple = revenue per customer of the tier / revenue per customer of the last (base) tier.
//! - Ladder: repeat = 2+ orders; loyal = in the *loyal* state in the last period (bought in 3 of the
//!   last 4); advocate = loyal and their latest survey answer is 9–10.

use crate::core::analysis::customers::{CodeIndex, CustomerFacts};
use crate::core::analysis::groups::Totals;
use crate::core::analysis::nps::{nps, Counts, Nps, Survey};
use crate::core::analysis::states::State;
use crate::core::dataset::Labels;
use serde::{Deserialize, Serialize};

/// What customers are ranked by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    #[default]
    RfmComposite,
    TotalSpend,
    Spend12Months,
    /// Predicted CLV from the CLV models (customers without a prediction rank as 0).
    Clv,
    /// The engagement score of the events file (customers without events rank as 0): the
    /// pyramid of participation.
    Engagement,
}

/// Tier names and shares, top first; validated by [`PyramidParams::check`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PyramidParams {
    pub measure: Measure,
    pub tiers: Vec<(String, f64)>,
}

/// The default tiers: the loyalty pyramid of the case studies (5% super fans, 30% active, 65% base),
/// each named in Chinese and English.
const DEFAULT_TIERS: [(&str, f64); 3] = [("超级米粉 Super fans", 0.05), ("活跃用户 Active", 0.30), ("潜在用户 Base", 0.65)];

impl Default for PyramidParams {
    fn default() -> Self {
        Self { measure: Measure::RfmComposite, tiers: DEFAULT_TIERS.iter().map(|&(n, share)| (n.to_string(), share)).collect() }
    }
}

/// A pyramid that cannot be built as asked.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PyramidError {
    #[error("the pyramid needs 2 to 6 tiers, not {0}")]
    TierCount(usize),
    #[error("pyramid tier shares must be positive and add up to 100%")]
    Shares,
    #[error("the pyramid ranks by predicted CLV only after the CLV models have run: fit them on the CLV page first")]
    NeedsClv,
    #[error("the pyramid ranks by spend only when the file has amounts: rank by RFM, or map an amount column")]
    NeedsAmounts,
    #[error("the pyramid ranks by engagement once an events file is given (customer, date, event type)")]
    NeedsEvents,
    /// A line of the tiers as typed ([`parse_tiers`]) without `Name: percent`; lines count from 1.
    #[error("pyramid tier line {line}: expected 'Name: percent'")]
    LineNoColon { line: usize },
    #[error("pyramid tier line {line} ({name}): '{text}' is not a percentage")]
    LineNotPercent { line: usize, name: String, text: String },
}

impl PyramidError {
    /// A stable key for the page to translate.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TierCount(_) => "pyramid_tier_count",
            Self::Shares => "pyramid_shares",
            Self::NeedsClv => "pyramid_needs_clv",
            Self::NeedsAmounts => "pyramid_needs_amounts",
            Self::NeedsEvents => "pyramid_needs_events",
            Self::LineNoColon { .. } => "pyramid_line_no_colon",
            Self::LineNotPercent { .. } => "pyramid_line_not_percent",
        }
    }
}

impl PyramidParams {
    /// # Errors
    /// [`PyramidError`] when there are not 2–6 tiers or the shares are not positive and adding up
    /// to 100%.
    pub fn check(&self) -> Result<(), PyramidError> {
        if !(2..=6).contains(&self.tiers.len()) {
            return Err(PyramidError::TierCount(self.tiers.len()));
        }
        let total: f64 = self.tiers.iter().map(|t| t.1).sum();
        if self.tiers.iter().any(|t| !t.1.is_finite() || t.1 <= 0.0) || (total - 1.0).abs() > 1e-6 {
            return Err(PyramidError::Shares);
        }
        Ok(())
    }
}

/// The Chinese and English halves of a default tier name (`超级米粉 Super fans`); `None` for a
/// name the user gave.
pub fn default_tier_halves(name: &str) -> Option<(&str, &str)> {
    DEFAULT_TIERS.iter().any(|(n, _)| *n == name).then(|| name.split_once(' ')).flatten()
}

/// Whether `written` (a playbook's cell) names tier `name`: the name itself, or either half of a
/// default name.
pub fn tier_named(written: &str, name: &str) -> bool {
    written == name || default_tier_halves(name).is_some_and(|(zh, en)| written == zh || written == en)
}

/// Tiers as the user writes them, one per line, top first: `Name: percent`.
pub fn tiers_text(tiers: &[(String, f64)]) -> String {
    tiers.iter().map(|(name, share)| format!("{name}: {}", (share * 1000.0).round() / 10.0)).collect::<Vec<_>>().join("\n")
}

/// Parses [`tiers_text`] back.
///
/// # Errors
/// [`PyramidError`] naming the line that is not `Name: percent`.
pub fn parse_tiers(text: &str) -> Result<Vec<(String, f64)>, PyramidError> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| {
            let (name, pct) = line.rsplit_once([':', '：']).ok_or(PyramidError::LineNoColon { line: i + 1 })?;
            let pct: f64 = pct.trim().trim_end_matches('%').trim().parse().map_err(|_| PyramidError::LineNotPercent {
                line: i + 1,
                name: name.trim().to_string(),
                text: pct.trim().to_string(),
            })?;
            Ok((name.trim().to_string(), pct / 100.0))
        })
        .collect()
}

/// One tier's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tier {
    pub name: String,
    pub customers: usize,
    /// `None` when the file has no amounts.
    pub revenue: Option<f64>,
    pub revenue_share: Option<f64>,
    pub orders_per_customer: f64,
    pub repurchase_rate: f64,
    /// Revenue per customer against the base tier's (`None` when the base has no revenue).
    pub multiple: Option<f64>,
    /// NPS of the tier's customers' answers, when there are any.
    pub nps: Option<Nps>,
}

/// The pyramid and the ladder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pyramid {
    pub measure: Measure,
    pub tiers: Vec<Tier>,
    /// Each customer's tier (index into `tiers`), in the order of the segmentation's facts; kept by
    /// the worker for drill-down, not sent to the UI.
    #[serde(skip)]
    pub of: Vec<usize>,
    /// Customers, repeat customers, loyal customers, advocates.
    pub ladder: [usize; 4],
    /// The pyramid of participation against the pyramid of spend, when an events file is given
    /// and the transactions have amounts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participation: Option<Participation>,
}

/// Customers and what they spent.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Cell {
    pub customers: usize,
    pub revenue: f64,
}

/// The tiers by engagement score against the same tiers by total spend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Participation {
    /// Row = tier by engagement, column = tier by total spend (the pyramid's tiers, top first).
    pub cells: Vec<Vec<Cell>>,
    /// Top tier by engagement and by spend alike.
    pub both_top: Cell,
    /// Top tier by engagement, bottom tier by spend: engaged, not spending.
    pub engaged_not_spending: Cell,
    /// Top tier by spend, bottom tier by engagement: spending, not engaged.
    pub spending_not_engaged: Cell,
    /// Each customer's tier by engagement and by spend, in the facts' order (for the lists).
    #[serde(skip)]
    pub engagement_of: Vec<usize>,
    #[serde(skip)]
    pub spend_of: Vec<usize>,
}

/// Builds the pyramid from the parts of a segmentation: its customers' facts, RFM scores and states;
/// the predicted CLV and the engagement score by customer code when there are any.
///
/// # Errors
/// When the parameters are invalid (see [`PyramidParams::check`]), or the measure needs what is
/// not there (the CLV models, an events file, amounts).
#[allow(clippy::too_many_arguments)]
pub fn build(
    survey: Option<&Survey>,
    clv: Option<&[f64]>,
    engagement: Option<&[f64]>,
    facts: &crate::core::analysis::customers::Facts,
    rfm: &crate::core::analysis::rfm::Rfm,
    current: &[State],
    ids: &Labels,
    params: &PyramidParams,
) -> Result<Pyramid, PyramidError> {
    params.check()?;
    if params.measure == Measure::Clv && clv.is_none() {
        return Err(PyramidError::NeedsClv);
    }
    if params.measure == Measure::Engagement && engagement.is_none() {
        return Err(PyramidError::NeedsEvents);
    }
    if matches!(params.measure, Measure::TotalSpend | Measure::Spend12Months) && !facts.amounts {
        return Err(PyramidError::NeedsAmounts);
    }
    let customers = &facts.customers;
    let n = customers.len();
    let by_code =
        |v: Option<&[f64]>, code: u32| v.and_then(|v| v.get(code as usize).copied()).filter(|v| v.is_finite()).unwrap_or(0.0);
    let value = |measure: Measure, i: usize| -> f64 {
        let c = &customers[i];
        match measure {
            Measure::RfmComposite => {
                let s = &rfm.scores[i];
                f64::from(s.r) + f64::from(s.f) + f64::from(s.m)
            }
            Measure::TotalSpend => c.monetary,
            Measure::Spend12Months => c.spend_12_months,
            Measure::Clv => by_code(clv, c.customer),
            Measure::Engagement => by_code(engagement, c.customer),
        }
    };
    let of = cut(customers, ids, &params.tiers, |i| value(params.measure, i));
    // Each tier's answers, through the customers' codes in the transactions.
    let index = CodeIndex::new(customers);
    let mut answers = vec![Counts::default(); params.tiers.len()];
    let scores = survey.and_then(|s| s.answers.score.as_ref());
    if let (Some(survey), Some(scores)) = (survey, scores) {
        for row in survey.rows() {
            if let Some(k) = index.get(survey.customer[row]) {
                answers[of[k]].add(scores[row]);
            }
        }
    }
    let total_revenue = facts.amounts.then(|| customers.iter().map(|c| c.monetary).sum::<f64>());
    // Each tier's totals, in one pass over the customers.
    let mut totals = vec![Totals::default(); params.tiers.len()];
    for (c, &k) in customers.iter().zip(&of) {
        totals[k].add(c);
    }
    let mut tiers: Vec<Tier> = params
        .tiers
        .iter()
        .enumerate()
        .map(|(k, (name, _))| {
            let g = totals[k].stat(name.clone(), None, n, total_revenue);
            Tier {
                name: g.key,
                customers: g.customers,
                revenue: g.revenue,
                revenue_share: g.revenue_share,
                orders_per_customer: g.mean_frequency,
                repurchase_rate: g.repurchase_rate,
                multiple: None,
                nps: nps(answers[k], None).ok(),
            }
        })
        .collect();
    let per_customer = |t: &Tier| t.revenue.map(|r| if t.customers == 0 { 0.0 } else { r / t.customers as f64 });
    let base = tiers.last().and_then(per_customer).unwrap_or(0.0);
    for t in &mut tiers {
        let per = per_customer(t).unwrap_or(0.0);
        t.multiple = (base > 0.0 && t.customers > 0).then(|| per / base);
    }
    let repeat = customers.iter().filter(|c| c.frequency >= 2).count();
    let loyal: Vec<usize> = (0..n).filter(|&i| current[i] == State::Loyal).collect();
    let latest = survey.map(|s| s.latest(index.codes())).unwrap_or_default();
    let latest_score =
        |i: usize| latest.get(customers[i].customer as usize).copied().flatten().and_then(|row| scores.map(|s| s[row]));
    let advocates = loyal.iter().filter(|&&i| latest_score(i).is_some_and(|s| s >= 9)).count();
    let participation = match engagement {
        Some(_) if facts.amounts => {
            // The pyramid itself is one of the two when it is ranked by engagement or by spend.
            let by = |measure: Measure| match params.measure == measure {
                true => of.clone(),
                false => cut(customers, ids, &params.tiers, |i| value(measure, i)),
            };
            let (engagement_of, spend_of) = (by(Measure::Engagement), by(Measure::TotalSpend));
            Some(participation(customers, engagement_of, spend_of, params.tiers.len()))
        }
        _ => None,
    };
    Ok(Pyramid { measure: params.measure, tiers, of, ladder: [n, repeat, loyal.len(), advocates], participation })
}

/// Each customer's tier (index into `tiers`) by `value`: the highest values first, then the
/// highest spend, then the customer's id — a total order (ids are distinct) that does not depend
/// on the order customers were first seen in, as their codes do.
fn cut(customers: &[CustomerFacts], ids: &Labels, tiers: &[(String, f64)], value: impl Fn(usize) -> f64) -> Vec<usize> {
    let n = customers.len();
    // The sort keys side by side, so that comparing two customers does not reach into their facts;
    // the ids are looked up only for exact ties.
    let mut keyed: Vec<(f64, f64, u32, u32)> =
        (0..n).map(|i| (value(i), customers[i].monetary, customers[i].customer, i as u32)).collect();
    let first = |a: &(f64, f64, u32, u32), b: &(f64, f64, u32, u32)| {
        b.0.total_cmp(&a.0).then(b.1.total_cmp(&a.1)).then_with(|| ids.name(a.2).cmp(&ids.name(b.2))).then(a.2.cmp(&b.2))
    };
    // Cumulative cut points in whole customers. Only which tier each customer falls in matters, not
    // the order within a tier: each cut selects the customers before it (linear time, not a sort).
    let mut of = vec![0usize; n];
    let mut cumulative = 0.0;
    let mut start = 0usize;
    for (k, (_, share)) in tiers.iter().enumerate() {
        cumulative += share;
        let end = if k + 1 == tiers.len() { n } else { ((cumulative * n as f64).round() as usize).clamp(start, n) };
        if start < end && end < n {
            keyed[start..].select_nth_unstable_by(end - start, first);
        }
        for &(_, _, _, i) in &keyed[start..end] {
            of[i as usize] = k;
        }
        start = end;
    }
    of
}

/// The tiers by engagement against the tiers by spend.
fn participation(customers: &[CustomerFacts], engagement_of: Vec<usize>, spend_of: Vec<usize>, tiers: usize) -> Participation {
    let mut cells = vec![vec![Cell::default(); tiers]; tiers];
    let (mut both_top, mut engaged_not_spending, mut spending_not_engaged) = (Cell::default(), Cell::default(), Cell::default());
    let bottom = tiers - 1;
    for ((c, &e), &s) in customers.iter().zip(&engagement_of).zip(&spend_of) {
        let add = |cell: &mut Cell| {
            cell.customers += 1;
            cell.revenue += c.monetary;
        };
        add(&mut cells[e][s]);
        match (e, s) {
            (0, 0) => add(&mut both_top),
            (0, s) if s == bottom => add(&mut engaged_not_spending),
            (e, 0) if e == bottom => add(&mut spending_not_engaged),
            _ => {}
        }
    }
    Participation { cells, both_top, engaged_not_spending, spending_not_engaged, engagement_of, spend_of }
}

/// A tier drawn as a trapezoid: the four corners, top-left first, in a `width` × `height` box.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub points: [(f64, f64); 4],
    /// Vertical middle of the band, for its label.
    pub label_y: f64,
}

/// Stacks tiers (top first) into a pyramid: each band's height is proportional to its weight
/// (customers, revenue, …), with a minimum so that a small top tier stays readable; the sides run
/// straight from a flat top `top` × `width` wide (0 for a pointed apex) to the full-width base.
pub fn bands(weights: &[f64], width: f64, height: f64, min_share: f64, top: f64) -> Vec<Band> {
    let n = weights.len();
    if n == 0 {
        return Vec::new();
    }
    let total: f64 = weights.iter().map(|w| w.max(0.0)).sum();
    let raw: Vec<f64> = weights.iter().map(|w| if total > 0.0 { w.max(0.0) / total } else { 1.0 / n as f64 }).collect();
    let floored: Vec<f64> = raw.iter().map(|&s| s.max(min_share)).collect();
    let sum: f64 = floored.iter().sum();
    let half_at = |y: f64| width / 2.0 * (top + (1.0 - top) * y / height);
    let mut y = 0.0;
    floored
        .iter()
        .map(|&s| {
            let h = s / sum * height;
            let (top, bottom) = (y, y + h);
            let (a, b) = (half_at(top), half_at(bottom));
            let c = width / 2.0;
            y = bottom;
            Band { points: [(c - a, top), (c + a, top), (c + b, bottom), (c - b, bottom)], label_y: (top + bottom) / 2.0 }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::dataset::Dataset;
    use crate::core::ingest::{ingest, IngestOptions};
    use crate::core::report::segments::{segment, Segmentation, SegmentationParams};

    /// The pyramid of a segmentation's customers.
    fn pyramid(
        survey: Option<&Survey>,
        dataset: &Dataset,
        seg: &Segmentation,
        params: &PyramidParams,
    ) -> Result<Pyramid, PyramidError> {
        build(survey, None, None, &seg.facts, &seg.rfm, &seg.states.current, &dataset.customers, params)
    }

    fn sample(customers: usize) -> (Dataset, Segmentation) {
        let mut bytes = Vec::new();
        crate::core::sample::write_sample(customers, 11, &mut bytes).unwrap();
        let ds = ingest(&bytes, "s.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap().dataset;
        let seg = segment(&ds, &SegmentationParams::default().check().unwrap()).unwrap();
        (ds, seg)
    }

    #[test]
    fn default_tiers_cut_five_thirty_sixty_five_percent() {
        let (ds, seg) = sample(1000);
        let p = pyramid(Some(&Survey::inline(&ds)), &ds, &seg, &PyramidParams::default()).unwrap();
        let sizes: Vec<usize> = p.tiers.iter().map(|t| t.customers).collect();
        assert_eq!(sizes, vec![50, 300, 650]);
        let share: f64 = p.tiers.iter().map(|t| t.revenue_share.unwrap()).sum();
        assert!((share - 1.0).abs() < 1e-9);
        assert_eq!(p.tiers[2].multiple, Some(1.0));
        assert!(p.tiers[0].multiple.unwrap() > p.tiers[1].multiple.unwrap(), "the top tier is worth more per customer");
        assert!(p.tiers.iter().all(|t| t.nps.is_some()), "the sample has answers in every tier");
        let [all, repeat, loyal, advocates] = p.ladder;
        assert!(all == 1000 && repeat <= all && loyal <= repeat && advocates <= loyal, "{:?}", p.ladder);
    }

    #[test]
    fn fewer_customers_than_tiers_fill_from_the_top_and_ties_are_stable() {
        let (ds, seg) = sample(2);
        let params = PyramidParams { measure: Measure::TotalSpend, ..PyramidParams::default() };
        let p = pyramid(Some(&Survey::inline(&ds)), &ds, &seg, &params).unwrap();
        assert_eq!(p.tiers.iter().map(|t| t.customers).sum::<usize>(), 2);
        assert_eq!(pyramid(Some(&Survey::inline(&ds)), &ds, &seg, &params).unwrap(), p, "the same input gives the same cut");
    }

    #[test]
    fn customers_tied_at_a_cut_are_ranked_by_id_whatever_the_row_order() {
        // Twenty customers with the same single order: every one ties with every other, and the one
        // super fan (5% of 20) is the first id in text order, in whichever order the rows come.
        let ids: Vec<String> = (0..20).map(|k| format!("客户{:02}", (k * 7) % 20)).collect();
        for order in [ids.clone(), ids.iter().rev().cloned().collect()] {
            let text: String = std::iter::once("customer_id,order_date,amount\n".to_string())
                .chain(order.iter().map(|id| format!("{id},2024-03-01,99.00\n")))
                .collect();
            let ds = ingest(text.as_bytes(), "t.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap().dataset;
            let seg = segment(&ds, &SegmentationParams::default().check().unwrap()).unwrap();
            let p = pyramid(None, &ds, &seg, &PyramidParams::default()).unwrap();
            let top: Vec<&str> = (0..p.of.len())
                .filter(|&i| p.of[i] == 0)
                .filter_map(|i| ds.customers.name(seg.facts.customers[i].customer))
                .collect();
            assert_eq!(top, ["客户00"], "rows in the order {order:?}");
        }
    }

    #[test]
    fn predicted_clv_ranks_customers_once_it_exists() {
        let (ds, seg) = sample(100);
        let params = PyramidParams { measure: Measure::Clv, ..PyramidParams::default() };
        assert_eq!(pyramid(Some(&Survey::inline(&ds)), &ds, &seg, &params).unwrap_err(), PyramidError::NeedsClv);
        // CLV = the customer's code: the top 5 codes form the top tier.
        let clv: Vec<f64> = (0..ds.customers.len()).map(|c| c as f64).collect();
        let p = build(None, Some(&clv), None, &seg.facts, &seg.rfm, &seg.states.current, &ds.customers, &params).unwrap();
        let top: Vec<u32> = (0..p.of.len()).filter(|&i| p.of[i] == 0).map(|i| seg.facts.customers[i].customer).collect();
        let mut want: Vec<u32> = seg.facts.customers.iter().map(|c| c.customer).collect();
        want.sort_unstable_by(|a, b| b.cmp(a));
        want.truncate(5);
        let mut top_sorted = top.clone();
        top_sorted.sort_unstable_by(|a, b| b.cmp(a));
        assert_eq!(top_sorted, want);
    }

    #[test]
    fn each_customer_s_tier_is_the_one_a_full_ranking_gives() {
        // Ties are common (the RFM composite takes 13 values): the cut falls inside runs of equal
        // values, where spend and then the customer's id decide.
        let (ds, seg) = sample(1000);
        let customers = &seg.facts.customers;
        let n = customers.len();
        let clv: Vec<f64> = (0..ds.customers.len()).map(|c| (c % 7) as f64).collect();
        // Engagement scores: the code's remainder by 5, so that many customers tie.
        let scores: Vec<f64> = (0..ds.customers.len()).map(|c| (c % 5) as f64).collect();
        for measure in [Measure::RfmComposite, Measure::TotalSpend, Measure::Spend12Months, Measure::Clv, Measure::Engagement] {
            for tiers in [PyramidParams::default().tiers, parse_tiers("a: 10\nb: 15\nc: 25\nd: 50").unwrap()] {
                let params = PyramidParams { measure, tiers };
                let p = build(None, Some(&clv), Some(&scores), &seg.facts, &seg.rfm, &seg.states.current, &ds.customers, &params)
                    .unwrap();
                let value = |i: usize| match measure {
                    Measure::RfmComposite => {
                        let s = &seg.rfm.scores[i];
                        f64::from(s.r) + f64::from(s.f) + f64::from(s.m)
                    }
                    Measure::TotalSpend => customers[i].monetary,
                    Measure::Spend12Months => customers[i].spend_12_months,
                    Measure::Clv => clv[customers[i].customer as usize],
                    Measure::Engagement => scores[customers[i].customer as usize],
                };
                let mut ranked: Vec<usize> = (0..n).collect();
                ranked.sort_by(|&a, &b| {
                    value(b)
                        .total_cmp(&value(a))
                        .then(customers[b].monetary.total_cmp(&customers[a].monetary))
                        .then(ds.customers.name(customers[a].customer).cmp(&ds.customers.name(customers[b].customer)))
                });
                let mut want = vec![0; n];
                let (mut start, mut cumulative) = (0, 0.0);
                for (k, (_, share)) in params.tiers.iter().enumerate() {
                    cumulative += share;
                    let end =
                        if k + 1 == params.tiers.len() { n } else { ((cumulative * n as f64).round() as usize).clamp(start, n) };
                    for &i in &ranked[start..end] {
                        want[i] = k;
                    }
                    start = end;
                }
                assert_eq!(p.of, want, "{measure:?}, {:?}", params.tiers);
                // The comparison's two cuts are the pyramids by engagement and by spend.
                let part = p.participation.as_ref().expect("events and amounts: the comparison");
                match measure {
                    Measure::Engagement => assert_eq!(part.engagement_of, want),
                    Measure::TotalSpend => assert_eq!(part.spend_of, want),
                    _ => {}
                }
                let cells: usize = part.cells.iter().flatten().map(|c| c.customers).sum();
                assert_eq!(cells, n);
                let top_both = (0..n).filter(|&i| part.engagement_of[i] == 0 && part.spend_of[i] == 0).count();
                assert_eq!(part.both_top.customers, top_both);
            }
        }
    }

    #[test]
    fn bad_tier_settings_are_refused() {
        let (ds, seg) = sample(10);
        let one = PyramidParams { tiers: vec![("all".into(), 1.0)], ..PyramidParams::default() };
        assert_eq!(
            pyramid(Some(&Survey::inline(&ds)), &ds, &seg, &one).unwrap_err().to_string(),
            "the pyramid needs 2 to 6 tiers, not 1"
        );
        let wrong = PyramidParams { tiers: vec![("a".into(), 0.5), ("b".into(), 0.4)], ..PyramidParams::default() };
        assert_eq!(pyramid(Some(&Survey::inline(&ds)), &ds, &seg, &wrong).unwrap_err(), PyramidError::Shares);
    }

    #[test]
    fn tiers_are_written_and_read_as_name_and_percent() {
        let text = tiers_text(&PyramidParams::default().tiers);
        assert_eq!(text, "超级米粉 Super fans: 5\n活跃用户 Active: 30\n潜在用户 Base: 65");
        assert_eq!(parse_tiers(&text).unwrap(), PyramidParams::default().tiers);
        let four = parse_tiers("A: 10%\nB：20\n\nC: 30\nD: 40").unwrap();
        assert_eq!(four.len(), 4);
        assert!(PyramidParams { tiers: four, ..PyramidParams::default() }.check().is_ok());
        assert!(parse_tiers("A: ten").unwrap_err().to_string().contains("line 1 (A): 'ten'"));
        assert!(parse_tiers("no separator").unwrap_err().to_string().contains("expected 'Name: percent'"));
    }

    #[test]
    fn bands_stack_into_a_pyramid_with_proportional_heights() {
        let b = bands(&[1.0, 1.0, 2.0], 200.0, 100.0, 0.0, 0.0);
        assert_eq!(b.len(), 3);
        assert_eq!(b[0].points[0], (100.0, 0.0), "the apex is at the top centre");
        assert_eq!((b[0].points[3].1, b[1].points[3].1, b[2].points[3].1), (25.0, 50.0, 100.0));
        assert_eq!(b[2].points[3], (0.0, 100.0), "the base spans the full width");
        // A tiny top tier still gets its minimum share of the height.
        let b = bands(&[1.0, 99.0], 200.0, 100.0, 0.2, 0.0);
        // Shares 0.01 and 0.99; the first is raised to 0.2, so it takes 0.2 / 1.19 of the height.
        assert!((b[0].points[3].1 - 100.0 * 0.2 / 1.19).abs() < 1e-9);
        assert!(bands(&[], 1.0, 1.0, 0.1, 0.0).is_empty());
        // A flat top 40% as wide as the base.
        let b = bands(&[1.0, 1.0], 200.0, 100.0, 0.0, 0.4);
        assert_eq!((b[0].points[0], b[0].points[1]), ((60.0, 0.0), (140.0, 0.0)));
        assert_eq!(b[1].points[2], (200.0, 100.0));
    }
}
