//! The native command line (`loyalty-lens`): the same core as the browser app, for files too big
//! for a tab and for scripts. Prints JSON (or CSV) on stdout; a file that cannot be used at all gets
//! one line on stderr and a non-zero exit. `src/bin/loyalty-lens.rs` only calls [`main`].

use crate::api::options::{flag, Given, ReadOptions, Rules};
use crate::api::ApiError;
use crate::core::analysis::rfm::{RfmParams, Scoring};
use crate::core::ingest::split::{read_part, read_part_spilled, split_at, Joined, Plan, Received, Split};
use crate::core::ingest::{
    ingest, ingest_spilled, ingest_stream, IngestOptions, SpilledRead, SpilledStream, Streamed, STREAM_PREFIX,
};
use crate::core::report::segments::{SegmentationParams, ValidSegmentationParams};
use crate::core::values::{parse_date, DateOrder};
use clap::{Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

mod args;
mod read;
mod sample;

use self::args::*;
use self::read::*;

#[allow(clippy::too_many_arguments)]
fn rfm(
    file: &PathBuf,
    read: &ReadArgs,
    as_of: &Option<String>,
    bins: u8,
    r_thresholds: &Option<String>,
    f_thresholds: &Option<String>,
    m_thresholds: &Option<String>,
    format: &str,
) -> Result<(), String> {
    let as_of = match as_of {
        Some(text) => Some(parse_date(text, DateOrder::Ymd).map_err(|e| format!("--as-of {text}: {e}"))?),
        None => None,
    };
    let params = RfmParams {
        bins,
        recency: thresholds("r-thresholds", r_thresholds)?,
        frequency: thresholds("f-thresholds", f_thresholds)?,
        monetary: thresholds("m-thresholds", m_thresholds)?,
        ..RfmParams::default()
    };
    params.check().map_err(|e| e.to_string())?;
    // A big file's rows are put aside as it is read (memory for its customers, not its rows).
    let mut loaded = match load_spilled(file, read, false)? {
        Some(read) => Loaded::Spilled(read),
        None => Loaded::Held(load(file, read)?),
    };
    let report = match &mut loaded {
        Loaded::Spilled(read) => crate::api::rfm_spilled(read, as_of, &params),
        Loaded::Held(ingested) => crate::api::rfm(&ingested.dataset, as_of, &params),
    }
    .map_err(|e| format!("{}: {e}", file.display()))?;
    let write = || -> std::io::Result<()> {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        if format == "json" {
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        } else {
            // A closed pipe surfaces as an I/O error of that kind (the csv crate wraps it).
            let unwrap = |e: csv::Error| match e.into_kind() {
                csv::ErrorKind::Io(e) => e,
                other => std::io::Error::other(format!("{other:?}")),
            };
            let mut w = csv::Writer::from_writer(&mut out);
            for row in report.rows() {
                w.serialize(row).map_err(unwrap)?;
            }
            w.flush()?;
        }
        out.flush()
    };
    match write() {
        // `| head` closed the pipe: the reader has what it wanted.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
        Err(e) => return Err(e.to_string()),
        Ok(()) => {}
    }
    if report.rows_after_as_of() > 0 {
        eprintln!(
            "loyalty-lens: {} row(s) dated after the as-of date {} were left out",
            report.rows_after_as_of(),
            report.as_of()
        );
    }
    Ok(())
}

/// `facts` of a big file ([`load_spilled`]): its rows put aside as they are read and the facts
/// file written a bucket of customers at a time, to `out` or stdout. `Ok(false)` when the file is
/// not read that way (small, or not UTF-8 delimited text): the caller reads it with its rows held.
/// `out` is written under another name beside it and renamed when complete: a failure leaves it
/// as it was.
fn write_facts_aside(file: &PathBuf, read: &ReadArgs, out: Option<&PathBuf>) -> Result<bool, String> {
    let Some(mut aside) = load_spilled(file, read, true)? else { return Ok(false) };
    let named = |path: &PathBuf, e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let mut partial = match out {
        Some(path) => {
            let beside = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
            let mut builder = tempfile::Builder::new();
            // As any file the command writes (a temporary file is the owner's alone), the umask applied.
            #[cfg(unix)]
            builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
            Some(builder.tempfile_in(beside).map_err(|e| named(path, &e))?)
        }
        None => None,
    };
    let sink: Box<dyn Write + Send> = match &partial {
        Some(temp) => Box::new(temp.reopen().map_err(|e| named(file, &e))?),
        None => Box::new(std::io::stdout()),
    };
    let mut buffered = std::io::BufWriter::with_capacity(1 << 20, sink);
    let threads = crate::core::analysis::customers::threads();
    let written = crate::core::export::write_spilled_facts(&aside.dataset, &mut aside.spill, threads, &mut buffered)
        .and_then(|done| buffered.flush().map(|()| done));
    drop(buffered);
    match (written, out) {
        (Ok(Ok(())), Some(path)) => match partial.take().map(|temp| temp.persist(path)) {
            Some(Err(e)) => Err(named(path, &e)),
            _ => Ok(true),
        },
        (Ok(Ok(())), None) => Ok(true),
        (Ok(Err(e)), _) => Err(named(file, &e)),
        // `| head` closed the pipe: the reader has what it wanted.
        (Err(e), None) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(true),
        (Err(e), _) => Err(format!("writing the facts file of {}: {e}", file.display())),
    }
}

/// A file read for an analysis: its rows held, or put aside ([`load_spilled`]).
// One a run: its size costs nothing worth boxing for.
#[allow(clippy::large_enum_variant)]
enum Loaded {
    Held(crate::core::ingest::Ingested),
    Spilled(SpilledRead),
}

/// Prints `text` and a line end on stdout. A closed pipe (`| head`) is not an error: the reader
/// has what it wanted.
fn print(text: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.write_all(b"\n")).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(format!("writing the output: {e}")),
        _ => Ok(()),
    }
}

/// A command on FILE under the segmentation rules: reads it, checks the rules, and prints what
/// `answer` makes of them (a failure of the file's named with it, in one line on stderr).
fn with_rules(
    file: &PathBuf,
    read: &ReadArgs,
    rules: &RuleArgs,
    answer: impl FnOnce(&crate::core::dataset::Dataset, &RulesGiven) -> Result<String, ApiError>,
) -> ExitCode {
    let run = || -> Result<String, String> {
        let params = rules.params()?.check().map_err(|e| e.to_string())?;
        let events = match &rules.events {
            Some(path) => {
                let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                Some(crate::api::read_events(&bytes, &name).map_err(|e| format!("{}: {e}", path.display()))?)
            }
            None => None,
        };
        let members = rules.members.as_ref().map(|path| load(path, &ReadArgs::default())).transpose()?;
        let ingested = load(file, read)?;
        answer(&ingested.dataset, &RulesGiven { params, events, members }).map_err(|e| format!("{}: {e}", file.display()))
    };
    // A command that wrote its own file prints nothing.
    match run().and_then(|text| if text.is_empty() { Ok(()) } else { print(&text) }) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

/// A command's checked rules and the events file given with them (`--events`); the rules as
/// [`ValidSegmentationParams`] through `Deref`.
struct RulesGiven {
    params: ValidSegmentationParams,
    events: Option<crate::core::ingest::Ingested>,
    /// The member or lead list (`--members`).
    members: Option<crate::core::ingest::Ingested>,
}

impl std::ops::Deref for RulesGiven {
    type Target = ValidSegmentationParams;

    fn deref(&self) -> &ValidSegmentationParams {
        &self.params
    }
}

impl RulesGiven {
    /// The segmentation of `ds` under these rules, with the events file when one was given.
    fn segmentation(&self, ds: &crate::core::dataset::Dataset) -> Result<crate::core::report::segments::Segmentation, ApiError> {
        crate::api::segmentation_with(ds, &self.params, None, self.events.as_ref().map(|e| &e.dataset))
    }

    fn members(&self) -> Option<&crate::core::dataset::Dataset> {
        self.members.as_ref().map(|m| &m.dataset)
    }

    /// Each row's acquisition source (`set`), when a member list was given.
    fn sources<R>(
        &self,
        ds: &crate::core::dataset::Dataset,
        rows: &mut [R],
        set: impl Fn(&mut R) -> (&str, &mut Option<String>),
    ) {
        if let Some(members) = self.members() {
            let source = crate::api::source_by_id(ds, members);
            for r in rows {
                let (id, slot) = set(r);
                *slot = Some(source(id));
            }
        }
    }
}

/// `value` as JSON, on one line or pretty.
fn json(value: &impl serde::Serialize, compact: bool) -> Result<String, ApiError> {
    if compact { serde_json::to_string(value) } else { serde_json::to_string_pretty(value) }
        .map_err(|e| ApiError::new("internal", e))
}

fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("loyalty-lens: {message}");
    ExitCode::FAILURE
}

pub fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Inspect { file, read, compact } => {
            let options = match read.options() {
                Ok(o) => o,
                Err(e) => return fail(e),
            };
            // A big file's rows are counted as they pass, not kept.
            let report = match report_counted(&file, &options) {
                Ok(Some(report)) => Ok(report),
                Ok(None) => read_file(&file, &options).map(|i| i.report),
                Err(e) => Err(e),
            };
            let report = match report {
                Ok(r) => r,
                Err(e) => return fail(format!("{}: {e}", file.display())),
            };
            let json = if compact { serde_json::to_string(&report) } else { serde_json::to_string_pretty(&report) };
            if let Err(e) = json.map_err(|e| e.to_string()).and_then(|text| print(&text)) {
                return fail(e);
            }
            if report.rows_accepted == 0 {
                let first = report.rejected.first().map_or_else(
                    || "the file has a header but no data rows".to_string(),
                    |r| format!("first problem: row {}, column `{}`: '{}': {}", r.row, r.column, r.value, r.reason),
                );
                return fail(format!("{}: no row could be read ({first})", file.display()));
            }
            ExitCode::SUCCESS
        }
        Command::Rfm { file, read, as_of, bins, r_thresholds, f_thresholds, m_thresholds, format } => {
            match rfm(&file, &read, &as_of, bins, &r_thresholds, &f_thresholds, &m_thresholds, &format) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(e),
            }
        }
        Command::Nps { file, read, latest, transactions, format: _ } => {
            let run = || -> Result<String, String> {
                let ingested = load(&file, &read)?;
                let tx = transactions
                    .as_ref()
                    .map(|tx_file| load(tx_file, &ReadArgs::default()).map(|tx| (tx_file, tx)))
                    .transpose()?;
                let json = crate::api::nps(&ingested.dataset, latest, tx.as_ref().map(|(_, tx)| &tx.dataset)).map_err(|e| {
                    // A file that cannot be joined is named as the one at fault.
                    let at_fault = match (&tx, e.code.as_str()) {
                        (Some((tx_file, _)), code) if code != "no_responses" => tx_file,
                        _ => &file,
                    };
                    format!("{}: {e}", at_fault.display())
                })?;
                serde_json::to_string_pretty(&json).map_err(|e| e.to_string())
            };
            match run().and_then(|json| print(&json)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(e),
            }
        }
        Command::Clv { file, read, calibration_end, holdout_end, unit, horizon_months, discount, customers, format: _ } => {
            let run = || -> Result<String, String> {
                use crate::core::clv::form::{ClvParamsError, MAX_HORIZON_MONTHS};
                use crate::core::clv::{analyse, summary::Unit, ClvParams};
                let day = |flag: &str, v: &str| crate::core::values::parse_iso_date(v).map_err(|e| format!("--{flag} {v}: {e}"));
                let params = ClvParams {
                    calibration_end: Some(day("calibration-end", &calibration_end)?),
                    holdout_end: holdout_end.as_deref().map(|h| day("holdout-end", h)).transpose()?,
                    unit: if unit == "day" { Unit::Day } else { Unit::Week },
                    horizon_months,
                    discount_monthly: discount,
                };
                // The page's rules, worded by flag.
                let params = match params.check() {
                    Ok(valid) => valid,
                    Err(ClvParamsError::Discount(_)) => {
                        return Err(format!("--discount {discount}: a monthly rate from 0 to 1, e.g. 0.01"))
                    }
                    Err(ClvParamsError::Horizon(_)) => {
                        return Err(format!("--horizon-months {horizon_months}: 1 to {MAX_HORIZON_MONTHS} months"))
                    }
                    Err(e @ ClvParamsError::HoldoutBeforeCalibration) => return Err(format!("{}: {e}", file.display())),
                };
                let ingested = load(&file, &read)?;
                let report = analyse(&ingested.dataset, &params).map_err(|e| format!("{}: {e}", file.display()))?;
                if let Some(out) = &customers {
                    let mut w = csv::Writer::from_path(out).map_err(|e| format!("{}: {e}", out.display()))?;
                    for row in &report.rows {
                        w.serialize(row).map_err(|e| format!("{}: {e}", out.display()))?;
                    }
                    w.flush().map_err(|e| format!("{}: {e}", out.display()))?;
                }
                serde_json::to_string_pretty(&report).map_err(|e| e.to_string())
            };
            match run().and_then(|json| print(&json)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(e),
            }
        }
        Command::Segments { file, read, rules, compact } => {
            with_rules(&file, &read, &rules, |ds, params| {
                let summary = params.segmentation(ds)?.summary();
                // With a member list, its acquisition funnel beside the segmentation.
                match params.members() {
                    Some(members) => {
                        let mut value = serde_json::to_value(&summary).map_err(|e| ApiError::new("internal", e))?;
                        value["funnel"] = crate::api::funnel(ds, members, params, None, None)?;
                        json(&value, compact)
                    }
                    None => json(&summary, compact),
                }
            })
        }
        Command::Funnel { file, read, rules, compare, list, clv } => {
            if rules.members.is_none() {
                return fail("funnel needs the member or lead list: --members FILE");
            }
            with_rules(&file, &read, &rules, |ds, params| {
                let members = params.members().ok_or_else(|| ApiError::option("--members FILE"))?;
                match &list {
                    Some(which) => {
                        let rows = crate::api::funnel_list(ds, members, params, which)?;
                        Ok(crate::core::export::member_csv(&rows).trim_end().to_string())
                    }
                    None => {
                        let predicted = match clv {
                            true => Some(crate::core::clv::by_code(&crate::api::clv_whole_history(ds)?, &ds.customers)),
                            false => None,
                        };
                        json(&crate::api::funnel(ds, members, params, compare.as_deref(), predicted.as_deref())?, false)
                    }
                }
            })
        }
        Command::Cohorts { file, read, rules, format } => with_rules(&file, &read, &rules, |ds, params| {
            let cohorts = crate::api::cohorts(ds, params)?;
            if format == "json" {
                return json(&cohorts, false);
            }
            let mut w = csv::Writer::from_writer(Vec::new());
            for cell in cohorts.cells() {
                w.serialize(cell).map_err(ApiError::option)?;
            }
            let bytes = w.into_inner().map_err(|e| ApiError::option(e.error()))?;
            // `print` adds the last line end.
            Ok(String::from_utf8_lossy(&bytes).trim_end().to_string())
        }),
        Command::CrossSell { file, read, rules, anchor, targets, within_days, exclude_same_day, benchmark, format, compact } => {
            let options = crate::api::CrossSellOptions {
                anchor: crate::api::options::Names::Text(anchor),
                targets: crate::api::options::Names::Text(targets),
                within_days: Some(crate::api::options::Given::Text(within_days)),
                same_day: !exclude_same_day,
                benchmark: Some(crate::api::options::Given::Text(benchmark)),
            };
            with_rules(&file, &read, &rules, |ds, params| {
                let cross = options.params(flag)?;
                let seg = params.segmentation(ds)?;
                let x = crate::api::cross_sell(ds, &seg, &cross)?;
                if format == "json" {
                    return json(&x, compact);
                }
                let filter =
                    crate::core::report::segments::CustomerFilter::NotYet { anchor: cross.anchor, targets: cross.targets };
                // `print` adds the last line end.
                let mut rows = seg.rows(ds, &filter);
                params.sources(ds, &mut rows, |r| (r.customer_id.as_str(), &mut r.source));
                Ok(crate::core::export::customers_csv(&rows).trim_end().to_string())
            })
        }
        Command::Actions { file, read, rules, playbook, lang, action, clv, out, format, print_playbook } => {
            use crate::api::options::{ActionsOptions, PlaybookGiven};
            if print_playbook {
                let csv = crate::core::report::actions::Playbook::default_in(lang == "zh").to_csv();
                return match print(csv.trim_end()) {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => fail(e),
                };
            }
            let text = match &playbook {
                Some(path) => match std::fs::read_to_string(path) {
                    Ok(text) => Some(text),
                    Err(e) => return fail(format!("{}: {e}", path.display())),
                },
                None => None,
            };
            let options = ActionsOptions { playbook: text.map(PlaybookGiven::Text), lang: Some(lang), action };
            if let (Err(e), Some(path)) = (options.playbook(), &playbook) {
                return fail(format!("{}: {e}", path.display()));
            }
            with_rules(&file, &read, &rules, |ds, params| {
                let seg = params.segmentation(ds)?;
                let predicted = if clv { Some(crate::api::clv_by_code(ds)?) } else { None };
                let actions = crate::api::actions(&seg, &options, predicted.as_ref())?;
                if format == "json" {
                    return json(&actions, false);
                }
                let mut list = crate::api::action_rows(ds, &seg, &actions, &options, predicted.as_ref(), flag)?;
                params.sources(ds, &mut list, |r| (r.customer_id.as_str(), &mut r.source));
                let text = crate::core::export::action_csv(&list);
                match &out {
                    Some(path) => {
                        std::fs::write(path, &text)
                            .map_err(|e| ApiError::new("export_failed", format!("{}: {e}", path.display())))?;
                        eprintln!("wrote {} customers to {}", list.len(), path.display());
                        Ok(String::new())
                    }
                    None => Ok(text.trim_end().to_string()),
                }
            })
        }
        Command::FollowUp { file, read, rules, transactions, passives, clv } => {
            let tx = match transactions.as_ref().map(|t| load(t, &ReadArgs::default()).map_err(|e| e.to_string())).transpose() {
                Ok(tx) => tx,
                Err(e) => return fail(e),
            };
            with_rules(&file, &read, &rules, |answers, params| {
                // The answers are the file's; the orders are --transactions', else the file's too.
                let (ds, survey) = match &tx {
                    Some(t) => (&t.dataset, Some(answers)),
                    None => (answers, None),
                };
                let seg = params.segmentation(ds)?;
                let predicted = if clv { Some(crate::api::clv_by_code(ds)?) } else { None };
                let list = crate::api::follow_up(ds, &seg, survey, predicted.as_ref(), passives)?;
                Ok(crate::core::export::follow_up_csv(&list).trim_end().to_string())
            })
        }
        Command::Profile { file, read, rules, customer, survey, playbook, lang, clv, compact } => {
            use crate::api::options::{ActionsOptions, PlaybookGiven};
            let answers = match survey.as_ref().map(|s| load(s, &ReadArgs::default()).map_err(|e| e.to_string())).transpose() {
                Ok(a) => a,
                Err(e) => return fail(e),
            };
            let text = match &playbook {
                Some(path) => match std::fs::read_to_string(path) {
                    Ok(text) => Some(text),
                    Err(e) => return fail(format!("{}: {e}", path.display())),
                },
                None => None,
            };
            let options = ActionsOptions { playbook: text.map(PlaybookGiven::Text), lang: Some(lang), action: None };
            if let (Err(e), Some(path)) = (options.playbook(), &playbook) {
                return fail(format!("{}: {e}", path.display()));
            }
            with_rules(&file, &read, &rules, |ds, params| {
                let joined = crate::api::answers(ds, answers.as_ref().map(|a| &a.dataset));
                let seg = params.segmentation(ds)?;
                let report = if clv { Some(crate::api::clv_whole_history(ds)?) } else { None };
                let story =
                    crate::api::profile(ds, &seg, &customer, joined.as_ref(), report.as_ref(), Some(&options.playbook()?))?;
                json(&story, compact)
            })
        }
        Command::ClvGroups { file, read, rules } => with_rules(&file, &read, &rules, |ds, params| {
            let seg = params.segmentation(ds)?;
            let predicted = crate::api::clv_by_code(ds)?;
            json(&crate::core::report::clv_groups::clv_groups(ds, &seg, &predicted), false)
        }),
        Command::Winback { file, read, rules, winback_dormant_days, floor, clv, format } => {
            with_rules(&file, &read, &rules, |ds, params| {
                use crate::core::report::actions::{winback, WinbackParams};
                let seg = params.segmentation(ds)?;
                let predicted = if clv { Some(crate::api::clv_by_code(ds)?) } else { None };
                let w = winback(ds, &seg, predicted.as_ref(), WinbackParams { dormant_days: winback_dormant_days, floor });
                // A list of nobody would read as "no one to win back": refused with the reason.
                if let Some(note) = w.notes.first() {
                    return Err(crate::api::ApiError::new("no_amounts", note.clone()));
                }
                if format == "json" {
                    return json(&w, false);
                }
                Ok(crate::core::export::winback_csv(&w.rows).trim_end().to_string())
            })
        }
        Command::Pyramid { file, read, rules, compact } => {
            with_rules(&file, &read, &rules, |ds, params| json(&params.segmentation(ds)?.pyramid, compact))
        }
        Command::Facts { file, read, out } => {
            let written = match write_facts_aside(&file, &read, out.as_ref()) {
                Ok(true) => Ok(()),
                Ok(false) => read::load(&file, &read).and_then(|ingested| {
                    let text =
                        crate::core::export::facts_csv(&ingested.dataset).map_err(|e| format!("{}: {e}", file.display()))?;
                    match &out {
                        Some(path) => std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display())),
                        None => std::io::stdout().write_all(text.as_bytes()).map_err(|e| e.to_string()),
                    }
                }),
                Err(e) => Err(e),
            };
            match written {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(e),
            }
        }
        Command::FactsSql { file, read, engine, table } => {
            let engine = crate::core::export::facts_sql::Engine::from_key(&engine)
                .unwrap_or(crate::core::export::facts_sql::Engine::Spark);
            let sql = read::load(&file, &read).and_then(|ingested| {
                let statuses = read.options()?.exclude_statuses;
                crate::core::export::facts_sql::facts_sql(&ingested.report, engine, &table, statuses.as_deref())
                    .map_err(|e| format!("{}: {e}", file.display()))
            });
            match sql.and_then(|sql| print(&sql)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(e),
            }
        }
        Command::Sample { customers, seed, out } => {
            let result = if out.as_os_str() == "-" {
                let stdout = std::io::stdout();
                let mut lock = std::io::BufWriter::new(stdout.lock());
                sample::write(customers, seed, &mut lock, sample::HOLD).and_then(|s| lock.flush().map(|_| s))
            } else {
                std::fs::File::create(&out).and_then(|f| {
                    let mut w = std::io::BufWriter::new(f);
                    sample::write(customers, seed, &mut w, sample::HOLD).and_then(|s| w.flush().map(|_| s))
                })
            };
            match result {
                Ok(stats) => {
                    eprintln!("wrote {} rows for {} customers to {}", stats.rows, stats.customers, out.display());
                    ExitCode::SUCCESS
                }
                // `sample - | head`: the reader has what it wanted.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => fail(format!("{}: {e}", out.display())),
            }
        }
    }
}
