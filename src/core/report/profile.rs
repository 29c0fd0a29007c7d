//! One customer's story (issue 29, part 6): their orders on a timeline, their lifecycle stage and
//! state in each period, their scores, tiers and predictions, and what they answered — everything
//! the lists say about a customer, in one place, so that a marketer can see why a customer is
//! where they are before contacting them.
//!
//! # Rules
//! - The timeline holds the customer's rows up to the as-of date grouped as the facts count
//!   orders: by order id (on the id's first day) when an order id is mapped, else by day; an
//!   order's amount is the sum of its purchase rows. Returns (negative amounts, −0 for a row
//!   refunded in full) are entries of their own, by row, and do not count as orders.
//! - Each period's state and stage are the ones the segmentation's walks give (the same functions
//!   over this customer alone); stages cover the chain's last periods only.

use super::segments::{CustomerRow, Segmentation};
use crate::core::analysis::lifecycle::Stage;
use crate::core::analysis::nps::Survey;
use crate::core::analysis::stage_chain;
use crate::core::analysis::states::{self, Period, State};
use crate::core::clv::CustomerClv;
use crate::core::dataset::{Dataset, MISSING, NO_ORDER, NO_SCORE};
use crate::core::values::{format_day, to_cents, Day};
use serde::{Deserialize, Serialize};

/// One customer's story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// The customer as the lists show them (id, RFM, segments, ABC, tier, stage, state).
    pub customer: CustomerRow,
    pub as_of: String,
    pub first_order: String,
    /// The last day with a purchase (what recency counts from; an order over two days ends on
    /// its second).
    pub last_order: String,
    pub tenure_days: i32,
    /// `None` (as every figure of money of the story) when the file has no amounts.
    pub average_order_value: Option<f64>,
    pub spend_12_months: Option<f64>,
    /// The loyalty pyramid's tier.
    pub pyramid: Option<String>,
    pub first_channel: Option<String>,
    /// Categories and channels bought, in the order first bought.
    pub categories: Vec<String>,
    pub channels: Vec<String>,
    /// Orders and returns, oldest first.
    pub timeline: Vec<TimelineEntry>,
    pub period: Period,
    /// From the period of the first order to the as-of date's.
    pub periods: Vec<PeriodStory>,
    /// The last CLV run's prediction, once the models have run.
    pub clv: Option<ProfileClv>,
    /// Every answer the customer gave, oldest first.
    pub answers: Vec<ProfileAnswer>,
    /// The playbook's action, once a playbook has been applied.
    pub action: Option<ProfileAction>,
    /// The customer's rows dated after the as-of date (not in the story).
    pub rows_after_as_of: usize,
    /// Their engagement (score, events by type, last event) when an events file is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engagement: Option<crate::core::analysis::engagement::CustomerEngagement>,
}

/// An order (or a return) on the timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub date: String,
    /// Days from this entry to the as-of date (where the timeline places it).
    pub days_before_as_of: i32,
    /// The order's value (a return's negative amount); `None` without amounts.
    pub amount: Option<f64>,
    pub returned: bool,
    /// Rows of the file in the entry.
    pub rows: u32,
    pub categories: Vec<String>,
    pub channels: Vec<String>,
}

/// One period of the customer's relationship.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodStory {
    pub period: String,
    pub orders: u32,
    /// The value of the period's orders (returns not taken off, as the stages measure spend);
    /// `None` without amounts.
    pub spend: Option<f64>,
    pub state: State,
    /// The lifecycle stage at the period's end (`None` before the chain's first period).
    pub stage: Option<Stage>,
}

/// A customer's CLV prediction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileClv {
    pub p_alive: f64,
    pub expected_purchases: f64,
    pub expected_value: Option<f64>,
    pub clv: Option<f64>,
    pub horizon_months: u32,
}

/// A survey answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileAnswer {
    pub date: Option<String>,
    pub score: u8,
    pub category: crate::core::report::attitude::Attitude,
    pub comment: Option<String>,
}

/// The playbook's action for the customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileAction {
    pub action: String,
    pub channel: String,
    pub priority: u32,
}

impl Segmentation {
    /// The index into the facts of the customer with id `id`, when they have purchases up to the
    /// as-of date.
    pub fn index_of(&self, ds: &Dataset, id: &str) -> Option<usize> {
        let code = ds.customers.code(id.trim())?;
        // The facts are in code order (one entry per code with purchases).
        self.facts.customers.binary_search_by_key(&code, |c| c.customer).ok()
    }
}

/// The story of customer `i` (index into `seg`'s facts) of `ds`, with their answers in `survey`
/// (coded as `ds`'s customers), their row of the last CLV run (`clv`, with its horizon) and their
/// action.
pub fn profile(
    ds: &Dataset,
    seg: &Segmentation,
    i: usize,
    survey: Option<&Survey>,
    clv: Option<(&CustomerClv, u32)>,
    action: Option<ProfileAction>,
) -> Profile {
    let c = &seg.facts.customers[i];
    let as_of = seg.facts.as_of;
    let (timeline, rows_after_as_of) = timeline(ds, c.customer, as_of);
    let name = |labels: Option<&crate::core::dataset::Categorical>, code: u32| {
        labels.and_then(|l| l.labels.name(code)).unwrap_or_default().to_string()
    };
    // Categories and channels in the order first bought (the facts keep them sorted by code).
    let firsts = |pick: fn(&TimelineEntry) -> &Vec<String>| {
        let mut seen: Vec<String> = Vec::new();
        for e in timeline.iter().filter(|e| !e.returned) {
            for x in pick(e) {
                if !seen.contains(x) {
                    seen.push(x.clone());
                }
            }
        }
        seen
    };
    let (categories, channels) = (firsts(|e| &e.categories), firsts(|e| &e.channels));
    Profile {
        customer: seg.row(ds, i),
        as_of: format_day(as_of),
        first_order: format_day(c.first_day),
        last_order: format_day(c.last_day),
        tenure_days: c.tenure_days,
        average_order_value: seg.facts.amounts.then(|| to_cents(c.average_order_value)),
        spend_12_months: seg.facts.amounts.then(|| to_cents(c.spend_12_months)),
        pyramid: seg.pyramid.of.get(i).and_then(|&k| seg.pyramid.tiers.get(k)).map(|t| t.name.clone()),
        first_channel: c.first_channel.map(|code| name(ds.channel.as_ref(), code)),
        categories,
        channels,
        timeline,
        period: seg.params.states.period,
        periods: periods(seg, i),
        clv: clv.map(|(row, horizon_months)| ProfileClv {
            p_alive: row.p_alive,
            expected_purchases: row.expected_purchases,
            expected_value: row.expected_value,
            clv: row.clv,
            horizon_months,
        }),
        answers: survey.map(|s| answers(s, c.customer)).unwrap_or_default(),
        action,
        rows_after_as_of,
        engagement: seg.engagement.as_ref().map(|e| e.of(c.customer)),
    }
}

/// The customer's orders and returns up to `as_of`, oldest first, and how many of their rows are
/// dated after it.
fn timeline(ds: &Dataset, code: u32, as_of: Day) -> (Vec<TimelineEntry>, usize) {
    let Some(days) = ds.day.as_deref() else { return (Vec::new(), 0) };
    // Without amounts every row is a purchase of nothing, shown without a value.
    let amount = |row: usize| ds.amount_or_zero(row);
    let money = ds.amount.is_some();
    let orders = ds.order.as_ref().map(|o| o.keys.as_slice());
    let mut after = 0;
    // (day, key, row): an order's key is its id's fingerprint, or its day for purchases without one.
    let mut purchases: Vec<(Day, u64, usize)> = Vec::new();
    let mut returns: Vec<usize> = Vec::new();
    for (row, _) in ds.customer.iter().enumerate().filter(|&(_, &c)| c == code) {
        if days[row] > as_of {
            after += 1;
        } else if amount(row).is_sign_negative() {
            returns.push(row);
        } else if !amount(row).is_nan() {
            let key = orders.map_or(NO_ORDER, |o| o[row]);
            purchases.push((days[row], key, row));
        }
    }
    // Each order id's rows together, its first day (and its first row) first.
    let mut first_of: std::collections::HashMap<u64, (Day, usize)> = std::collections::HashMap::new();
    for &(day, key, row) in &purchases {
        if key != NO_ORDER {
            let first = first_of.entry(key).or_insert((day, row));
            *first = (*first).min((day, row));
        }
    }
    // An order without an id is its day's: keyed by the day, after every id (ids are hashes).
    let group = |&(day, key, row): &(Day, u64, usize)| match first_of.get(&key) {
        Some(&(first, first_row)) if key != NO_ORDER => (first, 1u8, first_row, row),
        _ => (day, 0u8, 0, row),
    };
    let mut keyed: Vec<((Day, u8, usize, usize), usize)> = purchases.iter().map(|p| (group(p), p.2)).collect();
    keyed.sort_unstable();
    let labels = |column: Option<&crate::core::dataset::Categorical>, rows: &[usize]| {
        let mut out: Vec<String> = Vec::new();
        if let Some(col) = column {
            for &r in rows {
                let code = col.codes[r];
                if let Some(n) = (code != MISSING).then(|| col.labels.name(code)).flatten() {
                    if !out.iter().any(|o| o == n) {
                        out.push(n.to_string());
                    }
                }
            }
        }
        out
    };
    let entry = |day: Day, amount: f64, returned: bool, rows: &[usize]| TimelineEntry {
        date: format_day(day),
        days_before_as_of: as_of - day,
        amount: money.then(|| to_cents(amount)),
        returned,
        rows: rows.len() as u32,
        categories: labels(ds.category.as_ref(), rows),
        channels: labels(ds.channel.as_ref(), rows),
    };
    let mut out: Vec<(Day, usize, TimelineEntry)> = Vec::new();
    let mut k = 0;
    while k < keyed.len() {
        let ((day, kind, first_row, _), _) = keyed[k];
        let same = |x: &((Day, u8, usize, usize), usize)| x.0 .0 == day && x.0 .1 == kind && x.0 .2 == first_row;
        let end = k + keyed[k..].iter().take_while(|x| same(x)).count();
        let rows: Vec<usize> = keyed[k..end].iter().map(|x| x.1).collect();
        // Summed in row order, as the facts add an order's rows.
        let value = rows.iter().fold(0.0, |a, &r| a + amount(r));
        out.push((day, rows[0], entry(day, value, false, &rows)));
        k = end;
    }
    for r in returns {
        out.push((days[r], r, entry(days[r], amount(r), true, &[r])));
    }
    out.sort_by_key(|e| (e.0, e.1));
    (out.into_iter().map(|e| e.2).collect(), after)
}

/// The customer's state and stage in each period, from the walks of the whole segmentation run
/// over this customer alone (a customer's states depend on their own orders only): the states'
/// walk starts at the period of the customer's first order, the chain at its last periods.
fn periods(seg: &Segmentation, i: usize) -> Vec<PeriodStory> {
    let c = &seg.facts.customers[i];
    let p = &seg.params;
    let period = p.states.period;
    let one = std::slice::from_ref(c);
    let walk = states::walk(one, seg.facts.as_of, &p.states);
    let chain = stage_chain::chain(
        one,
        seg.facts.as_of,
        period,
        p.states.churn_days,
        &super::segments::stage_params(&p.stages, seg.facts.amounts),
        0,
    );
    let first = c.order_days.first().map_or(0, |&d| period.of(d));
    let one_of = |mix: &[usize]| mix.iter().position(|&n| n == 1);
    walk.periods
        .iter()
        .enumerate()
        .filter_map(|(k, s)| {
            let state = State::ALL[one_of(&s.mix)?];
            let stage =
                chain.periods.iter().position(|l| *l == s.label).and_then(|j| one_of(&chain.mix[j])).map(|x| Stage::ALL[x]);
            let q = first + k as i32;
            let lo = c.order_days.partition_point(|&d| d < period.start(q));
            let hi = c.order_days.partition_point(|&d| d <= period.end(q));
            let spend = c.order_spend[lo..hi].iter().fold(0.0, |a, x| a + x);
            let spend = seg.facts.amounts.then(|| to_cents(spend));
            Some(PeriodStory { period: s.label.clone(), orders: (hi - lo) as u32, spend, state, stage })
        })
        .collect()
}

/// Every answer of customer `code` in `survey`, by (day, row).
fn answers(survey: &Survey, code: u32) -> Vec<ProfileAnswer> {
    let Some(scores) = survey.answers.score.as_deref() else { return Vec::new() };
    let days = survey.answers.day.as_deref();
    let mut rows: Vec<usize> =
        (0..survey.customer.len()).filter(|&r| survey.customer[r] == code && scores[r] != NO_SCORE).collect();
    rows.sort_by_key(|&r| (days.map(|d| d[r]), r));
    rows.into_iter()
        .map(|r| ProfileAnswer {
            date: days.map(|d| format_day(d[r])),
            score: scores[r],
            category: crate::core::report::attitude::Attitude::of(scores[r]),
            comment: survey.answers.comment(r).map(str::to_string),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ingest::{ingest, IngestOptions};
    use crate::core::report::segments::{segment, SegmentationParams};
    use crate::core::values::parse_iso_date;

    fn read(text: &str) -> Dataset {
        ingest(text.as_bytes(), "t.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap().dataset
    }

    fn seg_of(ds: &Dataset, as_of: &str) -> Segmentation {
        let params = SegmentationParams { as_of: parse_iso_date(as_of).ok(), ..SegmentationParams::default() };
        segment(ds, &params.check().unwrap()).unwrap()
    }

    /// c1's story as of 2024-06-30, worked out by hand: order A1 (two rows, 120) in January, A2
    /// (50) and A3 (30) on one March day, a return of 20 in April, A4 over two May days (210, on
    /// its first day), and A5 in August, after the as-of date. Months: January new, February
    /// lapsed, March repeat (2 orders, 80), April lapsed (a return is no order), May repeat (2 of
    /// the last 4 months), June lapsed. Stages (window 180 days): one order to the end of February
    /// (考察期), then every order inside the window (形成期).
    #[test]
    fn a_customers_story_worked_out_by_hand() {
        let ds = read(
            "order_id,customer_id,order_date,amount,category,channel\n\
             A1,c1,2024-01-05,100,手机,天猫\n\
             A1,c1,2024-01-05,20,配件,天猫\n\
             A2,c1,2024-03-10,50,配件,京东\n\
             A3,c1,2024-03-10,30,耳机,京东\n\
             R1,c1,2024-04-01,-20,配件,天猫\n\
             A4,c1,2024-05-02,200,手机,官网\n\
             A4,c1,2024-05-03,10,配件,官网\n\
             A5,c1,2024-08-01,70,耳机,天猫\n\
             B1,c2,2024-02-01,40,配件,京东\n",
        );
        let survey = read("customer_id,date,score,comment\nc1,2024-05-10,9,\nc1,2024-02-01,6,太慢\nc2,2024-02-02,10,好\n");
        let seg = seg_of(&ds, "2024-06-30");
        let i = seg.index_of(&ds, " c1 ").unwrap();
        let answers = Survey::joined(&survey, &ds.customers);
        let action = ProfileAction { action: "Second order".into(), channel: "SMS".into(), priority: 2 };
        let p = profile(&ds, &seg, i, Some(&answers), None, Some(action.clone()));
        type Entry<'a> = (&'a str, f64, bool, u32, Vec<&'a str>, Vec<&'a str>);
        let got: Vec<Entry> = p
            .timeline
            .iter()
            .map(|e| {
                fn names(v: &[String]) -> Vec<&str> {
                    v.iter().map(String::as_str).collect()
                }
                (e.date.as_str(), e.amount.unwrap(), e.returned, e.rows, names(&e.categories), names(&e.channels))
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("2024-01-05", 120.0, false, 2, vec!["手机", "配件"], vec!["天猫"]),
                ("2024-03-10", 50.0, false, 1, vec!["配件"], vec!["京东"]),
                ("2024-03-10", 30.0, false, 1, vec!["耳机"], vec!["京东"]),
                ("2024-04-01", -20.0, true, 1, vec!["配件"], vec!["天猫"]),
                ("2024-05-02", 210.0, false, 2, vec!["手机", "配件"], vec!["官网"]),
            ]
        );
        assert_eq!(p.timeline[0].days_before_as_of, 177);
        assert_eq!(p.rows_after_as_of, 1);
        assert_eq!((p.customer.frequency, p.customer.monetary), (4, Some(390.0)));
        // The last purchase is A4's second day (recency counts from it), though the order is on its first.
        assert_eq!((p.first_order.as_str(), p.last_order.as_str(), p.as_of.as_str()), ("2024-01-05", "2024-05-03", "2024-06-30"));
        assert_eq!(p.customer.recency_days, 58);
        assert_eq!(p.categories, ["手机", "配件", "耳机"]);
        assert_eq!(p.channels, ["天猫", "京东", "官网"]);
        assert_eq!(p.first_channel.as_deref(), Some("天猫"));
        let periods: Vec<(&str, u32, f64, State, Option<Stage>)> =
            p.periods.iter().map(|s| (s.period.as_str(), s.orders, s.spend.unwrap(), s.state, s.stage)).collect();
        use {Stage::*, State::*};
        assert_eq!(
            periods,
            vec![
                ("2024-01", 1, 120.0, New, Some(Exploration)),
                ("2024-02", 0, 0.0, Lapsed, Some(Exploration)),
                ("2024-03", 2, 80.0, Repeat, Some(Formation)),
                ("2024-04", 0, 0.0, Lapsed, Some(Formation)),
                ("2024-05", 1, 210.0, Repeat, Some(Formation)),
                ("2024-06", 0, 0.0, Lapsed, Some(Formation)),
            ]
        );
        let answered: Vec<(Option<&str>, u8, &str, Option<&str>)> =
            p.answers.iter().map(|a| (a.date.as_deref(), a.score, a.category.key(), a.comment.as_deref())).collect();
        assert_eq!(answered, vec![(Some("2024-02-01"), 6, "detractor", Some("太慢")), (Some("2024-05-10"), 9, "promoter", None)]);
        assert_eq!(p.action, Some(action));
        assert!(p.clv.is_none());
        // c2 bought after nobody but themselves; an id without purchases is nobody's.
        assert!(seg.index_of(&ds, "c3").is_none());
    }

    /// On a generated sample, every customer's story agrees with the segmentation it comes from:
    /// the orders on the timeline are the facts' orders (day and value), the last period's state
    /// and stage are the lists' current ones, and the customer row is the lists' row.
    #[test]
    fn every_story_agrees_with_the_segmentation() {
        let mut bytes = Vec::new();
        crate::core::sample::write_sample(300, 11, &mut bytes).unwrap();
        let ds = ingest(&bytes, "s.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap().dataset;
        let seg = segment(&ds, &SegmentationParams::default().check().unwrap()).unwrap();
        assert!(seg.facts.customers.len() > 250);
        for (i, c) in seg.facts.customers.iter().enumerate() {
            let id = ds.customers.name(c.customer).unwrap();
            assert_eq!(seg.index_of(&ds, id), Some(i));
            let p = profile(&ds, &seg, i, None, None, None);
            let mut orders: Vec<(String, f64)> =
                p.timeline.iter().filter(|e| !e.returned).map(|e| (e.date.clone(), e.amount.unwrap())).collect();
            let mut facts: Vec<(String, f64)> =
                c.order_days.iter().zip(&c.order_spend).map(|(&d, &s)| (format_day(d), to_cents(s))).collect();
            orders.sort_by(|a, b| a.partial_cmp(b).unwrap());
            facts.sort_by(|a, b| a.partial_cmp(b).unwrap());
            assert_eq!(orders, facts, "{id}");
            let net: f64 = p.timeline.iter().map(|e| e.amount.unwrap()).sum();
            assert!((net - c.monetary).abs() < 0.01 * p.timeline.len() as f64, "{id}: {net} vs {}", c.monetary);
            let last = p.periods.last().unwrap();
            assert_eq!(last.state, seg.states.current[i], "{id}");
            assert_eq!(last.stage, seg.chain.current[i], "{id}");
            assert_eq!(seg.chain.current[i], Some(seg.stages[i]), "{id}");
            assert_eq!(p.customer, seg.row(&ds, i));
            assert_eq!(p.periods.iter().map(|s| s.orders).sum::<u32>(), c.frequency, "{id}");
        }
    }
}
