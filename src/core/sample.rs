//! Demo data: a realistic order export of a consumer-electronics brand, generated from a seed.
//!
//! Customers are simulated the buy-till-you-die way (each has a Poisson purchase rate drawn from a
//! gamma distribution and drops out after any purchase with a probability drawn from a beta
//! distribution, as in Fader, Hardie & Lee 2005), so that later analyses (RFM, lifecycle, CLV) find
//! the structure they would in real data. Columns and values look like a Chinese mall export:
//! Chinese headers, order ids, times of day, channels, categories, member levels that rise with spend,
//! refunds as negative rows, and NPS answers with comments in Chinese and English on some orders.
//! The generator uses PCG, whose output is the same on every platform, so a seed means the same file
//! natively and in the browser.

use crate::core::values::{format_day, Day};
use rand::{Rng, SeedableRng};
use rand_distr::{Beta, Distribution, Exp, Gamma, LogNormal};
use rand_pcg::Pcg64Mcg;
use std::io::{self, Write};

/// The header of the generated file.
pub const HEADER: &str = "订单号,客户ID,下单时间,实付金额,数量,渠道,品类,会员等级,推荐意愿,评论";

/// Channels and the share of customers who first buy through each.
const CHANNELS: &[(&str, f64)] = &[("线上商城", 0.35), ("App", 0.25), ("零售门店", 0.25), ("合作伙伴", 0.15)];

/// Categories: name, typical price, price spread, share of first purchases, share of repeat purchases.
const CATEGORIES: &[(&str, f64, f64, f64, f64)] = &[
    ("手机", 2499.0, 0.35, 0.55, 0.15),
    ("穿戴设备", 299.0, 0.40, 0.15, 0.20),
    ("智能家居", 199.0, 0.50, 0.10, 0.25),
    ("电视", 2999.0, 0.30, 0.08, 0.06),
    ("笔记本", 4999.0, 0.25, 0.05, 0.04),
    ("配件", 79.0, 0.50, 0.07, 0.30),
];

const PROMOTER_COMMENTS: &[&str] = &[
    "性价比很高，推荐给朋友了",
    "系统流畅，拍照很好",
    "发货快，包装好",
    "一直用这个牌子，很放心",
    "Great value for money",
    "Love the ecosystem, everything connects",
    "Fast delivery and great support",
];
const PASSIVE_COMMENTS: &[&str] =
    &["还可以，续航一般", "价格有点贵", "物流有点慢", "Good phone but battery could be better", "Decent, nothing special"];
const DETRACTOR_COMMENTS: &[&str] = &[
    "售后服务太差",
    "发热严重，很失望",
    "客服回复慢",
    "用了一个月就坏了",
    "Screen broke within a month",
    "Support never answered my emails",
    "Too many ads in the system",
];

/// Counts of what was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SampleStats {
    pub customers: usize,
    pub rows: usize,
}

fn pick<'a, T>(rng: &mut Pcg64Mcg, items: &'a [T], weight: impl Fn(&T) -> f64) -> &'a T {
    let total: f64 = items.iter().map(&weight).sum();
    let mut u = rng.random::<f64>() * total;
    for item in items {
        u -= weight(item);
        if u <= 0.0 {
            return item;
        }
    }
    &items[items.len() - 1]
}

fn member_level(spend: f64) -> &'static str {
    match spend {
        s if s >= 15000.0 => "钻石",
        s if s >= 5000.0 => "金卡",
        s if s >= 1000.0 => "银卡",
        _ => "普通",
    }
}

/// One line of the sample as generated: the file is ordered by (`day`, `second`), lines of the same
/// moment in the order they were generated.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub day: Day,
    pub second: u32,
    pub text: String,
}

/// Writes a CSV of about 8 rows per customer over the three years 2023–2025.
///
/// # Errors
/// Only what `out` reports.
/// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
fn csv_field(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\"")).into()
    } else {
        text.into()
    }
}

pub fn write_sample(customers: usize, seed: u64, out: &mut dyn Write) -> io::Result<SampleStats> {
    let mut lines: Vec<Line> = Vec::with_capacity(customers * 9);
    generate(customers, seed, &mut |line| {
        lines.push(line);
        Ok(())
    })?;
    // Stable: lines of the same moment stay in the order they were generated.
    lines.sort_by_key(|l| (l.day, l.second));
    writeln!(out, "{HEADER}")?;
    for l in &lines {
        writeln!(out, "{}", l.text)?;
    }
    Ok(SampleStats { customers, rows: lines.len() })
}

/// The sample's lines customer by customer, each passed to `emit` as it is made (not in the file's
/// order: [`write_sample`] sorts them; a writer of a sample too big to hold sorts it in parts).
///
/// # Errors
/// What `emit` reports.
pub fn generate(customers: usize, seed: u64, emit: &mut dyn FnMut(Line) -> io::Result<()>) -> io::Result<()> {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let (start, last) = sample_days();
    let end = last - 7;
    let span = f64::from(end - start + 1);
    // Purchase rate per day ~ Gamma(r, 1/α); dropout after a purchase ~ Beta(a, b).
    let rate = Gamma::new(1.2, 1.0 / 50.0).map_err(io::Error::other)?;
    let dropout = Beta::new(1.0, 9.0).map_err(io::Error::other)?;
    let satisfaction = Beta::new(5.0, 1.6).map_err(io::Error::other)?;
    let mut order_no: u64 = 0;
    for c in 0..customers {
        let id = format!("{:08}", c + 1);
        let lambda: f64 = Distribution::<f64>::sample(&rate, &mut rng).max(1e-4);
        let p_drop: f64 = dropout.sample(&mut rng);
        let sat: f64 = satisfaction.sample(&mut rng);
        let channel = pick(&mut rng, CHANNELS, |c| c.1).0;
        // More customers arrive later: the brand is growing.
        let mut t = f64::from(start) + span * rng.random::<f64>().powf(0.8);
        let mut spend = 0.0;
        let mut first = true;
        let gap = Exp::new(lambda).map_err(io::Error::other)?;
        while t.floor() <= f64::from(end) {
            let day = t.floor() as Day;
            order_no += 1;
            let order = format!("SO{:010}", order_no);
            let order_channel = if rng.random::<f64>() < 0.7 { channel } else { pick(&mut rng, CHANNELS, |c| c.1).0 };
            let items = if rng.random::<f64>() < 0.2 { 2 } else { 1 };
            let second = rng.random_range(8 * 3600..23 * 3600);
            let level = member_level(spend);
            let surveyed = rng.random::<f64>() < 0.18;
            for item in 0..items {
                let cat =
                    if first && item == 0 { pick(&mut rng, CATEGORIES, |c| c.3) } else { pick(&mut rng, CATEGORIES, |c| c.4) };
                let price = LogNormal::new(cat.1.ln(), cat.2).map_err(io::Error::other)?.sample(&mut rng);
                let quantity = if cat.0 == "配件" { rng.random_range(1..=3) } else { 1 };
                let amount = (price * f64::from(quantity) * if level == "钻石" { 0.95 } else { 1.0 }).round();
                spend += amount;
                let (score, comment) = if surveyed && item == 0 {
                    let loyalty_boost = if spend > 5000.0 { 1.0 } else { 0.0 };
                    let s = (sat * 10.0 + loyalty_boost + rng.random_range(-1.0..1.0)).round().clamp(0.0, 10.0) as u8;
                    let pool = match s {
                        9..=10 => PROMOTER_COMMENTS,
                        7..=8 => PASSIVE_COMMENTS,
                        _ => DETRACTOR_COMMENTS,
                    };
                    let comment = if rng.random::<f64>() < 0.5 { pool[rng.random_range(0..pool.len())] } else { "" };
                    (s.to_string(), comment)
                } else {
                    (String::new(), "")
                };
                let text = format!(
                    "{order},{id},{} {:02}:{:02}:{:02},{amount:.2},{quantity},{order_channel},{},{level},{score},{}",
                    format_day(day),
                    second / 3600,
                    second / 60 % 60,
                    second % 60,
                    cat.0,
                    csv_field(comment)
                );
                emit(Line { day, second, text })?;
                if rng.random::<f64>() < 0.02 && day + 7 <= end {
                    // A refund a week later, against the same order.
                    let text = format!(
                        "{order},{id},{} 10:00:00,-{amount:.2},{quantity},{order_channel},{},{level},,",
                        format_day(day + 7),
                        cat.0
                    );
                    spend -= amount;
                    emit(Line { day: day + 7, second: 36000, text })?;
                }
            }
            first = false;
            if rng.random::<f64>() < p_drop {
                break;
            }
            t += gap.sample(&mut rng).max(1.0);
        }
    }
    Ok(())
}

/// The first and last day a sample line can fall on: purchases over 2023–2025, refunds up to a
/// week after the last purchase day.
pub fn sample_days() -> (Day, Day) {
    let start = crate::core::values::day_from_ymd(2023, 1, 1).unwrap_or(19358); // invariant: a valid date
    let end = crate::core::values::day_from_ymd(2025, 12, 31).unwrap_or(20453); // invariant: a valid date
    (start, end + 7)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ingest::roles::Role;
    use crate::core::ingest::{ingest, IngestOptions};

    #[test]
    fn the_same_seed_gives_the_same_file_and_another_seed_another() {
        let (mut a, mut b, mut c) = (Vec::new(), Vec::new(), Vec::new());
        write_sample(200, 7, &mut a).unwrap();
        write_sample(200, 7, &mut b).unwrap();
        write_sample(200, 8, &mut c).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn every_line_has_the_header_s_fields_and_comments_with_commas_are_quoted() {
        let mut bytes = Vec::new();
        write_sample(3000, 3, &mut bytes).unwrap();
        let mut reader = csv::ReaderBuilder::new().from_reader(&bytes[..]);
        let width = reader.headers().unwrap().len();
        let mut with_comma = 0;
        for record in reader.records() {
            let record = record.unwrap();
            assert_eq!(record.len(), width, "{record:?}");
            with_comma += usize::from(record[9].contains(','));
        }
        assert!(with_comma > 0, "the comment with a comma never came up");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\", ok"), "\"say \"\"hi\"\", ok\"");
        assert_eq!(csv_field("还可以，续航一般"), "还可以，续航一般");
    }

    #[test]
    fn the_sample_ingests_cleanly_with_every_role_found() {
        let mut bytes = Vec::new();
        let stats = write_sample(2000, 1, &mut bytes).unwrap();
        let ing = ingest(&bytes, "sample.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap();
        let r = &ing.report;
        assert_eq!(r.rows_rejected, 0, "{:?}", r.rejected.first());
        assert_eq!(r.rows_accepted as usize, stats.rows);
        assert_eq!(r.totals.customers, 2000);
        // The sample's orders are totals: no unit prices, statuses or refunds.
        for role in Role::ALL.into_iter().filter(|r| !matches!(r, Role::UnitPrice | Role::OrderStatus | Role::RefundAmount)) {
            assert!(r.mapping.contains_key(&role), "{role:?} not mapped");
        }
        let per_customer = stats.rows as f64 / 2000.0;
        assert!((4.0..=14.0).contains(&per_customer), "{per_customer} rows per customer");
        assert!(r.totals.refunds > 0);
        assert!(r.totals.responses > 100);
        let range = r.totals.date_range.as_ref().unwrap();
        assert!(range.first.starts_with("2023") && range.last.starts_with("2025"));
    }
}
