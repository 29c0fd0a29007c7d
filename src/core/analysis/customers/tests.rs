//! Customer facts against a simple computation of them, and their edge cases.

use super::*;
use crate::core::dataset::{Categorical, OrderIds};
use crate::core::values::{day_from_ymd, Money};

impl CustomerFacts {
    /// A customer with orders on `order_days` and nothing else; tests set what they need with
    /// struct-update syntax (`CustomerFacts { monetary: 9.0, ..CustomerFacts::with_orders(0, &[1]) }`).
    pub(crate) fn with_orders(customer: u32, order_days: &[Day]) -> Self {
        Self {
            customer,
            first_day: order_days.first().copied().unwrap_or(0),
            last_day: order_days.last().copied().unwrap_or(0),
            recency_days: 0,
            frequency: order_days.len() as u32,
            monetary: 0.0,
            tenure_days: 0,
            average_order_value: 0.0,
            categories: vec![],
            channels: vec![],
            first_channel: None,
            order_days: order_days.to_vec(),
            order_spend: vec![0.0; order_days.len()],
            spend_12_months: 0.0,
        }
    }
}

impl Input<'_> {
    /// [`Input::customer`] the simple way, column by column as each fact needs it: the reference
    /// the gathered rows are tested against.
    fn customer_simple(&self, group: &[u32]) -> CustomerFacts {
        let Input { dataset, days, amounts, as_of, .. } = *self;
        let mut purchases: Vec<usize> = Vec::new();
        let customer = dataset.customer[group[0] as usize];
        let orders = dataset.order.as_ref();
        let codes =
            |c: &Option<crate::core::dataset::Categorical>, i: usize| c.as_ref().map(|c| c.codes[i]).filter(|&x| x != MISSING);
        purchases.clear();
        purchases.extend(group.iter().map(|&i| i as usize).filter(|&i| !amounts[i].is_sign_negative()));
        // One entry per order: each order id on its first day with the sum of its purchase rows;
        // purchases without an id, once per day with the day's sum.
        let mut by_order: std::collections::BTreeMap<(bool, u64), (Day, Vec<f64>)> = Default::default();
        for &i in &purchases {
            let key = match orders.map(|o| o.keys[i]).filter(|&k| k != NO_ORDER) {
                Some(id) => (true, id),
                None => (false, days[i] as u64),
            };
            let entry = by_order.entry(key).or_insert((days[i], Vec::new()));
            entry.0 = entry.0.min(days[i]);
            entry.1.push(amounts[i]);
        }
        // By day, and on one day by value; each order's value its rows' exact sum.
        let mut list: Vec<(Day, Money)> = by_order.into_values().map(|(d, a)| (d, Money::of(a))).collect();
        list.sort_by_key(|o| (o.0, o.1.micros()));
        let order_days: Vec<Day> = list.iter().map(|o| o.0).collect();
        let order_spend: Vec<f64> = list.iter().map(|o| o.1.value() + 0.0).collect();
        let frequency = order_days.len() as u32;
        let in_window = |i: &u32| (spend_window_start(as_of)..=as_of).contains(&days[*i as usize]);
        let monetary = Money::of(group.iter().map(|&i| amounts[i as usize])).value() + 0.0;
        // The first and last purchase; a customer with only refunds, the first and last row.
        let (first_day, last_day) = match (purchases.first(), purchases.last()) {
            (Some(&f), Some(&l)) => (days[f], days[l]),
            _ => (group.first().map_or(as_of, |&i| days[i as usize]), group.last().map_or(as_of, |&i| days[i as usize])),
        };
        let mut categories: Vec<u32> = purchases.iter().filter_map(|&i| codes(&dataset.category, i)).collect();
        categories.sort_unstable();
        categories.dedup();
        let mut channels: Vec<u32> = purchases.iter().filter_map(|&i| codes(&dataset.channel, i)).collect();
        // The channel of the first purchase; when several channels share that first day (the file
        // does not say which came first), the one bought most through, then the first by name, so
        // that the result never depends on the order of the rows.
        let first_channel = dataset.channel.as_ref().and_then(|ch| {
            let with_channel = || purchases.iter().filter_map(|&i| codes(&dataset.channel, i).map(|c| (days[i], amounts[i], c)));
            let day = with_channel().map(|(d, _, _)| d).min()?;
            let mut sums: std::collections::BTreeMap<u32, Money> = Default::default();
            with_channel().filter(|&(d, _, _)| d == day).for_each(|(_, a, c)| sums.entry(c).or_default().add(a));
            sums.into_iter()
                .max_by(|a, b| a.1.micros().cmp(&b.1.micros()).then_with(|| ch.labels.name(b.0).cmp(&ch.labels.name(a.0))))
                .map(|(c, _)| c)
        });
        channels.sort_unstable();
        channels.dedup();
        CustomerFacts {
            customer,
            first_day,
            last_day,
            recency_days: as_of - last_day,
            frequency,
            monetary,
            tenure_days: as_of - first_day,
            average_order_value: if frequency > 0 { monetary / f64::from(frequency) } else { 0.0 },
            categories,
            channels,
            first_channel,
            order_days,
            order_spend,
            spend_12_months: Money::of(group.iter().filter(|i| in_window(i)).map(|&i| amounts[i as usize])).value() + 0.0,
        }
    }
}

const EPS: f64 = 1e-9;

fn day(m: u32, d: u32) -> Day {
    day_from_ymd(2024, m, d).unwrap()
}

/// Rows of (customer, month, day, amount, order id or "").
fn dataset(rows: &[(&str, u32, u32, f64, &str)]) -> Dataset {
    let mut ds = Dataset { day: Some(vec![]), amount: Some(vec![]), ..Dataset::default() };
    let with_orders = rows.iter().any(|r| !r.4.is_empty());
    if with_orders {
        ds.order = Some(OrderIds::default());
    }
    for &(c, m, d, a, o) in rows {
        let code = ds.customers.intern(c);
        ds.customer.push(code);
        ds.day.as_mut().unwrap().push(day(m, d));
        ds.amount.as_mut().unwrap().push(a);
        if let Some(order) = ds.order.as_mut() {
            order.push(o);
        }
    }
    ds
}

fn of<'a>(f: &'a Facts, ds: &Dataset, name: &str) -> &'a CustomerFacts {
    f.customers.iter().find(|c| ds.customers.name(c.customer) == Some(name)).unwrap()
}

#[test]
fn the_default_as_of_is_the_day_after_the_last_transaction() {
    let ds = dataset(&[("a", 1, 1, 5.0, ""), ("b", 3, 10, 5.0, "")]);
    let f = facts(&ds, None).unwrap();
    assert_eq!(f.as_of, day(3, 11));
    assert_eq!(of(&f, &ds, "b").recency_days, 1);
    assert_eq!(of(&f, &ds, "a").recency_days, day(3, 11) - day(1, 1));
}

#[test]
fn frequency_counts_purchase_days_without_order_ids() {
    let ds = dataset(&[("a", 1, 1, 5.0, ""), ("a", 1, 1, 7.0, ""), ("a", 1, 9, 1.0, "")]);
    let f = facts(&ds, None).unwrap();
    let a = of(&f, &ds, "a");
    assert_eq!(a.frequency, 2);
    assert!((a.monetary - 13.0).abs() < EPS);
    assert!((a.average_order_value - 6.5).abs() < EPS);
}

#[test]
fn frequency_counts_distinct_orders_with_order_ids_and_refunds_are_netted_not_counted() {
    let ds = dataset(&[
        ("a", 1, 1, 5.0, "o1"),
        ("a", 1, 1, 7.0, "o2"),
        ("a", 1, 1, 2.0, "o2"),
        ("a", 1, 8, -7.0, "o2"),
        ("a", 2, 1, 3.0, "o3"),
    ]);
    let f = facts(&ds, None).unwrap();
    let a = of(&f, &ds, "a");
    assert_eq!(a.frequency, 3);
    assert!((a.monetary - 10.0).abs() < EPS);
    assert_eq!(a.last_day, day(2, 1));
}

#[test]
fn each_order_is_worth_its_purchase_rows_on_its_first_day() {
    let ds = dataset(&[
        ("a", 1, 5, 10.0, "o1"),
        ("a", 1, 5, 5.0, "o1"),
        ("a", 1, 6, -3.0, "o1"), // a return: not a purchase
        ("a", 1, 7, 2.0, "o1"),  // a line shipped later: still o1, on Jan 5
        ("a", 2, 1, 20.0, "o2"),
        ("a", 2, 1, 7.0, ""), // purchases without an id: the day's, one order
        ("a", 2, 1, 8.0, ""),
    ]);
    let f = facts(&ds, None).unwrap();
    let a = of(&f, &ds, "a");
    // o1 = 10 + 5 + 2 on Jan 5; on Feb 1 the day's purchases without an id (15), then o2 (20).
    assert_eq!(a.order_days, vec![day(1, 5), day(2, 1), day(2, 1)]);
    assert_eq!(a.order_spend, vec![17.0, 15.0, 20.0]);
}

#[test]
fn rows_after_the_as_of_date_are_left_out_and_counted() {
    let ds = dataset(&[("a", 1, 1, 5.0, ""), ("a", 6, 1, 5.0, ""), ("b", 7, 1, 1.0, "")]);
    let f = facts(&ds, Some(day(3, 1))).unwrap();
    assert_eq!(f.rows_after_as_of, 2);
    assert_eq!(f.customers.len(), 1);
    assert_eq!(of(&f, &ds, "a").frequency, 1);
    assert_eq!(facts(&ds, Some(day(1, 1) - 1)), Err(FactsError::NoRows));
    // No row at all (every row of the file rejected) is told apart from none before the date.
    let empty = dataset(&[]);
    assert_eq!(facts(&empty, None), Err(FactsError::NothingRead));
    assert_eq!(facts(&empty, Some(day(3, 1))), Err(FactsError::NothingRead));
}

#[test]
fn a_single_purchase_has_zero_tenure_gap_between_first_and_last() {
    let ds = dataset(&[("solo", 2, 2, 9.0, "")]);
    let f = facts(&ds, None).unwrap();
    let s = of(&f, &ds, "solo");
    assert_eq!((s.first_day, s.last_day, s.recency_days, s.tenure_days, s.frequency), (day(2, 2), day(2, 2), 1, 1, 1));
}

#[test]
fn the_first_channel_is_the_largest_first_day_order_s_then_the_first_by_name() {
    // (customer, day, amount, channel): refunds and rows without a channel do not count; on
    // the first day with a channel the largest purchase decides, then the name, in any row order.
    let rows = [
        ("a", 1, -5.0, "Web"),
        ("a", 2, 3.0, ""),
        ("a", 3, 10.0, "Store"),
        ("a", 3, 10.0, "App"),
        ("a", 3, 4.0, "Mall"),
        ("a", 4, 50.0, "Web"),
        ("b", 3, 7.0, "Store"),
        ("b", 3, 9.0, "Web"),
        ("b", 3, 9.0, "Web"),
        ("b", 3, 2.0, "App"),
    ];
    for reversed in [false, true] {
        let mut ds = Dataset { day: Some(vec![]), amount: Some(vec![]), channel: Some(Default::default()), ..Dataset::default() };
        let ordered: Vec<_> = if reversed { rows.iter().rev().collect() } else { rows.iter().collect() };
        for &&(c, d, a, ch) in &ordered {
            let code = ds.customers.intern(c);
            ds.customer.push(code);
            ds.day.as_mut().unwrap().push(day(1, d));
            ds.amount.as_mut().unwrap().push(a);
            ds.channel.as_mut().unwrap().push(ch);
        }
        let f = facts(&ds, None).unwrap();
        let channel = |name: &str| {
            let ch = ds.channel.as_ref().unwrap();
            of(&f, &ds, name).first_channel.and_then(|c| ch.labels.name(c)).map(str::to_string)
        };
        assert_eq!(channel("a").as_deref(), Some("App"), "reversed: {reversed}");
        assert_eq!(channel("b").as_deref(), Some("Web"), "reversed: {reversed}");
    }
}

#[test]
fn facts_computed_on_threads_equal_those_computed_on_one() {
    let mut bytes = Vec::new();
    crate::core::sample::write_sample(400, 7, &mut bytes).unwrap();
    let mut ds = crate::core::ingest::ingest(&bytes, "s.csv", &Default::default(), &mut |_, _| {}).unwrap().dataset;
    assert!(ds.channel.is_some() && ds.category.is_some() && ds.order.is_some());
    // Some anonymous rows too: they come last, as a group of their own.
    for i in (0..ds.rows()).step_by(97) {
        ds.customer[i] = MISSING;
    }
    let one = facts_in(&ds, None, 1).unwrap();
    assert!(one.customers.len() > 300);
    for parts in 2..=5 {
        assert_eq!(facts_in(&ds, None, parts), Ok(one.clone()), "{parts} parts");
    }
}

#[test]
fn facts_need_dates() {
    let ds = Dataset { amount: Some(vec![]), ..Dataset::default() };
    assert_eq!(facts(&ds, None), Err(FactsError::NoDates));
}

#[test]
fn without_amounts_every_row_is_a_purchase_and_no_money_is_counted() {
    // A visit log: a visits on two days (twice on the second), b once; as of 2024-01-11.
    let text = "cust,date\na,2024-01-01\na,2024-01-05\na,2024-01-05\nb,2024-01-10\n";
    let ds = crate::core::ingest::ingest(text.as_bytes(), "v.csv", &Default::default(), &mut |_, _| {}).unwrap().dataset;
    assert!(ds.amount.is_none());
    let f = facts(&ds, None).unwrap();
    assert!(!f.amounts);
    let a = &f.customers[0];
    // Distinct days without order ids: two visits; recency from the last, 2024-01-05, to the 11th.
    assert_eq!((a.frequency, a.recency_days, a.order_days.len()), (2, 6, 2));
    assert_eq!((a.monetary, a.spend_12_months), (0.0, 0.0));
    assert_eq!(f.customers[1].frequency, 1);
}

#[test]
fn a_survey_or_a_member_list_is_not_read_as_purchases() {
    let read =
        |text: &str| crate::core::ingest::ingest(text.as_bytes(), "f.csv", &Default::default(), &mut |_, _| {}).unwrap().dataset;
    // Answers (a score, no amounts): their dates are answers, some customers anonymous.
    let survey = read(
        "customer_id,date,score
a,2024-01-01,9
,2024-01-02,3
",
    );
    assert_eq!(facts(&survey, None), Err(FactsError::SurveyOnly));
    // Sign-ups (the date column says registration, no amounts), in Chinese and in English.
    for header in ["会员ID,注册日期,来源", "member_id,Signup Date,source", "id,registered_at,channel"] {
        let members = read(&format!(
            "{header}
m1,2024-01-05,广告
m2,2024-02-01,门店
"
        ));
        assert!(members.registration_dates, "{header}");
        assert_eq!(facts(&members, None), Err(FactsError::RegistrationDates), "{header}");
    }
    // With amounts the same column is what the user mapped as the purchase date: read as purchases.
    let orders = read(
        "customer_id,注册日期,amount
a,2024-01-05,10
",
    );
    assert!(orders.registration_dates && facts(&orders, None).is_ok());
    // A visit log's dates are visits.
    assert!(facts(
        &read(
            "cust,visit_date
a,2024-01-05
"
        ),
        None
    )
    .is_ok());
}

#[test]
fn customers_are_gathered_in_runs_of_at_most_the_buffer_s_rows() {
    // Buckets of 3, 0, 2, 5 and 1 rows.
    let starts = [0, 3, 3, 5, 10, 11];
    assert_eq!(gather_end(&starts, 0, 5, 5), 3);
    assert_eq!(gather_end(&starts, 0, 5, 4), 2);
    assert_eq!(gather_end(&starts, 0, 5, 100), 5);
    assert_eq!(gather_end(&starts, 3, 5, 5), 4);
    assert_eq!(gather_end(&starts, 3, 5, 6), 5);
    // A customer with more rows than the buffer is gathered alone.
    assert_eq!(gather_end(&starts, 3, 5, 2), 4);
    assert_eq!(gather_end(&starts, 0, 1, 1), 1);
    // Not past the part's last bucket.
    assert_eq!(gather_end(&starts, 0, 2, 100), 2);
}

proptest::proptest! {
    /// A customer's facts from its gathered rows equal those read column by column (and the
    /// 12-month spend the sum of its daily amounts in the window), with or without order ids,
    /// channels and categories mapped, with refunds, empty cells and several orders on a day.
    #[test]
    fn gathered_rows_give_the_facts_read_column_by_column(
        rows in proptest::collection::vec(
            (0u8..20, 0i32..30, -50i32..500, proptest::option::of(0u8..10), proptest::option::of(0u8..4), proptest::option::of(0u8..5)),
            1..300,
        ),
        mapped in proptest::array::uniform3(proptest::bool::ANY),
    ) {
        let text = |c: &mut Option<Categorical>, v: Option<String>| {
            if let Some(c) = c.as_mut() {
                c.push(v.as_deref().unwrap_or(""));
            }
        };
        let some = |on: bool| on.then(Categorical::default);
        let mut ds = Dataset {
            day: Some(vec![]),
            amount: Some(vec![]),
            order: mapped[0].then(OrderIds::default),
            channel: some(mapped[1]),
            category: some(mapped[2]),
            ..Dataset::default()
        };
        for &(c, d, cents, order, channel, category) in &rows {
            let code = ds.customers.intern(&format!("c{c}"));
            ds.customer.push(code);
            // 27 days apart: the rows span two years, across the 12-month spend window.
            ds.day.as_mut().unwrap().push(19_000 + d * 27);
            // Thirds are not exact in binary: a sum in another row order would differ.
            ds.amount.as_mut().unwrap().push(f64::from(cents) / 3.0);
            if let Some(ids) = ds.order.as_mut() {
                ids.push(&order.map(|o| format!("o{c}-{o}")).unwrap_or_default());
            }
            text(&mut ds.channel, channel.map(|x| ["App", "Store", "Mall", "Web"][x as usize].to_string()));
            text(&mut ds.category, category.map(|x| format!("k{x}")));
        }
        let days = ds.day.clone().unwrap();
        let as_of = 19_000 + 29 * 27;
        let starts = bucket_starts(&ds, &days, as_of);
        let input = Input { dataset: &ds, days: &days, amounts: ds.amount.as_ref().unwrap(), starts: &starts, as_of, gather: 1, rules: Rules::of(&ds, as_of) };
        // Each customer's rows in (day, row) order, read column by column.
        let order = rows_by_customer_and_day(&ds, &days, as_of);
        let expected: Vec<CustomerFacts> =
            order.chunk_by(|&a, &b| ds.customer[a as usize] == ds.customer[b as usize]).map(|group| input.customer_simple(group)).collect();
        // Gathered a customer at a time, a few at a time, all at once; on one thread or three.
        for (gather, parts) in [(1, 1), (5, 1), (64, 3), (GATHER_ROWS, 1)] {
            let f = facts_gathering(&ds, Some(as_of), parts, gather).unwrap();
            proptest::prop_assert_eq!(&f.customers, &expected, "gathering {} rows at a time, {} parts", gather, parts);
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

    /// The fast path (interned ids, counting sort by customer) gives exactly what the simple
    /// path gives: the same row order, and per customer the same facts as a naive computation
    /// from the raw rows keyed by the id text.
    #[test]
    fn the_fast_path_equals_the_simple_path_on_random_data(
        rows in proptest::collection::vec((0u8..40, 0i32..60, -50i32..500, 0u8..30, proptest::bool::ANY), 1..400),
        cut in 0i32..70,
    ) {
        let mut ds = Dataset { day: Some(vec![]), amount: Some(vec![]), order: Some(OrderIds::default()), ..Dataset::default() };
        for &(c, d, cents, o, anonymous_order) in &rows {
            let code = ds.customers.intern(&format!("c{c:03}"));
            ds.customer.push(code);
            ds.day.as_mut().unwrap().push(19_000 + d);
            ds.amount.as_mut().unwrap().push(f64::from(cents) / 4.0);
            let order = if anonymous_order { String::new() } else { format!("o{c}-{o}") };
            ds.order.as_mut().unwrap().push(&order);
        }
        let as_of = 19_000 + cut;
        let Ok(f) = facts(&ds, Some(as_of)) else {
            proptest::prop_assert!(rows.iter().all(|r| r.1 > cut));
            return Ok(());
        };
        // Computed in parts (on threads), it is the same list.
        for parts in [2, 3, 7] {
            let split = facts_in(&ds, Some(as_of), parts);
            proptest::prop_assert_eq!(split.as_ref(), Ok(&f));
        }
        // Gathered a few rows at a time, it is the same list.
        for gather in [1, 2, 17] {
            let gathered = facts_gathering(&ds, Some(as_of), 2, gather);
            proptest::prop_assert_eq!(gathered.as_ref(), Ok(&f));
        }
        // Naive: every customer's rows in the window, by id text.
        let mut naive: std::collections::BTreeMap<String, Vec<(i32, f64, Option<String>)>> = Default::default();
        for &(c, d, cents, o, anonymous_order) in &rows {
            if d <= cut {
                let order = (!anonymous_order).then(|| format!("o{c}-{o}"));
                naive.entry(format!("c{c:03}")).or_default().push((19_000 + d, f64::from(cents) / 4.0, order));
            }
        }
        proptest::prop_assert_eq!(f.customers.len(), naive.len());
        for cf in &f.customers {
            let id = ds.customers.name(cf.customer).unwrap();
            let mine = &naive[id];
            let monetary: f64 = mine.iter().map(|r| r.1).sum();
            proptest::prop_assert!((cf.monetary - monetary).abs() < 1e-9, "{id}: {} vs {monetary}", cf.monetary);
            // Rows of +0 (free orders) are purchases; negative rows are not.
            let purchases: Vec<&(i32, f64, Option<String>)> = mine.iter().filter(|r| !r.1.is_sign_negative()).collect();
            // Orders: each order id once (on its first day), each day of purchases without an id once.
            let mut ids: Vec<&String> = purchases.iter().filter_map(|r| r.2.as_ref()).collect();
            ids.sort();
            ids.dedup();
            let mut loose: Vec<i32> = purchases.iter().filter(|r| r.2.is_none()).map(|r| r.0).collect();
            loose.sort();
            loose.dedup();
            proptest::prop_assert_eq!(cf.frequency as usize, ids.len() + loose.len(), "{}", id);
            let dated: Vec<i32> = if purchases.is_empty() { mine.iter().map(|r| r.0).collect() } else { purchases.iter().map(|r| r.0).collect() };
            proptest::prop_assert_eq!(cf.first_day, *dated.iter().min().unwrap());
            proptest::prop_assert_eq!(cf.last_day, *dated.iter().max().unwrap());
            proptest::prop_assert_eq!(cf.recency_days, as_of - cf.last_day);
        }
    }
}
