//! Membership tiers (普通 / 银卡 / 金卡 / 钻石) and lifecycle stages (考察期, 形成期, 稳定期, 退化期).
//!
//! # Tiers
//! The mapped member-level column when there is one (each customer's level on their latest row;
//! of rows on one day, the last in the file), known names (金卡, gold, 银卡会员, …) in their natural
//! order, others by their customers' mean spend;
//! otherwise derived from spend in the 12 months (365 days) up to the as-of date: by share of
//! customers, default the top 5% 钻石, the next 15% 金卡, the next 30% 银卡 and the rest 普通 —
//! a customer is in the top share p when fewer than p·N customers spent strictly more, so equal
//! spend means equal tier — or by amount thresholds.
//!
//! # Stages (the case studies' four-stage model, and the end)
//! Orders and spend in the recent window (default the 180 days up to the as-of date) against the
//! customer's own orders and spend per window over their earlier history (first order to the
//! window's start), spend being the value of the orders bought (returns are not orders): 终止 end
//! = no order for longer than the churn window; 考察期 exploration = one order, no repeat
//! relationship yet; 退化期 decline = orders or spend below 0.75× the earlier rate, from any stage;
//! 形成期 formation = orders or spend above 1.25× (or every order inside the window); 稳定期
//! stability = neither, at a level of at least 2 orders (and an optional spend floor) in the
//! window; a steady customer below that level is still in formation. See [`stage_of`].

use crate::core::analysis::customers::CustomerFacts;
use crate::core::dataset::{Dataset, MISSING};
use crate::core::values::Day;
use crate::core::values::{better_level, level_rank, Level};
use serde::{Deserialize, Serialize};

/// The derived tiers, best first.
pub const TIER_NAMES: [&str; 4] = ["钻石", "金卡", "银卡", "普通"];
/// English names of [`TIER_NAMES`].
pub const TIER_NAMES_EN: [&str; 4] = ["Diamond", "Gold", "Silver", "Regular"];

/// How tiers are derived when no member level is mapped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TierRule {
    /// Shares of customers for 钻石, 金卡 and 银卡 (the rest are 普通).
    Shares([f64; 3]),
    /// Minimum 12-month spend for 钻石, 金卡 and 银卡.
    Amounts([f64; 3]),
}

impl Default for TierRule {
    fn default() -> Self {
        Self::Shares([0.05, 0.15, 0.30])
    }
}

/// A membership tier rule or lifecycle parameters that cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LifecycleError {
    #[error("tier shares must be between 0 and 1 and add up to at most 100%")]
    TierShares,
    #[error("tier amounts must be numbers from 钻石 down to 银卡 (descending)")]
    TierAmounts,
    #[error("the lifecycle window must be at least a day and the factors 0 < decline ≤ formation")]
    Stages,
}

impl LifecycleError {
    /// A stable key for the page to translate.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TierShares => "tier_shares",
            Self::TierAmounts => "tier_amounts",
            Self::Stages => "stage_params",
        }
    }
}

impl TierRule {
    /// # Errors
    /// [`LifecycleError`] when shares are not in 0..1 summing to at most 1, or amounts are not
    /// descending.
    pub fn check(&self) -> Result<(), LifecycleError> {
        match self {
            Self::Shares(s) => {
                if s.iter().any(|x| !x.is_finite() || *x < 0.0) || s.iter().sum::<f64>() > 1.0 + 1e-9 {
                    return Err(LifecycleError::TierShares);
                }
            }
            Self::Amounts(a) => {
                if a.iter().any(|x| !x.is_finite()) || a[0] < a[1] || a[1] < a[2] {
                    return Err(LifecycleError::TierAmounts);
                }
            }
        }
        Ok(())
    }
}

/// Each customer's tier as an index into `names`, and the tier names best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tiers {
    pub names: Vec<String>,
    pub of: Vec<usize>,
    /// Whether the tiers come from the file's member-level column.
    pub from_column: bool,
}

/// Each customer's member level (a code, [`MISSING`] for none) on their latest row with one on or
/// before `as_of`, with its day, by customer code; `None` without a member-level column or dates.
/// Of levels on the same day (the file does not say which came later), the best known one, then
/// the last by name, so that the result never depends on the order of the rows.
pub fn latest_levels(dataset: &Dataset, as_of: Day) -> Option<Vec<(Day, u32)>> {
    let (levels, days) = (dataset.member_level.as_ref()?, dataset.day.as_ref()?);
    let latest_level = LatestLevel::new(&levels.labels, as_of);
    let mut latest: Vec<(Day, u32)> = vec![LatestLevel::NONE; dataset.customers.len()];
    for (i, (&c, &code)) in dataset.customer.iter().zip(&levels.codes).enumerate() {
        if let Some(held) = latest.get_mut(c as usize) {
            latest_level.step(held, days[i], code);
        }
    }
    Some(latest)
}

/// The rule of [`latest_levels`], one row at a time: for one customer's rows, in any order.
pub struct LatestLevel<'a> {
    levels: Vec<Level<'a>>,
    as_of: Day,
}

impl<'a> LatestLevel<'a> {
    /// No level yet.
    pub const NONE: (Day, u32) = (Day::MIN, MISSING);

    /// The rule for the member levels `labels` (by code), as of `as_of`.
    pub fn new(labels: &'a crate::core::dataset::Labels, as_of: Day) -> Self {
        Self { levels: labels.iter().map(Level::of).collect(), as_of }
    }

    /// `held` (a day and a level, [`LatestLevel::NONE`] at first) after a row of `day` with level
    /// `code`.
    pub fn step(&self, held: &mut (Day, u32), day: Day, code: u32) {
        let better = |a: u32, b: u32| better_level(self.levels[a as usize], self.levels[b as usize]);
        if code != MISSING && day <= self.as_of && (day > held.0 || (day == held.0 && better(code, held.1))) {
            *held = (day, code);
        }
    }
}

/// Assigns tiers.
///
/// # Errors
/// When the rule is invalid (see [`TierRule::check`]).
pub fn tiers(dataset: &Dataset, customers: &[CustomerFacts], as_of: Day, rule: &TierRule) -> Result<Tiers, LifecycleError> {
    if let (Some(levels), Some(latest)) = (&dataset.member_level, latest_levels(dataset, as_of)) {
        let labels = levels.labels.names();
        let mut order: Vec<usize> = (0..labels.len()).collect();
        // Mean spend per label, once: the sort below compares labels many times.
        let mut sums = vec![(0.0f64, 0usize); labels.len()];
        for c in customers {
            if let Some(entry) = sums.get_mut(latest[c.customer as usize].1 as usize) {
                entry.0 += c.monetary;
                entry.1 += 1;
            }
        }
        let mean_spend: Vec<f64> = sums.iter().map(|&(sum, n)| if n == 0 { 0.0 } else { sum / n as f64 }).collect();
        // Known names in their natural order, then the others by their customers' mean spend; names
        // of one rank (金卡 and gold) or of equal mean spend in text order, so that the order does
        // not depend on which the file mentions first.
        let ranks: Vec<Option<usize>> = labels.iter().map(|l| level_rank(l)).collect();
        order.sort_by(|&a, &b| {
            let by_rank = match (ranks[a], ranks[b]) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => mean_spend[b].total_cmp(&mean_spend[a]),
            };
            by_rank.then_with(|| labels[a].cmp(labels[b]))
        });
        let mut names: Vec<String> = order.iter().map(|&k| labels[k].to_string()).collect();
        // Each label's place in that order (a column mapped as the level may have many labels).
        let unknown = names.len();
        let mut place = vec![unknown; labels.len()];
        for (position, &k) in order.iter().enumerate() {
            place[k] = position;
        }
        let of: Vec<usize> =
            customers.iter().map(|c| place.get(latest[c.customer as usize].1 as usize).copied().unwrap_or(unknown)).collect();
        if of.contains(&unknown) {
            names.push("(none)".into());
        }
        return Ok(Tiers { names, of, from_column: true });
    }
    rule.check()?;
    // The facts' 12-month spend: `as_of` is the facts' as-of date.
    let spend: Vec<f64> = customers.iter().map(|c| c.spend_12_months).collect();
    let n = spend.len();
    let of = match rule {
        TierRule::Shares(shares) => {
            let mut sorted = spend.clone();
            sorted.sort_unstable_by(f64::total_cmp);
            let cuts = [shares[0], shares[0] + shares[1], shares[0] + shares[1] + shares[2]];
            spend
                .iter()
                .map(|&v| {
                    let better = n - sorted.partition_point(|&x| x <= v);
                    let top = better as f64 / n.max(1) as f64;
                    cuts.iter().position(|&cut| top < cut - 1e-12).unwrap_or(3)
                })
                .collect()
        }
        TierRule::Amounts(min) => spend.iter().map(|&v| min.iter().position(|&m| v >= m).unwrap_or(3)).collect(),
    };
    Ok(Tiers { names: TIER_NAMES.iter().map(|s| s.to_string()).collect(), of, from_column: false })
}

/// A lifecycle stage, or the end of the relationship.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Exploration,
    Formation,
    Stability,
    Decline,
    /// 终止: no order for longer than the churn window.
    End,
}

impl Stage {
    pub const ALL: [Stage; 5] = [Stage::Exploration, Stage::Formation, Stage::Stability, Stage::Decline, Stage::End];
    pub fn zh(self) -> &'static str {
        match self {
            Stage::Exploration => "考察期",
            Stage::Formation => "形成期",
            Stage::Stability => "稳定期",
            Stage::Decline => "退化期",
            Stage::End => "终止",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            Stage::Exploration => "Exploration",
            Stage::Formation => "Formation",
            Stage::Stability => "Stability",
            Stage::Decline => "Decline",
            Stage::End => "End",
        }
    }
    /// The other names the same literature gives the stages (获取期 acquisition, 成长期 growth,
    /// 成熟期 maturity, 衰退期 decline; 流失 for the end), Chinese and English.
    pub fn alternative(self) -> (&'static str, &'static str) {
        match self {
            Stage::Exploration => ("获取期", "Acquisition"),
            Stage::Formation => ("成长期", "Growth"),
            Stage::Stability => ("成熟期", "Maturity"),
            Stage::Decline => ("衰退期", "Decline"),
            Stage::End => ("流失", "Lost"),
        }
    }
    /// The stage's place in [`Stage::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// The stage rule's parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StageParams {
    pub window_days: i32,
    /// Recent orders or spend above `rise` × the earlier rate is formation.
    pub rise: f64,
    /// Recent orders or spend below `fall` × the earlier rate is decline.
    pub fall: f64,
    /// Stability needs at least this many orders in the window…
    #[serde(default = "default_stable_orders")]
    pub stable_orders: u32,
    /// …and at least this much spend in it.
    #[serde(default)]
    pub stable_spend: f64,
}

fn default_stable_orders() -> u32 {
    2
}

impl Default for StageParams {
    fn default() -> Self {
        Self { window_days: 180, rise: 1.25, fall: 0.75, stable_orders: default_stable_orders(), stable_spend: 0.0 }
    }
}

impl StageParams {
    /// # Errors
    /// [`LifecycleError::Stages`] when the window is not positive, the factors are not
    /// 0 < fall ≤ rise, or the spend floor is negative.
    pub fn check(&self) -> Result<(), LifecycleError> {
        if self.window_days < 1
            || !(self.fall > 0.0 && self.fall <= self.rise && self.rise.is_finite())
            || !(self.stable_spend >= 0.0 && self.stable_spend.is_finite())
        {
            return Err(LifecycleError::Stages);
        }
        Ok(())
    }
}

/// A customer's stage as of `as_of` (the facts' as-of date), 终止 after `churn_days` without an
/// order.
pub fn stage(c: &CustomerFacts, as_of: Day, p: &StageParams, churn_days: i32) -> Stage {
    stage_of(&c.order_days, &c.order_spend, as_of, p, churn_days)
}

/// The stage of a customer whose orders up to `as_of` fell on `days` (ascending), each worth the
/// same place of `spend`.
///
/// # Formula
/// With W the window (`window_days` up to `as_of`), n and s the orders and spend in it, and n₀ and
/// s₀ the orders and spend per window before it (from the first order to the window's start):
/// - 终止 when `as_of` − last order > `churn_days`;
/// - 考察期 with one order;
/// - 形成期 when every order is in W (a relationship growing from nothing);
/// - 退化期 when n < fall·n₀ or s < fall·s₀ (volume or frequency falling, from any stage);
/// - 形成期 when n > rise·n₀ or s > rise·s₀ (rising);
/// - 稳定期 when n ≥ `stable_orders` and s ≥ `stable_spend` (a high level, not falling);
/// - otherwise 形成期 (steady, below the stable level).
pub fn stage_of(days: &[Day], spend: &[f64], as_of: Day, p: &StageParams, churn_days: i32) -> Stage {
    stage_with(days, as_of, p, churn_days, |window_start| {
        let split = days.partition_point(|&d| d < window_start);
        let upto = days.partition_point(|&d| d <= as_of);
        let before = spend.get(..split).map_or(0.0, |s| s.iter().fold(0.0, |a, x| a + x));
        let through = spend.get(split..upto).map_or(before, |s| s.iter().fold(before, |a, x| a + x));
        Window { split, upto, before, through }
    })
}

/// Where the window falls among a customer's orders: the orders before it (`split`), the orders up
/// to the as-of date (`upto`), and the spend of each, as running totals from the first order on
/// (summed in order, so that [`stage_of`] and a walk keeping the totals get the same bits).
pub(crate) struct Window {
    pub split: usize,
    pub upto: usize,
    pub before: f64,
    pub through: f64,
}

/// [`stage_of`], with `window(window_start)` saying where the window falls: a walk through many
/// as-of dates keeps its place and its totals instead of searching and summing again.
pub(crate) fn stage_with(
    days: &[Day],
    as_of: Day,
    p: &StageParams,
    churn_days: i32,
    window: impl FnOnce(Day) -> Window,
) -> Stage {
    let (Some(&first), Some(&last)) = (days.first(), days.last()) else { return Stage::Exploration };
    if as_of - last > churn_days {
        return Stage::End;
    }
    if days.len() == 1 {
        return Stage::Exploration;
    }
    let window_start = as_of - p.window_days + 1;
    if first >= window_start {
        return Stage::Formation;
    }
    let Window { split, upto, before, through } = window(window_start);
    let recent_orders = upto.saturating_sub(split) as f64;
    let recent_spend = through - before;
    let earlier_windows = (f64::from(window_start - first) / f64::from(p.window_days)).max(f64::MIN_POSITIVE);
    let earlier_orders = split as f64 / earlier_windows;
    let earlier_spend = before / earlier_windows;
    if recent_orders < p.fall * earlier_orders || recent_spend < p.fall * earlier_spend {
        Stage::Decline
    } else if recent_orders > p.rise * earlier_orders || recent_spend > p.rise * earlier_spend {
        Stage::Formation
    } else if recent_orders >= f64::from(p.stable_orders) && recent_spend >= p.stable_spend {
        Stage::Stability
    } else {
        Stage::Formation
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::dataset::Categorical;

    fn customer(code: u32, order_days: &[Day], daily: &[(Day, f64)]) -> CustomerFacts {
        let monetary = daily.iter().map(|d| d.1).sum();
        let in_window =
            daily.iter().filter(|(d, _)| (crate::core::analysis::customers::spend_window_start(AS_OF)..=AS_OF).contains(d));
        let spend_12_months = in_window.map(|d| d.1).sum();
        CustomerFacts { monetary, spend_12_months, ..CustomerFacts::with_orders(code, order_days) }
    }

    const AS_OF: Day = 1000;

    const CHURN: i32 = 365;

    /// The stage of orders on `days`, worth `spend` each (the same order), as of [`AS_OF`].
    fn stage_with(days: &[Day], spend: &[f64], p: &StageParams) -> Stage {
        let c = CustomerFacts { order_spend: spend.to_vec(), ..CustomerFacts::with_orders(0, days) };
        stage(&c, AS_OF, p, CHURN)
    }

    #[test]
    fn stages_follow_the_four_stage_rule_and_the_end() {
        let p = StageParams::default(); // window: days 821..=1000; stable from 2 orders in it
        let none = |days: &[Day]| vec![0.0; days.len()];
        let cases: &[(&str, &[Day], Stage)] = &[
            ("one recent order", &[900], Stage::Exploration),
            // 1000 − 100 = 900 days without an order > 365.
            ("one order long ago", &[100], Stage::End),
            ("gone for longer than the churn window", &[100, 600], Stage::End),
            ("several orders, all inside the window", &[850, 900, 950], Stage::Formation),
            // Earlier: 1 order over 720 days = 4 windows → 0.25 per window; recent 2 > 1.25 × 0.25.
            ("buying faster than before", &[101, 900, 950], Stage::Formation),
            // Earlier: 4 orders over 4 windows = 1 per window; recent 1 = 1 × 1 — steady, but below
            // the stable level of 2 orders per window.
            ("steady at one order per window", &[101, 300, 500, 700, 900], Stage::Formation),
            // Earlier: 8 orders over 4 windows = 2 per window; recent 2 = 1 × 2, and 2 ≥ 2.
            ("steady at two orders per window", &[101, 200, 300, 400, 500, 600, 700, 800, 850, 950], Stage::Stability),
            // Earlier: 4 per 4 windows; recent 0 < 0.75; last order 300 days ago ≤ 365.
            ("no order in the window", &[101, 300, 500, 700], Stage::Decline),
        ];
        for (what, days, want) in cases {
            assert_eq!(stage_with(days, &none(days), &p), *want, "{what}");
        }
        let one_per_window = StageParams { stable_orders: 1, ..p };
        assert_eq!(stage_with(&[101, 300, 500, 700, 900], &[0.0; 5], &one_per_window), Stage::Stability);
    }

    #[test]
    fn spend_falling_or_rising_moves_the_stage_when_orders_do_not() {
        // Earlier: 8 orders of 50 over 4 windows = 2 orders and 100 per window; recent: 2 orders,
        // as often as before.
        let days = [101, 200, 300, 400, 500, 600, 700, 800, 850, 950];
        let spend = |recent: f64| {
            let mut s = vec![50.0; 8];
            s.extend([recent, recent]);
            s
        };
        let p = StageParams::default();
        let cases = [
            ("spend 60 < 0.75 × 100", 30.0, Stage::Decline),
            ("spend 100: as before", 50.0, Stage::Stability),
            ("spend 200 > 1.25 × 100", 100.0, Stage::Formation),
        ];
        for (what, each, want) in cases {
            assert_eq!(stage_with(&days, &spend(each), &p), want, "{what}");
        }
        // A spend floor of 150 in the window: 100 is steady, but not the stable level.
        let floor = StageParams { stable_spend: 150.0, ..p };
        assert_eq!(stage_with(&days, &spend(50.0), &floor), Stage::Formation);
    }

    #[test]
    fn the_boundaries_of_the_factors_belong_to_stability() {
        let p = StageParams { window_days: 100, stable_orders: 1, ..StageParams::default() }; // window 901..=1000
                                                                                              // Earlier: 4 orders over 800 days = 8 windows → 0.5; recent 1 = 2 × 0.5: formation.
        assert_eq!(stage_with(&[101, 300, 500, 700, 950], &[0.0; 5], &p), Stage::Formation);
        // Earlier: 8 orders over 8 windows = 1; recent 1 = exactly 1.0 ×: stability.
        let days = [101, 200, 300, 400, 500, 600, 700, 800, 950];
        assert_eq!(stage_with(&days, &[0.0; 9], &p), Stage::Stability);
        // Exactly the churn window without an order is not yet the end.
        assert_eq!(stage_with(&[AS_OF - CHURN], &[0.0], &p), Stage::Exploration);
        assert_eq!(stage_with(&[AS_OF - CHURN - 1], &[0.0], &p), Stage::End);
    }

    #[test]
    fn derived_tiers_cut_by_share_and_ties_share_a_tier() {
        // 20 customers with 12-month spend 1..=20: top 5% (1) 钻石, next 15% (3) 金卡, next 30% (6) 银卡.
        let customers: Vec<CustomerFacts> = (0..20).map(|i| customer(i, &[990], &[(990, f64::from(i + 1))])).collect();
        let t = tiers(&Dataset::default(), &customers, AS_OF, &TierRule::default()).unwrap();
        let count = |k: usize| t.of.iter().filter(|&&x| x == k).count();
        assert_eq!((count(0), count(1), count(2), count(3)), (1, 3, 6, 10));
        assert_eq!(t.of[19], 0);
        assert_eq!(t.names[0], "钻石");
        // Spend older than 12 months does not count.
        let old = vec![customer(0, &[100], &[(100, 1e6)]), customer(1, &[990], &[(990, 5.0)])];
        let t = tiers(&Dataset::default(), &old, AS_OF, &TierRule::Amounts([100.0, 50.0, 1.0])).unwrap();
        assert_eq!(t.of, vec![3, 2]);
        // Everybody equal: nobody spent more, so everybody is in the top share.
        let same: Vec<CustomerFacts> = (0..10).map(|i| customer(i, &[990], &[(990, 7.0)])).collect();
        assert!(tiers(&Dataset::default(), &same, AS_OF, &TierRule::default()).unwrap().of.iter().all(|&k| k == 0));
    }

    #[test]
    fn a_mapped_member_level_is_used_in_its_natural_order() {
        let mut ds = Dataset { day: Some(vec![10, 20, 30]), ..Dataset::default() };
        let mut levels = Categorical::default();
        for (c, level) in [("a", "银卡"), ("a", "金卡"), ("b", "普通")] {
            let code = ds.customers.intern(c);
            ds.customer.push(code);
            levels.push(level);
        }
        ds.member_level = Some(levels);
        let customers = vec![customer(0, &[10, 20], &[]), customer(1, &[30], &[])];
        let t = tiers(&ds, &customers, AS_OF, &TierRule::default()).unwrap();
        assert!(t.from_column);
        assert_eq!(t.names, vec!["金卡", "银卡", "普通"]);
        assert_eq!(t.of, vec![0, 2], "a's latest level is 金卡");
    }

    #[test]
    fn unknown_level_names_are_ordered_by_their_customers_mean_spend() {
        let mut ds = Dataset { day: Some(vec![10, 20, 30]), ..Dataset::default() };
        let mut levels = Categorical::default();
        for (c, level) in [("a", "Bronze+"), ("b", "Star"), ("c", "Bronze+")] {
            let code = ds.customers.intern(c);
            ds.customer.push(code);
            levels.push(level);
        }
        ds.member_level = Some(levels);
        let spend = |code, m| CustomerFacts { monetary: m, ..customer(code, &[10], &[]) };
        let customers = vec![spend(0, 10.0), spend(1, 500.0), spend(2, 30.0)];
        let t = tiers(&ds, &customers, AS_OF, &TierRule::default()).unwrap();
        assert_eq!(t.names, vec!["Star", "Bronze+"], "Star's customers spend 500 on average, Bronze+'s 20");
        assert_eq!(t.of, vec![1, 0, 1]);
    }

    #[test]
    fn level_names_of_one_rank_or_equal_spend_are_ordered_by_name_whatever_the_row_order() {
        let rows = [("a", "gold"), ("b", "金卡"), ("c", "Star"), ("d", "Moon"), ("e", "银卡")];
        let mut seen = Vec::new();
        for reversed in [false, true] {
            let mut ds = Dataset { day: Some(vec![10; rows.len()]), ..Dataset::default() };
            let mut levels = Categorical::default();
            let order: Vec<_> = if reversed { rows.iter().rev().collect() } else { rows.iter().collect() };
            for &&(c, level) in &order {
                let code = ds.customers.intern(c);
                ds.customer.push(code);
                levels.push(level);
            }
            ds.member_level = Some(levels);
            // Every customer spent the same: Star and Moon tie on mean spend.
            let customers: Vec<CustomerFacts> =
                (0..rows.len() as u32).map(|code| CustomerFacts { monetary: 5.0, ..customer(code, &[10], &[]) }).collect();
            let t = tiers(&ds, &customers, AS_OF, &TierRule::default()).unwrap();
            assert_eq!(t.names, vec!["gold", "金卡", "银卡", "Moon", "Star"]);
            let by_id: Vec<(String, String)> = customers
                .iter()
                .zip(&t.of)
                .map(|(c, &k)| (ds.customers.name(c.customer).unwrap().to_string(), t.names[k].clone()))
                .collect::<std::collections::BTreeMap<_, _>>()
                .into_iter()
                .collect();
            seen.push(by_id);
        }
        assert_eq!(seen[0], seen[1], "every customer keeps their level");
        assert_eq!(seen[0][0], ("a".to_string(), "gold".to_string()));
    }

    #[test]
    fn many_level_labels_each_keep_their_place() {
        // A column with a label per customer (mapped as the level by mistake, say): each customer's
        // tier is their own label's place.
        let n = 5_000u32;
        let mut ds = Dataset { day: Some(vec![10; n as usize]), ..Dataset::default() };
        let mut levels = Categorical::default();
        for k in 0..n {
            let code = ds.customers.intern(&format!("c{k}"));
            ds.customer.push(code);
            levels.push(&format!("L{k}"));
        }
        ds.member_level = Some(levels);
        let customers: Vec<CustomerFacts> =
            (0..n).map(|code| CustomerFacts { monetary: f64::from(code), ..customer(code, &[10], &[]) }).collect();
        let t = tiers(&ds, &customers, AS_OF, &TierRule::default()).unwrap();
        assert_eq!(t.names.len(), n as usize, "no customer without a level");
        assert!(customers.iter().zip(&t.of).all(|(c, &k)| t.names[k] == format!("L{}", c.customer)));
        assert_eq!(t.names[0], format!("L{}", n - 1), "the highest mean spend first");
    }

    #[test]
    fn bad_rules_are_refused() {
        assert!(TierRule::Shares([0.5, 0.5, 0.5]).check().is_err());
        assert!(TierRule::Amounts([1.0, 5.0, 10.0]).check().is_err());
        assert!(StageParams { window_days: 0, ..StageParams::default() }.check().is_err());
        assert!(StageParams { rise: 0.5, fall: 0.75, ..StageParams::default() }.check().is_err());
        assert!(StageParams { stable_spend: -1.0, ..StageParams::default() }.check().is_err());
    }
}
