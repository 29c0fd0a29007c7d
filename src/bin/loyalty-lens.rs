//! The native command line: the same core as the browser app, for files too big for a tab and for
//! scripts. Prints JSON on stdout; a file that cannot be used at all gets one line on stderr and a
//! non-zero exit.

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use clap::{Parser, Subcommand};
    use loyalty_lens::core::analysis::rfm::{RfmParams, Scoring};
    use loyalty_lens::core::ingest::split::{read_part, split_point, Part, Plan, Split, SPLIT_MIN};
    use loyalty_lens::core::ingest::table::Format;
    use loyalty_lens::core::ingest::{ingest, ingest_stream, AmountFrom, IngestOptions, MapOverride, Streamed, STREAM_PREFIX};
    use loyalty_lens::core::report::rules::RulesForm;
    use loyalty_lens::core::report::segments::{scored, segment, RfmRow, SegmentationParams};
    use loyalty_lens::core::sample::write_sample;
    use loyalty_lens::core::values::{format_day, parse_date, DateOrder, DecimalMark};
    use std::io::Write;
    use std::path::PathBuf;
    use std::process::ExitCode;

    #[derive(Parser)]
    #[command(name = "loyalty-lens", version, about = "Customer analytics on your own machine: nothing is uploaded anywhere")]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    // Parsed once per run: the size of the largest variant costs nothing worth boxing for.
    #[allow(clippy::large_enum_variant)]
    #[derive(Subcommand)]
    enum Command {
        /// Read a file and print, as JSON, what was understood: format, encoding, columns, roles,
        /// rows accepted, customers, date range, and every rejected row with its reason.
        Inspect {
            file: PathBuf,
            #[command(flatten)]
            read: ReadArgs,
            /// Print the JSON on one line.
            #[arg(long)]
            compact: bool,
        },
        /// Score every customer: RFM scores, the named segment and the Chinese 8-class segment.
        /// CSV columns: customer_id,recency_days,frequency,monetary,r,f,m,segment,cn_segment.
        Rfm {
            file: PathBuf,
            #[command(flatten)]
            read: ReadArgs,
            /// The day recency is measured to (default: the day after the last transaction).
            #[arg(long, value_name = "YYYY-MM-DD")]
            as_of: Option<String>,
            /// Number of score bins (2 to 10).
            #[arg(long, default_value_t = 5)]
            bins: u8,
            /// Recency thresholds in days, ascending, bins − 1 of them (e.g. 30,90,180,365).
            #[arg(long, value_name = "T1,T2,…")]
            r_thresholds: Option<String>,
            /// Frequency thresholds in orders, ascending (e.g. 2,3,5,10).
            #[arg(long, value_name = "T1,T2,…")]
            f_thresholds: Option<String>,
            /// Monetary thresholds, ascending.
            #[arg(long, value_name = "T1,T2,…")]
            m_thresholds: Option<String>,
            /// Output format.
            #[arg(long, default_value = "csv", value_parser = ["csv", "json"])]
            format: String,
        },
        /// Net Promoter Score of the file's score column, with its standard error and 95% interval
        /// (adjusted Wald below 100 answers), overall and by channel, as JSON.
        Nps {
            file: PathBuf,
            #[command(flatten)]
            read: ReadArgs,
            /// Keep only each customer's latest answer (default: all answers count).
            #[arg(long)]
            latest: bool,
            /// A transaction file to join the answers to by customer id: adds `joined` with NPS by
            /// RFM segment, lifecycle stage, membership tier and pyramid tier (default rules).
            #[arg(long, value_name = "FILE")]
            transactions: Option<PathBuf>,
            #[arg(long, default_value = "json", value_parser = ["json"])]
            format: String,
        },
        /// Customer lifetime value: BG/NBD, Pareto/NBD and Gamma-Gamma fitted by maximum likelihood
        /// on the purchases up to the calibration end, CLV over a horizon, and (with a holdout end)
        /// predicted against actual holdout purchases. JSON on stdout.
        Clv {
            file: PathBuf,
            #[command(flatten)]
            read: ReadArgs,
            /// Last day of the calibration period (YYYY-MM-DD).
            #[arg(long, value_name = "YYYY-MM-DD")]
            calibration_end: String,
            /// Last day of the holdout period (YYYY-MM-DD); purchases after the calibration end up
            /// to it are predicted and compared.
            #[arg(long, value_name = "YYYY-MM-DD")]
            holdout_end: Option<String>,
            /// Time unit of frequency, recency and T.
            #[arg(long, default_value = "week", value_parser = ["day", "week"])]
            unit: String,
            /// CLV horizon in months (of 30 days).
            #[arg(long, default_value_t = 12)]
            horizon_months: u32,
            /// Monthly discount rate, e.g. 0.01.
            #[arg(long, default_value_t = 0.01)]
            discount: f64,
            /// Also write every customer's predictions to this CSV file.
            #[arg(long, value_name = "OUT.csv")]
            customers: Option<PathBuf>,
            #[arg(long, default_value = "json", value_parser = ["json"])]
            format: String,
        },
        /// Print the whole segmentation as JSON: RFM segments, the Chinese 8-class model, the R×F
        /// grid, ABC/Pareto, membership tiers, lifecycle stages, customer states with transition
        /// matrices and projection, and the loyalty KPIs, each with the rule used.
        Segments {
            file: PathBuf,
            #[command(flatten)]
            read: ReadArgs,
            #[command(flatten)]
            rules: RuleArgs,
            /// Print the JSON on one line.
            #[arg(long)]
            compact: bool,
        },
        /// Write the demo dataset (a consumer-electronics brand's orders) as CSV.
        Sample {
            /// Number of customers (about 8 rows each).
            #[arg(long, default_value_t = 20_000)]
            customers: usize,
            #[arg(long, default_value_t = 42)]
            seed: u64,
            /// Output file, or - for standard output.
            out: PathBuf,
        },
    }

    /// Every segmentation rule; defaults as in the app.
    #[derive(clap::Args)]
    struct RuleArgs {
        /// The day recency is measured to (default: the day after the last transaction).
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        #[arg(long, default_value = "5")]
        bins: String,
        /// Recency thresholds in days, ascending (default: by rank).
        #[arg(long, default_value = "")]
        r_thresholds: String,
        #[arg(long, default_value = "")]
        f_thresholds: String,
        #[arg(long, default_value = "")]
        m_thresholds: String,
        /// Percent of revenue in class A.
        #[arg(long, default_value = "80")]
        abc_a: String,
        /// Percent of revenue in class B.
        #[arg(long, default_value = "15")]
        abc_b: String,
        /// Tiers by percent of customers for 钻石,金卡,银卡 (when no member level is mapped).
        #[arg(long, value_name = "P1,P2,P3", conflicts_with = "tier_amounts")]
        tier_shares: Option<String>,
        /// Tiers by minimum 12-month spend for 钻石,金卡,银卡.
        #[arg(long, value_name = "A1,A2,A3")]
        tier_amounts: Option<String>,
        /// Lifecycle window in days.
        #[arg(long, default_value = "180")]
        window_days: String,
        /// Formation when recent orders exceed this factor × the earlier rate.
        #[arg(long, default_value = "1.25")]
        rise: String,
        /// Decline when recent orders fall below this factor × the earlier rate.
        #[arg(long, default_value = "0.75")]
        fall: String,
        #[arg(long, default_value = "month", value_parser = ["month", "quarter"])]
        period: String,
        #[arg(long, default_value = "365")]
        churn_days: String,
        #[arg(long, default_value = "180")]
        dormant_days: String,
        /// A file with the segment map, one segment per line: `Name: 555 554 …`.
        #[arg(long, value_name = "FILE")]
        segment_map: Option<PathBuf>,
    }

    impl RuleArgs {
        fn params(&self) -> Result<SegmentationParams, String> {
            let base = SegmentationParams::default();
            let mut form = RulesForm::from_params(&base, None);
            form.as_of = self.as_of.clone().unwrap_or_default();
            form.bins = self.bins.clone();
            form.r_thresholds = self.r_thresholds.clone();
            form.f_thresholds = self.f_thresholds.clone();
            form.m_thresholds = self.m_thresholds.clone();
            form.abc_a = self.abc_a.clone();
            form.abc_b = self.abc_b.clone();
            let three = |flag: &str, text: &str| -> Result<[String; 3], String> {
                let parts: Vec<String> = text.split(',').map(|x| x.trim().to_string()).collect();
                <[String; 3]>::try_from(parts).map_err(|_| format!("--{flag} takes three numbers, e.g. 5,15,30"))
            };
            if let Some(t) = &self.tier_shares {
                form.tier_mode = "share".into();
                form.tiers = three("tier-shares", t)?;
            }
            if let Some(t) = &self.tier_amounts {
                form.tier_mode = "amount".into();
                form.tiers = three("tier-amounts", t)?;
            }
            form.window_days = self.window_days.clone();
            form.rise = self.rise.clone();
            form.fall = self.fall.clone();
            form.period = self.period.clone();
            form.churn_days = self.churn_days.clone();
            form.dormant_days = self.dormant_days.clone();
            if let Some(path) = &self.segment_map {
                form.segments = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            }
            form.to_params(&base).map_err(|e| e.to_string())
        }
    }

    /// How to read the file; everything is detected unless given.
    #[derive(clap::Args, Default)]
    struct ReadArgs {
        /// Assign a role to a column: ROLE=COLUMN, COLUMN a header name or 1-based position; ROLE=
        /// unmaps. Roles: customer_id, date, amount, order_id, quantity, channel, category,
        /// member_level, score, comment, unit_price, order_status, refund_amount.
        #[arg(long = "map", value_name = "ROLE=COLUMN")]
        map: Vec<String>,
        /// Text encoding (UTF-8, GBK, GB18030, UTF-16LE, …).
        #[arg(long)]
        encoding: Option<String>,
        /// Delimiter: csv (,), tsv (tab), semicolon, pipe, whitespace.
        #[arg(long)]
        delimiter: Option<String>,
        /// The first row is a header.
        #[arg(long, conflicts_with = "no_header")]
        header: bool,
        /// The first row is data.
        #[arg(long)]
        no_header: bool,
        /// Excel sheet, by name or 1-based position.
        #[arg(long)]
        sheet: Option<String>,
        /// How to read dates like 03/04/2024: dmy or mdy.
        #[arg(long, value_name = "ymd|dmy|mdy")]
        date_order: Option<String>,
        /// Decimal mark of amounts: dot or comma.
        #[arg(long, value_name = "dot|comma")]
        decimal: Option<String>,
        /// How each row's amount is made: amount (the amount column), quantity-x-unit-price, or
        /// unit-price (default: the amount column when one is mapped, else quantity × unit price).
        #[arg(long, value_name = "amount|quantity-x-unit-price|unit-price")]
        amount_from: Option<String>,
        /// Leave out rows with this order status (repeat for more); replaces the default, which
        /// leaves out statuses that mean no sale (closed, cancelled, refunded, unpaid, …).
        #[arg(long = "exclude-status", value_name = "STATUS", conflicts_with = "keep_all_statuses")]
        exclude_status: Vec<String>,
        /// Keep rows of every order status.
        #[arg(long)]
        keep_all_statuses: bool,
        /// The currency of the amounts, an ISO code such as CNY or USD (default: from the symbols
        /// or codes in the file).
        #[arg(long, value_name = "CODE")]
        currency: Option<String>,
    }

    impl ReadArgs {
        fn options(&self) -> Result<IngestOptions, String> {
            let format = match &self.delimiter {
                Some(d) => Some(
                    Format::from_key(d)
                        .ok_or_else(|| format!("unknown delimiter '{d}' (csv, tsv, semicolon, pipe, whitespace)"))?,
                ),
                None => None,
            };
            let date_order = match &self.date_order {
                Some(d) => Some(DateOrder::from_key(d).ok_or_else(|| format!("unknown date order '{d}' (ymd, dmy, mdy)"))?),
                None => None,
            };
            let decimal_mark = match self.decimal.as_deref().map(str::trim) {
                Some("dot" | ".") => Some(DecimalMark::Dot),
                Some("comma" | ",") => Some(DecimalMark::Comma),
                Some(other) => return Err(format!("unknown decimal mark '{other}' (dot, comma)")),
                None => None,
            };
            Ok(IngestOptions {
                encoding: self.encoding.clone(),
                format,
                header: if self.header {
                    Some(true)
                } else if self.no_header {
                    Some(false)
                } else {
                    None
                },
                sheet: self.sheet.clone(),
                date_order,
                decimal_mark,
                map: self.map.iter().map(|m| MapOverride::parse(m)).collect::<Result<_, _>>()?,
                amount_from: match &self.amount_from {
                    Some(a) => Some(
                        AmountFrom::from_key(a)
                            .ok_or_else(|| format!("unknown --amount-from '{a}' (amount, quantity-x-unit-price, unit-price)"))?,
                    ),
                    None => None,
                },
                currency: self.currency.clone(),
                exclude_statuses: if self.keep_all_statuses {
                    Some(Vec::new())
                } else {
                    (!self.exclude_status.is_empty()).then(|| self.exclude_status.clone())
                },
            })
        }
    }

    fn thresholds(flag: &str, text: &Option<String>) -> Result<Scoring, String> {
        match text {
            None => Ok(Scoring::Ranked),
            Some(t) => t
                .split(',')
                .map(|x| x.trim().parse::<f64>().map_err(|_| format!("--{flag}: '{x}' is not a number")))
                .collect::<Result<Vec<_>, _>>()
                .map(Scoring::Thresholds),
        }
    }

    /// Reads a file for an analysis; `Err` is the message to print.
    fn load(file: &PathBuf, read: &ReadArgs) -> Result<loyalty_lens::core::ingest::Ingested, String> {
        let options = read.options()?;
        read_file(file, &options).map_err(|e| format!("{}: {e}", file.display()))
    }

    /// Reads a file as it streams from disk when it is UTF-8 delimited text (a few megabytes in
    /// memory, whatever its size), else whole. Text of [`SPLIT_MIN`] bytes and more is read on two
    /// cores: the second half on another thread (see `core::ingest::split`).
    fn read_file(file: &PathBuf, options: &IngestOptions) -> Result<loyalty_lens::core::ingest::Ingested, String> {
        read_file_split(file, options, true)
    }

    fn read_file_split(
        file: &PathBuf,
        options: &IngestOptions,
        split: bool,
    ) -> Result<loyalty_lens::core::ingest::Ingested, String> {
        use std::io::{Read, Seek};
        let name = file.file_name().map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned());
        let mut handle = std::fs::File::open(file).map_err(|e| e.to_string())?;
        let size = handle.metadata().map_err(|e| e.to_string())?.len();
        let mut prefix = Vec::new();
        (&mut handle).take(STREAM_PREFIX as u64).read_to_end(&mut prefix).map_err(|e| e.to_string())?;
        let mut helper = None;
        let mut begin = |plan: &Plan| {
            let (plan, path) = (plan.clone(), file.clone());
            let read = move || -> Result<Part, String> {
                let mut tail = std::fs::File::open(path).map_err(|e| e.to_string())?;
                tail.seek(std::io::SeekFrom::Start(plan.from())).map_err(|e| e.to_string())?;
                read_part(&plan, &mut std::io::BufReader::with_capacity(1 << 20, tail), &mut |_, _| {})
            };
            helper = std::thread::Builder::new().name("read-tail".into()).spawn(read).ok();
            helper.is_some()
        };
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let split = (split && cores > 1 && size >= SPLIT_MIN).then(|| Split { at: split_point(size), begin: &mut begin });
        match ingest_stream(&prefix, &mut handle, size, &name, options, split, &mut |_, _| {}).map_err(|e| e.to_string())? {
            Streamed::Read(ingested) => Ok(*ingested),
            Streamed::Split(pending) => {
                let part = helper.take().and_then(|h| h.join().ok()).and_then(Result::ok);
                match part.and_then(|part| pending.join(part.into())) {
                    Some(ingested) => Ok(ingested),
                    // The split point fell inside a multi-line cell: read it again on one core.
                    None => read_file_split(file, options, false),
                }
            }
            Streamed::Whole => {
                let bytes = std::fs::read(file).map_err(|e| e.to_string())?;
                ingest(&bytes, &name, options, &mut |_, _| {}).map_err(|e| e.to_string())
            }
        }
    }

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
        let ingested = load(file, read)?;
        let dataset = &ingested.dataset;
        // Only the RFM part of the segmentation: the rest is not printed.
        let (facts, rfm) = &scored(dataset, as_of, &params).map_err(|e| format!("{}: {e}", file.display()))?;
        // In the order of the customers' first appearance in the file.
        let rows = (0..facts.customers.len()).map(|i| RfmRow::of(dataset, facts, rfm, i));
        let write = || -> std::io::Result<()> {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            if format == "json" {
                let rows: Vec<RfmRow> = rows.collect();
                let report = RfmReport {
                    as_of: format_day(facts.as_of),
                    bins,
                    customers: rows.len(),
                    rows_after_as_of: facts.rows_after_as_of,
                    mean_recency_days: rfm.mean_recency,
                    mean_frequency: rfm.mean_frequency,
                    mean_monetary: rfm.mean_monetary,
                    rows,
                };
                serde_json::to_writer_pretty(&mut out, &report)?;
                writeln!(out)?;
            } else {
                // Built in memory first so that a closed pipe surfaces as an I/O error of that kind.
                let mut w = csv::Writer::from_writer(Vec::new());
                for row in rows {
                    w.serialize(row)?;
                }
                out.write_all(&w.into_inner().map_err(|e| e.into_error())?)?;
            }
            out.flush()
        };
        match write() {
            // `| head` closed the pipe: the reader has what it wanted.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
            Err(e) => return Err(e.to_string()),
            Ok(()) => {}
        }
        if facts.rows_after_as_of > 0 {
            eprintln!(
                "loyalty-lens: {} row(s) dated after the as-of date {} were left out",
                facts.rows_after_as_of,
                format_day(facts.as_of)
            );
        }
        Ok(())
    }

    /// `rfm --format json`.
    #[derive(serde::Serialize)]
    struct RfmReport<'a> {
        as_of: String,
        bins: u8,
        customers: usize,
        rows_after_as_of: usize,
        /// The means the 8-class model compares against.
        mean_recency_days: f64,
        mean_frequency: f64,
        mean_monetary: f64,
        rows: Vec<RfmRow<'a>>,
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
                let ingested = match read_file(&file, &options) {
                    Ok(i) => i,
                    Err(e) => return fail(format!("{}: {e}", file.display())),
                };
                let report = &ingested.report;
                let json = if compact { serde_json::to_string(report) } else { serde_json::to_string_pretty(report) };
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
                    use loyalty_lens::core::analysis::nps::{from_dataset, Survey};
                    use loyalty_lens::core::report::nps_page::summary;
                    let ingested = load(&file, &read)?;
                    let report = from_dataset(&ingested.dataset, latest).map_err(|e| format!("{}: {e}", file.display()))?;
                    let mut json = serde_json::to_value(&report).map_err(|e| e.to_string())?;
                    if let Some(tx_file) = &transactions {
                        let tx = load(tx_file, &ReadArgs::default())?;
                        let survey = Survey::joined(&ingested.dataset, &tx.dataset.customers);
                        let params = loyalty_lens::core::report::segments::SegmentationParams::default();
                        let seg = loyalty_lens::core::report::segments::segment_with(&tx.dataset, Some(&survey), None, &params)
                            .map_err(|e| format!("{}: {e}", tx_file.display()))?;
                        let s = summary(&survey, Some(&seg), params.states.period, latest).map_err(|e| e.to_string())?;
                        let by = |groups: &[loyalty_lens::core::report::nps_page::GroupNps]| {
                            groups.iter().map(|g| (g.key.clone(), g.nps.clone())).collect::<std::collections::BTreeMap<_, _>>()
                        };
                        json["joined"] = serde_json::json!({
                            "matched": s.matched,
                            "by_segment": by(&s.by_segment),
                            "by_stage": by(&s.by_stage),
                            "by_tier": by(&s.by_tier),
                            "by_pyramid": by(&s.by_pyramid),
                        });
                    }
                    serde_json::to_string_pretty(&json).map_err(|e| e.to_string())
                };
                match run().and_then(|json| print(&json)) {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => fail(e),
                }
            }
            Command::Clv { file, read, calibration_end, holdout_end, unit, horizon_months, discount, customers, format: _ } => {
                let run = || -> Result<String, String> {
                    use loyalty_lens::core::clv::form::{ClvParamsError, MAX_HORIZON_MONTHS};
                    use loyalty_lens::core::clv::{analyse, summary::Unit, ClvParams};
                    let day = |flag: &str, v: &str| {
                        loyalty_lens::core::values::parse_iso_date(v).map_err(|e| format!("--{flag} {v}: {e}"))
                    };
                    let params = ClvParams {
                        calibration_end: Some(day("calibration-end", &calibration_end)?),
                        holdout_end: holdout_end.as_deref().map(|h| day("holdout-end", h)).transpose()?,
                        unit: if unit == "day" { Unit::Day } else { Unit::Week },
                        horizon_months,
                        discount_monthly: discount,
                    };
                    // The page's rules, worded by flag.
                    match params.check() {
                        Ok(()) => {}
                        Err(ClvParamsError::Discount(_)) => {
                            return Err(format!("--discount {discount}: a monthly rate from 0 to 1, e.g. 0.01"))
                        }
                        Err(ClvParamsError::Horizon(_)) => {
                            return Err(format!("--horizon-months {horizon_months}: 1 to {MAX_HORIZON_MONTHS} months"))
                        }
                        Err(e @ ClvParamsError::HoldoutBeforeCalibration) => return Err(format!("{}: {e}", file.display())),
                    }
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
                let run = || -> Result<String, String> {
                    let params = rules.params()?;
                    let ingested = load(&file, &read)?;
                    let seg = segment(&ingested.dataset, &params).map_err(|e| format!("{}: {e}", file.display()))?;
                    let summary = seg.summary();
                    if compact { serde_json::to_string(&summary) } else { serde_json::to_string_pretty(&summary) }
                        .map_err(|e| e.to_string())
                };
                match run().and_then(|json| print(&json)) {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => fail(e),
                }
            }
            Command::Sample { customers, seed, out } => {
                let result = if out.as_os_str() == "-" {
                    let stdout = std::io::stdout();
                    let mut lock = std::io::BufWriter::new(stdout.lock());
                    write_sample(customers, seed, &mut lock).and_then(|s| lock.flush().map(|_| s))
                } else {
                    std::fs::File::create(&out).and_then(|f| {
                        let mut w = std::io::BufWriter::new(f);
                        write_sample(customers, seed, &mut w).and_then(|s| w.flush().map(|_| s))
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
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
