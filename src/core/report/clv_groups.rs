//! Predicted CLV rolled up by group — pyramid tier, RFM segment, lifecycle stage, first-purchase
//! channel and membership tier — each group's share of CLV beside its share of customers, and the
//! "core fans vs ordinary" multiple on predicted CLV (the case studies' "9.6×") with its interval.
//!
//! # Rules
//! - A group's CLV is the sum of its customers' predicted CLV; customers without a prediction (no
//!   spend model for them) count as customers, not as CLV, and the mean is over those with one.
//! - The multiple is the mean predicted CLV of the pyramid's top tier over its bottom tier's. Its
//!   95% interval is the percentile bootstrap: both tiers resampled with replacement
//!   [`RESAMPLES`] times (a fixed seed, so that the same data give the same interval).

use super::segments::Segmentation;
use crate::core::analysis::lifecycle::Stage;
use crate::core::dataset::{Dataset, MISSING};
use crate::core::report::actions::ClvByCode;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

/// Bootstrap resamples of the multiple.
pub const RESAMPLES: usize = 200;

/// One group's predicted CLV.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupClv {
    pub key: String,
    /// The Chinese name where there is one.
    pub zh: Option<String>,
    pub customers: usize,
    /// Customers with a prediction.
    pub with_clv: usize,
    pub clv: f64,
    /// Mean over the customers with a prediction.
    pub mean: Option<f64>,
    pub customer_share: f64,
    pub clv_share: f64,
}

/// The top tier's mean CLV over the bottom tier's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Multiple {
    pub top: String,
    pub base: String,
    pub value: f64,
    /// Percentile bootstrap, [`RESAMPLES`] resamples; `None` when a tier has fewer than 2 predictions.
    pub ci95: Option<(f64, f64)>,
}

/// The roll-ups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClvGroups {
    pub total: f64,
    pub by_pyramid: Vec<GroupClv>,
    pub by_segment: Vec<GroupClv>,
    pub by_stage: Vec<GroupClv>,
    /// Empty without a channel column.
    pub by_channel: Vec<GroupClv>,
    pub by_tier: Vec<GroupClv>,
    pub multiple: Option<Multiple>,
}

/// Groups `k` of `names` (one past the end: customers in none, named `other`) summed.
fn rolled(names: &[(String, Option<String>)], of: impl Fn(usize) -> usize, clv: &[Option<f64>], other: &str) -> Vec<GroupClv> {
    let n = clv.len();
    let mut sums = vec![(0usize, 0usize, 0.0f64); names.len() + 1];
    for (i, v) in clv.iter().enumerate() {
        let s = &mut sums[of(i).min(names.len())];
        s.0 += 1;
        if let Some(v) = v {
            s.1 += 1;
            s.2 += v;
        }
    }
    let total: f64 = sums.iter().map(|s| s.2).sum();
    let share = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
    names
        .iter()
        .cloned()
        .chain(std::iter::once((other.to_string(), None)))
        .zip(sums)
        .filter(|((key, _), s)| s.0 > 0 || key != other)
        .map(|((key, zh), (customers, with_clv, sum))| GroupClv {
            key,
            zh,
            customers,
            with_clv,
            clv: sum,
            mean: (with_clv > 0).then(|| sum / with_clv as f64),
            customer_share: share(customers as f64, n as f64),
            clv_share: share(sum, total),
        })
        .collect()
}

/// The ratio of the means of `top` and `base`, resampled.
fn bootstrap(top: &[f64], base: &[f64]) -> Option<(f64, f64)> {
    if top.len() < 2 || base.len() < 2 {
        return None;
    }
    let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(0x9_6);
    let mut mean_of = |xs: &[f64]| xs.iter().map(|_| xs[rng.random_range(0..xs.len())]).sum::<f64>() / xs.len() as f64;
    let mut ratios: Vec<f64> = (0..RESAMPLES)
        .filter_map(|_| {
            let (t, b) = (mean_of(top), mean_of(base));
            (b > 0.0).then(|| t / b)
        })
        .collect();
    if ratios.len() < RESAMPLES / 2 {
        return None;
    }
    ratios.sort_by(f64::total_cmp);
    let at = |q: f64| ratios[((ratios.len() - 1) as f64 * q).round() as usize];
    Some((at(0.025), at(0.975)))
}

/// Rolls the predicted CLV of `seg`'s customers up by group.
pub fn clv_groups(ds: &Dataset, seg: &Segmentation, predicted: &ClvByCode) -> ClvGroups {
    let clv: Vec<Option<f64>> =
        seg.facts.customers.iter().map(|c| predicted.get(c.customer as usize).copied().flatten().and_then(|p| p.0)).collect();
    let plain = |names: Vec<String>| names.into_iter().map(|n| (n, None)).collect::<Vec<_>>();
    let pyramid = plain(seg.pyramid.tiers.iter().map(|t| t.name.clone()).collect());
    let by_pyramid = rolled(&pyramid, |i| seg.pyramid.of.get(i).copied().unwrap_or(usize::MAX), &clv, "(none)");
    let segments = plain(seg.rfm.segment_map().iter().map(|s| s.0.clone()).collect());
    let by_segment = rolled(&segments, |i| seg.rfm.scores[i].segment.unwrap_or(usize::MAX), &clv, "Unassigned");
    let stages: Vec<(String, Option<String>)> =
        Stage::ALL.iter().map(|s| (s.en().to_string(), Some(s.zh().to_string()))).collect();
    let by_stage = rolled(&stages, |i| seg.stages[i].index(), &clv, "(none)");
    let by_channel = match &ds.channel {
        Some(ch) => {
            let names = plain(ch.labels.names().into_iter().map(String::from).collect());
            let of = |i: usize| seg.facts.customers[i].first_channel.filter(|&c| c != MISSING).map_or(usize::MAX, |c| c as usize);
            rolled(&names, of, &clv, "(none)")
        }
        None => Vec::new(),
    };
    let by_tier = match &seg.tiers {
        Some(t) => rolled(&plain(t.names.clone()), |i| t.of[i], &clv, "(none)"),
        None => Vec::new(),
    };
    let total = clv.iter().flatten().sum();
    let multiple = match (seg.pyramid.tiers.first(), seg.pyramid.tiers.last()) {
        (Some(top), Some(base)) if seg.pyramid.tiers.len() >= 2 => {
            let values = |k: usize| -> Vec<f64> {
                clv.iter().enumerate().filter(|&(i, _)| seg.pyramid.of.get(i) == Some(&k)).filter_map(|(_, v)| *v).collect()
            };
            let (t, b) = (values(0), values(seg.pyramid.tiers.len() - 1));
            let mean = |xs: &[f64]| (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64);
            match (mean(&t), mean(&b)) {
                (Some(mt), Some(mb)) if mb > 0.0 => {
                    Some(Multiple { top: top.name.clone(), base: base.name.clone(), value: mt / mb, ci95: bootstrap(&t, &b) })
                }
                _ => None,
            }
        }
        _ => None,
    };
    ClvGroups { total, by_pyramid, by_segment, by_stage, by_channel, by_tier, multiple }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::analysis::pyramid::{Measure, PyramidParams};
    use crate::core::report::segments::{segment, SegmentationParams};
    use crate::core::values::parse_iso_date;

    const EPS: f64 = 1e-9;

    #[test]
    fn roll_ups_equal_the_per_customer_sums_and_the_multiple_their_means() {
        // Eight customers, one order each; the pyramid by total spend, top 25% (a, b) and the rest.
        let rows = [("a", 800.0), ("b", 700.0), ("c", 60.0), ("d", 50.0), ("e", 40.0), ("f", 30.0), ("g", 20.0), ("h", 10.0)];
        let mut ds = Dataset { day: Some(vec![]), amount: Some(vec![]), ..Dataset::default() };
        for (c, a) in rows {
            let code = ds.customers.intern(c);
            ds.customer.push(code);
            ds.day.as_mut().unwrap().push(parse_iso_date("2024-06-01").unwrap());
            ds.amount.as_mut().unwrap().push(a);
        }
        let params = SegmentationParams {
            pyramid: PyramidParams { measure: Measure::TotalSpend, tiers: vec![("Top".into(), 0.25), ("Rest".into(), 0.75)] },
            ..SegmentationParams::default()
        };
        let seg = segment(&ds, &params.check().unwrap()).unwrap();
        // Predicted CLV: a 1000, b 600, c–g 100 each, h none.
        let mut predicted: ClvByCode = vec![None; 8];
        for (k, v) in [1000.0, 600.0, 100.0, 100.0, 100.0, 100.0, 100.0].iter().enumerate() {
            predicted[k] = Some((Some(*v), 0.5));
        }
        predicted[7] = Some((None, 0.5));
        let g = clv_groups(&ds, &seg, &predicted);
        assert!((g.total - 2100.0).abs() < EPS);
        let top = &g.by_pyramid[0];
        assert_eq!((top.key.as_str(), top.customers, top.with_clv), ("Top", 2, 2));
        assert!(
            (top.clv - 1600.0).abs() < EPS
                && (top.clv_share - 1600.0 / 2100.0).abs() < EPS
                && (top.customer_share - 0.25).abs() < EPS
        );
        let rest = &g.by_pyramid[1];
        assert_eq!((rest.customers, rest.with_clv), (6, 5));
        assert!((rest.mean.unwrap() - 100.0).abs() < EPS, "h has no prediction: the mean is over five");
        // Every customer is in 考察期 (one recent order): one stage holds everything.
        let exploration = &g.by_stage[0];
        assert_eq!(exploration.customers, 8);
        assert!((exploration.clv - 2100.0).abs() < EPS);
        for groups in [&g.by_pyramid, &g.by_segment, &g.by_stage, &g.by_tier] {
            assert_eq!(groups.iter().map(|x| x.customers).sum::<usize>(), 8);
            assert!((groups.iter().map(|x| x.clv).sum::<f64>() - 2100.0).abs() < EPS);
        }
        // The multiple: 800 / 100; the top tier's two values resampled bound it by 600/100 … 1000/100.
        let m = g.multiple.unwrap();
        assert!((m.value - 8.0).abs() < EPS);
        let (lo, hi) = m.ci95.unwrap();
        assert!((6.0 - EPS..=8.0).contains(&lo) && (8.0..=10.0 + EPS).contains(&hi), "{lo} {hi}");
        assert_eq!(clv_groups(&ds, &seg, &predicted).multiple.unwrap().ci95, Some((lo, hi)), "the same data, the same interval");
    }
}
