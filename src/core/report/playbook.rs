//! The playbook: its rows (segments × lifecycle stages × pyramid tiers → an action, a channel, a
//! priority and an assumed response rate), the default ones in Chinese or English, reading one
//! from CSV or JSON and writing it back, and checking its names against a segmentation. What the
//! actions hold and the campaign lists are in [`super::actions`].

use super::segments::Segmentation;
use crate::core::analysis::lifecycle::Stage;
use crate::core::analysis::pyramid::tier_named;
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
