//! `loyalty-lens-wasm-timing FILE [RUNS] [read|split|segment|export]`: reads FILE RUNS times as the
//! worker does (streamed, on one core; `split`: in two parts read one after the other and joined,
//! as the two workers do) and segments it, printing each stage's milliseconds; `export` reads,
//! segments and fits CLV once and times, each run, what exporting every customer's action does
//! in the worker (`Session::export_actions`). The first run
//! includes V8's compiling; the later ones are the steady state.
use loyalty_lens::core::ingest::{ingest_stream, IngestOptions, Ingested, Streamed, STREAM_PREFIX};
use loyalty_lens::core::report::segments::segment;
use loyalty_lens::core::ingest::split::{read_part, Part, Plan, Split, Wire};
use std::time::Instant;

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1e3
}

fn read(bytes: &[u8], split: bool) -> Result<(Ingested, String), String> {
    let opts = IngestOptions::default();
    let total = bytes.len() as u64;
    let prefix = &bytes[..STREAM_PREFIX.min(bytes.len())];
    let mut rest = &bytes[prefix.len()..];
    let mut plan: Option<Plan> = None;
    let mut begin = |p: &Plan| {
        plan = Some(p.clone());
        true
    };
    let started = Instant::now();
    let split = split.then_some(Split { at: total / 2, begin: &mut begin });
    let streamed =
        ingest_stream(prefix, &mut rest, total, "file.csv", &opts, split, &mut |_, _| {}).map_err(|e| e.to_string())?;
    let first = ms(started);
    match streamed {
        Streamed::Read(ingested) => Ok((*ingested, format!("read {first:.0}"))),
        Streamed::Split(pending) => {
            let plan = plan.ok_or("no plan")?;
            let started = Instant::now();
            let from = bytes.get(plan.from() as usize..).ok_or("split past the end")?;
            let part = read_part(&plan, &mut &from[..], &mut |_, _| {})?;
            let second = ms(started);
            let started = Instant::now();
            let encoded = part.encode();
            drop(part);
            let encode = ms(started);
            let started = Instant::now();
            let received = Part::decode_from(Wire::Here(&encoded)).ok_or("cannot decode the part")?;
            let ingested = pending.join(received).ok_or("cannot join")?;
            let join = ms(started);
            Ok((ingested, format!("first half {first:.0} second half {second:.0} encode {encode:.0} join {join:.0}")))
        }
        Streamed::Whole => Err("the file does not stream (not UTF-8 delimited text)".into()),
    }
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).ok_or("usage: FILE [RUNS] [read|split|segment]")?;
    let runs: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(5);
    let mode = args.get(3).map_or("read", String::as_str);
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    if mode == "export" {
        return export(&bytes, runs);
    }
    let once = (mode == "segment").then(|| read(&bytes, false)).transpose()?;
    for run in 0..runs {
        let fresh;
        let (times, ingested) = match &once {
            Some((ingested, _)) => ("(read once)", ingested),
            None => {
                fresh = read(&bytes, mode == "split")?;
                (fresh.1.as_str(), &fresh.0)
            }
        };
        let started = Instant::now();
        let seg = segment(&ingested.dataset, &loyalty_lens::core::report::segments::SegmentationParams::default().check().map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
        std::hint::black_box(&seg);
        println!("run {run}: {times} segment {:.0} ms ({} rows)", ms(started), ingested.dataset.rows());
    }
    Ok(())
}

/// What exporting every customer's action costs in the worker, stage by stage.
fn export(bytes: &[u8], runs: usize) -> Result<(), String> {
    use loyalty_lens::core::report::actions::{answers_by_code, assign, clv_by_code, rows, Playbook};
    let (ingested, _) = read(bytes, false)?;
    let ds = &ingested.dataset;
    let params = loyalty_lens::core::report::segments::SegmentationParams::default().check().map_err(|e| e.to_string())?;
    let seg = segment(ds, &params).map_err(|e| e.to_string())?;
    let report = loyalty_lens::api::clv_whole_history(ds).map_err(|e| e.message)?;
    for run in 0..runs {
        let started = Instant::now();
        let clv = clv_by_code(&report.rows, &ds.customers);
        let t_clv = ms(started);
        let started = Instant::now();
        let actions = assign(&seg, &Playbook::default_in(false), Some(&clv)).map_err(|e| e.to_string())?;
        let t_assign = ms(started);
        let started = Instant::now();
        let survey = loyalty_lens::core::analysis::nps::Survey::inline(ds);
        let answers = answers_by_code(&survey, ds.customers.len());
        let t_answers = ms(started);
        let started = Instant::now();
        let list = rows(ds, &seg, &actions, None, Some(&clv), Some(&answers));
        let t_rows = ms(started);
        let started = Instant::now();
        let csv = loyalty_lens::core::export::action_csv(&list);
        let t_csv = ms(started);
        let started = Instant::now();
        let file = loyalty_lens::core::export::encode(&csv, loyalty_lens::core::export::ExportEncoding::Utf8Bom).0;
        let t_encode = ms(started);
        println!(
            "run {run}: clv_by_code {t_clv:.0} assign {t_assign:.0} answers {t_answers:.0} rows {t_rows:.0} csv {t_csv:.0} encode {t_encode:.0} ms ({} customers, {} bytes)",
            list.len(),
            file.len()
        );
    }
    Ok(())
}
