//! Order ids as 64-bit fingerprints, and how many distinct ones there are.

/// The fingerprint of an empty order id cell.
pub const NO_ORDER: u64 = 0;

/// Order ids, as a 64-bit fingerprint (XXH3) of each row's id ([`NO_ORDER`] where empty).
///
/// All the analysis asks of order ids is which of a customer's rows share one, and ids are mostly
/// distinct (a million rows hold most of a million). Interned, like the other text columns, they
/// cost a cache miss per row as the file is read (a new id lands somewhere random in a table of
/// megabytes), again when the second half's ids are added to the first's, and about 30 bytes per
/// id. A fingerprint is computed from the cell alone, is the same in every worker, and is 8 bytes.
///
/// Two different ids are taken for one only if their 64-bit hashes are equal: among a customer's
/// n orders the chance is about n²/2⁶⁵ (3 in 10¹² for 10,000 orders).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrderIds {
    pub keys: Vec<u64>,
}

impl OrderIds {
    pub fn push(&mut self, text: &str) {
        self.keys.push(order_key(text));
    }

    /// How many distinct ids there are.
    ///
    /// Fingerprints are spread evenly over 64 bits, so they are first put in buckets by their top
    /// bits (a counting pass and a scattering pass, about [`BUCKET`] keys to a bucket), and then
    /// each bucket's keys are counted in a small table of their own that stays in the cache (open
    /// addressing, [`NO_ORDER`] marking a free slot): quicker than one sort of all keys
    /// (BENCHMARKS.md, "Design measurements"). Keys that are not spread (made up for a test) only
    /// make the buckets uneven; within a bucket they are mixed before probing.
    pub fn distinct(&self) -> usize {
        self.distinct_of(|k, _| k)
    }

    /// [`OrderIds::distinct`] of the rows whose amount is not of negative sign (returns and
    /// orders refunded in full are not orders), without a copy of the keys.
    pub fn distinct_bought(&self, amounts: &[f64]) -> usize {
        self.distinct_of(|k, i| if amounts.get(i).is_some_and(|a| a.is_sign_negative()) { NO_ORDER } else { k })
    }

    /// [`OrderIds::distinct`] of the keys as `key(key, row)` gives them ([`NO_ORDER`] leaves a row
    /// out).
    fn distinct_of(&self, key: impl Fn(u64, usize) -> u64) -> usize {
        /// Keys per bucket, on average.
        const BUCKET: usize = 256;
        let keys = &self.keys;
        let bits = (keys.len() / BUCKET).max(1).ilog2().min(20) + 1;
        let bucket = |k: u64| (k >> (64 - bits)) as usize;
        let mut starts = vec![0usize; (1 << bits) + 1];
        let kept = || keys.iter().enumerate().map(|(i, &k)| key(k, i)).filter(|&k| k != NO_ORDER);
        for k in kept() {
            starts[bucket(k) + 1] += 1;
        }
        for b in 1..starts.len() {
            starts[b] += starts[b - 1];
        }
        let mut next = starts.clone();
        let mut spread = vec![NO_ORDER; starts[1 << bits]];
        for k in kept() {
            let at = &mut next[bucket(k)];
            spread[*at] = k;
            *at += 1;
        }
        let largest = starts.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0);
        // At most half full.
        let mut table = vec![NO_ORDER; (2 * largest).next_power_of_two().max(2)];
        starts
            .windows(2)
            .map(|w| {
                let run = &spread[w[0]..w[1]];
                let size = (2 * run.len()).next_power_of_two().max(2);
                let slots = &mut table[..size];
                slots.fill(NO_ORDER);
                let shift = 64 - size.ilog2();
                let mut distinct = 0;
                for &k in run {
                    let mut i = (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize;
                    loop {
                        match slots[i] {
                            NO_ORDER => {
                                slots[i] = k;
                                distinct += 1;
                                break;
                            }
                            s if s == k => break,
                            _ => i = (i + 1) & (size - 1),
                        }
                    }
                }
                distinct
            })
            .sum()
    }

    /// [`OrderIds::distinct`] the simple way: the reference the fast path is tested against.
    #[cfg(test)]
    fn distinct_simple(&self) -> usize {
        let mut keys: Vec<u64> = self.keys.iter().copied().filter(|&k| k != NO_ORDER).collect();
        keys.sort_unstable();
        keys.dedup();
        keys.len()
    }
}

/// The fingerprint of an order id: [`NO_ORDER`] for the empty text only.
pub fn order_key(text: &str) -> u64 {
    if text.is_empty() {
        return NO_ORDER;
    }
    match xxhash_rust::xxh3::xxh3_64(text.as_bytes()) {
        NO_ORDER => 1,
        key => key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Counting distinct order ids by buckets gives what one sort gives, for fingerprints of
        /// real ids (spread evenly) and for keys bunched in a few buckets or all equal.
        #[test]
        fn distinct_orders_by_buckets_count_as_one_sort_does(
            ids in proptest::collection::vec(0u32..3_000, 0..4_000),
            bunched in proptest::collection::vec(proptest::prop_oneof![0u64..8, (u64::MAX - 8)..=u64::MAX, 1u64 << 40..(1u64 << 40) + 4], 0..2_000),
            empty in 0usize..50,
        ) {
            let mut orders = OrderIds::default();
            for id in &ids {
                orders.push(&format!("SO{id}"));
            }
            for _ in 0..empty {
                orders.push("");
            }
            proptest::prop_assert_eq!(orders.distinct(), orders.distinct_simple());
            proptest::prop_assert_eq!(orders.distinct(), ids.iter().collect::<std::collections::HashSet<_>>().len());
            let raw = OrderIds { keys: bunched };
            proptest::prop_assert_eq!(raw.distinct(), raw.distinct_simple());
            // Leaving out rows of negative sign: what the ids of the other rows count to.
            let amounts: Vec<f64> = (0..orders.keys.len()).map(|i| match i % 5 { 0 => -1.0, 1 => -0.0, 2 => 0.0, _ => 3.0 }).collect();
            let bought: std::collections::HashSet<u32> =
                ids.iter().enumerate().filter(|&(i, _)| !amounts[i].is_sign_negative()).map(|(_, &id)| id).collect();
            proptest::prop_assert_eq!(orders.distinct_bought(&amounts), bought.len());
        }
    }

    #[test]
    fn order_ids_are_told_apart_by_their_fingerprints() {
        let mut ids = OrderIds::default();
        for id in ["SO001", "SO001", "", "so001", "SO001 ", "1", "01", "订单1", "订单1"] {
            ids.push(id);
        }
        assert_eq!(ids.keys[2], NO_ORDER);
        assert_eq!(ids.keys[0], ids.keys[1]);
        assert_eq!(ids.keys[7], ids.keys[8]);
        assert_eq!(ids.distinct(), 6);
        // Ids as order systems number them, long and short, sequential and not: two million
        // distinct ids, two million distinct fingerprints, none of them the empty cell's.
        let mut keys: Vec<u64> = (0..1_000_000u64)
            .flat_map(|i| [format!("SO{i:010}"), format!("{}", i * 7_919 + 3)])
            .map(|id| order_key(&id))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), 2_000_000);
        assert!(!keys.contains(&NO_ORDER));
    }
}
