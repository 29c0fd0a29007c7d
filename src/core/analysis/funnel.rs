//! Where customers come from (issue 33, part 4): a member or lead list — id, registration or lead
//! date, source (广告, 社群, 门店, 推荐 …) — joined to the orders by id, as a funnel per source and
//! per registration cohort: leads → first order → second order, with the conversion rates'
//! intervals, the days to the first order and the revenue per lead; any two sources compared.
//!
//! # Rules
//! - A member's registration is their earliest row in the member file (the first of that day in
//!   file order); their source is that row's. Ids are matched to the orders' exactly, after
//!   trimming.
//! - Orders count from the registration day on, up to the as-of date of the orders' facts. A
//!   member who had ordered before registering was a customer already: counted apart
//!   (`already_customers`), not in the rates.
//! - First-order conversion: leads with an order after registering; second: with two or more.
//!   Intervals are Wilson's 95%; two sources are compared with the two-proportion z-test.
//! - Revenue per lead: the value of the orders after registering over the leads (the facts'
//!   order values: returns are not taken off); `None` for a file without amounts.
//! - Predicted value per lead, once the CLV models have run: the leads' predicted CLV over the
//!   leads (a lead who never bought has no prediction and counts 0); absent before.

use crate::core::analysis::cross_sell::wilson;
use crate::core::analysis::customers::{CodeIndex, Facts};
use crate::core::analysis::states::Period;
use crate::core::analysis::trends::{two_proportions, ProportionTest, Share};
use crate::core::dataset::{Dataset, MISSING};
use crate::core::values::{format_day, Day};
use serde::{Deserialize, Serialize};

/// One group's funnel (a source, a cohort, or everyone).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    pub key: String,
    /// Members who had not ordered before registering.
    pub leads: usize,
    pub first_order: Share,
    pub first_order_ci95: Option<(f64, f64)>,
    pub second_order: Share,
    pub second_order_ci95: Option<(f64, f64)>,
    /// Median days from registration to the first order, of those who ordered.
    pub median_days_to_first_order: Option<f64>,
    pub revenue: Option<f64>,
    pub revenue_per_lead: Option<f64>,
    /// The leads' predicted CLV over the leads, once the CLV models have run (left out before).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicted_value_per_lead: Option<f64>,
    /// Members who had ordered before registering (not in the rates).
    pub already_customers: usize,
}

/// The funnel of a member file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Funnel {
    pub as_of: String,
    pub period: Period,
    /// Distinct members (ids) in the file, and those registered after the as-of date (left out).
    pub members: usize,
    pub registered_after_as_of: usize,
    pub total: Stage,
    /// By source, the most leads first; members without a source under "".
    pub by_source: Vec<Stage>,
    /// By the period of registration, oldest first.
    pub by_cohort: Vec<Stage>,
}

/// Each member's registration and what they did after it: for the funnel and its lists.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// Code in the member file's labels.
    pub code: u32,
    pub registered: Day,
    /// Code of the source in the member file's channel column ([`MISSING`] without one).
    pub source: u32,
    /// Orders before registering, and after it (up to the as-of date), with their value.
    pub before: usize,
    pub after: usize,
    pub first_after: Option<Day>,
    pub value_after: f64,
    /// The member's code among the orders' customers, when they bought.
    pub customer: Option<u32>,
}

/// Each customer's source in the member file, by the customer's code in `tx`: the source of their
/// registration (their earliest row, as the funnel counts it); empty for a customer the file does
/// not list or lists without a source. For the customer exports' `source` column.
pub fn sources(members: &Dataset, tx: &Dataset) -> Vec<String> {
    let mut out = vec![String::new(); tx.customers.len()];
    let (Some(days), Some(sources)) = (members.day.as_deref(), members.channel.as_ref()) else { return out };
    let mut first: Vec<Option<(Day, usize)>> = vec![None; members.customers.len()];
    for (row, &code) in members.customer.iter().enumerate() {
        if let Some(slot) = first.get_mut(code as usize) {
            if slot.is_none_or(|f| (days[row], row) < f) {
                *slot = Some((days[row], row));
            }
        }
    }
    for (code, f) in first.iter().enumerate() {
        let Some((_, row)) = *f else { continue };
        let name = members.customers.name(code as u32).unwrap_or_default();
        if let Some(c) = tx.customers.code(name.trim()) {
            out[c as usize] = sources.labels.name(sources.codes[row]).unwrap_or_default().to_string();
        }
    }
    out
}

/// Every member of `members` (registered up to `facts.as_of`), joined to the customers of `tx`
/// (whose facts `facts` are), in the member file's code order; and how many registered later.
pub fn members(members: &Dataset, tx: &Dataset, facts: &Facts) -> (Vec<Member>, usize) {
    let Some(days) = members.day.as_deref() else { return (Vec::new(), 0) };
    let sources = members.channel.as_ref().map(|c| c.codes.as_slice());
    // Each member's earliest row: (day, row).
    let mut first: Vec<Option<(Day, usize)>> = vec![None; members.customers.len()];
    for (row, &code) in members.customer.iter().enumerate() {
        if code == MISSING {
            continue;
        }
        let slot = &mut first[code as usize];
        if slot.is_none_or(|f| (days[row], row) < f) {
            *slot = Some((days[row], row));
        }
    }
    let index = CodeIndex::new(&facts.customers);
    let mut later = 0;
    let mut out = Vec::new();
    for (code, f) in first.iter().enumerate() {
        let Some((registered, row)) = *f else { continue };
        if registered > facts.as_of {
            later += 1;
            continue;
        }
        let name = members.customers.name(code as u32).unwrap_or_default();
        let customer = tx.customers.code(name.trim());
        let orders = customer.and_then(|c| index.get(c)).map(|k| &facts.customers[k]);
        let (mut before, mut after, mut first_after, mut value_after) = (0, 0, None, 0.0);
        if let Some(c) = orders {
            for (&d, &v) in c.order_days.iter().zip(&c.order_spend) {
                if d < registered {
                    before += 1;
                } else {
                    after += 1;
                    first_after.get_or_insert(d);
                    value_after += v;
                }
            }
        }
        out.push(Member {
            code: code as u32,
            registered,
            source: sources.map_or(MISSING, |s| s[row]),
            before,
            after,
            first_after,
            value_after,
            customer,
        });
    }
    (out, later)
}

/// A member of the funnel's activation lists (`funnel --list`'s CSV columns).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberRow {
    pub member_id: String,
    pub registered: String,
    pub source: String,
    /// Orders from the registration day on.
    pub orders_after: usize,
    pub first_order_after: String,
}

/// The leads of `members_file` (not customers before registering) with exactly `orders` orders
/// after registering (0: never bought; 1: bought once), in the member file's order.
pub fn member_rows(members_file: &Dataset, tx: &Dataset, facts: &Facts, orders: usize) -> Vec<MemberRow> {
    let source = |code: u32| members_file.channel.as_ref().and_then(|c| c.labels.name(code)).unwrap_or_default().to_string();
    members(members_file, tx, facts)
        .0
        .iter()
        .filter(|m| m.before == 0 && m.after == orders)
        .map(|m| MemberRow {
            member_id: members_file.customers.name(m.code).unwrap_or_default().to_string(),
            registered: format_day(m.registered),
            source: source(m.source),
            orders_after: m.after,
            first_order_after: m.first_after.map(format_day).unwrap_or_default(),
        })
        .collect()
}

/// The funnel of `group` (members) under `key`; `clv`: each customer's predicted CLV by code.
fn stage(key: String, group: &[&Member], amounts: bool, clv: Option<&[f64]>) -> Stage {
    let leads: Vec<&&Member> = group.iter().filter(|m| m.before == 0).collect();
    let n = leads.len();
    let first = leads.iter().filter(|m| m.after >= 1).count();
    let second = leads.iter().filter(|m| m.after >= 2).count();
    let mut days: Vec<f64> = leads.iter().filter_map(|m| m.first_after.map(|d| f64::from(d - m.registered))).collect();
    days.sort_by(f64::total_cmp);
    let median = match days.len() {
        0 => None,
        k if k % 2 == 1 => Some(days[k / 2]),
        k => Some((days[k / 2 - 1] + days[k / 2]) / 2.0),
    };
    let revenue = amounts.then(|| leads.iter().fold(0.0, |a, m| a + m.value_after));
    Stage {
        key,
        leads: n,
        first_order: Share { hits: first, of: n },
        first_order_ci95: wilson(first, n),
        second_order: Share { hits: second, of: n },
        second_order_ci95: wilson(second, n),
        median_days_to_first_order: median,
        revenue_per_lead: revenue.filter(|_| n > 0).map(|r| r / n as f64),
        revenue,
        predicted_value_per_lead: clv.filter(|_| n > 0).map(|clv| {
            let of = |m: &Member| m.customer.and_then(|c| clv.get(c as usize)).copied().filter(|v| v.is_finite()).unwrap_or(0.0);
            leads.iter().fold(0.0, |a, m| a + of(m)) / n as f64
        }),
        already_customers: group.len() - n,
    }
}

/// The funnel of the member file `members` against the orders `tx` (their facts `facts`), by
/// source and by registration `period`; with `clv` (predicted CLV by customer code), the predicted
/// value per lead.
pub fn funnel(members_file: &Dataset, tx: &Dataset, facts: &Facts, period: Period, clv: Option<&[f64]>) -> Funnel {
    let (all, later) = members(members_file, tx, facts);
    let everyone: Vec<&Member> = all.iter().collect();
    let source_name = |code: u32| members_file.channel.as_ref().and_then(|c| c.labels.name(code)).unwrap_or_default().to_string();
    let mut sources: Vec<u32> = all.iter().map(|m| m.source).collect();
    sources.sort_unstable();
    sources.dedup();
    let mut by_source: Vec<Stage> = sources
        .iter()
        .map(|&s| {
            let group: Vec<&Member> = all.iter().filter(|m| m.source == s).collect();
            stage(source_name(s), &group, facts.amounts, clv)
        })
        .collect();
    by_source.sort_by(|a, b| b.leads.cmp(&a.leads).then_with(|| a.key.cmp(&b.key)));
    let mut cohorts: Vec<i32> = all.iter().map(|m| period.of(m.registered)).collect();
    cohorts.sort_unstable();
    cohorts.dedup();
    let by_cohort = cohorts
        .iter()
        .map(|&p| {
            let group: Vec<&Member> = all.iter().filter(|m| period.of(m.registered) == p).collect();
            stage(period.label(p), &group, facts.amounts, clv)
        })
        .collect();
    Funnel {
        as_of: format_day(facts.as_of),
        period,
        members: all.len() + later,
        registered_after_as_of: later,
        total: stage("all".into(), &everyone, facts.amounts, clv),
        by_source,
        by_cohort,
    }
}

/// Source `b`'s first-order conversion against source `a`'s (two-proportion z-test); `None` when
/// either has no leads or is not in the funnel.
pub fn compare(f: &Funnel, a: &str, b: &str) -> Option<ProportionTest> {
    let find = |k: &str| f.by_source.iter().find(|s| s.key == k).map(|s| s.first_order);
    two_proportions(find(a)?, find(b)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::analysis::customers::facts;
    use crate::core::ingest::{ingest, IngestOptions};

    fn read(text: &str) -> Dataset {
        ingest(text.as_bytes(), "t.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap().dataset
    }

    /// Eight members worked out by hand, the orders as of 2024-07-01 (the day after the last):
    /// - 广告 (ads): m1 registered 01-05, ordered 01-10 and 03-01 (second order); m2 registered
    ///   02-01, never ordered; m3 registered 02-10, ordered 02-12 once; m4 registered 03-01 but had
    ///   ordered 02-20 (already a customer, not a lead). Leads 3: first order 2 (m1, m3), second 1
    ///   (m1); days to the first order 5 and 2 → median 3.5; revenue 100 + 50 + 80 = 230.
    /// - 推荐 (referral): m5 registered 01-20, ordered 01-20 (same day counts) and 04-01; m6 registered
    ///   03-15 (a second row on 05-01 does not move it), ordered 06-30. Leads 2: first 2, second 1;
    ///   days 0 and 107 → median 53.5; revenue 60 + 40 + 10 = 110.
    /// - m7 has no source; m8 registered 2024-08-01, after the as-of date: left out.
    #[test]
    fn a_funnel_by_source_worked_out_by_hand() {
        let members = read(
            "会员ID,注册日期,来源\nm1,2024-01-05,广告\nm2,2024-02-01,广告\nm3,2024-02-10,广告\nm4,2024-03-01,广告\n\
             m5,2024-01-20,推荐\nm6,2024-03-15,推荐\nm6,2024-05-01,广告\nm7,2024-04-01,\nm8,2024-08-01,推荐\n",
        );
        let tx = read(
            "客户ID,下单日期,金额\nm1,2024-01-10,100\nm1,2024-03-01,50\nm3,2024-02-12,80\nm4,2024-02-20,70\n\
             m5,2024-01-20,60\nm5,2024-04-01,40\nm6,2024-06-30,10\nx,2024-06-30,5\n",
        );
        let f = facts(&tx, None).unwrap();
        let funnel = funnel(&members, &tx, &f, Period::Quarter, None);
        assert_eq!((funnel.members, funnel.registered_after_as_of, funnel.as_of.as_str()), (8, 1, "2024-07-01"));
        let ads = funnel.by_source.iter().find(|s| s.key == "广告").unwrap();
        assert_eq!((ads.leads, ads.already_customers), (3, 1));
        assert_eq!((ads.first_order, ads.second_order), (Share { hits: 2, of: 3 }, Share { hits: 1, of: 3 }));
        assert_eq!((ads.median_days_to_first_order, ads.revenue), (Some(3.5), Some(230.0)));
        assert!((ads.revenue_per_lead.unwrap() - 230.0 / 3.0).abs() < 1e-9);
        let referral = funnel.by_source.iter().find(|s| s.key == "推荐").unwrap();
        assert_eq!((referral.leads, referral.first_order.hits, referral.second_order.hits), (2, 2, 1));
        assert_eq!((referral.median_days_to_first_order, referral.revenue), (Some(53.5), Some(110.0)));
        let none = funnel.by_source.iter().find(|s| s.key.is_empty()).unwrap();
        assert_eq!((none.leads, none.first_order.hits), (1, 0));
        // The most leads first.
        assert_eq!(funnel.by_source[0].key, "广告");
        assert_eq!((funnel.total.leads, funnel.total.first_order.hits, funnel.total.already_customers), (6, 4, 1));
        // Registered in 2024Q1: m1–m6 (m4 already a customer); 2024Q2: m7.
        let cohorts: Vec<(&str, usize)> = funnel.by_cohort.iter().map(|c| (c.key.as_str(), c.leads)).collect();
        assert_eq!(cohorts, [("2024Q1", 5), ("2024Q2", 1)]);
        // Wilson's interval of 2 of 3 (statsmodels proportion_confint(2, 3, method='wilson')).
        let (lo, hi) = ads.first_order_ci95.unwrap();
        assert!((lo - 0.207_659_6).abs() < 1e-6 && (hi - 0.938_508_1).abs() < 1e-6, "{lo} {hi}");
        let test = compare(&funnel, "广告", "推荐").unwrap();
        assert!((test.difference - (1.0 - 2.0 / 3.0)).abs() < 1e-12);
        assert_eq!(ads.predicted_value_per_lead, None, "before the CLV models run");
        // Predicted CLV 30 for m1, 12 for m3, 99 for m4 (not a lead), 6 for m5 and m6: 广告's leads
        // m1, m2 (never bought: 0), m3 → 42 / 3 = 14; 推荐's m5 and m6 → 12 / 2 = 6.
        let mut clv = vec![f64::NAN; tx.customers.len()];
        for (id, v) in [("m1", 30.0), ("m3", 12.0), ("m4", 99.0), ("m5", 6.0), ("m6", 6.0)] {
            clv[tx.customers.code(id).unwrap() as usize] = v;
        }
        let with = super::funnel(&members, &tx, &f, Period::Quarter, Some(&clv));
        let value = |k: &str| with.by_source.iter().find(|s| s.key == k).unwrap().predicted_value_per_lead.unwrap();
        assert!((value("广告") - 14.0).abs() < 1e-12 && (value("推荐") - 6.0).abs() < 1e-12);
    }
}
