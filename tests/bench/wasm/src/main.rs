//! `loyalty-lens-wasm-timing FILE [RUNS] [read|split|segment]`: reads FILE RUNS times as the
//! worker does (streamed, on one core; `split`: in two parts read one after the other and joined,
//! as the two workers do) and segments it, printing each stage's milliseconds. The first run
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
