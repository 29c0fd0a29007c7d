use super::options::{flag, key, Given};
use super::*;
use crate::core::clv::run::{ClvStep, Run};
use crate::core::ingest::{ingest, IngestOptions};
use crate::core::report::segments::SegmentationParams;
use crate::core::sample::write_sample;

fn sample() -> crate::core::ingest::Ingested {
    let mut bytes = Vec::new();
    write_sample(300, 7, &mut bytes).unwrap();
    ingest(&bytes, "sample.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap()
}

fn rules(json: &str) -> Rules {
    serde_json::from_str(json).unwrap()
}

#[test]
fn rules_given_as_numbers_and_lists_are_the_rules_given_as_the_command_line_types_them() {
    let typed = rules(
        r#"{"bins": 4, "r_thresholds": [30, 90, 180], "abc_a": 70, "abc_b": 20, "tier_shares": [10, 20, 30],
            "window_days": 90, "rise": 1.5, "fall": 0.5, "period": "quarter", "churn_days": 200, "dormant_days": 100}"#,
    );
    let text = |t: &str| Some(Given::Text(t.into()));
    let flags = Rules {
        bins: text("4"),
        r_thresholds: text("30,90,180"),
        abc_a: text("70"),
        abc_b: text("20"),
        tier_shares: text("10,20,30"),
        window_days: text("90"),
        rise: text("1.5"),
        fall: text("0.5"),
        period: Some("quarter".into()),
        churn_days: text("200"),
        dormant_days: text("100"),
        ..Rules::default()
    };
    let (a, b) = (typed.params(key).unwrap(), flags.params(flag).unwrap());
    assert_eq!(a, b);
    // And they are not the defaults: each rule arrived.
    let d = SegmentationParams::default();
    assert_eq!(a.rfm.bins, 4);
    assert_ne!(a.rfm.recency, d.rfm.recency);
    assert!((a.abc.a - 0.7).abs() < 1e-12 && (a.abc.b - 0.2).abs() < 1e-12);
    assert_ne!(a.tiers, d.tiers);
    assert_ne!(a.stages, d.stages);
    assert_ne!(a.states, d.states);
}

#[test]
fn no_rules_are_the_app_defaults() {
    assert_eq!(Rules::default().params(key).unwrap(), SegmentationParams::default());
    assert_eq!(rules("{}").params(key).unwrap(), SegmentationParams::default());
}

#[test]
fn a_rule_that_cannot_be_used_is_named_as_its_caller_names_it() {
    let r = rules(r#"{"tier_shares": [5, 15]}"#);
    assert_eq!(r.params(key).unwrap_err().message, "tier_shares takes three numbers, e.g. 5,15,30");
    assert_eq!(r.params(flag).unwrap_err().message, "--tier-shares takes three numbers, e.g. 5,15,30");
    assert_eq!(r.params(key).unwrap_err().code, "bad_option");
    let e = rules(r#"{"measure": "loudness"}"#).params(key).unwrap_err();
    assert_eq!((e.code.as_str(), e.message.contains("measure 'loudness'")), ("bad_option", true));
    assert_eq!(rules(r#"{"bins": "x"}"#).params(key).unwrap_err().code, "rules_not_whole");
    assert!(serde_json::from_str::<Rules>(r#"{"binz": 5}"#).unwrap_err().to_string().contains("binz"));
}

#[test]
fn the_pyramid_tiers_and_measure_come_from_the_rules() {
    let p = rules(r#"{"measure": "spend_12m", "tiers": "Top: 10, 中间：40\nRest: 50%"}"#).params(key).unwrap();
    assert_eq!(p.pyramid.measure, crate::core::analysis::pyramid::Measure::Spend12Months);
    assert_eq!(p.pyramid.tiers, vec![("Top".into(), 0.1), ("中间".into(), 0.4), ("Rest".into(), 0.5)]);
    assert_eq!(rules(r#"{"tiers": "Top 10"}"#).params(key).unwrap_err().code, "pyramid_line_no_colon");
}

#[test]
fn read_options_are_the_readers_options() {
    let read: ReadOptions = serde_json::from_str(
        r#"{"map": ["customer_id=买家会员名", "amount=3"], "encoding": "GBK", "delimiter": "tsv", "header": false,
            "date_order": "dmy", "decimal": "comma", "amount_from": "unit-price", "keep_all_statuses": true, "currency": "CNY"}"#,
    )
    .unwrap();
    let o = read.options(key).unwrap();
    assert_eq!(o.map.len(), 2);
    assert_eq!((o.encoding.as_deref(), o.header, o.currency.as_deref()), (Some("GBK"), Some(false), Some("CNY")));
    assert_eq!(o.format, Some(crate::core::ingest::table::Format::Tsv));
    assert_eq!(o.date_order, Some(crate::core::values::DateOrder::Dmy));
    assert_eq!(o.decimal_mark, Some(crate::core::values::DecimalMark::Comma));
    assert_eq!(o.amount_from, Some(crate::core::ingest::AmountFrom::UnitPrice));
    assert_eq!(o.exclude_statuses, Some(Vec::new()), "every status kept");
    assert_eq!(ReadOptions::default().options(key).unwrap(), IngestOptions::default());
    let bad = ReadOptions { amount_from: Some("price".into()), ..ReadOptions::default() };
    assert!(bad.options(key).unwrap_err().message.contains("amount_from 'price'"));
    assert!(bad.options(flag).unwrap_err().message.contains("--amount-from 'price'"));
    let bad = ReadOptions { map: vec!["nobody=3".into()], ..ReadOptions::default() };
    assert_eq!(bad.options(key).unwrap_err().code, "bad_option");
}

#[test]
fn a_file_without_a_customer_column_is_refused_with_its_columns() {
    let e: ApiError = ingest(b"when,paid\n2025-01-02,10\n2025-01-03,12\n", "x.csv", &IngestOptions::default(), &mut |_, _| {})
        .unwrap_err()
        .into();
    assert_eq!(e.code, "no_customer_column");
    assert_eq!(e.columns, vec!["when".to_string(), "paid".to_string()]);
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["columns"][1], "paid");
    assert!(serde_json::to_value(ApiError::option("x")).unwrap().get("columns").is_none(), "no empty list");
}

#[test]
fn filters_name_the_groups_of_the_segmentation() {
    let i = sample();
    let params = SegmentationParams::default().check().unwrap();
    let seg = segmentation(&i.dataset, &params, None).unwrap();
    let summary = seg.summary();
    let filter = |json: &str| serde_json::from_str::<Filter>(json).unwrap().resolve(&i.dataset, &seg);
    for (k, group) in summary.segments.iter().enumerate().filter(|(_, g)| g.key != "Unassigned") {
        let f = filter(&format!(r#"{{"segment": {:?}}}"#, group.key)).unwrap();
        assert_eq!(f, CustomerFilter::Segment(k));
        assert_eq!(customers(&i.dataset, &seg, &f, 0, 5).total, group.customers, "{}", group.key);
    }
    for (k, tier) in summary.pyramid.tiers.iter().enumerate() {
        assert_eq!(filter(&format!(r#"{{"pyramid": {:?}}}"#, tier.name)).unwrap(), CustomerFilter::Pyramid(k));
    }
    for (k, tier) in summary.tiers.iter().flatten().enumerate() {
        assert_eq!(filter(&format!(r#"{{"tier": {:?}}}"#, tier.key)).unwrap(), CustomerFilter::Tier(k));
        let zh = tier.zh.as_deref().unwrap();
        assert_eq!(filter(&format!(r#"{{"tier": {zh:?}}}"#)).unwrap(), CustomerFilter::Tier(k));
    }
    for c in &summary.cohorts.cohorts {
        for (k, &active) in c.active.iter().enumerate() {
            let f = filter(&format!(r#"{{"cohort": {{"label": {:?}, "k": {k}}}}}"#, c.label)).unwrap();
            assert_eq!(customers(&i.dataset, &seg, &f, 0, 0).total, active, "{} +{k}", c.label);
        }
        let all = filter(&format!(r#"{{"cohort": {{"label": {:?}}}}}"#, c.label)).unwrap();
        assert_eq!(customers(&i.dataset, &seg, &all, 0, 0).total, c.customers);
    }
    assert!(summary.cohorts.cohorts.iter().any(|c| c.active.len() > 3 && c.active[3] > 0), "the sample has repeat buyers");
    let chain = &summary.stage_chain;
    let key = |s: &crate::core::analysis::lifecycle::Stage| serde_json::to_value(s).unwrap().as_str().unwrap().to_string();
    for (a, from) in crate::core::analysis::lifecycle::Stage::ALL.iter().enumerate() {
        for (b, to) in crate::core::analysis::lifecycle::Stage::ALL.iter().enumerate() {
            let json = format!(r#"{{"stage_moved": {{"from": "{}", "to": "{}"}}}}"#, key(from), key(to));
            assert_eq!(customers(&i.dataset, &seg, &filter(&json).unwrap(), 0, 0).total, chain.last_transitions[a][b], "{json}");
        }
    }
    assert!(chain.last_transitions.iter().flatten().sum::<usize>() > 0);
    assert_eq!(filter(r#""all""#).unwrap(), CustomerFilter::All);
    assert_eq!(filter(r#"{"cell": {"r": 5, "f": 4}}"#).unwrap(), CustomerFilter::Cell { r: 5, f: 4 });
    assert_eq!(
        filter(r#"{"moved": {"from": "loyal", "to": "lapsed"}}"#).unwrap(),
        CustomerFilter::Moved {
            from: crate::core::analysis::states::State::Loyal,
            to: crate::core::analysis::states::State::Lapsed
        }
    );
    assert_eq!(filter(r#"{"segment": "Unassigned"}"#).unwrap(), CustomerFilter::Segment(seg.rfm.params.segments.len()));
    assert_eq!(filter(r#"{"segment": "Nobody"}"#).unwrap_err().code, "unknown_group");
    let page = customers(&i.dataset, &seg, &CustomerFilter::All, 290, 100);
    assert_eq!((page.total, page.offset, page.rows.len()), (300, 290, 10));
}

#[test]
fn a_clv_run_stepped_to_its_end_is_the_analysis_and_says_each_step_first() {
    let i = sample();
    let options: ClvOptions = serde_json::from_str(r#"{"calibration_end": "2025-06-30", "horizon_months": 6}"#).unwrap();
    let params = options.params(key).unwrap();
    let mut run = Run::new(params.clone());
    let mut steps = Vec::new();
    let report = loop {
        steps.push(run.next());
        if let Some(report) = run.advance(&i.dataset).unwrap() {
            break report;
        }
    };
    assert_eq!(steps, ClvStep::ALL);
    let whole = crate::core::clv::analyse(&i.dataset, &params).unwrap();
    assert_eq!(serde_json::to_string(&report).unwrap(), serde_json::to_string(&whole).unwrap());
    assert_eq!(report.rows, whole.rows);
    assert_eq!(report.horizon_months, 6);
}

#[test]
fn clv_options_are_checked_and_named() {
    let opts = |json: &str| serde_json::from_str::<ClvOptions>(json).unwrap().params(key);
    assert_eq!(opts(r#"{"horizon_months": 0}"#).unwrap_err().code, "clv_horizon");
    assert_eq!(opts(r#"{"discount": 1.5}"#).unwrap_err().code, "clv_discount");
    assert_eq!(opts(r#"{"unit": "month"}"#).unwrap_err().code, "bad_option");
    let e = opts(r#"{"calibration_end": "2025-13-01"}"#).unwrap_err();
    assert!(e.message.starts_with("calibration_end 2025-13-01: "), "{}", e.message);
    assert_eq!(
        opts(r#"{"calibration_end": "2025-06-30", "holdout_end": "2025-01-01"}"#).unwrap_err().code,
        "clv_holdout_before_calibration"
    );
    assert!(opts("{}").is_ok());
}

#[test]
fn the_rfm_report_is_every_customer_in_order_of_first_appearance() {
    let i = sample();
    let params = crate::core::analysis::rfm::RfmParams::default();
    let report = rfm(&i.dataset, None, &params).unwrap();
    let text = serde_json::to_string(&report).unwrap();
    let keys = ["as_of", "bins", "customers", "rows_after_as_of", "mean_recency_days", "mean_frequency", "mean_monetary", "rows"];
    let at: Vec<usize> = keys.iter().map(|k| text.find(&format!("\"{k}\":")).unwrap()).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "the keys in the order the CLI prints them: {at:?}");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["customers"], 300);
    let rows = json["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 300);
    assert_eq!(rows[0]["customer_id"], i.dataset.customers.name(0).unwrap());
    assert_eq!(report.rows().count(), 300);
}

#[test]
fn cross_sell_counts_its_not_yet_customers_and_the_filter_lists_them() {
    let i = sample();
    let params = SegmentationParams::default().check().unwrap();
    let seg = segmentation(&i.dataset, &params, None).unwrap();
    let options: CrossSellOptions =
        serde_json::from_str(r#"{"anchor": "手机", "targets": ["穿戴设备", "智能家居"], "within_days": "90"}"#).unwrap();
    let p = options.params(key).unwrap();
    assert_eq!((p.within_days, p.same_day, p.benchmark), (90, true, Some(0.28)));
    let x = cross_sell(&i.dataset, &seg, &p).unwrap();
    assert!(x.converted.of > 100 && x.converted.hits > 0 && x.not_yet > 0, "{:?} {}", x.converted, x.not_yet);
    assert_eq!(x.anchor_buyers, x.converted.of + x.too_recent);
    let filter = serde_json::from_str::<Filter>(r#"{"not_yet": {"anchor": ["手机"], "targets": "穿戴设备,智能家居"}}"#).unwrap();
    let filter = filter.resolve(&i.dataset, &seg).unwrap();
    assert_eq!(customers(&i.dataset, &seg, &filter, 0, 10).total, x.not_yet);
    let unknown = serde_json::from_str::<Filter>(r#"{"not_yet": {"anchor": "手机", "targets": "TV"}}"#).unwrap();
    assert_eq!(unknown.resolve(&i.dataset, &seg).unwrap_err().code, "unknown_category");
    let none: CrossSellOptions = serde_json::from_str(r#"{"anchor": "手机", "targets": "配件", "benchmark": null}"#).unwrap();
    assert_eq!(none.params(key).unwrap().benchmark, None);
    let bad: CrossSellOptions = serde_json::from_str(r#"{"anchor": "手机", "targets": "配件", "within_days": "soon"}"#).unwrap();
    assert_eq!(bad.params(key).unwrap_err().code, "bad_option");
}

#[test]
fn the_loyalty_matrix_cells_list_their_customers() {
    let i = sample();
    let params = SegmentationParams::default().check().unwrap();
    let seg = segmentation(&i.dataset, &params, None).unwrap();
    let m = seg.summary().loyalty_matrix.expect("the sample has survey answers");
    let mut listed = 0;
    for (b, behaviour) in ["loyal", "repeat", "new", "lapsed"].iter().enumerate() {
        for (a, attitude) in ["promoter", "passive", "detractor"].iter().enumerate() {
            let json = format!(r#"{{"attitude": {{"behaviour": "{behaviour}", "attitude": "{attitude}"}}}}"#);
            let filter = serde_json::from_str::<Filter>(&json).unwrap().resolve(&i.dataset, &seg).unwrap();
            let total = customers(&i.dataset, &seg, &filter, 0, 0).total;
            assert_eq!(total, m.cells[b][a].customers, "{json}");
            listed += total;
        }
    }
    assert_eq!(listed, m.answered);
    assert!(m.answered > 0 && m.true_loyalty.customers > 0);
    assert!(m.promoters_bought_after.of > 0 && m.detractors_bought_after.of > 0, "the sample's answers are dated");
}
