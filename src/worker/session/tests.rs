//! Every request the session answers, natively: what comes back, in what order, with which load
//! number, and what a cancelled or replaced CLV run does.

use super::*;
use crate::core::clv::ClvParams;
use crate::core::export::ExportFormat;
use crate::core::report::segments::CustomerFilter;
use crate::protocol::{ClvSort, ClvStep};

/// A browser `File` stands in as a name.
type Test = Session<&'static str>;

fn session() -> Test {
    Session::new(Host::native())
}

/// The answers to `request`, and what is next.
fn ask(s: &mut Test, request: Request) -> (Vec<Response>, Next<&'static str>) {
    let mut out = Vec::new();
    let next = s.handle(request, &mut |r| out.push(r));
    (out, next)
}

fn answers(s: &mut Test, request: Request) -> Vec<Response> {
    ask(s, request).0
}

/// The answers' variant names, for checking their order.
fn kinds(responses: &[Response]) -> Vec<&'static str> {
    responses
        .iter()
        .map(|r| match r {
            Response::Ready => "Ready",
            Response::Progress { .. } => "Progress",
            Response::Loaded { .. } => "Loaded",
            Response::Failed { .. } => "Failed",
            Response::Nps { .. } => "Nps",
            Response::Comments { .. } => "Comments",
            Response::Segmented { .. } => "Segmented",
            Response::SegmentFailed { .. } => "SegmentFailed",
            Response::Customers { .. } => "Customers",
            Response::Download { .. } => "Download",
            Response::Cleared => "Cleared",
            Response::ClvProgress { .. } => "ClvProgress",
            Response::ClvDone { .. } => "ClvDone",
            Response::ClvFailed { .. } => "ClvFailed",
            Response::ClvCancelled => "ClvCancelled",
            Response::Rehearsal { .. } => "Rehearsal",
            Response::Timings { .. } => "Timings",
            Response::ClvCustomers { .. } => "ClvCustomers",
            Response::CrossSell { .. } => "CrossSell",
            Response::CrossSellFailed { .. } => "CrossSellFailed",
            Response::Actions { .. } => "Actions",
            Response::ClvGroups { .. } => "ClvGroups",
            Response::FollowUp { .. } => "FollowUp",
            Response::ActionsFailed { .. } => "ActionsFailed",
            Response::Profile { .. } => "Profile",
            Response::ProfileFailed { .. } => "ProfileFailed",
            Response::Funnel { .. } => "Funnel",
            Response::MembersDropped => "MembersDropped",
            Response::Events { .. } => "Events",
        })
        .filter(|&k| k != "Progress")
        .collect()
}

/// A session holding the demo sample of `customers` customers, read as load 7.
fn with_sample(customers: usize) -> Test {
    let mut s = session();
    let out = answers(&mut s, Request::Sample { load: 7, customers, seed: 3 });
    // The sample has survey answers with comments: they go first, on their own.
    assert_eq!(kinds(&out), ["Loaded", "Comments", "Segmented", "Timings"]);
    s
}

fn customers_page(s: &mut Test, filter: CustomerFilter, offset: usize) -> (usize, usize) {
    match answers(s, Request::Customers { filter, offset }).as_slice() {
        [Response::Customers { total, rows, .. }] => (*total, rows.len()),
        other => panic!("{other:?}"),
    }
}

/// Runs CLV run `run` step by step to its end; the answers of every step.
fn run_clv(s: &mut Test, first: Next<&'static str>) -> Vec<Response> {
    let mut out = Vec::new();
    let mut next = first;
    while let Next::ClvStep(run) = next {
        next = s.clv_step(run, &mut |r| out.push(r));
    }
    out
}

#[test]
fn a_sample_is_generated_read_and_segmented_and_every_answer_carries_its_load() {
    let mut s = session();
    let out = answers(&mut s, Request::Sample { load: 7, customers: 300, seed: 3 });
    assert!(matches!(out[0], Response::Progress { load: 7, stage: ProgressStage::Generating, .. }));
    for r in &out {
        if let Response::Progress { load, .. } | Response::Loaded { load, .. } = r {
            assert_eq!(*load, 7);
        }
    }
    let Some(Response::Loaded { report, slot, .. }) = out.iter().find(|r| matches!(r, Response::Loaded { .. })) else {
        panic!("{out:?}")
    };
    assert_eq!((report.totals.customers, *slot), (300, Slot::Transactions));
    let Some(Response::Timings { stages }) = out.last() else { panic!("{out:?}") };
    let names: Vec<&str> = stages.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["parse", "segment"], "natively there is no memory figure");
}

#[test]
fn segmenting_with_other_rules_answers_with_them_and_bad_rules_fail_without_losing_the_file() {
    let mut s = with_sample(200);
    let mut params = SegmentationParams::default();
    params.rfm.bins = 3;
    match answers(&mut s, Request::Segment { params: params.clone() }).as_slice() {
        [Response::Segmented { summary, params: echoed, .. }] => {
            assert_eq!(summary.bins, 3);
            assert_eq!(echoed, &params);
        }
        other => panic!("{other:?}"),
    }
    let mut bad = SegmentationParams::default();
    bad.rfm.bins = 1;
    match answers(&mut s, Request::Segment { params: bad }).as_slice() {
        [Response::SegmentFailed { code, message }] => {
            assert_eq!((code.as_str(), message.as_str()), ("rfm_bins", "bins must be 2 to 10, not 1"));
        }
        other => panic!("{:?}", kinds(other)),
    }
    // The file is still there: good rules segment again.
    assert_eq!(kinds(&answers(&mut s, Request::Segment { params })), ["Segmented"]);
}

#[test]
fn customer_pages_follow_the_filter_and_the_offset() {
    let mut s = with_sample(250);
    let (total, shown) = customers_page(&mut s, CustomerFilter::All, 0);
    assert_eq!((total, shown), (250, PAGE_SIZE));
    assert_eq!(customers_page(&mut s, CustomerFilter::All, 200), (250, 50));
    let (a, _) = customers_page(&mut s, CustomerFilter::Abc(crate::core::analysis::pareto::Abc::A), 0);
    assert!(0 < a && a < 250, "class A is some of the customers: {a}");
}

#[test]
fn without_a_file_lists_exports_and_clv_say_what_to_do() {
    let mut s = session();
    match answers(&mut s, Request::Customers { filter: CustomerFilter::All, offset: 0 }).as_slice() {
        [Response::SegmentFailed { code, message }] => {
            assert_eq!((code.as_str(), message.as_str()), ("no_segmentation", "there is no segmentation: choose a file"));
        }
        other => panic!("{:?}", kinds(other)),
    }
    let export = Request::ExportCustomers { filter: CustomerFilter::All, file_name: "x".into(), format: ExportFormat::CsvUtf8 };
    assert_eq!(kinds(&answers(&mut s, export)), ["SegmentFailed"]);
    match answers(&mut s, Request::ExportRejected { slot: Slot::Transactions }).as_slice() {
        [Response::Failed { load: 0, message, .. }] => assert!(message.contains("choose a file")),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        answers(&mut s, Request::ClvCustomers { sort: ClvSort::Clv, offset: 0 }).as_slice(),
        [Response::ClvFailed { code, .. }] if code == "no_clv"
    ));
    assert_eq!(kinds(&answers(&mut s, Request::ExportClv { file_name: "x".into() })), ["ClvFailed"]);
    // A CLV run without transactions fails at its first step.
    let (out, next) = ask(&mut s, Request::Clv { params: ClvParams::default() });
    assert!(out.is_empty());
    assert!(matches!(run_clv(&mut s, next).as_slice(), [Response::ClvFailed { code, .. }] if code == "clv_no_transactions"));
    // Rules asked for without a file are kept, and answered by the NPS page (none here).
    let mut params = SegmentationParams::default();
    params.rfm.bins = 4;
    assert!(matches!(answers(&mut s, Request::Segment { params }).as_slice(), [Response::Nps { nps: None }]));
}

#[test]
fn exports_are_files_with_their_names_and_formats() {
    let mut s = with_sample(120);
    let export = |format| Request::ExportCustomers { filter: CustomerFilter::All, file_name: "list".into(), format };
    let utf8 = match answers(&mut s, export(ExportFormat::CsvUtf8)).as_slice() {
        [Response::Download { file_name, bytes, .. }] => {
            assert_eq!(file_name, "list.csv");
            assert!(bytes.starts_with(b"\xEF\xBB\xBFcustomer_id,recency_days,"));
            let text = std::str::from_utf8(&bytes[3..]).unwrap().to_string();
            assert_eq!(text.lines().count(), 121, "a header and a line a customer");
            assert!(text.contains("冠军客户") || text.contains("重要价值客户"), "Chinese segment names");
            text
        }
        other => panic!("{:?}", kinds(other)),
    };
    match answers(&mut s, export(ExportFormat::CsvGbk)).as_slice() {
        [Response::Download { file_name, bytes, .. }] => {
            assert_eq!(file_name, "list.csv");
            let (text, _, bad) = encoding_rs::GBK.decode(bytes);
            assert!(!bad);
            assert_eq!(text, utf8, "the same list, in GBK");
        }
        other => panic!("{:?}", kinds(other)),
    }
    match answers(&mut s, export(ExportFormat::Xlsx)).as_slice() {
        [Response::Download { file_name, mime, bytes }] => {
            assert_eq!(file_name, "list.xlsx");
            assert!(mime.contains("spreadsheetml"));
            assert!(bytes.starts_with(b"PK\x03\x04"));
        }
        other => panic!("{other:?}"),
    }
    match answers(&mut s, Request::ExportRejected { slot: Slot::Transactions }).as_slice() {
        [Response::Download { file_name, bytes, .. }] => {
            assert_eq!(file_name, "sample-120-customers-seed-3.csv.rejected.csv");
            assert_eq!(bytes.as_slice(), b"\xEF\xBB\xBFrow,column,value,reason,code\n", "the sample has no bad rows");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_generated_file_is_read_again_with_other_options_and_a_users_file_goes_back_to_the_shell() {
    let mut s = with_sample(100);
    let options = IngestOptions { exclude_statuses: Some(Vec::new()), ..IngestOptions::default() };
    let out = answers(&mut s, Request::Reparse { load: 8, options: options.clone(), slot: Slot::Transactions });
    assert_eq!(kinds(&out), ["Loaded", "Segmented", "Timings"], "the same comments are not sent again");
    assert!(matches!(&out[out.len() - 3], Response::Loaded { load: 8, options: o, .. } if *o == options));
    // A user's file is read by the shell: the session hands its handle back.
    let mut s = session();
    let e = IngestError::NoCustomerColumn { columns: vec!["a".into(), "b".into()] };
    let kept = Kept { name: "orders.csv".into(), file: Some("handle"), bytes: Vec::new() };
    let mut out = Vec::new();
    s.failed(9, Some(kept), &e, None, &mut |r| out.push(r));
    match out.as_slice() {
        [Response::Failed { load: 9, code, columns, slot: Slot::Transactions, .. }] => {
            assert_eq!(code, "no_customer_column");
            assert_eq!(columns, &["a", "b"]);
        }
        other => panic!("{other:?}"),
    }
    match ask(&mut s, Request::Reparse { load: 10, options: IngestOptions::default(), slot: Slot::Transactions }) {
        (out, Next::Read(again)) => {
            assert!(out.is_empty());
            assert_eq!(
                (again.load, again.name.as_str(), again.file, again.slot),
                (10, "orders.csv", "handle", Slot::Transactions)
            );
        }
        other => panic!("{other:?}"),
    }
    // Taken: a second request finds nothing to read again.
    match answers(&mut s, Request::Reparse { load: 11, options: IngestOptions::default(), slot: Slot::Transactions }).as_slice() {
        [Response::Failed { load: 11, message, .. }] => assert!(message.contains("no file to read again")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_load_without_its_file_handle_is_an_internal_error_for_that_load() {
    let mut s = session();
    let request = Request::Load { load: 4, name: "a.csv".into(), size: 10, options: IngestOptions::default(), slot: None };
    assert!(matches!(answers(&mut s, request).as_slice(), [Response::Failed { load: 4, .. }]));
}

/// Holds `text` as the file `name` read for load `load`; the answers.
fn settle_text(s: &mut Test, load: u32, name: &'static str, text: &str) -> (Slot, Vec<Response>) {
    let ingested = ingest(text.as_bytes(), name, &IngestOptions::default(), &mut |_, _| {}).unwrap();
    let mut out = Vec::new();
    let kept = Kept { name: name.into(), file: Some(name), bytes: Vec::new() };
    let slot = s.settle(load, kept, ingested, IngestOptions::default(), None, Vec::new(), &mut |r| out.push(r));
    (slot, out)
}

#[test]
fn a_survey_file_goes_to_its_slot_joins_the_transactions_and_can_be_dropped() {
    let mut s = session();
    let tx = "客户ID,日期,金额\nc1,2025-01-01,100\nc1,2025-02-01,80\nc2,2025-01-15,30\nc3,2025-02-10,55\n";
    let (slot, out) = settle_text(&mut s, 11, "orders.csv", tx);
    assert_eq!(slot, Slot::Transactions);
    assert!(matches!(
        out.as_slice(),
        [Response::Loaded { load: 11, .. }, Response::Segmented { nps: None, .. }, Response::Timings { .. }]
    ));
    let survey = "客户ID,日期,评分,评论\nc1,2025-03-02,10,很好\nc2,2025-03-03,3,太慢\nzz,2025-03-04,9,\n";
    let (slot, out) = settle_text(&mut s, 12, "survey.csv", survey);
    assert_eq!(slot, Slot::Survey, "scores and no amounts: a survey");
    assert_eq!(kinds(&out), ["Loaded", "Comments", "Segmented", "Timings"]);
    let Some(Response::Comments { shown }) = out.iter().find(|r| matches!(r, Response::Comments { .. })) else { panic!() };
    assert_eq!(shown.len(), 2);
    match out.iter().find(|r| matches!(r, Response::Segmented { .. })) {
        Some(Response::Segmented { nps: Some(nps), .. }) => {
            assert_eq!((nps.overall.responses, nps.matched), (3, Some(2)), "c1 and c2 bought; zz did not");
            assert!(nps.comments.shown.is_empty(), "the comments go on their own, once");
        }
        _ => panic!("{:?}", kinds(&out)),
    }
    // The same comments are not sent again with the next segmentation.
    assert_eq!(kinds(&answers(&mut s, Request::Segment { params: SegmentationParams::default() })), ["Segmented"]);
    // Without the survey there is no NPS (the transactions have no scores of their own).
    let dropped = answers(&mut s, Request::DropSurvey);
    assert!(matches!(dropped.as_slice(), [Response::Segmented { nps: None, .. }]), "{:?}", kinds(&dropped));
}

#[test]
fn a_new_transaction_file_resets_the_rules_and_the_clv_result() {
    let mut s = with_sample(150);
    let (_, first) = ask(&mut s, Request::Clv { params: ClvParams::default() });
    let done = run_clv(&mut s, first);
    assert_eq!(kinds(&done).last(), Some(&"ClvDone"));
    let mut params = SegmentationParams { nps_latest: true, ..SegmentationParams::default() };
    params.rfm.bins = 3;
    answers(&mut s, Request::Segment { params });
    let out = answers(&mut s, Request::Sample { load: 20, customers: 90, seed: 4 });
    match out.iter().find(|r| matches!(r, Response::Segmented { .. })) {
        Some(Response::Segmented { params, .. }) => {
            assert_eq!(params.rfm.bins, SegmentationParams::default().rfm.bins, "rules start afresh");
            assert!(params.nps_latest, "the NPS choice is kept");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(kinds(&answers(&mut s, Request::ClvCustomers { sort: ClvSort::Clv, offset: 0 })), ["ClvFailed"]);
}

#[test]
fn a_clv_run_goes_step_by_step_to_its_report_its_list_and_its_file() {
    let mut s = with_sample(400);
    let (out, next) = ask(&mut s, Request::Clv { params: ClvParams::default() });
    assert!(out.is_empty() && matches!(next, Next::ClvStep(1)));
    let steps = run_clv(&mut s, next);
    let progress: Vec<ClvStep> = steps
        .iter()
        .filter_map(|r| match r {
            Response::ClvProgress { step } => Some(*step),
            _ => None,
        })
        .collect();
    assert_eq!(progress, [ClvStep::Summary, ClvStep::BgNbd, ClvStep::ParetoNbd, ClvStep::GammaGamma, ClvStep::Predicting]);
    let Some(Response::ClvDone { report, top, timings }) = steps.last() else { panic!("{steps:?}") };
    assert_eq!(timings.len(), 5, "one timing a step");
    assert_eq!(top.len(), PAGE_SIZE.min(report.rows.len()));
    assert!(top.windows(2).all(|w| w[0].clv.unwrap_or(f64::NEG_INFINITY) >= w[1].clv.unwrap_or(f64::NEG_INFINITY)));
    match answers(&mut s, Request::ClvCustomers { sort: ClvSort::PAlive, offset: 0 }).as_slice() {
        [Response::ClvCustomers { total, rows, .. }] => {
            assert_eq!(*total, report.rows.len());
            assert!(rows.windows(2).all(|w| w[0].p_alive >= w[1].p_alive));
        }
        other => panic!("{other:?}"),
    }
    match answers(&mut s, Request::ExportClv { file_name: "clv".into() }).as_slice() {
        [Response::Download { file_name, bytes, .. }] => {
            assert_eq!(file_name, "clv.csv");
            let text = std::str::from_utf8(&bytes[3..]).unwrap();
            assert!(text.starts_with("customer_id,frequency,recency,T,monetary_value,p_alive,"));
            assert_eq!(text.lines().count(), report.rows.len() + 1);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_cancelled_or_replaced_clv_run_stops_at_its_next_step() {
    let mut s = with_sample(150);
    let (_, first) = ask(&mut s, Request::Clv { params: ClvParams::default() });
    let Next::ClvStep(run) = first else { panic!() };
    let mut out = Vec::new();
    assert!(matches!(s.clv_step(run, &mut |r| out.push(r)), Next::ClvStep(_)), "the summary is one step of several");
    assert_eq!(kinds(&answers(&mut s, Request::ClvCancel)), ["ClvCancelled"]);
    let mut late = Vec::new();
    assert!(matches!(s.clv_step(run, &mut |r| late.push(r)), Next::Idle));
    assert!(late.is_empty(), "a step of a cancelled run does nothing: {late:?}");
    // A new run replaces the one before: the old run's steps do nothing, the new one finishes.
    let (_, old) = ask(&mut s, Request::Clv { params: ClvParams::default() });
    let (_, new) = ask(&mut s, Request::Clv { params: ClvParams::default() });
    let (Next::ClvStep(old), Next::ClvStep(new)) = (old, new) else { panic!() };
    assert_ne!(old, new);
    let mut stale = Vec::new();
    assert!(matches!(s.clv_step(old, &mut |r| stale.push(r)), Next::Idle) && stale.is_empty());
    assert_eq!(kinds(&run_clv(&mut s, Next::ClvStep(new))).last(), Some(&"ClvDone"));
}

#[test]
fn clearing_forgets_everything() {
    let mut s = with_sample(100);
    assert_eq!(kinds(&answers(&mut s, Request::Clear)), ["Cleared"]);
    assert!(s.transactions().is_none());
    assert_eq!(kinds(&answers(&mut s, Request::Customers { filter: CustomerFilter::All, offset: 0 })), ["SegmentFailed"]);
    assert_eq!(
        kinds(&answers(&mut s, Request::Reparse { load: 3, options: IngestOptions::default(), slot: Slot::Transactions })),
        ["Failed"]
    );
}

#[test]
fn a_new_transaction_file_frees_the_old_one_before_it_is_read() {
    let mut s = with_sample(100);
    s.begin_load(Slot::Survey);
    assert!(s.transactions().is_some(), "a survey leaves the transactions");
    s.begin_load(Slot::Transactions);
    assert!(s.transactions().is_none());
    assert_eq!(kinds(&answers(&mut s, Request::Customers { filter: CustomerFilter::All, offset: 0 })), ["SegmentFailed"]);
}

#[test]
fn the_rehearsal_is_a_loads_answers_in_order_with_timings_of_no_file() {
    let mut s = session();
    let mut bytes = Vec::new();
    write_sample(200, 1, &mut bytes).unwrap();
    let ingested = ingest(&bytes, "warm-up.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap();
    let mut out = Vec::new();
    let kept = Kept { name: "warm-up.csv".into(), file: None, bytes: Vec::new() };
    s.settle(1, kept, ingested, IngestOptions::default(), Some(Slot::Transactions), Vec::new(), &mut |r| out.push(r));
    let rehearsal = rehearsal(out);
    assert!(matches!(rehearsal[0], Response::Progress { load: 1, .. }));
    assert_eq!(kinds(&rehearsal), ["Loaded", "Comments", "Segmented", "Timings"]);
    let Some(Response::Timings { stages }) = rehearsal.last() else { panic!() };
    assert!(stages.iter().all(|(_, ms)| *ms == 1.0));
    assert_eq!(stages.len(), 4);
}

#[test]
fn clv_settings_are_checked_where_they_come_in() {
    let mut s = with_sample(100);
    let params = ClvParams { horizon_months: 0, ..ClvParams::default() };
    match ask(&mut s, Request::Clv { params }) {
        (out, Next::Idle) => match out.as_slice() {
            [Response::ClvFailed { code, .. }] => assert_eq!(code, "clv_horizon"),
            other => panic!("{:?}", kinds(other)),
        },
        (_, next) => panic!("a run was started: {next:?}"),
    }
}

#[test]
fn cross_sell_is_measured_on_the_segmentation_and_its_not_yet_customers_listed() {
    let mut s = session();
    let params = || crate::core::analysis::cross_sell::CrossSellParams {
        anchor: vec!["手机".into()],
        targets: vec!["穿戴设备".into(), "智能家居".into()],
        ..Default::default()
    };
    assert!(
        matches!(answers(&mut s, Request::CrossSell { params: params() }).as_slice(), [Response::CrossSellFailed { code, .. }] if code == "no_segmentation")
    );
    let mut s = with_sample(400);
    let not_yet = match answers(&mut s, Request::CrossSell { params: params() }).as_slice() {
        [Response::CrossSell { result }] => result.not_yet,
        other => panic!("{other:?}"),
    };
    assert!(not_yet > 0);
    let filter = CustomerFilter::NotYet { anchor: params().anchor, targets: params().targets };
    assert_eq!(customers_page(&mut s, filter, 0).0, not_yet);
    let unknown = crate::core::analysis::cross_sell::CrossSellParams { targets: vec!["TV".into()], ..params() };
    assert!(
        matches!(answers(&mut s, Request::CrossSell { params: unknown }).as_slice(), [Response::CrossSellFailed { code, .. }] if code == "unknown_category")
    );
}

#[test]
fn actions_are_assigned_ranked_and_exported_from_the_segmentation() {
    use crate::core::report::actions::{Playbook, WinbackParams};
    let mut s = with_sample(400);
    let ask_actions =
        |s: &mut Test, playbook: Playbook| answers(s, Request::Actions { playbook, winback: WinbackParams::default() });
    let (customers, candidates) = match ask_actions(&mut s, Playbook::default_in(false)).as_slice() {
        [Response::Actions { actions, winback }] => {
            assert_eq!(actions.unmatched, 0);
            assert!(winback.rows.len() <= crate::protocol::WINBACK_SHOWN);
            (actions.stats.iter().map(|a| a.customers).sum::<usize>(), winback.invest_customers + winback.let_go_customers)
        }
        other => panic!("{other:?}"),
    };
    let lines = |r: &[Response]| match r {
        [Response::Download { bytes, .. }] => String::from_utf8_lossy(bytes).lines().count() - 1,
        other => panic!("{other:?}"),
    };
    let all = answers(&mut s, Request::ExportActions { action: None, file_name: "a".into(), format: ExportFormat::CsvUtf8 });
    assert_eq!(lines(&all), customers, "every customer with an action is listed once");
    let winback = answers(&mut s, Request::ExportWinback { file_name: "w".into(), format: ExportFormat::CsvUtf8 });
    assert_eq!(lines(&winback), candidates, "the export has every candidate, the page the first 100");
    let typo = Playbook::parse("segment,action\nChampoins,x\n").unwrap();
    assert!(
        matches!(ask_actions(&mut s, typo).as_slice(), [Response::ActionsFailed { code, .. }] if code == "playbook_unknown_segment")
    );
}

#[test]
fn the_follow_up_list_is_sent_in_part_and_exported_whole() {
    let mut s = with_sample(400);
    let (shown, total) = match answers(&mut s, Request::FollowUp { passives: false }).as_slice() {
        [Response::FollowUp { rows, total, .. }] => (rows.len(), *total),
        other => panic!("{other:?}"),
    };
    assert!(total > 0 && shown == total.min(crate::protocol::WINBACK_SHOWN));
    let with_passives = match answers(&mut s, Request::FollowUp { passives: true }).as_slice() {
        [Response::FollowUp { total, .. }] => *total,
        other => panic!("{other:?}"),
    };
    assert!(with_passives > total);
    match answers(&mut s, Request::ExportFollowUp { passives: false, file_name: "f".into(), format: ExportFormat::Xlsx })
        .as_slice()
    {
        [Response::Download { file_name, bytes, .. }] => assert!(file_name.ends_with(".xlsx") && bytes.starts_with(b"PK")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_customers_story_comes_with_the_playbook_applied_last_and_the_clv_run() {
    let mut s = with_sample(300);
    let first = match answers(&mut s, Request::Customers { filter: CustomerFilter::All, offset: 0 }).as_slice() {
        [Response::Customers { rows, .. }] => rows[0].clone(),
        other => panic!("{other:?}"),
    };
    let story =
        |s: &mut Test, zh: bool| match answers(s, Request::Profile { customer_id: first.customer_id.clone(), zh }).as_slice() {
            [Response::Profile { profile }] => profile.clone(),
            other => panic!("{other:?}"),
        };
    // Before any playbook, the built-in one in the page's language; no CLV yet.
    let p = story(&mut s, true);
    assert_eq!(p.customer, first);
    assert!(p.clv.is_none());
    let zh_action = p.action.clone().unwrap().action;
    assert!(zh_action.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{zh_action}");
    // After a playbook is applied, its action.
    let one = crate::core::report::actions::Playbook::parse("segment,action,channel\n,Call everyone,Phone\n").unwrap();
    let _ = answers(&mut s, Request::Actions { playbook: one, winback: Default::default() });
    assert_eq!(story(&mut s, true).action.unwrap().action, "Call everyone");
    // After a CLV run, the customer's prediction.
    let next = ask(&mut s, Request::Clv { params: ClvParams::default() }).1;
    let _ = run_clv(&mut s, next);
    let clv = story(&mut s, false).clv.expect("a prediction after the CLV run");
    assert!((0.0..=1.0).contains(&clv.p_alive) && clv.expected_purchases >= 0.0);
    match answers(&mut s, Request::Profile { customer_id: "nobody".into(), zh: false }).as_slice() {
        [Response::ProfileFailed { customer_id, code, .. }] => {
            assert_eq!((customer_id.as_str(), code.as_str()), ("nobody", "unknown_customer"))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_member_list_gives_its_funnel_kept_for_new_rules_and_exported() {
    let mut s = with_sample(300);
    let ids: Vec<String> = match answers(&mut s, Request::Customers { filter: CustomerFilter::All, offset: 0 }).as_slice() {
        [Response::Customers { rows, .. }] => rows.iter().take(2).map(|r| r.customer_id.clone()).collect(),
        other => panic!("{other:?}"),
    };
    // Two sample customers registered before any order (广告), and a lead who never bought (门店).
    let list =
        format!("member_id,registered,source\n{},2000-01-01,广告\n{},2000-01-01,广告\nnobody,2000-01-01,门店\n", ids[0], ids[1]);
    let mut out = Vec::new();
    s.members_read("members.csv".into(), list.as_bytes(), &mut |r| out.push(r));
    let funnel = match out.as_slice() {
        [Response::Funnel { funnel: Some(f), error: None, .. }] => f.clone(),
        other => panic!("{other:?}"),
    };
    let source = |k: &str| funnel.by_source.iter().find(|x| x.key == k).unwrap().clone();
    assert_eq!((source("广告").leads, source("广告").first_order.hits), (2, 2));
    assert_eq!((source("门店").leads, source("门店").first_order.hits), (1, 0));
    match answers(&mut s, Request::Funnel { compare: Some(("门店".into(), "广告".into())) }).as_slice() {
        [Response::Funnel { compare: Some((a, b, Some(test))), .. }] => {
            assert_eq!((a.as_str(), b.as_str()), ("门店", "广告"));
            assert!((test.difference - 1.0).abs() < 1e-12);
        }
        other => panic!("{other:?}"),
    }
    // Other rules: the funnel comes again after the segmentation.
    let again = answers(&mut s, Request::Segment { params: crate::core::report::segments::SegmentationParams::default() });
    assert_eq!(kinds(&again), ["Segmented", "Funnel"]);
    match answers(&mut s, Request::ExportFunnelList { once: false, file_name: "m".into(), format: ExportFormat::CsvUtf8 })
        .as_slice()
    {
        [Response::Download { bytes, .. }] => {
            let text = String::from_utf8_lossy(bytes);
            assert_eq!(text.trim_start_matches('\u{feff}').lines().skip(1).collect::<Vec<_>>(), ["nobody,2000-01-01,门店,0,"]);
        }
        other => panic!("{other:?}"),
    }
    // Once the CLV models have run, the funnel comes again with each lead's predicted value: the
    // two 广告 leads' predicted CLV over 2 leads; the lead who never bought (门店) is worth 0.
    let (_, first) = ask(&mut s, Request::Clv { params: ClvParams::default() });
    let done = run_clv(&mut s, first);
    assert_eq!(&kinds(&done)[kinds(&done).len() - 2..], ["ClvDone", "Funnel"]);
    let (Some(Response::ClvDone { report, .. }), Some(Response::Funnel { funnel: Some(f), .. })) =
        (done.iter().find(|r| matches!(r, Response::ClvDone { .. })), done.last())
    else {
        panic!("{done:?}")
    };
    let clv = |id: &str| report.rows.iter().find(|r| r.customer_id == id).and_then(|r| r.clv).unwrap_or(0.0);
    let ads = f.by_source.iter().find(|x| x.key == "广告").unwrap();
    assert!((ads.predicted_value_per_lead.unwrap() - (clv(&ids[0]) + clv(&ids[1])) / 2.0).abs() < 1e-9);
    assert_eq!(f.by_source.iter().find(|x| x.key == "门店").unwrap().predicted_value_per_lead, Some(0.0));
    assert_eq!(kinds(&answers(&mut s, Request::DropMembers)), ["MembersDropped"]);
    assert!(answers(&mut s, Request::Funnel { compare: None }).is_empty());
    let mut out = Vec::new();
    s.members_read("bad.csv".into(), b"\x89PNG\r\n\x1a\n", &mut |r| out.push(r));
    assert!(matches!(out.as_slice(), [Response::Funnel { funnel: None, error: Some(_), .. }]));
}

#[test]
fn an_events_file_scores_engagement_ranks_the_pyramid_and_lists_the_comparison() {
    let mut s = with_sample(300);
    // The last page of everyone, by spend: the three who spent least.
    let ids: Vec<String> = match answers(&mut s, Request::Customers { filter: CustomerFilter::All, offset: 250 }).as_slice() {
        [Response::Customers { rows, .. }] => rows.iter().rev().take(3).map(|r| r.customer_id.clone()).collect(),
        other => panic!("{other:?}"),
    };
    // They take part a lot (the sample runs to 2025-12-31), and an id that bought nothing.
    let mut text = String::from("customer_id,date,event_type,points\n");
    for (k, id) in ids.iter().enumerate() {
        for _ in 0..=k + 20 {
            text.push_str(&format!("{id},2025-12-01,推荐好友,\n"));
        }
    }
    text.push_str("stranger,2025-12-01,内测,3\n");
    let mut out = Vec::new();
    s.events_read("events.csv".into(), text.as_bytes(), &mut |r| out.push(r));
    assert_eq!(kinds(&out), ["Events", "Segmented"]);
    let summary = match out.last() {
        Some(Response::Segmented { summary, .. }) => summary.clone(),
        other => panic!("{other:?}"),
    };
    let e = summary.engagement.as_ref().expect("the engagement of the events");
    assert_eq!((e.customers, e.unknown_events, e.unknown_examples.clone()), (3, 1, vec!["stranger".to_string()]));
    // Ranked by engagement: the 5% top tier (15 of 300) holds the three who took part.
    let mut params = crate::core::report::segments::SegmentationParams::default();
    params.pyramid.measure = crate::core::analysis::pyramid::Measure::Engagement;
    let again = answers(&mut s, Request::Segment { params });
    let Some(Response::Segmented { summary, .. }) = again.first() else { panic!("{again:?}") };
    let p = summary.pyramid.participation.as_ref().expect("events and amounts: the comparison");
    // They spent least: top by engagement, bottom by spend.
    assert_eq!(p.engaged_not_spending.customers, 3);
    let filter = CustomerFilter::Participation { engagement: 0, spend: 2 };
    match answers(&mut s, Request::Customers { filter, offset: 0 }).as_slice() {
        [Response::Customers { rows, total: 3, .. }] => {
            let mut got: Vec<String> = rows.iter().map(|r| r.customer_id.clone()).collect();
            let mut want = ids.clone();
            got.sort();
            want.sort();
            assert_eq!(got, want);
            // 21 to 23 referrals 31 days before the as-of date: each ½^(31/90) ≈ 0.788.
            assert!(rows.iter().all(|r| r.engagement_score.is_some_and(|x| x > 16.0)), "{rows:?}");
        }
        other => panic!("{other:?}"),
    }
    // Dropped: no engagement, and the pyramid back to its default ranking.
    let dropped = answers(&mut s, Request::DropEvents);
    assert_eq!(kinds(&dropped), ["Events", "Segmented"]);
    let Some(Response::Segmented { summary, .. }) = dropped.last() else { panic!() };
    assert!(summary.engagement.is_none() && summary.pyramid.participation.is_none());
    // A file without an event type is refused with the reason; nothing else changes.
    let mut out = Vec::new();
    s.events_read("bad.csv".into(), b"customer_id,date\na,2024-01-01\n", &mut |r| out.push(r));
    assert!(matches!(out.as_slice(), [Response::Events { error: Some((code, _)), .. }] if code == "events_no_type"), "{out:?}");
}

#[test]
fn every_part_of_a_segmented_answer_the_page_decodes_first_is_found_and_decodes() {
    // The demo file has everything a summary can hold but an events file: amounts, tiers, answers
    // with comments (NPS, the loyalty matrix).
    let mut text = Vec::new();
    crate::core::sample::write_sample(300, 3, &mut text).unwrap();
    let mut s = session();
    let (_, out) = settle_text(&mut s, 1, "sample.csv", std::str::from_utf8(&text).unwrap());
    let Some(segmented) = out.into_iter().find(|r| matches!(r, Response::Segmented { .. })) else { panic!("no segmentation") };
    let sent = serde_json::to_value(&segmented).unwrap()["Segmented"].clone();
    let parts = crate::protocol::segmented_parts::<serde_json::Value>();
    for (field, within, decode) in &parts {
        let value = match within {
            Some(name) => sent[field].get(name),
            None => sent.get(field),
        };
        // Parts left out when empty (the notes, the engagement without events) are not primed.
        if let Some(value) = value {
            assert!(decode(value.clone()), "{field}.{within:?} does not decode as the type it is primed with");
        }
    }
    // Every part that is more than a number or a text is primed (a new one would otherwise be
    // compiled with the whole answer, in one task).
    let primed = |field: &str, name: Option<&str>| parts.iter().any(|(f, w, _)| *f == field && *w == name);
    for (field, value) in sent.as_object().unwrap() {
        if field == "summary" {
            for (name, value) in value.as_object().unwrap() {
                let compound = value.is_array() || value.is_object();
                assert!(!compound || primed("summary", Some(name)), "summary.{name} is not primed");
            }
        } else {
            assert!(primed(field, None), "{field} is not primed");
        }
    }
    assert!(!sent["nps"].is_null() && !sent["summary"]["loyalty_matrix"].is_null(), "the sample has answers");
}

#[test]
fn no_answer_on_any_fixture_holds_a_figure_that_is_not_a_number() {
    use crate::core::report::actions::{Playbook, WinbackParams};
    // A NaN or an infinity reaches the page as such and is printed "NaN" or "∞" where a figure
    // belongs. The answers to reading, segmenting, listing, CLV, actions and the follow-up list, on
    // every fixture: none holds one (a figure that cannot be computed is left out, as `None`).
    let mut answered = 0;
    for (path, bytes) in crate::core::ingest::testing::fixture_files() {
        let name: &'static str = Box::leak(path.file_name().unwrap().to_string_lossy().into_owned().into_boxed_str());
        let Ok(ingested) = ingest(&bytes, name, &IngestOptions::default(), &mut |_, _| {}) else { continue };
        let mut s = session();
        let mut out = Vec::new();
        let kept = Kept { name: name.into(), file: Some(name), bytes: Vec::new() };
        s.settle(1, kept, ingested, IngestOptions::default(), None, Vec::new(), &mut |r| out.push(r));
        out.extend(answers(&mut s, Request::Customers { filter: CustomerFilter::All, offset: 0 }));
        let (first, next) = ask(&mut s, Request::Clv { params: ClvParams::default() });
        out.extend(first);
        out.extend(run_clv(&mut s, next));
        out.extend(answers(&mut s, Request::Actions { playbook: Playbook::default_in(true), winback: WinbackParams::default() }));
        out.extend(answers(&mut s, Request::FollowUp { passives: true }));
        for sent in out {
            // Debug prints a float that is not a number as NaN, inf or -inf, between delimiters.
            let shown = format!("{sent:?}");
            for bad in ["NaN", "inf"] {
                let at = shown.match_indices(bad).find(|&(i, _)| {
                    let before = shown[..i].chars().next_back();
                    let after = shown[i + bad.len()..].chars().next();
                    matches!(before, Some(' ' | '(' | '[' | '-')) && matches!(after, Some(',' | ')' | ']' | ' ' | '}'))
                });
                assert!(at.is_none(), "{name}: a figure is {bad}: …{}", &shown[at.map_or(0, |(i, _)| i.saturating_sub(200))..]);
            }
            answered += 1;
        }
    }
    assert!(answered > 500, "{answered} answers");
}
