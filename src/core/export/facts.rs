//! The customer facts file: one row per customer with everything the analyses need, written from
//! the transactions (`loyalty-lens facts`), or by a warehouse's SQL job (`loyalty-lens facts-sql`),
//! and read back as input by the app and the command line ([`crate::core::ingest::facts`], where the
//! format is described).
//!
//! The rows a customer's lines come from are added up exactly ([`Money`]) by what the analyses tell
//! apart — order, day, category, channel, member level, purchase or return — so that every analysis
//! of the facts equals the analysis of the transactions.

use crate::core::analysis::customers::{self, Answer, CustomerFacts, FactsError, Row, SPILL_GATHER_ROWS};
use crate::core::analysis::lifecycle::LatestLevel;
use crate::core::dataset::spill::Spill;
use crate::core::dataset::{Categorical, Dataset, MISSING, NO_ORDER, NO_SCORE};
use crate::core::ingest::facts::{escape_into, write_micros, Has, VERSION};
use crate::core::values::{format_day, Day, Money};
use std::io::{self, Write};

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
    let writing = Writing::new(dataset, facts.as_of);
    let mut w = csv::WriterBuilder::new().from_writer(Vec::with_capacity(dataset.rows() * 24));
    let fail = |_| FactsError::NothingRead;
    w.write_record(writing.has.columns()).map_err(fail)?;
    let mut lists = Lists::default();
    let (mut customer_rows, mut answers) = (Vec::new(), Vec::new());
    for customer in 0..n {
        let Some(k) = index.get(customer as u32) else { continue };
        customer_rows.clear();
        answers.clear();
        for &i in &rows[starts[customer]..starts[customer + 1]] {
            let i = i as usize;
            let row = Row {
                day: days[i],
                amount: dataset.amount.as_ref().map_or(0.0, |a| a[i]),
                order: dataset.order.as_ref().map_or(NO_ORDER, |o| o.keys[i]),
                category: code(&dataset.category, i),
                channel: code(&dataset.channel, i),
                level: code(&dataset.member_level, i),
            };
            customer_rows.push(row);
            let score = dataset.score.as_ref().map_or(NO_SCORE, |s| s[i]);
            let comment = dataset.comment(i);
            if score != NO_SCORE || comment.is_some() {
                answers.push(Answer { row, score, comment });
            }
        }
        writing.customer(&mut w, &facts.customers[k], &customer_rows, &answers, &mut lists).map_err(fail)?;
    }
    let bytes = w.into_inner().map_err(|_| FactsError::NothingRead)?;
    String::from_utf8(bytes).map_err(|_| FactsError::NothingRead)
}

/// The facts file of a file read with its rows put aside ([`crate::core::ingest::SpilledRead`]: its
/// labels and roles in `dataset`, its rows in `spill`), written to `out` a bucket of customers at a
/// time on up to `threads` threads: the same file [`facts_csv`] writes of the rows held, in the
/// memory of a bucket's customers.
///
/// # Errors
/// The outer error when the rows cannot be read back or `out` written; the inner one as
/// [`facts_csv`] refuses.
pub fn write_spilled_facts(
    dataset: &Dataset,
    spill: &mut Spill,
    threads: usize,
    out: &mut (dyn Write + Send),
) -> io::Result<Result<(), FactsError>> {
    write_aside(dataset, spill, SPILL_GATHER_ROWS, threads, out)
}

/// [`write_spilled_facts`], gathering at most `gather` rows at a time (tests make it small).
fn write_aside(
    dataset: &Dataset,
    spill: &mut Spill,
    gather: usize,
    threads: usize,
    out: &mut (dyn Write + Send),
) -> io::Result<Result<(), FactsError>> {
    if (dataset.score.is_some() || dataset.comments.is_some()) && !spill.keeps_answers() {
        return Err(io::Error::other("the rows were put aside without their survey answers"));
    }
    // The day after the last row, as the held rows' facts take it. Without one nothing is kept: the
    // facts are refused (no dates, nothing read) before any customer's are computed.
    let as_of = spill.latest_day().map(|d| d + 1);
    let writing = Writing::new(dataset, as_of.unwrap_or_default());
    // The header first, unless the rows are refused before any is read.
    let mut header = Some(writing.has.columns());
    let keep = |f: CustomerFacts, rows: &[Row], answers: &[Answer<'_>]| -> io::Result<Vec<u8>> {
        // The anonymous rows have facts, and no line of the file.
        if f.customer == MISSING {
            return Ok(Vec::new());
        }
        WORKING.with_borrow_mut(|(lists, line)| {
            line.clear();
            let mut w = csv::WriterBuilder::new().buffer_capacity(1 << 10).from_writer(&mut *line);
            writing.customer(&mut w, &f, rows, answers, lists).map_err(io::Error::other)?;
            w.flush()?;
            drop(w);
            Ok(line.clone())
        })
    };
    let mut emit = |bucket: Vec<io::Result<Vec<u8>>>| -> io::Result<()> {
        if let Some(columns) = header.take() {
            let mut w = csv::WriterBuilder::new().from_writer(&mut *out);
            w.write_record(columns).map_err(io::Error::other)?;
            w.flush()?;
        }
        for text in bucket {
            out.write_all(&text?)?;
        }
        Ok(())
    };
    let found = customers::each_bucket_facts(dataset, spill, as_of, gather, threads, &keep, &mut emit)?;
    Ok(found.map(|_| ()))
}

thread_local! {
    /// Each thread's working lists and line for [`write_aside`]'s customers (computed on several
    /// threads, a customer at a time), reused: a customer's line is then its own allocation, and
    /// the line writer's.
    static WORKING: std::cell::RefCell<(Lists, Vec<u8>)> = std::cell::RefCell::default();
}

/// What each customer's row of the facts file is written with: the transactions' labels and
/// roles, the as-of date of its informative columns and the member levels' rule.
struct Writing<'a> {
    dataset: &'a Dataset,
    has: Has,
    as_of: Day,
    latest_level: Option<LatestLevel<'a>>,
}

impl<'a> Writing<'a> {
    fn new(dataset: &'a Dataset, as_of: Day) -> Self {
        let latest_level = dataset.member_level.as_ref().map(|levels| LatestLevel::new(&levels.labels, as_of));
        Self { dataset, has: Has::of(dataset), as_of, latest_level }
    }

    /// Writes the row of the customer whose facts are `f`, from all of their `rows` (in any
    /// order) and their survey `answers`; `lists` are working lists.
    fn customer<W: Write>(
        &self,
        w: &mut csv::Writer<W>,
        f: &CustomerFacts,
        rows: &[Row],
        answers: &[Answer<'_>],
        lists: &mut Lists,
    ) -> csv::Result<()> {
        use std::fmt::Write as _;
        let dataset = self.dataset;
        let amounts = dataset.amount.is_some();
        lists.clear();
        let Lists { lines, texts, items, orders, loose, joined, sorted, cells } = lists;
        for r in rows {
            let key = Key {
                order: r.order,
                day: r.day,
                category: r.category,
                channel: r.channel,
                level: r.level,
                refund: r.amount.is_sign_negative() || r.amount.is_nan(),
            };
            lines.push((key, Money::of([r.amount])));
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
        let categories = labels_of(lines, &dataset.category, |k| k.category);
        let channels = labels_of(lines, &dataset.channel, |k| k.channel);
        let member_levels = labels_of(lines, &dataset.member_level, |k| k.level);
        // Writing to a String cannot fail: the results of `write!` below are ignored.
        // `:category:channel:level`, each by its place in the customer's labels (empty for none).
        let places = |out: &mut String, codes: [u32; 3]| {
            for (named, c) in [&categories, &channels, &member_levels].into_iter().zip(codes) {
                out.push(':');
                if let Some(p) = named.iter().position(|&(_, x)| x == c) {
                    let _ = write!(out, "{}", p + 1);
                }
            }
        };
        // The texts of `ranges` joined by `separator`.
        let join = |out: &mut String, ranges: &[std::ops::Range<usize>], texts: &str, separator: char| {
            for (k, r) in ranges.iter().enumerate() {
                if k > 0 {
                    out.push(separator);
                }
                out.push_str(&texts[r.clone()]);
            }
        };
        // Each text is written once into `texts` and sorted as its range: the same order as the
        // texts themselves, without a string each.
        let sort = |ranges: &mut Vec<std::ops::Range<usize>>, texts: &str| {
            ranges.sort_unstable_by(|a, b| texts[a.clone()].cmp(&texts[b.clone()]))
        };
        // Orders: each its lines in text order, joined by `|`; the orders in text order.
        let mut at = 0;
        while at < lines.len() {
            let order = lines[at].0.order;
            let end = at + lines[at..].iter().take_while(|l| l.0.order == order).count();
            items.clear();
            for (key, sum) in &lines[at..end] {
                let from = texts.len();
                let _ = write!(texts, "{}:", key.day - f.first_day);
                if amounts {
                    if key.refund {
                        texts.push('-');
                        write_micros(texts, sum.micros().abs());
                    } else {
                        write_micros(texts, sum.micros());
                    }
                }
                places(texts, [key.category, key.channel, key.level]);
                items.push(from..texts.len());
            }
            sort(items, texts);
            if order == NO_ORDER {
                loose.extend(items.iter().cloned());
            } else {
                let from = joined.len();
                join(joined, items, texts, '|');
                orders.push(from..joined.len());
            }
            at = end;
        }
        sort(orders, joined);
        sort(loose, texts);
        // Each label with its rank among all the file's labels of its kind: the reader gives them
        // codes in that order, so that lists of labels come in the order they do for the transactions.
        let labelled = |out: &mut String, named: &[(&str, u32)]| {
            for (k, (label, c)) in named.iter().enumerate() {
                let _ = write!(out, "{}{}:", if k > 0 { ";" } else { "" }, c + 1);
                escape_into(out, label);
            }
        };
        sorted.clear();
        for Answer { row, score, comment } in answers {
            let from = texts.len();
            let _ = write!(texts, "{}:", row.day - f.first_day);
            if *score != NO_SCORE {
                let _ = write!(texts, "{score}");
            }
            places(texts, [row.category, row.channel, row.level]);
            texts.push(':');
            escape_into(texts, comment.unwrap_or(""));
            sorted.push(from..texts.len());
        }
        sort(sorted, texts);
        let mut net = Money::default();
        lines.iter().for_each(|l| net.add_sum(l.1));
        let window = customers::spend_window_start(self.as_of)..=self.as_of;
        let mut spend_12 = Money::default();
        lines.iter().filter(|l| window.contains(&l.0.day)).for_each(|l| spend_12.add_sum(l.1));
        let level = self.latest_level.as_ref().map_or("", |rule| {
            let mut latest = LatestLevel::NONE;
            rows.iter().for_each(|r| rule.step(&mut latest, r.day, r.level));
            label(&dataset.member_level, latest.1)
        });
        // The cells built here, one after another in `cells`, by where each ends.
        let mut ends = [0usize; 9];
        let cell = |cells: &mut String, k: usize, ends: &mut [usize; 9]| ends[k] = cells.len();
        let _ = write!(cells, "{}", f.frequency);
        cell(cells, 0, &mut ends);
        if amounts {
            write_micros(cells, net.micros());
        }
        cell(cells, 1, &mut ends);
        if amounts {
            write_micros(cells, spend_12.micros());
        }
        cell(cells, 2, &mut ends);
        labelled(cells, &categories);
        cell(cells, 3, &mut ends);
        labelled(cells, &channels);
        cell(cells, 4, &mut ends);
        labelled(cells, &member_levels);
        cell(cells, 5, &mut ends);
        join(cells, orders, joined, ';');
        cell(cells, 6, &mut ends);
        join(cells, loose, texts, ';');
        cell(cells, 7, &mut ends);
        join(cells, sorted, texts, ';');
        cell(cells, 8, &mut ends);
        let built = |k: usize| &cells[if k == 0 { 0 } else { ends[k - 1] }..ends[k]];
        let row = [
            VERSION,
            dataset.customers.name(f.customer).unwrap_or(""),
            &format_day(f.first_day),
            &format_day(f.last_day),
            built(0),
            built(1),
            built(2),
            f.first_channel.map_or("", |c| label(&dataset.channel, c)),
            level,
            built(3),
            built(4),
            built(5),
            built(6),
            built(7),
            // `answers` with scores, `comments` without: one of the two is written.
            built(8),
            built(8),
        ];
        let kept = crate::core::ingest::facts::COLUMNS.iter().zip(row).filter(|(c, _)| self.has.column(c)).map(|(_, v)| v);
        w.write_record(kept)
    }
}

/// Working lists of [`Writing::customer`], reused from one customer to the next.
#[derive(Default)]
struct Lists {
    lines: Vec<(Key, Money)>,
    /// The lines' and answers' texts, one after another.
    texts: String,
    /// An order's lines (ranges of `texts`).
    items: Vec<std::ops::Range<usize>>,
    /// The orders, each its lines joined (ranges of `joined`).
    orders: Vec<std::ops::Range<usize>>,
    /// The lines without an order (ranges of `texts`).
    loose: Vec<std::ops::Range<usize>>,
    joined: String,
    /// The answers (ranges of `texts`).
    sorted: Vec<std::ops::Range<usize>>,
    /// The row's cells built here, one after another.
    cells: String,
}

impl Lists {
    fn clear(&mut self) {
        self.lines.clear();
        self.texts.clear();
        self.items.clear();
        self.orders.clear();
        self.loose.clear();
        self.joined.clear();
        self.sorted.clear();
        self.cells.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ingest::testing::{fixture_files, in_memory, random_date, read_aside};
    use crate::core::ingest::{ingest, IngestOptions};

    /// How a file is read with its rows put aside: rows held before they are put aside, customers
    /// a bucket, rows gathered, threads, and the split — where the first reader stops (a share of
    /// the file) and how many readers read the rest (none: not split).
    type Sizes = (usize, u32, usize, usize, Option<(f64, usize)>);

    /// The facts file of `bytes` read with its rows put aside as `sizes` says; `None` where the
    /// file does not stream.
    fn aside(bytes: &[u8], (chunk, per_bucket, gather, threads, split): Sizes) -> Option<Result<String, String>> {
        let new_spill = || Spill::new(in_memory(), per_bucket, chunk).with_answers();
        let mut read = match read_aside(bytes, &new_spill, split)? {
            Ok(read) => read,
            Err(e) => return Some(Err(e.to_string())),
        };
        let mut out = Vec::new();
        let written = write_aside(&read.dataset, &mut read.spill, gather, threads, &mut out).unwrap();
        Some(written.map(|()| String::from_utf8(out).unwrap()).map_err(|e| e.to_string()))
    }

    /// The facts file of `bytes` read whole, rows held.
    fn held(bytes: &[u8]) -> Result<String, String> {
        let ingested = ingest(bytes, "f.csv", &IngestOptions::default(), &mut |_, _| {}).map_err(|e| e.to_string())?;
        facts_csv(&ingested.dataset).map_err(|e| e.to_string())
    }

    const SIZES: [Sizes; 5] = [
        (1 << 20, 1 << 18, SPILL_GATHER_ROWS, 2, None),
        (7, 3, 5, 3, None),
        (1, 1, 1, 1, None),
        (1 << 20, 1 << 18, SPILL_GATHER_ROWS, 2, Some((0.5, 1))),
        (5, 2, 7, 2, Some((0.3, 3))),
    ];

    #[test]
    fn files_that_give_no_facts_are_refused_for_the_same_reason_with_their_rows_put_aside() {
        for text in [
            "customer_id,amount\na,1\n",
            "customer_id,amount\n",
            "customer_id,date,amount\n",
            "customer_id,date,score\na,2024-01-02,9\n",
            "customer_id,date,amount\n,2024-01-02,\n",
            "customer_id,date,amount\na,2024-01-02,x\n",
        ] {
            let expected = held(text.as_bytes());
            for sizes in SIZES {
                assert_eq!(aside(text.as_bytes(), sizes), Some(expected.clone()), "{text:?} {sizes:?}");
            }
        }
    }

    #[test]
    fn every_fixture_that_streams_has_the_same_facts_file_with_its_rows_put_aside() {
        let (mut compared, mut with) = (0, [0; 2]);
        for (path, bytes) in fixture_files() {
            for sizes in SIZES {
                let Some(got) = aside(&bytes, sizes) else { continue };
                let expected = held(&bytes);
                assert!(got == expected, "{} {sizes:?}: {got:?} against {expected:?}", path.display());
                compared += 1;
                let header = expected.as_deref().ok().and_then(|text| text.lines().next()).unwrap_or("");
                for (k, column) in ["levels", "answers"].into_iter().enumerate() {
                    with[k] += usize::from(header.contains(column));
                }
            }
        }
        assert!(
            compared >= 60 && with.iter().all(|&n| n >= 5),
            "{compared} readings compared, {with:?} with member levels, answers"
        );
    }

    /// A file of orders with channels, categories, member levels and survey answers (scores with
    /// comments or without, comments without scores) whose customers come back, guests, order ids
    /// over several days, refunds and wholly refunded rows (−0); dates whose order stays open
    /// through the head and is settled later (day first or month first) or never.
    fn random_orders(rows: &[(u32, u32, u32, usize, u32, usize, usize)], settle: usize, at: usize) -> String {
        const AMOUNTS: [&str; 8] = ["10", "-5.5", "-0", "0", "3.25", "99.99", "1e3", ""];
        const LABELS: [&str; 6] = ["", "普通", "银卡", "金卡", "gold", "钻石"];
        const COMMENTS: [&str; 4] = ["", "很好", "\"慢, 但是\"\"好\"\"\"", "ok"];
        let mut text = String::from("订单号,客户ID,下单时间,实付金额,渠道,品类,会员等级,推荐意愿,评论\n");
        for (i, &(c, a, b, amount, order, channel, label)) in rows.iter().enumerate() {
            let id = if c == 0 { String::new() } else { format!("c{c}") };
            let date = random_date(a, b, settle, i == at);
            let score = if (order + b) % 5 == 0 { ((a + b) % 11).to_string() } else { String::new() };
            let comment = COMMENTS[(order as usize + i) % 7 % 4];
            let order = if order < 10 { String::new() } else { format!("o{order}") };
            let (channel, category) = (["", "web", "app", "store"][channel % 4], ["", "手机", "电视", "穿戴"][label % 4]);
            let (amount, level) = (AMOUNTS[amount % 8], LABELS[(label + c as usize) % 6]);
            text.push_str(&format!("{order},{id},{date},{amount},{channel},{category},{level},{score},{comment}\n"));
        }
        text
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
        #[test]
        fn random_files_have_the_same_facts_file_with_their_rows_put_aside(
            rows in proptest::collection::vec((0u32..40, 1u32..=12, 1u32..=12, 0usize..8, 0u32..30, 0usize..4, 0usize..12), 1001..1300),
            settle in 0usize..3,
            at in 1000usize..1300,
            chunk in 1usize..300,
            per_bucket in 1u32..9,
            gather in 1usize..400,
            threads in 1usize..4,
            split in proptest::option::of((0.05f64..0.95, 1usize..4)),
        ) {
            let text = random_orders(&rows, settle, at);
            let got = aside(text.as_bytes(), (chunk, per_bucket, gather, threads, split));
            proptest::prop_assert!(got.is_some(), "the file streams");
            let expected = held(text.as_bytes());
            proptest::prop_assert!(got == Some(expected.clone()), "{got:?} against {expected:?}");
        }
    }
}
