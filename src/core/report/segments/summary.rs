//! The segmentation summarised for the pages and `loyalty-lens segments`: each group's totals
//! (named segment, Chinese class, R×F cell, ABC class, tier, stage, state) and every rule in words.

use super::*;

/// One cell of the R×F grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridCell {
    pub r: u8,
    pub f: u8,
    pub customers: usize,
    /// Mean monetary value of the cell's customers (0 when empty; `None` without amounts).
    pub mean_monetary: Option<f64>,
}

/// What the segmentation page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentationSummary {
    pub as_of: String,
    pub customers: usize,
    pub rows_after_as_of: usize,
    /// `None` (as every figure of money below) when the file has no amounts.
    pub revenue: Option<f64>,
    pub bins: u8,
    /// The scoring rule in words, shown next to the results.
    pub rule: String,
    pub segments: Vec<GroupStat>,
    /// The 8 value classes (they compare M with its mean): `None` without amounts.
    pub cn_segments: Option<Vec<GroupStat>>,
    /// The customers' means the 8-class model compares against: recency days, orders, monetary.
    pub cn_means: (f64, f64, Option<f64>),
    pub grid: Vec<GridCell>,
    /// ABC by revenue, its Gini, top-20% share and Lorenz curve: `None` without amounts.
    pub abc: Option<Vec<GroupStat>>,
    pub abc_cuts: AbcParams,
    pub gini: Option<f64>,
    pub top20_share: Option<f64>,
    pub lorenz: Option<Vec<(f64, f64)>>,
    /// `None` when the tiers would come from spend and the file has no amounts.
    pub tiers: Option<Vec<GroupStat>>,
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
    /// Behaviour × attitude (`None` without survey answers).
    #[serde(default)]
    pub loyalty_matrix: Option<crate::core::report::attitude::LoyaltyMatrix>,
    /// What the events file held and the engagement rule, when one is given; left out otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engagement: Option<crate::core::analysis::engagement::Engagement>,
    /// What could not be computed and why (a file without amounts); empty, and left out, otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// A decoder of one part of an answer: whether the part decoded.
pub type DecodePart<D> = fn(D) -> bool;

/// Whether a `T` decodes from `d` (what is decoded is dropped).
pub fn decodes<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> bool {
    T::deserialize(d).is_ok()
}

/// The parts of a [`SegmentationSummary`] that hold more than a number or a text, by field name,
/// each with the decoder of its type. The page decodes them one a task before the first summary it
/// gets is decoded whole (`ui::bridge`): the browser compiles each decoder the first time it runs,
/// and all of them at once were one long task.
pub fn summary_parts<'de, D: serde::Deserializer<'de>>() -> Vec<(&'static str, DecodePart<D>)> {
    use decodes as part;
    vec![
        ("segments", part::<D, Vec<GroupStat>>),
        ("cn_segments", part::<D, Option<Vec<GroupStat>>>),
        ("cn_means", part::<D, (f64, f64, Option<f64>)>),
        ("grid", part::<D, Vec<GridCell>>),
        ("abc", part::<D, Option<Vec<GroupStat>>>),
        ("abc_cuts", part::<D, AbcParams>),
        ("lorenz", part::<D, Option<Vec<(f64, f64)>>>),
        ("tiers", part::<D, Option<Vec<GroupStat>>>),
        ("stages", part::<D, Vec<GroupStat>>),
        ("states", part::<D, StatesSummary>),
        ("kpis", part::<D, Kpis>),
        ("rules_zh", part::<D, RulesZh>),
        ("pyramid", part::<D, Pyramid>),
        ("cohorts", part::<D, Cohorts>),
        ("kpi_trends", part::<D, KpiTrends>),
        ("stage_chain", part::<D, StageChain>),
        ("loyalty_matrix", part::<D, Option<crate::core::report::attitude::LoyaltyMatrix>>),
        ("engagement", part::<D, Option<Engagement>>),
        ("notes", part::<D, Vec<String>>),
    ]
}

/// The note of a file without amounts: what is left out, and what still holds.
pub const NO_AMOUNTS_NOTE: &str = "the file has no amounts: revenue, monetary value and M, ABC by revenue, \
     membership tiers by spend and the pyramid's revenue are left out (null); recency, frequency, \
     the R-F segments, states, stages (by orders), cohorts and the pyramid by R and F hold";

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

/// Where `x` is in `all` (a group's number in [`Segmentation::grouped`]).
fn position<T: PartialEq>(all: &[T], x: &T) -> usize {
    all.iter().position(|a| a == x).unwrap_or(usize::MAX)
}

impl Segmentation {
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
        let amounts = self.facts.amounts;
        let revenue = amounts.then(|| self.facts.customers.iter().map(|c| c.monetary).sum::<f64>() + 0.0);
        let params = &self.rfm.params;
        let scores = &self.rfm.scores;
        let map = self.rfm.segment_map();
        // The last group: customers whose code an edited map leaves out.
        let mut by_segment = self.grouped(map.len() + 1, |i| scores[i].segment.unwrap_or(map.len()));
        let unassigned = by_segment.pop().unwrap_or_default();
        let mut segments: Vec<GroupStat> = map
            .iter()
            .zip(&by_segment)
            .map(|((name, _), totals)| totals.stat(name.clone(), segment_name_zh(name).map(str::to_string), all, revenue))
            .collect();
        // An edited map may leave codes out: those customers are shown, not lost.
        if unassigned.customers > 0 {
            segments.push(unassigned.stat("Unassigned".into(), Some("未分配".into()), all, revenue));
        }
        // Without amounts no customer has a class (`position` of none is past the end: no group).
        let by_cn = self.grouped(CnSegment::ALL.len(), |i| {
            scores[i].cn_segment.map_or(CnSegment::ALL.len(), |c| position(&CnSegment::ALL, &c))
        });
        let cn_segments = amounts.then(|| {
            CnSegment::ALL
                .iter()
                .zip(&by_cn)
                .map(|(&c, totals)| totals.stat(c.en().to_string(), Some(c.zh().to_string()), all, revenue))
                .collect()
        });
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
                let mean_monetary = amounts.then(|| totals.mean(totals.monetary));
                grid.push(GridCell { r, f, customers: totals.customers, mean_monetary });
            }
        }
        let abc = self.pareto.as_ref().map(|pareto| {
            let by_abc = self.grouped(Abc::ALL.len(), |i| position(&Abc::ALL, &pareto.classes[i]));
            Abc::ALL.iter().zip(&by_abc).map(|(&a, totals)| totals.stat(a.label().to_string(), None, all, revenue)).collect()
        });
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
        // Without amounts the named segments come from the R-F map: said where the rule is read.
        let rule = if amounts {
            rule
        } else {
            format!("{rule}; R and F only (no amounts): the named segments from the R-F map, by R and F")
        };
        let tiers = self.tiers.as_ref().map(|t| {
            let by_tier = self.grouped(t.names.len(), |i| t.of[i]);
            t.names
                .iter()
                .zip(&by_tier)
                .map(|(name, totals)| {
                    let en = crate::core::analysis::lifecycle::TIER_NAMES
                        .iter()
                        .position(|n| n == name)
                        .map(|p| crate::core::analysis::lifecycle::TIER_NAMES_EN[p]);
                    totals.stat(en.unwrap_or(name).to_string(), Some(name.clone()), all, revenue)
                })
                .collect()
        });
        let tier_rule = if self.tiers.as_ref().is_some_and(|t| t.from_column) {
            "tiers from the member-level column (each customer's latest level)".to_string()
        } else if self.tiers.is_none() {
            "tiers by spend need amounts: the file has none (map an amount column, or a member-level column)".to_string()
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
        // Without amounts the stages follow orders alone (the spend floor does not apply).
        let (measure, either, floor) = if amounts {
            let floor = if sp.stable_spend > 0.0 { format!(" and spend ≥ {}", sp.stable_spend) } else { String::new() };
            ("orders and spend (the orders' value)", "orders or spend", floor)
        } else {
            ("orders (the file has no amounts: orders alone)", "orders", String::new())
        };
        let stage_rule = format!(
            "{measure} in the last {w} days vs. the customer's earlier rate per {w} days: \
             终止 no order for over {churn} days; 考察期 one order; 退化期 {either} < {fall}×; \
             形成期 {either} > {rise}×, or every order in the window; 稳定期 neither, with ≥ {n} orders{floor} in the window \
             (steady below that level: 形成期)",
            w = sp.window_days,
            churn = self.params.states.churn_days,
            fall = sp.fall,
            rise = sp.rise,
            n = sp.stable_orders,
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
            loyalty_matrix: crate::core::report::attitude::matrix(&self.facts, &self.states.current, &self.attitude),
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
            gini: self.pareto.as_ref().map(|p| p.gini),
            top20_share: self.pareto.as_ref().map(|p| p.top20_share),
            lorenz: self.pareto.as_ref().map(|p| p.lorenz.clone()),
            engagement: self.engagement.clone(),
            notes: if amounts { Vec::new() } else { vec![NO_AMOUNTS_NOTE.to_string()] },
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
        let rfm = if self.facts.amounts {
            rfm
        } else {
            format!("{rfm}；仅 R 和 F（没有金额）：客户分群按 R-F 对照表命名")
        };
        let tiers = if self.tiers.as_ref().is_some_and(|t| t.from_column) {
            "按文件中的会员等级列（取每位客户最近一次的等级）".to_string()
        } else if self.tiers.is_none() {
            "按消费分级需要金额：文件中没有金额列（请映射金额列或会员等级列）".to_string()
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
        let (measure, either, both, floor) = if self.facts.amounts {
            let floor = if sp.stable_spend > 0.0 { format!("、消费 ≥ {}", sp.stable_spend) } else { String::new() };
            ("订单数与消费额（订单金额）", "订单数或消费", "两者都持平", floor)
        } else {
            ("订单数", "订单数", "持平", String::new())
        };
        let no_amounts = if self.facts.amounts { "" } else { "（文件中没有金额，只看订单数）" };
        let stages = format!(
            "近 {w} 天的{measure}和该客户此前每 {w} 天的水平相比{no_amounts}：超过 {churn} 天无订单为终止；只有一单为考察期；\
             {either}低于 {fall} 倍为退化期；{either}高于 {rise} 倍、或全部订单都在窗口内为形成期；\
             {both}且窗口内订单 ≥ {n}{floor} 为稳定期（持平但未达此水平仍为形成期）",
            w = sp.window_days,
            churn = p.states.churn_days,
            fall = sp.fall,
            rise = sp.rise,
            n = sp.stable_orders,
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
}
