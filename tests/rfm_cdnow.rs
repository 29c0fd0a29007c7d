//! RFM on the real CDNOW sample, checked against a deliberately naive reading of the formula
//! (count, for each customer, the customers with a strictly worse value: O(N²)), and against
//! values worked out by hand from the file.

use loyalty_lens::core::analysis::customers::facts;
use loyalty_lens::core::analysis::rfm::{score, CnSegment, RfmParams};
use loyalty_lens::core::ingest::{ingest, IngestOptions};

const TOLERANCE: f64 = 1e-9;

fn naive(values: &[f64], bins: usize, higher_is_better: bool) -> Vec<u8> {
    values
        .iter()
        .map(|&v| {
            let worse = values.iter().filter(|&&x| if higher_is_better { x < v } else { x > v }).count();
            (1 + bins * worse / values.len()) as u8
        })
        .collect()
}

#[test]
fn cdnow_sample_scores_match_the_naive_formula_for_every_customer() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cdnow/CDNOW_sample.txt");
    let bytes = std::fs::read(path).unwrap();
    let ds = ingest(&bytes, "CDNOW_sample.txt", &IngestOptions::default(), &mut |_, _| {}).unwrap().dataset;
    let f = facts(&ds, None).unwrap();
    assert_eq!(f.customers.len(), 2_357);
    for bins in [3u8, 5, 7] {
        let rfm = score(&f.customers, &RfmParams { bins, ..RfmParams::default() }).unwrap();
        let r: Vec<f64> = f.customers.iter().map(|c| f64::from(c.recency_days)).collect();
        let fr: Vec<f64> = f.customers.iter().map(|c| f64::from(c.frequency)).collect();
        let m: Vec<f64> = f.customers.iter().map(|c| c.monetary).collect();
        let (nr, nf, nm) = (naive(&r, bins.into(), false), naive(&fr, bins.into(), true), naive(&m, bins.into(), true));
        for (i, s) in rfm.scores.iter().enumerate() {
            assert_eq!((s.r, s.f, s.m), (nr[i], nf[i], nm[i]), "customer {i}, bins {bins}");
            let high = (r[i] < rfm.mean_recency, fr[i] > rfm.mean_frequency, m[i] > rfm.mean_monetary.unwrap());
            assert_eq!(s.cn_segment, Some(CnSegment::of(high.0, high.1, high.2)));
        }
    }
    // Customer 00004 by hand: purchases on 1997-01-01, 01-18, 08-02 and 12-12 for 29.33 + 29.73 +
    // 14.96 + 26.48; the as-of date is 1998-07-01, 201 days after the last purchase.
    let c = f.customers.iter().find(|c| ds.customers.name(c.customer) == Some("00004")).unwrap();
    assert_eq!((c.recency_days, c.frequency), (201, 4));
    assert!((c.monetary - 100.50).abs() < TOLERANCE);
}
