//! Net Promoter Score with honest uncertainty.
//!
//! # Formula
//! Promoters score 9–10, passives 7–8, detractors 0–6. With shares p (promoters) and d (detractors)
//! of n answers: NPS = 100 (p − d), on −100..100. Its standard error comes from the trinomial
//! variance: SE = 100 · sqrt((p + d − (p − d)²) / n), and the 95% interval is NPS ± 1.96 SE (the
//! Wald interval). For small samples (n < 100) the adjusted-Wald interval is the default: add 3 to n
//! and ¾ to the promoters and the detractors before computing the interval (the point estimate
//! stays the plain NPS). With very few answers the adjustment can pull the interval past the observed
//! NPS (one promoter: NPS 100, adjusted interval −48.5 to 98.5); the interval is then extended to
//! include it, so a reported interval always contains its NPS. Two groups compare with z = Δ / sqrt(Var₁/n₁ + Var₂/n₂), Var = p + d − (p − d)²,
//! two-sided p-value from the normal distribution.

use crate::core::dataset::{Dataset, Labels, MISSING, NO_SCORE};
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

/// Below this many answers the adjusted-Wald interval is used.
pub const SMALL_SAMPLE: usize = 100;
const Z95: f64 = 1.959_963_984_540_054;

/// Answers counted by category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Counts {
    pub promoters: usize,
    pub passives: usize,
    pub detractors: usize,
}

impl Counts {
    /// Counts scores 0–10 (anything else is ignored: ingest has rejected it already).
    pub fn of(scores: impl IntoIterator<Item = u8>) -> Self {
        let mut c = Counts::default();
        for s in scores {
            c.add(s);
        }
        c
    }

    /// Counts one score (anything but 0–10 is ignored, as in [`Counts::of`]).
    pub fn add(&mut self, score: u8) {
        match score {
            9..=10 => self.promoters += 1,
            7..=8 => self.passives += 1,
            0..=6 => self.detractors += 1,
            _ => {}
        }
    }

    pub fn n(&self) -> usize {
        self.promoters + self.passives + self.detractors
    }
}

/// Which interval a result reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Interval {
    Wald,
    AdjustedWald,
}

/// NPS with its uncertainty, in points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Nps {
    pub responses: usize,
    pub promoters: usize,
    pub passives: usize,
    pub detractors: usize,
    pub nps: f64,
    pub se: f64,
    pub ci95: [f64; 2],
    pub interval: Interval,
}

/// Why an NPS cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NpsError {
    NoResponses,
}

impl std::fmt::Display for NpsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoResponses => write!(f, "there are no survey answers (scores 0–10): map a score column"),
        }
    }
}

fn variance(p: f64, d: f64) -> f64 {
    (p + d - (p - d) * (p - d)).max(0.0)
}

/// Computes NPS; `interval` forces an interval, `None` picks adjusted Wald below [`SMALL_SAMPLE`].
///
/// # Errors
/// [`NpsError::NoResponses`] when there are no answers.
pub fn nps(c: Counts, interval: Option<Interval>) -> Result<Nps, NpsError> {
    let n = c.n();
    if n == 0 {
        return Err(NpsError::NoResponses);
    }
    let nf = n as f64;
    let (p, d) = (c.promoters as f64 / nf, c.detractors as f64 / nf);
    let score = 100.0 * (p - d);
    let se = 100.0 * (variance(p, d) / nf).sqrt();
    let interval = interval.unwrap_or(if n < SMALL_SAMPLE { Interval::AdjustedWald } else { Interval::Wald });
    let (centre, half) = match interval {
        Interval::Wald => (score, Z95 * se),
        Interval::AdjustedWald => {
            let na = nf + 3.0;
            let (pa, da) = ((c.promoters as f64 + 0.75) / na, (c.detractors as f64 + 0.75) / na);
            (100.0 * (pa - da), Z95 * 100.0 * (variance(pa, da) / na).sqrt())
        }
    };
    let ci95 = [(centre - half).max(-100.0).min(score), (centre + half).min(100.0).max(score)];
    Ok(Nps {
        responses: n,
        promoters: c.promoters,
        passives: c.passives,
        detractors: c.detractors,
        nps: score,
        se,
        ci95,
        interval,
    })
}

/// A comparison of two groups or periods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// NPS of the second minus the first, in points.
    pub difference: f64,
    /// `None` when both groups have zero variance (every answer in one category).
    pub z: Option<f64>,
    pub p_value: Option<f64>,
    /// p < 0.05.
    pub significant: bool,
}

/// Compares `a` and `b`.
///
/// # Errors
/// [`NpsError::NoResponses`] when either has no answers.
pub fn compare(a: Counts, b: Counts) -> Result<Comparison, NpsError> {
    let (x, y) = (nps(a, Some(Interval::Wald))?, nps(b, Some(Interval::Wald))?);
    let var = |c: &Counts| {
        let n = c.n() as f64;
        variance(c.promoters as f64 / n, c.detractors as f64 / n) / n
    };
    let difference = y.nps - x.nps;
    let pooled = var(&a) + var(&b);
    if pooled <= 0.0 {
        return Ok(Comparison { difference, z: None, p_value: None, significant: false });
    }
    let z = (difference / 100.0) / pooled.sqrt();
    let normal = Normal::standard();
    let p_value = 2.0 * (1.0 - normal.cdf(z.abs()));
    Ok(Comparison { difference, z: Some(z), p_value: Some(p_value), significant: p_value < 0.05 })
}

/// NPS overall and per channel, from a dataset's score column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NpsReport {
    #[serde(flatten)]
    pub overall: Nps,
    /// Per channel of the answer's row (only when a channel is mapped).
    pub by_channel: std::collections::BTreeMap<String, Nps>,
}

/// Survey answers and, for each answer row, the customer's code in the transaction dataset
/// ([`MISSING`] when the answer is anonymous or its id has no purchases). The answers may be in the
/// transaction file itself ([`Survey::inline`]) or in a file of their own ([`Survey::joined`]).
#[derive(Debug, Clone)]
pub struct Survey<'a> {
    pub answers: &'a Dataset,
    pub customer: std::borrow::Cow<'a, [u32]>,
}

impl<'a> Survey<'a> {
    /// Answers in the transaction file: every row's customer is its own.
    pub fn inline(ds: &'a Dataset) -> Self {
        Self { answers: ds, customer: std::borrow::Cow::Borrowed(&ds.customer) }
    }

    /// Answers from a separate file, joined to the transaction customers by their id exactly as
    /// written (after trimming).
    pub fn joined(answers: &'a Dataset, transactions: &Labels) -> Self {
        let map: Vec<u32> = answers.customers.iter().map(|n| transactions.code(n).unwrap_or(MISSING)).collect();
        let customer = answers.customer.iter().map(|&c| if c == MISSING { MISSING } else { map[c as usize] }).collect();
        Self { answers, customer: std::borrow::Cow::Owned(customer) }
    }

    /// The rows with an answer.
    pub fn rows(&self) -> Vec<usize> {
        match &self.answers.score {
            Some(s) => (0..s.len()).filter(|&i| s[i] != NO_SCORE).collect(),
            None => Vec::new(),
        }
    }

    /// Answers whose customer is known in the transactions.
    pub fn matched(&self) -> usize {
        self.rows().into_iter().filter(|&i| self.customer[i] != MISSING).count()
    }

    /// Each customer's latest answered row, indexed by the customer code of the transactions
    /// (`customers` codes in all). Of answers on the same day (the file does not say which came
    /// later), the lowest score, so that a complaint is never hidden behind praise, then the
    /// comment last in text order: the result never depends on the order of the rows.
    pub fn latest(&self, customers: usize) -> Vec<Option<usize>> {
        let mut latest: Vec<Option<usize>> = vec![None; customers];
        let day = |i: usize| self.answers.day.as_ref().map_or(0, |d| d[i]);
        let score = |i: usize| self.answers.score.as_ref().map_or(NO_SCORE, |s| s[i]);
        // Ordered by (day, lowest score, comment); the comment (a search among the comments) only
        // where the rest ties.
        let key = |i: usize| (day(i), std::cmp::Reverse(score(i)));
        let later = |row: usize, e: usize| match key(row).cmp(&key(e)) {
            std::cmp::Ordering::Equal => self.answers.comment(row) >= self.answers.comment(e),
            order => order == std::cmp::Ordering::Greater,
        };
        for row in self.rows() {
            let Some(slot) = latest.get_mut(self.customer[row] as usize) else { continue };
            if slot.is_none_or(|e| later(row, e)) {
                *slot = Some(row);
            }
        }
        latest
    }

    /// The answers to count: all of them, or with `latest_only` each known customer's latest plus
    /// every anonymous answer (which cannot be told apart), in row order.
    pub fn counted(&self, latest_only: bool) -> Vec<usize> {
        if !latest_only {
            return self.rows();
        }
        let own = Survey::inline(self.answers);
        let mut rows: Vec<usize> = own.latest(self.answers.customers.len()).into_iter().flatten().collect();
        rows.extend(self.rows().into_iter().filter(|&i| self.answers.customer[i] == MISSING));
        rows.sort_unstable();
        rows
    }
}

/// The answers in a dataset: every answer, or with `latest_only` each customer's latest (by date,
/// then by row order; anonymous answers all count).
///
/// # Errors
/// [`NpsError::NoResponses`] when no score is mapped or no row has one.
pub fn from_dataset(ds: &Dataset, latest_only: bool) -> Result<NpsReport, NpsError> {
    let scores = ds.score.as_ref().ok_or(NpsError::NoResponses)?;
    let rows = Survey::inline(ds).counted(latest_only);
    let overall = nps(Counts::of(rows.iter().map(|&i| scores[i])), None)?;
    let mut by_channel = std::collections::BTreeMap::new();
    if let Some(ch) = &ds.channel {
        for (code, r) in breakdown(&rows, scores, |i| (ch.codes[i] != MISSING).then_some(ch.codes[i] as usize)) {
            if let Some(name) = ch.labels.name(code as u32) {
                by_channel.insert(name.to_string(), r);
            }
        }
    }
    Ok(NpsReport { overall, by_channel })
}

/// Groups the answers in `rows` by `key` (None skips a row; keys are small numbers: codes, indices)
/// and scores each group, in key order.
pub(crate) fn breakdown(rows: &[usize], scores: &[u8], key: impl Fn(usize) -> Option<usize>) -> Vec<(usize, Nps)> {
    tally(rows.iter().map(|&i| (key(i), scores[i])))
}

/// NPS per key of (key, score) pairs, by key; pairs without a key are left out. Keys are small
/// numbers (codes, indices: a few dozen groups), counted in a list indexed by key as they come
/// (answers run to the hundreds of thousands; a lookup in an ordered map for each of them and each
/// breakdown was most of the time of the NPS page).
pub(crate) fn tally(pairs: impl IntoIterator<Item = (Option<usize>, u8)>) -> Vec<(usize, Nps)> {
    let mut groups: Vec<Counts> = Vec::new();
    for (key, score) in pairs {
        if let Some(k) = key {
            if k >= groups.len() {
                groups.resize(k + 1, Counts::default());
            }
            groups[k].add(score);
        }
    }
    groups.into_iter().enumerate().filter_map(|(k, c)| nps(c, None).ok().map(|n| (k, n))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Counting by key in a list gives what counting in an ordered map gives: the same groups, in
        /// key order, groups with no valid score left out.
        #[test]
        fn tallies_by_key_equal_those_of_an_ordered_map(pairs in proptest::collection::vec((proptest::option::of(0usize..40), 0u8..=12), 0..400)) {
            let mut map: std::collections::BTreeMap<usize, Counts> = std::collections::BTreeMap::new();
            for &(key, score) in &pairs {
                if let Some(k) = key {
                    map.entry(k).or_default().add(score);
                }
            }
            let want: Vec<(usize, Nps)> = map.into_iter().filter_map(|(k, c)| nps(c, None).ok().map(|n| (k, n))).collect();
            proptest::prop_assert_eq!(tally(pairs.iter().copied()), want);
        }
    }

    proptest::proptest! {
        /// For any counts: NPS lies in −100..100, its interval contains it and stays in range, and
        /// the standard error is finite and non-negative.
        #[test]
        fn nps_and_its_interval_are_in_range(promoters in 0usize..3000, passives in 0usize..3000, detractors in 0usize..3000) {
            let c = Counts { promoters, passives, detractors };
            match nps(c, None) {
                Ok(n) => {
                    proptest::prop_assert!((-100.0..=100.0).contains(&n.nps), "{n:?}");
                    proptest::prop_assert!(n.ci95[0] <= n.nps + 1e-9 && n.nps <= n.ci95[1] + 1e-9, "{n:?}");
                    proptest::prop_assert!(n.ci95[0] >= -100.0 - 1e-9 && n.ci95[1] <= 100.0 + 1e-9, "{n:?}");
                    proptest::prop_assert!(n.se.is_finite() && n.se >= 0.0, "{n:?}");
                    proptest::prop_assert_eq!(n.responses, promoters + passives + detractors);
                }
                Err(_) => proptest::prop_assert_eq!(promoters + passives + detractors, 0),
            }
        }
    }

    /// Each customer's latest answer, worked out by hand: the later day wins whatever its score;
    /// on one day the lowest score; on one day with one score the comment last in text order (no
    /// comment first); rows without a score are no answers.
    #[test]
    fn the_latest_answer_is_the_last_day_s_lowest_score_then_last_comment() {
        // (customer, day, score, comment)
        let rows: [(&str, crate::core::values::Day, u8, &str); 10] = [
            ("a", 5, 9, ""),
            ("a", 7, 10, ""), // a: day 7 beats day 5 → row 1
            ("b", 7, 8, "好"),
            ("b", 7, 2, "差"), // b: day 7, lowest score → row 3
            ("b", 7, 9, ""),
            ("c", 3, 6, "b"),
            ("c", 3, 6, "a"),
            ("c", 3, 6, "c"), // c: day 3, score 6, comment "c" last in text order → row 7
            ("d", 4, 5, "x"),
            ("d", 9, NO_SCORE, "y"), // d: the row without a score is no answer → row 8
        ];
        let mut ds = Dataset { day: Some(vec![]), score: Some(vec![]), comments: Some(vec![]), ..Dataset::default() };
        for (row, &(id, day, score, comment)) in rows.iter().enumerate() {
            let code = ds.customers.intern(id);
            ds.customer.push(code);
            ds.day.as_mut().unwrap().push(day);
            ds.score.as_mut().unwrap().push(score);
            if !comment.is_empty() {
                ds.comments.as_mut().unwrap().push((row as u32, comment.to_string()));
            }
        }
        assert_eq!(Survey::inline(&ds).latest(5), [Some(1), Some(3), Some(7), Some(8), None]);
    }

    /// Rounding of published figures.
    const POINTS: f64 = 0.005;

    #[test]
    fn the_worked_example_from_the_issue_matches_to_the_published_precision() {
        // n = 1,162: 291 promoters, 476 passives, 395 detractors → NPS −8.95, SE 2.24, 95% CI −13.34 to −4.56.
        let r = nps(Counts { promoters: 291, passives: 476, detractors: 395 }, None).unwrap();
        assert_eq!(r.interval, Interval::Wald);
        assert!((r.nps - -8.95).abs() < POINTS, "{}", r.nps);
        assert!((r.se - 2.24).abs() < POINTS, "{}", r.se);
        assert!((r.ci95[0] - -13.34).abs() < POINTS, "{:?}", r.ci95);
        assert!((r.ci95[1] - -4.56).abs() < POINTS, "{:?}", r.ci95);
    }

    #[test]
    fn answers_in_a_transaction_file_give_nps_overall_and_by_channel() {
        use crate::core::ingest::{ingest, IngestOptions};
        let text = "客户ID,日期,金额,渠道,评分\na,2024-01-01,1,App,10\na,2024-02-01,1,App,3\nb,2024-01-05,1,门店,9\nc,2024-01-06,1,门店,\n";
        let ds = ingest(text.as_bytes(), "t.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap().dataset;
        let r = from_dataset(&ds, false).unwrap();
        assert_eq!((r.overall.responses, r.overall.promoters, r.overall.detractors), (3, 2, 1));
        assert_eq!(r.by_channel["App"].responses, 2);
        assert_eq!(r.by_channel["门店"].nps, 100.0);
        // Latest only: a's later answer (3) replaces the earlier (10).
        let latest = from_dataset(&ds, true).unwrap();
        assert_eq!((latest.overall.responses, latest.overall.promoters, latest.overall.detractors), (2, 1, 1));
    }

    #[test]
    fn scores_fall_into_their_categories() {
        let c = Counts::of([0, 6, 7, 8, 9, 10, 10]);
        assert_eq!(c, Counts { promoters: 3, passives: 2, detractors: 2 });
    }

    #[test]
    fn unanimous_answers_have_no_variance_and_stay_in_range() {
        let all = nps(Counts { promoters: 500, passives: 0, detractors: 0 }, None).unwrap();
        assert_eq!((all.nps, all.se, all.ci95), (100.0, 0.0, [100.0, 100.0]));
        let none = nps(Counts { promoters: 0, passives: 0, detractors: 500 }, None).unwrap();
        assert_eq!((none.nps, none.se, none.ci95), (-100.0, 0.0, [-100.0, -100.0]));
        let cmp = compare(Counts { promoters: 5, ..Counts::default() }, Counts { detractors: 5, ..Counts::default() }).unwrap();
        assert_eq!((cmp.difference, cmp.z, cmp.significant), (-200.0, None, false));
    }

    #[test]
    fn small_samples_get_the_adjusted_wald_interval() {
        // One promoter: adjusted n = 4, p = 1.75/4, d = 0.75/4 → centre 25, half-width
        // 1.96 · 100 · sqrt((0.625 − 0.0625) / 4) = 73.5: −48.5 to 98.5, extended up to the observed 100.
        let r = nps(Counts { promoters: 1, ..Counts::default() }, None).unwrap();
        assert_eq!(r.interval, Interval::AdjustedWald);
        assert_eq!(r.nps, 100.0);
        assert!((r.ci95[0] - -48.50).abs() < POINTS, "{:?}", r.ci95);
        assert_eq!(r.ci95[1], 100.0);
        // 30 answers: 15 promoters, 10 passives, 5 detractors → NPS 33.3, adjusted centre
        // 100 · (15.75 − 5.75) / 33 = 30.3, within the interval.
        let r = nps(Counts { promoters: 15, passives: 10, detractors: 5 }, None).unwrap();
        assert!((r.nps - 100.0 / 3.0).abs() < 1e-9);
        assert!(r.ci95[0] < 30.3 && 30.3 < r.ci95[1] && r.ci95[0] <= r.nps && r.nps <= r.ci95[1], "{:?}", r.ci95);
        assert_eq!(nps(Counts::default(), None), Err(NpsError::NoResponses));
    }

    #[test]
    fn a_clear_change_is_significant_and_a_tiny_one_is_not() {
        let before = Counts { promoters: 300, passives: 400, detractors: 300 };
        let after = Counts { promoters: 450, passives: 350, detractors: 200 };
        let c = compare(before, after).unwrap();
        assert!((c.difference - 25.0).abs() < 1e-9);
        assert!(c.significant && c.p_value.unwrap() < 1e-6);
        let tiny = compare(before, Counts { promoters: 305, passives: 400, detractors: 295 }).unwrap();
        assert!(!tiny.significant, "{tiny:?}");
    }
}
