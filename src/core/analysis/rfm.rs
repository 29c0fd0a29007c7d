//! RFM: recency, frequency and monetary scores, the widely used 11 named segments, and the Chinese
//! 8-class model (重要价值客户 …).
//!
//! # Formula
//! With N customers and B bins, a customer whose value is strictly worse than that of w customers
//! scores `1 + floor(B · w / N)` (recency: worse = more days; frequency and monetary: worse = smaller),
//! so equal values always get equal scores and B is best. Alternatively the user gives B − 1
//! thresholds per metric: recency scores `1 + #{t : days ≤ t}`, frequency and monetary
//! `1 + #{t : value ≥ t}`. Named segments are looked up by the code `r f m` on scores rescaled to
//! 1..5 (`round(1 + (s − 1) · 4 / (B − 1))`) when B ≠ 5.
//!
//! A file without amounts (a visit or check-in log) has no M: its customers get no M score and no
//! 8-class model, and their named segments are looked up by the code `r f` in the R-F map
//! ([`default_rf_segments`]).

use crate::core::analysis::customers::CustomerFacts;
use serde::{Deserialize, Serialize};

/// The default number of bins.
pub const DEFAULT_BINS: u8 = 5;

/// How scores are assigned for one metric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Scoring {
    /// By rank, with ties sharing a score (the formula above).
    #[default]
    Ranked,
    /// By thresholds the user typed, ascending; B = thresholds + 1.
    Thresholds(Vec<f64>),
}

/// Parameters of an RFM run; [`RfmParams::check`] validates them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RfmParams {
    pub bins: u8,
    pub recency: Scoring,
    pub frequency: Scoring,
    pub monetary: Scoring,
    /// Segment name → codes (`555`, `554`, …) on the 1..5 scale.
    pub segments: Vec<(String, Vec<u16>)>,
    /// Segment name → R-F codes (`55`, `54`, …): the map for files without amounts.
    #[serde(default = "default_rf_segments")]
    pub rf_segments: Vec<(String, Vec<u16>)>,
}

impl Default for RfmParams {
    fn default() -> Self {
        Self {
            bins: DEFAULT_BINS,
            recency: Scoring::Ranked,
            frequency: Scoring::Ranked,
            monetary: Scoring::Ranked,
            segments: default_segments(),
            rf_segments: default_rf_segments(),
        }
    }
}

/// Why RFM parameters are unusable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RfmError {
    Bins(u8),
    Thresholds { metric: &'static str, why: String },
    Code { segment: String, code: u16 },
    RfCode { segment: String, code: u16 },
}

impl std::fmt::Display for RfmError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Bins(b) => write!(f, "bins must be 2 to 10, not {b}"),
            Self::Thresholds { metric, why } => write!(f, "{metric} thresholds: {why}"),
            Self::Code { segment, code } => {
                write!(f, "segment '{segment}': {code} is not an R-F-M code (three digits, each 1 to 5)")
            }
            Self::RfCode { segment, code } => {
                write!(f, "segment '{segment}' of the R-F map: {code} is not an R-F code (two digits, each 1 to 5)")
            }
        }
    }
}

impl std::error::Error for RfmError {}

impl RfmError {
    /// A stable key for the page to translate.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Bins(_) => "rfm_bins",
            Self::Thresholds { .. } => "rfm_thresholds",
            Self::Code { .. } => "rfm_segment_code",
            Self::RfCode { .. } => "rf_segment_code",
        }
    }
}

impl RfmParams {
    /// Checks the parameters.
    ///
    /// # Errors
    /// [`RfmError`] for bins outside 2..=10, thresholds that are not strictly ascending finite numbers
    /// (or whose count disagrees with the bins), or segment codes outside 111..555.
    pub fn check(&self) -> Result<(), RfmError> {
        if !(2..=10).contains(&self.bins) {
            return Err(RfmError::Bins(self.bins));
        }
        for (metric, scoring) in [("recency", &self.recency), ("frequency", &self.frequency), ("monetary", &self.monetary)] {
            if let Scoring::Thresholds(t) = scoring {
                if t.len() + 1 != usize::from(self.bins) {
                    return Err(RfmError::Thresholds {
                        metric,
                        why: format!("{} bins need {} thresholds, got {}", self.bins, self.bins - 1, t.len()),
                    });
                }
                if t.iter().any(|x| !x.is_finite()) || t.windows(2).any(|w| w[0] >= w[1]) {
                    return Err(RfmError::Thresholds { metric, why: "they must be finite numbers in ascending order".into() });
                }
            }
        }
        for (name, codes) in &self.segments {
            if let Some(&code) = codes.iter().find(|&&c| !valid_code(c)) {
                return Err(RfmError::Code { segment: name.clone(), code });
            }
        }
        for (name, codes) in &self.rf_segments {
            if let Some(&code) = codes.iter().find(|&&c| !valid_rf_code(c)) {
                return Err(RfmError::RfCode { segment: name.clone(), code });
            }
        }
        Ok(())
    }
}

fn valid_code(c: u16) -> bool {
    (111..=555).contains(&c) && [c / 100, c / 10 % 10, c % 10].iter().all(|d| (1..=5).contains(d))
}

fn valid_rf_code(c: u16) -> bool {
    (11..=55).contains(&c) && [c / 10, c % 10].iter().all(|d| (1..=5).contains(d))
}

/// The 11-segment map over the 125 R-F-M codes (issue 3).
pub fn default_segments() -> Vec<(String, Vec<u16>)> {
    let table: [(&str, &[u16]); 11] = [
        ("Champions", &[555, 554, 544, 545, 454, 455, 445]),
        ("Loyal", &[543, 444, 435, 355, 354, 345, 344, 335]),
        (
            "Potential Loyalist",
            &[
                553, 551, 552, 541, 542, 533, 532, 531, 452, 451, 442, 441, 431, 453, 433, 432, 423, 353, 352, 351, 342, 341,
                333, 323,
            ],
        ),
        ("New Customers", &[512, 511, 422, 421, 412, 411, 311]),
        ("Promising", &[525, 524, 523, 522, 521, 515, 514, 513, 425, 424, 413, 414, 415, 315, 314, 313]),
        ("Need Attention", &[535, 534, 443, 434, 343, 334, 325, 324]),
        ("About To Sleep", &[331, 321, 312, 221, 213, 231, 241, 251]),
        (
            "At Risk",
            &[255, 254, 245, 244, 253, 252, 243, 242, 235, 234, 225, 224, 153, 152, 145, 143, 142, 135, 134, 133, 125, 124],
        ),
        ("Can't Lose Them", &[155, 154, 144, 214, 215, 115, 114, 113]),
        ("Hibernating", &[332, 322, 233, 232, 223, 222, 132, 123, 122, 212, 211]),
        ("Lost", &[111, 112, 121, 131, 141, 151]),
    ];
    table.iter().map(|(n, c)| (n.to_string(), c.to_vec())).collect()
}

/// The 11 named segments over the 25 R-F codes, for files without amounts: the R-F map that RFM
/// guides use where M is not known (R then F: Champions 5[4-5], Loyal [3-4][4-5], Potential
/// Loyalist [4-5][2-3], New Customers 51, Promising 41, Need Attention 33, About To Sleep 3[1-2],
/// At Risk [1-2][3-4], Can't Lose Them [1-2]5, Hibernating [1-2][1-2]), with 11 — the longest
/// gone who came least — as Lost.
pub fn default_rf_segments() -> Vec<(String, Vec<u16>)> {
    let table: [(&str, &[u16]); 11] = [
        ("Champions", &[55, 54]),
        ("Loyal", &[45, 44, 35, 34]),
        ("Potential Loyalist", &[53, 52, 43, 42]),
        ("New Customers", &[51]),
        ("Promising", &[41]),
        ("Need Attention", &[33]),
        ("About To Sleep", &[32, 31]),
        ("At Risk", &[24, 23, 14, 13]),
        ("Can't Lose Them", &[25, 15]),
        ("Hibernating", &[22, 21, 12]),
        ("Lost", &[11]),
    ];
    table.iter().map(|(n, c)| (n.to_string(), c.to_vec())).collect()
}

/// Chinese names of the 11 named segments, for the Chinese UI and the `cn_segment`-style columns.
pub fn segment_name_zh(name: &str) -> Option<&'static str> {
    Some(match name {
        "Champions" => "冠军客户",
        "Loyal" => "忠诚客户",
        "Potential Loyalist" => "潜力客户",
        "New Customers" => "新客户",
        "Promising" => "有望客户",
        "Need Attention" => "需要关注",
        "About To Sleep" => "即将沉睡",
        "At Risk" => "流失风险",
        "Can't Lose Them" => "不能失去",
        "Hibernating" => "休眠客户",
        "Lost" => "已流失",
        _ => return None,
    })
}

/// The named segment whose Chinese name is `zh` (`冠军客户` → `Champions`): a playbook may name
/// segments either way.
pub fn segment_from_zh(zh: &str) -> Option<&'static str> {
    const NAMED: [&str; 11] = [
        "Champions",
        "Loyal",
        "Potential Loyalist",
        "New Customers",
        "Promising",
        "Need Attention",
        "About To Sleep",
        "At Risk",
        "Can't Lose Them",
        "Hibernating",
        "Lost",
    ];
    NAMED.into_iter().find(|n| segment_name_zh(n) == Some(zh))
}

/// The Chinese 8-class model: R, F, M each high or low against the customers' mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CnSegment {
    ImportantValue,
    ImportantDevelop,
    ImportantKeep,
    ImportantRetain,
    GeneralValue,
    GeneralDevelop,
    GeneralKeep,
    GeneralRetain,
}

impl CnSegment {
    pub const ALL: [CnSegment; 8] = [
        Self::ImportantValue,
        Self::ImportantDevelop,
        Self::ImportantKeep,
        Self::ImportantRetain,
        Self::GeneralValue,
        Self::GeneralDevelop,
        Self::GeneralKeep,
        Self::GeneralRetain,
    ];

    /// The class of a customer whose R, F and M are each high (better than the mean) or not.
    pub fn of(r_high: bool, f_high: bool, m_high: bool) -> Self {
        match (r_high, f_high, m_high) {
            (true, true, true) => Self::ImportantValue,
            (true, false, true) => Self::ImportantDevelop,
            (false, true, true) => Self::ImportantKeep,
            (false, false, true) => Self::ImportantRetain,
            (true, true, false) => Self::GeneralValue,
            (true, false, false) => Self::GeneralDevelop,
            (false, true, false) => Self::GeneralKeep,
            (false, false, false) => Self::GeneralRetain,
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Self::ImportantValue => "重要价值客户",
            Self::ImportantDevelop => "重要发展客户",
            Self::ImportantKeep => "重要保持客户",
            Self::ImportantRetain => "重要挽留客户",
            Self::GeneralValue => "一般价值客户",
            Self::GeneralDevelop => "一般发展客户",
            Self::GeneralKeep => "一般保持客户",
            Self::GeneralRetain => "一般挽留客户",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Self::ImportantValue => "Important value",
            Self::ImportantDevelop => "Important to develop",
            Self::ImportantKeep => "Important to keep",
            Self::ImportantRetain => "Important to win back",
            Self::GeneralValue => "General value",
            Self::GeneralDevelop => "General to develop",
            Self::GeneralKeep => "General to keep",
            Self::GeneralRetain => "General to win back",
        }
    }
}

/// What RFM scores read of a customer's facts: what the `rfm` command keeps of each customer (24
/// bytes, where a [`CustomerFacts`] takes 152 and its lists more).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RfmFacts {
    /// Code of the customer.
    pub customer: u32,
    pub recency_days: i32,
    pub frequency: u32,
    pub monetary: f64,
}

impl From<&CustomerFacts> for RfmFacts {
    fn from(c: &CustomerFacts) -> Self {
        Self { customer: c.customer, recency_days: c.recency_days, frequency: c.frequency, monetary: c.monetary }
    }
}

/// A customer's recency, frequency and monetary value, from whichever facts hold them.
pub trait RfmValues {
    fn rfm_values(&self) -> RfmFacts;
}

impl RfmValues for CustomerFacts {
    fn rfm_values(&self) -> RfmFacts {
        RfmFacts::from(self)
    }
}

impl RfmValues for RfmFacts {
    fn rfm_values(&self) -> RfmFacts {
        *self
    }
}

/// One customer's scores and segments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RfmScore {
    pub r: u8,
    pub f: u8,
    /// 0 without amounts (no M score).
    pub m: u8,
    /// The named segment (index into the params' segments, or without amounts into the R-F map),
    /// if its code is listed.
    pub segment: Option<usize>,
    /// `None` without amounts: the 8 classes need M.
    pub cn_segment: Option<CnSegment>,
}

/// Scores for every customer, in the order of the facts given.
#[derive(Debug, Clone, PartialEq)]
pub struct Rfm {
    pub params: RfmParams,
    pub scores: Vec<RfmScore>,
    /// The means the 8-class model compares against.
    pub mean_recency: f64,
    pub mean_frequency: f64,
    /// `None` without amounts.
    pub mean_monetary: Option<f64>,
}

impl Rfm {
    /// Whether there are M scores (the file has amounts).
    pub fn monetary(&self) -> bool {
        self.mean_monetary.is_some()
    }

    /// The segment map the named segments come from: R-F-M, or R-F without amounts.
    pub fn segment_map(&self) -> &[(String, Vec<u16>)] {
        if self.monetary() {
            &self.params.segments
        } else {
            &self.params.rf_segments
        }
    }
}

/// Ranked scores: `1 + floor(bins · w / n)`, w = how many values are strictly worse.
/// `higher_is_better` says which direction is worse. The values are finite (facts are).
///
/// One sort of (value, position) pairs, then a walk over runs of equal values: every value of a
/// run has the run's start (or, lower being better, what follows its end) as its count of worse
/// values. A binary search per value would read a million-entry array at random 20 times each.
pub fn ranked_scores(values: &[f64], bins: u8, higher_is_better: bool) -> Vec<u8> {
    let n = values.len();
    let mut sorted: Vec<(f64, u32)> = values.iter().enumerate().map(|(i, &v)| (v, i as u32)).collect();
    sorted.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let mut scores = vec![0u8; n];
    let mut start = 0;
    while start < n {
        let v = sorted[start].0;
        // -0.0 and 0.0 are one run (they are equal, and adjacent in this order).
        let end = start + 1 + sorted[start + 1..].iter().take_while(|p| p.0 == v).count();
        let worse = if higher_is_better { start } else { n - end };
        let score = (1 + usize::from(bins) * worse / n).min(usize::from(bins)) as u8;
        for &(_, i) in &sorted[start..end] {
            scores[i as usize] = score;
        }
        start = end;
    }
    scores
}

fn threshold_scores(values: &[f64], thresholds: &[f64], higher_is_better: bool) -> Vec<u8> {
    values
        .iter()
        .map(|&v| {
            let passed = thresholds.iter().filter(|&&t| if higher_is_better { v >= t } else { v <= t }).count();
            (1 + passed) as u8
        })
        .collect()
}

/// A score on 1..bins rescaled to 1..5.
pub fn to_five(score: u8, bins: u8) -> u8 {
    if bins == 5 {
        return score;
    }
    if bins <= 1 {
        return 3;
    }
    let s = 1.0 + f64::from(score.saturating_sub(1)) * 4.0 / f64::from(bins - 1);
    (s + 0.5).floor().clamp(1.0, 5.0) as u8
}

fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        0.0
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    }
}

/// Scores customers.
///
/// # Errors
/// [`RfmError`] when the parameters are invalid (see [`RfmParams::check`]).
pub fn score(customers: &[CustomerFacts], params: &RfmParams) -> Result<Rfm, RfmError> {
    score_with(customers, params, true)
}

/// [`score`], with `monetary` false for customers of a file without amounts: no M scores, no
/// 8-class model, named segments from the R-F map.
///
/// # Errors
/// As [`score`].
pub fn score_with<C: RfmValues>(customers: &[C], params: &RfmParams, monetary: bool) -> Result<Rfm, RfmError> {
    params.check()?;
    let recency: Vec<f64> = customers.iter().map(|c| f64::from(c.rfm_values().recency_days)).collect();
    let frequency: Vec<f64> = customers.iter().map(|c| f64::from(c.rfm_values().frequency)).collect();
    let amounts: Vec<f64> = customers.iter().map(|c| c.rfm_values().monetary).collect();
    let scores_for = |values: &[f64], scoring: &Scoring, higher: bool| match scoring {
        Scoring::Ranked => ranked_scores(values, params.bins, higher),
        Scoring::Thresholds(t) => threshold_scores(values, t, higher),
    };
    let r = scores_for(&recency, &params.recency, false);
    let f = scores_for(&frequency, &params.frequency, true);
    let m = if monetary { scores_for(&amounts, &params.monetary, true) } else { vec![0; customers.len()] };
    let (mr, mf, mm) = (mean(&recency), mean(&frequency), mean(&amounts));
    let map = if monetary { &params.segments } else { &params.rf_segments };
    let mut lookup = [None; 556];
    for (i, (_, codes)) in map.iter().enumerate() {
        for &c in codes {
            lookup[usize::from(c)].get_or_insert(i);
        }
    }
    let scores = (0..customers.len())
        .map(|i| {
            let rf = u16::from(to_five(r[i], params.bins)) * 10 + u16::from(to_five(f[i], params.bins));
            let code = if monetary { rf * 10 + u16::from(to_five(m[i], params.bins)) } else { rf };
            RfmScore {
                r: r[i],
                f: f[i],
                m: m[i],
                segment: lookup[usize::from(code)],
                cn_segment: monetary.then(|| CnSegment::of(recency[i] < mr, frequency[i] > mf, amounts[i] > mm)),
            }
        })
        .collect();
    Ok(Rfm { params: params.clone(), scores, mean_recency: mr, mean_frequency: mf, mean_monetary: monetary.then_some(mm) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(rfm: &[(i32, u32, f64)]) -> Vec<CustomerFacts> {
        rfm.iter()
            .enumerate()
            .map(|(i, &(recency_days, frequency, monetary))| CustomerFacts {
                recency_days,
                frequency,
                monetary,
                ..CustomerFacts::with_orders(i as u32, &[])
            })
            .collect()
    }

    /// [`ranked_scores`] the simple way: a binary search per value.
    fn ranked_scores_simple(values: &[f64], bins: u8, higher_is_better: bool) -> Vec<u8> {
        let n = values.len();
        let mut sorted: Vec<f64> = values.to_vec();
        sorted.sort_unstable_by(f64::total_cmp);
        values
            .iter()
            .map(|&v| {
                let worse =
                    if higher_is_better { sorted.partition_point(|&x| x < v) } else { n - sorted.partition_point(|&x| x <= v) };
                (1 + usize::from(bins) * worse / n.max(1)).min(usize::from(bins)) as u8
            })
            .collect()
    }

    proptest::proptest! {
        /// Many ties, signed zeros, any number of bins.
        #[test]
        fn ranked_scores_equal_the_simple_way(
            values in proptest::collection::vec(proptest::prop_oneof![-3i32..40, proptest::strategy::Just(0)], 0..300),
            bins in 2u8..=10,
            zeros in proptest::bool::ANY,
        ) {
            let values: Vec<f64> =
                values.iter().enumerate().map(|(i, &v)| if v == 0 && zeros && i % 2 == 0 { -0.0 } else { f64::from(v) / 4.0 }).collect();
            for higher in [true, false] {
                proptest::prop_assert_eq!(ranked_scores(&values, bins, higher), ranked_scores_simple(&values, bins, higher));
            }
        }
    }

    #[test]
    fn ranked_scores_follow_the_formula_and_ties_share_a_score() {
        // Values 1..=10, B = 5: w = value − 1, score = 1 + floor(5w/10).
        let values: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(ranked_scores(&values, 5, true), vec![1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
        // Recency: fewer days is better, so the order flips.
        assert_eq!(ranked_scores(&values, 5, false), vec![5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
        // Ties: three customers at 7 have w = 1 (only the 2 is worse): all score 1 + floor(5/4) = 2.
        assert_eq!(ranked_scores(&[2.0, 7.0, 7.0, 7.0], 5, true), vec![1, 2, 2, 2]);
        // Everyone equal: nobody is worse, everyone scores 1.
        assert_eq!(ranked_scores(&[3.0, 3.0, 3.0], 5, true), vec![1, 1, 1]);
        assert_eq!(ranked_scores(&[42.0], 5, true), vec![1]);
        assert_eq!(ranked_scores(&[], 5, true), Vec::<u8>::new());
    }

    #[test]
    fn thresholds_score_by_what_each_value_passes() {
        let days = [10.0, 30.0, 31.0, 400.0];
        assert_eq!(threshold_scores(&days, &[30.0, 90.0, 180.0, 365.0], false), vec![5, 5, 4, 1]);
        let orders = [1.0, 2.0, 5.0, 11.0];
        assert_eq!(threshold_scores(&orders, &[2.0, 3.0, 5.0, 10.0], true), vec![1, 2, 4, 5]);
    }

    #[test]
    fn the_eleven_segments_cover_all_125_codes_exactly_once() {
        let mut seen = std::collections::HashMap::new();
        for (name, codes) in default_segments() {
            for c in codes {
                assert!(valid_code(c), "{c}");
                assert!(seen.insert(c, name.clone()).is_none(), "{c} listed twice");
            }
        }
        assert_eq!(seen.len(), 125);
        assert_eq!(seen[&555], "Champions");
        assert_eq!(seen[&111], "Lost");
        assert_eq!(seen[&155], "Can't Lose Them");
    }

    #[test]
    fn the_r_f_map_names_each_of_the_25_codes_once() {
        let mut seen = std::collections::BTreeMap::new();
        for (name, codes) in default_rf_segments() {
            for c in codes {
                assert!(seen.insert(c, name.clone()).is_none(), "{c} twice");
            }
        }
        assert_eq!(seen.len(), 25);
        let names: Vec<String> = default_segments().into_iter().map(|s| s.0).collect();
        let rf_names: Vec<String> = default_rf_segments().into_iter().map(|s| s.0).collect();
        assert_eq!(names, rf_names, "the same 11 segments, so that playbooks and lists name them alike");
    }

    #[test]
    fn without_amounts_there_is_no_m_and_segments_come_from_r_and_f() {
        // Five customers (recency days, orders), scored 1 + floor(5w / 5) = 1 + w with w the
        // customers strictly worse: (1, 9) has four worse on both: 5 and 5
        // (Champions); (10, 1): three are less recent, nobody has fewer orders → 41, Promising;
        // (20, 3): two less recent, three with fewer orders → 34, Loyal; the oldest single
        // visitor 11, Lost.
        let rows = [(1, 9, 0.0), (10, 1, 0.0), (20, 3, 0.0), (30, 1, 0.0), (400, 1, 0.0)];
        let rfm = score_with(&facts(&rows), &RfmParams::default(), false).unwrap();
        let named: Vec<(u8, u8, u8, &str)> =
            rfm.scores.iter().map(|s| (s.r, s.f, s.m, rfm.segment_map()[s.segment.unwrap()].0.as_str())).collect();
        assert_eq!(
            named,
            [(5, 5, 0, "Champions"), (4, 1, 0, "Promising"), (3, 4, 0, "Loyal"), (2, 1, 0, "Hibernating"), (1, 1, 0, "Lost")]
        );
        assert!(rfm.scores.iter().all(|s| s.cn_segment.is_none()));
        assert_eq!(rfm.mean_monetary, None);
        assert!(!rfm.monetary());
    }

    #[test]
    fn all_eight_chinese_classes_come_from_the_mean_comparisons() {
        // Means: recency 50, frequency 5, monetary 500. Each customer is high or low on each.
        let cases = [
            ((10, 9, 900.0), CnSegment::ImportantValue, "重要价值客户"),
            ((10, 1, 900.0), CnSegment::ImportantDevelop, "重要发展客户"),
            ((90, 9, 900.0), CnSegment::ImportantKeep, "重要保持客户"),
            ((90, 1, 900.0), CnSegment::ImportantRetain, "重要挽留客户"),
            ((10, 9, 100.0), CnSegment::GeneralValue, "一般价值客户"),
            ((10, 1, 100.0), CnSegment::GeneralDevelop, "一般发展客户"),
            ((90, 9, 100.0), CnSegment::GeneralKeep, "一般保持客户"),
            ((90, 1, 100.0), CnSegment::GeneralRetain, "一般挽留客户"),
        ];
        let rows: Vec<(i32, u32, f64)> = cases.iter().map(|c| c.0).collect();
        let rfm = score(&facts(&rows), &RfmParams::default()).unwrap();
        assert_eq!((rfm.mean_recency, rfm.mean_frequency, rfm.mean_monetary), (50.0, 5.0, Some(500.0)));
        for (s, (_, want, zh)) in rfm.scores.iter().zip(cases) {
            assert_eq!(s.cn_segment, Some(want));
            assert_eq!(s.cn_segment.map(CnSegment::zh), Some(zh));
        }
    }

    #[test]
    fn a_value_equal_to_the_mean_is_not_high() {
        let rfm = score(&facts(&[(5, 2, 10.0), (5, 2, 10.0)]), &RfmParams::default()).unwrap();
        assert!(rfm.scores.iter().all(|s| s.cn_segment == Some(CnSegment::GeneralRetain)));
    }

    #[test]
    fn named_segments_use_the_scores() {
        // Ten customers from worst to best on all three metrics: the best is 555, the worst 111.
        let rows: Vec<(i32, u32, f64)> = (0..10).map(|i| (100 - i * 10, 1 + i as u32, 10.0 * (i + 1) as f64)).collect();
        let rfm = score(&facts(&rows), &RfmParams::default()).unwrap();
        let names: Vec<&str> = rfm.scores.iter().map(|s| rfm.params.segments[s.segment.unwrap()].0.as_str()).collect();
        assert_eq!(names[9], "Champions");
        assert_eq!(names[0], "Lost");
        assert_eq!((rfm.scores[9].r, rfm.scores[9].f, rfm.scores[9].m), (5, 5, 5));
    }

    #[test]
    fn other_bin_counts_are_rescaled_to_the_five_point_map() {
        assert_eq!((1..=3).map(|s| to_five(s, 3)).collect::<Vec<_>>(), vec![1, 3, 5]);
        assert_eq!((1..=10).map(|s| to_five(s, 10)).collect::<Vec<_>>(), vec![1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
        let params = RfmParams { bins: 3, ..RfmParams::default() };
        let rfm = score(&facts(&[(1, 9, 99.0), (50, 1, 1.0), (20, 4, 40.0)]), &params).unwrap();
        assert_eq!((rfm.scores[0].r, rfm.scores[0].f, rfm.scores[0].m), (3, 3, 3));
        assert_eq!(rfm.params.segments[rfm.scores[0].segment.unwrap()].0, "Champions");
    }

    #[test]
    fn bad_parameters_are_refused_with_a_reason() {
        assert_eq!(RfmParams { bins: 1, ..RfmParams::default() }.check(), Err(RfmError::Bins(1)));
        let p = RfmParams { recency: Scoring::Thresholds(vec![90.0, 30.0, 180.0, 365.0]), ..RfmParams::default() };
        assert!(p.check().unwrap_err().to_string().contains("ascending"));
        let p = RfmParams { monetary: Scoring::Thresholds(vec![1.0]), ..RfmParams::default() };
        assert!(p.check().unwrap_err().to_string().contains("5 bins need 4 thresholds"));
        let p = RfmParams { segments: vec![("X".into(), vec![606])], ..RfmParams::default() };
        assert!(p.check().unwrap_err().to_string().contains("606"));
    }
}
