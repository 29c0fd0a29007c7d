//! The customer facts file: one row per customer with everything the analyses need, written from
//! the transactions (`loyalty-lens facts`), or by a warehouse's SQL job (`loyalty-lens facts-sql`),
//! and read back as input by the app and the command line ([`crate::core::ingest::facts`], where the
//! format is described).
//!
//! The rows a customer's lines come from are added up exactly ([`Money`]) by what the analyses tell
//! apart — order, day, category, channel, member level, purchase or return — so that every analysis
//! of the facts equals the analysis of the transactions.

use crate::core::analysis::customers::{self, FactsError};
use crate::core::analysis::lifecycle::latest_levels;
use crate::core::dataset::{Categorical, Dataset, MISSING, NO_ORDER, NO_SCORE};
use crate::core::ingest::facts::{escape, micros_text, Has, VERSION};
use crate::core::values::{format_day, Day, Money};

/// One line of a customer: the rows of one order (or of no order) on one day with one category,
/// channel and member level, purchases and returns apart.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    order: u64,
    day: Day,
    category: u32,
    channel: u32,
    level: u32,
    refund: bool,
}

/// The name of label `c` of a text column ("" for none).
fn label(column: &Option<Categorical>, c: u32) -> &str {
    column.as_ref().and_then(|col| col.labels.name(c)).unwrap_or("")
}

/// The labels of one kind the customer's `lines` have, in the order the transactions name them
/// first (their codes): lines refer to them by place.
fn labels_of<'a>(lines: &[(Key, Money)], column: &'a Option<Categorical>, of: fn(&Key) -> u32) -> Vec<(&'a str, u32)> {
    let mut codes: Vec<u32> = lines.iter().map(|l| of(&l.0)).filter(|&c| c != MISSING).collect();
    codes.sort_unstable();
    codes.dedup();
    codes.into_iter().map(|c| (label(column, c), c)).collect()
}

/// The facts file of `dataset`'s purchases, every row included (the as-of date is chosen when the
/// facts are analysed). Customers in the order the transactions name them first.
///
/// # Errors
/// [`FactsError`] as for the facts themselves: no dates, not purchases, nothing read.
pub fn facts_csv(dataset: &Dataset) -> Result<String, FactsError> {
    let days = dataset.day.as_ref().ok_or(FactsError::NoDates)?;
    // The informative columns are the facts as of the day after the last row.
    let facts = customers::facts(dataset, None)?;
    let levels = latest_levels(dataset, facts.as_of);
    let index = customers::CodeIndex::new(&facts.customers);
    let n = dataset.customers.len();
    // Each customer's rows, by code: counting sort.
    let mut starts = vec![0usize; n + 1];
    for &c in &dataset.customer {
        if c != MISSING {
            starts[c as usize + 1] += 1;
        }
    }
    for k in 1..=n {
        starts[k] += starts[k - 1];
    }
    let mut rows = vec![0u32; starts[n]];
    let mut next = starts.clone();
    for (i, &c) in dataset.customer.iter().enumerate() {
        if c != MISSING {
            rows[next[c as usize]] = i as u32;
            next[c as usize] += 1;
        }
    }
    let code = |column: &Option<Categorical>, i: usize| column.as_ref().map_or(MISSING, |c| c.codes[i]);
    let amounts = dataset.amount.as_ref();
    let mut w = csv::WriterBuilder::new().from_writer(Vec::with_capacity(dataset.rows() * 24));
    let fail = |_| FactsError::NothingRead;
    let has = Has::of(dataset);
    let columns = has.columns();
    w.write_record(&columns).map_err(fail)?;
    let mut lines: Vec<(Key, Money)> = Vec::new();
    for customer in 0..n {
        let Some(k) = index.get(customer as u32) else { continue };
        let f = &facts.customers[k];
        lines.clear();
        for &i in &rows[starts[customer]..starts[customer + 1]] {
            let i = i as usize;
            let amount = amounts.map_or(0.0, |a| a[i]);
            let key = Key {
                order: dataset.order.as_ref().map_or(NO_ORDER, |o| o.keys[i]),
                day: days[i],
                category: code(&dataset.category, i),
                channel: code(&dataset.channel, i),
                level: code(&dataset.member_level, i),
                refund: amount.is_sign_negative() || amount.is_nan(),
            };
            lines.push((key, Money::of([amount])));
        }
        lines.sort_unstable_by_key(|l| l.0);
        lines.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1.add_sum(later.1);
            }
            same
        });
        // The customer's labels of each kind, in the order the file names them first; lines refer
        // to them by place.
        let categories = labels_of(&lines, &dataset.category, |k| k.category);
        let channels = labels_of(&lines, &dataset.channel, |k| k.channel);
        let member_levels = labels_of(&lines, &dataset.member_level, |k| k.level);
        let place = |named: &[(&str, u32)], c: u32| {
            named.iter().position(|&(_, x)| x == c).map_or_else(String::new, |p| (p + 1).to_string())
        };
        let item = |(key, sum): &(Key, Money)| {
            let amount = match amounts {
                None => String::new(),
                Some(_) if key.refund => format!("-{}", micros_text(sum.micros().abs())),
                Some(_) => micros_text(sum.micros()),
            };
            format!(
                "{}:{amount}:{}:{}:{}",
                key.day - f.first_day,
                place(&categories, key.category),
                place(&channels, key.channel),
                place(&member_levels, key.level)
            )
        };
        // Orders: each its lines in text order, joined by `|`; the orders in text order.
        let mut orders: Vec<String> = Vec::new();
        let mut loose: Vec<String> = Vec::new();
        let mut at = 0;
        while at < lines.len() {
            let order = lines[at].0.order;
            let end = at + lines[at..].iter().take_while(|l| l.0.order == order).count();
            let mut items: Vec<String> = lines[at..end].iter().map(item).collect();
            items.sort_unstable();
            if order == NO_ORDER {
                loose.extend(items);
            } else {
                orders.push(items.join("|"));
            }
            at = end;
        }
        orders.sort_unstable();
        loose.sort_unstable();
        // Each label with its rank among all the file's labels of its kind: the reader gives them
        // codes in that order, so that lists of labels come in the order they do for the transactions.
        let joined =
            |named: &[(&str, u32)]| named.iter().map(|(l, c)| format!("{}:{}", c + 1, escape(l))).collect::<Vec<_>>().join(";");
        let mut answers: Vec<String> = rows[starts[customer]..starts[customer + 1]]
            .iter()
            .map(|&i| i as usize)
            .filter_map(|i| {
                let score = dataset.score.as_ref().map_or(NO_SCORE, |s| s[i]);
                let comment = dataset.comment(i);
                (score != NO_SCORE || comment.is_some()).then(|| {
                    let score = if score == NO_SCORE { String::new() } else { score.to_string() };
                    format!(
                        "{}:{score}:{}:{}:{}:{}",
                        days[i] - f.first_day,
                        place(&categories, code(&dataset.category, i)),
                        place(&channels, code(&dataset.channel, i)),
                        place(&member_levels, code(&dataset.member_level, i)),
                        escape(comment.unwrap_or(""))
                    )
                })
            })
            .collect();
        answers.sort_unstable();
        let answers = answers.join(";");
        let mut net = Money::default();
        lines.iter().for_each(|l| net.add_sum(l.1));
        let window = customers::spend_window_start(facts.as_of)..=facts.as_of;
        let mut spend_12 = Money::default();
        lines.iter().filter(|l| window.contains(&l.0.day)).for_each(|l| spend_12.add_sum(l.1));
        let money = |m: Money| if amounts.is_some() { micros_text(m.micros()) } else { String::new() };
        let level = levels.as_ref().map_or("", |l| label(&dataset.member_level, l[customer].1));
        let row = [
            VERSION,
            dataset.customers.name(customer as u32).unwrap_or(""),
            &format_day(f.first_day),
            &format_day(f.last_day),
            &f.frequency.to_string(),
            &money(net),
            &money(spend_12),
            f.first_channel.map_or("", |c| label(&dataset.channel, c)),
            level,
            &joined(&categories),
            &joined(&channels),
            &joined(&member_levels),
            &orders.join(";"),
            &loose.join(";"),
            // `answers` with scores, `comments` without: one of the two is written.
            &answers,
            &answers,
        ];
        let kept = crate::core::ingest::facts::COLUMNS.iter().zip(row).filter(|(c, _)| has.column(c)).map(|(_, v)| v);
        w.write_record(kept).map_err(fail)?;
    }
    let bytes = w.into_inner().map_err(|_| FactsError::NothingRead)?;
    String::from_utf8(bytes).map_err(|_| FactsError::NothingRead)
}
