//! The rules form: every segmentation rule as the text a user types, and its conversion to checked
//! [`SegmentationParams`] with a [`RulesError`] naming the field when a value is wrong.

use crate::core::analysis::lifecycle::TierRule;
use crate::core::analysis::rfm::Scoring;
use crate::core::analysis::states::Period;
use crate::core::report::segments::{SegmentError, SegmentationParams};
use crate::core::values::{format_day, parse_date, DateError, DateOrder};
use serde::{Deserialize, Serialize};

/// The form's fields, as typed. Empty threshold fields mean "by rank".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct RulesForm {
    pub as_of: String,
    pub bins: String,
    pub r_thresholds: String,
    pub f_thresholds: String,
    pub m_thresholds: String,
    /// Percent of revenue for A and for B.
    pub abc_a: String,
    pub abc_b: String,
    /// `share` or `amount`.
    pub tier_mode: String,
    /// 钻石, 金卡, 银卡: percent of customers, or minimum 12-month spend.
    pub tiers: [String; 3],
    pub window_days: String,
    pub rise: String,
    pub fall: String,
    /// The stable level: orders and spend in the window (empty: the default).
    #[serde(default)]
    pub stable_orders: String,
    #[serde(default)]
    pub stable_spend: String,
    /// `month` or `quarter`.
    pub period: String,
    pub churn_days: String,
    pub dormant_days: String,
    /// The segment map, one segment per line: `Name: 555 554 …`.
    pub segments: String,
}

fn num(v: f64) -> String {
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn list(s: &Scoring) -> String {
    match s {
        Scoring::Ranked => String::new(),
        Scoring::Thresholds(t) => t.iter().map(|&x| num(x)).collect::<Vec<_>>().join(", "),
    }
}

impl RulesForm {
    /// The form showing `p`, with `as_of` the date in use.
    pub fn from_params(p: &SegmentationParams, as_of: Option<i32>) -> Self {
        let (tier_mode, tiers) = match &p.tiers {
            TierRule::Shares(s) => ("share", s.map(|x| num(x * 100.0))),
            TierRule::Amounts(a) => ("amount", a.map(num)),
        };
        Self {
            as_of: p.as_of.or(as_of).map(format_day).unwrap_or_default(),
            bins: p.rfm.bins.to_string(),
            r_thresholds: list(&p.rfm.recency),
            f_thresholds: list(&p.rfm.frequency),
            m_thresholds: list(&p.rfm.monetary),
            abc_a: num(p.abc.a * 100.0),
            abc_b: num(p.abc.b * 100.0),
            tier_mode: tier_mode.into(),
            tiers,
            window_days: p.stages.window_days.to_string(),
            rise: num(p.stages.rise),
            fall: num(p.stages.fall),
            stable_orders: p.stages.stable_orders.to_string(),
            stable_spend: num(p.stages.stable_spend),
            period: match p.states.period {
                Period::Month => "month",
                Period::Quarter => "quarter",
            }
            .into(),
            churn_days: p.states.churn_days.to_string(),
            dormant_days: p.states.dormant_days.to_string(),
            segments: p
                .rfm
                .segments
                .iter()
                .map(|(name, codes)| format!("{name}: {}", codes.iter().map(u16::to_string).collect::<Vec<_>>().join(" ")))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }

    /// The parameters the form describes, starting from `base` (which keeps what the form does not
    /// show, such as the segment map).
    ///
    /// # Errors
    /// [`RulesError`] naming the field whose value is wrong, or the rule that cannot be used.
    pub fn to_params(&self, base: &SegmentationParams) -> Result<SegmentationParams, RulesError> {
        let number = |field: Field, text: &str| -> Result<f64, RulesError> {
            text.trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| RulesError::NotANumber { field, text: text.trim().to_string() })
        };
        let whole = |field: Field, text: &str| -> Result<i32, RulesError> {
            text.trim().parse::<i32>().map_err(|_| RulesError::NotWhole { field, text: text.trim().to_string() })
        };
        let thresholds = |field: Field, text: &str| -> Result<Scoring, RulesError> {
            if text.trim().is_empty() {
                return Ok(Scoring::Ranked);
            }
            text.split([',', '，', ' '])
                .filter(|x| !x.trim().is_empty())
                .map(|x| number(field, x))
                .collect::<Result<_, _>>()
                .map(Scoring::Thresholds)
        };
        let mut p = base.clone();
        p.as_of = match self.as_of.trim() {
            "" => None,
            d => Some(parse_date(d, DateOrder::Ymd).map_err(RulesError::AsOf)?),
        };
        p.rfm.bins =
            self.bins.trim().parse().map_err(|_| RulesError::NotWhole { field: Field::Bins, text: self.bins.trim().into() })?;
        p.rfm.recency = thresholds(Field::RecencyThresholds, &self.r_thresholds)?;
        p.rfm.frequency = thresholds(Field::FrequencyThresholds, &self.f_thresholds)?;
        p.rfm.monetary = thresholds(Field::MonetaryThresholds, &self.m_thresholds)?;
        p.rfm.segments = parse_segments(&self.segments)?;
        p.rfm.check().map_err(SegmentError::from)?;
        p.abc.a = number(Field::AbcA, &self.abc_a)? / 100.0;
        p.abc.b = number(Field::AbcB, &self.abc_b)? / 100.0;
        p.abc.check().map_err(SegmentError::from)?;
        let t = [
            number(Field::Diamond, &self.tiers[0])?,
            number(Field::Gold, &self.tiers[1])?,
            number(Field::Silver, &self.tiers[2])?,
        ];
        p.tiers = if self.tier_mode == "amount" { TierRule::Amounts(t) } else { TierRule::Shares(t.map(|x| x / 100.0)) };
        p.tiers.check().map_err(SegmentError::from)?;
        p.stages.window_days = whole(Field::Window, &self.window_days)?;
        p.stages.rise = number(Field::Rise, &self.rise)?;
        p.stages.fall = number(Field::Fall, &self.fall)?;
        if !self.stable_orders.trim().is_empty() {
            p.stages.stable_orders = self
                .stable_orders
                .trim()
                .parse()
                .map_err(|_| RulesError::NotWhole { field: Field::StableOrders, text: self.stable_orders.trim().into() })?;
        }
        if !self.stable_spend.trim().is_empty() {
            p.stages.stable_spend = number(Field::StableSpend, &self.stable_spend)?;
        }
        p.stages.check().map_err(SegmentError::from)?;
        p.states.period = if self.period == "quarter" { Period::Quarter } else { Period::Month };
        p.states.churn_days = whole(Field::Churn, &self.churn_days)?;
        p.states.dormant_days = whole(Field::Dormant, &self.dormant_days)?;
        if p.states.churn_days < 1 || p.states.dormant_days < 1 {
            return Err(RulesError::StateWindows);
        }
        Ok(p)
    }
}

/// A field of the rules form, named in its errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Bins,
    RecencyThresholds,
    FrequencyThresholds,
    MonetaryThresholds,
    AbcA,
    AbcB,
    Diamond,
    Gold,
    Silver,
    Window,
    Rise,
    Fall,
    StableOrders,
    StableSpend,
    Churn,
    Dormant,
}

impl Field {
    /// The field's name in English messages (the command line's, and the English page's).
    pub fn en(self) -> &'static str {
        match self {
            Self::Bins => "bins",
            Self::RecencyThresholds => "recency thresholds",
            Self::FrequencyThresholds => "frequency thresholds",
            Self::MonetaryThresholds => "monetary thresholds",
            Self::AbcA => "ABC A %",
            Self::AbcB => "ABC B %",
            Self::Diamond => "钻石",
            Self::Gold => "金卡",
            Self::Silver => "银卡",
            Self::Window => "lifecycle window",
            Self::Rise => "formation factor",
            Self::Fall => "decline factor",
            Self::StableOrders => "stable orders",
            Self::StableSpend => "stable spend",
            Self::Churn => "churn window",
            Self::Dormant => "dormant after",
        }
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.en())
    }
}

/// What is wrong with the rules as typed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RulesError {
    #[error("{field}: '{text}' is not a number")]
    NotANumber { field: Field, text: String },
    #[error("{field}: '{text}' is not a whole number")]
    NotWhole { field: Field, text: String },
    #[error("as-of date: {0}")]
    AsOf(DateError),
    #[error("the churn window and the dormancy threshold must be at least one day")]
    StateWindows,
    /// Line numbers count from 1.
    #[error("segment map line {line}: expected 'Name: 555 554 …'")]
    MapNoColon { line: usize },
    #[error("segment map line {line}: the segment has no name")]
    MapNoName { line: usize },
    #[error("segment map line {line} ({name}): '{code}' is not an R-F-M code (three digits, each 1 to 5)")]
    MapCode { line: usize, name: String, code: String },
    #[error("the segment map is empty")]
    MapEmpty,
    /// A rule that reads as typed but cannot be used (bins, thresholds, ABC cuts, tiers, stages).
    #[error(transparent)]
    Rule(#[from] SegmentError),
}

impl RulesError {
    /// A stable key for the page to translate.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotANumber { .. } => "rules_not_a_number",
            Self::NotWhole { .. } => "rules_not_whole",
            Self::AsOf(_) => "rules_as_of",
            Self::StateWindows => "rules_state_windows",
            Self::MapNoColon { .. } => "segment_map_no_colon",
            Self::MapNoName { .. } => "segment_map_no_name",
            Self::MapCode { .. } => "segment_map_code",
            Self::MapEmpty => "segment_map_empty",
            Self::Rule(e) => e.code(),
        }
    }
}

/// Parses a segment map written one segment per line as `Name: 555 554 …` (blank lines skipped).
///
/// # Errors
/// [`RulesError`] naming the line that has no name, no colon, or a code that is not three digits
/// 1–5, or saying the map is empty.
pub fn parse_segments(text: &str) -> Result<Vec<(String, Vec<u16>)>, RulesError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let (name, codes) = line.split_once([':', '：']).ok_or(RulesError::MapNoColon { line: i + 1 })?;
        let name = name.trim();
        if name.is_empty() {
            return Err(RulesError::MapNoName { line: i + 1 });
        }
        let codes = codes
            .split([' ', ',', '，'])
            .filter(|c| !c.trim().is_empty())
            .map(|c| {
                let c = c.trim();
                c.parse::<u16>()
                    .ok()
                    .filter(|&v| (111..=555).contains(&v) && c.bytes().all(|b| (b'1'..=b'5').contains(&b)))
                    .ok_or_else(|| RulesError::MapCode { line: i + 1, name: name.to_string(), code: c.to_string() })
            })
            .collect::<Result<Vec<u16>, RulesError>>()?;
        out.push((name.to_string(), codes));
    }
    if out.is_empty() {
        return Err(RulesError::MapEmpty);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_rules_survive_a_trip_through_the_form() {
        let p = SegmentationParams::default();
        let form = RulesForm::from_params(&p, None);
        assert_eq!(form.abc_a, "80");
        assert_eq!(form.tiers, ["5".to_string(), "15".into(), "30".into()]);
        assert_eq!(form.r_thresholds, "");
        assert_eq!(form.to_params(&p).unwrap(), p);
    }

    #[test]
    fn typed_values_become_parameters() {
        let base = SegmentationParams::default();
        let mut form = RulesForm::from_params(&base, Some(20_000));
        assert_eq!(form.as_of, "2024-10-04");
        form.r_thresholds = "30, 90，180 365".into();
        form.period = "quarter".into();
        form.tier_mode = "amount".into();
        form.tiers = ["10000".into(), "5000".into(), "1000".into()];
        let p = form.to_params(&base).unwrap();
        assert_eq!(p.as_of, Some(20_000));
        assert_eq!(p.rfm.recency, Scoring::Thresholds(vec![30.0, 90.0, 180.0, 365.0]));
        assert_eq!(p.states.period, Period::Quarter);
        assert_eq!(p.tiers, TierRule::Amounts([10000.0, 5000.0, 1000.0]));
    }

    #[test]
    fn an_edited_segment_map_is_used() {
        let base = SegmentationParams::default();
        let mut form = RulesForm::from_params(&base, None);
        assert!(form.segments.starts_with("Champions: 555 554 544"));
        form.segments = "Best: 555\n\n最好：554, 545".into();
        let p = form.to_params(&base).unwrap();
        assert_eq!(p.rfm.segments, vec![("Best".to_string(), vec![555]), ("最好".to_string(), vec![554, 545])]);
    }

    #[test]
    fn a_wrong_value_is_named_by_its_field() {
        let base = SegmentationParams::default();
        type Edit = fn(&mut RulesForm);
        let cases: &[(Edit, &str)] = &[
            (|f| f.as_of = "2024-02-30".into(), "as-of date"),
            (|f| f.bins = "five".into(), "bins"),
            (|f| f.bins = "12".into(), "bins must be 2 to 10"),
            (|f| f.m_thresholds = "1,x,3,4".into(), "monetary thresholds: 'x'"),
            (|f| f.f_thresholds = "1,2".into(), "frequency thresholds"),
            (|f| f.abc_a = "90".into(), "ABC cuts"),
            (|f| f.tiers[0] = "60".into(), "tier shares"),
            (|f| f.window_days = "half a year".into(), "lifecycle window"),
            (|f| f.churn_days = "0".into(), "churn window"),
            (|f| f.segments = "Champions: 555 556".into(), "line 1 (Champions): '556'"),
            (|f| f.segments = "no colon here".into(), "line 1: expected"),
            (|f| f.segments = "   ".into(), "segment map is empty"),
        ];
        let mut codes = Vec::new();
        for (edit, want) in cases {
            let mut form = RulesForm::from_params(&base, None);
            edit(&mut form);
            let err = form.to_params(&base).unwrap_err();
            assert!(err.to_string().contains(want), "{want}: {err}");
            codes.push(err.code());
        }
        // Each kind of mistake has its own code for the page to translate.
        assert!(
            codes.contains(&"rules_not_a_number") && codes.contains(&"segment_map_empty") && codes.contains(&"tier_shares"),
            "{codes:?}"
        );
    }
}
