//! The NPS page: the survey's score overall, its distribution, its trend by period with the last
//! change tested, and its breakdowns by channel and, through each answer's customer, by the
//! segmentation's RFM segment, lifecycle stage, membership tier and pyramid tier.

use crate::core::analysis::comments::{self, Comments};
use crate::core::analysis::customers::CodeIndex;
use crate::core::analysis::lifecycle::Stage;
use crate::core::analysis::nps::{breakdown, compare, nps, tally, Comparison, Counts, Nps, NpsError, Survey};
use crate::core::analysis::states::Period;
use crate::core::dataset::MISSING;
use crate::core::report::segments::Segmentation;
use serde::{Deserialize, Serialize};

/// NPS of one group in a breakdown or one period of a trend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupNps {
    pub key: String,
    pub zh: Option<String>,
    pub nps: Nps,
}

/// The NPS page: overall, distribution, trend with the last change tested, and breakdowns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NpsSummary {
    pub overall: Nps,
    /// Answers per score 0..=10.
    pub distribution: [usize; 11],
    pub trend: Vec<GroupNps>,
    /// The last period against the one before, when both have answers.
    pub last_change: Option<Comparison>,
    /// Most answers first, equal counts by name.
    pub by_channel: Vec<GroupNps>,
    pub by_segment: Vec<GroupNps>,
    pub by_stage: Vec<GroupNps>,
    pub by_tier: Vec<GroupNps>,
    /// By tier of the loyalty pyramid, top first.
    pub by_pyramid: Vec<GroupNps>,
    /// Answers whose customer is among the segmented (purchasing) customers; `None` without
    /// transactions.
    pub matched: Option<usize>,
    /// Answers without a customer id.
    pub anonymous: usize,
    /// Only each customer's latest answer was counted.
    pub latest_only: bool,
    pub comments: Comments,
}

/// Builds the NPS page from survey answers and, when given, the segmentation of the transaction
/// customers (answers join segments, stages and tiers through their customer).
///
/// # Errors
/// [`NpsError::NoResponses`] when no answer is present.
pub fn summary(survey: &Survey, seg: Option<&Segmentation>, period: Period, latest_only: bool) -> Result<NpsSummary, NpsError> {
    let ds = survey.answers;
    let scores = ds.score.as_ref().ok_or(NpsError::NoResponses)?;
    let rows = survey.counted(latest_only);
    let overall = nps(Counts::of(rows.iter().map(|&i| scores[i])), None)?;
    let mut distribution = [0usize; 11];
    for &i in &rows {
        distribution[usize::from(scores[i].min(10))] += 1;
    }
    // Periods counted from the first answer's (a period's number counts from year 0).
    let trend_raw = match &ds.day {
        Some(days) => {
            let periods: Vec<i32> = rows.iter().map(|&i| period.of(days[i])).collect();
            let first = periods.iter().copied().min().unwrap_or(0);
            tally(periods.iter().zip(&rows).map(|(&p, &i)| (usize::try_from(p - first).ok(), scores[i])))
                .into_iter()
                .map(|(p, n)| (first + p as i32, n))
                .collect()
        }
        None => Vec::new(),
    };
    let last_change = match trend_raw.as_slice() {
        [.., (_, a), (_, b)] => compare(
            Counts { promoters: a.promoters, passives: a.passives, detractors: a.detractors },
            Counts { promoters: b.promoters, passives: b.passives, detractors: b.detractors },
        )
        .ok(),
        _ => None,
    };
    let trend = trend_raw.into_iter().map(|(p, n)| GroupNps { key: period.label(p), zh: None, nps: n }).collect();
    let mut by_channel: Vec<GroupNps> = match &ds.channel {
        Some(ch) => breakdown(&rows, scores, |i| (ch.codes[i] != MISSING).then_some(ch.codes[i] as usize))
            .into_iter()
            .map(|(c, n)| GroupNps { key: ch.labels.name(c as u32).unwrap_or_default().to_string(), zh: None, nps: n })
            .collect(),
        None => Vec::new(),
    };
    // The channels with the most answers first, equal counts by name (not in the order the file
    // happens to mention them).
    by_channel.sort_by(|a, b| b.nps.responses.cmp(&a.nps.responses).then_with(|| a.key.cmp(&b.key)));
    let (mut by_segment, mut by_stage, mut by_tier, mut by_pyramid) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut matched = None;
    if let Some(seg) = seg {
        // Each answer's customer, looked up once for the four breakdowns below.
        let index = CodeIndex::new(&seg.facts.customers);
        let of: Vec<Option<usize>> = rows.iter().map(|&i| index.get(survey.customer[i])).collect();
        matched = Some(of.iter().filter(|k| k.is_some()).count());
        let by = |key: &dyn Fn(usize) -> Option<usize>| tally(of.iter().zip(&rows).map(|(k, &i)| (k.and_then(key), scores[i])));
        let names = &seg.rfm.segment_map();
        by_segment = by(&|k| seg.rfm.scores[k].segment)
            .into_iter()
            .map(|(s, n)| {
                let key = names[s].0.clone();
                GroupNps { zh: crate::core::analysis::rfm::segment_name_zh(&key).map(str::to_string), key, nps: n }
            })
            .collect();
        // Stages by their place in `Stage::ALL`, which is their order.
        let stage = |k: usize| Stage::ALL.iter().position(|&s| s == seg.stages[k]);
        by_stage = by(&stage)
            .into_iter()
            .map(|(st, n)| (Stage::ALL[st], n))
            .map(|(st, n)| GroupNps { key: st.en().into(), zh: Some(st.zh().into()), nps: n })
            .collect();
        if let Some(tiers) = &seg.tiers {
            by_tier = by(&|k| Some(tiers.of[k]))
                .into_iter()
                .map(|(t, n)| GroupNps { key: tiers.names.get(t).cloned().unwrap_or_default(), zh: None, nps: n })
                .collect();
        }
        by_pyramid = by(&|k| seg.pyramid.of.get(k).copied())
            .into_iter()
            .map(|(t, n)| GroupNps {
                key: seg.pyramid.tiers.get(t).map(|t| t.name.clone()).unwrap_or_default(),
                zh: None,
                nps: n,
            })
            .collect();
    }
    let comments = comments::summarise(ds, &rows);
    Ok(NpsSummary {
        overall,
        distribution,
        trend,
        last_change,
        by_channel,
        by_segment,
        by_stage,
        by_tier,
        by_pyramid,
        matched,
        anonymous: rows.iter().filter(|&&i| ds.customer[i] == MISSING).count(),
        latest_only,
        comments,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::analysis::nps::from_dataset;

    #[test]
    fn stages_are_listed_in_their_order() {
        // `summary` breaks answers down by stage through their place in `Stage::ALL`.
        assert!(Stage::ALL.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn the_page_summary_has_distribution_trend_and_breakdowns() {
        use crate::core::ingest::{ingest, IngestOptions};
        use crate::core::report::segments::{segment, SegmentationParams};
        let mut bytes = Vec::new();
        crate::core::sample::write_sample(800, 5, &mut bytes).unwrap();
        let ds = ingest(&bytes, "s.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap().dataset;
        let seg = segment(&ds, &SegmentationParams::default().check().unwrap()).unwrap();
        let s = summary(&Survey::inline(&ds), Some(&seg), Period::Quarter, false).unwrap();
        let n = s.overall.responses;
        assert_eq!(s.distribution.iter().sum::<usize>(), n);
        assert_eq!(s.trend.iter().map(|g| g.nps.responses).sum::<usize>(), n);
        assert_eq!(s.by_channel.iter().map(|g| g.nps.responses).sum::<usize>(), n);
        assert_eq!(s.by_stage.iter().map(|g| g.nps.responses).sum::<usize>(), n);
        assert_eq!(s.by_tier.iter().map(|g| g.nps.responses).sum::<usize>(), n);
        assert!(s.trend.len() >= 10 && s.trend[0].key.starts_with("2023Q"));
        assert!(s.last_change.is_some());
        for g in s.by_segment.iter().chain(&s.by_channel) {
            assert!(g.nps.ci95[0] <= g.nps.nps && g.nps.nps <= g.nps.ci95[1] && (-100.0..=100.0).contains(&g.nps.nps));
        }
    }

    #[test]
    fn a_separate_survey_file_joins_the_transactions_by_customer_id() {
        use crate::core::ingest::{ingest, IngestOptions};
        use crate::core::report::segments::{segment_with, SegmentationParams};
        let tx = "客户ID,日期,金额\na,2024-01-01,100\na,2024-03-01,100\nb,2024-02-01,10\nc,2024-02-02,5\n";
        let tx = ingest(tx.as_bytes(), "t.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap();
        // Survey: ids optional; 11, -1 and 7.5 are left out (counted), N/A and an empty score are no
        // answer: none of them rejects its row.
        let sv = "客户ID,日期,评分,评论\na,2024-03-02,10,很好\nb,2024-03-02,3,\n,2024-03-03,9,匿名\nzz,2024-03-03,8,\n\
                  a,2024-03-04,11,\nb,2024-03-04,-1,\nc,2024-03-04,7.5,\nc,2024-03-04,N/A,\nc,2024-03-05,,\n";
        let sv = ingest(sv.as_bytes(), "s.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap();
        assert!(sv.report.rejected.is_empty(), "{:?}", sv.report.rejected);
        let left = &sv.report.cells_left_out;
        assert_eq!(
            left.iter().map(|l| (l.role, l.cells, l.row)).collect::<Vec<_>>(),
            [(crate::core::ingest::roles::Role::Score, 3, 6)]
        );
        assert_eq!(sv.report.no_answer, 2);
        assert_eq!(sv.report.rows_accepted, 9);
        assert_eq!(sv.report.totals.responses, 4);
        let survey = Survey::joined(&sv.dataset, &tx.dataset.customers);
        assert_eq!(survey.matched(), 2, "a and b bought; the anonymous answer and zz did not");
        let seg = segment_with(&tx.dataset, Some(&survey), None, None, &SegmentationParams::default().check().unwrap()).unwrap();
        let s = summary(&survey, Some(&seg), Period::Month, false).unwrap();
        assert_eq!((s.overall.responses, s.matched, s.anonymous), (4, Some(2), 1));
        let latest = summary(&survey, Some(&seg), Period::Month, true).unwrap();
        assert_eq!((latest.overall.responses, latest.latest_only), (4, true), "one answer per customer already");
        assert_eq!(s.by_pyramid.iter().map(|g| g.nps.responses).sum::<usize>(), 2);
        assert_eq!(seg.pyramid.tiers.iter().filter_map(|t| t.nps.as_ref()).map(|n| n.responses).sum::<usize>(), 2);
        // Latest only keeps each known customer's latest and every anonymous answer.
        assert_eq!(from_dataset(&sv.dataset, true).unwrap().overall.responses, 4);
    }
}
