//! Segmentation as the app shows it: facts, RFM and ABC computed once, summarised per group
//! (named segment, Chinese class, R×F cell, ABC class), and customer lists for drill-down and export.

use crate::core::analysis::cohorts::{cohorts, Cohorts};
use crate::core::analysis::customers::{facts, Facts, FactsError};
use crate::core::analysis::groups::{GroupStat, Totals};
use crate::core::analysis::kpis::{kpis, Kpis};
use crate::core::analysis::lifecycle::{stage, tiers, LifecycleError, Stage, StageParams, TierRule, Tiers};
use crate::core::analysis::pareto::{pareto, Abc, AbcError, AbcParams, Pareto};
use crate::core::analysis::pyramid::{Pyramid, PyramidError, PyramidParams};
use crate::core::analysis::rfm::{score, segment_name_zh, CnSegment, Rfm, RfmError, RfmParams};
use crate::core::analysis::stage_chain::{chain, ChainState, StageChain};
use crate::core::analysis::states::{probabilities, walk, State, StateParams, StatesResult};
use crate::core::analysis::trends::{trends, KpiTrends};
use crate::core::dataset::Dataset;
use crate::core::values::{format_day, Day};
use serde::{Deserialize, Serialize};

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
}

/// The computed segmentation, kept by the worker for drill-down.
#[derive(Debug, Clone, PartialEq)]
pub struct Segmentation {
    pub params: SegmentationParams,
    pub facts: Facts,
    pub rfm: Rfm,
    pub pareto: Pareto,
    pub tiers: Tiers,
    pub stages: Vec<Stage>,
    pub states: StatesResult,
    pub kpis: Kpis,
    pub pyramid: Pyramid,
    pub cohorts: Cohorts,
    pub trends: KpiTrends,
    pub chain: StageChain,
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
    segment_with(dataset, inline.as_ref(), None, params)
}

/// [`segment`] with survey answers from anywhere (the pyramid's NPS per tier and its advocates)
/// and, when the CLV models have run, each customer's predicted CLV by customer code (for the
/// pyramid ranked by CLV).
///
/// # Errors
/// As [`segment`].
pub fn segment_with(
    dataset: &Dataset,
    survey: Option<&crate::core::analysis::nps::Survey>,
    clv: Option<&[f64]>,
    params: &ValidSegmentationParams,
) -> Result<Segmentation, SegmentError> {
    let (facts, rfm) = scored(dataset, params.as_of, &params.rfm)?;
    let revenues: Vec<f64> = facts.customers.iter().map(|c| c.monetary).collect();
    let pareto = pareto(&revenues, params.abc)?;
    let tiers = tiers(dataset, &facts.customers, facts.as_of, &params.tiers)?;
    let stages = facts.customers.iter().map(|c| stage(c, facts.as_of, &params.stages)).collect();
    let states = walk(&facts.customers, facts.as_of, &params.states);
    let kpis = kpis(dataset, &facts.customers);
    let pyramid =
        crate::core::analysis::pyramid::build(survey, clv, &facts, &rfm, &states.current, &dataset.customers, &params.pyramid)?;
    let cohorts = cohorts(dataset, &facts, params.states.period);
    let trends = trends(&facts.customers, &states.periods, &params.states, facts.as_of);
    let s = &params.states;
    let chain = chain(&facts.customers, facts.as_of, s.period, s.churn_days, &params.stages, s.horizon);
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
    })
}

/// Every customer's facts and RFM scores, and nothing else of the segmentation: what the `rfm`
/// command prints.
///
/// # Errors
/// As [`segment`].
pub fn scored(dataset: &Dataset, as_of: Option<Day>, params: &RfmParams) -> Result<(Facts, Rfm), SegmentError> {
    let facts = facts(dataset, as_of)?;
    let rfm = score(&facts.customers, params)?;
    Ok((facts, rfm))
}

/// Customer `i`'s RFM columns: the `rfm` command's CSV row (the field order is the column order
/// users' scripts rely on), and the first nine fields of a [`CustomerRow`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RfmRow<'a> {
    pub customer_id: &'a str,
    pub recency_days: i32,
    pub frequency: u32,
    /// Rounded to the cent.
    pub monetary: f64,
    pub r: u8,
    pub f: u8,
    pub m: u8,
    pub segment: &'a str,
    pub cn_segment: &'static str,
}

impl<'a> RfmRow<'a> {
    /// Customer `i` (index into the facts).
    pub fn of(dataset: &'a Dataset, facts: &'a Facts, rfm: &'a Rfm, i: usize) -> Self {
        let c = &facts.customers[i];
        let s = &rfm.scores[i];
        Self {
            customer_id: dataset.customers.name(c.customer).unwrap_or_default(),
            recency_days: c.recency_days,
            frequency: c.frequency,
            monetary: (c.monetary * 100.0).round() / 100.0 + 0.0,
            r: s.r,
            f: s.f,
            m: s.m,
            segment: s.segment.map_or("", |k| &rfm.params.segments[k].0),
            cn_segment: s.cn_segment.zh(),
        }
    }
}

/// One cell of the R×F grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridCell {
    pub r: u8,
    pub f: u8,
    pub customers: usize,
    /// Mean monetary value of the cell's customers (0 when empty).
    pub mean_monetary: f64,
}

/// What the segmentation page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentationSummary {
    pub as_of: String,
    pub customers: usize,
    pub rows_after_as_of: usize,
    pub revenue: f64,
    pub bins: u8,
    /// The scoring rule in words, shown next to the results.
    pub rule: String,
    pub segments: Vec<GroupStat>,
    pub cn_segments: Vec<GroupStat>,
    /// The customers' means the 8-class model compares against: recency days, orders, monetary.
    pub cn_means: (f64, f64, f64),
    pub grid: Vec<GridCell>,
    pub abc: Vec<GroupStat>,
    pub abc_cuts: AbcParams,
    pub gini: f64,
    pub top20_share: f64,
    pub lorenz: Vec<(f64, f64)>,
    pub tiers: Vec<GroupStat>,
    /// The tier rule in words.
    pub tier_rule: String,
    pub stages: Vec<GroupStat>,
    pub stage_rule: String,
    pub states: StatesSummary,
    pub kpis: Kpis,
    /// The rules in Chinese, for the Chinese interface.
    pub rules_zh: RulesZh,
    pub pyramid: Pyramid,
    /// Customers by the period of their first order, and what each cohort did after it.
    pub cohorts: Cohorts,
    /// The loyalty KPIs period by period, and the last period's change.
    pub kpi_trends: KpiTrends,
    /// The lifecycle stages and the end of the relationship as a Markov chain.
    pub stage_chain: StageChain,
}

/// Each rule of the summary in Chinese.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RulesZh {
    pub rfm: String,
    pub tiers: String,
    pub stages: String,
    pub states: String,
}

/// The states page's numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatesSummary {
    pub rule: String,
    pub periods: Vec<PeriodRow>,
    /// Counts, row = from, column = to, in [`State::ALL`] order.
    pub transitions: Vec<Vec<usize>>,
    pub probabilities: Vec<Vec<f64>>,
    pub last_transitions: Vec<Vec<usize>>,
    pub last_probabilities: Vec<Vec<f64>>,
    pub projection: Vec<Vec<f64>>,
    /// Customers by their state in the last period.
    pub current: Vec<GroupStat>,
    /// Mean over periods of the reactivation rate (periods with dormant customers only).
    pub mean_reactivation_rate: f64,
}

/// One period of the state walk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodRow {
    pub label: String,
    pub mix: Vec<usize>,
    pub repurchase_rate: f64,
    pub reactivation_rate: f64,
}

/// Which customers a list shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerFilter {
    All,
    /// Index into the segment list; one past its end means customers whose code no segment lists.
    Segment(usize),
    Cn(CnSegment),
    Cell {
        r: u8,
        f: u8,
    },
    Abc(Abc),
    Tier(usize),
    Stage(Stage),
    State(State),
    /// Customers who moved from one state to another in the last transition.
    Moved {
        from: State,
        to: State,
    },
    /// A tier of the loyalty pyramid, top first.
    Pyramid(usize),
    /// The customers of the cohort first buying in `period` (months or quarters since year 0, as
    /// the rules' period counts), or, with `k`, those of them who bought in the k-th period after.
    Cohort {
        period: i32,
        k: Option<usize>,
    },
    /// Customers whose lifecycle stage (or 终止) went from `from` to `to` in the stage chain's last
    /// transition.
    StageMoved {
        from: ChainState,
        to: ChainState,
    },
}

/// Where `x` is in `all` (a group's number in [`Segmentation::grouped`]).
fn position<T: PartialEq>(all: &[T], x: &T) -> usize {
    all.iter().position(|a| a == x).unwrap_or(usize::MAX)
}

impl Segmentation {
    /// Whether customer `i` (index into the facts) passes `filter`.
    pub fn matches(&self, i: usize, filter: &CustomerFilter) -> bool {
        let s = &self.rfm.scores[i];
        match *filter {
            CustomerFilter::All => true,
            CustomerFilter::Segment(k) if k >= self.rfm.params.segments.len() => s.segment.is_none(),
            CustomerFilter::Segment(k) => s.segment == Some(k),
            CustomerFilter::Cn(c) => s.cn_segment == c,
            CustomerFilter::Cell { r, f } => s.r == r && s.f == f,
            CustomerFilter::Abc(a) => self.pareto.classes[i] == a,
            CustomerFilter::Tier(t) => self.tiers.of[i] == t,
            CustomerFilter::Stage(st) => self.stages[i] == st,
            CustomerFilter::State(st) => self.states.current[i] == st,
            CustomerFilter::Moved { from, to } => self.states.previous[i] == Some(from) && self.states.current[i] == to,
            CustomerFilter::Pyramid(k) => self.pyramid.of.get(i) == Some(&k),
            CustomerFilter::StageMoved { from, to } => {
                self.chain.previous.get(i) == Some(&Some(from)) && self.chain.current.get(i) == Some(&Some(to))
            }
            CustomerFilter::Cohort { period, k } => {
                let (c, length) = (&self.facts.customers[i], self.params.states.period);
                length.of(c.first_day) == period
                    && k.is_none_or(|k| {
                        let q = period + k as i32;
                        c.orders_between(length.start(q), length.end(q)) > 0
                    })
            }
        }
    }

    /// The totals of each of `groups` groups, `key` giving customer `i`'s: the customers filtering by
    /// each group's [`CustomerFilter`] gives (in the same order), added up in one pass instead of
    /// one per group.
    fn grouped(&self, groups: usize, key: impl Fn(usize) -> usize) -> Vec<Totals> {
        let mut out = vec![Totals::default(); groups];
        for (i, c) in self.facts.customers.iter().enumerate() {
            if let Some(group) = out.get_mut(key(i)) {
                group.add(c);
            }
        }
        out
    }

    pub fn summary(&self) -> SegmentationSummary {
        let all = self.facts.customers.len();
        let revenue: f64 = self.facts.customers.iter().map(|c| c.monetary).sum::<f64>() + 0.0;
        let params = &self.rfm.params;
        let scores = &self.rfm.scores;
        // The last group: customers whose code an edited map leaves out.
        let mut by_segment = self.grouped(params.segments.len() + 1, |i| scores[i].segment.unwrap_or(params.segments.len()));
        let unassigned = by_segment.pop().unwrap_or_default();
        let mut segments: Vec<GroupStat> = params
            .segments
            .iter()
            .zip(&by_segment)
            .map(|((name, _), totals)| totals.stat(name.clone(), segment_name_zh(name).map(str::to_string), all, revenue))
            .collect();
        // An edited map may leave codes out: those customers are shown, not lost.
        if unassigned.customers > 0 {
            segments.push(unassigned.stat("Unassigned".into(), Some("未分配".into()), all, revenue));
        }
        let by_cn = self.grouped(CnSegment::ALL.len(), |i| position(&CnSegment::ALL, &scores[i].cn_segment));
        let cn_segments = CnSegment::ALL
            .iter()
            .zip(&by_cn)
            .map(|(&c, totals)| totals.stat(c.en().to_string(), Some(c.zh().to_string()), all, revenue))
            .collect();
        let bins = usize::from(params.bins);
        let cell = |r: u8, f: u8| usize::from(r.wrapping_sub(1)) * bins + usize::from(f.wrapping_sub(1));
        let by_cell = self.grouped(bins * bins, |i| {
            let s = &scores[i];
            if (1..=params.bins).contains(&s.r) && (1..=params.bins).contains(&s.f) {
                cell(s.r, s.f)
            } else {
                usize::MAX
            }
        });
        let mut grid = Vec::new();
        for r in 1..=params.bins {
            for f in 1..=params.bins {
                let totals = &by_cell[cell(r, f)];
                grid.push(GridCell { r, f, customers: totals.customers, mean_monetary: totals.mean(totals.monetary) });
            }
        }
        let by_abc = self.grouped(Abc::ALL.len(), |i| position(&Abc::ALL, &self.pareto.classes[i]));
        let abc =
            Abc::ALL.iter().zip(&by_abc).map(|(&a, totals)| totals.stat(a.label().to_string(), None, all, revenue)).collect();
        let rule = match (&params.recency, &params.frequency, &params.monetary) {
            (
                crate::core::analysis::rfm::Scoring::Ranked,
                crate::core::analysis::rfm::Scoring::Ranked,
                crate::core::analysis::rfm::Scoring::Ranked,
            ) => format!(
                "score = 1 + floor({} · w / N), w = customers with a strictly worse value; as of {}",
                params.bins,
                format_day(self.facts.as_of)
            ),
            _ => format!("scores from thresholds ({} bins); as of {}", params.bins, format_day(self.facts.as_of)),
        };
        let by_tier = self.grouped(self.tiers.names.len(), |i| self.tiers.of[i]);
        let tiers = self
            .tiers
            .names
            .iter()
            .zip(&by_tier)
            .map(|(name, totals)| {
                let en = crate::core::analysis::lifecycle::TIER_NAMES
                    .iter()
                    .position(|n| n == name)
                    .map(|p| crate::core::analysis::lifecycle::TIER_NAMES_EN[p]);
                totals.stat(en.unwrap_or(name).to_string(), Some(name.clone()), all, revenue)
            })
            .collect();
        let tier_rule = if self.tiers.from_column {
            "tiers from the member-level column (each customer's latest level)".to_string()
        } else {
            match &self.params.tiers {
                TierRule::Shares(s) => format!(
                    "12-month spend to {}: top {:.0}% 钻石, next {:.0}% 金卡, next {:.0}% 银卡, rest 普通",
                    format_day(self.facts.as_of),
                    s[0] * 100.0,
                    s[1] * 100.0,
                    s[2] * 100.0
                ),
                TierRule::Amounts(a) => format!("12-month spend ≥ {} 钻石, ≥ {} 金卡, ≥ {} 银卡, else 普通", a[0], a[1], a[2]),
            }
        };
        let by_stage = self.grouped(Stage::ALL.len(), |i| position(&Stage::ALL, &self.stages[i]));
        let stages = Stage::ALL
            .iter()
            .zip(&by_stage)
            .map(|(&st, totals)| totals.stat(st.en().into(), Some(st.zh().into()), all, revenue))
            .collect();
        let sp = &self.params.stages;
        let stage_rule = format!(
            "orders in the last {} days vs. the customer's earlier orders per {} days: > {}× 形成期, {}–{}× 稳定期, < {}× 退化期; one order or first order in the window 考察期",
            sp.window_days, sp.window_days, sp.rise, sp.fall, sp.rise, sp.fall
        );
        let st = &self.states;
        let to_vec = |m: &crate::core::analysis::states::Matrix| m.iter().map(|r| r.to_vec()).collect::<Vec<_>>();
        let rates: Vec<f64> = st.periods.iter().filter(|p| p.dormant_at_start > 0).map(|p| p.reactivation_rate()).collect();
        let states = StatesSummary {
            rule: format!(
                "per {}: churned after {} days without an order, loyal = 3 of the last 4 periods, dormant = {}+ days",
                match st.params.period {
                    crate::core::analysis::states::Period::Month => "month",
                    crate::core::analysis::states::Period::Quarter => "quarter",
                },
                st.params.churn_days,
                st.params.dormant_days
            ),
            periods: st
                .periods
                .iter()
                .map(|p| PeriodRow {
                    label: p.label.clone(),
                    mix: p.mix.to_vec(),
                    repurchase_rate: p.repurchase_rate(),
                    reactivation_rate: p.reactivation_rate(),
                })
                .collect(),
            transitions: to_vec(&st.transitions),
            probabilities: probabilities(&st.transitions).iter().map(|r| r.to_vec()).collect(),
            last_transitions: to_vec(&st.last_transitions),
            last_probabilities: probabilities(&st.last_transitions).iter().map(|r| r.to_vec()).collect(),
            projection: st.projection.iter().map(|r| r.to_vec()).collect(),
            current: State::ALL
                .iter()
                .zip(&self.grouped(State::ALL.len(), |i| position(&State::ALL, &st.current[i])))
                .map(|(&s, totals)| totals.stat(s.en().into(), Some(s.zh().into()), all, revenue))
                .collect(),
            mean_reactivation_rate: if rates.is_empty() { 0.0 } else { rates.iter().sum::<f64>() / rates.len() as f64 },
        };
        SegmentationSummary {
            pyramid: self.pyramid.clone(),
            cohorts: self.cohorts.clone(),
            kpi_trends: self.trends.clone(),
            stage_chain: self.chain.clone(),
            rules_zh: self.rules_zh(),
            tiers,
            tier_rule,
            stages,
            stage_rule,
            states,
            kpis: self.kpis.clone(),
            as_of: format_day(self.facts.as_of),
            customers: all,
            rows_after_as_of: self.facts.rows_after_as_of,
            revenue,
            bins: params.bins,
            rule,
            segments,
            cn_segments,
            cn_means: (self.rfm.mean_recency, self.rfm.mean_frequency, self.rfm.mean_monetary),
            grid,
            abc,
            abc_cuts: self.params.abc,
            gini: self.pareto.gini,
            top20_share: self.pareto.top20_share,
            lorenz: self.pareto.lorenz.clone(),
        }
    }

    fn rules_zh(&self) -> RulesZh {
        use crate::core::analysis::rfm::Scoring::Ranked;
        let p = &self.params;
        let as_of = format_day(self.facts.as_of);
        let rfm = match (&p.rfm.recency, &p.rfm.frequency, &p.rfm.monetary) {
            (Ranked, Ranked, Ranked) => {
                format!("得分 = 1 + floor({} · w / N)，w 为取值严格更差的客户数；截止 {as_of}", p.rfm.bins)
            }
            _ => format!("按阈值打分（{} 档）；截止 {as_of}", p.rfm.bins),
        };
        let tiers = if self.tiers.from_column {
            "按文件中的会员等级列（取每位客户最近一次的等级）".to_string()
        } else {
            match &p.tiers {
                TierRule::Shares(x) => format!(
                    "截至 {as_of} 的近 12 个月消费：前 {:.0}% 钻石，其后 {:.0}% 金卡，再 {:.0}% 银卡，其余普通",
                    x[0] * 100.0,
                    x[1] * 100.0,
                    x[2] * 100.0
                ),
                TierRule::Amounts(a) => format!("近 12 个月消费 ≥ {} 钻石，≥ {} 金卡，≥ {} 银卡，其余普通", a[0], a[1], a[2]),
            }
        };
        let sp = &p.stages;
        let stages = format!(
            "近 {} 天的订单数与该客户此前每 {} 天的平均订单数相比：高于 {} 倍为形成期，{}–{} 倍为稳定期，低于 {} 倍为退化期；只有一单或首单在窗口内为考察期",
            sp.window_days, sp.window_days, sp.rise, sp.fall, sp.rise, sp.fall
        );
        let st = &p.states;
        let states = format!(
            "按{}：{} 天无订单为流失，近 4 期中至少 3 期有购买为忠诚，{} 天以上无购买为沉睡",
            match st.period {
                crate::core::analysis::states::Period::Month => "月",
                crate::core::analysis::states::Period::Quarter => "季度",
            },
            st.churn_days,
            st.dormant_days
        );
        RulesZh { rfm, tiers, stages, states }
    }

    /// Customers passing `filter` as display rows, highest monetary value first.
    pub fn rows(&self, dataset: &Dataset, filter: &CustomerFilter) -> Vec<CustomerRow> {
        self.order(dataset, filter).into_iter().map(|i| self.row(dataset, i)).collect()
    }

    /// Indices (into the facts) of the customers passing `filter`, highest monetary value (to the
    /// cent) first, ties by customer id. Cheap to keep, so a paged list sorts once, not per page.
    pub fn order(&self, dataset: &Dataset, filter: &CustomerFilter) -> Vec<usize> {
        let cents = |i: usize| (self.facts.customers[i].monetary * 100.0).round();
        let id = |i: usize| dataset.customers.name(self.facts.customers[i].customer).unwrap_or_default();
        let mut out: Vec<usize> = (0..self.facts.customers.len()).filter(|&i| self.matches(i, filter)).collect();
        out.sort_by(|&a, &b| cents(b).total_cmp(&cents(a)).then_with(|| id(a).cmp(id(b))));
        out
    }

    /// Customer `i` (index into the facts) as a display row.
    pub fn row(&self, dataset: &Dataset, i: usize) -> CustomerRow {
        let RfmRow { customer_id, recency_days, frequency, monetary, r, f, m, segment, cn_segment } =
            RfmRow::of(dataset, &self.facts, &self.rfm, i);
        CustomerRow {
            customer_id: customer_id.to_string(),
            recency_days,
            frequency,
            monetary,
            r,
            f,
            m,
            segment: segment.to_string(),
            cn_segment: cn_segment.to_string(),
            abc: self.pareto.classes[i].label().to_string(),
            tier: self.tiers.names.get(self.tiers.of[i]).cloned().unwrap_or_default(),
            stage: self.stages[i].zh().to_string(),
            state: self.states.current[i].en().to_string(),
        }
    }
}

/// One customer in a list; the first nine fields are the `rfm` CSV columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerRow {
    pub customer_id: String,
    pub recency_days: i32,
    pub frequency: u32,
    pub monetary: f64,
    pub r: u8,
    pub f: u8,
    pub m: u8,
    pub segment: String,
    pub cn_segment: String,
    pub abc: String,
    pub tier: String,
    pub stage: String,
    pub state: String,
}

/// The columns of a customer list exported ([`crate::core::export::customers_csv`]), in the order of [`CustomerRow`]'s fields.
pub const CUSTOMER_COLUMNS: [&str; 13] = [
    "customer_id",
    "recency_days",
    "frequency",
    "monetary",
    "r",
    "f",
    "m",
    "segment",
    "cn_segment",
    "abc",
    "tier",
    "stage",
    "state",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::analysis::customers::CustomerFacts;
    use crate::core::ingest::{ingest, IngestOptions};

    fn sample() -> Dataset {
        let mut bytes = Vec::new();
        crate::core::sample::write_sample(500, 3, &mut bytes).unwrap();
        ingest(&bytes, "s.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap().dataset
    }

    #[test]
    fn group_counts_and_shares_add_up() {
        let ds = sample();
        let seg = segment(&ds, &SegmentationParams::default().check().unwrap()).unwrap();
        let s = seg.summary();
        assert_eq!(s.customers, 500);
        for groups in [&s.segments, &s.cn_segments, &s.abc] {
            assert_eq!(groups.iter().map(|g| g.customers).sum::<usize>(), 500);
            let share: f64 = groups.iter().map(|g| g.revenue_share).sum();
            assert!((share - 1.0).abs() < 1e-9, "{share}");
        }
        assert_eq!(s.pyramid.tiers.iter().map(|t| t.customers).sum::<usize>(), 500);
        for (k, t) in s.pyramid.tiers.iter().enumerate() {
            assert_eq!(seg.rows(&ds, &CustomerFilter::Pyramid(k)).len(), t.customers);
        }
        for groups in [&s.tiers, &s.stages, &s.states.current] {
            assert_eq!(groups.iter().map(|g| g.customers).sum::<usize>(), 500);
        }
        for row in &s.states.probabilities {
            let sum: f64 = row.iter().sum();
            assert!(sum == 0.0 || (sum - 1.0).abs() < 1e-9);
        }
        assert_eq!(s.grid.len(), 25);
        assert_eq!(s.grid.iter().map(|c| c.customers).sum::<usize>(), 500);
        assert!(s.rule.contains("floor(5 · w / N)"));
    }

    /// A group's figures from the list of its members, added up one figure at a time: what the
    /// running totals replace.
    fn group_of(key: &str, members: &[&CustomerFacts], all: usize, total_revenue: f64) -> GroupStat {
        let n = members.len();
        let revenue: f64 = members.iter().map(|c| c.monetary).sum::<f64>() + 0.0;
        let mean =
            |f: &dyn Fn(&CustomerFacts) -> f64| if n == 0 { 0.0 } else { members.iter().map(|c| f(c)).sum::<f64>() / n as f64 };
        let orders: u32 = members.iter().map(|c| c.frequency).sum();
        GroupStat {
            key: key.to_string(),
            zh: None,
            customers: n,
            revenue,
            customer_share: if all == 0 { 0.0 } else { n as f64 / all as f64 },
            revenue_share: if total_revenue.abs() > 0.0 { revenue / total_revenue } else { 0.0 },
            mean_recency_days: mean(&|c| f64::from(c.recency_days)),
            mean_frequency: mean(&|c| f64::from(c.frequency)),
            mean_monetary: mean(&|c| c.monetary),
            repurchase_rate: if n == 0 { 0.0 } else { members.iter().filter(|c| c.frequency >= 2).count() as f64 / n as f64 },
            average_order_value: if orders == 0 { 0.0 } else { revenue / f64::from(orders) },
        }
    }

    #[test]
    fn group_figures_are_exactly_those_of_each_group_s_members() {
        let ds = sample();
        let seg = segment(&ds, &SegmentationParams::default().check().unwrap()).unwrap();
        let s = seg.summary();
        let all = seg.facts.customers.len();
        let members = |filter: CustomerFilter| -> Vec<&CustomerFacts> {
            (0..all).filter(|&i| seg.matches(i, &filter)).map(|i| &seg.facts.customers[i]).collect()
        };
        let check = |stats: &[GroupStat], filter: &dyn Fn(usize) -> CustomerFilter| {
            for (k, g) in stats.iter().enumerate() {
                let want = group_of(&g.key, &members(filter(k)), all, s.revenue);
                assert_eq!(GroupStat { zh: None, ..g.clone() }, want, "{}", g.key);
            }
        };
        check(&s.segments, &CustomerFilter::Segment);
        check(&s.cn_segments, &|k| CustomerFilter::Cn(CnSegment::ALL[k]));
        check(&s.abc, &|k| CustomerFilter::Abc(Abc::ALL[k]));
        check(&s.tiers, &CustomerFilter::Tier);
        check(&s.stages, &|k| CustomerFilter::Stage(Stage::ALL[k]));
        check(&s.states.current, &|k| CustomerFilter::State(State::ALL[k]));
        for cell in &s.grid {
            let m = members(CustomerFilter::Cell { r: cell.r, f: cell.f });
            assert_eq!(cell.mean_monetary, group_of("", &m, all, s.revenue).mean_monetary);
        }
        for (k, t) in s.pyramid.tiers.iter().enumerate() {
            let want = group_of(&t.name, &members(CustomerFilter::Pyramid(k)), all, s.revenue);
            assert_eq!((t.customers, t.revenue, t.revenue_share), (want.customers, want.revenue, want.revenue_share));
            assert_eq!((t.orders_per_customer, t.repurchase_rate), (want.mean_frequency, want.repurchase_rate));
        }
    }

    #[test]
    fn customers_whose_code_an_edited_map_leaves_out_are_unassigned_not_lost() {
        let ds = sample();
        let mut params = SegmentationParams::default();
        params.rfm.segments = vec![("Best".into(), vec![555])];
        let seg = segment(&ds, &params.clone().check().unwrap()).unwrap();
        let s = seg.summary();
        assert_eq!(s.segments.len(), 2);
        assert_eq!(s.segments[1].key, "Unassigned");
        assert_eq!(s.segments.iter().map(|g| g.customers).sum::<usize>(), 500);
        assert_eq!(seg.rows(&ds, &CustomerFilter::Segment(1)).len(), s.segments[1].customers);
    }

    #[test]
    fn one_day_histories_segment_without_trouble() {
        // Everyone bought once, on the same day: equal recency and frequency, one period.
        let mut text = String::from("customer_id,date,amount\n");
        for i in 0..30 {
            text.push_str(&format!("c{i},2024-05-01,{}\n", 10 + i));
        }
        let ds = ingest(text.as_bytes(), "t.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap().dataset;
        let seg = segment(&ds, &SegmentationParams::default().check().unwrap()).unwrap();
        let s = seg.summary();
        assert!(seg.rfm.scores.iter().all(|x| x.r == 1 && x.f == 1), "nobody is worse than anybody on R and F");
        assert_eq!(s.states.periods.len(), 1);
        assert_eq!(s.states.periods[0].mix[crate::core::analysis::states::State::New.index()], 30);
        assert_eq!(s.stages[0].customers, 30, "one order each: all exploring");
        assert_eq!(s.kpis.repurchase_rate, 0.0);
    }

    #[test]
    fn drill_down_lists_match_the_group_counts() {
        let ds = sample();
        let seg = segment(&ds, &SegmentationParams::default().check().unwrap()).unwrap();
        let s = seg.summary();
        for (k, g) in s.segments.iter().enumerate() {
            assert_eq!(seg.rows(&ds, &CustomerFilter::Segment(k)).len(), g.customers, "{}", g.key);
        }
        for from in State::ALL {
            for to in State::ALL {
                let n = seg.rows(&ds, &CustomerFilter::Moved { from, to }).len();
                assert_eq!(n, s.states.last_transitions[from.index()][to.index()], "{from:?} → {to:?}");
            }
        }
        let cell = s.grid.iter().find(|c| c.customers > 0).unwrap();
        let rows = seg.rows(&ds, &CustomerFilter::Cell { r: cell.r, f: cell.f });
        assert_eq!(rows.len(), cell.customers);
        assert!(rows.iter().all(|x| x.r == cell.r && x.f == cell.f));
        assert!(rows.windows(2).all(|w| w[0].monetary >= w[1].monetary));
    }

    #[test]
    fn exported_csv_has_the_rfm_columns_then_abc() {
        let ds = sample();
        let seg = segment(&ds, &SegmentationParams::default().check().unwrap()).unwrap();
        let csv = crate::core::export::customers_csv(&seg.rows(&ds, &CustomerFilter::Abc(Abc::A)));
        let header = "customer_id,recency_days,frequency,monetary,r,f,m,segment,cn_segment,abc,tier,stage,state\n";
        assert!(csv.starts_with(header));
        assert!(csv.lines().skip(1).all(|l| l.split(',').nth(9) == Some("A")));
        assert_eq!(crate::core::export::customers_csv(&[]), header);
    }
}
