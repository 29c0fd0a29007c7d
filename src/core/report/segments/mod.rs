//! Segmentation as the app shows it: facts, RFM and ABC computed once, summarised per group
//! (named segment, Chinese class, R×F cell, ABC class), and customer lists for drill-down and export.

use crate::core::analysis::cohorts::{cohorts, Cohorts};
use crate::core::analysis::cross_sell::{cross_sell, CrossSellParams};
use crate::core::analysis::customers::{facts, Facts, FactsError};
use crate::core::analysis::engagement::{Engagement, EngagementError, EngagementParams};
use crate::core::analysis::groups::{GroupStat, Totals};
use crate::core::analysis::kpis::{kpis, Kpis};
use crate::core::analysis::lifecycle::{stage, tiers, LifecycleError, Stage, StageParams, TierRule, Tiers};
use crate::core::analysis::pareto::{pareto, Abc, AbcError, AbcParams, Pareto};
use crate::core::analysis::pyramid::{Pyramid, PyramidError, PyramidParams};
use crate::core::analysis::rfm::{segment_name_zh, CnSegment, Rfm, RfmError, RfmFacts, RfmParams};
use crate::core::analysis::stage_chain::{chain, StageChain};
use crate::core::analysis::states::{probabilities, walk, State, StateParams, StatesResult};
use crate::core::analysis::trends::{trends, KpiTrends};
use crate::core::dataset::Dataset;
use crate::core::values::{format_day, Day};
use serde::{Deserialize, Serialize};

mod lists;
mod summary;
#[cfg(test)]
mod tests;

pub use self::lists::{CustomerFilter, CustomerRow, CUSTOMER_COLUMNS};
pub use self::summary::{decodes, summary_parts, DecodePart, GridCell, PeriodRow, RulesZh, SegmentationSummary, StatesSummary};

/// Everything the user can set for segmentation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SegmentationParams {
    /// Default: the day after the last transaction.
    pub as_of: Option<Day>,
    pub rfm: RfmParams,
    pub abc: AbcParams,
    pub tiers: TierRule,
    pub stages: StageParams,
    pub states: StateParams,
    pub pyramid: PyramidParams,
    /// NPS counts only each customer's latest answer (default: every answer counts).
    #[serde(default)]
    pub nps_latest: bool,
    /// How an events file scores engagement (weights per type, half-life).
    #[serde(default)]
    pub engagement: EngagementParams,
}

/// The computed segmentation, kept by the worker for drill-down.
#[derive(Debug, Clone, PartialEq)]
pub struct Segmentation {
    pub params: SegmentationParams,
    pub facts: Facts,
    pub rfm: Rfm,
    /// ABC by revenue; `None` when the file has no amounts.
    pub pareto: Option<Pareto>,
    /// Membership tiers; `None` when they would come from spend and the file has no amounts.
    pub tiers: Option<Tiers>,
    pub stages: Vec<Stage>,
    pub states: StatesResult,
    pub kpis: Kpis,
    pub pyramid: Pyramid,
    pub cohorts: Cohorts,
    pub trends: KpiTrends,
    pub chain: StageChain,
    /// Every customer's engagement score from an events file, when one is given.
    pub engagement: Option<Engagement>,
    /// Each customer's latest survey answer (attitude and day), in the facts' order; all `None`
    /// without answers.
    pub attitude: Vec<Option<(crate::core::report::attitude::Attitude, Option<Day>)>>,
}

/// Why a dataset cannot be segmented: something it lacks, or a rule that cannot be used. The
/// message is the area's own; [`SegmentError::code`] is a stable key for the page to translate.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SegmentError {
    #[error(transparent)]
    Facts(#[from] FactsError),
    #[error(transparent)]
    Rfm(#[from] RfmError),
    #[error(transparent)]
    Abc(#[from] AbcError),
    #[error(transparent)]
    Lifecycle(#[from] LifecycleError),
    #[error(transparent)]
    Pyramid(#[from] PyramidError),
    #[error(transparent)]
    Engagement(#[from] EngagementError),
}

impl SegmentError {
    /// The area's code: `no_dates`, `rfm_bins`, `abc_cuts`, `tier_shares`, `pyramid_needs_clv`, …
    pub fn code(&self) -> &'static str {
        match self {
            Self::Facts(e) => e.code(),
            Self::Rfm(e) => e.code(),
            Self::Abc(e) => e.code(),
            Self::Lifecycle(e) => e.code(),
            Self::Pyramid(e) => e.code(),
            Self::Engagement(e) => e.code(),
        }
    }
}

/// Segmentation rules that passed [`SegmentationParams::check`]: what [`segment`] and
/// [`segment_with`] take, so that every rule is checked once, where the rules come in.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidSegmentationParams(SegmentationParams);

impl std::ops::Deref for ValidSegmentationParams {
    type Target = SegmentationParams;

    fn deref(&self) -> &SegmentationParams {
        &self.0
    }
}

impl SegmentationParams {
    /// Checks every rule: RFM bins, thresholds and segment codes, ABC cuts, membership tiers,
    /// lifecycle stages, the pyramid.
    ///
    /// # Errors
    /// The [`SegmentError`] of the first rule that cannot be used.
    pub fn check(self) -> Result<ValidSegmentationParams, SegmentError> {
        self.rfm.check()?;
        self.abc.check()?;
        self.tiers.check()?;
        self.stages.check()?;
        self.pyramid.check()?;
        self.engagement.check()?;
        Ok(ValidSegmentationParams(self))
    }
}

/// Computes facts, scores and classes.
///
/// # Errors
/// [`SegmentError`]: what the dataset lacks (dates, amounts, rows before the as-of date), or the
/// pyramid ranked by CLV before the CLV models have run.
pub fn segment(dataset: &Dataset, params: &ValidSegmentationParams) -> Result<Segmentation, SegmentError> {
    let inline = dataset.score.is_some().then(|| crate::core::analysis::nps::Survey::inline(dataset));
    segment_with(dataset, inline.as_ref(), None, None, params)
}

/// [`segment`] with survey answers from anywhere (the pyramid's NPS per tier and its advocates)
/// and, when the CLV models have run, each customer's predicted CLV by customer code (for the
/// pyramid ranked by CLV), and an events file (read by `api::read_events`: the engagement scores,
/// the pyramid of participation).
///
/// # Errors
/// As [`segment`].
pub fn segment_with(
    dataset: &Dataset,
    survey: Option<&crate::core::analysis::nps::Survey>,
    clv: Option<&[f64]>,
    events: Option<&Dataset>,
    params: &ValidSegmentationParams,
) -> Result<Segmentation, SegmentError> {
    let (facts, rfm) = scored(dataset, params.as_of, &params.rfm)?;
    // Without amounts (a visit log) every figure of money is left out, not shown as 0: ABC by
    // revenue, tiers by spend, and the stages' spend floor (stages then follow orders alone).
    let pareto = if facts.amounts {
        let revenues: Vec<f64> = facts.customers.iter().map(|c| c.monetary).collect();
        Some(pareto(&revenues, params.abc)?)
    } else {
        None
    };
    let tiers = if facts.amounts || dataset.member_level.is_some() {
        Some(tiers(dataset, &facts.customers, facts.as_of, &params.tiers)?)
    } else {
        None
    };
    let stage_params = stage_params(&params.stages, facts.amounts);
    let churn = params.states.churn_days;
    let stages = facts.customers.iter().map(|c| stage(c, facts.as_of, &stage_params, churn)).collect();
    let states = walk(&facts.customers, facts.as_of, &params.states);
    let kpis = kpis(dataset, &facts.customers);
    let engagement = events.map(|e| crate::core::analysis::engagement::engagement(e, dataset, facts.as_of, &params.engagement));
    let scores = engagement.as_ref().map(|e| e.score.as_slice());
    let pyramid = crate::core::analysis::pyramid::build(
        survey,
        clv,
        scores,
        &facts,
        &rfm,
        &states.current,
        &dataset.customers,
        &params.pyramid,
    )?;
    let cohorts = cohorts(dataset, &facts, params.states.period);
    let trends = trends(&facts.customers, &states.periods, &params.states, facts.as_of);
    let s = &params.states;
    let chain = chain(&facts.customers, facts.as_of, s.period, s.churn_days, &stage_params, s.horizon);
    let attitude = match survey {
        Some(survey) => crate::core::report::attitude::attitudes(survey, &facts),
        None => vec![None; facts.customers.len()],
    };
    Ok(Segmentation {
        params: params.0.clone(),
        facts,
        rfm,
        pareto,
        tiers,
        stages,
        states,
        kpis,
        pyramid,
        cohorts,
        trends,
        chain,
        engagement,
        attitude,
    })
}

/// The stage rules as they apply: without amounts every order is worth 0, so a spend floor
/// would keep everyone out of 稳定期 — stages follow the orders alone.
pub fn stage_params(params: &StageParams, amounts: bool) -> StageParams {
    if amounts {
        *params
    } else {
        StageParams { stable_spend: 0.0, ..*params }
    }
}

/// Every customer's facts and RFM scores, and nothing else of the segmentation: what the `rfm`
/// command prints.
///
/// # Errors
/// As [`segment`].
pub fn scored(dataset: &Dataset, as_of: Option<Day>, params: &RfmParams) -> Result<(Facts, Rfm), SegmentError> {
    let facts = facts(dataset, as_of)?;
    let rfm = crate::core::analysis::rfm::score_with(&facts.customers, params, facts.amounts)?;
    Ok((facts, rfm))
}

/// Customer `i`'s RFM columns: the `rfm` command's CSV row (the field order is the column order
/// users' scripts rely on), and the first nine fields of a [`CustomerRow`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RfmRow<'a> {
    pub customer_id: &'a str,
    pub recency_days: i32,
    pub frequency: u32,
    /// Rounded to the cent; `None` without amounts (printed empty).
    pub monetary: Option<f64>,
    pub r: u8,
    pub f: u8,
    /// `None` without amounts.
    pub m: Option<u8>,
    pub segment: &'a str,
    pub cn_segment: &'static str,
}

impl<'a> RfmRow<'a> {
    /// Customer `i` (index into the facts).
    pub fn of(dataset: &'a Dataset, facts: &'a Facts, rfm: &'a Rfm, i: usize) -> Self {
        Self::named(&dataset.customers, RfmFacts::from(&facts.customers[i]), rfm, i)
    }

    /// Customer `i` of the scores, whose facts are `c` and whose name is among `names`.
    pub fn named(names: &'a crate::core::dataset::Labels, c: RfmFacts, rfm: &'a Rfm, i: usize) -> Self {
        let s = &rfm.scores[i];
        Self {
            customer_id: names.name(c.customer).unwrap_or_default(),
            recency_days: c.recency_days,
            frequency: c.frequency,
            monetary: rfm.monetary().then(|| crate::core::values::to_cents(c.monetary)),
            r: s.r,
            f: s.f,
            m: rfm.monetary().then_some(s.m),
            segment: s.segment.map_or("", |k| &rfm.segment_map()[k].0),
            cn_segment: s.cn_segment.map_or("", CnSegment::zh),
        }
    }
}
