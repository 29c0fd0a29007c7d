//! Property tests (proptest) of the whole pipeline on random transaction files: the invariants a
//! user relies on hold for any data, and the results do not depend on row order or on how the file
//! was saved (UTF-8 CSV, GBK CSV, XLSX).

use loyalty_lens::core::analysis::nps::Survey;
use loyalty_lens::core::analysis::states::Period;
use loyalty_lens::core::export::{xlsx, Cell};
use loyalty_lens::core::ingest::{ingest, IngestOptions};
use loyalty_lens::core::report::nps_page::summary as nps_summary;
use loyalty_lens::core::report::segments::{segment, CustomerFilter, SegmentationParams};
use proptest::prelude::*;
use serde_json::Value;

#[derive(Debug, Clone)]
struct Order {
    id: String,
    day: u32,
    amount: u32,
    channel: &'static str,
}

const CHANNELS: [&str; 3] = ["线上商城", "线下门店", "小程序"];

fn orders() -> impl Strategy<Value = Vec<Order>> {
    let order = (0u32..40, 0u32..730, 1u32..5_000, 0usize..3).prop_map(|(c, day, amount, ch)| Order {
        // Chinese and zero-padded ids: both must survive every encoding.
        id: if c % 3 == 0 { format!("客户{c:03}") } else { format!("{c:05}") },
        day,
        amount,
        channel: CHANNELS[ch],
    });
    prop::collection::vec(order, 1..120)
}

fn date(day: u32) -> String {
    let d = chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap() + chrono::Days::new(u64::from(day));
    d.format("%Y-%m-%d").to_string()
}

fn csv(orders: &[Order]) -> String {
    let mut s = String::from("customer_id,order_date,amount,channel\n");
    for o in orders {
        s.push_str(&format!("{},{},{}.00,{}\n", o.id, date(o.day), o.amount, o.channel));
    }
    s
}

/// Everything the app shows for a file: the segmentation summary and every customer's row, as JSON
/// (customers sorted by id, so that the order they were first seen in does not matter).
fn analyse(bytes: &[u8], name: &str) -> (Value, Vec<Value>) {
    let ingested = ingest(bytes, name, &IngestOptions::default(), &mut |_, _| {}).unwrap();
    let seg = segment(&ingested.dataset, &SegmentationParams::default().check().unwrap()).unwrap();
    let summary = serde_json::to_value(seg.summary()).unwrap();
    let mut rows: Vec<Value> =
        seg.rows(&ingested.dataset, &CustomerFilter::All).into_iter().map(|r| serde_json::to_value(r).unwrap()).collect();
    rows.sort_by(|a, b| a["customer_id"].as_str().cmp(&b["customer_id"].as_str()));
    (summary, rows)
}

/// Equal JSON, numbers to a relative 1e-9 (sums in another order may differ in the last bit).
fn same(a: &Value, b: &Value, path: &str) -> Result<(), String> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            if (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0) {
                Ok(())
            } else {
                Err(format!("{path}: {x} vs {y}"))
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().try_for_each(|(i, (x, y))| same(x, y, &format!("{path}[{i}]")))
        }
        (Value::Object(x), Value::Object(y)) if x.len() == y.len() => x.iter().try_for_each(|(k, v)| {
            y.get(k).ok_or(format!("{path}.{k} missing")).and_then(|w| same(v, w, &format!("{path}.{k}")))
        }),
        _ if a == b => Ok(()),
        _ => Err(format!("{path}: {a} vs {b}")),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn counts_and_shares_add_up_and_transition_rows_sum_to_one(orders in orders()) {
        let (summary, rows) = analyse(csv(&orders).as_bytes(), "p.csv");
        let customers = summary["customers"].as_u64().unwrap() as usize;
        prop_assert_eq!(customers, rows.len());
        let revenue: f64 = orders.iter().map(|o| f64::from(o.amount)).sum();
        prop_assert!((summary["revenue"].as_f64().unwrap() - revenue).abs() < 1e-6);
        for key in ["segments", "cn_segments", "abc", "tiers", "stages"] {
            let groups = summary[key].as_array().unwrap();
            let count: u64 = groups.iter().map(|g| g["customers"].as_u64().unwrap()).sum();
            prop_assert_eq!(count as usize, customers, "{} counts", key);
            let share: f64 = groups.iter().map(|g| g["revenue_share"].as_f64().unwrap()).sum();
            prop_assert!((share - 1.0).abs() < 1e-9, "{} revenue shares sum to {}", key, share);
        }
        let tiers = summary["pyramid"]["tiers"].as_array().unwrap();
        let in_tiers: u64 = tiers.iter().map(|t| t["customers"].as_u64().unwrap()).sum();
        prop_assert_eq!(in_tiers as usize, customers);
        for key in ["probabilities", "last_probabilities"] {
            for row in summary["states"][key].as_array().unwrap() {
                let sum: f64 = row.as_array().unwrap().iter().map(|p| p.as_f64().unwrap()).sum();
                prop_assert!(sum == 0.0 || (sum - 1.0).abs() < 1e-9, "a row of {} sums to {}", key, sum);
            }
        }
        let gini = summary["gini"].as_f64().unwrap();
        prop_assert!((0.0..=1.0).contains(&gini), "gini {}", gini);
    }

    #[test]
    fn shuffling_the_rows_changes_nothing(orders in orders(), seed in any::<u64>()) {
        use rand::seq::SliceRandom;
        use rand::SeedableRng;
        let mut shuffled = orders.clone();
        shuffled.shuffle(&mut rand_pcg::Pcg64Mcg::seed_from_u64(seed));
        let (a, rows_a) = analyse(csv(&orders).as_bytes(), "p.csv");
        let (b, rows_b) = analyse(csv(&shuffled).as_bytes(), "p.csv");
        prop_assert_eq!(same(&a, &b, "summary"), Ok(()));
        prop_assert_eq!(same(&Value::Array(rows_a), &Value::Array(rows_b), "rows"), Ok(()));
    }

    #[test]
    fn shuffling_rows_with_every_column_changes_nothing(orders in orders(), salt in any::<u64>(), seed in any::<u64>()) {
        use rand::seq::SliceRandom;
        use rand::SeedableRng;
        // Order ids, categories, member levels and survey answers besides. Of a customer's rows on
        // one day the one later in the file gives their latest level and answer, by design: so a
        // customer's level is the same on all their rows of a day, and a day has one answer of
        // theirs at most.
        let mix = |o: &Order, k: u64| {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (&o.id, o.day, salt, k).hash(&mut h);
            h.finish()
        };
        const LEVELS: [&str; 6] = ["金卡", "gold", "银卡", "Star", "Moon", "普通"];
        const CATEGORIES: [&str; 4] = ["手机", "电视", "耳机", "手环"];
        let mut answered = std::collections::HashSet::new();
        let mut rows: Vec<String> = orders
            .iter()
            .enumerate()
            .map(|(n, o)| {
                let score = match mix(o, 1) % 13 {
                    s if s <= 10 && answered.insert((o.id.clone(), o.day)) => s.to_string(),
                    _ => String::new(),
                };
                format!(
                    "SO{n:05},{},{},{}.00,{},{},{},{score}\n",
                    o.id,
                    date(o.day),
                    o.amount,
                    o.channel,
                    CATEGORIES[(mix(o, 2) ^ n as u64) as usize % 4],
                    LEVELS[mix(o, 3) as usize % 6]
                )
            })
            .collect();
        let header = "order_id,customer_id,order_date,amount,channel,category,member_level,nps_score\n";
        let a_text: String = std::iter::once(header.to_string()).chain(rows.iter().cloned()).collect();
        rows.shuffle(&mut rand_pcg::Pcg64Mcg::seed_from_u64(seed));
        let b_text: String = std::iter::once(header.to_string()).chain(rows).collect();
        let all = |text: &str| {
            let ds = ingest(text.as_bytes(), "p.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap().dataset;
            let seg = segment(&ds, &SegmentationParams::default().check().unwrap()).unwrap();
            let nps: Vec<Value> = [false, true]
                .iter()
                .map(|&latest| {
                    nps_summary(&Survey::inline(&ds), Some(&seg), Period::Month, latest)
                        .map_or(Value::Null, |s| serde_json::to_value(s).unwrap())
                })
                .collect();
            (ds, nps)
        };
        let (ds_a, nps_a) = all(&a_text);
        prop_assert!(ds_a.member_level.is_some() && ds_a.category.is_some() && ds_a.score.is_some());
        let (_, nps_b) = all(&b_text);
        let (a, rows_a) = analyse(a_text.as_bytes(), "p.csv");
        let (b, rows_b) = analyse(b_text.as_bytes(), "p.csv");
        prop_assert_eq!(same(&a, &b, "summary"), Ok(()));
        prop_assert_eq!(same(&Value::Array(rows_a), &Value::Array(rows_b), "rows"), Ok(()));
        prop_assert_eq!(same(&Value::Array(nps_a), &Value::Array(nps_b), "nps"), Ok(()));
    }

    #[test]
    fn the_same_data_as_gbk_csv_or_xlsx_gives_the_same_results(orders in orders()) {
        let text = csv(&orders);
        let (a, rows_a) = analyse(text.as_bytes(), "p.csv");
        let (gbk, _, lossy) = encoding_rs::GBK.encode(&text);
        prop_assert!(!lossy);
        let (b, rows_b) = analyse(&gbk, "p.csv");
        prop_assert_eq!(same(&a, &b, "gbk"), Ok(()));
        prop_assert_eq!(same(&Value::Array(rows_a.clone()), &Value::Array(rows_b), "gbk rows"), Ok(()));
        let cells: Vec<Vec<Cell>> = orders
            .iter()
            .map(|o| vec![Cell::Text(o.id.clone()), Cell::Text(date(o.day)), Cell::Number(f64::from(o.amount)), Cell::Text(o.channel.into())])
            .collect();
        let book = xlsx("Orders", &["customer_id", "order_date", "amount", "channel"], &cells).unwrap();
        let (c, rows_c) = analyse(&book, "p.xlsx");
        prop_assert_eq!(same(&a, &c, "xlsx"), Ok(()));
        prop_assert_eq!(same(&Value::Array(rows_a), &Value::Array(rows_c), "xlsx rows"), Ok(()));
    }
}
