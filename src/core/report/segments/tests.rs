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
    for groups in [&s.segments, s.cn_segments.as_ref().unwrap(), s.abc.as_ref().unwrap()] {
        assert_eq!(groups.iter().map(|g| g.customers).sum::<usize>(), 500);
        let share: f64 = groups.iter().map(|g| g.revenue_share.unwrap()).sum();
        assert!((share - 1.0).abs() < 1e-9, "{share}");
    }
    assert_eq!(s.pyramid.tiers.iter().map(|t| t.customers).sum::<usize>(), 500);
    for (k, t) in s.pyramid.tiers.iter().enumerate() {
        assert_eq!(seg.rows(&ds, &CustomerFilter::Pyramid(k)).len(), t.customers);
    }
    for groups in [s.tiers.as_ref().unwrap(), &s.stages, &s.states.current] {
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
        revenue: Some(revenue),
        customer_share: if all == 0 { 0.0 } else { n as f64 / all as f64 },
        revenue_share: Some(if total_revenue.abs() > 0.0 { revenue / total_revenue } else { 0.0 }),
        mean_recency_days: mean(&|c| f64::from(c.recency_days)),
        mean_frequency: mean(&|c| f64::from(c.frequency)),
        mean_monetary: Some(mean(&|c| c.monetary)),
        repurchase_rate: if n == 0 { 0.0 } else { members.iter().filter(|c| c.frequency >= 2).count() as f64 / n as f64 },
        average_order_value: Some(if orders == 0 { 0.0 } else { revenue / f64::from(orders) }),
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
            let want = group_of(&g.key, &members(filter(k)), all, s.revenue.unwrap());
            assert_eq!(GroupStat { zh: None, ..g.clone() }, want, "{}", g.key);
        }
    };
    check(&s.segments, &CustomerFilter::Segment);
    check(s.cn_segments.as_ref().unwrap(), &|k| CustomerFilter::Cn(CnSegment::ALL[k]));
    check(s.abc.as_ref().unwrap(), &|k| CustomerFilter::Abc(Abc::ALL[k]));
    check(s.tiers.as_ref().unwrap(), &CustomerFilter::Tier);
    check(&s.stages, &|k| CustomerFilter::Stage(Stage::ALL[k]));
    check(&s.states.current, &|k| CustomerFilter::State(State::ALL[k]));
    for cell in &s.grid {
        let m = members(CustomerFilter::Cell { r: cell.r, f: cell.f });
        assert_eq!(cell.mean_monetary, group_of("", &m, all, s.revenue.unwrap()).mean_monetary);
    }
    for (k, t) in s.pyramid.tiers.iter().enumerate() {
        let want = group_of(&t.name, &members(CustomerFilter::Pyramid(k)), all, s.revenue.unwrap());
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
