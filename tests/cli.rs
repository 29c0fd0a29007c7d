//! The `loyalty-lens` binary as scripts use it: JSON on stdout, one line on stderr and a non-zero
//! exit for files that cannot be used.

use std::process::{Command, Output};

/// The binary on `args`, in the fixtures' folder.
fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_loyalty-lens"));
    command.args(args).current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"));
    command
}

fn run(args: &[&str]) -> Output {
    command(args).output().expect("the binary runs")
}

/// The command fails with one line on stderr that contains `want`.
/// The binary on `args`, in the fixtures' folder, with `LOYALTY_LENS_SPILL` set to `spill` (`0`:
/// rows held, `1`: put aside whatever the size).
fn run_spilling(spill: &str, args: &[&str]) -> Output {
    command(args).env("LOYALTY_LENS_SPILL", spill).output().expect("the binary runs")
}

fn fails_in_one_line(args: &[&str], want: &str) {
    let out = run(args);
    assert!(!out.status.success(), "{args:?} succeeded");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
    assert!(stderr.contains(want), "{args:?}: {stderr}");
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

#[test]
fn inspect_reads_both_cdnow_files() {
    let master = json(&run(&["inspect", "cdnow/CDNOW_master.txt"]));
    assert_eq!(master["customers"], 23_570);
    assert_eq!(master["rows_accepted"], 69_659);
    assert_eq!(master["format"], "whitespace");
    assert_eq!(master["header"], true);
    assert_eq!(master["date_range"]["first"], "1997-01-01");
    assert_eq!(master["date_range"]["last"], "1998-06-30");
    assert_eq!(master["rejected"].as_array().map(Vec::len), Some(0));
    let sample = json(&run(&["inspect", "cdnow/CDNOW_sample.txt"]));
    assert_eq!(sample["customers"], 2_357);
    assert_eq!(sample["header"], false);
    assert_eq!(sample["mapping"]["customer_id"]["column"], 1);
    assert_eq!(sample["mapping"]["date"]["column"], 3);
    assert_eq!(sample["mapping"]["amount"]["column"], 5);
}

#[test]
fn inspect_prints_every_contract_key() {
    let r = json(&run(&["inspect", "gbk_orders.csv"]));
    for key in [
        "format",
        "encoding",
        "delimiter",
        "header",
        "columns",
        "mapping",
        "rows_accepted",
        "customers",
        "date_range",
        "rejected",
    ] {
        assert!(r.get(key).is_some(), "missing {key}");
    }
    assert_eq!(r["encoding"], "GBK");
    assert_eq!(r["delimiter"], ",");
    assert_eq!(r["mapping"]["customer_id"]["name"], "客户ID");
}

#[test]
fn rejected_rows_are_listed_with_row_column_value_and_reason() {
    let r = json(&run(&["inspect", "bad_rows.csv"]));
    let first = &r["rejected"][0];
    assert_eq!(first["row"], 5);
    assert_eq!(first["column"], "order_date");
    assert_eq!(first["value"], "2024-02-30");
    assert_eq!(first["reason"], "2024-02-30 is not a day in the calendar");
    // Dates (3), amounts (4: abc, NaN as no value, --5, 1e308) and a row too short; the two rows
    // without a customer id are guest orders and the four bad scores are left out, not rejections.
    assert_eq!(r["rejected"].as_array().map(Vec::len), Some(8));
    assert_eq!(r["guests"]["rows"], 2);
    assert_eq!(r["guest_lines"], serde_json::json!([3, 4]));
    assert_eq!(r["cells_left_out"][0]["role"], "score");
    assert_eq!(r["cells_left_out"][0]["cells"], 4);
}

#[test]
fn map_takes_header_names_and_positions() {
    let r = json(&run(&["inspect", "cdnow/CDNOW_sample.txt", "--map", "amount=4", "--map", "quantity="]));
    assert_eq!(r["mapping"]["amount"]["column"], 4);
    assert!(r["mapping"].get("quantity").is_none());
    let r = json(&run(&["inspect", "gbk_orders.csv", "--map", "amount=实付金额", "--map", "channel=品类"]));
    assert_eq!(r["mapping"]["channel"]["column"], 7);
}

#[test]
fn unusable_files_exit_non_zero_with_one_line_on_stderr() {
    for (args, want) in [
        (vec!["inspect", "image.csv"], "PNG image"),
        (vec!["inspect", "not_a_workbook.xlsx"], "not a readable Excel workbook"),
        (vec!["inspect", "only_decimals.csv"], "no column looks like a customer id"),
        (vec!["inspect", "header_only.csv"], "no row could be read"),
        (vec!["inspect", "all_rejected.csv"], "no row could be read (first problem: row 2"),
        (vec!["segments", "all_rejected.csv"], "every row was rejected"),
        (vec!["rfm", "all_rejected.csv"], "every row was rejected"),
        (vec!["clv", "all_rejected.csv", "--calibration-end", "2024-01-01"], "every row was rejected"),
        (vec!["inspect", "no_such_file.csv"], "no_such_file.csv"),
        (vec!["inspect", "gbk_orders.csv", "--map", "colour=1"], "unknown role 'colour'"),
        (vec!["inspect", "gbk_orders.csv", "--map", "amount=zzz"], "there is no such column"),
    ] {
        fails_in_one_line(&args, want);
    }
}

#[test]
fn sample_writes_a_reproducible_file() {
    let dir = std::env::temp_dir().join(format!("loyalty-lens-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (a, b) = (dir.join("a.csv"), dir.join("b.csv"));
    for path in [&a, &b] {
        let out = run(&["sample", "--customers", "300", "--seed", "9", path.to_str().unwrap()]);
        assert!(out.status.success());
    }
    let (x, y) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    assert_eq!(x, y);
    let r = json(&run(&["inspect", a.to_str().unwrap()]));
    assert_eq!(r["customers"], 300);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn rfm_prints_the_contract_csv_for_every_customer() {
    let out = run(&["rfm", "cdnow/CDNOW_sample.txt"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("customer_id,recency_days,frequency,monetary,r,f,m,segment,cn_segment"));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 2_357);
    // Customer 00004: last purchase 1997-12-12, 201 days before 1998-07-01; 4 purchase days; 100.50.
    assert!(rows.iter().any(|r| r.starts_with("00004,201,4,100.5,")), "{:?}", rows.first());
    assert!(rows.iter().all(|r| r.split(',').count() == 9));
}

#[test]
fn rfm_takes_as_of_bins_thresholds_and_json() {
    let out = run(&["rfm", "gbk_orders.csv", "--as-of", "2024-04-30", "--bins", "3", "--format", "json"]);
    let r = json(&out);
    assert_eq!(r["as_of"], "2024-04-30");
    assert_eq!(r["customers"], 2);
    assert_eq!(r["rows_after_as_of"], 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 row(s) dated after the as-of date 2024-04-30"));
    let row = &r["rows"][0];
    for key in ["customer_id", "recency_days", "frequency", "monetary", "r", "f", "m", "segment", "cn_segment"] {
        assert!(row.get(key).is_some(), "missing {key}");
    }
    let out = run(&["rfm", "cdnow/CDNOW_sample.txt", "--r-thresholds", "30,90,180,365", "--format", "json"]);
    let r = json(&out);
    let customer = r["rows"].as_array().unwrap().iter().find(|x| x["customer_id"] == "00004").unwrap();
    // 201 days is within only the last of the thresholds (365): r = 1 + 1.
    assert_eq!(customer["r"], 2);
}

#[test]
fn rfm_refuses_bad_parameters_in_one_line() {
    for (args, want) in [
        (vec!["rfm", "gbk_orders.csv", "--bins", "1"], "bins must be 2 to 10"),
        (vec!["rfm", "gbk_orders.csv", "--r-thresholds", "90,30,180,365"], "ascending"),
        (vec!["rfm", "gbk_orders.csv", "--m-thresholds", "1,x"], "'x' is not a number"),
        (vec!["rfm", "gbk_orders.csv", "--as-of", "2024-02-30"], "not a day in the calendar"),
        (vec!["rfm", "gbk_orders.csv", "--as-of", "2020-01-01"], "no purchases on or before the as-of date"),
        (vec!["rfm", "gbk_orders.csv", "--map", "date="], "map a date column"),
    ] {
        fails_in_one_line(&args, want);
    }
}

#[test]
fn segments_prints_every_analysis_with_its_rules() {
    let r = json(&run(&["segments", "gbk_orders.csv"]));
    for key in [
        "as_of",
        "rule",
        "segments",
        "cn_segments",
        "grid",
        "abc",
        "gini",
        "top20_share",
        "tiers",
        "tier_rule",
        "stages",
        "states",
        "kpis",
    ] {
        assert!(r.get(key).is_some(), "missing {key}");
    }
    assert_eq!(r["customers"], 4);
    let total: u64 = r["segments"].as_array().unwrap().iter().map(|g| g["customers"].as_u64().unwrap()).sum();
    assert_eq!(total, 4);
    let r =
        json(&run(&["segments", "cdnow/CDNOW_sample.txt", "--period", "quarter", "--tier-amounts", "200,100,50", "--compact"]));
    assert!(r["states"]["periods"][0]["label"].as_str().unwrap().starts_with("1997Q1"));
    assert!(r["tier_rule"].as_str().unwrap().contains("≥ 200"));
    let out = run(&["segments", "gbk_orders.csv", "--window-days", "half"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("lifecycle window: 'half' is not a whole number"));
}

#[test]
fn nps_prints_the_contract_json() {
    let r = json(&run(&["nps", "gbk_orders.csv"]));
    for key in ["responses", "promoters", "passives", "detractors", "nps", "se", "ci95", "by_channel"] {
        assert!(r.get(key).is_some(), "missing {key}");
    }
    // Scores in the fixture: 10, 6, 8, 9 → 2 promoters, 1 passive, 1 detractor: NPS 25, adjusted Wald.
    assert_eq!((r["responses"].as_u64(), r["promoters"].as_u64(), r["detractors"].as_u64()), (Some(4), Some(2), Some(1)));
    assert_eq!(r["nps"], 25.0);
    assert_eq!(r["interval"], "adjusted_wald");
    assert_eq!(r["ci95"].as_array().map(Vec::len), Some(2));
    assert_eq!(r["by_channel"]["线上商城"]["responses"], 2);
    fails_in_one_line(&["nps", "orders.tsv"], "no survey answers");
}

#[test]
fn nps_reads_a_survey_file_of_its_own_and_joins_it_to_transactions() {
    // GBK, anonymous answers allowed; of three bad scores 11 and 7.5 are left out and N/A is no
    // answer, none of them rejecting its row.
    let r = json(&run(&["nps", "survey_cdnow_gbk.csv"]));
    assert_eq!(r["responses"], 625);
    assert!(r.get("joined").is_none());
    let j = json(&run(&["nps", "survey_cdnow_gbk.csv", "--transactions", "cdnow/CDNOW_sample.txt"]));
    assert_eq!(j["responses"], 625);
    assert_eq!(j["joined"]["matched"], 600, "the 25 anonymous answers cannot be joined");
    let tiers = j["joined"]["by_pyramid"].as_object().expect("by_pyramid");
    assert_eq!(tiers.values().map(|t| t["responses"].as_u64().unwrap_or(0)).sum::<u64>(), 600);
    assert!(j["joined"]["by_segment"].as_object().is_some_and(|m| !m.is_empty()));
    let inspect = json(&run(&["inspect", "survey_cdnow_gbk.csv"]));
    assert_eq!(inspect["rows_rejected"], 0);
    assert_eq!(inspect["cells_left_out"][0]["cells"], 2);
    assert_eq!(inspect["no_answer"], 1);
}

#[test]
fn clv_prints_the_contract_json_and_refuses_data_it_cannot_fit() {
    let r = json(&run(&["clv", "cdnow/CDNOW_sample.txt", "--calibration-end", "1997-09-30", "--holdout-end", "1998-06-30"]));
    assert_eq!(r["customers"], 2357);
    for key in ["r", "alpha", "a", "b", "log_likelihood", "converged"] {
        assert!(r["bgnbd"].get(key).is_some(), "bgnbd.{key}");
    }
    for key in ["r", "alpha", "s", "beta", "log_likelihood", "converged"] {
        assert!(r["pareto_nbd"].get(key).is_some(), "pareto_nbd.{key}");
    }
    for key in ["p", "q", "v", "customers"] {
        assert!(r["gamma_gamma"].get(key).is_some(), "gamma_gamma.{key}");
    }
    assert_eq!(r["gamma_gamma"]["customers"], 946);
    assert_eq!(r["bgnbd"]["converged"], true);
    assert!(r["validation"]["by_frequency"].as_array().is_some_and(|g| g.len() == 8));
    // Nobody has bought twice by the first day; a single day of data teaches nothing.
    fails_in_one_line(
        &["clv", "cdnow/CDNOW_sample.txt", "--calibration-end", "1997-01-01"],
        "all purchases are on the calibration end day",
    );
    fails_in_one_line(&["clv", "cdnow/CDNOW_sample.txt", "--calibration-end", "1997-01-02"], "no customer bought again");
    fails_in_one_line(&["clv", "cdnow/CDNOW_sample.txt", "--calibration-end", "1996-12-31"], "no customer bought on or before");
    fails_in_one_line(&["clv", "cdnow/CDNOW_sample.txt", "--calibration-end", "30/9/97"], "--calibration-end 30/9/97");
    fails_in_one_line(
        &["clv", "cdnow/CDNOW_sample.txt", "--calibration-end", "1997-09-30", "--holdout-end", "1997-09-01"],
        "the holdout end must be after the calibration end",
    );
}

#[test]
fn output_into_a_closed_pipe_is_not_an_error() {
    // `loyalty-lens … | head`: the reader closes the pipe early. Here it is closed before the
    // command writes anything (each reads its file first), so every write meets the closed pipe.
    for args in [
        vec!["inspect", "cdnow/CDNOW_master.txt"],
        vec!["rfm", "cdnow/CDNOW_master.txt"],
        vec!["segments", "cdnow/CDNOW_master.txt"],
        vec!["nps", "survey_cdnow_gbk.csv"],
        vec!["clv", "cdnow/CDNOW_master.txt", "--calibration-end", "1997-09-30"],
        vec!["sample", "--customers", "20000", "-"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_loyalty-lens"))
            .args(&args)
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the binary runs");
        // Closes our end of the pipe.
        child.stdout.take();
        let out = child.wait_with_output().expect("the binary ends");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {:?} {stderr}", out.status);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_big_file_read_by_one_or_several_readers_prints_the_same() {
    // About 5.5 MB: over the size from which a file is read in parts.
    let dir = std::env::temp_dir().join(format!("loyalty-lens-readers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("orders.csv");
    let file = file.to_str().unwrap();
    assert!(run(&["sample", "--customers", "70000", "--seed", "3", file]).status.success());
    assert!(std::fs::metadata(file).unwrap().len() > 4 << 20);
    let with = |readers: &str, args: &[&str]| {
        let out =
            Command::new(env!("CARGO_BIN_EXE_loyalty-lens")).args(args).env("LOYALTY_LENS_READERS", readers).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    };
    for args in [&["inspect", file][..], &["segments", file, "--compact"][..]] {
        let one = with("1", args);
        for readers in ["2", "3", "6"] {
            assert!(with(readers, args) == one, "{args:?} with {readers} readers differs from one reader");
        }
    }
    // `rfm` with each reader's rows put aside, the first reader adding the others' to its own;
    // `inspect` with each reader's rows counted, the first adding the others' counts.
    let aside = |command: &str, readers: &str, spill: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_loyalty-lens"))
            .args([command, file])
            .env("LOYALTY_LENS_READERS", readers)
            .env("LOYALTY_LENS_SPILL", spill)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    };
    // `facts` with each reader's rows put aside, written a bucket of customers at a time.
    for command in ["rfm", "inspect", "facts"] {
        let held = aside(command, "1", "0");
        assert!(held.len() > 2_000);
        for readers in ["1", "2", "3", "6"] {
            assert!(aside(command, readers, "1") == held, "{command} with {readers} readers and the rows put aside differs");
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn pyramid_by_total_spend_puts_the_biggest_spenders_on_top() {
    let file = "cdnow/CDNOW_sample.txt";
    let pyramid = json(&run(&["pyramid", file, "--measure", "total_spend", "--tiers", "Top: 5, Middle: 30, Rest: 65"]));
    assert_eq!(pyramid["measure"], "total_spend");
    let tiers = pyramid["tiers"].as_array().unwrap();
    let names: Vec<&str> = tiers.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Top", "Middle", "Rest"]);
    let sizes: Vec<u64> = tiers.iter().map(|t| t["customers"].as_u64().unwrap()).collect();
    assert_eq!(sizes.iter().sum::<u64>(), 2_357);
    // 5% of 2,357 customers is 117.85: 118 on top.
    assert_eq!(sizes[0], 118);
    // The top tier's revenue is the sum of the 118 largest spends the `rfm` command prints.
    let rfm = run(&["rfm", file]);
    let mut spend: Vec<f64> =
        String::from_utf8(rfm.stdout).unwrap().lines().skip(1).map(|l| l.split(',').nth(3).unwrap().parse().unwrap()).collect();
    spend.sort_by(|a, b| b.total_cmp(a));
    let top: f64 = spend[..118].iter().sum();
    let revenue = tiers[0]["revenue"].as_f64().unwrap();
    assert!((revenue - top).abs() < 0.01 * 118.0, "{revenue} vs {top}");
    // The same pyramid is the segmentation's, and the default one is 5/30/65 by the RFM composite.
    let seg = json(&run(&["segments", file, "--measure", "total_spend", "--tiers", "Top: 5, Middle: 30, Rest: 65"]));
    assert_eq!(seg["pyramid"], pyramid);
    let default = json(&run(&["pyramid", file]));
    assert_eq!(default["measure"], "rfm_composite");
    assert_eq!(default["tiers"].as_array().unwrap().len(), 3);
    fails_in_one_line(&["pyramid", file, "--tiers", "Top: 5, Rest: 50"], "add up to 100%");
}

#[test]
fn stages_of_cdnow_match_pandas() {
    // Expected from tests/fixtures/cdnow/stages.py (pandas, the rule as the README states it): at
    // the default as-of date and on 1997-09-30.
    let cases = [(None, [0, 231, 30, 551, 1545]), (Some("1997-09-30"), [1411, 37, 23, 886, 0])];
    for (as_of, want) in cases {
        let mut args = vec!["segments", "cdnow/CDNOW_sample.txt"];
        if let Some(d) = as_of {
            args.extend(["--as-of", d]);
        }
        let t = json(&run(&args));
        let got: Vec<(String, u64)> = t["stages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| (g["key"].as_str().unwrap().to_string(), g["customers"].as_u64().unwrap()))
            .collect();
        let keys = ["Exploration", "Formation", "Stability", "Decline", "End"];
        assert_eq!(got, keys.iter().zip(want).map(|(k, n)| (k.to_string(), n)).collect::<Vec<_>>(), "as of {as_of:?}");
    }
}

#[test]
fn cohorts_of_cdnow_match_pandas() {
    // Expected from tests/fixtures/cdnow/cohorts.py (pandas): every CDNOW customer first bought in
    // 1997Q1; active customers, revenue and repeat customers by quarter since.
    let out = run(&["cohorts", "cdnow/CDNOW_sample.txt", "--period", "quarter", "--format", "json"]);
    let t = json(&out);
    assert_eq!(t["period"], "quarter");
    let first = &t["cohorts"][0];
    assert_eq!(first["label"], "1997Q1");
    assert_eq!(first["customers"], 2357);
    assert_eq!(first["active"], serde_json::json!([2357, 524, 418, 404, 384, 300]));
    assert_eq!(first["revenue"], serde_json::json!([112498.61, 33629.63, 26987.31, 28109.27, 24886.58, 17980.54]));
    assert_eq!(first["repeat"], serde_json::json!([499, 805, 946, 1040, 1105, 1139]));
    for later in t["cohorts"].as_array().unwrap().iter().skip(1) {
        assert_eq!(later["customers"], 0, "{later}");
    }
    // The CSV: one row per cell with its shares.
    let csv = String::from_utf8(run(&["cohorts", "cdnow/CDNOW_sample.txt", "--period", "quarter"]).stdout).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("cohort,customers,k,period,active,retention,revenue,revenue_retained,repeat,repeat_share"));
    let second: Vec<&str> = lines.nth(1).unwrap().split(',').collect();
    assert_eq!(&second[..5], ["1997Q1", "2357", "1", "1997Q2", "524"]);
    assert!((second[5].parse::<f64>().unwrap() - 524.0 / 2357.0).abs() < 1e-12);
}

#[test]
fn cross_sell_in_sequence_of_a_hand_worked_file() {
    // tests/fixtures/cross_sell.csv, worked out by hand in `core::analysis::cross_sell`'s tests: of
    // 7 phone buyers, f is too recent for 30 days; a (14 days) and c (same day) of the other 6
    // bought a band or a speaker in time; e, f and h have bought none.
    let args = [
        "cross-sell",
        "cross_sell.csv",
        "--anchor",
        "手机",
        "--targets",
        "手环, 音箱",
        "--within-days",
        "30",
        "--as-of",
        "2024-03-31",
    ];
    let t = json(&run(&args));
    assert_eq!((t["anchor_buyers"].as_u64(), t["too_recent"].as_u64(), t["not_yet"].as_u64()), (Some(7), Some(1), Some(3)));
    assert_eq!(t["converted"], serde_json::json!({"hits": 2, "of": 6}));
    assert_eq!(t["median_days"], 7.0);
    assert_eq!(t["test"]["benchmark"], 0.28);
    let later = json(&run(&[&args[..], &["--exclude-same-day", "--benchmark", "none"]].concat()));
    assert_eq!(later["converted"], serde_json::json!({"hits": 1, "of": 6}));
    assert!(later["test"].is_null());
    let csv = String::from_utf8(run(&[&args[..], &["--format", "csv"]].concat()).stdout).unwrap();
    let ids: Vec<&str> = csv.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(ids, ["e", "f", "h"]);
    fails_in_one_line(
        &["cross-sell", "cross_sell.csv", "--anchor", "手机", "--targets", "TV"],
        "'TV' is not a category of the file",
    );
    fails_in_one_line(&["cross-sell", "cross_sell.csv", "--anchor", "手机", "--targets", "手机"], "both an anchor and a target");
}

#[test]
fn actions_apply_a_playbook_to_a_dozen_customers_worked_out_by_hand() {
    // tests/fixtures/actions_dozen.csv and playbook.csv, worked out in `core::report::actions`'s
    // tests: stages by hand, the pyramid's top 25% by total spend, first matching row wins.
    let rules = ["--as-of", "2024-12-31", "--tiers", "Top: 25, Rest: 75", "--measure", "total_spend"];
    let args = [&["actions", "actions_dozen.csv", "--playbook", "playbook.csv"][..], &rules[..]].concat();
    let csv = String::from_utf8(run(&args).stdout).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("customer_id,action,channel,priority,segment,r,f,m,pyramid_tier,stage,state,last_order,orders,spend,clv,p_alive,nps_score,nps_comment")
    );
    let got: Vec<(String, String)> =
        lines.map(|l| l.split(',').collect::<Vec<_>>()).map(|f| (f[0].to_string(), f[1].to_string())).collect();
    let want = [
        ("c07", "VIP welcome"),
        ("c08", "VIP welcome"),
        ("c09", "VIP welcome"),
        ("c05", "Keep"),
        ("c01", "First-order reward"),
        ("c12", "First-order reward"),
        ("c11", "First-order reward"),
        ("c06", "First-order reward"),
        ("c10", "First-order reward"),
        ("c04", "Win back or let go"),
        ("c02", "Win back or let go"),
        ("c03", "Newsletter"),
    ];
    assert_eq!(got, want.map(|(a, b)| (a.to_string(), b.to_string())));
    let totals = json(&run(&[&args[..], &["--format", "json"]].concat()));
    assert_eq!(totals["stats"][0]["customers"], 3);
    assert_eq!(totals["stats"][0]["expected_revenue"], 6000.0);
    assert_eq!(totals["unmatched"], 0);
    // One action's list, and the win-back ranking (12-month spend: c04 100, c02 0; floor 50).
    let one = String::from_utf8(run(&[&args[..], &["--action", "Keep"]].concat()).stdout).unwrap();
    assert_eq!(one.lines().count(), 2);
    let w =
        String::from_utf8(run(&[&["winback", "actions_dozen.csv", "--floor", "50"][..], &rules[..]].concat()).stdout).unwrap();
    assert_eq!(w.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect::<Vec<_>>(), ["c04", "c02"]);
    assert!(w.lines().nth(1).unwrap().ends_with(",100.0,true"), "{w}");
    fails_in_one_line(&["actions", "actions_dozen.csv", "--playbook", "cross_sell.csv"], "lacks the column 'action'");
}

#[test]
fn clv_groups_add_up_to_the_per_customer_predictions() {
    // The roll-ups fit the models on the whole history: the same as `clv` to the last purchase day.
    let t = json(&run(&["clv-groups", "cdnow/CDNOW_sample.txt"]));
    let out = std::env::temp_dir().join(format!("clv-groups-{}.csv", std::process::id()));
    let clv = run(&["clv", "cdnow/CDNOW_sample.txt", "--calibration-end", "1998-06-30", "--customers", out.to_str().unwrap()]);
    assert!(clv.status.success(), "{}", String::from_utf8_lossy(&clv.stderr));
    let mut reader = csv::Reader::from_path(&out).unwrap();
    let column = reader.headers().unwrap().iter().position(|h| h == "clv").unwrap();
    let sum: f64 = reader.records().map(|r| r.unwrap()[column].parse::<f64>().unwrap_or(0.0)).sum();
    let _ = std::fs::remove_file(&out);
    let total = t["total"].as_f64().unwrap();
    assert!((total - sum).abs() < 1e-6 * sum, "{total} vs {sum}");
    for key in ["by_pyramid", "by_segment", "by_stage", "by_tier"] {
        let groups = t[key].as_array().unwrap();
        let (customers, clv): (u64, f64) =
            groups.iter().fold((0, 0.0), |(n, s), g| (n + g["customers"].as_u64().unwrap(), s + g["clv"].as_f64().unwrap()));
        assert_eq!(customers, 2357, "{key}");
        assert!((clv - total).abs() < 1e-6 * total, "{key}");
    }
    let m = &t["multiple"];
    assert!(m["value"].as_f64().unwrap() > 1.0 && m["ci95"][0].as_f64().unwrap() <= m["value"].as_f64().unwrap());
}

#[test]
fn follow_up_lists_every_customer_whose_latest_answer_is_a_detractors() {
    // Independently of the app: the survey file read here (GBK; id, date, score, …), each
    // customer's latest answer (by date, then row), kept when the id bought in CDNOW's sample.
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/survey_cdnow_gbk.csv")).unwrap();
    let (text, _, _) = encoding_rs::GBK.decode(&bytes);
    let buyers: std::collections::HashSet<String> =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cdnow/CDNOW_sample.txt"))
            .unwrap()
            .lines()
            .filter_map(|l| l.split_whitespace().next().map(String::from))
            .collect();
    let mut latest: std::collections::HashMap<String, (String, usize, u8)> = Default::default();
    for (row, line) in text.lines().skip(1).enumerate() {
        let f: Vec<&str> = line.split(',').collect();
        // Scores the file gets wrong ("N/A", "7.5") are no answers (the app rejects or skips them).
        let (id, date) = (f[0].to_string(), f[1].to_string());
        let Some(score) = f[2].parse::<u8>().ok().filter(|s| *s <= 10) else { continue };
        if id.is_empty() || !buyers.contains(&id) {
            continue;
        }
        let entry = latest.entry(id).or_insert((date.clone(), row, score));
        if (date.as_str(), row) >= (entry.0.as_str(), entry.1) {
            *entry = (date, row, score);
        }
    }
    let want = latest.values().filter(|v| v.2 <= 6).count();
    let out = run(&["follow-up", "survey_cdnow_gbk.csv", "--transactions", "cdnow/CDNOW_sample.txt"]);
    let csv = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        csv.lines().next().unwrap(),
        "customer_id,score,category,answered,comment,history,segment,stage,last_order,orders,spend,clv"
    );
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), want);
    assert!(want > 10);
    // The most valuable first.
    let spend: Vec<f64> = rows.iter().map(|r| r[10].parse().unwrap()).collect();
    assert!(spend.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn profile_tells_one_customers_story_worked_out_by_hand() {
    // profile.csv as of 2024-06-30, by hand: c1's orders A1 (100 + 20 on 01-05), A2 (50) and A3 (30)
    // on 03-10, A4 (200 + 10, from 05-02); a return of 20 on 04-01; A5 after the as-of date. The
    // playbook's first row for 形成期 customers is Cross-sell by email.
    let out = run(&[
        "profile",
        "profile.csv",
        "--customer",
        "c1",
        "--as-of",
        "2024-06-30",
        "--survey",
        "profile_survey.csv",
        "--playbook",
        "profile_playbook.csv",
    ]);
    let p = json(&out);
    assert_eq!(p["customer"]["customer_id"], "c1");
    assert_eq!(p["customer"]["frequency"], 4);
    assert_eq!(p["customer"]["monetary"], 390.0);
    assert_eq!(p["customer"]["stage"], "形成期");
    assert_eq!(p["first_order"], "2024-01-05");
    assert_eq!(p["rows_after_as_of"], 1);
    let timeline: Vec<(String, f64, bool)> = p["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["date"].as_str().unwrap().to_string(), e["amount"].as_f64().unwrap(), e["returned"].as_bool().unwrap()))
        .collect();
    let want = [
        ("2024-01-05", 120.0, false),
        ("2024-03-10", 50.0, false),
        ("2024-03-10", 30.0, false),
        ("2024-04-01", -20.0, true),
        ("2024-05-02", 210.0, false),
    ];
    assert_eq!(timeline, want.map(|(d, a, r)| (d.to_string(), a, r)));
    let states: Vec<&str> = p["periods"].as_array().unwrap().iter().map(|s| s["state"].as_str().unwrap()).collect();
    assert_eq!(states, ["new", "lapsed", "repeat", "lapsed", "repeat", "lapsed"]);
    let scores: Vec<u64> = p["answers"].as_array().unwrap().iter().map(|a| a["score"].as_u64().unwrap()).collect();
    assert_eq!(scores, [6, 9]);
    assert_eq!(p["answers"][0]["comment"], "太慢");
    assert_eq!((&p["action"]["action"], &p["action"]["channel"]), (&"Cross-sell".into(), &"Email".into()));
    assert!(p["clv"].is_null());
    fails_in_one_line(&["profile", "profile.csv", "--customer", "c9"], "no customer with the id 'c9'");
}

#[test]
fn a_dates_only_file_scores_r_and_f_and_fits_the_purchase_models_as_lifetimes_does() {
    // visits/expected.json: lifetimes' BG/NBD fit and pandas' R-F segment counts of the same log
    // (tests/fixtures/visits/fit.py).
    let want: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/visits/expected.json")).unwrap(),
    )
    .unwrap();
    let clv = json(&run(&["clv", "visits/grocery_visits.csv", "--calibration-end", "2007-12-30", "--unit", "day"]));
    assert_eq!(clv["customers"], want["customers"]);
    assert_eq!(clv["repeat_buyers"], want["repeat_buyers"]);
    for p in ["r", "alpha", "a", "b"] {
        let (got, expected) = (clv["bgnbd"][p].as_f64().unwrap(), want[p].as_f64().unwrap());
        assert!((got - expected).abs() <= 0.005 * expected, "{p}: {got} vs lifetimes' {expected}");
    }
    // No amounts: no spend model and no CLV, said in a note; P(alive) and expected purchases stay.
    assert!(clv["gamma_gamma"].is_null() && clv["total_clv"].is_null());
    assert!(clv["notes"][0].as_str().unwrap().contains("no amount column"));
    let path = std::env::temp_dir().join(format!("loyalty-lens-visits-{}.csv", std::process::id()));
    let _ = json(&run(&[
        "clv",
        "visits/grocery_visits.csv",
        "--calibration-end",
        "2007-12-30",
        "--unit",
        "day",
        "--customers",
        path.to_str().unwrap(),
    ]));
    let text = std::fs::read_to_string(&path).unwrap();
    let _ = std::fs::remove_file(&path);
    let row = text.lines().find(|l| l.starts_with("0001,")).expect("customer 0001");
    let f: Vec<&str> = row.split(',').collect();
    assert_eq!((f[1], f[2], f[3], f[4]), ("4.0", "457.0", "568.0", ""), "frequency, recency, T; no mean value");
    let p_alive: f64 = f[5].parse().unwrap();
    let expected = want["customer_0001"]["p_alive"].as_f64().unwrap();
    assert!((p_alive - expected).abs() <= 0.005 * expected, "P(alive) {p_alive} vs {expected}");
    // R and F scores, no M, the named segments of the R-F map: the counts pandas found.
    let rfm = String::from_utf8(run(&["rfm", "visits/grocery_visits.csv"]).stdout).unwrap();
    let mut counts = std::collections::BTreeMap::<String, u64>::new();
    for line in rfm.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        assert_eq!((f[3], f[6], f[8]), ("", "", ""), "monetary, m and the 8-class model are empty: {line}");
        *counts.entry(f[7].to_string()).or_default() += 1;
    }
    for (name, n) in want["rf_segments"].as_object().unwrap() {
        assert_eq!(counts.get(name).copied().unwrap_or(0), n.as_u64().unwrap(), "{name}");
    }
    // The segmentation runs on dates alone: the R-F segments, repurchase, the stages by orders and
    // the cohorts as pandas found them (fit.py); every figure of money null, and a note says why.
    let seg = json(&run(&["segments", "visits/grocery_visits.csv"]));
    for key in ["revenue", "cn_segments", "abc", "gini", "top20_share", "lorenz", "tiers"] {
        assert!(seg[key].is_null(), "{key} needs amounts: {}", seg[key]);
    }
    assert!(seg["notes"][0].as_str().unwrap().contains("no amounts"));
    for g in seg["segments"].as_array().unwrap() {
        let name = g["key"].as_str().unwrap();
        assert_eq!(g["customers"], want["rf_segments"][name], "{name}");
        assert!(g["revenue"].is_null() && g["mean_monetary"].is_null() && g["revenue_share"].is_null(), "{name}");
    }
    let repurchase = seg["kpis"]["repurchase_rate"].as_f64().unwrap();
    assert!((repurchase - want["repurchase_rate"].as_f64().unwrap()).abs() < 1e-12);
    for g in seg["stages"].as_array().unwrap() {
        let zh = g["zh"].as_str().unwrap();
        assert_eq!(g["customers"].as_u64(), Some(want["stages"][zh].as_u64().unwrap_or(0)), "{zh}");
    }
    // Months in which nobody bought first are rows of none (2007: every customer came in 2006).
    let cohorts: Vec<&serde_json::Value> =
        seg["cohorts"]["cohorts"].as_array().unwrap().iter().filter(|c| c["customers"] != 0).collect();
    assert_eq!(cohorts.len(), want["cohorts"].as_object().unwrap().len());
    for c in cohorts {
        let expected = &want["cohorts"][c["label"].as_str().unwrap()];
        assert_eq!(c["customers"], expected["customers"], "{}", c["label"]);
        assert!(c["revenue"].is_null());
        // pandas lists the months up to the cohort's last active one; the triangle runs to the last month.
        let (active, expected) = (c["active"].as_array().unwrap(), expected["active"].as_array().unwrap());
        assert_eq!(&active[..expected.len()], &expected[..], "{}", c["label"]);
        assert!(active[expected.len()..].iter().all(|n| n == 0), "{}", c["label"]);
    }
    let tiers = seg["pyramid"]["tiers"].as_array().unwrap();
    assert_eq!(tiers.iter().map(|t| t["customers"].as_u64().unwrap()).sum::<u64>(), 1525);
    assert!(tiers.iter().all(|t| t["revenue"].is_null() && t["multiple"].is_null()));
    // The cohort command too; what cannot be had without amounts refuses with the reason, in one line.
    let csv = String::from_utf8(run(&["cohorts", "visits/grocery_visits.csv"]).stdout).unwrap();
    let first = csv.lines().nth(1).unwrap().split(',').collect::<Vec<_>>();
    assert_eq!((first[0], first[1], first[4], first[6], first[7]), ("2006-01", "114", "114", "", ""), "revenue empty");
    fails_in_one_line(&["winback", "visits/grocery_visits.csv"], "the file has no amounts");
    // Dates without amounts that are not purchases are refused, not analysed as visits: a member
    // list's sign-ups and a survey's answers, by the segmentation and by the CLV models alike.
    fails_in_one_line(&["segments", "funnel_members.csv"], "the date column is a registration date");
    fails_in_one_line(&["clv", "funnel_members.csv", "--calibration-end", "2024-04-01"], "a member or lead list");
    fails_in_one_line(&["rfm", "survey_cdnow_gbk.csv"], "this file holds survey answers");
}

#[test]
fn engagement_events_score_customers_and_build_the_pyramid_of_participation_as_pandas_does() {
    // engagement/expected.json: the scores, tiers and the comparison with the pyramid by spend,
    // computed with pandas from the same two files (tests/fixtures/engagement/make.py).
    let want: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/engagement/expected.json")).unwrap(),
    )
    .unwrap();
    let rules = ["--events", "engagement/events.csv", "--event-weights", "推荐好友: 5, 内测: 4", "--measure", "engagement"];
    let seg = json(&run(&[&["segments", "engagement/orders.csv"][..], &rules[..]].concat()));
    let e = &seg["engagement"];
    for key in ["matched", "unknown_events", "unknown_customers", "after_as_of", "bad_points", "customers"] {
        assert_eq!(e[key], want[key], "{key}");
    }
    assert_eq!(e["as_of"], want["as_of"]);
    let tiers: Vec<u64> = seg["pyramid"]["tiers"].as_array().unwrap().iter().map(|t| t["customers"].as_u64().unwrap()).collect();
    assert_eq!(serde_json::json!(tiers), want["tier_customers"]);
    let p = &seg["pyramid"]["participation"];
    for key in ["both_top", "engaged_not_spending", "spending_not_engaged"] {
        assert_eq!(p[key]["customers"], want[key]["customers"], "{key}");
        assert!((p[key]["revenue"].as_f64().unwrap() - want[key]["revenue"].as_f64().unwrap()).abs() < 1e-9, "{key}");
    }
    // Every customer's score (in their story and in the customer exports' column).
    for (id, score) in want["scores"].as_object().unwrap() {
        let story = json(&run(&[&["profile", "engagement/orders.csv", "--customer", id][..], &rules[..]].concat()));
        let got = story["customer"]["engagement_score"].as_f64().unwrap();
        assert!((got - score.as_f64().unwrap()).abs() < 1e-6, "{id}: {got} vs pandas' {score}");
        assert_eq!(story["engagement"]["score"], story["customer"]["engagement_score"]);
        if id == "c04" {
            // By hand from events.csv: 推荐好友 07-01, 论坛发帖 04-02, 内测 06-01 (one each, by name).
            assert_eq!(story["engagement"]["by_type"], serde_json::json!([["内测", 1], ["推荐好友", 1], ["论坛发帖", 1]]));
            assert_eq!(story["engagement"]["last_event"], "2024-07-01");
        }
    }
    // The campaign lists carry the score too (its column last).
    let list = String::from_utf8(run(&[&["actions", "engagement/orders.csv"][..], &rules[..]].concat()).stdout).unwrap();
    assert!(list.lines().next().unwrap().ends_with(",engagement_score"));
    let c04 = list.lines().find(|l| l.starts_with("c04,")).unwrap();
    assert!((c04.rsplit(',').next().unwrap().parse::<f64>().unwrap() - want["scores"]["c04"].as_f64().unwrap()).abs() < 1e-6);
    // Without --events, no engagement and no such column; the pyramid by engagement needs one.
    assert!(json(&run(&["segments", "engagement/orders.csv"])).get("engagement").is_none());
    fails_in_one_line(&["pyramid", "engagement/orders.csv", "--measure", "engagement"], "once an events file is given");
}

#[test]
fn funnel_of_a_member_list_worked_out_by_hand() {
    // funnel_members.csv against funnel_orders.csv, as of 2024-07-01 (by hand, as in
    // core::analysis::funnel's test): 广告 3 leads (one member had bought before registering), 2
    // first orders, 1 second; 推荐 2 leads, 2 and 1; one member without a source; one registered
    // after the as-of date.
    let out = json(&run(&["funnel", "funnel_orders.csv", "--members", "funnel_members.csv", "--compare", "广告", "推荐"]));
    assert_eq!((out["members"].as_u64(), out["registered_after_as_of"].as_u64()), (Some(8), Some(1)));
    let source = |k: &str| out["by_source"].as_array().unwrap().iter().find(|s| s["key"] == k).unwrap().clone();
    let ads = source("广告");
    assert_eq!((ads["leads"].as_u64(), ads["already_customers"].as_u64()), (Some(3), Some(1)));
    assert_eq!((ads["first_order"]["hits"].as_u64(), ads["second_order"]["hits"].as_u64()), (Some(2), Some(1)));
    assert_eq!((ads["median_days_to_first_order"].as_f64(), ads["revenue"].as_f64()), (Some(3.5), Some(230.0)));
    assert_eq!(source("推荐")["median_days_to_first_order"].as_f64(), Some(53.5));
    // statsmodels' proportions_ztest([2, 2], [2, 3]): z 0.912871, p 0.361310 (推荐 2 of 2 against 广告 2 of 3).
    let test = &out["comparison"]["first_order"];
    assert!((test["z"].as_f64().unwrap() - 0.912_871).abs() < 1e-6);
    assert!((test["p_value"].as_f64().unwrap() - 0.361_310).abs() < 1e-6);
    // The activation lists: never bought (m2 and m7), bought once (m3; m6 once after registering).
    let never =
        String::from_utf8(run(&["funnel", "funnel_orders.csv", "--members", "funnel_members.csv", "--list", "never"]).stdout)
            .unwrap();
    assert_eq!(
        never.trim(),
        "member_id,registered,source,orders_after,first_order_after\nm2,2024-02-01,广告,0,\nm7,2024-04-01,,0,"
    );
    let once =
        String::from_utf8(run(&["funnel", "funnel_orders.csv", "--members", "funnel_members.csv", "--list", "once"]).stdout)
            .unwrap();
    let ids: Vec<&str> = once.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(ids, ["m3", "m6"]);
    fails_in_one_line(
        &["funnel", "funnel_orders.csv", "--members", "funnel_members.csv", "--compare", "广告", "电视"],
        "no source '电视'",
    );
    fails_in_one_line(&["funnel", "funnel_orders.csv"], "--members FILE");
    // The member list beside other commands: `segments` adds the same funnel; campaign lists gain
    // each customer's source (their registration's: m6 registered through 推荐 first, 广告 later;
    // x bought without registering).
    let seg = json(&run(&["segments", "funnel_orders.csv", "--members", "funnel_members.csv"]));
    let funnel = json(&run(&["funnel", "funnel_orders.csv", "--members", "funnel_members.csv"]));
    assert_eq!(seg["funnel"], funnel);
    let list = String::from_utf8(run(&["actions", "funnel_orders.csv", "--members", "funnel_members.csv"]).stdout).unwrap();
    assert!(list.lines().next().unwrap().ends_with(",nps_comment,source"), "{list}");
    let mut sources: Vec<(String, String)> = list
        .lines()
        .skip(1)
        .map(|l| (l.split(',').next().unwrap().to_string(), l.rsplit(',').next().unwrap().to_string()))
        .collect();
    sources.sort();
    let want = [("m1", "广告"), ("m3", "广告"), ("m4", "广告"), ("m5", "推荐"), ("m6", "推荐"), ("x", "")];
    assert_eq!(sources, want.map(|(a, b)| (a.to_string(), b.to_string())));
    // Without the list, no such column.
    let plain = String::from_utf8(run(&["actions", "funnel_orders.csv"]).stdout).unwrap();
    assert!(plain.lines().next().unwrap().ends_with(",nps_comment"));
}

/// A directory of this test run's own for files it writes.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("loyalty-lens-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir
}

/// The customer facts file stands in for the transactions: every command gives the same output
/// on the facts as on the file they were written from (the name of the file aside), on files
/// with order ids, refunds, cancellations, categories, channels, member levels and inline survey
/// answers, and on CDNOW.
#[test]
fn every_command_gives_the_same_on_the_facts_file_as_on_its_transactions() {
    let dir = scratch("same");
    let files = [
        "cdnow/CDNOW_sample.txt",
        "gbk_orders.csv",
        "cross_sell.csv",
        "profile.csv",
        "exports/uci_online_retail.csv",
        "exports/taobao_orders.csv",
        "exports/shopify_orders.csv",
        "visits/grocery_visits.csv",
    ];
    let commands: [&[&str]; 11] = [
        &["segments"],
        &["rfm"],
        &["cohorts"],
        &["pyramid"],
        &["actions"],
        &["actions", "--format", "json"],
        &["winback"],
        &["clv-groups"],
        &["clv"],
        &["follow-up"],
        &["nps"],
    ];
    for file in files {
        let facts = dir.join(format!("{}.facts.csv", file.replace('/', "_")));
        let facts = facts.to_str().expect("a UTF-8 path");
        let out = run(&["facts", file, "--out", facts]);
        assert!(out.status.success(), "{file}: {}", String::from_utf8_lossy(&out.stderr));
        let text = std::fs::read_to_string(facts).expect("the facts file");
        assert!(text.starts_with("loyalty_lens_facts,customer,"), "{file}");
        for command in commands {
            let on = |path: &str| {
                let out = run(&[command, &[path]].concat());
                let text = |b: &[u8]| String::from_utf8_lossy(b).replace(path, "FILE");
                (out.status.success(), text(&out.stdout), text(&out.stderr))
            };
            assert_eq!(on(file), on(facts), "{command:?} on {file}");
        }
    }
}

#[test]
fn a_facts_file_whose_summary_its_lines_do_not_give_is_refused_with_the_line() {
    let dir = scratch("refused");
    let facts = dir.join("f.csv");
    let facts = facts.to_str().expect("a UTF-8 path");
    assert!(run(&["facts", "gbk_orders.csv", "--out", facts]).status.success());
    let text = std::fs::read_to_string(facts).expect("the facts file");
    // The first customer's net spend made larger by one.
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let fields: Vec<&str> = lines[1].split(',').collect();
    let net: f64 = fields[5].parse().expect("a net spend");
    let mut changed: Vec<String> = fields.iter().map(|f| f.to_string()).collect();
    changed[5] = (net + 1.0).to_string();
    lines[1] = changed.join(",");
    std::fs::write(facts, lines.join("\n")).expect("written");
    fails_in_one_line(&["segments", facts], "line 2 of this customer facts file: net_spend says");
    std::fs::write(facts, text.replacen("\n1,", "\n2,", 1)).expect("written");
    fails_in_one_line(&["segments", facts], "version '2'");
}

/// `facts` on the CDNOW sample against pandas (tests/fixtures/cdnow/facts_check.py): customers,
/// orders (purchase days: CDNOW has no order ids), net spend, and three customers' summaries.
#[test]
fn the_facts_of_cdnow_are_those_pandas_computes() {
    let out = run(&["facts", "cdnow/CDNOW_sample.txt"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
    let at = |name: &str| header.iter().position(|h| *h == name).expect(name);
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 2357);
    let orders: u64 = rows.iter().map(|r| r[at("orders")].parse::<u64>().expect("orders")).sum();
    assert_eq!(orders, 6696);
    // Exact: cents added as integers.
    let cents: i64 = rows.iter().map(|r| (r[at("net_spend")].parse::<f64>().expect("net") * 100.0).round() as i64).sum();
    assert_eq!(cents, 24_409_194);
    for (id, first, last, n, net) in [
        ("00004", "1997-01-01", "1997-12-12", "4", "100.5"),
        ("00021", "1997-01-01", "1997-01-13", "2", "75.11"),
        ("00018", "1997-01-04", "1997-01-04", "1", "14.96"),
    ] {
        let r = rows.iter().find(|r| r[at("customer")] == id).expect(id);
        assert_eq!(
            [r[at("first_purchase")], r[at("last_purchase")], r[at("orders")], r[at("net_spend")]],
            [first, last, n, net],
            "{id}"
        );
    }
}

/// Every date form the app reads, in one day-first file, against the dates worked out by hand
/// (tests/fixtures/README.md, `date_forms_dmy.csv`; `make spark-check` holds the facts job's SQL to
/// the same file): each customer's first and last purchase, orders and net spend, and the five rows
/// that are no date left out.
#[test]
fn every_date_form_reads_as_worked_out_by_hand() {
    let out = run(&["facts", "date_forms_dmy.csv"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let summaries: Vec<Vec<&str>> = text.lines().skip(1).map(|l| l.split(',').skip(1).take(5).collect()).collect();
    let want = [
        ["a1", "2024-03-12", "2024-03-26", "3", "170"],
        ["a2", "2024-03-05", "2024-03-06", "2", "110"],
        ["a3", "2024-03-07", "2024-03-10", "3", "170"],
        ["a4", "2024-03-10", "2024-03-13", "4", "160"],
        ["a5", "1999-04-01", "2024-05-01", "3", "18"],
        ["a6", "2024-03-14", "2024-03-14", "1", "1"],
    ];
    assert_eq!(summaries, want.map(|w| w.to_vec()).to_vec());
    let inspect = String::from_utf8(run(&["inspect", "date_forms_dmy.csv"]).stdout).expect("UTF-8");
    assert!(inspect.contains("\"rows_rejected\": 5"), "{inspect}");
    assert!(inspect.contains("\"revenue\": 629.0"), "{inspect}");
}

#[test]
fn rfm_inspect_and_facts_print_the_same_with_the_rows_put_aside_on_every_fixture() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let with = run_spilling;
    let mut printed = 0;
    for dir in [".", "bad", "exports", "cdnow"] {
        for entry in std::fs::read_dir(format!("{root}/{dir}")).unwrap() {
            let path = entry.unwrap().path();
            if !path.is_file() || path.extension().is_some_and(|e| e == "md") {
                continue;
            }
            let file = path.to_str().unwrap();
            let runs = [
                &["rfm", file][..],
                &["rfm", file, "--format", "json", "--as-of", "1997-06-01"][..],
                &["inspect", file][..],
                &["facts", file][..],
            ];
            for args in runs {
                let (held, spilled) = (with("0", args), with("1", args));
                assert_eq!(held.status.code(), spilled.status.code(), "{args:?}");
                assert!(held.stdout == spilled.stdout, "{args:?}: stdout differs");
                assert_eq!(String::from_utf8_lossy(&held.stderr), String::from_utf8_lossy(&spilled.stderr), "{args:?}");
                printed += usize::from(held.status.success() && !held.stdout.is_empty());
            }
        }
    }
    assert!(printed >= 60, "only {printed} runs printed");
}

#[test]
fn facts_written_to_a_file_with_the_rows_put_aside_are_the_facts_printed_and_a_failure_leaves_the_file_as_it_was() {
    let dir = std::env::temp_dir().join(format!("loyalty-lens-facts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("facts.csv");
    let with = run_spilling;
    let printed = with("0", &["facts", "utf8_bom_orders.csv"]);
    assert!(printed.status.success() && printed.stdout.len() > 200);
    let written = with("1", &["facts", "utf8_bom_orders.csv", "--out", out.to_str().unwrap()]);
    assert!(written.status.success(), "{}", String::from_utf8_lossy(&written.stderr));
    assert!(std::fs::read(&out).unwrap() == printed.stdout);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let plain = dir.join("plain");
        std::fs::write(&plain, "").unwrap();
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode();
        assert_eq!(mode(&out), mode(&plain), "written as any file is");
        std::fs::remove_file(plain).unwrap();
    }
    // A survey is not purchases: refused with the reason, the file written before left as it was,
    // and nothing else left beside it.
    let refused = with("1", &["facts", "profile_survey.csv", "--out", out.to_str().unwrap()]);
    assert!(!refused.status.success() && String::from_utf8_lossy(&refused.stderr).contains("survey"));
    assert!(std::fs::read(&out).unwrap() == printed.stdout);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `rfm` and `inspect` with the rows put aside (or counted as they pass), by one reader and by
/// several, against pandas (tests/fixtures/cdnow/facts_check.py), not against our own output:
/// 2,357 customers, 6,696 orders (purchase days), 244,091.94 of revenue, and three customers'
/// orders, spend and recency to the day after the file's last purchase.
#[test]
fn rfm_and_inspect_with_the_rows_put_aside_give_what_pandas_computes() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    for readers in ["1", "2"] {
        let aside = |args: &[&str]| {
            let out = Command::new(env!("CARGO_BIN_EXE_loyalty-lens"))
                .args(args)
                .current_dir(root)
                .env("LOYALTY_LENS_SPILL", "1")
                .env("LOYALTY_LENS_READERS", readers)
                .output()
                .unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            out
        };
        let inspect = json(&aside(&["inspect", "cdnow/CDNOW_sample.txt"]));
        assert_eq!(inspect["customers"], 2_357);
        assert_eq!(inspect["orders"], 6_696);
        assert_eq!(inspect["revenue"], 244_091.94);
        assert_eq!(inspect["date_range"]["first"], "1997-01-01");
        assert_eq!(inspect["date_range"]["last"], "1998-06-30");
        let text = String::from_utf8(aside(&["rfm", "cdnow/CDNOW_sample.txt"]).stdout).unwrap();
        let rows: Vec<Vec<&str>> = text.lines().skip(1).map(|l| l.split(',').collect()).collect();
        assert_eq!(rows.len(), 2_357);
        assert_eq!(rows.iter().map(|r| r[2].parse::<u64>().unwrap()).sum::<u64>(), 6_696);
        let cents: i64 = rows.iter().map(|r| (r[3].parse::<f64>().unwrap() * 100.0).round() as i64).sum();
        assert_eq!(cents, 24_409_194);
        for (id, recency, orders, spend) in
            [("00004", "201", "4", "100.5"), ("00021", "534", "2", "75.11"), ("00018", "543", "1", "14.96")]
        {
            let r = rows.iter().find(|r| r[0] == id).expect(id);
            assert_eq!([r[1], r[2], r[3]], [recency, orders, spend], "{id} with {readers} reader(s)");
        }
    }
}
