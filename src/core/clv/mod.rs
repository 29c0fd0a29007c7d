//! Customer lifetime value: the buy-till-you-die models fitted to transactions and validated on a
//! holdout period.
//!
//! - [`summary`]: per customer x (repeat purchases), t_x (recency), T (age) and mean repeat value.
//! - [`bgnbd`]: BG/NBD (purchase and drop-out), [`pareto_nbd`]: Pareto/NBD, [`gamma_gamma`]: spend.
//! - [`fit`]: maximum likelihood with argmin (L-BFGS in log-parameter space, several starts),
//!   standard errors from the Hessian.
//! - [`analyse`]: everything the CLV page and `loyalty-lens clv` show.
//!
//! # CLV
//! CLV over H months with monthly discount rate d = Σ_{i=1..H} E[M] · (E[X(i months)] −
//! E[X((i−1) months)]) / (1 + d)^i, with E[X] from BG/NBD and E[M] from Gamma-Gamma, and a month
//! of 365.25 / 12 = 30.44 days (the lifetimes package uses 30 days, or 4.345 weeks, depending on
//! the unit).

pub mod bgnbd;
pub mod fit;
pub mod form;
pub mod gamma_gamma;
pub mod pareto_nbd;
pub mod run;
pub mod special;
pub mod summary;

use crate::core::dataset::Dataset;
use crate::core::values::{format_day, Day};
use serde::{Deserialize, Serialize};
use summary::{summarise, Summary, Unit};

/// The length of a month in the CLV sum.
pub const DAYS_PER_MONTH: f64 = 365.25 / 12.0;

/// (x, t_x, T) of one customer.
pub type Rft = (f64, f64, f64);

/// Why a model cannot be fitted.
#[derive(Debug, Clone, PartialEq)]
pub enum ClvError {
    Summary(String),
    /// Fewer than two customers.
    TooFew(usize),
    /// Nobody bought twice.
    NoRepeat,
    /// Every customer's first purchase is on the calibration end: no time has passed.
    OneDay,
    /// Customers whose repeat purchases have a zero or negative mean value.
    Spend(Vec<String>),
    Fit(String),
}

impl std::fmt::Display for ClvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Summary(m) => write!(f, "{m}"),
            Self::TooFew(n) => write!(f, "the models need at least 2 customers before the calibration end; there are {n}"),
            Self::NoRepeat => write!(
                f,
                "no customer bought again before the calibration end: the models learn purchase rates from repeat purchases; choose a later calibration end"
            ),
            Self::OneDay => write!(
                f,
                "all purchases are on the calibration end day: no time has passed to learn from; choose a later calibration end"
            ),
            Self::Spend(ids) => write!(
                f,
                "Gamma-Gamma needs positive spend from at least 2 repeat buyers; {} have a zero or negative mean value ({}{})",
                ids.len(),
                ids.iter().take(5).cloned().collect::<Vec<_>>().join(", "),
                if ids.len() > 5 { ", …" } else { "" }
            ),
            Self::Fit(m) => write!(f, "the fit failed: {m}"),
        }
    }
}

impl std::error::Error for ClvError {}

impl ClvError {
    /// A stable key for the page to translate.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Summary(_) => "clv_summary",
            Self::TooFew(_) => "clv_too_few",
            Self::NoRepeat => "clv_no_repeat",
            Self::OneDay => "clv_one_day",
            Self::Spend(_) => "clv_spend",
            Self::Fit(_) => "clv_fit",
        }
    }
}

/// Refuses data no model can learn from.
fn check_counts(data: &[Rft]) -> Result<(), ClvError> {
    if data.len() < 2 {
        return Err(ClvError::TooFew(data.len()));
    }
    if data.iter().all(|d| d.2 <= 0.0) {
        return Err(ClvError::OneDay);
    }
    if data.iter().all(|d| d.0 == 0.0) {
        return Err(ClvError::NoRepeat);
    }
    Ok(())
}

/// Distinct (x, t_x, T) with their counts, and the distinct x values with each group's index
/// into them: customers who look alike cost one evaluation, and terms that depend on x alone are
/// computed once per x.
struct Groups {
    groups: Vec<(Rft, f64)>,
    xs: Vec<f64>,
    x_index: Vec<usize>,
    /// Distinct times (t_x and T values together), and each group's indices of its t_x and T:
    /// ln(α + t) is then computed once per distinct time, not once per group.
    times: Vec<f64>,
    time_index: Vec<(usize, usize)>,
}

impl Groups {
    fn new(data: &[Rft]) -> Self {
        let groups = group(data);
        let mut xs: Vec<f64> = groups.iter().map(|g| g.0 .0).collect();
        xs.dedup();
        let x_index = groups.iter().map(|g| xs.partition_point(|&x| x < g.0 .0)).collect();
        let mut times: Vec<f64> = groups.iter().flat_map(|g| [g.0 .1, g.0 .2]).collect();
        times.sort_by(f64::total_cmp);
        times.dedup();
        let at = |t: f64| times.partition_point(|&v| v < t);
        let time_index = groups.iter().map(|g| (at(g.0 .1), at(g.0 .2))).collect();
        Self { groups, xs, x_index, times, time_index }
    }

    /// ln(c + t) for every distinct time t.
    fn ln_shifted(&self, c: f64) -> Vec<f64> {
        self.times.iter().map(|t| (c + t).ln()).collect()
    }
}

/// Distinct (x, t_x, T) with their counts, sorted by x.
fn group(data: &[Rft]) -> Vec<(Rft, f64)> {
    let mut sorted: Vec<Rft> = data.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.total_cmp(&b.2)));
    let mut out: Vec<(Rft, f64)> = Vec::new();
    for d in sorted {
        match out.last_mut() {
            Some((k, w)) if *k == d => *w += 1.0,
            _ => out.push((d, 1.0)),
        }
    }
    out
}

/// Settings of the CLV analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClvParams {
    /// Default: the last purchase day (no holdout).
    pub calibration_end: Option<Day>,
    pub holdout_end: Option<Day>,
    pub unit: Unit,
    pub horizon_months: u32,
    /// Per month, e.g. 0.01.
    pub discount_monthly: f64,
}

impl Default for ClvParams {
    fn default() -> Self {
        Self { calibration_end: None, holdout_end: None, unit: Unit::Week, horizon_months: 12, discount_monthly: 0.01 }
    }
}

/// A fitted model: its parameters, with how the fit went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fitted<P> {
    #[serde(flatten)]
    pub params: P,
    pub log_likelihood: f64,
    pub converged: bool,
    pub iterations: u64,
    /// Standard errors in the parameters' order.
    pub se: Option<Vec<f64>>,
}

impl<P> Fitted<P> {
    fn new(params: P, f: fit::Fit) -> Self {
        Self { params, log_likelihood: f.log_likelihood, converged: f.converged, iterations: f.iterations, se: f.se }
    }
}

/// Gamma-Gamma with the customers it was fitted on and the independence check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpendModel {
    #[serde(flatten)]
    pub fitted: Fitted<gamma_gamma::GammaGamma>,
    pub customers: usize,
    /// Correlation of frequency and mean value among repeat buyers (near 0 supports the model).
    pub frequency_value_correlation: Option<f64>,
    /// Repeat buyers left out of the fit because their mean value is zero or negative (their CLV
    /// uses the model's population mean value).
    pub left_out: Vec<String>,
}

/// One customer's predictions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerClv {
    pub customer_id: String,
    pub frequency: f64,
    pub recency: f64,
    #[serde(rename = "T")]
    pub t: f64,
    /// The mean value of the repeat purchases; `None` without amounts.
    pub monetary_value: Option<f64>,
    pub p_alive: f64,
    /// Expected purchases over the CLV horizon.
    pub expected_purchases: f64,
    /// Expected mean transaction value (Gamma-Gamma), when the spend model was fitted.
    pub expected_value: Option<f64>,
    pub clv: Option<f64>,
    /// Purchases in the holdout, actual and expected (only with a holdout).
    pub holdout_actual: Option<f64>,
    pub holdout_expected: Option<f64>,
}

/// Holdout purchases per calibration frequency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrequencyGroup {
    /// Repeat purchases in calibration; the last group holds this many or more.
    pub frequency: u32,
    pub customers: usize,
    pub actual: f64,
    pub expected: f64,
}

/// Calibration vs holdout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Validation {
    pub holdout_length: f64,
    pub by_frequency: Vec<FrequencyGroup>,
    /// Cumulative repeat purchases per week since the first purchase in the data: (week, actual,
    /// expected).
    pub tracking: Vec<(f64, f64, f64)>,
    pub mae_per_customer: f64,
    /// (expected − actual) / actual over all customers, in percent.
    pub total_error_percent: f64,
    pub actual_total: f64,
    pub expected_total: f64,
}

/// P(alive) and expected purchases over a grid of frequency × recency, for a customer of age T.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrMatrix {
    /// Repeat purchases 0..=max, one row each.
    pub frequencies: Vec<u32>,
    /// Recency (time of the last purchase since the first), one column each, 0..=T.
    pub recencies: Vec<f64>,
    pub t: f64,
    /// Expected purchases are over the next `horizon` units (one month).
    pub horizon: f64,
    /// `[frequency][recency]`.
    pub p_alive: Vec<Vec<f64>>,
    pub expected: Vec<Vec<f64>>,
}

/// The frequency/recency matrix of BG/NBD for the oldest customers' age, frequencies up to the
/// largest observed (at most 30) and `columns` recencies.
pub fn fr_matrix(bg: &bgnbd::BgNbd, s: &Summary, columns: usize) -> FrMatrix {
    let t = s.customers.iter().map(|c| c.t).fold(0.0, f64::max);
    let max_x = s.customers.iter().map(|c| c.x as u32).max().unwrap_or(0).min(30);
    let frequencies: Vec<u32> = (0..=max_x).collect();
    let columns = columns.max(2);
    let recencies: Vec<f64> = (0..columns).map(|k| t * k as f64 / (columns - 1) as f64).collect();
    let horizon = DAYS_PER_MONTH / s.unit.days();
    let grid = |f: &dyn Fn(f64, f64) -> f64| -> Vec<Vec<f64>> {
        frequencies.iter().map(|&x| recencies.iter().map(|&r| f(f64::from(x), if x == 0 { 0.0 } else { r })).collect()).collect()
    };
    FrMatrix {
        p_alive: grid(&|x, r| bg.p_alive(x, r, t)),
        expected: grid(&|x, r| bg.expected(horizon, x, r, t)),
        frequencies,
        recencies,
        t,
        horizon,
    }
}

/// Everything the CLV page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClvReport {
    pub customers: usize,
    pub unit: Unit,
    pub calibration_end: String,
    pub holdout_end: Option<String>,
    pub repeat_buyers: usize,
    pub bgnbd: Fitted<bgnbd::BgNbd>,
    pub pareto_nbd: Option<Fitted<pareto_nbd::ParetoNbd>>,
    /// Why Pareto/NBD could not be fitted.
    pub pareto_nbd_error: Option<String>,
    pub gamma_gamma: Option<SpendModel>,
    /// Why Gamma-Gamma could not be fitted (CLV needs it; the purchase predictions do not).
    pub gamma_gamma_error: Option<String>,
    pub horizon_months: u32,
    pub discount_monthly: f64,
    pub validation: Option<Validation>,
    pub matrix: FrMatrix,
    /// Sum of CLV over all customers.
    pub total_clv: Option<f64>,
    /// What the report leaves out and why (a file without amounts: no spend model, no CLV).
    #[serde(default)]
    pub notes: Vec<String>,
    #[serde(skip)]
    pub rows: Vec<CustomerClv>,
}

/// Fits the models and predicts every customer: [`prepare`], then [`fit_purchases`],
/// [`fit_pareto`] and [`fit_spend`], then [`report`] — the steps of a [`run::Run`], which the worker
/// and the npm package take one at a time, so that the user can cancel between them.
///
/// # Errors
/// [`ClvError`] when the summary cannot be built or BG/NBD cannot be fitted (Pareto/NBD and
/// Gamma-Gamma failures are reported inside the report, since BG/NBD alone is still useful).
pub fn analyse(ds: &Dataset, params: &form::ValidClvParams) -> Result<ClvReport, ClvError> {
    run::Run::new(params.clone()).finish(ds)
}

/// The calibration summary (calibration end defaults to the last purchase day).
///
/// # Errors
/// [`ClvError::Summary`] when dates or amounts are missing or the dates do not fit.
pub fn prepare(ds: &Dataset, params: &form::ValidClvParams) -> Result<Summary, ClvError> {
    if ds.rows() == 0 {
        return Err(ClvError::Summary(crate::core::analysis::customers::FactsError::NothingRead.to_string()));
    }
    let last_day = ds
        .day
        .as_ref()
        .and_then(|d| d.iter().max().copied())
        .ok_or(ClvError::Summary(summary::SummaryError::NoDates.to_string()))?;
    let calibration_end = params.calibration_end.unwrap_or(last_day);
    summarise(ds, calibration_end, params.holdout_end, params.unit).map_err(|e| ClvError::Summary(e.to_string()))
}

fn rft(s: &Summary) -> Vec<Rft> {
    s.customers.iter().map(|c| (c.x, c.t_x, c.t)).collect()
}

/// BG/NBD on the summary.
///
/// # Errors
/// [`ClvError`] for data it cannot be fitted to.
pub fn fit_purchases(s: &Summary) -> Result<Fitted<bgnbd::BgNbd>, ClvError> {
    bgnbd::fit(&rft(s)).map(|(m, f)| Fitted::new(m, f))
}

/// Pareto/NBD on the summary, or why not.
pub fn fit_pareto(s: &Summary) -> Result<Fitted<pareto_nbd::ParetoNbd>, String> {
    pareto_nbd::fit(&rft(s)).map(|(m, f)| Fitted::new(m, f)).map_err(|e| e.to_string())
}

/// Why a file without amounts has no spend model.
pub const NO_AMOUNTS: &str =
    "the file has no amount column: Gamma-Gamma, the expected value of a purchase and CLV in money need one (P(alive) and the expected purchases come from the dates alone)";

/// Gamma-Gamma on the repeat buyers, or why not (naming customers with no positive spend).
pub fn fit_spend(ds: &Dataset, s: &Summary) -> Result<SpendModel, String> {
    if ds.amount.is_none() {
        return Err(NO_AMOUNTS.into());
    }
    let repeat: Vec<&summary::CustomerSummary> = s.customers.iter().filter(|c| c.x > 0.0).collect();
    let spend_data: Vec<(f64, f64)> = repeat.iter().map(|c| (c.x, c.monetary)).collect();
    let ids: Vec<String> = repeat.iter().map(|c| ds.customers.name(c.customer).unwrap_or_default().to_string()).collect();
    gamma_gamma::fit(&spend_data, &ids)
        .map(|(m, f, left_out)| SpendModel {
            fitted: Fitted::new(m, f),
            customers: spend_data.len() - left_out.len(),
            frequency_value_correlation: gamma_gamma::independence(&spend_data),
            left_out,
        })
        .map_err(|e| e.to_string())
}

/// Predictions for every customer and the validation, from fitted models.
pub fn report(
    ds: &Dataset,
    s: &Summary,
    params: &ClvParams,
    bg_fitted: Fitted<bgnbd::BgNbd>,
    pareto: Result<Fitted<pareto_nbd::ParetoNbd>, String>,
    spend: Result<SpendModel, String>,
) -> ClvReport {
    let bg = bg_fitted.params;
    let name = |c: u32| ds.customers.name(c).unwrap_or_default().to_string();
    let repeat_buyers = s.customers.iter().filter(|c| c.x > 0.0).count();
    let per_month = DAYS_PER_MONTH / s.unit.days();
    let holdout_length = s.holdout_length();
    let rows: Vec<CustomerClv> = s
        .customers
        .iter()
        .map(|c| {
            // Buyers left out of Gamma-Gamma (no positive spend) get the population mean value.
            let (x, m) = if c.monetary > 0.0 { (c.x, c.monetary) } else { (0.0, 0.0) };
            let expected_value = spend.as_ref().ok().map(|g| g.fitted.params.expected_value(x, m));
            let clv = expected_value.map(|v| {
                (1..=params.horizon_months)
                    .map(|i| {
                        let i = f64::from(i);
                        let step =
                            bg.expected(i * per_month, c.x, c.t_x, c.t) - bg.expected((i - 1.0) * per_month, c.x, c.t_x, c.t);
                        v * step / (1.0 + params.discount_monthly).powf(i)
                    })
                    .sum::<f64>()
            });
            CustomerClv {
                customer_id: name(c.customer),
                frequency: c.x,
                recency: c.t_x,
                t: c.t,
                monetary_value: ds.amount.is_some().then_some(c.monetary),
                p_alive: bg.p_alive(c.x, c.t_x, c.t),
                expected_purchases: bg.expected(f64::from(params.horizon_months) * per_month, c.x, c.t_x, c.t),
                expected_value,
                clv,
                holdout_actual: s.holdout_end.map(|_| c.holdout),
                holdout_expected: s.holdout_end.map(|_| bg.expected(holdout_length, c.x, c.t_x, c.t)),
            }
        })
        .collect();
    let validation = s.holdout_end.map(|_| validate(s, &bg, &rows));
    let total_clv = rows.iter().map(|r| r.clv).sum::<Option<f64>>();
    ClvReport {
        customers: s.customers.len(),
        unit: s.unit,
        calibration_end: format_day(s.calibration_end),
        holdout_end: s.holdout_end.map(format_day),
        repeat_buyers,
        bgnbd: bg_fitted,
        pareto_nbd_error: pareto.as_ref().err().cloned(),
        pareto_nbd: pareto.ok(),
        gamma_gamma_error: spend.as_ref().err().cloned(),
        gamma_gamma: spend.ok(),
        horizon_months: params.horizon_months,
        discount_monthly: params.discount_monthly,
        validation,
        matrix: fr_matrix(&bg, s, 13),
        total_clv,
        notes: if ds.amount.is_none() { vec![NO_AMOUNTS.to_string()] } else { Vec::new() },
        rows,
    }
}

/// Holdout checks: per frequency group, tracking over time, and error figures.
fn validate(s: &Summary, bg: &bgnbd::BgNbd, rows: &[CustomerClv]) -> Validation {
    const GROUPS: u32 = 7;
    let mut by_frequency: Vec<FrequencyGroup> =
        (0..=GROUPS).map(|f| FrequencyGroup { frequency: f, customers: 0, actual: 0.0, expected: 0.0 }).collect();
    let (mut abs_err, mut actual_total, mut expected_total) = (0.0, 0.0, 0.0);
    for r in rows {
        let (a, e) = (r.holdout_actual.unwrap_or(0.0), r.holdout_expected.unwrap_or(0.0));
        let g = &mut by_frequency[(r.frequency as u32).min(GROUPS) as usize];
        g.customers += 1;
        g.actual += a;
        g.expected += e;
        abs_err += (a - e).abs();
        actual_total += a;
        expected_total += e;
    }
    for g in &mut by_frequency {
        if g.customers > 0 {
            g.actual /= g.customers as f64;
            g.expected /= g.customers as f64;
        }
    }
    by_frequency.retain(|g| g.customers > 0);
    // Tracking: cumulative repeat purchases each week, customers grouped by their first day.
    let u = s.unit.days();
    let start = s.customers.iter().map(|c| c.first).min().unwrap_or(s.calibration_end);
    let end = s.holdout_end.unwrap_or(s.calibration_end);
    let mut cohorts: std::collections::BTreeMap<Day, f64> = std::collections::BTreeMap::new();
    for c in &s.customers {
        *cohorts.entry(c.first).or_default() += 1.0;
    }
    let mut repeats: Vec<f64> =
        s.customers.iter().flat_map(|c| c.repeats.iter().map(move |o| f64::from(c.first - start) / u + o)).collect();
    repeats.sort_by(f64::total_cmp);
    let weeks = (f64::from(end - start) / 7.0).floor() as usize;
    let tracking = (1..=weeks)
        .map(|w| {
            let at = w as f64 * 7.0 / u;
            let actual = repeats.partition_point(|&o| o <= at) as f64;
            let expected: f64 = cohorts.iter().map(|(&first, &n)| n * bg.expected_new(at - f64::from(first - start) / u)).sum();
            (w as f64, actual, expected)
        })
        .collect();
    let n = rows.len().max(1) as f64;
    Validation {
        holdout_length: s.holdout_length(),
        by_frequency,
        tracking,
        mae_per_customer: abs_err / n,
        total_error_percent: if actual_total > 0.0 { (expected_total - actual_total) / actual_total * 100.0 } else { 0.0 },
        actual_total,
        expected_total,
    }
}

/// What a CLV customer list is sorted by (highest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ClvSort {
    #[default]
    Clv,
    PAlive,
    ExpectedPurchases,
}

impl ClvSort {
    /// Row indices of the report's customers in this order (customers without a CLV last).
    pub fn order(self, report: &ClvReport) -> Vec<usize> {
        match self {
            Self::Clv => order_by(&report.rows, |r| r.clv.unwrap_or(f64::NEG_INFINITY)),
            Self::PAlive => order_by(&report.rows, |r| r.p_alive),
            Self::ExpectedPurchases => order_by(&report.rows, |r| r.expected_purchases),
        }
    }
}

/// Row indices of `rows` sorted by a key, highest first (ties by customer id).
pub fn order_by(rows: &[CustomerClv], key: impl Fn(&CustomerClv) -> f64) -> Vec<usize> {
    let keys: Vec<f64> = rows.iter().map(key).collect();
    order_by_keys(rows, &keys)
}

/// [`order_by`] with the keys worked out: one sort, compiled once for every key (a sort is several
/// kilobytes of WebAssembly each time it is instantiated).
fn order_by_keys(rows: &[CustomerClv], keys: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_unstable_by(|&a, &b| {
        keys[b].total_cmp(&keys[a]).then_with(|| rows[a].customer_id.cmp(&rows[b].customer_id)).then(a.cmp(&b))
    });
    order
}

/// Each customer's CLV indexed by customer code (`customers` codes in all; NaN where there is none).
pub fn by_code(report: &ClvReport, customers: &crate::core::dataset::Labels) -> Vec<f64> {
    let mut out = vec![f64::NAN; customers.len()];
    for row in &report.rows {
        if let (Some(code), Some(v)) = (customers.code(&row.customer_id), row.clv) {
            out[code as usize] = v;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_order_by_the_key_highest_first_then_by_customer_id() {
        let row = |id: &str, p_alive: f64| CustomerClv {
            customer_id: id.into(),
            frequency: 0.0,
            recency: 0.0,
            t: 0.0,
            monetary_value: Some(0.0),
            p_alive,
            expected_purchases: 0.0,
            expected_value: None,
            clv: None,
            holdout_actual: None,
            holdout_expected: None,
        };
        let rows = [row("d", 0.1), row("b", 0.3), row("a", 0.3), row("c", 0.2), row("a", 0.3)];
        assert_eq!(order_by(&rows, |r| r.p_alive), vec![2, 4, 1, 3, 0]);
        assert_eq!(order_by(&rows, |r| -r.p_alive), vec![0, 3, 2, 4, 1]);
    }
}
