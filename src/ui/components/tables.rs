//! The numbers behind the charts as tables: a chart card's table view (its text alternative, one
//! toggle away) and the printed report's tables come from the same rows.

use super::segment_bars::group_label;
use crate::core::analysis::groups::GroupStat;
use crate::core::analysis::pyramid::Pyramid;
use crate::core::report::nps_page::NpsSummary;
use crate::ui::format;
use crate::ui::i18n::{Lang, Texts};
use yew::prelude::*;

/// A table's columns (name, numeric) and rows of text.
pub struct Rows {
    pub columns: Vec<(String, bool)>,
    pub rows: Vec<Vec<String>>,
}

impl Rows {
    fn new(columns: &[(&str, bool)]) -> Self {
        Self { columns: columns.iter().map(|(c, n)| ((*c).to_string(), *n)).collect(), rows: Vec::new() }
    }

    /// The table, with `class` (`chart-table` in a card, `report-table` in print).
    pub fn html(&self, class: &'static str) -> Html {
        html! {
            <table {class}>
                <thead><tr>{ for self.columns.iter().map(|(c, num)| html! { <th class={classes!(num.then_some("num"))}>{ c.clone() }</th> }) }</tr></thead>
                <tbody>
                    { for self.rows.iter().map(|row| html! {
                        <tr>{ for row.iter().zip(&self.columns).map(|(cell, (_, num))| html! { <td class={classes!(num.then_some("num"))}>{ cell.clone() }</td> }) }</tr>
                    }) }
                </tbody>
            </table>
        }
    }
}

/// A share as a percentage with one decimal (`0.2264` → `22.6%`).
pub(super) fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// Groups (segments, stages, states): customers, shares and mean R and F.
pub fn groups(t: &Texts, lang: Lang, groups: &[GroupStat]) -> Rows {
    let money = groups.iter().all(|g| g.revenue_share.is_some());
    let mut cols = vec![(t.group, false), (t.customers, true), (t.customer_share, true)];
    if money {
        cols.push((t.revenue_share, true));
    }
    cols.extend([(t.mean_r, true), (t.mean_f, true)]);
    let mut out = Rows::new(&cols);
    for g in groups {
        let mut row = vec![group_label(lang, g), format::int(g.customers as u64), pct(g.customer_share)];
        if money {
            row.push(g.revenue_share.map_or_else(String::new, pct));
        }
        row.extend([format!("{:.0}", g.mean_recency_days), format!("{:.2}", g.mean_frequency)]);
        out.rows.push(row);
    }
    out
}

/// The pyramid's tiers: customers, their share, revenue share and multiple (with amounts), repeat rate.
pub fn tiers(t: &Texts, lang: Lang, pyramid: &Pyramid) -> Rows {
    let money = pyramid.tiers.iter().all(|x| x.revenue_share.is_some());
    let total = pyramid.tiers.iter().map(|x| x.customers).sum::<usize>().max(1);
    let mut cols = vec![(t.group, false), (t.customers, true), (t.customer_share, true)];
    if money {
        cols.extend([(t.revenue_share, true), (t.multiple, true)]);
    }
    cols.push((t.repeat_rate, true));
    let mut out = Rows::new(&cols);
    for x in &pyramid.tiers {
        let mut row = vec![lang.tier_label(&x.name), format::int(x.customers as u64), pct(x.customers as f64 / total as f64)];
        if money {
            row.push(x.revenue_share.map_or_else(String::new, pct));
            row.push(x.multiple.map_or_else(String::new, |m| format!("{m:.1}×")));
        }
        row.push(pct(x.repurchase_rate));
        out.rows.push(row);
    }
    out
}

/// NPS by period: answers, NPS and its 95% interval.
pub fn nps_trend(t: &Texts, n: &NpsSummary) -> Rows {
    let mut out = Rows::new(&[(t.period, false), (t.responses_label, true), ("NPS", true), ("95%", true)]);
    for g in &n.trend {
        out.rows.push(vec![
            g.key.clone(),
            format::int(g.nps.responses as u64),
            format::one_decimal(g.nps.nps),
            format!("{} – {}", format::one_decimal(g.nps.ci95[0]), format::one_decimal(g.nps.ci95[1])),
        ]);
    }
    out
}

/// Answers by score, 0 to 10.
pub fn distribution(t: &Texts, counts: &[usize; 11]) -> Rows {
    let total = counts.iter().sum::<usize>().max(1);
    let mut out = Rows::new(&[(t.score, false), (t.responses_label, true), (t.customer_share, true)]);
    for (score, n) in counts.iter().enumerate() {
        out.rows.push(vec![score.to_string(), format::int(*n as u64), pct(*n as f64 / total as f64)]);
    }
    out
}

/// Any series of labelled values: a first column of labels, then one column per series.
pub fn series(columns: &[(&str, bool)], rows: Vec<Vec<String>>) -> Rows {
    Rows { rows, ..Rows::new(columns) }
}
