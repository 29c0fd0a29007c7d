//! Real-export fixtures (tests/fixtures/exports, written to the published layouts of Shopify,
//! WooCommerce, Taobao/Tmall, JD, Youzan, Square and UCI-style invoice files) against figures
//! computed independently with pandas (expected.py beside them, its output in expected.json):
//! the core's reading and customer facts, and the command line's `inspect`, `rfm` and `segments`.

use loyalty_lens::core::analysis::customers::facts;
use loyalty_lens::core::ingest::{ingest, IngestOptions};
use serde_json::Value;
use std::process::Command;

const MONEY: f64 = 0.005;

fn dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/exports")
}

fn expected() -> serde_json::Map<String, Value> {
    let text = std::fs::read_to_string(dir().join("expected.json")).expect("expected.json");
    serde_json::from_str::<Value>(&text).expect("json").as_object().cloned().expect("object")
}

fn cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_loyalty-lens")).current_dir(dir()).args(args).output().expect("runs")
}

#[test]
fn every_export_reads_to_the_independently_computed_figures() {
    for (file, want) in expected() {
        let bytes = std::fs::read(dir().join(&file)).expect("fixture");
        let read = ingest(&bytes, &file, &IngestOptions::default(), &mut |_, _| {});
        if let Some(code) = want.get("error").and_then(Value::as_str) {
            assert_eq!(read.err().map(|e| e.code()), Some(code), "{file}");
            let out = cli(&["inspect", &file]);
            assert!(!out.status.success(), "{file}: the command line must refuse it");
            assert!(String::from_utf8_lossy(&out.stderr).contains("customer id"), "{file}");
            continue;
        }
        let ing = read.unwrap_or_else(|e| panic!("{file}: {e}"));
        let r = &ing.report;
        assert_eq!(r.totals.customers as u64, want["customers"].as_u64().unwrap(), "{file}: customers");
        if let Some(responses) = want.get("responses") {
            assert_eq!(r.totals.responses as u64, responses.as_u64().unwrap(), "{file}: responses");
            assert_eq!(r.no_answer, want["no_answer"].as_u64().unwrap(), "{file}: no answer");
            assert!(r.rejected.is_empty(), "{file}: {:?}", r.rejected);
            continue;
        }
        assert!(r.rejected.is_empty(), "{file}: {:?}", r.rejected.first());
        assert_eq!(r.totals.orders as u64, want["orders"].as_u64().unwrap(), "{file}: orders");
        let revenue = r.totals.revenue.expect("revenue");
        assert!((revenue - want["revenue"].as_f64().unwrap()).abs() < MONEY, "{file}: revenue {revenue} vs {}", want["revenue"]);
        assert_eq!(r.guests.as_ref().map_or(0, |g| g.rows), want["guest_rows"].as_u64().unwrap(), "{file}: guests");
        if let Some(n) = want.get("rows_excluded") {
            assert_eq!(r.rows_excluded, n.as_u64().unwrap(), "{file}: rows left out by status");
        }
        if let Some(n) = want.get("cancellations") {
            assert_eq!(r.cancellations, n.as_u64().unwrap(), "{file}: cancellations");
        }
        if let Some(order) = want.get("date_order").and_then(Value::as_str) {
            assert_eq!(r.date_order.key(), order, "{file}");
            assert!(!r.date_order_ambiguous, "{file}: a later date settles the order");
        }
        // Every customer's monetary value and frequency.
        let f = facts(&ing.dataset, None).unwrap_or_else(|e| panic!("{file}: {e}"));
        let monetary = want["monetary"].as_object().unwrap();
        let frequency = want["frequency"].as_object().unwrap();
        assert_eq!(f.customers.len(), monetary.len(), "{file}");
        for c in &f.customers {
            let id = ing.dataset.customers.name(c.customer).unwrap();
            let m = monetary[id].as_f64().unwrap();
            assert!((c.monetary - m).abs() < MONEY, "{file} {id}: monetary {} vs {m}", c.monetary);
            assert_eq!(u64::from(c.frequency), frequency[id].as_u64().unwrap(), "{file} {id}: frequency");
        }
        // The command line reads it the same way.
        let out = cli(&["inspect", &file, "--compact"]);
        let j: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(j["customers"], want["customers"], "{file}");
        assert_eq!(j["orders"], want["orders"], "{file}");
        // `rfm`: every customer's frequency and monetary value.
        let out = cli(&["rfm", &file]);
        let mut rfm = csv::Reader::from_reader(out.stdout.as_slice());
        let mut seen = 0;
        for row in rfm.records() {
            let row = row.expect("rfm csv");
            let (id, freq, money) = (&row[0], row[2].parse::<u64>().unwrap(), row[3].parse::<f64>().unwrap());
            assert_eq!(freq, frequency[id].as_u64().unwrap(), "{file} {id}: rfm frequency");
            assert!((money - monetary[id].as_f64().unwrap()).abs() < MONEY, "{file} {id}: rfm monetary {money}");
            seen += 1;
        }
        assert_eq!(seen, monetary.len(), "{file}: rfm rows");
        // `segments`: the same customers and revenue.
        let out = cli(&["segments", &file, "--compact"]);
        let j: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(j["customers"], want["customers"], "{file}: segments customers");
        assert!((j["revenue"].as_f64().unwrap() - want["revenue"].as_f64().unwrap()).abs() < MONEY, "{file}: segments revenue");
    }
}

#[test]
fn each_proposal_says_why_and_no_address_or_phone_gets_a_role() {
    let out = cli(&["inspect", "taobao_orders.csv", "--compact"]);
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["mapping"]["customer_id"]["name"], "买家会员名");
    assert_eq!(j["mapping"]["customer_id"]["why"], "from the header 买家会员名");
    assert_eq!(j["mapping"]["amount"]["name"], "买家实际支付金额");
    for column in j["columns"].as_array().unwrap() {
        let name = column["name"].as_str().unwrap();
        if ["收货地址", "联系手机", "收货人姓名"].contains(&name) {
            assert!(column["role"].is_null(), "{name} got {}", column["role"]);
        }
    }
    // The restaurant file: once told the customer is the phone, the amount is accounts_payable,
    // never the phone number.
    let out = cli(&["inspect", "restaurant_orders.csv", "--map", "customer_id=phone", "--compact"]);
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["mapping"]["amount"]["name"], "accounts_payable");
    assert!(j["revenue"].as_f64().unwrap() < 1e5, "{}", j["revenue"]);
    // UCI: amount made from quantity × unit price, and the Latin-1 pound sign read as such.
    let out = cli(&["inspect", "uci_online_retail.csv", "--compact"]);
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["amount_from"], "quantity_x_unit_price");
    assert_eq!(j["encoding"], "windows-1252");
    assert!(
        j["columns"][2]["samples"].to_string().contains("POSTAGE £ CHARGE") || out.stdout.windows(2).any(|w| w == "£".as_bytes())
    );
    // The currency from the file's currency column, or chosen.
    let out = cli(&["inspect", "shopify_orders.csv", "--compact"]);
    assert_eq!(serde_json::from_slice::<Value>(&out.stdout).unwrap()["currency"], "USD");
    let out = cli(&["inspect", "taobao_orders.csv", "--currency", "cny", "--compact"]);
    assert_eq!(serde_json::from_slice::<Value>(&out.stdout).unwrap()["currency"], "CNY");
    // Every status kept on request.
    let out = cli(&["inspect", "woocommerce_orders.csv", "--keep-all-statuses", "--compact"]);
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["rows_excluded"], 0);
    // The survey: the row-number column is not the customer; `id` is; NA is no answer.
    let out = cli(&["inspect", "survey_r_na.csv", "--compact"]);
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["mapping"]["customer_id"]["name"], "id");
    assert!(j["mapping"].get("quantity").is_none() && j["mapping"].get("amount").is_none(), "{}", j["mapping"]);
}
