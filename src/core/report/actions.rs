//! From insight to action (the IDIC loop's *interact, customise*): a playbook that gives every
//! customer exactly one action by their RFM segment, lifecycle stage and pyramid tier, what each
//! action holds and is worth, the campaign list of each, and the win-back priorities among the
//! customers slipping away.
//!
//! # Rules
//! - A playbook row names any subset of segments, stages and pyramid tiers (an empty cell: any),
//!   several alternatives separated by `|`; the first row a customer matches gives their action.
//!   Customers no row matches get none and are counted as unmatched (the default playbooks end
//!   with a row for everybody).
//! - Names must be the segmentation's: a segment, stage or tier the segmentation does not have is
//!   refused with its line, never silently matching nobody.
//! - Expected revenue of an action = its customers × the row's assumed response rate × their mean
//!   order value: what it brings if that share places one more order of their usual size.
//! - Win-back: the customers in 退化期 or with no order for `dormant_days` or more. Value at risk =
//!   predicted CLV (12-month spend where the customer has no CLV) × (1 − P(alive)) once the CLV
//!   models have run; before, the 12-month spend (nothing is known of P(alive)). Those at or above
//!   the value floor are worth a second development (二次开发), the others are let go (放弃).

pub use super::playbook::{Playbook, PlaybookError, PlaybookRow, PLAYBOOK_COLUMNS};
use super::segments::Segmentation;
use crate::core::analysis::lifecycle::Stage;
use crate::core::analysis::pyramid::tier_named;
use crate::core::dataset::Dataset;
use crate::core::values::format_day;
use serde::{Deserialize, Serialize};

/// What one action holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionStat {
    pub action: String,
    pub channel: String,
    pub priority: u32,
    pub response_rate: f64,
    pub customers: usize,
    /// Net spend to date (`None`, as the expected revenue, when the file has no amounts).
    pub revenue: Option<f64>,
    /// Predicted CLV summed over the customers who have one (`None` before the CLV models run).
    pub clv: Option<f64>,
    /// customers × response rate × their mean order value.
    pub expected_revenue: Option<f64>,
}

/// Every customer's action and each action's totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Actions {
    pub playbook: Playbook,
    /// One per playbook row, in its order.
    pub stats: Vec<ActionStat>,
    /// Customers no row matched.
    pub unmatched: usize,
    /// Each customer's row (index into the playbook; its length when none matched), in the order
    /// of the segmentation's facts; not sent to the page.
    #[serde(skip)]
    pub of: Vec<usize>,
}

/// The predictions of a CLV run by customer code: (CLV, P(alive)).
pub type ClvByCode = Vec<Option<(Option<f64>, f64)>>;

/// [`ClvByCode`] from a run's rows.
pub fn clv_by_code(rows: &[crate::core::clv::CustomerClv], customers: &crate::core::dataset::Labels) -> ClvByCode {
    let mut out = vec![None; customers.len()];
    for row in rows {
        if let Some(code) = customers.code(&row.customer_id) {
            out[code as usize] = Some((row.clv, row.p_alive));
        }
    }
    out
}

impl Playbook {
    /// The row that gives customer `i` (index into `seg`'s facts) their action: the first that
    /// matches their segment, stage and pyramid tier.
    pub fn row_for(&self, seg: &Segmentation, i: usize) -> Option<usize> {
        let segment = seg.segment_name(i);
        let tier = seg.pyramid.of.get(i).and_then(|&k| seg.pyramid.tiers.get(k)).map_or("", |t| t.name.as_str());
        let stage = seg.stages[i];
        self.rows.iter().position(|r| {
            (r.segments.is_empty() || r.segments.iter().any(|s| s == segment))
                && (r.stages.is_empty() || r.stages.contains(&stage))
                && (r.pyramid.is_empty() || r.pyramid.iter().any(|p| tier_named(p, tier)))
        })
    }
}

/// Gives every customer of `seg` their action under `playbook` (checked against `seg` first).
///
/// # Errors
/// A name in the playbook that `seg` does not have.
pub fn assign(seg: &Segmentation, playbook: &Playbook, clv: Option<&ClvByCode>) -> Result<Actions, PlaybookError> {
    playbook.check(seg)?;
    let n = playbook.rows.len();
    let mut stats: Vec<ActionStat> = playbook
        .rows
        .iter()
        .map(|r| ActionStat {
            action: r.action.clone(),
            channel: r.channel.clone(),
            priority: r.priority,
            response_rate: r.response_rate,
            customers: 0,
            revenue: seg.facts.amounts.then_some(0.0),
            clv: clv.map(|_| 0.0),
            expected_revenue: None,
        })
        .collect();
    let mut orders = vec![0u64; n];
    let mut of = Vec::with_capacity(seg.facts.customers.len());
    for (i, c) in seg.facts.customers.iter().enumerate() {
        let k = playbook.row_for(seg, i).unwrap_or(n);
        of.push(k);
        if let Some(s) = stats.get_mut(k) {
            s.customers += 1;
            if let Some(r) = &mut s.revenue {
                *r += c.monetary;
            }
            orders[k] += u64::from(c.frequency);
            if let (Some(sum), Some(Some((Some(v), _)))) = (s.clv.as_mut(), clv.and_then(|m| m.get(c.customer as usize))) {
                *sum += v;
            }
        }
    }
    for (s, &o) in stats.iter_mut().zip(&orders) {
        let mean_order = s.revenue.map(|r| if o > 0 { r / o as f64 } else { 0.0 });
        s.expected_revenue = mean_order.map(|m| s.customers as f64 * s.response_rate * m);
    }
    let unmatched = of.iter().filter(|&&k| k == n).count();
    Ok(Actions { playbook: playbook.clone(), stats, unmatched, of })
}

/// One customer of an action list: what a campaign tool needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionRow {
    pub customer_id: String,
    pub action: String,
    pub channel: String,
    pub priority: u32,
    pub segment: String,
    pub r: u8,
    pub f: u8,
    /// Empty, as the spend, when the file has no amounts.
    pub m: Option<u8>,
    pub pyramid_tier: String,
    pub stage: String,
    pub state: String,
    pub last_order: String,
    pub orders: u32,
    pub spend: Option<f64>,
    pub clv: Option<f64>,
    pub p_alive: Option<f64>,
    pub nps_score: Option<u8>,
    pub nps_comment: String,
    /// With an events file: the engagement score; with a member list: the acquisition source.
    /// Each column is left out of the export without them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engagement_score: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The columns of [`ActionRow`], in order.
pub const ACTION_COLUMNS: [&str; 18] = [
    "customer_id",
    "action",
    "channel",
    "priority",
    "segment",
    "r",
    "f",
    "m",
    "pyramid_tier",
    "stage",
    "state",
    "last_order",
    "orders",
    "spend",
    "clv",
    "p_alive",
    "nps_score",
    "nps_comment",
];

/// Each customer code's latest survey answer: score and comment.
pub type AnswersByCode = Vec<Option<(u8, Option<String>)>>;

/// [`AnswersByCode`] from a survey (its latest answer per customer of `customers` codes).
pub fn answers_by_code(survey: &crate::core::analysis::nps::Survey, customers: usize) -> AnswersByCode {
    let scores = survey.answers.score.as_deref().unwrap_or_default();
    survey
        .latest(customers)
        .into_iter()
        .map(|row| {
            let row = row?;
            let score = *scores.get(row)?;
            Some((score, survey.answers.comment(row).map(str::to_string)))
        })
        .collect()
}

/// The customers of action `action` (every customer with an action when `None`), most urgent
/// first, then by spend (highest first) and id.
pub fn rows(
    ds: &Dataset,
    seg: &Segmentation,
    actions: &Actions,
    action: Option<usize>,
    clv: Option<&ClvByCode>,
    answers: Option<&AnswersByCode>,
) -> Vec<ActionRow> {
    let n = actions.playbook.rows.len();
    let mut chosen: Vec<usize> =
        (0..actions.of.len()).filter(|&i| actions.of[i] < n && action.is_none_or(|a| actions.of[i] == a)).collect();
    let id = |i: usize| ds.customers.name(seg.facts.customers[i].customer).unwrap_or_default();
    let cents = |i: usize| (seg.facts.customers[i].monetary * 100.0).round();
    chosen.sort_by(|&a, &b| {
        let (pa, pb) = (actions.playbook.rows[actions.of[a]].priority, actions.playbook.rows[actions.of[b]].priority);
        pa.cmp(&pb).then(cents(b).total_cmp(&cents(a))).then_with(|| id(a).cmp(id(b)))
    });
    chosen
        .into_iter()
        .map(|i| {
            let c = &seg.facts.customers[i];
            let s = &seg.rfm.scores[i];
            let row = &actions.playbook.rows[actions.of[i]];
            let code = c.customer as usize;
            let predicted = clv.and_then(|m| m.get(code).copied().flatten());
            let answer = answers.and_then(|a| a.get(code).cloned().flatten());
            ActionRow {
                customer_id: id(i).to_string(),
                action: row.action.clone(),
                channel: row.channel.clone(),
                priority: row.priority,
                segment: seg.segment_name(i).to_string(),
                r: s.r,
                f: s.f,
                m: seg.facts.amounts.then_some(s.m),
                pyramid_tier: seg
                    .pyramid
                    .of
                    .get(i)
                    .and_then(|&k| seg.pyramid.tiers.get(k))
                    .map_or_else(String::new, |t| t.name.clone()),
                stage: seg.stages[i].zh().to_string(),
                state: seg.states.current[i].en().to_string(),
                last_order: format_day(c.last_day),
                orders: c.frequency,
                spend: seg.facts.amounts.then(|| crate::core::values::to_cents(c.monetary)),
                clv: predicted.and_then(|p| p.0),
                p_alive: predicted.map(|p| p.1),
                nps_score: answer.as_ref().map(|a| a.0),
                nps_comment: answer.and_then(|a| a.1).unwrap_or_default(),
                engagement_score: seg.engagement_score(i),
                source: None,
            }
        })
        .collect()
}

/// The win-back rule's settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WinbackParams {
    /// Customers with no order for this many days or more are candidates (besides 退化期).
    pub dormant_days: i32,
    /// Value at risk from which a customer is worth a second development; `None`: the candidates'
    /// median.
    pub floor: Option<f64>,
}

impl Default for WinbackParams {
    fn default() -> Self {
        Self { dormant_days: 180, floor: None }
    }
}

/// One win-back candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WinbackRow {
    pub customer_id: String,
    pub stage: String,
    pub recency_days: i32,
    pub spend_12_months: f64,
    pub clv: Option<f64>,
    pub p_alive: Option<f64>,
    pub value_at_risk: f64,
    /// At or above the floor: a second development (二次开发).
    pub invest: bool,
}

/// The win-back priorities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Winback {
    pub params: WinbackParams,
    /// The floor used (the given one, or the median value at risk).
    pub floor: f64,
    /// Whether value at risk is risk-weighted by P(alive) (the CLV models have run).
    pub with_clv: bool,
    pub invest_customers: usize,
    pub invest_value: f64,
    pub let_go_customers: usize,
    pub let_go_value: f64,
    /// Every candidate, highest value at risk first (ties by id).
    pub rows: Vec<WinbackRow>,
    /// Why there are no priorities (a file without amounts has no value at risk); left out when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// The win-back note of a file without amounts.
pub const WINBACK_NO_AMOUNTS: &str =
    "win-back priorities rank by the value at risk (12-month spend or CLV in money): the file has no amounts";

/// Ranks the customers in 退化期 or dormant for `params.dormant_days` or more by value at risk.
pub fn winback(ds: &Dataset, seg: &Segmentation, clv: Option<&ClvByCode>, params: WinbackParams) -> Winback {
    if !seg.facts.amounts {
        let (invest_customers, let_go_customers, rows, notes) = (0, 0, Vec::new(), vec![WINBACK_NO_AMOUNTS.to_string()]);
        let (floor, invest_value, let_go_value) = (0.0, 0.0, 0.0);
        let with_clv = clv.is_some();
        return Winback { params, floor, with_clv, invest_customers, invest_value, let_go_customers, let_go_value, rows, notes };
    }
    let mut rows: Vec<WinbackRow> = seg
        .facts
        .customers
        .iter()
        .enumerate()
        .filter(|&(i, c)| seg.stages[i] == Stage::Decline || c.recency_days >= params.dormant_days)
        .map(|(i, c)| {
            let predicted = clv.and_then(|m| m.get(c.customer as usize).copied().flatten());
            let base = predicted.and_then(|p| p.0).unwrap_or(c.spend_12_months).max(0.0);
            let value_at_risk = match (clv, predicted) {
                (Some(_), Some((_, p_alive))) => base * (1.0 - p_alive),
                _ => base,
            };
            WinbackRow {
                customer_id: ds.customers.name(c.customer).unwrap_or_default().to_string(),
                stage: seg.stages[i].zh().to_string(),
                recency_days: c.recency_days,
                spend_12_months: c.spend_12_months,
                clv: predicted.and_then(|p| p.0),
                p_alive: predicted.map(|p| p.1),
                value_at_risk,
                invest: false,
            }
        })
        .collect();
    rows.sort_by(|a, b| b.value_at_risk.total_cmp(&a.value_at_risk).then_with(|| a.customer_id.cmp(&b.customer_id)));
    let floor = params.floor.unwrap_or_else(|| match rows.len() {
        0 => 0.0,
        n if n % 2 == 1 => rows[n / 2].value_at_risk,
        n => (rows[n / 2 - 1].value_at_risk + rows[n / 2].value_at_risk) / 2.0,
    });
    let (mut invest_customers, mut invest_value, mut let_go_customers, mut let_go_value) = (0, 0.0, 0, 0.0);
    for r in &mut rows {
        r.invest = r.value_at_risk >= floor;
        if r.invest {
            invest_customers += 1;
            invest_value += r.value_at_risk;
        } else {
            let_go_customers += 1;
            let_go_value += r.value_at_risk;
        }
    }
    let notes = Vec::new();
    Winback {
        params,
        floor,
        with_clv: clv.is_some(),
        invest_customers,
        invest_value,
        let_go_customers,
        let_go_value,
        rows,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::analysis::pyramid::{Measure, PyramidParams};
    use crate::core::report::segments::{segment, SegmentationParams};
    use crate::core::values::parse_iso_date;

    const EPS: f64 = 1e-9;

    /// Twelve customers as of 2024-12-31 (window from 2024-07-05, churn after 365 days), their
    /// stages worked out by hand: c01, c06, c07–c12 one recent order each (考察期); c02 one order in
    /// 2023 (终止); c03 two orders both in the window (形成期); c04 three orders, none in
    /// the window (退化期); c05 six orders in the 547 days before the window (1.97 per
    /// window, 197 spend) and two of 100 in it: neither rising nor falling, 2 orders (稳定期).
    /// c04's last order, 2024-01-10, is 356 days old: inside the churn window and the 12 months.
    /// Pyramid by total spend, top 25%: the three who spent the most (c07 5,000, c08 4,000, c09
    /// 3,000).
    fn dozen() -> (Dataset, Segmentation) {
        let rows: &[(&str, &str, f64)] = &[
            ("c01", "2024-12-01", 100.0),
            ("c02", "2023-06-01", 50.0),
            ("c03", "2024-10-01", 60.0),
            ("c03", "2024-11-01", 60.0),
            ("c04", "2023-01-01", 100.0),
            ("c04", "2023-07-01", 100.0),
            ("c04", "2024-01-10", 100.0),
            ("c05", "2023-01-05", 100.0),
            ("c05", "2023-04-05", 100.0),
            ("c05", "2023-07-05", 100.0),
            ("c05", "2023-10-05", 100.0),
            ("c05", "2024-01-05", 100.0),
            ("c05", "2024-04-05", 100.0),
            ("c05", "2024-07-10", 100.0),
            ("c05", "2024-10-10", 100.0),
            ("c06", "2024-12-20", 10.0),
            ("c07", "2024-11-05", 5000.0),
            ("c08", "2024-11-06", 4000.0),
            ("c09", "2024-11-07", 3000.0),
            ("c10", "2024-11-10", 10.0),
            ("c11", "2024-11-11", 20.0),
            ("c12", "2024-11-12", 30.0),
        ];
        let mut ds = Dataset { day: Some(vec![]), amount: Some(vec![]), ..Dataset::default() };
        for &(c, d, a) in rows {
            let code = ds.customers.intern(c);
            ds.customer.push(code);
            ds.day.as_mut().unwrap().push(parse_iso_date(d).unwrap());
            ds.amount.as_mut().unwrap().push(a);
        }
        let params = SegmentationParams {
            as_of: Some(parse_iso_date("2024-12-31").unwrap()),
            pyramid: PyramidParams { measure: Measure::TotalSpend, tiers: vec![("Top".into(), 0.25), ("Rest".into(), 0.75)] },
            ..SegmentationParams::default()
        };
        let seg = segment(&ds, &params.check().unwrap()).unwrap();
        (ds, seg)
    }

    const PLAYBOOK: &str = "segment,stage,pyramid,action,channel,priority,response_rate
,exploration,Top,VIP welcome,1:1,1,50%
,exploration,,First-order reward,SMS,2,0.1
,decline|终止,,Win back or let go,Email,3,0.05
,stability,,Keep,App,2,
,,,Newsletter,Email,5,
";

    #[test]
    fn a_playbook_applied_to_a_dozen_customers_worked_out_by_hand() {
        let (ds, seg) = dozen();
        let playbook = Playbook::parse(PLAYBOOK).unwrap();
        let a = assign(&seg, &playbook, None).unwrap();
        let by_id: std::collections::BTreeMap<&str, &str> = seg
            .facts
            .customers
            .iter()
            .zip(&a.of)
            .map(|(c, &k)| (ds.customers.name(c.customer).unwrap(), playbook.rows[k].action.as_str()))
            .collect();
        let want = [
            ("c01", "First-order reward"),
            ("c02", "Win back or let go"),
            ("c03", "Newsletter"),
            ("c04", "Win back or let go"),
            ("c05", "Keep"),
            ("c06", "First-order reward"),
            ("c07", "VIP welcome"),
            ("c08", "VIP welcome"),
            ("c09", "VIP welcome"),
            ("c10", "First-order reward"),
            ("c11", "First-order reward"),
            ("c12", "First-order reward"),
        ];
        assert_eq!(by_id.into_iter().collect::<Vec<_>>(), want);
        assert_eq!(a.unmatched, 0);
        let got: Vec<(usize, f64, f64)> =
            a.stats.iter().map(|s| (s.customers, s.revenue.unwrap(), s.expected_revenue.unwrap())).collect();
        // Expected revenue = customers × rate × mean order value: VIP 3 × 0.5 × 4,000; first order
        // 5 × 0.1 × 34; win back 2 × 0.05 × (350 / 4 orders).
        let want = [(3, 12000.0, 6000.0), (5, 170.0, 17.0), (2, 350.0, 8.75), (1, 800.0, 0.0), (1, 120.0, 0.0)];
        for (g, w) in got.iter().zip(want) {
            assert!(g.0 == w.0 && (g.1 - w.1).abs() < EPS && (g.2 - w.2).abs() < EPS, "{got:?}");
        }
        // The lists: most urgent first, then by spend.
        let list = rows(&ds, &seg, &a, None, None, None);
        let ids: Vec<&str> = list.iter().map(|r| r.customer_id.as_str()).collect();
        assert_eq!(ids[..5], ["c07", "c08", "c09", "c05", "c01"]);
        assert_eq!(list.len(), 12);
        let vip = rows(&ds, &seg, &a, Some(0), None, None);
        assert_eq!(
            (vip.len(), vip[0].last_order.as_str(), vip[0].stage.as_str(), vip[0].pyramid_tier.as_str()),
            (3, "2024-11-05", "考察期", "Top")
        );
    }

    #[test]
    fn a_playbook_reads_back_what_it_writes_and_refuses_what_it_cannot_use() {
        let (_, seg) = dozen();
        for playbook in [Playbook::default_in(true), Playbook::default_in(false), Playbook::parse(PLAYBOOK).unwrap()] {
            assert_eq!(Playbook::parse(&playbook.to_csv()).unwrap(), playbook);
            let json = serde_json::to_string(&playbook).unwrap();
            assert_eq!(Playbook::parse(&json).unwrap(), playbook);
        }
        // The default playbooks end with a row for everybody: no customer is left without an action.
        assert_eq!(assign(&seg, &Playbook::default_in(false), None).unwrap().unmatched, 0);
        let bad = |text: &str| Playbook::parse(text).and_then(|p| p.check(&seg)).unwrap_err();
        assert_eq!(
            bad("segment,action\nChampions,Hi\nChampoins,Typo\n").to_string().split(" (").next().unwrap(),
            "playbook line 3: there is no segment 'Champoins'"
        );
        assert_eq!(bad("stage,action\nsoon,x\n").code(), "playbook_line");
        assert_eq!(bad("pyramid,action\nGold,x\n").code(), "playbook_unknown_tier");
        assert_eq!(bad("segment,stage\nChampions,decline\n").code(), "playbook_header");
        assert_eq!(bad("action,response_rate\nx,150%\n").code(), "playbook_line");
        assert_eq!(bad("action\n").code(), "playbook_empty");
    }

    #[test]
    fn win_back_ranks_by_value_at_risk_and_splits_at_the_floor() {
        let (ds, seg) = dozen();
        // Without CLV: c04 (退化期; 12-month spend 100, the 2024-01-10 order) and c02 (no order for
        // 579 days; nothing in 12 months) are the candidates at 180 days.
        let w = winback(&ds, &seg, None, WinbackParams { dormant_days: 180, floor: Some(50.0) });
        let got: Vec<(&str, f64, bool)> = w.rows.iter().map(|r| (r.customer_id.as_str(), r.value_at_risk, r.invest)).collect();
        assert_eq!(got, [("c04", 100.0, true), ("c02", 0.0, false)]);
        assert_eq!((w.invest_customers, w.let_go_customers, w.invest_value), (1, 1, 100.0));
        // With CLV: value at risk = CLV × (1 − P(alive)); c04 600 × 0.5 = 300, c02 80 × 0.9 = 72.
        let mut clv: ClvByCode = vec![None; ds.customers.len()];
        clv[ds.customers.code("c04").unwrap() as usize] = Some((Some(600.0), 0.5));
        clv[ds.customers.code("c02").unwrap() as usize] = Some((Some(80.0), 0.1));
        let w = winback(&ds, &seg, Some(&clv), WinbackParams { dormant_days: 180, floor: None });
        let got: Vec<(&str, f64)> = w.rows.iter().map(|r| (r.customer_id.as_str(), r.value_at_risk)).collect();
        assert_eq!(got, [("c04", 300.0), ("c02", 72.0)]);
        assert!((w.floor - 186.0).abs() < EPS, "the median of 300 and 72");
        assert_eq!((w.invest_customers, w.let_go_value), (1, 72.0));
    }
}
