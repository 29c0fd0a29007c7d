//! A dataset's totals counted as its rows pass a chunk at a time, for a file whose rows are not
//! kept (`inspect` on a big file): the numbers [`Dataset::totals`] gives for all the rows at once.
//! What cannot be added up as it comes — distinct orders, distinct customer-days — is kept as a
//! set of 8-byte keys, sorted and deduplicated whenever it has doubled.

use super::{recode, Dataset, DateRange, Totals, NO_ORDER, NO_SCORE};
use crate::core::values::{format_day, swap_day_month, to_cents, Day, Money};

/// Distinct 64-bit keys, kept sorted and deduplicated up to `sorted` with the newer ones after.
#[derive(Debug, Default)]
struct Distinct {
    keys: Vec<u64>,
    sorted: usize,
}

impl Distinct {
    fn push(&mut self, key: u64) {
        if self.keys.len() == self.keys.capacity() {
            self.compact();
        }
        self.keys.push(key);
    }

    /// Sorts and deduplicates the keys, and makes room for half as many again (exactly: a vector
    /// left to grow by doubling would hold up to four times the keys).
    fn compact(&mut self) {
        self.keys.sort_unstable();
        self.keys.dedup();
        self.sorted = self.keys.len();
        let room = (self.sorted / 2).max(1 << 16);
        self.keys.shrink_to(self.sorted + room);
        self.keys.reserve_exact(room);
    }

    /// Whether `key` is among the keys (once compacted).
    fn contains(&self, key: u64) -> bool {
        self.keys[..self.sorted].binary_search(&key).is_ok()
    }

    /// How many distinct keys there are.
    fn count(mut self) -> usize {
        self.compact();
        self.sorted
    }
}

/// The earliest and latest day seen.
#[derive(Debug, Default, Clone, Copy)]
struct Span(Option<(Day, Day)>);

impl Span {
    fn see(&mut self, day: Day) {
        self.0 = Some(self.0.map_or((day, day), |(a, b)| (a.min(day), b.max(day))));
    }

    fn and(self, other: Span) -> Span {
        match (self.0, other.0) {
            (Some((a, b)), Some((c, d))) => Span(Some((a.min(c), b.max(d)))),
            (x, y) => Span(x.or(y)),
        }
    }
}

/// Totals counted so far ([`Counting::take`] each chunk of rows, then [`Counting::finish`]).
#[derive(Debug, Default)]
pub struct Counting {
    rows: usize,
    /// Order keys of the rows that are orders (an order id mapped), or (customer, day) pairs of
    /// those whose dates are settled (none mapped), and the pairs of those read while the date
    /// order was open, month first.
    orders: Distinct,
    open_orders: Distinct,
    /// The order keys of the rows that are no orders (returns, refunds): with `orders`, every key
    /// a row had, which the further lines of an order without an amount of their own are checked
    /// against.
    returned: Distinct,
    days: Span,
    open_days: Span,
    open_days_swapped: Span,
    revenue: Money,
    refunds: usize,
    responses: usize,
}

/// A (customer, day) pair as one key.
fn pair(customer: u32, day: Day) -> u64 {
    (u64::from(customer) << 32) | u64::from(day as u32)
}

/// The (customer, day) pair of a key from [`pair`].
fn unpair(key: u64) -> (u32, Day) {
    ((key >> 32) as u32, key as u32 as Day)
}

impl Counting {
    /// Counts every row of `ds` (its customer codes interned); `open` lists, in ascending order,
    /// the rows whose dates were read month first while the date order was open.
    pub fn take(&mut self, ds: &Dataset, open: &[u32]) {
        let returned = |i: usize| ds.amount.as_ref().is_some_and(|a| a[i].is_sign_negative());
        let mut open = open.iter().peekable();
        for i in 0..ds.rows() {
            let undecided = open.next_if(|&&k| k as usize == i).is_some();
            if let Some(days) = &ds.day {
                let day = days[i];
                if undecided {
                    self.open_days.see(day);
                    self.open_days_swapped.see(swap_day_month(day));
                } else {
                    self.days.see(day);
                }
                if ds.order.is_none() && !returned(i) {
                    let key = pair(ds.customer[i], day);
                    if undecided {
                        self.open_orders.push(key);
                    } else {
                        self.orders.push(key);
                    }
                }
            }
            if let Some(order) = &ds.order {
                match order.keys[i] {
                    NO_ORDER => {}
                    key if returned(i) => self.returned.push(key),
                    key => self.orders.push(key),
                }
            }
            if let Some(amounts) = &ds.amount {
                self.revenue.add(amounts[i]);
                self.refunds += usize::from(amounts[i] < 0.0);
            }
            if let Some(scores) = &ds.score {
                self.responses += usize::from(scores[i] != NO_SCORE);
            }
        }
        self.rows += ds.rows();
    }

    /// Rows counted.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Adds what `other` counted (the rows of a later part of the file, read by another reader):
    /// its customers' codes mapped by `customers` (the part's code → this reader's) where the
    /// orders are customer-days (`by_day`: no order id is mapped).
    pub fn absorb(&mut self, other: Counting, customers: &[u32], by_day: bool) {
        let map = |key: u64| {
            if !by_day {
                return key;
            }
            let (customer, day) = unpair(key);
            pair(recode(customers, customer), day)
        };
        for key in other.orders.keys {
            self.orders.push(map(key));
        }
        for key in other.open_orders.keys {
            self.open_orders.push(map(key));
        }
        for key in other.returned.keys {
            self.returned.push(key);
        }
        self.rows += other.rows;
        self.days = self.days.and(other.days);
        self.open_days = self.open_days.and(other.open_days);
        self.open_days_swapped = self.open_days_swapped.and(other.open_days_swapped);
        self.revenue.add_sum(other.revenue);
        self.refunds += other.refunds;
        self.responses += other.responses;
    }

    /// Gets the order keys ready for [`Counting::had_order`], once the rows are all counted.
    pub fn settle(&mut self) {
        self.orders.compact();
        self.returned.compact();
    }

    /// Whether a row counted had order key `key` ([`Counting::settle`] first).
    pub fn had_order(&self, key: u64) -> bool {
        self.orders.contains(key) || self.returned.contains(key)
    }

    /// The totals of every row counted, as [`Dataset::totals`] gives them for `dataset` holding
    /// them all (it holds the labels and the mapped roles); `day_first`: the dates read while the
    /// date order was open are read day first.
    pub fn finish(self, dataset: &Dataset, day_first: bool) -> Totals {
        let orders = match (&dataset.order, &dataset.day) {
            (Some(_), _) => self.orders.count(),
            (None, Some(_)) => {
                let mut pairs = self.orders;
                let mut open = self.open_orders;
                open.compact();
                for &key in &open.keys {
                    let (customer, day) = unpair(key);
                    pairs.push(pair(customer, if day_first { swap_day_month(day) } else { day }));
                }
                pairs.count()
            }
            (None, None) => self.rows,
        };
        let open = if day_first { self.open_days_swapped } else { self.open_days };
        let date_range = dataset
            .day
            .as_ref()
            .and(self.days.and(open).0)
            .map(|(first, last)| DateRange { first: format_day(first), last: format_day(last) });
        Totals {
            customers: dataset.customers.len(),
            orders,
            date_range,
            revenue: dataset.amount.as_ref().map(|_| to_cents(self.revenue.value())),
            refunds: self.refunds,
            responses: self.responses,
            channels: dataset.channel.as_ref().map_or(0, |c| c.labels.len()),
            categories: dataset.category.as_ref().map_or(0, |c| c.labels.len()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::dataset::{Categorical, OrderIds, MISSING};

    /// A dataset of `rows`: (customer, day, amount, order id, score), with the columns given.
    fn dataset(rows: &[(u32, Day, f64, &str, u8)], orders: bool) -> Dataset {
        let mut ds = Dataset {
            day: Some(Vec::new()),
            amount: Some(Vec::new()),
            score: Some(Vec::new()),
            order: orders.then(OrderIds::default),
            channel: Some(Categorical::default()),
            ..Dataset::default()
        };
        for (k, &(c, d, a, o, s)) in rows.iter().enumerate() {
            let code = if c == MISSING { MISSING } else { ds.customers.intern(&format!("c{c}")) };
            ds.customer.push(code);
            ds.day.as_mut().unwrap().push(d);
            ds.amount.as_mut().unwrap().push(a);
            ds.score.as_mut().unwrap().push(s);
            if let Some(order) = ds.order.as_mut() {
                order.push(o);
            }
            ds.channel.as_mut().unwrap().push(["web", "app", ""][k % 3]);
        }
        ds
    }

    proptest::proptest! {
        /// Counted a chunk at a time, the last third by another reader with codes of its own, the
        /// totals are those of all the rows at once: with order ids or without, refunds and −0,
        /// anonymous rows, empty ids, scores and no answers.
        #[test]
        fn totals_counted_by_chunks_are_the_totals_of_the_whole(
            rows in proptest::collection::vec(
                (proptest::prop_oneof![0u32..30, proptest::strategy::Just(MISSING)], 0i32..60, 0usize..5, 0usize..12, 0u8..12),
                1..400,
            ),
            orders in proptest::bool::ANY,
            chunk in 1usize..50,
        ) {
            const AMOUNTS: [f64; 5] = [10.0, -5.5, -0.0, 0.0, 0.1];
            let ids: Vec<String> = (0..12).map(|k| if k < 3 { String::new() } else { format!("o{k}") }).collect();
            let rows: Vec<(u32, Day, f64, &str, u8)> = rows
                .iter()
                .map(|&(c, d, a, o, s)| (c, d, AMOUNTS[a], ids[o].as_str(), if s > 10 { NO_SCORE } else { s }))
                .collect();
            let whole = dataset(&rows, orders);
            // A second reader's part, counted with codes of its own and added at the end.
            let cut = (rows.len() * 2 / 3).max(1);
            let (first, second) = rows.split_at(cut);
            let part = dataset(second, orders);
            let mut part_counting = Counting::default();
            part_counting.take(&part, &[]);
            let map: Vec<u32> = (0..part.customers.len() as u32)
                .map(|c| whole.customers.code(part.customers.name(c).unwrap()).unwrap())
                .collect();
            let mut counting = Counting::default();
            for (k, piece) in first.chunks(chunk).enumerate() {
                // Each chunk as the reader hands it over: its customers coded as in the whole.
                let mut ds = dataset(piece, orders);
                ds.customer = whole.customer[k * chunk..k * chunk + piece.len()].to_vec();
                counting.take(&ds, &[]);
            }
            counting.absorb(part_counting, &map, !orders);
            counting.settle();
            // Every order key a row had is known, and no other (a few made up besides).
            let every: std::collections::HashSet<u64> = whole.order.as_ref().map(|o| o.keys.iter().copied().collect()).unwrap_or_default();
            let asked = ids.iter().map(|id| crate::core::dataset::order_key(id)).chain(["o99", "x"].map(crate::core::dataset::order_key));
            for key in asked.filter(|&k| k != NO_ORDER) {
                proptest::prop_assert_eq!(counting.had_order(key), every.contains(&key), "key {}", key);
            }
            proptest::prop_assert_eq!(counting.finish(&whole, false), whole.totals());
        }
    }

    #[test]
    fn dates_read_while_the_order_was_open_count_as_the_file_settled_them() {
        let day = |m, d| crate::core::values::day_from_ymd(2024, m, d).unwrap();
        // Customer 0 on 3 April and, read month first, on 4 March; settled day first, that is 3
        // April again: one customer-day, not two. The range ends on 3 April either way round; the
        // open 12 July read day first is 7 December.
        let rows = [(0, day(4, 3), 1.0, "", 0u8), (0, day(3, 4), 1.0, "", 0), (1, day(7, 12), 1.0, "", 0)];
        let ds = dataset(&rows, false);
        let count = |day_first: bool| {
            let mut counting = Counting::default();
            counting.take(&ds, &[1, 2]);
            counting.finish(&ds, day_first)
        };
        let month_first = count(false);
        assert_eq!((month_first.orders, month_first.date_range.unwrap().last), (3, "2024-07-12".to_string()));
        let day_first = count(true);
        assert_eq!((day_first.orders, day_first.date_range.unwrap().last), (2, "2024-12-07".to_string()));
    }
}
