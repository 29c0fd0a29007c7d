//! The loyalty KPIs the case studies track, beyond the per-period ones in `states`: repurchase rate,
//! cross-category purchase rate and the category-to-category matrix, first-purchase channel
//! performance, and the revenue-per-customer multiple of the top 5% over the rest.
//!
//! # Formula
//! - repurchase rate = customers with ≥ 2 orders / customers;
//! - cross-category rate = customers who bought ≥ 2 categories / customers who bought any category;
//!   matrix cell (a, b) = buyers of a who also bought b / buyers of a (the diagonal is 1); the
//!   categories with the most buyers first, equal counts by name, the first 20 of them;
//! - top-5% multiple = mean revenue of the top ⌈5% · N⌉ customers / mean revenue of the others.

use crate::core::analysis::customers::CustomerFacts;
use crate::core::dataset::Dataset;
use serde::{Deserialize, Serialize};

/// The most categories the cross-category matrix shows (those with the most buyers).
pub const MATRIX_CATEGORIES: usize = 20;

/// One first-purchase channel's performance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelStat {
    pub channel: String,
    pub customers: usize,
    pub repeat_rate: f64,
    /// `None` when the file has no amounts.
    pub revenue_per_customer: Option<f64>,
}

/// The KPIs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kpis {
    pub repurchase_rate: f64,
    /// `None` when no category is mapped.
    pub cross_category_rate: Option<f64>,
    /// The categories of the matrix: most buyers first (equal counts by name), at most
    /// [`MATRIX_CATEGORIES`].
    pub categories: Vec<String>,
    /// Categories in the file (the cross-category rate counts them all).
    #[serde(default)]
    pub categories_total: usize,
    /// Row a, column b (in the order of `categories`): share of a's buyers who also bought b.
    pub category_matrix: Vec<Vec<f64>>,
    /// Empty when no channel is mapped; largest first.
    pub channels: Vec<ChannelStat>,
    /// `None` when the rest have no revenue.
    pub top5_multiple: Option<f64>,
}

/// Computes the KPIs.
pub fn kpis(dataset: &Dataset, customers: &[CustomerFacts]) -> Kpis {
    let n = customers.len();
    let share = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let repurchase_rate = share(customers.iter().filter(|c| c.frequency >= 2).count(), n);

    let labels: Vec<&str> = dataset.category.as_ref().map(|c| c.labels.names()).unwrap_or_default();
    let all = labels.len();
    // Buyers per category, and who bought two or more.
    let mut buyers = vec![0usize; all];
    let mut buyers_any = 0;
    let mut multi = 0;
    for c in customers {
        buyers_any += usize::from(!c.categories.is_empty());
        multi += usize::from(c.categories.len() >= 2);
        for &a in &c.categories {
            if let Some(b) = buyers.get_mut(a as usize) {
                *b += 1;
            }
        }
    }
    // The matrix's categories: most buyers first, then by name (an order of the categories' own,
    // not of the rows'), at most MATRIX_CATEGORIES of them: a column of product names or SKUs
    // mapped as the category has tens of thousands, and their matrix would not fit in memory.
    let mut order: Vec<usize> = (0..all).collect();
    order.sort_by(|&a, &b| buyers[b].cmp(&buyers[a]).then_with(|| labels[a].cmp(labels[b])));
    order.truncate(MATRIX_CATEGORIES);
    let k = order.len();
    let mut place = vec![usize::MAX; all];
    for (p, &a) in order.iter().enumerate() {
        place[a] = p;
    }
    let mut both = vec![vec![0usize; k]; k];
    let mut mine = Vec::new();
    for c in customers {
        mine.clear();
        mine.extend(c.categories.iter().filter_map(|&a| place.get(a as usize).copied().filter(|&p| p != usize::MAX)));
        for &a in &mine {
            for &b in &mine {
                both[a][b] += 1;
            }
        }
    }
    let category_matrix = (0..k).map(|a| (0..k).map(|b| share(both[a][b], both[a][a])).collect()).collect();
    let categories: Vec<String> = order.iter().map(|&a| labels[a].to_string()).collect();
    let cross_category_rate = dataset.category.as_ref().map(|_| share(multi, buyers_any));

    let mut channels: Vec<ChannelStat> = Vec::new();
    if let Some(ch) = &dataset.channel {
        let names = ch.labels.names();
        let mut acc = vec![(0usize, 0usize, 0.0f64); names.len()];
        for c in customers {
            if let Some(first) = c.first_channel {
                let e = &mut acc[first as usize];
                e.0 += 1;
                e.1 += usize::from(c.frequency >= 2);
                e.2 += c.monetary;
            }
        }
        channels = names
            .iter()
            .zip(acc)
            .filter(|(_, a)| a.0 > 0)
            .map(|(name, (count, repeat, revenue))| ChannelStat {
                channel: name.to_string(),
                customers: count,
                repeat_rate: share(repeat, count),
                revenue_per_customer: dataset.amount.is_some().then(|| revenue / count as f64),
            })
            .collect();
        channels.sort_by(|a, b| b.customers.cmp(&a.customers).then_with(|| a.channel.cmp(&b.channel)));
    }

    let mut revenue: Vec<f64> = customers.iter().map(|c| c.monetary).collect();
    // Values that compare equal are the same bits: an unstable sort gives the same list.
    revenue.sort_unstable_by(|a, b| b.total_cmp(a));
    let top = n.div_ceil(20);
    let top5_multiple = if n > top && dataset.amount.is_some() {
        let top_mean = revenue[..top].iter().sum::<f64>() / top as f64;
        let rest_mean = revenue[top..].iter().sum::<f64>() / (n - top) as f64;
        (rest_mean > 0.0).then(|| top_mean / rest_mean)
    } else {
        None
    };
    Kpis { repurchase_rate, cross_category_rate, categories, categories_total: all, category_matrix, channels, top5_multiple }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::dataset::Categorical;

    const EPS: f64 = 1e-12;

    fn customer(frequency: u32, monetary: f64, categories: &[u32], first_channel: Option<u32>) -> CustomerFacts {
        CustomerFacts {
            frequency,
            monetary,
            categories: categories.to_vec(),
            first_channel,
            ..CustomerFacts::with_orders(0, &[])
        }
    }

    fn labelled(names: &[&str]) -> Categorical {
        let mut c = Categorical::default();
        for n in names {
            c.push(n);
        }
        c
    }

    #[test]
    fn cross_category_matrix_reads_of_a_buyers_the_share_who_bought_b() {
        let ds = Dataset { category: Some(labelled(&["手机", "智能家居", "电视"])), ..Dataset::default() };
        // Phone buyers: 4; of them 2 also bought smart home, 1 also a TV.
        let customers = vec![
            customer(1, 1.0, &[0], None),
            customer(2, 1.0, &[0, 1], None),
            customer(2, 1.0, &[0, 1, 2], None),
            customer(1, 1.0, &[0], None),
            customer(1, 1.0, &[1], None),
        ];
        let k = kpis(&ds, &customers);
        assert!((k.category_matrix[0][1] - 0.5).abs() < EPS);
        assert!((k.category_matrix[0][2] - 0.25).abs() < EPS);
        assert!((k.category_matrix[1][0] - 2.0 / 3.0).abs() < EPS);
        assert!((k.category_matrix[2][2] - 1.0).abs() < EPS);
        assert!((k.cross_category_rate.unwrap() - 0.4).abs() < EPS);
        assert!((k.repurchase_rate - 0.4).abs() < EPS);
        assert_eq!(k.categories, ["手机", "智能家居", "电视"]);
    }

    #[test]
    fn categories_are_ordered_by_buyers_then_name_whatever_order_they_were_met_in() {
        // The same purchases as above, the categories met in another order (codes 0 电视, 1 手机,
        // 2 智能家居), and a fourth category with as many buyers as 电视.
        let ds = Dataset { category: Some(labelled(&["电视", "手机", "智能家居", "耳机"])), ..Dataset::default() };
        let customers = vec![
            customer(1, 1.0, &[1], None),
            customer(2, 1.0, &[1, 2], None),
            customer(2, 1.0, &[0, 1, 2], None),
            customer(1, 1.0, &[1, 3], None),
            customer(1, 1.0, &[2], None),
        ];
        let k = kpis(&ds, &customers);
        assert_eq!(k.categories, ["手机", "智能家居", "电视", "耳机"], "电视 and 耳机 have one buyer each: by name");
        assert!((k.category_matrix[0][1] - 0.5).abs() < EPS, "of 手机's 4 buyers 2 bought 智能家居");
        assert!((k.category_matrix[0][2] - 0.25).abs() < EPS);
        assert!((k.category_matrix[1][0] - 2.0 / 3.0).abs() < EPS);
        assert!((k.category_matrix[3][0] - 1.0).abs() < EPS, "耳机's buyer bought a phone");
        assert!(k.category_matrix[2][3].abs() < EPS);
    }

    #[test]
    fn the_matrix_keeps_the_categories_with_most_buyers_and_the_rate_counts_all() {
        // A category per product (5,000 of them): customer i bought products i and i + 1, and
        // product 0 has a buyer more than the others, so it leads.
        let names: Vec<String> = (0..5_000).map(|i| format!("P{i:04}")).collect();
        let ds =
            Dataset { category: Some(labelled(&names.iter().map(String::as_str).collect::<Vec<_>>())), ..Dataset::default() };
        let mut customers: Vec<CustomerFacts> = (0..4_999).map(|i| customer(1, 1.0, &[i, i + 1], None)).collect();
        customers.push(customer(1, 1.0, &[0], None));
        let k = kpis(&ds, &customers);
        assert_eq!(k.categories_total, 5_000);
        assert_eq!(k.categories.len(), MATRIX_CATEGORIES);
        assert_eq!(k.category_matrix.len(), MATRIX_CATEGORIES);
        assert!(k.category_matrix.iter().all(|row| row.len() == MATRIX_CATEGORIES));
        // P0000 has 2 buyers; P0001..P4998 2 each too; P4999 1: ties by name.
        assert_eq!(k.categories[..3], ["P0000", "P0001", "P0002"]);
        assert!((k.category_matrix[0][1] - 0.5).abs() < EPS, "one of P0000's two buyers bought P0001");
        assert!((k.cross_category_rate.unwrap() - 4_999.0 / 5_000.0).abs() < EPS);
    }

    #[test]
    fn channels_are_judged_by_their_first_purchases() {
        let ds = Dataset { channel: Some(labelled(&["App", "零售门店"])), amount: Some(vec![]), ..Dataset::default() };
        let customers = vec![customer(3, 300.0, &[], Some(0)), customer(1, 100.0, &[], Some(0)), customer(1, 50.0, &[], Some(1))];
        let k = kpis(&ds, &customers);
        assert_eq!(k.channels.len(), 2);
        assert_eq!((k.channels[0].channel.as_str(), k.channels[0].customers), ("App", 2));
        assert!((k.channels[0].repeat_rate - 0.5).abs() < EPS);
        assert!((k.channels[0].revenue_per_customer.unwrap() - 200.0).abs() < EPS);
        // A file without amounts: the same channels and repeat rates, no revenue per customer.
        let k = kpis(&Dataset { amount: None, ..ds }, &customers);
        assert_eq!((k.channels[0].customers, k.channels[0].revenue_per_customer), (2, None));
    }

    #[test]
    fn the_top_five_percent_multiple_compares_mean_revenues() {
        // 20 customers: the top one (5%) has 100, the other 19 have 10 each: multiple 10.
        let mut customers: Vec<CustomerFacts> = (0..19).map(|_| customer(1, 10.0, &[], None)).collect();
        customers.push(customer(1, 100.0, &[], None));
        let with_amounts = Dataset { amount: Some(vec![]), ..Dataset::default() };
        let k = kpis(&with_amounts, &customers);
        assert!((k.top5_multiple.unwrap() - 10.0).abs() < EPS);
        assert_eq!(kpis(&Dataset::default(), &customers).top5_multiple, None, "no multiple without amounts");
        assert_eq!(k.cross_category_rate, None);
        assert!(k.channels.is_empty());
        assert_eq!(kpis(&with_amounts, &[customer(1, 5.0, &[], None)]).top5_multiple, None);
    }
}
