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

use super::segments::Segmentation;
use crate::core::analysis::lifecycle::Stage;
use crate::core::analysis::pyramid::tier_named;
use crate::core::dataset::Dataset;
use crate::core::values::format_day;
use serde::{Deserialize, Serialize};

/// One row of a playbook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaybookRow {
    /// RFM segment names; empty for any.
    #[serde(default)]
    pub segments: Vec<String>,
    /// Lifecycle stages; empty for any.
    #[serde(default)]
    pub stages: Vec<Stage>,
    /// Pyramid tier names; empty for any.
    #[serde(default)]
    pub pyramid: Vec<String>,
    pub action: String,
    #[serde(default)]
    pub channel: String,
    /// 1 is the most urgent.
    #[serde(default = "default_priority")]
    pub priority: u32,
    /// The share of the customers assumed to respond (0..1).
    #[serde(default)]
    pub response_rate: f64,
}

fn default_priority() -> u32 {
    3
}

/// The rows, first match wins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Playbook {
    pub rows: Vec<PlaybookRow>,
}

/// A playbook that cannot be used, with the line (1 = the header) to fix.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlaybookError {
    #[error("the playbook has no rows")]
    Empty,
    #[error(
        "the playbook's header lacks the column '{0}' (columns: segment,stage,pyramid,action,channel,priority,response_rate)"
    )]
    Header(String),
    #[error("playbook line {line}: {message}")]
    Line { line: usize, message: String },
    #[error("playbook line {line}: there is no segment '{name}' (segments: {known})")]
    UnknownSegment { line: usize, name: String, known: String },
    #[error("playbook line {line}: there is no pyramid tier '{name}' (tiers: {known})")]
    UnknownTier { line: usize, name: String, known: String },
}

impl PlaybookError {
    /// A stable key for the page to translate.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "playbook_empty",
            Self::Header(_) => "playbook_header",
            Self::Line { .. } => "playbook_line",
            Self::UnknownSegment { .. } => "playbook_unknown_segment",
            Self::UnknownTier { .. } => "playbook_unknown_tier",
        }
    }
}

/// The playbook's CSV columns.
pub const PLAYBOOK_COLUMNS: [&str; 7] = ["segment", "stage", "pyramid", "action", "channel", "priority", "response_rate"];

/// A default row: segments, stages, the action in English and Chinese, the channel in English and
/// Chinese, priority, response rate.
type DefaultRow = (&'static [&'static str], &'static [Stage], &'static str, &'static str, &'static str, &'static str, u32, f64);

/// The default playbook: the named RFM segments' plays, then the stage strategies of the
/// four-stage model for anyone left, then everybody.
#[rustfmt::skip]
const DEFAULT: &[DefaultRow] = &[
    (&["Champions"], &[Stage::Decline], "Personal check-in before they drift", "核心客户二次开发：专人回访", "1:1", "1对1", 1, 0.30),
    (&["Champions"], &[], "Advocacy and referral (以老带新)", "以老带新：邀请推荐与社群共创", "App / community", "App / 社群", 2, 0.15),
    (&["Can't Lose Them"], &[], "Win-back offer for a high-value customer", "高价值挽回：专属优惠", "Phone / 1:1", "电话 / 1对1", 1, 0.20),
    (&["At Risk"], &[], "Win-back offer", "挽回优惠券", "SMS + coupon", "短信 + 优惠券", 1, 0.10),
    (&["Loyal"], &[], "Loyalty benefits and early access", "忠诚权益与新品优先体验", "App", "App", 2, 0.12),
    (&["New Customers"], &[], "Second-order nudge", "促成第二单", "SMS", "短信", 2, 0.10),
    (&["Potential Loyalist"], &[], "Cross-sell bundle", "交叉销售套餐", "App push", "App 推送", 3, 0.08),
    (&["Promising"], &[], "Onboarding and personal value", "新客引导与个性化推荐", "App push", "App 推送", 3, 0.06),
    (&["Need Attention"], &[], "Personal recommendation", "个性化推荐", "Email", "邮件", 3, 0.05),
    (&["About To Sleep"], &[], "Reminder with a limited offer", "限时优惠提醒", "SMS", "短信", 3, 0.05),
    (&["Hibernating"], &[], "Low-cost reactivation", "低成本唤醒", "Email", "邮件", 4, 0.02),
    (&["Lost"], &[], "Let go (no spend)", "放弃：不再投入", "—", "—", 5, 0.0),
    (&[], &[Stage::Exploration], "Reward the first order, lower the uncertainty", "奖励首单，降低顾虑", "SMS", "短信", 3, 0.05),
    (&[], &[Stage::Formation], "Cross-sell and personal value", "交叉销售与个性化价值", "App push", "App 推送", 3, 0.06),
    (&[], &[Stage::Stability], "Keep them: loyalty benefits", "保持：忠诚权益", "App", "App", 2, 0.08),
    (&[], &[Stage::Decline], "Second development or let go, by value", "按价值二次开发或放弃", "Email", "邮件", 3, 0.03),
    (&[], &[Stage::End], "Let go", "放弃", "—", "—", 5, 0.0),
    (&[], &[], "Regular newsletter", "常规资讯", "Email", "邮件", 5, 0.01),
];

impl Playbook {
    /// The default playbook, its action names in Chinese or English.
    pub fn default_in(zh: bool) -> Self {
        let rows = DEFAULT
            .iter()
            .map(|&(segments, stages, en, zh_name, channel, channel_zh, priority, response_rate)| PlaybookRow {
                segments: segments.iter().map(|s| s.to_string()).collect(),
                stages: stages.to_vec(),
                pyramid: Vec::new(),
                action: if zh { zh_name } else { en }.to_string(),
                channel: if zh { channel_zh } else { channel }.to_string(),
                priority,
                response_rate,
            })
            .collect();
        Self { rows }
    }

    /// Reads a playbook from CSV (the [`PLAYBOOK_COLUMNS`], in any order; alternatives in a cell
    /// separated by `|`; stages by key or name: `decline`, `退化期`, `Decline`; named segments in
    /// English or Chinese; a default pyramid tier by its whole name or either half) or from JSON (the
    /// serialised [`Playbook`], or its list of rows).
    ///
    /// # Errors
    /// [`PlaybookError`] naming the line and what is wrong with it.
    pub fn parse(text: &str) -> Result<Self, PlaybookError> {
        let text = text.trim_start_matches('\u{feff}').trim();
        if text.starts_with('{') || text.starts_with('[') {
            let json: Result<Playbook, _> = serde_json::from_str(text)
                .or_else(|_| serde_json::from_str::<Vec<PlaybookRow>>(text).map(|rows| Playbook { rows }));
            let playbook = json.map_err(|e| PlaybookError::Line { line: e.line(), message: e.to_string() })?;
            return playbook.checked_shape();
        }
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| PlaybookError::Line { line: 1, message: e.to_string() })?
            .iter()
            .map(|h| h.trim().to_lowercase())
            .collect();
        let column = |name: &str| header.iter().position(|h| h == name);
        let action = column("action").ok_or_else(|| PlaybookError::Header("action".into()))?;
        let mut rows = Vec::new();
        for (k, record) in reader.records().enumerate() {
            let line = k + 2;
            let record = record.map_err(|e| PlaybookError::Line { line, message: e.to_string() })?;
            let cell = |name: &str| column(name).and_then(|c| record.get(c)).unwrap_or("").trim();
            let list =
                |name: &str| cell(name).split('|').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect::<Vec<_>>();
            let stages = list("stage")
                .iter()
                .map(|s| {
                    stage_named(s).ok_or_else(|| PlaybookError::Line {
                        line,
                        message: format!("'{s}' is not a lifecycle stage (exploration, formation, stability, decline, end)"),
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let priority = match cell("priority") {
                "" => default_priority(),
                p => p
                    .parse()
                    .map_err(|_| PlaybookError::Line { line, message: format!("priority '{p}' is not a whole number") })?,
            };
            let response_rate = match cell("response_rate").trim_end_matches('%') {
                "" => 0.0,
                r => {
                    let v: f64 = r
                        .parse()
                        .map_err(|_| PlaybookError::Line { line, message: format!("response rate '{r}' is not a number") })?;
                    if cell("response_rate").ends_with('%') || v > 1.0 {
                        v / 100.0
                    } else {
                        v
                    }
                }
            };
            rows.push(PlaybookRow {
                segments: list("segment"),
                stages,
                pyramid: list("pyramid"),
                action: record.get(action).unwrap_or("").trim().to_string(),
                channel: cell("channel").to_string(),
                priority,
                response_rate,
            });
        }
        Self { rows }.checked_shape()
    }

    /// Rows with an action and a response rate in 0..=1; a named segment written in Chinese
    /// (`冠军客户`) becomes its name (`Champions`).
    fn checked_shape(mut self) -> Result<Self, PlaybookError> {
        for name in self.rows.iter_mut().flat_map(|r| r.segments.iter_mut()) {
            if let Some(key) = crate::core::analysis::rfm::segment_from_zh(name) {
                *name = key.to_string();
            }
        }
        if self.rows.is_empty() {
            return Err(PlaybookError::Empty);
        }
        for (k, row) in self.rows.iter().enumerate() {
            let line = k + 2;
            if row.action.trim().is_empty() {
                return Err(PlaybookError::Line { line, message: "the action is empty".into() });
            }
            if !(0.0..=1.0).contains(&row.response_rate) {
                return Err(PlaybookError::Line {
                    line,
                    message: format!("response rate {} is not between 0 and 100%", row.response_rate),
                });
            }
        }
        Ok(self)
    }

    /// The playbook as CSV, the way [`Playbook::parse`] reads it.
    pub fn to_csv(&self) -> String {
        let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
        let _ = w.write_record(PLAYBOOK_COLUMNS);
        for r in &self.rows {
            let stages: Vec<String> = r.stages.iter().map(|s| stage_key(*s)).collect();
            let _ = w.write_record([
                r.segments.join("|"),
                stages.join("|"),
                r.pyramid.join("|"),
                r.action.clone(),
                r.channel.clone(),
                r.priority.to_string(),
                format!("{}", r.response_rate),
            ]);
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    /// Checks that every name is one of `seg`'s segments and pyramid tiers.
    ///
    /// # Errors
    /// [`PlaybookError::UnknownSegment`] or [`PlaybookError::UnknownTier`] with the row's line.
    pub fn check(&self, seg: &Segmentation) -> Result<(), PlaybookError> {
        let segments: Vec<&str> = seg.rfm.segment_map().iter().map(|s| s.0.as_str()).chain(["Unassigned"]).collect();
        let tiers: Vec<&str> = seg.pyramid.tiers.iter().map(|t| t.name.as_str()).collect();
        for (k, row) in self.rows.iter().enumerate() {
            let line = k + 2;
            if let Some(name) = row.segments.iter().find(|s| !segments.contains(&s.as_str())) {
                return Err(PlaybookError::UnknownSegment { line, name: name.clone(), known: segments.join(", ") });
            }
            if let Some(name) = row.pyramid.iter().find(|s| !tiers.iter().any(|t| tier_named(s, t))) {
                return Err(PlaybookError::UnknownTier { line, name: name.clone(), known: tiers.join(", ") });
            }
        }
        Ok(())
    }
}

/// A stage by its key (`decline`), English name (`Decline`) or Chinese names (退化期, 衰退期).
fn stage_named(text: &str) -> Option<Stage> {
    let t = text.trim();
    Stage::ALL.into_iter().find(|&s| {
        let (alt_zh, alt_en) = s.alternative();
        stage_key(s) == t.to_lowercase()
            || s.en().eq_ignore_ascii_case(t)
            || s.zh() == t
            || alt_zh == t
            || alt_en.eq_ignore_ascii_case(t)
    })
}

fn stage_key(s: Stage) -> String {
    serde_json::to_value(s).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}

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
    fn a_playbook_may_name_segments_stages_and_default_tiers_in_chinese() {
        let en = Playbook::parse(
            "segment,stage,pyramid,action\nChampions,decline,超级米粉 Super fans,A\nAt Risk|Lost,,,B\n,,Active,C\n",
        )
        .unwrap();
        let zh = Playbook::parse(
            "segment,stage,pyramid,action\n冠军客户,退化期,超级米粉 Super fans,A\n流失风险|已流失,,,B\n,,活跃用户,C\n",
        )
        .unwrap();
        assert_eq!(
            en.rows.iter().map(|r| (&r.segments, &r.stages)).collect::<Vec<_>>(),
            zh.rows.iter().map(|r| (&r.segments, &r.stages)).collect::<Vec<_>>()
        );
        assert_eq!(zh.rows[0].segments, vec!["Champions"]);
        // A default tier by either half of its name; a name the user gave only whole.
        use crate::core::analysis::pyramid::tier_named;
        assert!(tier_named("活跃用户", "活跃用户 Active") && tier_named("Active", "活跃用户 Active"));
        assert!(!tier_named("Top", "Top spenders") && tier_named("Top spenders", "Top spenders"));
        // Every default row's channel is in the playbook's language.
        assert!(Playbook::default_in(true)
            .rows
            .iter()
            .all(|r| !r.channel.contains("SMS") && !r.channel.contains("push") && !r.channel.contains("Email")));
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
