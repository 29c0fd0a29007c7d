//! Closing the loop on complaints (投诉闭环): the customers whose latest answer is a detractor's
//! (and, optionally, a passive's), with that answer's comment, every score they have given, and
//! what they are worth — the most valuable first, so that the follow-up starts where most is at
//! stake.
//!
//! # Rules
//! - A customer is on the list when their latest answer (by date, then row) scores 0–6, or 7–8
//!   with passives; answers without a customer id, or whose customer has no purchases, cannot be
//!   followed up and are left out.
//! - Value: predicted CLV once the CLV models have run (spend to date where a customer has no
//!   prediction), else spend to date. Ties by customer id.

use super::actions::ClvByCode;
use super::attitude::Attitude;
use super::segments::Segmentation;
use crate::core::analysis::customers::CodeIndex;
use crate::core::analysis::nps::Survey;
use crate::core::dataset::{Dataset, MISSING};
use crate::core::values::{format_day, to_cents};
use serde::{Deserialize, Serialize};

/// One customer to follow up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUpRow {
    pub customer_id: String,
    /// The latest answer's score, `detractor` or `passive`, and its date (empty when undated).
    pub score: u8,
    pub category: String,
    pub answered: String,
    pub comment: String,
    /// Every score the customer gave, oldest first: `6 (2024-01-02) → 3 (2024-05-01)`.
    pub history: String,
    pub segment: String,
    pub stage: String,
    pub last_order: String,
    pub orders: u32,
    /// Empty when the file has no amounts.
    pub spend: Option<f64>,
    pub clv: Option<f64>,
}

/// The columns of [`FollowUpRow`], in order.
pub const FOLLOW_UP_COLUMNS: [&str; 12] = [
    "customer_id",
    "score",
    "category",
    "answered",
    "comment",
    "history",
    "segment",
    "stage",
    "last_order",
    "orders",
    "spend",
    "clv",
];

/// The follow-up list of `seg`'s customers from `survey` (its customers coded as `ds`'s).
pub fn follow_up(ds: &Dataset, seg: &Segmentation, survey: &Survey, clv: Option<&ClvByCode>, passives: bool) -> Vec<FollowUpRow> {
    let index = CodeIndex::new(&seg.facts.customers);
    let Some(scores) = survey.answers.score.as_ref() else { return Vec::new() };
    let day = |row: usize| survey.answers.day.as_ref().map(|d| d[row]);
    // Each customer's answers, by (day, row).
    let mut answers: Vec<Vec<usize>> = vec![Vec::new(); seg.facts.customers.len()];
    for row in survey.rows() {
        let code = survey.customer[row];
        if let Some(k) = (code != MISSING).then(|| index.get(code)).flatten() {
            answers[k].push(row);
        }
    }
    let comment = |row: usize| survey.answers.comment(row).unwrap_or_default().to_string();
    let dated = |row: usize| day(row).map_or_else(String::new, format_day);
    let mut out: Vec<(f64, FollowUpRow)> = Vec::new();
    for (k, rows) in answers.iter_mut().enumerate() {
        rows.sort_by_key(|&r| (day(r), r));
        let Some(&latest) = rows.last() else { continue };
        let score = scores[latest];
        let category = match Attitude::of(score) {
            Attitude::Passive if !passives => continue,
            Attitude::Promoter => continue,
            a => a.key().to_string(),
        };
        let c = &seg.facts.customers[k];
        let predicted = clv.and_then(|m| m.get(c.customer as usize).copied().flatten()).and_then(|p| p.0);
        let history = rows
            .iter()
            .map(|&r| match day(r) {
                Some(d) => format!("{} ({})", scores[r], format_day(d)),
                None => scores[r].to_string(),
            })
            .collect::<Vec<_>>()
            .join(" → ");
        out.push((
            predicted.unwrap_or(c.monetary),
            FollowUpRow {
                customer_id: ds.customers.name(c.customer).unwrap_or_default().to_string(),
                score,
                category,
                answered: dated(latest),
                comment: comment(latest),
                history,
                segment: seg.segment_name(k).to_string(),
                stage: seg.stages[k].zh().to_string(),
                last_order: format_day(c.last_day),
                orders: c.frequency,
                spend: seg.facts.amounts.then(|| to_cents(c.monetary)),
                clv: predicted,
            },
        ));
    }
    out.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.customer_id.cmp(&b.1.customer_id)));
    out.into_iter().map(|(_, row)| row).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::report::segments::{segment, SegmentationParams};
    use crate::core::values::parse_iso_date;

    #[test]
    fn detractors_by_value_with_their_history_worked_out_by_hand() {
        // (customer, date, amount, score, comment): a answered 3 then 5 (still a detractor), b 10,
        // c 7 (a passive), d 2 and spent the most.
        let rows: [(&str, &str, f64, Option<u8>, &str); 5] = [
            ("a", "2024-01-05", 100.0, Some(3), "太慢"),
            ("a", "2024-03-05", 50.0, Some(5), "还是慢"),
            ("b", "2024-02-01", 300.0, Some(10), ""),
            ("c", "2024-02-02", 200.0, Some(7), "一般"),
            ("d", "2024-02-03", 500.0, Some(2), "坏了"),
        ];
        let mut ds = Dataset { day: Some(vec![]), amount: Some(vec![]), score: Some(vec![]), ..Dataset::default() };
        let mut comments = Vec::new();
        for (i, &(c, d, a, s, text)) in rows.iter().enumerate() {
            let code = ds.customers.intern(c);
            ds.customer.push(code);
            ds.day.as_mut().unwrap().push(parse_iso_date(d).unwrap());
            ds.amount.as_mut().unwrap().push(a);
            ds.score.as_mut().unwrap().push(s.unwrap_or(crate::core::dataset::NO_SCORE));
            if !text.is_empty() {
                comments.push((i as u32, text.to_string()));
            }
        }
        ds.comments = Some(comments);
        let seg = segment(&ds, &SegmentationParams::default().check().unwrap()).unwrap();
        let survey = Survey::inline(&ds);
        let list = follow_up(&ds, &seg, &survey, None, false);
        let got: Vec<(&str, u8, &str, &str)> =
            list.iter().map(|r| (r.customer_id.as_str(), r.score, r.comment.as_str(), r.history.as_str())).collect();
        assert_eq!(got, [("d", 2, "坏了", "2 (2024-02-03)"), ("a", 5, "还是慢", "3 (2024-01-05) → 5 (2024-03-05)")]);
        assert_eq!(list[1].spend, Some(150.0));
        let with_passives: Vec<String> = follow_up(&ds, &seg, &survey, None, true).into_iter().map(|r| r.customer_id).collect();
        assert_eq!(with_passives, ["d", "c", "a"], "by spend: 500, 200, 150");
        // With CLV, its prediction is the value: a's 900 puts them first.
        let mut clv: ClvByCode = vec![None; ds.customers.len()];
        clv[ds.customers.code("a").unwrap() as usize] = Some((Some(900.0), 0.5));
        let first = &follow_up(&ds, &seg, &survey, Some(&clv), false)[0];
        assert_eq!((first.customer_id.as_str(), first.clv), ("a", Some(900.0)));
    }
}
