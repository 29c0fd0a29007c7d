//! Per-customer facts as of a date: recency, frequency, monetary value, first purchase, tenure,
//! average order value, categories and channels — the input of every segmentation.
//!
//! Rules (issue 3): recency is the days from the last purchase to the as-of date; frequency is the
//! number of orders — distinct order ids when an order id is mapped, otherwise distinct purchase days;
//! monetary is the total amount with refunds netted. Rows dated after the as-of date are left out and
//! counted. A refund row (negative amount, or −0 for an order refunded in full) lowers monetary value
//! but is not an order; an order for nothing (+0: free items, promotions) is an order.

mod spilled;

pub use self::spilled::*;

use crate::core::dataset::{codes_of, Dataset, MISSING, NO_ORDER, NO_SCORE};
use crate::core::values::{Day, Money};
use serde::{Deserialize, Serialize};

/// What one customer did up to the as-of date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerFacts {
    /// Code into [`Dataset::customers`].
    pub customer: u32,
    pub first_day: Day,
    pub last_day: Day,
    pub recency_days: i32,
    pub frequency: u32,
    pub monetary: f64,
    /// Days from the first purchase to the as-of date.
    pub tenure_days: i32,
    /// Monetary value per order (0 without orders).
    pub average_order_value: f64,
    /// Distinct categories bought (codes), when a category is mapped.
    pub categories: Vec<u32>,
    /// Distinct channels bought through (codes), when a channel is mapped.
    pub channels: Vec<u32>,
    /// The channel of the first purchase.
    pub first_channel: Option<u32>,
    /// The day of each order (the first day of each order id, or each purchase day), ascending.
    pub order_days: Vec<Day>,
    /// The value of each order of [`CustomerFacts::order_days`], in the same order: the sum of its
    /// purchase rows (the order id's rows, or the day's rows without an id, that are not returns).
    /// What the lifecycle stages measure spend by.
    pub order_spend: Vec<f64>,
    /// Net spend (refunds included) in the 365 days up to the as-of date, `as_of − 364 ..= as_of`:
    /// what membership tiers by amount and the pyramid by 12-month spend rank by. Kept as a sum,
    /// not as a list of daily amounts: a list per customer is megabytes at a million customers.
    pub spend_12_months: f64,
}

/// The first day of the 12 months that [`CustomerFacts::spend_12_months`] covers (in `values`: the
/// facts file's reader checks that column with it).
pub use crate::core::values::spend_window_start;

impl CustomerFacts {
    /// Orders on days in `from..=to`.
    pub fn orders_between(&self, from: Day, to: Day) -> usize {
        let lo = self.order_days.partition_point(|&d| d < from);
        let hi = self.order_days.partition_point(|&d| d <= to);
        hi.saturating_sub(lo)
    }
}

/// Each order as (day, value) from purchases without an order id, `(day, value)` one per day in
/// day order, and with one, `(id, day, place, value)` rows numbered by their place in (day, row)
/// order (each id's first day; its rows' values added up exactly): by day, and on one day by
/// value, so that the result never depends on the order of the rows.
fn orders_by_day(with_id: &mut [(u64, Day, u32, f64)], without_id: &[(Day, Money)], out: &mut Vec<(Day, Money)>) {
    out.clear();
    out.extend_from_slice(without_id);
    // By id, then place: each id's rows in (day, row) order, without a stable sort's buffer.
    with_id.sort_unstable_by_key(|r| (r.0, r.2));
    let mut previous = None;
    for &(id, day, _, value) in with_id.iter() {
        match out.last_mut() {
            Some(last) if previous == Some(id) => last.1.add(value),
            _ => out.push((day, Money::of([value]))),
        }
        previous = Some(id);
    }
    sort_orders(out);
}

/// Orders by day, and on one day by value (a customer's orders are few: a small sort needs no
/// buffer).
fn sort_orders(orders: &mut [(Day, Money)]) {
    orders.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.micros().cmp(&b.1.micros())));
}

/// Facts for every customer with a purchase on or before the as-of date.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    pub as_of: Day,
    pub customers: Vec<CustomerFacts>,
    /// Rows dated after the as-of date, left out.
    pub rows_after_as_of: usize,
    /// Whether the file has amounts. Without them (a visit or check-in log) every row is a
    /// purchase of nothing: recency, frequency and the order days hold, and monetary value, the
    /// orders' values and the 12-month spend are 0 — no figure of money may be shown from them.
    pub amounts: bool,
}

/// Where each customer's facts are, by the customer's code in the dataset: answers of a survey
/// (and other rows keyed by customer) find their customer's facts through it.
pub struct CodeIndex(Vec<usize>);

impl CodeIndex {
    /// The index of `customers` (facts in any order, each code once).
    pub fn new(customers: &[CustomerFacts]) -> Self {
        let codes = customers.iter().map(|c| c.customer as usize + 1).max().unwrap_or(0);
        let mut index = vec![usize::MAX; codes];
        for (k, c) in customers.iter().enumerate() {
            index[c.customer as usize] = k;
        }
        Self(index)
    }

    /// One more than the highest code with facts.
    pub fn codes(&self) -> usize {
        self.0.len()
    }

    /// The position of customer `code`'s facts, if the customer has any.
    pub fn get(&self, code: u32) -> Option<usize> {
        self.0.get(code as usize).copied().filter(|&k| k != usize::MAX)
    }
}

/// Why facts cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactsError {
    NoDates,
    /// A survey file (scores, no amounts): its dates are answers, not purchases.
    SurveyOnly,
    /// A member list (registration dates, no amounts): its dates are sign-ups, not purchases.
    RegistrationDates,
    NoRows,
    /// The dataset has no row at all: every row of the file was rejected.
    NothingRead,
}

impl std::fmt::Display for FactsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoDates => write!(f, "recency needs dates: map a date column"),
            Self::SurveyOnly => write!(
                f,
                "this file holds survey answers (a score column, no amounts): its dates are answers, not purchases — \
                 read it for NPS (`loyalty-lens nps`), or with a transactions file (`--survey`)"
            ),
            Self::RegistrationDates => write!(
                f,
                "the date column is a registration date and the file has no amounts: a member or lead list, not purchases — \
                 use it as the funnel's member list (`loyalty-lens funnel ORDERS --members FILE`), or map a purchase date"
            ),
            Self::NoRows => write!(f, "no purchases on or before the as-of date"),
            Self::NothingRead => {
                write!(
                    f,
                    "no row of the file could be read: every row was rejected (the rejected rows are listed with their reasons)"
                )
            }
        }
    }
}

impl std::error::Error for FactsError {}

impl FactsError {
    /// A stable key for the page to translate.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoDates => "no_dates",
            Self::SurveyOnly => "survey_only",
            Self::RegistrationDates => "registration_dates",
            Self::NoRows => "no_rows",
            Self::NothingRead => "nothing_read",
        }
    }
}

/// The default as-of date: the day after the last transaction.
pub fn default_as_of(dataset: &Dataset) -> Option<Day> {
    dataset.day.as_ref()?.iter().max().map(|d| d + 1)
}

/// Where each customer's rows dated on or before `as_of` start, once they are ordered by (customer
/// code, day, row): one counting pass buckets them by customer (codes are dense). Anonymous rows
/// ([`MISSING`] customer) come last, in a bucket of their own. One entry per customer code, one
/// for the anonymous rows, and the end.
fn bucket_starts(dataset: &Dataset, days: &[Day], as_of: Day) -> Vec<u32> {
    let customers = dataset.customers.len();
    let mut starts = vec![0u32; customers + 2];
    for (&c, &d) in dataset.customer.iter().zip(days) {
        if d <= as_of {
            starts[bucket(c, customers) + 1] += 1;
        }
    }
    for k in 1..starts.len() {
        starts[k] += starts[k - 1];
    }
    starts
}

/// The bucket of customer code `c` among `customers` codes: its code, or after them all for
/// anonymous rows.
fn bucket(c: u32, customers: usize) -> usize {
    if c == MISSING {
        customers
    } else {
        c as usize
    }
}

/// The rows dated on or before `as_of`, ordered by (customer code, day, row): the reference order
/// the gathered rows are tested against.
#[cfg(test)]
fn rows_by_customer_and_day(dataset: &Dataset, days: &[Day], as_of: Day) -> Vec<u32> {
    let mut rows: Vec<u32> = (0..dataset.rows() as u32).filter(|&i| days[i as usize] <= as_of).collect();
    rows.sort_by_key(|&i| (bucket(dataset.customer[i as usize], dataset.customers.len()), days[i as usize]));
    rows
}

/// Rows from which the customers' facts are computed on more than one thread (natively; a
/// browser worker has one).
const PARALLEL_ROWS: usize = 200_000;

/// Threads for computing facts: one per core (at most eight), natively.
pub fn threads() -> usize {
    #[cfg(not(target_arch = "wasm32"))]
    return std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    #[cfg(target_arch = "wasm32")]
    1
}

/// Whether `dataset`'s rows are purchases: not a survey's answers, nor a member list's sign-ups
/// (dates without amounts whose column says registration) — what every analysis of purchases,
/// facts or the CLV models, checks first.
///
/// # Errors
/// [`FactsError::SurveyOnly`] or [`FactsError::RegistrationDates`].
pub fn purchases(dataset: &Dataset) -> Result<(), FactsError> {
    if dataset.is_survey() {
        Err(FactsError::SurveyOnly)
    } else if dataset.registration_dates && dataset.amount.is_none() {
        Err(FactsError::RegistrationDates)
    } else {
        Ok(())
    }
}

/// Computes every customer's facts.
///
/// # Errors
/// [`FactsError`] when dates are not mapped, or no row is on or before `as_of` (amounts may be
/// missing: see [`Facts::amounts`]).
pub fn facts(dataset: &Dataset, as_of: Option<Day>) -> Result<Facts, FactsError> {
    facts_in(dataset, as_of, if dataset.rows() >= PARALLEL_ROWS { threads() } else { 1 })
}

/// [`facts`] on up to `parts` threads: the customers are split into runs of about equally many
/// rows, each run's facts computed on its own, and the lists put together in order.
fn facts_in(dataset: &Dataset, as_of: Option<Day>, parts: usize) -> Result<Facts, FactsError> {
    facts_gathering(dataset, as_of, parts, GATHER_ROWS)
}

/// Rows gathered at a time (see [`Input::gather`]): 32 MB of [`Row`]s at most, a buffer reused
/// from one run of customers to the next.
const GATHER_ROWS: usize = 1 << 20;

/// [`facts_in`], gathering at most `gather` rows at a time (tests make it small).
fn facts_gathering(dataset: &Dataset, as_of: Option<Day>, parts: usize, gather: usize) -> Result<Facts, FactsError> {
    let days = dataset.day.as_ref().ok_or(FactsError::NoDates)?;
    purchases(dataset)?;
    // Without an amount column every row counts as a purchase of nothing (see `Facts::amounts`).
    let nothing;
    let amounts = match dataset.amount.as_ref() {
        Some(a) => a,
        None => {
            nothing = vec![0.0; dataset.rows()];
            &nothing
        }
    };
    if dataset.rows() == 0 {
        return Err(FactsError::NothingRead);
    }
    let as_of = as_of.or_else(|| default_as_of(dataset)).ok_or(FactsError::NoRows)?;
    let rows_after_as_of = days.iter().filter(|&&d| d > as_of).count();
    // Where each customer's rows in the window start, grouped by customer and in date order.
    let starts = bucket_starts(dataset, days, as_of);
    let rows = *starts.last().unwrap_or(&0) as usize;
    if rows == 0 {
        return Err(FactsError::NoRows);
    }
    let rules = Rules::of(dataset, as_of);
    let input = Input { dataset, days, amounts, starts: &starts, as_of, gather: gather.max(1), rules };
    let buckets = starts.len() - 1;
    let parts = parts.max(1);
    // Where each part's buckets start: the first bucket starting at or after its share of rows.
    let mut bounds: Vec<usize> = (0..parts).map(|p| starts.partition_point(|&s| (s as usize) < rows * p / parts)).collect();
    bounds.push(buckets);
    bounds.dedup();
    let customers = if bounds.len() <= 2 {
        input.facts_of(0, buckets)
    } else {
        std::thread::scope(|scope| {
            let input = &input;
            let others: Vec<_> =
                bounds.windows(2).skip(1).map(|w| (w[0], w[1])).map(|(a, b)| scope.spawn(move || input.facts_of(a, b))).collect();
            let mut all = input.facts_of(bounds[0], bounds[1]);
            for other in others {
                // A panic in a part is a bug, and stays one.
                all.extend(other.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
            }
            all
        })
    };
    Ok(Facts { as_of, customers, rows_after_as_of, amounts: dataset.amount.is_some() })
}

/// The end of the run of buckets from `lo` (before `to`) whose rows are gathered together: as many
/// as hold at most `gather` rows together, and at least one.
fn gather_end(starts: &[u32], lo: usize, to: usize, gather: usize) -> usize {
    let base = starts[lo];
    let fit = starts[lo..=to].partition_point(|&s| (s - base) as usize <= gather);
    (lo + fit.saturating_sub(1)).clamp(lo + 1, to)
}

/// What computing facts reads.
struct Input<'a> {
    dataset: &'a Dataset,
    days: &'a [Day],
    amounts: &'a [f64],
    /// From [`bucket_starts`].
    starts: &'a [u32],
    as_of: Day,
    /// Rows gathered at a time ([`GATHER_ROWS`]).
    gather: usize,
    rules: Rules<'a>,
}

/// What a customer's facts are computed with besides their rows.
#[derive(Clone, Copy)]
struct Rules<'a> {
    /// Whether an order id is mapped.
    with_orders: bool,
    /// The channels' names, when a channel is mapped.
    channels: Option<&'a crate::core::dataset::Labels>,
    as_of: Day,
}

impl<'a> Rules<'a> {
    fn of(dataset: &'a Dataset, as_of: Day) -> Self {
        Self { with_orders: dataset.order.is_some(), channels: dataset.channel.as_ref().map(|c| &c.labels), as_of }
    }
}

impl Input<'_> {
    /// The facts of the customers in buckets `from..to` (codes; the last bucket holds the
    /// anonymous rows), in code order.
    fn facts_of(&self, from: usize, to: usize) -> Vec<CustomerFacts> {
        let starts = self.starts;
        let customers = self.dataset.customers.len();
        // Room made once (growing by doubling would hold the old and the new list at once, a
        // high-water mark that matters with a million customers).
        let mut out = Vec::with_capacity((from..to).filter(|&k| starts[k] < starts[k + 1]).count());
        // Working lists, reused from one customer to the next.
        let (mut scratch, mut gathered) = (Scratch::default(), Vec::new());
        let mut lo = from;
        while lo < to {
            let base = starts[lo];
            let hi = gather_end(starts, lo, to, self.gather);
            self.gather(lo, hi, &mut gathered);
            for k in lo..hi {
                let group = &gathered[(starts[k] - base) as usize..(starts[k + 1] - base) as usize];
                if !group.is_empty() {
                    let code = if k == customers { MISSING } else { k as u32 };
                    out.push(self.rules.customer(code, group, &mut scratch));
                }
            }
            lo = hi;
        }
        out
    }

    /// The rows of the customers in buckets `lo..hi` into `out`, by (customer, day, row).
    ///
    /// A customer's rows lie scattered over the file. Gathering them for one customer at a time
    /// read five columns at random places, a cache miss each (half of the time of computing facts,
    /// by `perf`). Instead, one pass reads the columns in file order and writes each row, whole,
    /// to its place among its customer's: one miss per row, on a store, which does not hold the
    /// processor up as a load does. Rows of a customer then come in file order, and a stable sort
    /// by day puts them in (day, row) order.
    fn gather(&self, lo: usize, hi: usize, out: &mut Vec<Row>) {
        let Input { dataset, days, amounts, starts, as_of, .. } = *self;
        let customers = dataset.customers.len();
        let base = starts[lo];
        let mut next: Vec<u32> = starts[lo..hi].iter().map(|&s| s - base).collect();
        out.clear();
        out.resize((starts[hi] - base) as usize, Row::default());
        let orders = dataset.order.as_ref().map(|o| o.keys.as_slice());
        let (category, channel, level) =
            (codes_of(&dataset.category), codes_of(&dataset.channel), codes_of(&dataset.member_level));
        let code = |c: Option<&[u32]>, i: usize| c.map_or(MISSING, |c| c[i]);
        for (i, (&c, &day)) in dataset.customer.iter().zip(days).enumerate() {
            let k = bucket(c, customers);
            if day > as_of || k < lo || k >= hi {
                continue;
            }
            let at = &mut next[k - lo];
            out[*at as usize] = Row {
                day,
                amount: amounts[i],
                order: orders.map_or(NO_ORDER, |o| o[i]),
                category: code(category, i),
                channel: code(channel, i),
                level: code(level, i),
            };
            *at += 1;
        }
        for k in lo..hi {
            let group = &mut out[(starts[k] - base) as usize..(starts[k + 1] - base) as usize];
            if group.len() > 1 {
                group.sort_by_key(|r| r.day);
            }
        }
    }
}

impl Rules<'_> {
    /// The facts of customer `customer` (a code, or [`MISSING`]) from its rows, in date order.
    ///
    /// One pass over the rows collects what every fact needs (a pass per fact, nine in all, cost
    /// more than the work in WebAssembly); the tests compare with [`Input::customer_simple`].
    fn customer(&self, customer: u32, rows: &[Row], scratch: &mut Scratch) -> CustomerFacts {
        let Rules { with_orders, channels: channels_mapped, as_of } = *self;
        let Scratch { firsts, loose, orders, codes, channel_codes, first_channels } = scratch;
        firsts.clear();
        loose.clear();
        codes.clear();
        channel_codes.clear();
        first_channels.clear();
        let window = spend_window_start(as_of)..=as_of;
        // Sums of money are exact (see `Money`): the same in any order of the rows.
        let (mut monetary, mut spend_12_months) = (Money::default(), Money::default());
        // Each day's net amount (the rows are in day order), added up over the window's days.
        let mut day: Option<(Day, Money)> = None;
        let (mut first_purchase, mut last_purchase): (Option<Day>, Option<Day>) = (None, None);
        // The first day with a channel (see below).
        let mut first_channel_day: Option<Day> = None;
        for r in rows {
            monetary.add(r.amount);
            match day.as_mut() {
                Some((last, sum)) if *last == r.day => sum.add(r.amount),
                _ => {
                    if let Some((d, sum)) = day.replace((r.day, Money::of([r.amount]))) {
                        if window.contains(&d) {
                            spend_12_months.add_sum(sum);
                        }
                    }
                }
            }
            // Returns (negative) and wholly refunded rows (−0) are not purchases; a free order (+0)
            // is one.
            if r.amount.is_sign_negative() || r.amount.is_nan() {
                continue;
            }
            // A purchase. One entry per order: each order id on its first day; purchases without an
            // id, once per day.
            if with_orders && r.order != NO_ORDER {
                firsts.push((r.order, r.day, firsts.len() as u32, r.amount));
            } else {
                match loose.last_mut() {
                    Some((d, value)) if *d == r.day => value.add(r.amount),
                    _ => loose.push((r.day, Money::of([r.amount]))),
                }
            }
            first_purchase.get_or_insert(r.day);
            last_purchase = Some(r.day);
            if r.category != MISSING {
                codes.push(r.category);
            }
            if r.channel != MISSING {
                channel_codes.push(r.channel);
                // The first day's purchases by channel: added up, as the file's rows of one order
                // may be one row or several.
                if *first_channel_day.get_or_insert(r.day) == r.day {
                    match first_channels.iter_mut().find(|(c, _)| *c == r.channel) {
                        Some((_, sum)) => sum.add(r.amount),
                        None => first_channels.push((r.channel, Money::of([r.amount]))),
                    }
                }
            }
        }
        if let Some((d, sum)) = day {
            if window.contains(&d) {
                spend_12_months.add_sum(sum);
            }
        }
        // When several channels share the first day with a channel (the file does not say which
        // came first), the one bought most through, then the first by name, so that the result
        // never depends on the order of the rows.
        let first_channel = channels_mapped.and_then(|ch| {
            first_channels
                .iter()
                .max_by(|a, b| a.1.micros().cmp(&b.1.micros()).then_with(|| ch.name(b.0).cmp(&ch.name(a.0))))
                .map(|&(c, _)| c)
        });
        let monetary = monetary.value() + 0.0;
        // Purchases without ids are one per day, in day order already: only ids need sorting.
        let by_day: &[(Day, Money)] = if firsts.is_empty() {
            loose
        } else {
            orders_by_day(firsts, loose, orders);
            orders
        };
        let order_days: Vec<Day> = by_day.iter().map(|o| o.0).collect();
        let order_spend: Vec<f64> = by_day.iter().map(|o| o.1.value() + 0.0).collect();
        let frequency = order_days.len() as u32;
        // The first and last purchase; a customer with only refunds, the first and last row.
        let (first_day, last_day) = match (first_purchase, last_purchase) {
            (Some(f), Some(l)) => (f, l),
            _ => (rows.first().map_or(as_of, |r| r.day), rows.last().map_or(as_of, |r| r.day)),
        };
        // The lists kept are built in a reused one and copied at their final length: one allocation
        // each, with no room to spare (a customer's rows hold each category and channel many times).
        let distinct = |codes: &mut Vec<u32>| {
            codes.sort_unstable();
            codes.dedup();
            codes.to_vec()
        };
        CustomerFacts {
            customer,
            first_day,
            last_day,
            recency_days: as_of - last_day,
            frequency,
            monetary,
            tenure_days: as_of - first_day,
            average_order_value: if frequency > 0 { monetary / f64::from(frequency) } else { 0.0 },
            categories: distinct(codes),
            channels: distinct(channel_codes),
            first_channel,
            order_days,
            order_spend,
            spend_12_months: spend_12_months.value() + 0.0,
        }
    }
}

/// One row of a customer, as a customer's facts are computed from it ([`MISSING`] codes and
/// [`NO_ORDER`] where the column is not mapped or the cell is empty). The member level is not a
/// fact's: the facts file's lines read it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Row {
    pub day: Day,
    pub amount: f64,
    pub order: u64,
    pub category: u32,
    pub channel: u32,
    pub level: u32,
}

/// One of a customer's rows with a survey answer: the row, its score ([`NO_SCORE`] for none) and
/// its comment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Answer<'a> {
    pub row: Row,
    pub score: u8,
    pub comment: Option<&'a str>,
}

/// Working lists of [`Input::customer`], reused from one customer to the next.
#[derive(Default)]
struct Scratch {
    firsts: Vec<(u64, Day, u32, f64)>,
    loose: Vec<(Day, Money)>,
    orders: Vec<(Day, Money)>,
    codes: Vec<u32>,
    channel_codes: Vec<u32>,
    first_channels: Vec<(u32, Money)>,
}

#[cfg(test)]
mod tests;
