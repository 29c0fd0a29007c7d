//! The command line's commands and flags (clap), and their conversion to the core's options and
//! rules.

use super::*;

#[derive(Parser)]
#[command(
    name = "loyalty-lens",
    version,
    about = "Customer analytics on your own machine: nothing is uploaded anywhere",
    after_help = "Memory: the commands that read a file hold its rows (about 100 bytes a row of a ten-column export), \
                  except on UTF-8 delimited text of 256 MiB and more `rfm`, which puts the rows aside in temporary files \
                  and holds only its customers, and `inspect`, which counts them as they pass. `sample` writes as it \
                  generates."
)]
pub(super) struct Cli {
    #[command(subcommand)]
    pub(super) command: Command,
}

// Parsed once per run: the size of the largest variant costs nothing worth boxing for.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
pub(super) enum Command {
    /// Read a file and print, as JSON, what was understood: format, encoding, columns, roles,
    /// rows accepted, customers, date range, and every rejected row with its reason.
    ///
    /// Memory: a UTF-8 text file of 256 MiB and more is read without keeping its rows, its
    /// totals counted as they pass; LOYALTY_LENS_SPILL=1 does so whatever the size, 0 never.
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
    ///
    /// Memory: a UTF-8 text file of 256 MiB and more is read with its rows put aside in temporary
    /// files (in TMPDIR, 38 bytes a row, removed at the end), so that memory grows with its
    /// customers, not its rows; LOYALTY_LENS_SPILL=1 does so whatever the size, 0 never.
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
    /// Print the loyalty pyramid as JSON: customers ranked by a measure and cut into tiers (default
    /// 5% super fans / 30% active / 65% base), each tier's customers, revenue, orders, repurchase,
    /// value multiple against the base and NPS, and the loyalty ladder.
    Pyramid {
        file: PathBuf,
        #[command(flatten)]
        read: ReadArgs,
        #[command(flatten)]
        rules: RuleArgs,
        /// Print the JSON on one line.
        #[arg(long)]
        compact: bool,
    },
    /// Print the cohort triangle: customers by the period of their first order, and for each cohort,
    /// period by period, how many bought, the revenue they brought and how many had ordered twice.
    /// CSV columns: cohort,customers,k,period,active,retention,revenue,revenue_retained,repeat,repeat_share.
    Cohorts {
        file: PathBuf,
        #[command(flatten)]
        read: ReadArgs,
        #[command(flatten)]
        rules: RuleArgs,
        /// Output format.
        #[arg(long, default_value = "csv", value_parser = ["csv", "json"])]
        format: String,
    },
    /// The acquisition funnel: a member or lead list (id, registration date, source) joined to the
    /// orders of FILE by id — per source and per registration period, leads → first order → second
    /// order with Wilson intervals, median days to the first order and revenue per lead (members
    /// who had ordered before registering counted apart), as JSON. `--compare A B` tests source B's
    /// conversion against A's; `--list never|once` writes those members instead (CSV columns
    /// member_id,registered,source,orders_after,first_order_after).
    Funnel {
        file: PathBuf,
        #[command(flatten)]
        read: ReadArgs,
        #[command(flatten)]
        rules: RuleArgs,
        /// Two sources whose first-order conversion to compare.
        #[arg(long, num_args = 2, value_names = ["A", "B"])]
        compare: Option<Vec<String>>,
        /// The members registered and never bought, or who bought once, as CSV.
        #[arg(long, value_parser = ["never", "once"])]
        list: Option<String>,
        /// Fit the CLV models on the whole history for each group's predicted value per lead.
        #[arg(long)]
        clv: bool,
    },
    /// Cross-purchase in sequence: of the customers who bought an anchor category, the share who
    /// bought a target category within N days of their first anchor purchase (those with fewer
    /// than N days seen are left out, as too recent), the median days, the test against a
    /// benchmark, and the share by period of the first anchor purchase, as JSON. With `--format
    /// csv`, the anchor buyers with no target yet, in the customer lists' columns.
    CrossSell {
        file: PathBuf,
        #[command(flatten)]
        read: ReadArgs,
        #[command(flatten)]
        rules: RuleArgs,
        /// Anchor categories, separated by commas (e.g. 手机).
        #[arg(long, value_name = "NAMES")]
        anchor: String,
        /// Target categories, separated by commas (e.g. 穿戴设备,智能家居).
        #[arg(long, value_name = "NAMES")]
        targets: String,
        /// A target bought this many days after the anchor at most counts.
        #[arg(long, default_value = "180")]
        within_days: String,
        /// A target bought on the anchor's day does not count.
        #[arg(long)]
        exclude_same_day: bool,
        /// The share to compare with (e.g. 0.28 for an industry 28%), or none.
        #[arg(long, default_value = "0.28")]
        benchmark: String,
        #[arg(long, default_value = "json", value_parser = ["json", "csv"])]
        format: String,
        /// Print the JSON on one line.
        #[arg(long)]
        compact: bool,
    },
    /// Give every customer one action by a playbook (RFM segment × lifecycle stage × pyramid tier,
    /// first matching row wins; default: the built-in one) and write the action lists: CSV columns
    /// customer_id,action,channel,priority,segment,r,f,m,pyramid_tier,stage,state,last_order,orders,
    /// spend,clv,p_alive,nps_score,nps_comment. `--format json` prints each action's totals instead.
    Actions {
        file: PathBuf,
        #[command(flatten)]
        read: ReadArgs,
        #[command(flatten)]
        rules: RuleArgs,
        /// The playbook, CSV (segment,stage,pyramid,action,channel,priority,response_rate) or JSON.
        #[arg(long, value_name = "FILE")]
        playbook: Option<PathBuf>,
        /// The language of the built-in playbook's action names.
        #[arg(long, default_value = "en", value_parser = ["en", "zh"])]
        lang: String,
        /// Only this action's customers.
        #[arg(long, value_name = "NAME")]
        action: Option<String>,
        /// Fit the CLV models on the whole history to fill the clv and p_alive columns.
        #[arg(long)]
        clv: bool,
        /// Write the list here instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[arg(long, default_value = "csv", value_parser = ["csv", "json"])]
        format: String,
        /// Print the built-in playbook as CSV (to edit and pass back with --playbook) and stop.
        #[arg(long)]
        print_playbook: bool,
    },
    /// Win-back priorities: the customers in 退化期 or with no order for --dormant-days, ranked by
    /// value at risk (predicted CLV × (1 − P(alive)) with --clv, else 12-month spend), split at a
    /// value floor (default: their median) into a second development and letting go. CSV columns
    /// customer_id,stage,recency_days,spend_12_months,clv,p_alive,value_at_risk,invest.
    Winback {
        file: PathBuf,
        #[command(flatten)]
        read: ReadArgs,
        #[command(flatten)]
        rules: RuleArgs,
        #[arg(long, default_value_t = 180)]
        winback_dormant_days: i32,
        /// Value at risk from which a customer is worth a second development (default: the median).
        #[arg(long)]
        floor: Option<f64>,
        /// Fit the CLV models on the whole history for CLV and P(alive).
        #[arg(long)]
        clv: bool,
        #[arg(long, default_value = "csv", value_parser = ["csv", "json"])]
        format: String,
    },
    /// Predicted CLV (the models fitted on the whole history) rolled up by pyramid tier, RFM segment,
    /// lifecycle stage, first-purchase channel and membership tier, each group's share of CLV beside
    /// its share of customers, and the top pyramid tier's mean CLV as a multiple of the bottom
    /// tier's with its bootstrap interval, as JSON.
    ClvGroups {
        file: PathBuf,
        #[command(flatten)]
        read: ReadArgs,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// The follow-up list of complaints (投诉闭环): customers whose latest answer is a detractor's
    /// (with --passives, also a passive's), with its comment, every score they gave and their
    /// value, the most valuable first. CSV columns: customer_id,score,category,answered,comment,
    /// history,segment,stage,last_order,orders,spend,clv.
    FollowUp {
        /// The file with the answers (and the orders, unless --transactions names them).
        file: PathBuf,
        #[command(flatten)]
        read: ReadArgs,
        #[command(flatten)]
        rules: RuleArgs,
        /// The transactions to join the answers to by customer id.
        #[arg(long, value_name = "FILE")]
        transactions: Option<PathBuf>,
        /// Passives (7–8) too.
        #[arg(long)]
        passives: bool,
        /// Fit the CLV models on the whole history: value by predicted CLV.
        #[arg(long)]
        clv: bool,
    },
    /// One customer's story as JSON: every order and return on a timeline (amount, categories,
    /// channels), the state and lifecycle stage in each period, RFM scores, segment, tiers, the
    /// action under the playbook (default: the built-in one), the answers given and, with --clv,
    /// P(alive), expected purchases and CLV.
    Profile {
        file: PathBuf,
        #[command(flatten)]
        read: ReadArgs,
        #[command(flatten)]
        rules: RuleArgs,
        /// The customer's id, as written in the file.
        #[arg(long, value_name = "ID")]
        customer: String,
        /// Survey answers to join by customer id (the file's own score column otherwise).
        #[arg(long, value_name = "FILE")]
        survey: Option<PathBuf>,
        /// The playbook, CSV or JSON (as `actions --playbook`).
        #[arg(long, value_name = "FILE")]
        playbook: Option<PathBuf>,
        /// The language of the built-in playbook's action names.
        #[arg(long, default_value = "en", value_parser = ["en", "zh"])]
        lang: String,
        /// Fit the CLV models on the whole history for P(alive), expected purchases and CLV.
        #[arg(long)]
        clv: bool,
        /// Print the JSON on one line.
        #[arg(long)]
        compact: bool,
    },
    /// Write the customer facts file of FILE: one row per customer (first and last purchase,
    /// orders, net and 12-month spend, first channel, latest member level, their labels, and their
    /// lines — the rows of each order on each day, added up exactly), which the app and every
    /// command read in place of the transactions with the same results. CSV columns:
    /// loyalty_lens_facts,customer,first_purchase,last_purchase,orders,net_spend,spend_12_months,
    /// first_channel,member_level,categories,channels,levels,lines_by_order,lines_without_order.
    ///
    /// Memory: a UTF-8 text file of 256 MiB and more is read with its rows put aside in temporary
    /// files (as `rfm` reads it) and the facts written a bucket of customers at a time, so that
    /// memory grows with its customers, not its rows; LOYALTY_LENS_SPILL=1 does so whatever the
    /// size, 0 never. With --out the file is written under another name beside it and renamed once
    /// complete.
    Facts {
        file: PathBuf,
        #[command(flatten)]
        read: ReadArgs,
        /// Output file (default: standard output).
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
    /// Print the SQL of the customer facts job for Apache Spark or DuckDB: it computes, where the
    /// order lines are, the facts file `facts` writes, following the rules FILE is read with (its
    /// mapping, amounts, dates, statuses, cancellations, refunds). FILE is the table's export, or
    /// a sample of it with the same columns; TABLE is the table or view with the rows in file
    /// order. See jobs/facts_job.py for a spark-submit entry point.
    FactsSql {
        file: PathBuf,
        #[command(flatten)]
        read: ReadArgs,
        #[arg(long, value_parser = ["spark", "duckdb"])]
        engine: String,
        /// The table or view the SQL reads.
        #[arg(long, default_value = "transactions")]
        table: String,
    },
    /// Write the demo dataset (a consumer-electronics brand's orders) as CSV, in time order. Memory
    /// stays near a million rows whatever the size: a bigger sample is sorted in parts spilled to
    /// temporary files (as much disk again as the file).
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
pub(super) struct RuleArgs {
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
    /// Formation when recent orders or spend exceed this factor × the earlier rate.
    #[arg(long, default_value = "1.25")]
    rise: String,
    /// Decline when recent orders or spend fall below this factor × the earlier rate.
    #[arg(long, default_value = "0.75")]
    fall: String,
    /// Stability needs at least this many orders in the lifecycle window.
    #[arg(long, default_value = "2")]
    stable_orders: String,
    /// Stability needs at least this much spend in the lifecycle window.
    #[arg(long, default_value = "0")]
    stable_spend: String,
    #[arg(long, default_value = "month", value_parser = ["month", "quarter"])]
    period: String,
    #[arg(long, default_value = "365")]
    churn_days: String,
    #[arg(long, default_value = "180")]
    dormant_days: String,
    /// A file with the segment map, one segment per line: `Name: 555 554 …`.
    #[arg(long, value_name = "FILE")]
    segment_map: Option<PathBuf>,
    /// What the loyalty pyramid ranks customers by: rfm (r + f + m), total_spend, spend_12m, or
    /// engagement (the score of `--events`: the pyramid of participation).
    #[arg(long, default_value = "rfm", value_parser = ["rfm", "total_spend", "spend_12m", "engagement"])]
    measure: Option<String>,
    /// The pyramid's tiers, top first: `Name: percent`, separated by commas (default
    /// `超级米粉 Super fans: 5, 活跃用户 Active: 30, 潜在用户 Base: 65`).
    #[arg(long, value_name = "NAME: P, …")]
    tiers: Option<String>,
    /// An engagement events file: customer id, date, event type (论坛发帖, 内测, 推荐好友 …),
    /// optionally points. Each customer's engagement score, the pyramid by engagement
    /// (`--measure engagement`) and its comparison with the pyramid by spend.
    #[arg(long, value_name = "FILE")]
    pub(super) events: Option<PathBuf>,
    /// A member or lead list: id, registration or lead date, source (渠道/来源). `funnel` reads
    /// the funnel from it (required there); `segments` adds that funnel as `funnel`; customer
    /// lists and campaign lists (`actions`, `cross-sell --format csv`) gain a `source` column.
    #[arg(long, value_name = "FILE")]
    pub(super) members: Option<PathBuf>,
    /// Weights per event type, `type: weight` separated by commas (a type not named weighs 1).
    #[arg(long, value_name = "TYPE: W, …")]
    event_weights: Option<String>,
    /// Days after which an event counts half in the engagement score.
    #[arg(long, default_value = "90")]
    half_life_days: String,
}

impl RuleArgs {
    pub(super) fn params(&self) -> Result<SegmentationParams, String> {
        let text = |t: &String| Some(Given::Text(t.clone()));
        let segment_map = match &self.segment_map {
            Some(path) => Some(std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?),
            None => None,
        };
        let rules = Rules {
            as_of: self.as_of.clone(),
            bins: text(&self.bins),
            r_thresholds: text(&self.r_thresholds),
            f_thresholds: text(&self.f_thresholds),
            m_thresholds: text(&self.m_thresholds),
            abc_a: text(&self.abc_a),
            abc_b: text(&self.abc_b),
            tier_shares: self.tier_shares.as_ref().and_then(text),
            tier_amounts: self.tier_amounts.as_ref().and_then(text),
            window_days: text(&self.window_days),
            rise: text(&self.rise),
            fall: text(&self.fall),
            stable_orders: text(&self.stable_orders),
            stable_spend: text(&self.stable_spend),
            period: Some(self.period.clone()),
            churn_days: text(&self.churn_days),
            dormant_days: text(&self.dormant_days),
            segment_map,
            measure: self.measure.clone(),
            tiers: self.tiers.clone(),
            event_weights: self.event_weights.clone(),
            half_life_days: text(&self.half_life_days),
            nps_latest: false,
        };
        rules.params(flag).map_err(|e| e.message)
    }
}

/// How to read the file; everything is detected unless given.
#[derive(clap::Args, Default)]
pub(super) struct ReadArgs {
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
    pub(super) fn options(&self) -> Result<IngestOptions, String> {
        let header = if self.header {
            Some(true)
        } else if self.no_header {
            Some(false)
        } else {
            None
        };
        let read = ReadOptions {
            map: self.map.clone(),
            encoding: self.encoding.clone(),
            delimiter: self.delimiter.clone(),
            header,
            sheet: self.sheet.clone(),
            date_order: self.date_order.clone(),
            decimal: self.decimal.clone(),
            amount_from: self.amount_from.clone(),
            exclude_status: self.exclude_status.clone(),
            keep_all_statuses: self.keep_all_statuses,
            currency: self.currency.clone(),
        };
        read.options(flag).map_err(|e| e.message)
    }
}

pub(super) fn thresholds(flag: &str, text: &Option<String>) -> Result<Scoring, String> {
    match text {
        None => Ok(Scoring::Ranked),
        Some(t) => t
            .split(',')
            .map(|x| x.trim().parse::<f64>().map_err(|_| format!("--{flag}: '{x}' is not a number")))
            .collect::<Result<Vec<_>, _>>()
            .map(Scoring::Thresholds),
    }
}
