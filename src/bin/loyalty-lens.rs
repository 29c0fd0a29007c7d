//! The native command line: the same core as the browser app, for files too big for a tab and for
//! scripts. Prints JSON on stdout; a file that cannot be used at all gets one line on stderr and a
//! non-zero exit.

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use clap::{Parser, Subcommand};
    use loyalty_lens::core::ingest::{ingest, IngestOptions, MapOverride};
    use loyalty_lens::core::sample::write_sample;
    use loyalty_lens::core::table::Format;
    use loyalty_lens::core::values::{DateOrder, DecimalMark};
    use std::io::Write;
    use std::path::PathBuf;
    use std::process::ExitCode;

    #[derive(Parser)]
    #[command(name = "loyalty-lens", version, about = "Customer analytics on your own machine: nothing is uploaded anywhere")]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

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

    /// How to read the file; everything is detected unless given.
    #[derive(clap::Args)]
    struct ReadArgs {
        /// Assign a role to a column: ROLE=COLUMN, COLUMN a header name or 1-based position; ROLE=
        /// unmaps. Roles: customer_id, date, amount, order_id, quantity, channel, category,
        /// member_level, score, comment.
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
            })
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
                let bytes = match std::fs::read(&file) {
                    Ok(b) => b,
                    Err(e) => return fail(format!("{}: {e}", file.display())),
                };
                let name = file.file_name().map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned());
                let ingested = match ingest(&bytes, &name, &options, &mut |_, _| {}) {
                    Ok(i) => i,
                    Err(e) => return fail(format!("{}: {e}", file.display())),
                };
                let report = &ingested.report;
                let json = if compact { serde_json::to_string(report) } else { serde_json::to_string_pretty(report) };
                match json {
                    Ok(text) => println!("{text}"),
                    Err(e) => return fail(e),
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
